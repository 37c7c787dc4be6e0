#pragma once

// The export flow both front ends share, from the request to the archive on
// disk, with the export store as its memory:
// - requestExport(): the row is written (REQUESTING) before the request is
//   sent, then PENDING or FAILED; the session is ended when asked; then the
//   ExportTracker follows it.
// - resume(): at start, rows a crash left REQUESTING become UNKNOWN and are
//   settled from GetStreamSession (never by asking again); every PENDING
//   export of every profile and Region is followed again; a download that
//   was running, or an archive not yet fetched, is fetched.
// - discoverElsewhere(): exports requested outside this app (console, AWS
//   CLI) found with ListStreamSessionsByAccount filtered on ExportFilesStatus,
//   stored as ELSEWHERE and followed like ours.
// - SUCCEEDED archives are downloaded (resumable, never a half file under the
//   final name, SHA-256 recorded) into the profile's download folder, unless
//   the profile has none (auto-download off). A download that fails for a
//   passing reason is tried again by itself, up to 3 times, 10 s to 90 s later.

#include "ExportRecord.h"
#include "TrackedExport.h"

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

namespace gls::gamelift {
class GameLiftClient;
}
namespace gls::s3 {
class DownloadJob;
class S3Client;
} // namespace gls::s3

namespace gls::exports {

class ExportStore;
class ExportTracker;

class ExportCoordinator : public QObject {
    Q_OBJECT
public:
    struct Clients {
        // Null with *error when the profile or Region cannot be reached.
        std::function<gamelift::GameLiftClient *(const QString &profile, const QString &region, QString *error)>
            gameLift;
        std::function<s3::S3Client *(const QString &profile, const QString &region, QString *error)> s3;
    };
    // The folder SUCCEEDED archives of `profile` go to; empty: not downloaded by themselves.
    using DownloadFolder = std::function<QString(const QString &profile)>;

    // `store` must be open and outlive the coordinator. `tracker` is owned
    // (made with defaults when null).
    ExportCoordinator(ExportStore *store, Clients clients, ExportTracker *tracker = nullptr,
                      QObject *parent = nullptr);
    ~ExportCoordinator() override;

    ExportStore *store() const { return m_store; }
    ExportTracker *tracker() const { return m_tracker; }
    void setDownloadFolder(DownloadFolder folder) { m_downloadFolder = std::move(folder); }

    // The store id of the new row, or 0 when it could not even be written (callFailed says why).
    qint64 requestExport(const QString &profile, const QString &region, const gamelift::StreamSessionSummary &session,
                         const QString &outputUri, bool endSessionAfterRequest);
    // Asks again for a FAILED (or lost) export's session, to the same destination (a new row).
    qint64 retry(qint64 id);
    void resume();
    void discoverElsewhere(const QString &profile, const QString &region);
    // A session's status as someone else saw it (the session table's listing): when
    // a followed export's session has ended, its group is looked at soon instead of
    // at the next (slow) round for running sessions.
    void noteSessionStatus(const QString &sessionArn, const QString &status);
    // Downloads a SUCCEEDED archive into `folder` now (replacing nothing).
    bool download(qint64 id, const QString &folder, QString *error);
    // Downloading now, or waiting to try again after a passing failure (throttling,
    // 5xx, the network, a timeout): at most 3 more times, 10 s, 30 s and 90 s after.
    bool isDownloading(qint64 id) const { return m_downloads.contains(id) || m_retriesDue.contains(id); }
    // GetStreamSession calls under way (or due again soon) to complete a SUCCEEDED row's OutputUri.
    int lookupsInFlight() const { return m_lookups; }
    // A presigned HTTPS link to a SUCCEEDED archive, valid `seconds` (1 s to 7
    // days, and never past the credentials' own end): shareReady() or callFailed().
    void share(qint64 id, qint64 seconds);

Q_SIGNALS:
    void recordChanged(qint64 id);
    // SUCCEEDED or FAILED, once per export.
    void exportFinished(qint64 id);
    void downloadProgress(qint64 id, qint64 bytes, qint64 total);
    void downloadFinished(qint64 id, bool ok);
    void shareReady(qint64 id, const QString &url, const QDateTime &expiresAt);
    // A call the user asked for failed (a request, a retry, a download); the
    // export itself carries on, or is FAILED when it was the request.
    void callFailed(const gls::aws::AwsError &error);
    // Following the exports of `profile` in `region` fails (no credentials,
    // offline, throttled): they stay tracked and are looked at again later.
    // An empty message: it works again.
    void trackingProblem(const QString &profile, const QString &region, const QString &message);

private:
    void track(const ExportRecord &record);
    void settleUnknown(const ExportRecord &record);
    // A SUCCEEDED row without its OutputUri (a listing says only the status): GetStreamSession fills it in,
    // then the archive is fetched.
    void fetchOutputUri(const ExportRecord &record, int attempt = 1);
    void onTrackerChanged(const TrackedExport &t);
    void onTrackerFinished(const QString &id, const TrackedExport &t);
    void maybeDownload(qint64 id);
    // True when the failed download of `id` will be tried again by itself (the row says when).
    bool retryDownloadLater(qint64 id, const QString &folder, const aws::AwsError &error);
    void fail(const QString &operation, const QString &message);

    ExportStore *m_store;
    Clients m_clients;
    ExportTracker *m_tracker;
    DownloadFolder m_downloadFolder;
    QHash<qint64, QPointer<s3::DownloadJob>> m_downloads;
    QHash<qint64, int> m_downloadRetries; // automatic tries used, per export, in this process
    QSet<qint64> m_retriesDue;
    int m_lookups = 0;
};

// The file name an archive is saved under: the key's last segment.
QString archiveFileName(const QString &outputUri);
// What the tracker follows for a stored export (its id is the store's, as text).
TrackedExport trackedFrom(const ExportRecord &record);

} // namespace gls::exports
