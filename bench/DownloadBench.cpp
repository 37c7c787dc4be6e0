#include "DownloadBench.h"

#include "GuiStallProbe.h"
#include "WaitUntil.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "s3/S3Client.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QTimer>

#include <atomic>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace gls::bench {

namespace {

double seconds(const timeval &tv)
{
    return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
}

// The highest resident set seen between start and stop, read from
// /proc/self/statm on a thread of its own (so a busy event loop does not
// hide a peak).
class RssSampler {
public:
    explicit RssSampler(int everyMs)
        : m_everyMs(everyMs)
    {
    }
    ~RssSampler() { stop(); }

    void start()
    {
        m_peakKiB = currentRssKiB();
        m_stop = false;
        m_thread = std::thread([this] {
            while (!m_stop.load()) {
                const qint64 now = currentRssKiB();
                if (now > m_peakKiB.load())
                    m_peakKiB = now;
                ++m_samples;
                std::this_thread::sleep_for(std::chrono::milliseconds(m_everyMs));
            }
        });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        const qint64 now = currentRssKiB();
        if (now > m_peakKiB.load())
            m_peakKiB = now;
    }
    qint64 peakKiB() const { return m_peakKiB.load(); }
    int samples() const { return m_samples.load(); }

private:
    int m_everyMs;
    std::atomic<qint64> m_peakKiB{0};
    std::atomic<int> m_samples{0};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

struct CpuTimes {
    double user = 0;
    double system = 0;
};

CpuTimes selfCpu()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {seconds(ru.ru_utime), seconds(ru.ru_stime)};
}

} // namespace

