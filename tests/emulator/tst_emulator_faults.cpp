// Fault injection and robustness of the emulator over real sockets: each fault
// mode (429, 500, 503, reset, truncation, delay, clock skew) on demand and by
// fraction, request counters, TLS trust, and a restart that continues where
// the emulator stopped.

#include "EmulatorHarness.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace gls::test;

class TestEmulatorFaults : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    QString m_groupId;

    QByteArray groupPath() const { return "/streamgroups/" + label(m_groupId); }

    void setFaults(const QJsonObject &faults)
    {
        const HttpResult r = m_emu->control("PUT", "faults", faults);
        QVERIFY2(r.status == 200, r.body.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("30"),
                                                       QStringLiteral("--rate-limit"), QStringLiteral("0"),
                                                       QStringLiteral("--time-scale"), QStringLiteral("10")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_groupId = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray().at(0)
                        .toObject().value(QStringLiteral("Id")).toString();
        QVERIFY(!m_groupId.isEmpty());
    }

    void cleanup() { m_emu->control("DELETE", "faults"); }

    void oneShotStatusFaults_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("type");
        QTest::newRow("throttle") << QStringLiteral("throttle") << 429 << QByteArray("ThrottlingException");
        QTest::newRow("500") << QStringLiteral("500") << 500 << QByteArray("InternalServerException");
        QTest::newRow("503") << QStringLiteral("503") << 503 << QByteArray("ServiceUnavailableException");
    }

    void oneShotStatusFaults()
    {
        QFETCH(QString, kind);
        QFETCH(int, status);
        QFETCH(QByteArray, type);
        setFaults(QJsonObject{{QStringLiteral("next"),
                               QJsonArray{QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("count"), 2},
                                                      {QStringLiteral("operation"), QStringLiteral("GetStreamGroup")}}}}});
        // Another operation is not affected.
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups").status, 200);
        for (int i = 0; i < 2; ++i) {
            const HttpResult r = m_emu->gamelift("GET", groupPath());
            QCOMPARE(r.status, status);
            QCOMPARE(r.header("x-amzn-errortype"), type);
        }
        QCOMPARE(m_emu->gamelift("GET", groupPath()).status, 200);
    }

    void connectionReset()
    {
        setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("reset")}}}}});
        const HttpResult r = m_emu->gamelift("GET", groupPath());
        QVERIFY(r.connectionDropped);
        QCOMPARE(r.status, 0);
        QCOMPARE(m_emu->gamelift("GET", groupPath()).status, 200);
    }

    void truncatedBody()
    {
        setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("truncate")}}}}});
        const HttpResult r = m_emu->gamelift("GET", "/streamsessions", "MaxResults=50");
        QCOMPARE(r.status, 200);
        QVERIFY(!r.complete);
        QVERIFY(r.declaredLength > 0);
        QVERIFY2(r.body.size() < r.declaredLength, "fewer bytes than Content-Length announced");
        QVERIFY(m_emu->gamelift("GET", "/streamsessions", "MaxResults=50").complete);
    }

    void delayedAnswer()
    {
        setFaults(QJsonObject{{QStringLiteral("delayMs"), 700}});
        QElapsedTimer t;
        t.start();
        QCOMPARE(m_emu->gamelift("GET", groupPath()).status, 200);
        QVERIFY2(t.elapsed() >= 650, "the answer waited at least the configured delay");
    }

    void faultFractions()
    {
        setFaults(QJsonObject{{QStringLiteral("throttle"), 0.3}, {QStringLiteral("error500"), 0.2},
                              {QStringLiteral("operations"), QJsonArray{QStringLiteral("GetStreamGroup")}}});
        QMap<int, int> seen;
        for (int i = 0; i < 60; ++i)
            ++seen[m_emu->gamelift("GET", groupPath()).status];
        QVERIFY2(seen.value(429) > 3 && seen.value(500) > 2 && seen.value(200) > 10,
                 qPrintable(QStringLiteral("200:%1 429:%2 500:%3").arg(seen.value(200)).arg(seen.value(429)).arg(seen.value(500))));
        QCOMPARE(seen.value(200) + seen.value(429) + seen.value(500), 60);
        // The counters saw each of them.
        const QJsonObject byStatus = m_emu->control("GET", "stats").json().value(QStringLiteral("statuses")).toObject()
                                         .value(QStringLiteral("GetStreamGroup")).toObject();
        QVERIFY(byStatus.value(QStringLiteral("429")).toInt() >= seen.value(429));
        QVERIFY(byStatus.value(QStringLiteral("500")).toInt() >= seen.value(500));
    }

    void stallsAFractionOfAnswersByFlag()
    {
        Emulator stalling(QStringList{QStringLiteral("--sessions"), QStringLiteral("0"), QStringLiteral("--rate-limit"),
                                      QStringLiteral("0"), QStringLiteral("--fault-stall"), QStringLiteral("0.5"),
                                      QStringLiteral("--fault-stall-ms"), QStringLiteral("600")});
        QVERIFY2(stalling.ok(), qPrintable(stalling.errorText()));
        const QJsonObject faults = stalling.control("GET", "faults").json();
        QCOMPARE(faults.value(QStringLiteral("delayFraction")).toDouble(), 0.5);
        QCOMPARE(faults.value(QStringLiteral("delayMs")).toInt(), 600);
        int stalled = 0, quick = 0;
        for (int i = 0; i < 16; ++i) {
            QElapsedTimer t;
            t.start();
            QCOMPARE(stalling.gamelift("GET", "/streamgroups").status, 200);
            (t.elapsed() >= 550 ? stalled : quick) += 1;
        }
        // Some answers wait the stall, the others do not wait at all.
        QVERIFY2(stalled >= 2 && quick >= 2, qPrintable(QStringLiteral("stalled %1, quick %2").arg(stalled).arg(quick)));
    }

    void stallAndDelayFlagsDoNotGoTogether()
    {
        QProcess p;
        p.start(binDir() + QStringLiteral("/gls-emulator"),
                {QStringLiteral("--fault-delay-ms"), QStringLiteral("100"), QStringLiteral("--fault-stall"), QStringLiteral("0.1")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--fault-stall"));
    }

    void exportRequestsAreCountedPerSession()
    {
        m_emu->control("DELETE", "stats");
        const QString a = newSession(*m_emu, m_groupId, QStringLiteral("ACTIVE"));
        const QString b = newSession(*m_emu, m_groupId, QStringLiteral("ACTIVE"));
        QCOMPARE(requestExport(*m_emu, m_groupId, a, QStringLiteral("s3://gls-exports/count/")), 200);
        QCOMPARE(requestExport(*m_emu, m_groupId, a, QStringLiteral("s3://gls-exports/count/")), 200);
        QCOMPARE(requestExport(*m_emu, m_groupId, b, QStringLiteral("s3://gls-exports/count/")), 200);
        // A throttled request never reached the work: not counted.
        setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("throttle")}}}}});
        QCOMPARE(requestExport(*m_emu, m_groupId, b, QStringLiteral("s3://gls-exports/count/")), 429);
        // An answer reset after the work was done: counted (the service did export).
        setFaults(QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("reset")}}}}});
        QCOMPARE(requestExport(*m_emu, m_groupId, b, QStringLiteral("s3://gls-exports/count/")), 0);
        const QJsonObject counted = m_emu->control("GET", "stats").json().value(QStringLiteral("exportRequestsBySession")).toObject();
        QCOMPARE(counted.value(a).toInt(), 2);
        QCOMPARE(counted.value(b).toInt(), 2);
        QCOMPARE(counted.size(), 2);
    }

    void badFaultSettingsAreRefusedByName()
    {
        const HttpResult r = m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("throttle"), 2}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.json().value(QStringLiteral("error")).toString().contains(QLatin1String("'throttle'")));
        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("trottle"), 0.1}}).status, 400);
    }

    void clockSkew()
    {
        setFaults(QJsonObject{{QStringLiteral("clockSkewSeconds"), 1200}});
        const HttpResult r = m_emu->gamelift("GET", groupPath());
        // 20 minutes past the 15 allowed: a client with the right time is refused...
        QCOMPARE(r.status, 403);
        QCOMPARE(r.header("x-amzn-errortype"), QByteArray("InvalidSignatureException"));
        // ...and the server's Date header tells it by how much its clock differs.
        const QDateTime serverDate = QLocale::c().toDateTime(QString::fromLatin1(r.header("date")).chopped(4),
                                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
        QVERIFY(serverDate.isValid());
        const qint64 offset = QDateTime::currentDateTimeUtc().secsTo(QDateTime(serverDate.date(), serverDate.time(), Qt::UTC));
        QVERIFY2(qAbs(offset - 1200) < 30, qPrintable(QString::number(offset)));
        // A client that corrects its clock by that offset gets through.
        QCOMPARE(m_emu->gamelift("GET", groupPath(), {}, {}, Emulator::defaultCredentials(), kRegion,
                                 QDateTime::currentDateTimeUtc().addSecs(offset)).status, 200);
    }

    void untrustedCertificateIsRefused()
    {
        QSslSocket s;
        const QUrl u(m_emu->gameliftUrl());
        s.connectToHostEncrypted(u.host(), quint16(u.port())); // system CAs only: the emulator's CA is not among them
        QVERIFY(!s.waitForEncrypted(10000));
        QVERIFY(!s.sslHandshakeErrors().isEmpty());
    }

    void newSessionsArrive()
    {
        // 36,000 per emulated hour: one every 0.1 s on average.
        Emulator busy(QStringList{QStringLiteral("--sessions"), QStringLiteral("5"), QStringLiteral("--regions"),
                                  QStringLiteral("us-west-2"), QStringLiteral("--rate-limit"), QStringLiteral("0"),
                                  QStringLiteral("--arrivals-per-hour"), QStringLiteral("36000")});
        QVERIFY2(busy.ok(), qPrintable(busy.errorText()));
        auto count = [&] { return busy.control("GET", "state").json().value(QStringLiteral("sessions")).toInt(); };
        QTRY_VERIFY_WITH_TIMEOUT(count() >= 15, 20000);
        // They are real sessions: listed, newest last, starting up.
        const QJsonArray items = busy.gamelift("GET", "/streamsessions", "MaxResults=100").json()
                                     .value(QStringLiteral("Items")).toArray();
        QVERIFY(items.size() >= 15);
        const QString status = items.last().toObject().value(QStringLiteral("Status")).toString();
        QVERIFY2(status == QLatin1String("ACTIVATING") || status == QLatin1String("ACTIVE")
                     || status == QLatin1String("ERROR"), qPrintable(status));
    }

    void restartContinuesWhereItStopped()
    {
        QTemporaryDir keep;
        const QStringList args{QStringLiteral("--sessions"), QStringLiteral("10"), QStringLiteral("--rate-limit"),
                               QStringLiteral("0"), QStringLiteral("--time-scale"), QStringLiteral("10")};
        auto emu = std::make_unique<Emulator>(args, keep.path());
        QVERIFY2(emu->ok(), qPrintable(emu->errorText()));
        const QString group = emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray().at(0)
                                  .toObject().value(QStringLiteral("Id")).toString();
        const QString id = emu->control("POST", "sessions", QJsonObject{{QStringLiteral("streamGroupId"), group}})
                               .json().value(QStringLiteral("streamSessionId")).toString();
        const QByteArray path = "/streamgroups/" + label(group) + "/streamsessions/" + label(id);
        QCOMPARE(emu->gamelift("PUT", path + "/exportfiles", {}, "{\"OutputUri\": \"s3://gls-exports/r/\"}").status, 200);
        // The clock held (and saved so): no session may move between this listing and the one after the
        // restart, however long a loaded machine takes to stop and start it. The restart's own
        // --time-scale 10 then runs only what is scheduled after it (the archive below).
        QVERIFY(holdClock(*emu) > 0);
        const QJsonArray before = emu->gamelift("GET", "/streamsessions", "MaxResults=100").json().value(QStringLiteral("Items")).toArray();
        QFile caFile(emu->caPath());
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        const QByteArray caBytes = caFile.readAll();
        caFile.close();

        QCOMPARE(emu->terminate(), 0); // SIGTERM: a clean stop that saves the state
        emu.reset();

        // Same data dir, different seed arguments: the saved account wins.
        Emulator again(QStringList{QStringLiteral("--sessions"), QStringLiteral("99"), QStringLiteral("--rate-limit"),
                                   QStringLiteral("0"), QStringLiteral("--time-scale"), QStringLiteral("10")},
                       keep.path());
        QVERIFY2(again.ok(), qPrintable(again.errorText()));
        const QJsonArray after = again.gamelift("GET", "/streamsessions", "MaxResults=100").json().value(QStringLiteral("Items")).toArray();
        QCOMPARE(after.size(), before.size());
        QCOMPARE(after, before); // same sessions, same order, same fields
        QFile caAgain(again.caPath());
        QVERIFY(caAgain.open(QIODevice::ReadOnly));
        QCOMPARE(caAgain.readAll(), caBytes); // clients that trusted it keep trusting it
        QCOMPARE(again.gamelift("GET", path).json().value(QStringLiteral("ExportFilesMetadata")).toObject()
                     .value(QStringLiteral("Status")).toString(), QStringLiteral("PENDING"));
        QCOMPARE(again.control("POST", "sessions/" + id.toLatin1() + "/end").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(again.gamelift("GET", path).json().value(QStringLiteral("ExportFilesMetadata")).toObject()
                                      .value(QStringLiteral("Status")).toString(), QStringLiteral("SUCCEEDED"), 30000);
        QCOMPARE(again.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEmulatorFaults)
#include "tst_emulator_faults.moc"
