// The transport against the real gls-emulator over TLS: signing on the wire
// (ARN labels, NextTokens), each injected fault ending in success with a
// bounded number of requests (the emulator counts them), timeouts, clock-skew
// correction, TLS trust, pacing under the service's rate, a preconnected
// connection that the next call uses, and --debug output that never holds a
// secret.

#include "EmulatorHarness.h"
#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace gls;
using namespace gls::aws;

class TestTransport : public QObject {
    Q_OBJECT

    std::unique_ptr<test::Emulator> m_emu;
    QNetworkAccessManager m_nam;
    SystemClock m_clock;
    std::unique_ptr<StaticCredentialsProvider> m_creds;
    QList<QSslCertificate> m_ca;
    QString m_groupArn;

    std::unique_ptr<AwsTransport> transport(TransportSettings s = {}, bool trustEmulator = true)
    {
        if (trustEmulator)
            s.extraCaCertificates = m_ca;
        // Backoff pinned small: tests check how many attempts, not how long.
        return std::make_unique<AwsTransport>(&m_nam, m_creds.get(), &m_clock, s, [] { return 0.01; });
    }

    Endpoint gamelift() const { return Endpoint{QUrl(m_emu->gameliftUrl()), "us-west-2", "gameliftstreams"}; }

    AwsCall *run(AwsTransport &t, AwsRequest req)
    {
        AwsCall *call = t.send(gamelift(), std::move(req));
        QSignalSpy done(call, &AwsCall::finished);
        if (!done.wait(60000))
            qWarning() << "call did not finish";
        return call;
    }

    static AwsRequest listGroups()
    {
        AwsRequest r;
        r.operation = QStringLiteral("ListStreamGroups");
        r.path = "/streamgroups";
        return r;
    }

    int requests(const QString &operation) const
    {
        return m_emu->requestCount(operation);
    }