qint64 currentRssKiB()
{
    // statm: size resident shared text lib data dt (pages). Read with POSIX
    // calls: this runs on the sampler thread, many times a second.
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[128];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    long long size = 0, resident = 0;
    if (std::sscanf(buf, "%lld %lld", &size, &resident) != 2)
        return -1;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

bool downloadInProcess(const BenchTarget &target, const InProcessOptions &options, QJsonObject *report, QString *error)
{
    const bool viaCoordinator = options.via == QLatin1String("coordinator");
    if (!viaCoordinator && options.via != QLatin1String("job")) {
        *error = QStringLiteral("--via takes coordinator or job");
        return false;
    }
    if (!QDir().mkpath(options.folder)) {
        *error = QStringLiteral("cannot create %1").arg(options.folder);
        return false;
    }

    // Wired as the apps wire it: one network manager, fixed credentials, the
    // transport with the emulator's CA, an S3 client on the emulator's endpoint.
    QNetworkAccessManager network;
    aws::SystemClock clock;
    aws::StaticCredentialsProvider credentials(target.credentials, QStringLiteral("bench"));
    aws::TransportSettings settings;
    settings.extraCaCertificates = target.caCertificates;
    aws::AwsTransport transport(&network, &credentials, &clock, settings);
    aws::EndpointOptions endpoint;
    endpoint.region = QString::fromLatin1(target.region);
    endpoint.endpointUrl = target.s3.toString();
    s3::S3Client s3(&transport, endpoint);

    // Warm-up: one HeadObject, so the TLS connection, Qt's HTTP thread and the
    // first buffers exist before the figure "before" is taken.
    s3::HeadObjectJob *head = s3.headObject(options.bucket, options.key);
    bool headDone = false;
    qint64 objectBytes = -1;
    QString headError;
    QObject::connect(
        head, &s3::HeadObjectJob::succeeded, head, [&](const s3::ObjectInfo &info) { objectBytes = info.size; });
    QObject::connect(head, &s3::S3Job::failed, head, [&](const aws::AwsError &e) { headError = e.toString(); });
    QObject::connect(head, &s3::S3Job::finished, head, [&] { headDone = true; });
    head->start();
    if (!waitUntil([&] { return headDone; }, 60000, 1) || objectBytes < 0) {
        *error = QStringLiteral("HeadObject s3://%1/%2: %3")
                     .arg(options.bucket, options.key, headError.isEmpty() ? QStringLiteral("no answer") : headError);
        return false;
    }
    head->deleteLater();

    const QString destination = QDir(options.folder).filePath(exports::archiveFileName(options.key));
    const QString uri = QStringLiteral("s3://%1/%2").arg(options.bucket, options.key);
    std::unique_ptr<exports::ExportStore> store;
    std::unique_ptr<exports::ExportCoordinator> coordinator;
    qint64 id = 0;
    if (viaCoordinator) {
        // A SUCCEEDED export whose archive is this object, as the tracker leaves it.
        store
            = std::make_unique<exports::ExportStore>(QDir(options.folder).filePath(QStringLiteral(".exports.sqlite")));
        if (!store->open(error))
            return false;
        exports::ExportRecord r;
        r.profile = QStringLiteral("bench");
        r.region = endpoint.region;
        r.streamGroupId = QStringLiteral("sg-bench");
        r.sessionId = QStringLiteral("bench-session");
        r.requestedUri = uri;
        r.requestedAt = QDateTime::currentDateTimeUtc();
        const std::optional<qint64> stored = store->beginRequest(r);
        if (!stored || !store->markRequested(*stored)
            || !store->update(*stored, {.status = exports::ExportStatus::Succeeded, .outputUri = uri})) {
            *error = QStringLiteral("export store: %1").arg(store->lastError());
            return false;
        }
        id = *stored;
        exports::ExportCoordinator::Clients clients;
        clients.gameLift = [](const QString &, const QString &, QString *why) -> gamelift::GameLiftClient * {
            *why = QStringLiteral("not needed by the download benchmark");
            return nullptr;
        };
        clients.s3 = [&s3](const QString &, const QString &, QString *) { return &s3; };
        coordinator = std::make_unique<exports::ExportCoordinator>(store.get(), clients);
    }

    // The measured part: from asking for the download to the app having the
    // file (coordinator: with its SHA-256 recorded in the store).
    bool done = false;
    bool ok = false;
    QString failure;
    double lastByteSeconds = -1;
    int progressSignals = 0;
    QElapsedTimer timer;
    s3::DownloadJob *job = nullptr;
    if (viaCoordinator) {
        QObject::connect(coordinator.get(), &exports::ExportCoordinator::downloadProgress, coordinator.get(),
            [&](qint64, qint64 bytes, qint64 total) {
                ++progressSignals;
                if (bytes == total)
                    lastByteSeconds = double(timer.nsecsElapsed()) / 1e9;
            });
        QObject::connect(coordinator.get(), &exports::ExportCoordinator::downloadFinished, coordinator.get(),
            [&](qint64, bool succeeded) {
                ok = succeeded;
                done = true;
            });
        QObject::connect(coordinator.get(), &exports::ExportCoordinator::callFailed, coordinator.get(),
            [&](const aws::AwsError &e) { failure = e.toString(); });
    } else {
        s3::DownloadRequest request;
        request.bucket = options.bucket;
        request.key = options.key;
        request.destination = destination;
        request.overwrite = true;
        job = s3.download(request);
        QObject::connect(job, &s3::DownloadJob::progress, job, [&](qint64 bytes, qint64 total) {
            ++progressSignals;
            if (bytes == total)
                lastByteSeconds = double(timer.nsecsElapsed()) / 1e9;
        });
        QObject::connect(job, &s3::DownloadJob::succeeded, job, [&] { ok = true; });
        QObject::connect(job, &s3::S3Job::failed, job, [&](const aws::AwsError &e) { failure = e.toString(); });
        QObject::connect(job, &s3::S3Job::finished, job, [&] { done = true; });
    }

    // The thread the download runs on is the app's GUI thread: how late a 5 ms
    // timer there gets while the bytes come in (decryption, checksums, writes).
    GuiStallProbe stalls;
    RssSampler sampler(options.sampleEveryMs);
    const qint64 hwmBefore = procStatusKiB(getpid(), "VmHWM");
    const qint64 rssBefore = currentRssKiB();
    const CpuTimes cpu0 = selfCpu();
    sampler.start();
    stalls.start();
    timer.start();
    if (viaCoordinator) {
        if (!coordinator->download(id, options.folder, &failure)) {
            sampler.stop();
            *error = QStringLiteral("ExportCoordinator::download: %1").arg(failure);
            return false;
        }
    } else {
        job->start();
    }
    const bool finished = waitUntil([&] { return done; }, 3600 * 1000, 1);
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;
    stalls.stop();
    const StallStats stall = stalls.take();
    sampler.stop();
    const CpuTimes cpu1 = selfCpu();
    const qint64 hwmAfter = procStatusKiB(getpid(), "VmHWM");
    if (!finished || !ok) {
        *error = QStringLiteral("the download failed: %1")
                     .arg(failure.isEmpty() ? QStringLiteral("no result within an hour") : failure);
        return false;
    }

    QString sha256;
    if (viaCoordinator) {
        const std::optional<exports::ExportRecord> r = store->find(id);
        sha256 = r ? r->downloadSha256 : QString();
    }
    const qint64 fileBytes = QFileInfo(destination).size();
    *report = QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("inproc")},
        {QStringLiteral("via"), options.via},
        {QStringLiteral("objectBytes"), objectBytes},
        {QStringLiteral("fileBytes"), fileBytes},
        {QStringLiteral("file"), destination},
        {QStringLiteral("seconds"), elapsed},
        {QStringLiteral("lastByteSeconds"), lastByteSeconds},
        {QStringLiteral("bytesPerSecond"), double(fileBytes) / elapsed},
        {QStringLiteral("userSeconds"), cpu1.user - cpu0.user},
        {QStringLiteral("systemSeconds"), cpu1.system - cpu0.system},
        {QStringLiteral("rssBeforeKiB"), rssBefore},
        {QStringLiteral("peakRssKiB"), sampler.peakKiB()},
        {QStringLiteral("rssGrowthKiB"), sampler.peakKiB() - rssBefore},
        {QStringLiteral("vmHwmBeforeKiB"), hwmBefore},
        {QStringLiteral("vmHwmAfterKiB"), hwmAfter},
        {QStringLiteral("rssSamples"), sampler.samples()},
        {QStringLiteral("progressSignals"), progressSignals},
        {QStringLiteral("eventLoopStall"), stall.toJson()},
        {QStringLiteral("sha256"), sha256},
    };
    if (job)
        job->deleteLater();
    return true;
}

} // namespace gls::bench
