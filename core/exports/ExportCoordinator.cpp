#include "ExportCoordinator.h"

#include "ExportStore.h"
#include "ExportTracker.h"
#include "Reconcile.h"
#include "TrackedExport.h"

#include "gamelift/ExportStreamSessionFilesJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/ListStreamSessionsJob.h"
#include "gamelift/TerminateStreamSessionJob.h"
#include "s3/DownloadJob.h"
#include "s3/PresignJob.h"
#include "s3/S3Client.h"
#include "s3/S3Uri.h"
#include "s3/StreamDigest.h"

#include "aws/RetryPolicy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

namespace gls::exports {

namespace {

constexpr int kSettleRetryMs = 10'000; // an UNKNOWN export whose GetStreamSession failed is asked about again
constexpr int kOutputUriAttempts = 3;   // a SUCCEEDED row's missing OutputUri: GetStreamSession tries
// A download that failed for a passing reason (throttled, 5xx, the network, a
// timeout), after its requests' own retries: tried again this long after, as
// many times as there are delays, while this process runs.
constexpr int kDownloadRetryMs[] = {10'000, 30'000, 90'000};

QString trackerId(qint64 id)
{
    return QString::number(id);
}

} // namespace

QString archiveFileName(const QString &outputUri)
{
    return outputUri.section(QLatin1Char('/'), -1);
}

TrackedExport trackedFrom(const ExportRecord &r)
{
    TrackedExport t;
    t.id = trackerId(r.id);
    t.profile = r.profile;
    t.region = r.region;
    t.streamGroupId = r.streamGroupId;
    t.session = r.sessionArn.isEmpty() ? r.sessionId : r.sessionArn;
    t.requestedUri = r.requestedUri;
    t.sessionStatus = r.sessionStatus;
    t.lastCheckedAt = r.lastCheckedAt;
    return t;
}

ExportCoordinator::ExportCoordinator(ExportStore *store, Clients clients, ExportTracker *tracker, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clients(std::move(clients))
    , m_tracker(tracker)
{
    if (!m_tracker) {
        auto lookup = m_clients.gameLift;
        m_tracker = new ExportTracker([lookup](const QString &profile, const QString &region) {
            QString ignored;
            return lookup ? lookup(profile, region, &ignored) : nullptr;
        });
    }
    m_tracker->setParent(this);
    connect(m_tracker, &ExportTracker::exportChanged, this, &ExportCoordinator::onTrackerChanged);
    connect(m_tracker, &ExportTracker::exportFinished, this, &ExportCoordinator::onTrackerFinished);
    connect(m_tracker, &ExportTracker::checkFailed, this,
            [this](const QString &profile, const QString &region, const QString &, const aws::AwsError &error) {
                Q_EMIT trackingProblem(profile, region, error.message.isEmpty() ? error.toString() : error.message);
            });
}

ExportCoordinator::~ExportCoordinator()
{
    for (const QPointer<s3::DownloadJob> &job : std::as_const(m_downloads)) {
        if (job) {
            job->disconnect(this); // stays RUNNING in the store: resume() fetches it again next time
            job->cancel();         // its .part file goes
        }
    }
}

void ExportCoordinator::fail(const QString &operation, const QString &message)
{
    aws::AwsError e;
    e.kind = aws::AwsError::Kind::Client;
    e.type = QStringLiteral("ExportStore");
    e.operation = operation;
    e.message = message;
    Q_EMIT callFailed(e);
}

qint64 ExportCoordinator::requestExport(const QString &profile, const QString &region,
                                        const gamelift::StreamSessionSummary &session, const QString &outputUri,
                                        bool endSessionAfterRequest)
{
    ExportRecord r;
    r.profile = profile;
    r.region = region;
    r.streamGroupId = session.streamGroupIdFromArn();
    r.sessionArn = session.arn;
    r.sessionId = session.idFromArn();
    r.requestedUri = outputUri;
    r.source = ExportSource::App;
    r.requestedAt = QDateTime::currentDateTimeUtc();
    r.sessionStatus = session.status;
    // Written before anything is sent: a crash from here on loses nothing.
    const std::optional<qint64> stored = m_store->beginRequest(r);
    if (!stored) {
        fail(tr("Recording the export of %1").arg(r.sessionId), m_store->lastError());
        return 0;
    }
    const qint64 id = *stored;
    r.id = id;
    Q_EMIT recordChanged(id);

    QString why;
    gamelift::GameLiftClient *client = m_clients.gameLift ? m_clients.gameLift(profile, region, &why) : nullptr;
    if (!client) {
        m_store->markRequested(id, why);
        Q_EMIT recordChanged(id);
        fail(tr("ExportStreamSessionFiles for %1").arg(r.sessionId), why);
        return id;
    }
    auto *job = client->exportStreamSessionFiles(r.streamGroupId, r.sessionId, outputUri);
    connect(job, &gamelift::ApiJob::failed, this, [this, id](const aws::AwsError &error) {
        const QString why = error.message.isEmpty() ? error.toString() : error.message;
        if (requestMayHaveArrived(error)) {
            // The answer was lost, maybe not the request: UNKNOWN, and the service says which.
            m_store->markAnswerLost(id, why);
            Q_EMIT recordChanged(id);
            Q_EMIT callFailed(error);
            if (const std::optional<ExportRecord> now = m_store->find(id); now && now->status == ExportStatus::Unknown)
                settleUnknown(*now);
            return;
        }
        m_store->markRequested(id, why);
        Q_EMIT recordChanged(id);
        Q_EMIT callFailed(error);
        Q_EMIT exportFinished(id);
    });
    connect(job, &gamelift::ExportStreamSessionFilesJob::succeeded, this,
            [this, id, r, client = QPointer<gamelift::GameLiftClient>(client), endSessionAfterRequest] {
                m_store->markRequested(id);
                Q_EMIT recordChanged(id);
                ExportRecord pending = r;
                pending.status = ExportStatus::Pending;
                if (endSessionAfterRequest && client) {
                    auto *end = client->terminateStreamSession(r.streamGroupId, r.sessionId);
                    connect(end, &gamelift::ApiJob::failed, this, &ExportCoordinator::callFailed);
                    connect(end, &gamelift::TerminateStreamSessionJob::succeeded, this, [this, id] {
                        m_store->update(id, {.sessionStatus = QStringLiteral("TERMINATING")});
                        if (std::optional<ExportRecord> now = m_store->find(id))
                            track(*now);
                        Q_EMIT recordChanged(id);
                    });
                    end->start();
                }
                track(pending);
            });
    job->start();
    return id;
}

qint64 ExportCoordinator::retry(qint64 id)
{
    const std::optional<ExportRecord> r = m_store->find(id);
    if (!r || (r->status != ExportStatus::Failed && r->status != ExportStatus::Unknown))
        return 0;
    gamelift::StreamSessionSummary s;
    s.arn = r->sessionArn;
    s.status = r->sessionStatus;
    return requestExport(r->profile, r->region, s, r->requestedUri, false);
}

void ExportCoordinator::track(const ExportRecord &record)
{
    if (record.status == ExportStatus::Pending)
        m_tracker->add(trackedFrom(record));
}

void ExportCoordinator::resume()
{
    m_store->recoverInterrupted();
    bool ok = false;
    const QList<ExportRecord> open = m_store->pending(&ok);
    if (!ok) {
        fail(tr("Reading the export history"), m_store->lastError());
        return;
    }
    for (const ExportRecord &r : open) {
        if (r.status == ExportStatus::Unknown)
            settleUnknown(r);
        else
            track(r);
    }
    // Archives that landed while nobody watched, or whose download was cut.
    const QList<ExportRecord> done = m_store->list({.statuses = {ExportStatus::Succeeded}}, &ok);
    if (!ok) {
        fail(tr("Reading the export history"), m_store->lastError());
        return;
    }
    for (const ExportRecord &r : done) {
        if (r.outputUri.isEmpty())
            fetchOutputUri(r);
        else if (r.downloadState != DownloadState::Done) // not yet, cut off, or failed last time: once per start
            maybeDownload(r.id);
    }
}

void ExportCoordinator::settleUnknown(const ExportRecord &record)
{
    QString why;
    gamelift::GameLiftClient *client
        = m_clients.gameLift ? m_clients.gameLift(record.profile, record.region, &why) : nullptr;
    if (!client)
        return; // stays UNKNOWN until that profile can be reached
    const qint64 id = record.id;
    auto *job = client->getStreamSession(record.streamGroupId, record.sessionId);
    connect(job, &gamelift::ApiJob::failed, this, [this, id, record](const aws::AwsError &error) {
        Q_EMIT trackingProblem(record.profile, record.region, error.message);
        // Asked again while this process runs, not only at the next start.
        QTimer::singleShot(kSettleRetryMs, this, [this, id] {
            if (const std::optional<ExportRecord> now = m_store->find(id); now && now->status == ExportStatus::Unknown)
                settleUnknown(*now);
        });
    });
    connect(job, &gamelift::GetStreamSessionJob::succeeded, this,
            [this, id, record](const gamelift::StreamSession &session) {
                const Reconcile decision = decide(record, session);
                ExportUpdate u;
                u.sessionStatus = session.status;
                u.lastCheckedAt = QDateTime::currentDateTimeUtc();
                switch (decision.action) {
                case Reconcile::Action::MarkPending:
                    u.status = ExportStatus::Pending;
                    break;
                case Reconcile::Action::MarkSucceeded:
                    u.status = ExportStatus::Succeeded;
                    u.outputUri = decision.outputUri;
                    u.finishedAt = QDateTime::currentDateTimeUtc();
                    break;
                case Reconcile::Action::MarkFailed:
                case Reconcile::Action::RequestWasLost:
                    // A lost request is FAILED with the reason: the user may retry, we never do on our own.
                    u.status = ExportStatus::Failed;
                    u.statusReason = decision.reason;
                    u.finishedAt = QDateTime::currentDateTimeUtc();
                    break;
                }
                m_store->update(id, u);
                Q_EMIT recordChanged(id);
                if (const std::optional<ExportRecord> now = m_store->find(id)) {
                    track(*now);
                    if (now->isFinished()) {
                        Q_EMIT exportFinished(id);
                        maybeDownload(id);
                    }
                }
            });
    job->start();
}

void ExportCoordinator::fetchOutputUri(const ExportRecord &record, int attempt)
{
    QString why;
    gamelift::GameLiftClient *client
        = m_clients.gameLift ? m_clients.gameLift(record.profile, record.region, &why) : nullptr;
    if (!client)
        return;
    const qint64 id = record.id;
    ++m_lookups;
    auto *job = client->getStreamSession(record.streamGroupId, record.sessionId);
    connect(job, &gamelift::ApiJob::failed, this, [this, id, record, attempt](const aws::AwsError &error) {
        Q_EMIT trackingProblem(record.profile, record.region, error.message);
        if (attempt >= kOutputUriAttempts) {
            --m_lookups;
            Q_EMIT recordChanged(id); // nothing more to wait for
            return;
        }
        QTimer::singleShot(kSettleRetryMs, this, [this, record, attempt] {
            --m_lookups;
            fetchOutputUri(record, attempt + 1);
        });
    });
    connect(job, &gamelift::GetStreamSessionJob::succeeded, this,
            [this, id, record](const gamelift::StreamSession &session) {
                --m_lookups;
                Q_EMIT recordChanged(id);
                const auto &m = session.exportFilesMetadata;
                if (!m || m->status != QLatin1String("SUCCEEDED") || m->outputUri.isEmpty())
                    return;
                // Another export of the session (elsewhere, to another place) is not this row's.
                if (!record.requestedUri.isEmpty() && !outputUriMatches(record.requestedUri, m->outputUri))
                    return;
                m_store->update(id, {.outputUri = m->outputUri, .sessionStatus = session.status});
                Q_EMIT recordChanged(id);
                maybeDownload(id);
            });
    job->start();
}

void ExportCoordinator::discoverElsewhere(const QString &profile, const QString &region)
{
    QString why;
    gamelift::GameLiftClient *client = m_clients.gameLift ? m_clients.gameLift(profile, region, &why) : nullptr;
    if (!client)
        return;
    for (const QString &status : {QStringLiteral("PENDING"), QStringLiteral("SUCCEEDED"), QStringLiteral("FAILED")}) {
        gamelift::ListStreamSessionsRequest request;
        request.exportFilesStatus = status;
        auto *job = client->listStreamSessions(request);
        connect(job, &gamelift::ApiJob::failed, this, [this, profile, region](const aws::AwsError &error) {
            Q_EMIT trackingProblem(profile, region, error.message);
        });
        connect(job, &gamelift::ListStreamSessionsJob::page, this,
                [this, profile, region](const QList<gamelift::StreamSessionSummary> &sessions) {
                    for (const gamelift::StreamSessionSummary &s : sessions) {
                        if (!s.exportFilesMetadata)
                            continue;
                        ExportRecord r;
                        r.profile = profile;
                        r.region = region;
                        r.streamGroupId = s.streamGroupIdFromArn();
                        r.sessionArn = s.arn;
                        r.sessionId = s.idFromArn();
                        r.source = ExportSource::Elsewhere;
                        r.sessionStatus = s.status;
                        r.requestedAt = s.lastUpdatedAt;
                        r.status = statusFromName(s.exportFilesMetadata->status).value_or(ExportStatus::Pending);
                        r.lastCheckedAt = QDateTime::currentDateTimeUtc();
                        const std::optional<qint64> id = m_store->recordElsewhere(r);
                        if (!id)
                            continue;
                        Q_EMIT recordChanged(*id);
                        if (const std::optional<ExportRecord> now = m_store->find(*id)) {
                            if (now->status == ExportStatus::Pending)
                                track(*now);
                            else if (now->status == ExportStatus::Succeeded && now->outputUri.isEmpty()
                                     && !m_tracker->contains(trackerId(now->id)))
                                fetchOutputUri(*now);
                        }
                    }
                });
        job->start();
    }
}

void ExportCoordinator::noteSessionStatus(const QString &sessionArn, const QString &status)
{
    if (!TrackedExport::isEndedSessionStatus(status))
        return;
    const QList<TrackedExport> followed = m_tracker->exports();
    for (TrackedExport t : followed) {
        if (t.session != sessionArn || t.sessionEnded())
            continue;
        t.sessionStatus = status;
        m_tracker->update(t); // an ended session brings its group's next look forward
        m_store->update(t.id.toLongLong(), {.sessionStatus = status});
        Q_EMIT recordChanged(t.id.toLongLong());
    }
}

void ExportCoordinator::onTrackerChanged(const TrackedExport &t)
{
    Q_EMIT trackingProblem(t.profile, t.region, QString()); // a look succeeded
    const qint64 id = t.id.toLongLong();
    ExportUpdate u;
    u.sessionStatus = t.sessionStatus;
    u.lastCheckedAt = t.lastCheckedAt;
    m_store->update(id, u);
    Q_EMIT recordChanged(id);
}

void ExportCoordinator::onTrackerFinished(const QString &trackedId, const TrackedExport &t)
{
    const qint64 id = trackedId.toLongLong();
    ExportUpdate u;
    u.status = t.status == QLatin1String("SUCCEEDED") ? ExportStatus::Succeeded : ExportStatus::Failed;
    u.statusReason = t.statusReason;
    u.outputUri = t.outputUri;
    u.sessionStatus = t.sessionStatus;
    u.lastCheckedAt = t.lastCheckedAt;
    u.finishedAt = QDateTime::currentDateTimeUtc();
    m_store->update(id, u);
    Q_EMIT recordChanged(id);
    Q_EMIT exportFinished(id);
    maybeDownload(id);
}

void ExportCoordinator::maybeDownload(qint64 id)
{
    const std::optional<ExportRecord> r = m_store->find(id);
    if (!r || r->status != ExportStatus::Succeeded || !m_downloadFolder)
        return;
    const QString folder = m_downloadFolder(r->profile);
    if (folder.isEmpty())
        return; // auto-download is off for this profile
    QString why;
    if (!download(id, folder, &why) && !why.isEmpty())
        fail(tr("Downloading the archive of %1").arg(r->sessionId), why);
}

void ExportCoordinator::share(qint64 id, qint64 seconds)
{
    const std::optional<ExportRecord> r = m_store->find(id);
    QString why;
    s3::S3Uri uri;
    if (!r || r->status != ExportStatus::Succeeded || r->outputUri.isEmpty()) {
        fail(tr("Sharing an archive"), tr("Only a SUCCEEDED export's archive can be shared."));
        return;
    }
    if (!s3::parseS3Uri(r->outputUri, &uri, &why, tr("the archive's S3 URI"))) {
        fail(tr("Sharing the archive of %1").arg(r->sessionId), why);
        return;
    }
    s3::S3Client *client = m_clients.s3 ? m_clients.s3(r->profile, r->region, &why) : nullptr;
    if (!client) {
        fail(tr("Sharing the archive of %1").arg(r->sessionId), why);
        return;
    }
    s3::PresignJob *job = client->presignGetObject(uri.bucket, uri.key, seconds, this);
    connect(job, &s3::S3Job::failed, this, &ExportCoordinator::callFailed);
    connect(job, &s3::PresignJob::succeeded, this,
            [this, id](const QString &url, const QDateTime &expiresAt) { Q_EMIT shareReady(id, url, expiresAt); });
    job->start();
}

bool ExportCoordinator::download(qint64 id, const QString &folder, QString *error)
{
    if (m_downloads.value(id))
        return true; // already on its way
    const std::optional<ExportRecord> r = m_store->find(id);
    if (!r || r->status != ExportStatus::Succeeded || r->outputUri.isEmpty()) {
        *error = tr("Only a SUCCEEDED export with an S3 URI can be downloaded.");
        return false;
    }
    s3::S3Uri uri;
    if (!s3::parseS3Uri(r->outputUri, &uri, error, tr("the archive's S3 URI")))
        return false;
    s3::S3Client *client = m_clients.s3 ? m_clients.s3(r->profile, r->region, error) : nullptr;
    if (!client)
        return false;
    if (!QDir().mkpath(folder)) {
        *error = tr("The download folder %1 cannot be created.").arg(folder);
        return false;
    }
    const QString destination = QDir(folder).filePath(archiveFileName(r->outputUri));
    const QFileInfo existing(destination);
    if (existing.exists() && !existing.isFile()) {
        *error = tr("%1 is in the way: it is not a file, so the archive cannot be saved under that name.")
                     .arg(destination);
        return false;
    }
    if (existing.isFile()) {
        // Already here (an earlier run, or the CLI): record it rather than fetch it again.
        if (r->downloadState != DownloadState::Done) {
            m_store->update(id, {.downloadPath = destination,
                                 .downloadSha256 = s3::StreamDigest::sha256OfFile(destination),
                                 .downloadedBytes = QFileInfo(destination).size(),
                                 .downloadState = DownloadState::Done,
                                 .downloadError = QString()});
            Q_EMIT recordChanged(id);
        }
        return true;
    }
    s3::DownloadRequest request;
    request.bucket = uri.bucket;
    request.key = uri.key;
    request.destination = destination;
    request.sha256 = true; // computed as the bytes arrive: the file is not read again for it
    s3::DownloadJob *job = client->download(request, this);
    m_downloads.insert(id, job);
    m_store->update(id, {.downloadPath = destination,
                         .downloadedBytes = 0,
                         .downloadState = DownloadState::Running,
                         .downloadError = QString()});
    Q_EMIT recordChanged(id);
    connect(job, &s3::DownloadJob::progress, this, [this, id](qint64 bytes, qint64 total) {
        Q_EMIT downloadProgress(id, bytes, total);
    });
    connect(job, &s3::DownloadJob::succeeded, this, [this, id, job](const QString &path, const s3::ObjectInfo &) {
        m_downloads.remove(id);
        m_store->update(id, {.downloadPath = path,
                             .downloadSha256 = job->sha256Hex(),
                             .downloadedBytes = QFileInfo(path).size(),
                             .downloadState = DownloadState::Done});
        Q_EMIT recordChanged(id);
        Q_EMIT downloadFinished(id, true);
    });
    connect(job, &s3::S3Job::failed, this, [this, id, folder](const aws::AwsError &e) {
        m_downloads.remove(id);
        if (retryDownloadLater(id, folder, e))
            return;
        m_store->update(id, {.downloadState = DownloadState::Failed, .downloadError = e.message});
        Q_EMIT recordChanged(id);
        Q_EMIT downloadFinished(id, false);
        if (e.kind != aws::AwsError::Kind::Cancelled)
            Q_EMIT callFailed(e);
    });
    job->start();
    return true;
}

bool ExportCoordinator::retryDownloadLater(qint64 id, const QString &folder, const aws::AwsError &error)
{
    const int used = m_downloadRetries.value(id);
    using Class = aws::RetryPolicy::Class;
    const Class c = aws::RetryPolicy::classify(error);
    // Only what passes by itself: not a refused signature (the transport has already
    // corrected its clock once), not a local file or a permission problem.
    if (error.kind == aws::AwsError::Kind::Cancelled || used >= int(std::size(kDownloadRetryMs))
        || (c != Class::Transient && c != Class::Throttling && c != Class::Timeout))
        return false;
    const int delayMs = kDownloadRetryMs[used];
    m_downloadRetries.insert(id, used + 1);
    m_retriesDue.insert(id);
    m_store->update(id,
        {.downloadState = DownloadState::Failed,
            .downloadError = tr("%1 (trying again in %2 s)").arg(error.message, QString::number(delayMs / 1000))});
    Q_EMIT recordChanged(id);
    QTimer::singleShot(delayMs, this, [this, id, folder] {
        m_retriesDue.remove(id);
        const std::optional<ExportRecord> r = m_store->find(id);
        // Removed, downloaded or started by hand meanwhile: nothing left to do.
        if (!r || r->downloadState == DownloadState::Done || m_downloads.value(id)) {
            Q_EMIT recordChanged(id);
            return;
        }
        QString why;
        if (!download(id, folder, &why) && !why.isEmpty()) {
            Q_EMIT recordChanged(id);
            fail(tr("Downloading the archive of %1").arg(r->sessionId), why);
        }
    });
    return true;
}

} // namespace gls::exports
