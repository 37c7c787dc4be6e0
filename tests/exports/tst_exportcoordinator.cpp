// ExportCoordinator end to end, against the real gls-emulator over TLS and a
// real SQLite store: the row is written before the request, the export is
// followed to SUCCEEDED and its archive downloads by itself (checked on disk
// and against the row's SHA-256); a row a crash left REQUESTING is settled
// from GetStreamSession without a second ExportStreamSessionFiles; exports
// requested elsewhere are found and followed; and a store left behind by one
// coordinator is resumed by the next (a restart).

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/ExportTracker.h"
#include "gamelift/GameLiftClient.h"
#include "s3/S3Client.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;
using exports::ExportCoordinator;
using exports::ExportRecord;
using exports::ExportStatus;
using exports::ExportStore;

namespace {

const QString kProfile = QStringLiteral("qa");

} // namespace

class TestExportCoordinator : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    aws::SystemClock m_clock;
    QNetworkAccessManager *m_network = nullptr;
    aws::AwsTransport *m_transport = nullptr;
    gamelift::GameLiftClient *m_gamelift = nullptr;
    s3::S3Client *m_s3 = nullptr;
    QTemporaryDir m_dir;
    QString m_group;

    int requests(const QString &operation) const
    {
        return m_emu->requestCount(operation);
    }

    // A coordinator as the app makes one, with the tracker's intervals scaled down.
    std::unique_ptr<ExportCoordinator> coordinator(ExportStore *store, const QString &downloads)
    {
        ExportCoordinator::Clients clients;
        clients.gameLift = [this](const QString &profile, const QString &, QString *error) -> gamelift::GameLiftClient * {
            if (profile != kProfile) {
                *error = QStringLiteral("unknown profile");
                return nullptr;
            }
            return m_gamelift;
        };
        clients.s3 = [this](const QString &, const QString &, QString *) { return m_s3; };
        exports::ExportTracker::Settings fast;
        fast.runningIntervalMs = 1000;
        fast.endedFirstMs = 300;
        fast.endedMaxMs = 1500;
        fast.requestsPerSecond = 15;
        auto *tracker = new exports::ExportTracker(
            [this](const QString &, const QString &) { return m_gamelift; }, fast);
        auto c = std::make_unique<ExportCoordinator>(store, clients, tracker);
        c->setDownloadFolder([downloads](const QString &) { return downloads; });
        return c;
    }

    // PUT /_emulator/faults body: the next `count` requests of `operation` get `kind`.
    static QJsonObject oneShot(const QString &kind, int count, const QString &operation)
    {
        return QJsonObject{{QStringLiteral("next"), QJsonArray{QJsonObject{{QStringLiteral("kind"), kind},
                                                                           {QStringLiteral("count"), count},
                                                                           {QStringLiteral("operation"), operation}}}}};
    }

    std::unique_ptr<ExportStore> openStore(const QString &name)
    {
        auto store = std::make_unique<ExportStore>(m_dir.filePath(name));
        QString why;
        if (!store->open(&why))
            qWarning() << why;
        return store;
    }

    gamelift::StreamSessionSummary summary(const QString &session) const
    {
        gamelift::StreamSessionSummary s;
        s.arn = QStringLiteral("arn:aws:gameliftstreams:%1:111122223333:streamsession/%2/%3")
                    .arg(QLatin1String(test::kRegion), m_group, session);
        s.status = QStringLiteral("CONNECTED");
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--groups"), QStringLiteral("2"),
                                                             QStringLiteral("--sessions"), QStringLiteral("10"),
                                                             QStringLiteral("--regions"), QStringLiteral("us-west-2")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        aws::TransportSettings settings;
        QString why;
        QVERIFY2(aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &why),
                 qPrintable(why));
        m_network = new QNetworkAccessManager(this);
        auto *creds = new aws::StaticCredentialsProvider(test::Emulator::defaultCredentials(), QStringLiteral("t"), this);
        m_transport = new aws::AwsTransport(m_network, creds, &m_clock, settings, {}, this);
        aws::EndpointOptions gl;
        gl.region = QLatin1String(test::kRegion);
        gl.endpointUrl = m_emu->gameliftUrl();
        m_gamelift = new gamelift::GameLiftClient(m_transport, aws::resolveGameLiftEndpoint(gl, &why), this);
        aws::EndpointOptions s3;
        s3.region = QLatin1String(test::kRegion);
        s3.endpointUrl = m_emu->s3Url();
        m_s3 = new s3::S3Client(m_transport, s3, this);
        m_group = test::firstStreamGroupId(*m_emu);
        QVERIFY(!m_group.isEmpty());
    }

    void cleanup() { m_emu->control("DELETE", "faults"); }

    void requestFollowAndDownload()
    {
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("flow.sqlite"));
        QVERIFY(store->isOpen());
        const QString downloads = m_dir.filePath(QStringLiteral("downloads"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), downloads);
        QSignalSpy finished(c.get(), &ExportCoordinator::exportFinished);
        QSignalSpy downloaded(c.get(), &ExportCoordinator::downloadFinished);

        const QString session = test::newSession(*m_emu, m_group);
        const int before = requests(QStringLiteral("ExportStreamSessionFiles"));
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                           QStringLiteral("s3://gls-exports/coordinator/"), false);
        QVERIFY(id > 0);
        // In the store before the answer: REQUESTING until the service says yes.
        QCOMPARE(store->find(id)->status, ExportStatus::Requesting);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        QCOMPARE(requests(QStringLiteral("ExportStreamSessionFiles")), before + 1);

        QVERIFY(test::endSession(*m_emu, session));
        QVERIFY(finished.wait(60000));
        const ExportRecord done = *store->find(id);
        QCOMPARE(done.status, ExportStatus::Succeeded);
        QVERIFY2(done.outputUri.startsWith(QLatin1String("s3://gls-exports/coordinator/")), qPrintable(done.outputUri));
        QVERIFY(done.finishedAt.isValid());

        // The archive comes by itself, whole, under its own name.
        QTRY_VERIFY_WITH_TIMEOUT(downloaded.count() == 1, 60000);
        QCOMPARE(downloaded.first().at(1).toBool(), true);
        const ExportRecord fetched = *store->find(id);
        QCOMPARE(fetched.downloadState, exports::DownloadState::Done);
        QCOMPARE(QFileInfo(fetched.downloadPath).absolutePath(), QDir(downloads).absolutePath());
        QCOMPARE(QFileInfo(fetched.downloadPath).fileName(), exports::archiveFileName(done.outputUri));
        QFile file(fetched.downloadPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(fetched.downloadedBytes, file.size());
        QCOMPARE(fetched.downloadSha256,
                 QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex()));
        QVERIFY(!QFile::exists(fetched.downloadPath + QStringLiteral(".part")));
    }

    void aRequestFailureIsRecorded()
    {
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("failure.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        QSignalSpy failed(c.get(), &ExportCoordinator::callFailed);
        // A TERMINATED session cannot be exported: the service refuses, the row says why.
        const QString session = test::newSession(*m_emu, m_group);
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(test::rawSession(*m_emu, m_group, session).value(QStringLiteral("Status")).toString(),
                                  QStringLiteral("TERMINATED"), 30000);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                           QStringLiteral("s3://gls-exports/coordinator/"), false);
        QVERIFY(failed.wait(20000));
        const ExportRecord r = *store->find(id);
        QCOMPARE(r.status, ExportStatus::Failed);
        QVERIFY2(r.statusReason.contains(QLatin1String("TERMINATED")), qPrintable(r.statusReason));
    }

    void aCrashBeforeTheAnswerIsSettledWithoutAskingTwice()
    {
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("crash.sqlite"));
        // The request got through, but the process died before writing the answer down.
        const QString session = test::newSession(*m_emu, m_group);
        ExportRecord r;
        r.profile = kProfile;
        r.region = QLatin1String(test::kRegion);
        r.streamGroupId = m_group;
        r.sessionArn = summary(session).arn;
        r.sessionId = session;
        r.requestedUri = QStringLiteral("s3://gls-exports/crash/");
        r.requestedAt = QDateTime::currentDateTimeUtc().addSecs(-120);
        const std::optional<qint64> id = store->beginRequest(r);
        QVERIFY(id);
        QCOMPARE(test::requestExport(*m_emu, m_group, session, r.requestedUri), 200);

        // And one whose request never reached the service.
        const QString lost = test::newSession(*m_emu, m_group);
        r.sessionArn = summary(lost).arn;
        r.sessionId = lost;
        const std::optional<qint64> lostId = store->beginRequest(r);
        QVERIFY(lostId);

        const int exportsBefore = requests(QStringLiteral("ExportStreamSessionFiles"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        c->resume();
        QTRY_COMPARE_WITH_TIMEOUT(store->find(*id)->status, ExportStatus::Pending, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(*lostId)->status, ExportStatus::Failed, 20000);
        QVERIFY(!store->find(*lostId)->statusReason.isEmpty());
        QCOMPARE(requests(QStringLiteral("ExportStreamSessionFiles")), exportsBefore); // nothing sent again
        QCOMPARE(store->list().size(), 2);                                            // nothing duplicated

        // The settled one is followed to the end.
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(store->find(*id)->status, ExportStatus::Succeeded, 60000);
    }

    void aLostAnswerIsSettledFromTheServiceNotFailed()
    {
        // The service carries the request out, but every answer is cut off (more resets than the transport
        // and Qt, which sends again on a connection closed under it, will try).
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("lost-answer.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        QSignalSpy finished(c.get(), &ExportCoordinator::exportFinished);
        QSignalSpy failed(c.get(), &ExportCoordinator::callFailed);
        const QString session = test::newSession(*m_emu, m_group);
        QCOMPARE(m_emu->control("PUT", "faults", oneShot(QStringLiteral("reset"), 20, QStringLiteral("ExportStreamSessionFiles"))).status, 200);
        const int before = requests(QStringLiteral("ExportStreamSessionFiles"));
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                           QStringLiteral("s3://gls-exports/lost-answer/"), false);
        // Not FAILED on a guess: GetStreamSession says the export is under way.
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 30000);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 1); // the request itself failed: the row was settled from the session
        const int sent = requests(QStringLiteral("ExportStreamSessionFiles")) - before;
        QVERIFY2(sent >= 3 && sent < 20, qPrintable(QString::number(sent))); // every try met a reset; none after
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Succeeded, 60000);
        QCOMPARE(store->list().size(), 1);
    }

    void aLostRequestIsFailedOnceTheServiceSaysSo()
    {
        // 503 three times: the answer says nothing of the work; the service has no export for the session.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("lost-request.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        const QString session = test::newSession(*m_emu, m_group);
        QCOMPARE(m_emu->control("PUT", "faults", oneShot(QStringLiteral("503"), 3, QStringLiteral("ExportStreamSessionFiles"))).status, 200);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                           QStringLiteral("s3://gls-exports/lost-request/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Failed, 30000);
        QVERIFY2(store->find(id)->statusReason.contains(QLatin1String("did not get through")),
                 qPrintable(store->find(id)->statusReason));
        QCOMPARE(test::exportStatus(*m_emu, m_group, session), QString());
    }

    void anUnknownExportIsAskedAboutAgainWhenTheLookFails()
    {
        // The answer is lost, and so are the three looks that follow: asked again 10 s later, not left UNKNOWN.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("unknown-again.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        const QString session = test::newSession(*m_emu, m_group);
        QJsonObject faults = oneShot(QStringLiteral("reset"), 20, QStringLiteral("ExportStreamSessionFiles"));
        QJsonArray next = faults.value(QStringLiteral("next")).toArray();
        next.append(oneShot(QStringLiteral("503"), 3, QStringLiteral("GetStreamSession")).value(QStringLiteral("next")).toArray().at(0));
        faults.insert(QStringLiteral("next"), next);
        QCOMPARE(m_emu->control("PUT", "faults", faults).status, 200);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                           QStringLiteral("s3://gls-exports/unknown-again/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Unknown, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 40000);
    }

    void exportsRequestedElsewhereAreFoundAndFollowed()
    {
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("elsewhere.sqlite"));
        // Requested with the service's API directly, as the console or the AWS CLI would.
        const QString session = test::newSession(*m_emu, m_group);
        QCOMPARE(test::requestExport(*m_emu, m_group, session, QStringLiteral("s3://gls-exports/console/")), 200);
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {});
        c->discoverElsewhere(kProfile, QLatin1String(test::kRegion));
        const auto found = [&]() -> std::optional<ExportRecord> { return store->findBySession(summary(session).arn); };
        QTRY_VERIFY_WITH_TIMEOUT(found().has_value(), 20000);
        QCOMPARE(found()->source, exports::ExportSource::Elsewhere);
        QCOMPARE(found()->status, ExportStatus::Pending);
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(found()->status, ExportStatus::Succeeded, 60000);
        // Found again (the listing of SUCCEEDED exports reports it): still one row.
        const qint64 id = found()->id;
        QSignalSpy changed(c.get(), &ExportCoordinator::recordChanged);
        c->discoverElsewhere(kProfile, QLatin1String(test::kRegion));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(changed.cbegin(), changed.cend(), [id](const QList<QVariant> &a) { return a.at(0).toLongLong() == id; }),
            20000);
        int rows = 0;
        for (const ExportRecord &r : store->list())
            rows += r.sessionArn == summary(session).arn ? 1 : 0;
        QCOMPARE(rows, 1);
    }

    void anEndedSessionSeenElsewhereIsLookedAtSoon()
    {
        // Running sessions are looked at only every 60 s here; the session table's
        // listing saw this one end, and says so: the export lands within seconds.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("hint.sqlite"));
        ExportCoordinator::Clients clients;
        clients.gameLift = [this](const QString &, const QString &, QString *) { return m_gamelift; };
        exports::ExportTracker::Settings slow;
        slow.runningIntervalMs = 60'000;
        slow.endedFirstMs = 300;
        slow.endedMaxMs = 1500;
        auto *tracker = new exports::ExportTracker([this](const QString &, const QString &) { return m_gamelift; }, slow);
        ExportCoordinator c(store.get(), clients, tracker);
        const QString session = test::newSession(*m_emu, m_group);
        const qint64 id = c.requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                          QStringLiteral("s3://gls-exports/hint/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(tracker->stats().rounds >= 1, 20000); // its first look: still running
        QVERIFY(test::endSession(*m_emu, session));
        c.noteSessionStatus(summary(session).arn, QStringLiteral("TERMINATED"));
        QCOMPARE(store->find(id)->sessionStatus, QStringLiteral("TERMINATED"));
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Succeeded, 15000); // not 60 s
    }

    void aDownloadThatFailsForAMomentIsTriedAgain()
    {
        // Every try of the first download is refused (S3 answers 503 three times, the transport's whole
        // budget): the archive still arrives, 10 s later, without a click, and nothing reports it failed.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("retry-download.sqlite"));
        const QString downloads = m_dir.filePath(QStringLiteral("retry-downloads"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), downloads);
        QSignalSpy downloaded(c.get(), &ExportCoordinator::downloadFinished);
        QSignalSpy failed(c.get(), &ExportCoordinator::callFailed);
        const QString session = test::newSession(*m_emu, m_group);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
            QStringLiteral("s3://gls-exports/retry-download/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        QCOMPARE(
            m_emu->control("PUT", "faults", oneShot(QStringLiteral("503"), 3, QStringLiteral("S3.GetObject"))).status,
            200);
        QVERIFY(test::endSession(*m_emu, session));

        QTRY_VERIFY_WITH_TIMEOUT(store->find(id)->downloadError.contains(QLatin1String("trying again in 10 s")), 60000);
        QCOMPARE(store->find(id)->downloadState, exports::DownloadState::Failed);
        QVERIFY(c->isDownloading(id)); // what `exports watch` waits for
        QCOMPARE(downloaded.count(), 0);

        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->downloadState, exports::DownloadState::Done, 40000);
        QVERIFY(QFile::exists(store->find(id)->downloadPath));
        QCOMPARE(downloaded.count(), 1);
        QCOMPARE(downloaded.first().at(1).toBool(), true);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!c->isDownloading(id));
    }

    void aDownloadThatCannotWorkIsNotTriedAgain()
    {
        // A local problem (the .part file's name is taken by a folder) is reported at once, never retried.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("no-retry-download.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {}); // no automatic download
        const QString session = test::newSession(*m_emu, m_group);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
            QStringLiteral("s3://gls-exports/no-retry-download/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Succeeded, 60000);

        const QString folder = m_dir.filePath(QStringLiteral("no-retry-downloads"));
        QVERIFY(QDir().mkpath(
            folder + u'/' + exports::archiveFileName(store->find(id)->outputUri) + QStringLiteral(".part")));
        QSignalSpy downloaded(c.get(), &ExportCoordinator::downloadFinished);
        QSignalSpy failed(c.get(), &ExportCoordinator::callFailed);
        QString why;
        QVERIFY2(c->download(id, folder, &why), qPrintable(why));
        QVERIFY(downloaded.wait(20000));
        QCOMPARE(downloaded.first().at(1).toBool(), false);
        QCOMPARE(failed.count(), 1);
        const ExportRecord r = *store->find(id);
        QCOMPARE(r.downloadState, exports::DownloadState::Failed);
        QVERIFY2(!r.downloadError.contains(QLatin1String("trying again")), qPrintable(r.downloadError));
        QVERIFY(!c->isDownloading(id));
    }

    void aFolderInTheArchivesPlaceIsNotTakenForIt()
    {
        // A folder with the archive's name is not "already downloaded": the download is refused, saying why.
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("folder-in-the-way.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), {}); // no automatic download
        const QString session = test::newSession(*m_emu, m_group);
        const qint64 id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
            QStringLiteral("s3://gls-exports/folder-in-the-way/"), false);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Succeeded, 60000);

        const QString folder = m_dir.filePath(QStringLiteral("folder-in-the-way"));
        const QString inTheWay = folder + u'/' + exports::archiveFileName(store->find(id)->outputUri);
        QVERIFY(QDir().mkpath(inTheWay));
        QString why;
        QVERIFY(!c->download(id, folder, &why));
        QVERIFY2(why.contains(QLatin1String("not a file")), qPrintable(why));
        QVERIFY(store->find(id)->downloadState != exports::DownloadState::Done);
        QVERIFY(QFileInfo(inTheWay).isDir()); // left as it was
    }

    void aRestartResumesPendingExportsAndDownloads()
    {
        const QString downloads = m_dir.filePath(QStringLiteral("restart-downloads"));
        const QString session = test::newSession(*m_emu, m_group);
        qint64 id = 0;
        {
            const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("restart.sqlite"));
            const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), downloads);
            id = c->requestExport(kProfile, QLatin1String(test::kRegion), summary(session),
                                  QStringLiteral("s3://gls-exports/restart/"), false);
            QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Pending, 20000);
        } // the app quits while the export is pending
        QVERIFY(test::endSession(*m_emu, session));
        const std::unique_ptr<ExportStore> store = openStore(QStringLiteral("restart.sqlite"));
        const std::unique_ptr<ExportCoordinator> c = coordinator(store.get(), downloads);
        c->resume();
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->status, ExportStatus::Succeeded, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(store->find(id)->downloadState, exports::DownloadState::Done, 60000);
        QVERIFY(QFile::exists(store->find(id)->downloadPath));
    }
};

QTEST_GUILESS_MAIN(TestExportCoordinator)
#include "tst_exportcoordinator.moc"
