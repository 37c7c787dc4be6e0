#include "EmulatorBench.h"

#include "LoadRunner.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <numeric>
#include <random>

namespace gls::bench {

namespace {

constexpr int kPageSize = 100;
constexpr quint64 kShuffleSeed = 42;

QJsonObject bodyJson(const HttpReply &reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

QString describe(const HttpReply &reply)
{
    return QStringLiteral("HTTP %1: %2").arg(reply.status).arg(QString::fromUtf8(reply.body.left(300)));
}

double mean(const QList<double> &values)
{
    return values.isEmpty() ? 0 : std::accumulate(values.cbegin(), values.cend(), 0.0) / double(values.size());
}

// Pauses without blocking the event loop (set-up polling only).
void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

EmulatorBench::EmulatorBench(BenchTarget target)
    : m_target(std::move(target))
    , m_gameliftSigner(m_target.credentials, m_target.region, RequestSigner::Service::GameLiftStreams,
                       m_target.gamelift.authority().toLatin1())
    , m_s3Signer(m_target.credentials, m_target.region, RequestSigner::Service::S3, m_target.s3.authority().toLatin1())
    , m_setup(std::make_unique<HttpConnection>(m_target.gamelift, m_target.caCertificates))
{
}

bool EmulatorBench::init(QString *error)
{
    return m_gameliftSigner.selfCheck(error) && m_s3Signer.selfCheck(error);
}

bool EmulatorBench::gamelift(const QByteArray &method, const QByteArray &path, const QByteArray &query,
                             const QByteArray &body, HttpReply *reply, QString *error)
{
    return m_setup->exchange(m_gameliftSigner.request(method, path, query, body), reply, error);
}

bool EmulatorBench::control(const QByteArray &method, const QByteArray &path, const QJsonObject &body,
                            HttpReply *reply, QString *error)
{
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray wire = method + " /_emulator/" + path + " HTTP/1.1\r\nhost: " + m_setup->hostHeader() + "\r\n";
    if (!payload.isEmpty() || method == "POST" || method == "PUT")
        wire += "content-type: application/json\r\ncontent-length: " + QByteArray::number(payload.size()) + "\r\n";
    wire += "\r\n" + payload;
    return m_setup->exchange(wire, reply, error);
}

bool EmulatorBench::walkListing(QJsonObject *report, QString *error)
{
    m_sessionPaths.clear();
    QList<double> pageMs;
    QByteArray token;
    QElapsedTimer total;
    total.start();
    do {
        QByteArray query = "MaxResults=" + QByteArray::number(kPageSize);
        if (!token.isEmpty())
            query += "&NextToken=" + sigv4::uriEncode(token);
        QElapsedTimer page;
        page.start();
        HttpReply reply;
        if (!gamelift("GET", "/streamsessions", query, {}, &reply, error))
            return false;
        pageMs.append(double(page.nsecsElapsed()) / 1e6);
        if (reply.status != 200) {
            *error = QStringLiteral("ListStreamSessionsByAccount: %1").arg(describe(reply));
            return false;
        }
        const QJsonObject o = bodyJson(reply);
        for (const QJsonValue &item : o.value(QStringLiteral("Items")).toArray()) {
            // arn:aws:gameliftstreams:REGION:ACCOUNT:streamsession/GROUP/SESSION
            const QStringList parts = item.toObject().value(QStringLiteral("Arn")).toString().split(QLatin1Char('/'));
            if (parts.size() != 3)
                continue;
            m_sessionPaths.append("/streamgroups/" + sigv4::uriEncode(parts.at(1).toUtf8()) + "/streamsessions/"
                                  + sigv4::uriEncode(parts.at(2).toUtf8()));
        }
        token = o.value(QStringLiteral("NextToken")).toString().toUtf8();
    } while (!token.isEmpty());
    if (m_sessionPaths.isEmpty()) {
        *error = QStringLiteral("the listing holds no stream session");
        return false;
    }
    std::shuffle(m_sessionPaths.begin(), m_sessionPaths.end(), std::mt19937_64(kShuffleSeed));
    const qsizetype tail = qMin<qsizetype>(10, pageMs.size());
    *report = QJsonObject{{QStringLiteral("kind"), QStringLiteral("listingWalk")},
                          {QStringLiteral("pages"), pageMs.size()},
                          {QStringLiteral("sessions"), m_sessionPaths.size()},
                          {QStringLiteral("totalMs"), double(total.nsecsElapsed()) / 1e6},
                          {QStringLiteral("firstPagesMeanMs"), mean(pageMs.first(tail))},
                          {QStringLiteral("lastPagesMeanMs"), mean(pageMs.last(tail))}};
    return true;
}

bool EmulatorBench::runLoad(const QString &scenario, int connections, int warmupMs, int durationMs,
                            QJsonObject *report, QString *error)
{
    LoadRunner::RequestFactory next;
    QByteArray probePath;
    QByteArray query;
    if (scenario == QLatin1String("get-session")) {
        QJsonObject walk;
        if (m_sessionPaths.isEmpty()) {
            if (!walkListing(&walk, error))
                return false;
            report->insert(QStringLiteral("listingWalk"), walk);
        }
        probePath = m_sessionPaths.first();
        auto counter = std::make_shared<qsizetype>(0);
        next = [this, counter] {
            const QByteArray &path = m_sessionPaths.at((*counter)++ % m_sessionPaths.size());
            return m_gameliftSigner.request("GET", path);
        };
    } else if (scenario == QLatin1String("list-sessions")) {
        probePath = "/streamsessions";
        query = "MaxResults=" + QByteArray::number(kPageSize);
        next = [this, query] { return m_gameliftSigner.request("GET", "/streamsessions", query); };
    } else {
        *error = QStringLiteral("unknown scenario '%1' (get-session, list-sessions)").arg(scenario);
        return false;
    }

    // One probe outside the measurement: the answer must be what the scenario expects.
    HttpReply probe;
    if (!gamelift("GET", probePath, query, {}, &probe, error))
        return false;
    const QJsonObject o = bodyJson(probe);
    const bool expected = probe.status == 200
        && (query.isEmpty() ? o.contains(QStringLiteral("Arn"))
                            : o.value(QStringLiteral("Items")).toArray().size() == kPageSize);
    if (!expected) {
        *error = QStringLiteral("%1: unexpected probe answer %2").arg(scenario, describe(probe));
        return false;
    }

    LoadRunner runner(m_target, m_target.gamelift, next, {connections, warmupMs, durationMs});
    LoadResult result;
    if (!runner.run(&result, error))
        return false;
    QJsonObject out = result.toJson();
    out.insert(QStringLiteral("kind"), QStringLiteral("load"));
    out.insert(QStringLiteral("scenario"), scenario);
    out.insert(QStringLiteral("probeBodyBytes"), probe.body.size());
    for (auto it = out.constBegin(); it != out.constEnd(); ++it)
        report->insert(it.key(), it.value());
    return true;
}

bool EmulatorBench::prepareArchive(const QString &bucket, const QString &key, int timeoutSeconds,
                                   QJsonObject *report, QString *error)
{
    HttpReply reply;
    if (!gamelift("GET", "/streamgroups", {}, {}, &reply, error))
        return false;
    const QString groupId =
        bodyJson(reply).value(QStringLiteral("Items")).toArray().first().toObject().value(QStringLiteral("Id")).toString();
    if (reply.status != 200 || groupId.isEmpty()) {
        *error = QStringLiteral("ListStreamGroups: %1").arg(describe(reply));
        return false;
    }
    if (!control("POST", "sessions", QJsonObject{{QStringLiteral("streamGroupId"), groupId}}, &reply, error))
        return false;
    const QString sessionId = bodyJson(reply).value(QStringLiteral("streamSessionId")).toString();
    if (reply.status != 201 || sessionId.isEmpty()) {
        *error = QStringLiteral("POST /_emulator/sessions: %1").arg(describe(reply));
        return false;
    }
    const QByteArray sessionPath = "/streamgroups/" + sigv4::uriEncode(groupId.toUtf8()) + "/streamsessions/"
                                 + sigv4::uriEncode(sessionId.toUtf8());
    const QString uri = QStringLiteral("s3://%1/%2").arg(bucket, key);
    const QByteArray exportBody = QJsonDocument(QJsonObject{{QStringLiteral("OutputUri"), uri}}).toJson(QJsonDocument::Compact);
    if (!gamelift("PUT", sessionPath + "/exportfiles", {}, exportBody, &reply, error))
        return false;
    if (reply.status != 200) {
        *error = QStringLiteral("ExportStreamSessionFiles: %1").arg(describe(reply));
        return false;
    }
    if (!control("POST", "sessions/" + sigv4::uriEncode(sessionId.toUtf8()) + "/end", {}, &reply, error))
        return false;
    if (reply.status != 200) {
        *error = QStringLiteral("POST /_emulator/sessions/%1/end: %2").arg(sessionId, describe(reply));
        return false;
    }

    QElapsedTimer waited;
    waited.start();
    QString status;
    QString outputUri;
    while (waited.elapsed() < qint64(timeoutSeconds) * 1000) {
        if (!gamelift("GET", sessionPath, {}, {}, &reply, error))
            return false;
        const QJsonObject meta = bodyJson(reply).value(QStringLiteral("ExportFilesMetadata")).toObject();
        status = meta.value(QStringLiteral("Status")).toString();
        outputUri = meta.value(QStringLiteral("OutputUri")).toString();
        if (status == QLatin1String("SUCCEEDED") || status == QLatin1String("FAILED"))
            break;
        pause(200);
    }
    if (status != QLatin1String("SUCCEEDED")) {
        *error = QStringLiteral("the export of %1 is %2 after %3 s").arg(sessionId, status).arg(waited.elapsed() / 1000);
        return false;
    }
    *report = QJsonObject{{QStringLiteral("kind"), QStringLiteral("archivePrepare")},
                          {QStringLiteral("streamGroupId"), groupId},
                          {QStringLiteral("streamSessionId"), sessionId},
                          {QStringLiteral("outputUri"), outputUri},
                          // From the session's end to SUCCEEDED; the emulator waits 2 emulated seconds first.
                          {QStringLiteral("exportSeconds"), double(waited.elapsed()) / 1000.0}};
    return true;
}

QByteArray EmulatorBench::objectPath(const QString &bucket, const QString &key)
{
    return '/' + sigv4::uriEncode(bucket.toUtf8()) + '/' + sigv4::uriEncode(key.toUtf8(), false);
}

bool EmulatorBench::getObject(const QString &bucket, const QString &key, QJsonObject *report, QString *error)
{
    HttpConnection connection(m_target.s3, m_target.caCertificates);
    const double emulatorCpu = processCpuSeconds(m_target.pid);
    const double clientCpu = selfCpuSeconds();
    QElapsedTimer timer;
    timer.start(); // from connecting, as curl's speed_download counts
    HttpReply reply;
    if (!connection.exchange(m_s3Signer.request("GET", objectPath(bucket, key)), &reply, error, 600000, false))
        return false;
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (reply.status != 200) {
        *error = QStringLiteral("GetObject: HTTP %1").arg(reply.status);
        return false;
    }
    const double emulatorCpuAfter = processCpuSeconds(m_target.pid);
    *report = QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("archiveGet")},
        {QStringLiteral("client"), QStringLiteral("gls")},
        {QStringLiteral("bytes"), reply.bodyBytes},
        {QStringLiteral("seconds"), seconds},
        {QStringLiteral("bytesPerSecond"), double(reply.bodyBytes) / seconds},
        {QStringLiteral("emulatorCpuPercent"),
         emulatorCpu < 0 || emulatorCpuAfter < 0 ? -1.0 : 100.0 * (emulatorCpuAfter - emulatorCpu) / seconds},
        {QStringLiteral("clientCpuPercent"), 100.0 * (selfCpuSeconds() - clientCpu) / seconds},
    };
    return true;
}

QString EmulatorBench::presignedUrl(const QString &bucket, const QString &key, qint64 expiresSeconds) const
{
    const QByteArray path = objectPath(bucket, key);
    return m_target.s3.toString(QUrl::RemovePath | QUrl::RemoveQuery) + QString::fromLatin1(path) + u'?'
         + QString::fromLatin1(m_s3Signer.presign(path, expiresSeconds));
}

bool EmulatorBench::waitIdle(int timeoutSeconds, QJsonObject *report, QString *error)
{
    QElapsedTimer waited;
    waited.start();
    int quiet = 0;
    QJsonObject state;
    while (quiet < 2) {
        if (waited.elapsed() > qint64(timeoutSeconds) * 1000) {
            *error = QStringLiteral("the emulator still writes archives after %1 s").arg(timeoutSeconds);
            return false;
        }
        HttpReply reply;
        if (!control("GET", "state", {}, &reply, error))
            return false;
        state = bodyJson(reply);
        // Outstanding: being written, or due to be.
        quiet = state.value(QStringLiteral("archivesOutstanding")).toInt(-1) == 0 ? quiet + 1 : 0;
        if (quiet < 2)
            pause(250);
    }
    *report = QJsonObject{{QStringLiteral("kind"), QStringLiteral("emulatorState")},
                          {QStringLiteral("waitedSeconds"), double(waited.elapsed()) / 1000.0},
                          {QStringLiteral("state"), state}};
    return true;
}

QJsonObject EmulatorBench::memory() const
{
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("memory")},
                       {QStringLiteral("pid"), m_target.pid},
                       {QStringLiteral("vmHwmKiB"), procStatusKiB(m_target.pid, "VmHWM")},
                       {QStringLiteral("vmRssKiB"), procStatusKiB(m_target.pid, "VmRSS")}};
}

} // namespace gls::bench
