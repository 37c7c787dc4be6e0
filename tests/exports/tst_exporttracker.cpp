// The export tracker against the real gls-emulator over TLS, through the real
// transport and GameLift Streams client: hundreds of PENDING exports followed
// to SUCCEEDED with one listing per stream group per round and about one
// GetStreamSession per export (counted by the emulator's /_emulator/stats),
// nothing sent while offline and a prompt catch-up after, backing off under
// throttling without losing an export, and a FAILED export with its reason.
// The figures (requests per minute, against polling every export) are
// printed with qInfo, never asserted as timings.

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "exports/ExportTracker.h"
#include "gamelift/GameLiftClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace gls;
using namespace gls::exports;
using gls::test::Emulator;

namespace {

constexpr int kGroups = 5;
const QString kProfile = QStringLiteral("qa");
const QString kList = QStringLiteral("ListStreamSessions");
const QString kGet = QStringLiteral("GetStreamSession");

struct Counts {
    int list = 0;
    int get = 0;
    int byAccount = 0;
};

} // namespace

class TestExportTracker : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    aws::SystemClock m_clock;
    QNetworkAccessManager *m_network = nullptr;
    aws::StaticCredentialsProvider *m_credentials = nullptr;
    aws::AwsTransport *m_transport = nullptr;
    gamelift::GameLiftClient *m_client = nullptr;
    QStringList m_groups;
    int m_listings200 = 0;
    double m_listingsPerGroupSecond200 = 0;

    ExportTracker::ClientLookup lookup()
    {
        return [this](const QString &profile, const QString &region) -> gamelift::GameLiftClient * {
            return profile == kProfile && region == QLatin1String(gls::test::kRegion) ? m_client : nullptr;
        };
    }

    // Intervals scaled down for the test (production: 5 min, 10 s .. 60 s).
    static ExportTracker::Settings fast()
    {
        ExportTracker::Settings s;
        s.runningIntervalMs = 2000;
        s.endedFirstMs = 250;
        s.endedMaxMs = 1500;
        s.errorMaxMs = 8000;
        s.offlineProbeMs = 1500;
        s.requestsPerSecond = 15; // the emulator enforces the service's 20/s per operation
        return s;
    }

    Counts counts() const
    {
        const QJsonObject r = m_emu->control("GET", "stats").json().value(QStringLiteral("requests")).toObject();
        return Counts{r.value(kList).toInt(), r.value(kGet).toInt(),
            r.value(QStringLiteral("ListStreamSessionsByAccount")).toInt()};
    }

    int exportsWithStatus(const QString &status) const
    {
        return m_emu->control("GET", "state")
            .json()
            .value(QStringLiteral("exportsByStatus"))
            .toObject()
            .value(status)
            .toInt();
    }

    // `count` new CONNECTED sessions spread over the groups, each with an
    // export requested through the service's API (the harness's own signed
    // requests); the exports to track.
    QList<TrackedExport> makeExports(
        int count, const QString &prefix, const QString &bucket = QStringLiteral("gls-exports"))
    {
        QList<TrackedExport> out;
        for (int i = 0; i < count; ++i) {
            TrackedExport e;
            e.streamGroupId = m_groups.at(i % m_groups.size());
            e.session = gls::test::newSession(*m_emu, e.streamGroupId);
            if (e.session.isEmpty())
                return {};
            e.id = prefix + QString::number(i);
            e.profile = kProfile;
            e.region = QString::fromLatin1(gls::test::kRegion);
            e.requestedUri = QStringLiteral("s3://%1/track/%2/").arg(bucket, prefix);
            if (gls::test::requestExport(*m_emu, e.streamGroupId, e.session, e.requestedUri) != 200)
                return {};
            out.append(e);
        }
        return out;
    }

    void endAll(const QList<TrackedExport> &exports)
    {
        for (const TrackedExport &e : exports)
            QVERIFY(gls::test::endSession(*m_emu, e.session));
    }

    // Ends the sessions in batches, each once the previous batch finished, and
    // follows everything to SUCCEEDED. Returns the figures through the arguments.
    void runScale(int count, const QString &prefix, int *listings, int *gets, qint64 *elapsedMs, double *naive)
    {
        const QList<TrackedExport> exports = makeExports(count, prefix);
        QCOMPARE(exports.size(), count);
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 20}});
        ExportTracker tracker(lookup(), fast());
        QSignalSpy finished(&tracker, &ExportTracker::exportFinished);
        QSignalSpy idle(&tracker, &ExportTracker::idle);
        QHash<QString, qint64> doneAt;
        QElapsedTimer clock;
        connect(&tracker, &ExportTracker::exportFinished, this,
            [&](const QString &id, const TrackedExport &) { doneAt.insert(id, clock.elapsed()); });

        const Counts before = counts();
        clock.start();
        tracker.add(exports);
        QCOMPARE(tracker.pendingCount(), count);
        QCOMPARE(tracker.groupCount(), kGroups);
        constexpr int kBatches = 4;
        for (int b = 0; b < kBatches; ++b) {
            const int from = b * count / kBatches;
            const int to = (b + 1) * count / kBatches;
            endAll(exports.mid(from, to - from));
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), to, 60000);
        }
        QCOMPARE(idle.count(), 1);
        QCOMPARE(tracker.pendingCount(), 0);
        *elapsedMs = clock.elapsed();
        QTRY_COMPARE(tracker.requestsInFlight(), 0);
        const Counts after = counts();
        for (const auto &args : std::as_const(finished)) {
            const auto e = args.at(1).value<TrackedExport>();
            QCOMPARE(e.status, QStringLiteral("SUCCEEDED"));
            QVERIFY2(e.outputUri.startsWith(e.requestedUri) && e.outputUri.endsWith(QLatin1String(".zip")),
                qPrintable(e.outputUri));
            QCOMPARE(e.sessionStatus, QStringLiteral("TERMINATED"));
        }
        *listings = after.list - before.list;
        *gets = after.get - before.get;
        QCOMPARE(after.byAccount, before.byAccount); // never the costly account listing
        QCOMPARE(*listings, tracker.stats().listRequests);
        QCOMPARE(*gets, tracker.stats().getRequests);
        // About one GetStreamSession per export over its whole life.
        QVERIFY2(*gets >= count && *gets <= 2 * count, qPrintable(QString::number(*gets)));
        // Listings follow groups x rounds: one page each, and no group looked at
        // more often than its shortest interval allows, however many exports.
        QCOMPARE(tracker.stats().rounds, *listings);
        const double shortest = fast().endedFirstMs * (1 - fast().jitter);
        QVERIFY2(*listings <= kGroups * (*elapsedMs / shortest + 2), qPrintable(QString::number(*listings)));

        // Naive: one GetStreamSession per pending export every endedFirstMs
        // (the tracker's shortest interval) over the same period.
        double naiveRequests = 0;
        for (auto it = doneAt.cbegin(); it != doneAt.cend(); ++it)
            naiveRequests += double(it.value()) / fast().endedFirstMs;
        *naive = naiveRequests;
        const double minutes = *elapsedMs / 60000.0;
        qInfo("%d exports in %d groups, %d batches: %.1f s; ListStreamSessions %d (%.1f per group), "
              "GetStreamSession %d (%.2f per export); %.0f requests/min",
            count, kGroups, kBatches, *elapsedMs / 1000.0, *listings, double(*listings) / kGroups, *gets,
            double(*gets) / count, (*listings + *gets) / minutes);
        qInfo("naive (GetStreamSession per export every %d ms over the same period): %.0f requests, %.0f requests/min "
              "(%.1fx the tracker)",
            fast().endedFirstMs, naiveRequests, naiveRequests / minutes, naiveRequests / (*listings + *gets));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TrackedExport>();
        qRegisterMetaType<aws::AwsError>();
        // Time runs 4x: an archive lands 0.5 s after its session ends; a
        // CONNECTED session ends by itself only after minutes.
        m_emu = std::make_unique<Emulator>(
            QStringList{QStringLiteral("--sessions"), QStringLiteral("0"), QStringLiteral("--groups"),
                QString::number(kGroups), QStringLiteral("--regions"), QString::fromLatin1(gls::test::kRegion),
                QStringLiteral("--time-scale"), QStringLiteral("4"), QStringLiteral("--archive-size"),
                QStringLiteral("2048"), QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        const QJsonArray items
            = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray();
        for (const QJsonValue &v : items)
            m_groups.append(v.toObject().value(QStringLiteral("Id")).toString());
        QCOMPARE(m_groups.size(), kGroups);

        aws::TransportSettings settings;
        QString error;
        QVERIFY2(
            aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &error), qPrintable(error));
        settings.retry.maxAttempts = 2;
        m_network = new QNetworkAccessManager(this);
        m_credentials = new aws::StaticCredentialsProvider(
            {gls::test::kKeyId, gls::test::kSecret, {}}, QStringLiteral("test"), this);
        m_transport = new aws::AwsTransport(m_network, m_credentials, &m_clock, settings, {}, this);
        m_client = new gamelift::GameLiftClient(
            m_transport, aws::Endpoint{QUrl(m_emu->gameliftUrl()), gls::test::kRegion, "gameliftstreams"}, this);
    }

    void init()
    {
        // Setting up uses the API freely; the tracker meets the service's limit.
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}});
    }

    void cleanup() { m_emu->control("DELETE", "faults"); }

    void followsTwoHundredExportsCheaply()
    {
        int listings = 0, gets = 0;
        qint64 elapsed = 0;
        double naive = 0;
        runScale(200, QStringLiteral("big"), &listings, &gets, &elapsed, &naive);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(naive > 2.0 * (listings + gets));
        m_listings200 = listings;
        m_listingsPerGroupSecond200 = listings * 1000.0 / kGroups / elapsed;
    }

    void listingsDoNotGrowWithExports()
    {
        QVERIFY(m_listings200 > 0);
        int listings = 0, gets = 0;
        qint64 elapsed = 0;
        double naive = 0;
        runScale(50, QStringLiteral("small"), &listings, &gets, &elapsed, &naive);
        if (QTest::currentTestFailed())
            return;
        const double perGroupSecond = listings * 1000.0 / kGroups / elapsed;
        qInfo("ListStreamSessions: 200 exports -> %d (%.2f per group per s); 50 exports -> %d (%.2f per group per s)",
            m_listings200, m_listingsPerGroupSecond200, listings, perGroupSecond);
        // Four times the exports did not bring four times the listings.
        QVERIFY2(m_listings200 < 3 * listings, qPrintable(QString::number(m_listings200)));
    }

    void offlineSendsNothingThenCatchesUp()
    {
        const QList<TrackedExport> exports = makeExports(20, QStringLiteral("offline"));
        QCOMPARE(exports.size(), 20);
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 20}});
        auto settings = fast();
        settings.runningIntervalMs = 120'000; // only a catch-up can finish them quickly
        ExportTracker tracker(lookup(), settings);
        QSignalSpy finished(&tracker, &ExportTracker::exportFinished);
        QSignalSpy changed(&tracker, &ExportTracker::exportChanged);
        tracker.add(exports);
        QTRY_COMPARE(tracker.stats().rounds, kGroups);
        QCOMPARE(changed.count(), 20); // each session seen CONNECTED

        tracker.setOnline(false);
        QTRY_COMPARE(tracker.requestsInFlight(), 0);
        const Counts before = counts();
        const int succeededBefore = exportsWithStatus(QStringLiteral("SUCCEEDED"));
        endAll(exports);
        QTRY_COMPARE_WITH_TIMEOUT(exportsWithStatus(QStringLiteral("SUCCEEDED")), succeededBefore + 20, 30000);
        tracker.checkNow(); // asks for a round: still nothing may leave
        QVERIFY(!changed.wait(2500));
        const Counts during = counts();
        QCOMPARE(during.list, before.list);
        QCOMPARE(during.get, before.get);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(tracker.pendingCount(), 20);

        QElapsedTimer clock;
        clock.start();
        tracker.setOnline(true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 20, 30000);
        const qint64 caughtUpMs = clock.elapsed();
        const Counts after = counts();
        qInfo("offline: 0 requests while 20 sessions ended; online: caught up in %lld ms with %d listings and %d "
              "GetStreamSession",
            caughtUpMs, after.list - during.list, after.get - during.get);
        QCOMPARE(after.list - during.list, kGroups); // one listing per group
        QCOMPARE(after.get - during.get, 20);        // one look per export
        QVERIFY(caughtUpMs < settings.runningIntervalMs / 2);
    }

    void backsOffUnderThrottlingAndLosesNothing()
    {
        const QList<TrackedExport> exports = makeExports(20, QStringLiteral("throttle"));
        QCOMPARE(exports.size(), 20);
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 20}});
        // Every look every 300 ms while fine, so the slowing down shows.
        auto settings = fast();
        settings.runningIntervalMs = settings.endedFirstMs = settings.endedMaxMs = 300;
        ExportTracker tracker(lookup(), settings);
        QSignalSpy finished(&tracker, &ExportTracker::exportFinished);
        QSignalSpy failed(&tracker, &ExportTracker::checkFailed);

        // Without the fault: the rate of listings.
        Counts before = counts();
        QElapsedTimer clock;
        clock.start();
        tracker.add(exports);
        QTRY_VERIFY(tracker.stats().rounds >= 8 * kGroups);
        Counts after = counts();
        const double fineRate = (after.list - before.list + after.get - before.get) * 60000.0 / clock.elapsed();

        // Every listing and GetStreamSession answered 429.
        QVERIFY(m_emu
                    ->control("PUT", "faults",
                        QJsonObject{
                            {QStringLiteral("throttle"), 1.0}, {QStringLiteral("operations"), QJsonArray{kList, kGet}}})
                    .status
            == 200);
        endAll(exports);
        QTRY_VERIFY(tracker.stats().throttled >= kGroups);
        before = counts();
        clock.restart();
        const int throttledAt = tracker.stats().throttled;
        QTRY_VERIFY_WITH_TIMEOUT(tracker.stats().throttled >= throttledAt + 2 * kGroups, 60000);
        const qint64 windowMs = clock.elapsed();
        after = counts();
        const double throttledRate = (after.list - before.list + after.get - before.get) * 60000.0 / windowMs;
        qInfo("throttled: %.0f requests/min (attempts, retries included) against %.0f requests/min without the fault; "
              "%d checks throttled",
            throttledRate, fineRate, tracker.stats().throttled);
        // Backing off: after each throttled look a group waits twice as long (from 300 ms:
        // at least 0.6 s + 1.2 s for two more looks, less 20% jitter). Without it, two more
        // looks per group take 0.6 s. A busy machine can only make the window longer, so
        // this holds however loaded it is (comparing rates with the fine phase did not).
        QVERIFY2(windowMs >= 1200, qPrintable(QStringLiteral("two throttled looks per group in %1 ms").arg(windowMs)));
        QCOMPARE(finished.count(), 0);
        QCOMPARE(tracker.pendingCount(), 20); // nothing dropped
        QVERIFY(!failed.isEmpty());
        const auto error = failed.last().at(3).value<aws::AwsError>();
        QCOMPARE(error.type, QStringLiteral("ThrottlingException"));
        QCOMPARE(failed.last().at(0).toString(), kProfile);

        // The fault goes: every export finishes.
        m_emu->control("DELETE", "faults");
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 20, 60000);
        for (const auto &args : std::as_const(finished))
            QCOMPARE(args.at(1).value<TrackedExport>().status, QStringLiteral("SUCCEEDED"));
    }

    void failedExportIsReportedWithItsReason()
    {
        // A bucket that does not exist: the service takes the request and fails at upload time.
        const QList<TrackedExport> exports
            = makeExports(2, QStringLiteral("failing"), QStringLiteral("no-such-bucket-gls"));
        QCOMPARE(exports.size(), 2);
        ExportTracker tracker(lookup(), fast());
        QSignalSpy finished(&tracker, &ExportTracker::exportFinished);
        QSignalSpy idle(&tracker, &ExportTracker::idle);
        tracker.add(exports);
        endAll(exports);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        for (const auto &args : std::as_const(finished)) {
            const auto e = args.at(1).value<TrackedExport>();
            QCOMPARE(args.at(0).toString(), e.id);
            QCOMPARE(e.status, QStringLiteral("FAILED"));
            QVERIFY2(e.statusReason.contains(QLatin1String("no-such-bucket-gls")), qPrintable(e.statusReason));
            QVERIFY(e.outputUri.isEmpty() || !e.outputUri.endsWith(QLatin1String(".zip")));
        }
        QCOMPARE(idle.count(), 1);
    }

    void networkDownProbesOneGroupThenComesBack()
    {
        const QList<TrackedExport> exports = makeExports(10, QStringLiteral("net"));
        QCOMPARE(exports.size(), 10);
        auto settings = fast();
        settings.runningIntervalMs = settings.endedFirstMs = settings.endedMaxMs = 300;
        settings.offlineProbeMs = 1000;
        ExportTracker tracker(lookup(), settings);
        QSignalSpy network(&tracker, &ExportTracker::networkStateChanged);
        QSignalSpy finished(&tracker, &ExportTracker::exportFinished);
        // Every connection reset: what a dropped network looks like to the transport.
        QVERIFY(m_emu
                    ->control("PUT", "faults",
                        QJsonObject{
                            {QStringLiteral("reset"), 1.0}, {QStringLiteral("operations"), QJsonArray{kList, kGet}}})
                    .status
            == 200);
        tracker.add(exports);
        QTRY_COMPARE_WITH_TIMEOUT(network.count(), 1, 30000);
        QCOMPARE(network.at(0).at(0).toBool(), false);
        QVERIFY(tracker.isNetworkDown());
        const int listsAtDown = tracker.stats().listRequests;
        const int getsAtDown = tracker.stats().getRequests;
        QTRY_VERIFY_WITH_TIMEOUT(tracker.stats().listRequests >= listsAtDown + 2, 30000); // the probe goes on
        QCOMPARE(tracker.stats().getRequests, getsAtDown);
        QCOMPARE(tracker.pendingCount(), 10);

        m_emu->control("DELETE", "faults");
        endAll(exports);
        QTRY_COMPARE_WITH_TIMEOUT(network.count(), 2, 30000);
        QCOMPARE(network.at(1).at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 10, 30000);
    }
};

QTEST_GUILESS_MAIN(TestExportTracker)
#include "tst_exporttracker.moc"
