#include "TrackerBench.h"
#include "WaitUntil.h"

#include "HttpConnection.h"
#include "RequestSigner.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/ExportTracker.h"
#include "gamelift/GameLiftClient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTimer>

#include <functional>

namespace gls::bench {

namespace {

const QString kList = QStringLiteral("ListStreamSessions");
const QString kGet = QStringLiteral("GetStreamSession");
const QString kByAccount = QStringLiteral("ListStreamSessionsByAccount");
const QString kProfile = QStringLiteral("bench");

// Requests the emulator counted, by operation.
struct Counts {
    QHash<QString, int> byOperation;
    int total = 0;

    int of(const QString &op) const { return byOperation.value(op); }
    Counts operator-(const Counts &before) const
    {
        Counts d;
        for (auto it = byOperation.cbegin(); it != byOperation.cend(); ++it) {
            const int n = it.value() - before.of(it.key());
            if (n != 0)
                d.byOperation.insert(it.key(), n);
        }
        d.total = total - before.total;
        return d;
    }
    QJsonObject toJson() const
    {
        QJsonObject o;
        for (auto it = byOperation.cbegin(); it != byOperation.cend(); ++it)
            o.insert(it.key(), it.value());
        return o;
    }
};

QJsonObject bodyJson(const HttpReply &reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

QString describe(const HttpReply &reply)
{
    return QStringLiteral("HTTP %1: %2").arg(reply.status).arg(QString::fromUtf8(reply.body.left(300)));
}

// Runs the event loop for `ms`.
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// The set-up side: the control endpoint and the benchmark's own signed
// GameLift Streams requests on one keep-alive connection.
class Setup {
public:
    explicit Setup(const BenchTarget &target)
        : m_signer(target.credentials, target.region, RequestSigner::Service::GameLiftStreams,
            target.gamelift.authority().toLatin1())
        , m_connection(target.gamelift, target.caCertificates)
    {
    }

    bool control(
        const QByteArray &method, const QByteArray &path, const QJsonObject &body, HttpReply *reply, QString *error)
    {
        const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        QByteArray wire = method + " /_emulator/" + path + " HTTP/1.1\r\nhost: " + m_connection.hostHeader() + "\r\n";
        if (!payload.isEmpty() || method == "POST" || method == "PUT")
            wire += "content-type: application/json\r\ncontent-length: " + QByteArray::number(payload.size()) + "\r\n";
        wire += "\r\n" + payload;
        return m_connection.exchange(wire, reply, error);
    }

    bool gamelift(
        const QByteArray &method, const QByteArray &path, const QByteArray &body, HttpReply *reply, QString *error)
    {
        return m_connection.exchange(m_signer.request(method, path, {}, body), reply, error);
    }

    bool counts(Counts *out, QString *error)
    {
        HttpReply reply;
        if (!control("GET", "stats", {}, &reply, error))
            return false;
        if (reply.status != 200) {
            *error = QStringLiteral("GET /_emulator/stats: %1").arg(describe(reply));
            return false;
        }
        const QJsonObject requests = bodyJson(reply).value(QStringLiteral("requests")).toObject();
        *out = Counts{};
        for (auto it = requests.begin(); it != requests.end(); ++it) {
            out->byOperation.insert(it.key(), it.value().toInt());
            out->total += it.value().toInt();
        }
        return true;
    }

private:
    RequestSigner m_signer;
    HttpConnection m_connection;
};

struct Session {
    QString groupId;
    QString id;
    QString arn;
};

double productionMinutes(qint64 realMs, double speedup)
{
    return double(realMs) * speedup / 60000.0;
}

} // namespace

bool runTrackerScenario(const BenchTarget &target, const TrackerRunOptions &o, QJsonObject *report, QString *error)
{
    Setup setup(target);
    HttpReply reply;
    // Set-up goes unthrottled; the emulator's clock as given on its command line.
    if (!setup.control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}}, &reply, error))
        return false;
    if (!setup.gamelift("GET", "/streamgroups", {}, &reply, error))
        return false;
    QStringList groups;
    for (const QJsonValue &v : bodyJson(reply).value(QStringLiteral("Items")).toArray())
        groups.append(v.toObject().value(QStringLiteral("Id")).toString());
    if (reply.status != 200 || groups.isEmpty()) {
        *error = QStringLiteral("ListStreamGroups: %1").arg(describe(reply));
        return false;
    }

    // N running sessions spread over the groups, each with an export requested.
    QElapsedTimer setupTimer;
    setupTimer.start();
    QList<Session> sessions;
    const QString runTag = QString::number(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < o.exports; ++i) {
        Session s;
        s.groupId = groups.at(i % groups.size());
        if (!setup.control("POST", "sessions",
                QJsonObject{{QStringLiteral("streamGroupId"), s.groupId},
                    {QStringLiteral("status"), QStringLiteral("CONNECTED")}},
                &reply, error))
            return false;
        s.id = bodyJson(reply).value(QStringLiteral("streamSessionId")).toString();
        s.arn = bodyJson(reply).value(QStringLiteral("arn")).toString();
        if (reply.status != 201 || s.id.isEmpty()) {
            *error = QStringLiteral("POST /_emulator/sessions: %1").arg(describe(reply));
            return false;
        }
        const QByteArray path = "/streamgroups/" + sigv4::uriEncode(s.groupId.toUtf8()) + "/streamsessions/"
            + sigv4::uriEncode(s.id.toUtf8()) + "/exportfiles";
        const QByteArray body = QJsonDocument(
            QJsonObject{{QStringLiteral("OutputUri"), QStringLiteral("s3://gls-exports/tracker/%1/").arg(runTag)}})
                                    .toJson(QJsonDocument::Compact);
        if (!setup.gamelift("PUT", path, body, &reply, error))
            return false;
        if (reply.status != 200) {
            *error = QStringLiteral("ExportStreamSessionFiles: %1").arg(describe(reply));
            return false;
        }
        sessions.append(s);
    }

    // The app's side: a store holding the PENDING exports, as after a restart.
    QDir().mkpath(o.storeFolder);
    exports::ExportStore store(QDir(o.storeFolder).filePath(QStringLiteral("exports-%1.sqlite").arg(runTag)));
    if (!store.open(error))
        return false;
    const QString region = QString::fromLatin1(target.region);
    for (const Session &s : sessions) {
        exports::ExportRecord r;
        r.profile = kProfile;
        r.region = region;
        r.streamGroupId = s.groupId;
        r.sessionArn = s.arn;
        r.sessionId = s.id;
        r.requestedUri = QStringLiteral("s3://gls-exports/tracker/%1/").arg(runTag);
        r.requestedAt = QDateTime::currentDateTimeUtc();
        r.sessionStatus = QStringLiteral("CONNECTED");
        const std::optional<qint64> id = store.beginRequest(r);
        if (!id || !store.markRequested(*id)) {
            *error = QStringLiteral("export store: %1").arg(store.lastError());
            return false;
        }
    }
    const qint64 setupMs = setupTimer.elapsed();

    // Wired as the desktop app wires it, with every interval divided and every
    // pace multiplied by the speed-up.
    const double k = o.speedup;
    QNetworkAccessManager network;
    aws::SystemClock clock;
    aws::StaticCredentialsProvider credentials(target.credentials, QStringLiteral("bench"));
    aws::TransportSettings transportSettings;
    transportSettings.extraCaCertificates = target.caCertificates;
    transportSettings.requestsPerSecondPerOperation *= k;
    aws::AwsTransport transport(&network, &credentials, &clock, transportSettings);
    gamelift::GameLiftClient client(&transport, aws::Endpoint{target.gamelift, target.region, "gameliftstreams"});
    const exports::ExportTracker::Settings production;
    exports::ExportTracker::Settings fast = production;
    fast.runningIntervalMs = int(production.runningIntervalMs / k);
    fast.endedFirstMs = int(production.endedFirstMs / k);
    fast.endedMaxMs = int(production.endedMaxMs / k);
    fast.errorMaxMs = int(production.errorMaxMs / k);
    fast.offlineProbeMs = int(production.offlineProbeMs / k);
    fast.requestsPerSecond = production.requestsPerSecond * k;
    auto *tracker = new exports::ExportTracker(
        [&client, region](const QString &profile, const QString &r) -> gamelift::GameLiftClient * {
            return profile == kProfile && r == region ? &client : nullptr;
        },
        fast);
    exports::ExportCoordinator::Clients clients;
    clients.gameLift
        = [&client, region](const QString &profile, const QString &r, QString *why) -> gamelift::GameLiftClient * {
        if (profile == kProfile && r == region)
            return &client;
        *why = QStringLiteral("no client for %1 in %2").arg(profile, r);
        return nullptr;
    };
    auto coordinator = std::make_unique<exports::ExportCoordinator>(&store, clients, tracker);

    QHash<qint64, qint64> finishedAtMs; // store id -> ms since the start of tracking
    QElapsedTimer life;
    QObject::connect(coordinator.get(), &exports::ExportCoordinator::exportFinished, coordinator.get(),
        [&](qint64 id) { finishedAtMs.insert(id, life.elapsed()); });
    // The service's limit from here on: throttling would show in the tracker's stats.
    if (!setup.control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 20 * k}}, &reply, error))
        return false;

    // 1. Start: every group looked at once.
    Counts c0, c1, c2, c3;
    if (!setup.counts(&c0, error))
        return false;
    life.start();
    coordinator->resume();
    if (tracker->pendingCount() != o.exports) {
        *error = QStringLiteral("resume() follows %1 exports, not %2").arg(tracker->pendingCount()).arg(o.exports);
        return false;
    }
    if (!waitUntil(
            [&] { return tracker->stats().rounds >= groups.size() && tracker->requestsInFlight() == 0; }, 120000)) {
        *error = QStringLiteral("the first look at %1 groups did not end within 2 minutes").arg(groups.size());
        return false;
    }
    const qint64 startMs = life.elapsed();
    if (!setup.counts(&c1, error))
        return false;

    // 2. Running: nothing changes on the service; only the tracker's schedule sends.
    const int windowMs = int(o.runningIntervals * fast.runningIntervalMs);
    QElapsedTimer window;
    window.start();
    runFor(windowMs);
    const qint64 runningMs = window.elapsed();
    if (!setup.counts(&c2, error))
        return false;

    // 3. Ending: batches of sessions end; each batch once the previous one's exports landed.
    QElapsedTimer ending;
    ending.start();
    const qint64 endingStartedAt = life.elapsed();
    for (int b = 0; b < o.batches; ++b) {
        const int from = b * o.exports / o.batches;
        const int to = (b + 1) * o.exports / o.batches;
        for (int i = from; i < to; ++i) {
            if (!setup.control(
                    "POST", "sessions/" + sigv4::uriEncode(sessions.at(i).id.toUtf8()) + "/end", {}, &reply, error))
                return false;
            if (reply.status != 200) {
                *error = QStringLiteral("ending %1: %2").arg(sessions.at(i).id, describe(reply));
                return false;
            }
        }
        if (!waitUntil([&] { return finishedAtMs.size() >= to; }, 300000)) {
            *error = QStringLiteral("batch %1: %2 of %3 exports finished after 5 minutes")
                         .arg(b + 1)
                         .arg(finishedAtMs.size())
                         .arg(to);
            return false;
        }
    }
    waitUntil([&] { return tracker->requestsInFlight() == 0; }, 60000);
    const qint64 endingMs = ending.elapsed();
    const qint64 lifeMs = life.elapsed();
    if (!setup.counts(&c3, error))
        return false;

    int succeeded = 0;
    for (const exports::ExportRecord &r : store.list({.statuses = {exports::ExportStatus::Succeeded}})) {
        if (r.profile == kProfile)
            ++succeeded;
    }

    // Naive: one GetStreamSession per pending export every endedFirstMs (the
    // tracker's shortest interval: the promptness it gives an ended session),
    // or, kinder to it, every runningIntervalMs.
    double naiveEnding = 0;
    double naiveLife = 0;
    for (auto it = finishedAtMs.cbegin(); it != finishedAtMs.cend(); ++it) {
        naiveEnding += double(it.value() - endingStartedAt) / fast.endedFirstMs;
        naiveLife += double(it.value()) / fast.endedFirstMs;
    }
    const Counts first = c1 - c0;
    const Counts running = c2 - c1;
    const Counts ended = c3 - c2;
    const Counts all = c3 - c0;
    auto phase = [&](const Counts &c, qint64 ms) {
        const double minutes = productionMinutes(ms, k);
        const int tracking = c.of(kList) + c.of(kGet);
        return QJsonObject{{QStringLiteral("ms"), ms}, {QStringLiteral("productionMinutes"), minutes},
            {QStringLiteral("listStreamSessions"), c.of(kList)}, {QStringLiteral("getStreamSession"), c.of(kGet)},
            {QStringLiteral("listStreamSessionsByAccount"), c.of(kByAccount)}, {QStringLiteral("allRequests"), c.total},
            {QStringLiteral("byOperation"), c.toJson()},
            {QStringLiteral("requestsPerMinute"), minutes > 0 ? tracking / minutes : -1.0}};
    };
    QJsonObject runningJson = phase(running, runningMs);
    runningJson.insert(QStringLiteral("naive10sPerMinute"), o.exports * 60000.0 / production.endedFirstMs);
    runningJson.insert(
        QStringLiteral("naiveRunningIntervalPerMinute"), o.exports * 60000.0 / production.runningIntervalMs);
    QJsonObject endingJson = phase(ended, endingMs);
    endingJson.insert(QStringLiteral("naive10sRequests"), naiveEnding);
    endingJson.insert(QStringLiteral("naive10sPerMinute"), naiveEnding / productionMinutes(endingMs, k));
    QJsonObject lifeJson = phase(all, lifeMs);
    lifeJson.insert(QStringLiteral("naive10sRequests"), naiveLife);
    lifeJson.insert(QStringLiteral("naive10sPerMinute"), naiveLife / productionMinutes(lifeMs, k));
    lifeJson.insert(QStringLiteral("requestsPerExport"), double(all.of(kList) + all.of(kGet)) / std::max(1, o.exports));

    const exports::ExportTracker::Stats &st = tracker->stats();
    *report = QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("tracker")},
        {QStringLiteral("exports"), o.exports},
        {QStringLiteral("groups"), int(groups.size())},
        {QStringLiteral("speedup"), k},
        {QStringLiteral("batches"), o.batches},
        {QStringLiteral("runningIntervalMs"), production.runningIntervalMs},
        {QStringLiteral("endedFirstMs"), production.endedFirstMs},
        {QStringLiteral("endedMaxMs"), production.endedMaxMs},
        {QStringLiteral("setupMs"), setupMs},
        {QStringLiteral("start"), phase(first, startMs)},
        {QStringLiteral("running"), runningJson},
        {QStringLiteral("ending"), endingJson},
        {QStringLiteral("life"), lifeJson},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("finished"), int(finishedAtMs.size())},
        {QStringLiteral("trackerStats"),
            QJsonObject{{QStringLiteral("listRequests"), st.listRequests},
                {QStringLiteral("getRequests"), st.getRequests}, {QStringLiteral("rounds"), st.rounds},
                {QStringLiteral("throttled"), st.throttled}, {QStringLiteral("serverErrors"), st.serverErrors},
                {QStringLiteral("networkErrors"), st.networkErrors}, {QStringLiteral("otherErrors"), st.otherErrors}}},
    };
    coordinator.reset();
    return true;
}

} // namespace gls::bench