    void oneShot(const QString &kind, int count, const QString &operation = QStringLiteral("ListStreamGroups"), int delayMs = 0)
    {
        QJsonObject shot{{QStringLiteral("kind"), kind}, {QStringLiteral("count"), count},
                         {QStringLiteral("operation"), operation}};
        if (delayMs)
            shot.insert(QStringLiteral("delayMs"), delayMs);
        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("next"), QJsonArray{shot}}}).status, 200);
        QCOMPARE(m_emu->control("POST", "stats/reset").status, 200);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("300"),
                                                             QStringLiteral("--regions"), QStringLiteral("us-west-2"),
                                                             QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        QString error;
        QVERIFY2(AwsTransport::loadCaBundle(m_emu->caPath(), &m_ca, &error), qPrintable(error));
        m_creds = std::make_unique<StaticCredentialsProvider>(test::Emulator::defaultCredentials(), QStringLiteral("test"));
        m_groupArn = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray().at(0)
                         .toObject().value(QStringLiteral("Arn")).toString();
    }

    void cleanup() { m_emu->control("DELETE", "faults"); }

    void signedRequestWithAnArnLabel()
    {
        auto t = transport();
        AwsRequest r;
        r.operation = QStringLiteral("GetStreamGroup");
        r.path = "/streamgroups/" + sigv4::uriEncode(m_groupArn.toUtf8(), true);
        AwsCall *call = run(*t, r);
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(call->response().status, 200);
        QCOMPARE(QJsonDocument::fromJson(call->response().body).object().value(QStringLiteral("Arn")).toString(), m_groupArn);
        QVERIFY(!call->response().requestId.isEmpty());
        QCOMPARE(call->response().attempts, 1);
    }

    void nextTokensSurviveTheQuery()
    {
        auto t = transport();
        QByteArray token;
        int total = 0;
        int pages = 0;
        bool sawSpecial = false;
        do {
            AwsRequest r;
            r.operation = QStringLiteral("ListStreamSessionsByAccount");
            r.path = "/streamsessions";
            r.query = {{"MaxResults", "7"}};
            if (!token.isEmpty())
                r.query.append({"NextToken", token});
            AwsCall *call = run(*t, r);
            QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
            const QJsonObject o = QJsonDocument::fromJson(call->response().body).object();
            total += int(o.value(QStringLiteral("Items")).toArray().size());
            token = o.value(QStringLiteral("NextToken")).toString().toLatin1();
            sawSpecial |= token.contains('+') || token.contains('/') || token.contains('=');
            ++pages;
        } while (!token.isEmpty());
        QCOMPARE(total, 300);
        QCOMPARE(pages, 43);
        QVERIFY(sawSpecial);
    }

    void faultsEndInSuccessWithBoundedRetries_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("429") << QStringLiteral("throttle");
        QTest::newRow("500") << QStringLiteral("500");
        QTest::newRow("503") << QStringLiteral("503");
        QTest::newRow("reset") << QStringLiteral("reset");
        QTest::newRow("truncate") << QStringLiteral("truncate");
    }
    void faultsEndInSuccessWithBoundedRetries()
    {
        QFETCH(QString, kind);
        auto t = transport();
        oneShot(kind, 2);
        AwsCall *call = run(*t, listGroups());
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(requests(QStringLiteral("ListStreamGroups")), 3); // exactly: two failures, one success
        // Qt's HTTP stack itself re-sends a request whose connection was reset
        // before any answer (up to twice), beneath the transport: those never
        // reach our retry policy. Every other fault comes back to it.
        QCOMPARE(call->response().attempts, kind == QLatin1String("reset") ? 1 : 3);
        QVERIFY(QJsonDocument::fromJson(call->response().body).object().contains(QStringLiteral("Items")));
    }

    void persistentFaultsGiveUpAfterThreeAttempts()
    {
        auto t = transport();
        oneShot(QStringLiteral("503"), 5);
        AwsCall *call = run(*t, listGroups());
        QCOMPARE(call->error().kind, AwsError::Kind::Service);
        QCOMPARE(call->error().type, QStringLiteral("ServiceUnavailableException"));
        QCOMPARE(call->error().httpStatus, 503);
        QCOMPARE(call->error().attempts, 3);
        QCOMPARE(requests(QStringLiteral("ListStreamGroups")), 3);
        QVERIFY(call->error().toString().contains(QLatin1String("after 3 attempts")));
    }

    void nonRetryableErrorsAreNotRepeated()
    {
        auto t = transport();
        m_emu->control("POST", "stats/reset");
        AwsRequest r;
        r.operation = QStringLiteral("GetStreamGroup");
        r.path = "/streamgroups/sg-000000000";
        AwsCall *call = run(*t, r);
        QCOMPARE(call->error().type, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(call->error().attempts, 1);
        QCOMPARE(requests(QStringLiteral("GetStreamGroup")), 1);
        QVERIFY(!call->error().requestId.isEmpty());
    }

    void idleTimeoutIsRetried()
    {
        TransportSettings s;
        s.idleTimeoutMs = 1000;
        auto t = transport(s);
        oneShot(QStringLiteral("delay"), 1, QStringLiteral("ListStreamGroups"), 3000);
        AwsCall *call = run(*t, listGroups());
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(call->response().attempts, 2);
        QCOMPARE(t->retryPolicy().quota(), 500); // the timeout's 10 tokens came back on success
    }

    void clockSkewIsCorrectedFromTheDateHeader()
    {
        auto t = transport();
        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("clockSkewSeconds"), 1200}}).status, 200);
        AwsCall *call = run(*t, listGroups());
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(call->response().attempts, 2);
        QVERIFY2(qAbs(t->clockOffsetMs() - 1200 * 1000) < 30 * 1000, qPrintable(QString::number(t->clockOffsetMs())));
        // Later calls sign with the corrected time at once.
        AwsCall *again = run(*t, listGroups());
        QCOMPARE(again->response().attempts, 1);
    }

    void clockSkewCorrectionCostsNoRetry()
    {
        // A skewed clock, then two 503s: with three attempts allowed the call
        // still lands, since the attempt the clock spoiled does not count.
        // Found by the fault drill: a fresh process lost a retry to the skew.
        auto t = transport();
        const QJsonObject twice503{{QStringLiteral("kind"), QStringLiteral("503")}, {QStringLiteral("count"), 2},
                                   {QStringLiteral("operation"), QStringLiteral("ListStreamGroups")}};
        QCOMPARE(m_emu->control("PUT", "faults",
                                QJsonObject{{QStringLiteral("clockSkewSeconds"), 1200},
                                            {QStringLiteral("next"), QJsonArray{twice503}}})
                     .status,
                 200);
        AwsCall *call = run(*t, listGroups());
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(call->response().attempts, 4); // skewed, 503, 503, answered
    }

    void clockSkewIsCorrectedFromABareHead403()
    {
        // A HEAD's 403 has no body to say RequestTimeTooSkewed (S3 HeadObject, a download's first request):
        // the Date header is enough. Found by the fault drill (downloads refused for good).
        auto t = transport();
        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("clockSkewSeconds"), 1200}}).status, 200);
        AwsRequest head = listGroups();
        head.method = "HEAD";
        AwsCall *call = run(*t, head);
        QVERIFY2(call->error().httpStatus != 403, qPrintable(call->error().toString()));
        QVERIFY2(qAbs(t->clockOffsetMs() - 1200 * 1000) < 30 * 1000, qPrintable(QString::number(t->clockOffsetMs())));
    }

    void wrongSecretIsReportedNotRetried()
    {
        StaticCredentialsProvider wrong({test::kKeyId, "not-the-secret", {}}, QStringLiteral("test"));
        TransportSettings s;
        s.extraCaCertificates = m_ca;
        s.requestsPerSecondPerOperation = 0;
        AwsTransport t(&m_nam, &wrong, &m_clock, s);
        AwsCall *call = run(t, listGroups());
        QCOMPARE(call->error().type, QStringLiteral("InvalidSignatureException"));
        QCOMPARE(call->error().httpStatus, 403);
        QCOMPARE(call->error().attempts, 1);
        QVERIFY(!call->error().toString().contains(QLatin1String("not-the-secret")));
    }

    void untrustedCertificateIsRefused()
    {
        // A network manager of its own: Qt reuses open connections to the same
        // host, and one opened under the trusted configuration would be reused.
        QNetworkAccessManager nam;
        TransportSettings s;
        s.requestsPerSecondPerOperation = 0;
        auto t = std::make_unique<AwsTransport>(&nam, m_creds.get(), &m_clock, s);
        m_emu->control("POST", "stats/reset");
        AwsCall *call = run(*t, listGroups());
        QCOMPARE(call->error().kind, AwsError::Kind::Tls);
        QCOMPARE(call->error().attempts, 1);
        QVERIFY(call->error().message.contains(QLatin1String("--ca-bundle")));
        QCOMPARE(requests(QStringLiteral("ListStreamGroups")), 0);
    }

    void theSystemsOwnBundleIsNotRead()
    {
        // AWS_CA_BUNDLE naming the system's own bundle (OpenSSL's default
        // file, as on these machines) is not decoded: a null certificate stands
        // for it, and the system's store stays in use. It trusts nothing more:
        // the emulator's certificate is still refused. With another bundle
        // beside it, both are trusted.
        const QString system = AwsTransport::systemCaBundle();
        if (system.isEmpty() || !AwsTransport::isSystemCaBundle(system))
            QSKIP("this machine has no system CA bundle (Debian: ca-certificates)");
        QList<QSslCertificate> certs;
        QString why;
        QVERIFY2(AwsTransport::loadCaBundle(system, &certs, &why), qPrintable(why));
        QCOMPARE(certs.size(), 1);
        QVERIFY(certs.first().isNull());

        // The same bytes elsewhere are an ordinary bundle, read whole.
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("bundle.pem"));
        QVERIFY(QFile::copy(system, copy));
        QVERIFY(!AwsTransport::isSystemCaBundle(copy));
        QList<QSslCertificate> copied;
        QVERIFY2(AwsTransport::loadCaBundle(copy, &copied, &why), qPrintable(why));
        QVERIFY(copied.size() > 1);
        QVERIFY(std::none_of(copied.cbegin(), copied.cend(), [](const QSslCertificate &c) { return c.isNull(); }));

        for (const bool withEmulatorCa : {false, true}) {
            QNetworkAccessManager nam; // a fresh connection under each configuration
            TransportSettings s;
            s.extraCaCertificates = withEmulatorCa ? m_ca + certs : certs;
            auto t = std::make_unique<AwsTransport>(&nam, m_creds.get(), &m_clock, s);
            AwsCall *call = run(*t, listGroups());
            if (withEmulatorCa)
                QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
            else
                QCOMPARE(call->error().kind, AwsError::Kind::Tls);
        }
    }

    void missingCredentialsSayWhatToDo()
    {
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        EnvironmentCredentialsProvider env;
        TransportSettings s;
        s.extraCaCertificates = m_ca;
        AwsTransport t(&m_nam, &env, &m_clock, s);
        AwsCall *call = run(t, listGroups());
        QCOMPARE(call->error().kind, AwsError::Kind::Credentials);
        QVERIFY(call->error().message.contains(QLatin1String("AWS_ACCESS_KEY_ID")));
    }

    void pacingStaysUnderTheServiceRate()
    {
        // The emulator throttles past 6/s per operation; the client paces itself at 5/s.
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 6}}).status, 200);
        m_emu->control("POST", "stats/reset");
        TransportSettings s;
        s.requestsPerSecondPerOperation = 5;
        auto t = transport(s);
        QList<AwsCall *> calls;
        for (int i = 0; i < 14; ++i)
            calls.append(t->send(gamelift(), listGroups()));
        for (AwsCall *c : calls) {
            if (!c->isFinished())
                QVERIFY(QSignalSpy(c, &AwsCall::finished).wait(30000));
            QVERIFY2(!c->error().isError(), qPrintable(c->error().toString()));
        }
        const QJsonObject statuses = m_emu->control("GET", "stats").json().value(QStringLiteral("statuses")).toObject()
                                         .value(QStringLiteral("ListStreamGroups")).toObject();
        QCOMPARE(statuses.value(QStringLiteral("200")).toInt(), 14);
        QVERIFY2(!statuses.contains(QStringLiteral("429")), "paced requests are never throttled");
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}});
    }

    void adaptivePacingHoldsBackOnlyAfterAThrottle()
    {
        // The default pacing (as the AWS SDKs' adaptive retry mode) sends a
        // burst at once; when the service throttles it, that operation slows
        // down, so the burst still lands whole with fewer throttles than a
        // client that only retries. Other operations are not held back.
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 10}}).status, 200);
        struct Outcome {
            int ok = 0;
            int throttled = 0;
            bool pacingBefore = false;
            bool pacingAfter = false;
            bool otherPacing = false;
        };
        const auto burst = [this](double pacing) {
            m_emu->control("POST", "stats/reset");
            TransportSettings s;
            s.requestsPerSecondPerOperation = pacing;
            s.retry.maxAttempts = 10;
            auto t = transport(s);
            Outcome o;
            o.pacingBefore = t->isPacing(QStringLiteral("ListStreamGroups"));
            QList<AwsCall *> calls;
            for (int i = 0; i < 30; ++i)
                calls.append(t->send(gamelift(), listGroups()));
            for (AwsCall *c : calls) {
                if (!c->isFinished())
                    QSignalSpy(c, &AwsCall::finished).wait(60000);
                o.ok += c->isFinished() && !c->error().isError() ? 1 : 0;
            }
            const QJsonObject statuses = m_emu->control("GET", "stats").json().value(QStringLiteral("statuses"))
                                             .toObject().value(QStringLiteral("ListStreamGroups")).toObject();
            o.throttled = statuses.value(QStringLiteral("429")).toInt();
            o.pacingAfter = t->isPacing(QStringLiteral("ListStreamGroups"));
            o.otherPacing = t->isPacing(QStringLiteral("GetStreamGroup"));
            return o;
        };
        const Outcome adaptive = burst(0);
        const Outcome retriesOnly = burst(-1);
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}});
        qInfo("30 calls at a service limit of 10/s: adaptive %d ok, %d throttled; retries only %d ok, %d throttled",
              adaptive.ok, adaptive.throttled, retriesOnly.ok, retriesOnly.throttled);
        QCOMPARE(adaptive.ok, 30);
        QVERIFY2(!adaptive.pacingBefore, "nothing is held back before the service throttles");
        QVERIFY2(adaptive.throttled > 0, "the burst went out at once, so the service pushed back");
        QVERIFY2(adaptive.pacingAfter, "after the throttles the operation is paced");
        QVERIFY2(!adaptive.otherPacing, "an operation never throttled is not held back");
        QVERIFY2(!retriesOnly.pacingAfter, "pacing off holds nothing back");
        QVERIFY2(adaptive.throttled < retriesOnly.throttled,
                 "slowing down after a throttle draws fewer throttles than retrying at full speed");
    }

    void redirectsAreFollowedAndSignedAgain()
    {
        // A plain-http front on loopback that sends every request on to the
        // emulator with 307: the transport must re-sign for the new host.
        QTcpServer front;
        QVERIFY(front.listen(QHostAddress::LocalHost));
        int redirected = 0;
        QByteArray firstRequest;
        connect(&front, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *s = front.nextPendingConnection();
            connect(s, &QTcpSocket::readyRead, s, [&, s] {
                firstRequest += s->readAll();
                if (!firstRequest.contains("\r\n\r\n"))
                    return;
                ++redirected;
                s->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + m_emu->gameliftUrl().toLatin1()
                         + "/streamgroups\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            });
        });
        auto t = transport();
        AwsCall *call = t->send(Endpoint{QUrl(QStringLiteral("http://127.0.0.1:%1").arg(front.serverPort())), "us-west-2",
                                         "gameliftstreams"},
                                listGroups());
        QVERIFY(QSignalSpy(call, &AwsCall::finished).wait(30000));
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QCOMPARE(redirected, 1);
        QVERIFY(firstRequest.toLower().contains("authorization: aws4-hmac-sha256"));
        QVERIFY(QJsonDocument::fromJson(call->response().body).object().contains(QStringLiteral("Items")));
    }

    void preconnectOpensTheConnectionTheCallUses()
    {
        // A TCP relay on loopback in front of the emulator counts the
        // connections; the TLS inside is the emulator's, end to end.
        QTcpServer relay;
        QVERIFY(relay.listen(QHostAddress::LocalHost));
        const QUrl emulator(m_emu->gameliftUrl());
        int accepted = 0;
        connect(&relay, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *in = relay.nextPendingConnection()) {
                ++accepted;
                auto *out = new QTcpSocket(in);
                connect(in, &QTcpSocket::readyRead, out, [in, out] { out->write(in->readAll()); });
                connect(out, &QTcpSocket::readyRead, in, [in, out] { in->write(out->readAll()); });
                connect(in, &QTcpSocket::disconnected, out, &QTcpSocket::disconnectFromHost);
                connect(out, &QTcpSocket::disconnected, in, &QTcpSocket::disconnectFromHost);
                out->connectToHost(emulator.host(), quint16(emulator.port())); // writes wait for it
            }
        });
        QUrl url = emulator;
        url.setPort(relay.serverPort());
        const Endpoint endpoint{url, "us-west-2", "gameliftstreams"};

        QNetworkAccessManager nam; // none of the other tests' connections
        TransportSettings s;
        s.extraCaCertificates = m_ca;
        AwsTransport t(&nam, m_creds.get(), &m_clock, s, [] { return 0.01; });
        t.preconnect(endpoint);
        QTRY_COMPARE(accepted, 1);
        AwsCall *call = t.send(endpoint, listGroups());
        QVERIFY(QSignalSpy(call, &AwsCall::finished).wait(30000));
        QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
        QVERIFY(QJsonDocument::fromJson(call->response().body).object().contains(QStringLiteral("Items")));
        QCOMPARE(accepted, 1); // the call went through the connection preconnect() opened
    }

    void debugOutputNeverHoldsTheSecret()
    {
        QStringList lines;
        StaticCredentialsProvider withToken({test::kKeyId, test::kSecret, "SESSION-TOKEN-VALUE"}, QStringLiteral("test"));
        TransportSettings s;
        s.extraCaCertificates = m_ca;
        AwsTransport t(&m_nam, &withToken, &m_clock, s);
        t.setDebugSink([&](const QString &text) { lines << text; });
        run(t, listGroups()); // refused (the emulator's key has no token), but the request was built and signed
        const QString all = lines.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QLatin1String("-- canonical request --")));
        QVERIFY(all.contains(QLatin1String("AWS4-HMAC-SHA256")));
        QVERIFY(!all.contains(QLatin1String(test::kSecret)));
        // The token is a signed header, so it appears in the canonical request unless redacted.
        QVERIFY2(!all.contains(QLatin1String("SESSION-TOKEN-VALUE")), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
