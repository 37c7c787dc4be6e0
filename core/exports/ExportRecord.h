#pragma once

// One export as the export store keeps it (ExportStore.h): requested by this
// app or found on the service, from the moment before its request is sent to
// the downloaded archive. A value type; times are UTC (invalid when unknown).

#include <QDateTime>
#include <QString>
#include <QUuid>

#include <optional>

namespace gls::exports {

enum class ExportStatus {
    Requesting, // written (committed) before ExportStreamSessionFiles is sent
    Pending,    // the service accepted the request; the ZIP comes when the session ends
    Succeeded,
    Failed,
    Unknown, // a crash left a Requesting row; the service's answer is not known yet
};

enum class ExportSource {
    App,       // requested by this app (desktop or CLI)
    Elsewhere, // found with ListStreamSessions: requested by the console or the AWS CLI
};

enum class DownloadState { None, Running, Done, Failed };

// The names stored in the database and shown to users ("REQUESTING", "APP", "DONE", ...).
QString statusName(ExportStatus status);
QString sourceName(ExportSource source);
QString downloadStateName(DownloadState state);
std::optional<ExportStatus> statusFromName(const QString &name);
std::optional<ExportSource> sourceFromName(const QString &name);
std::optional<DownloadState> downloadStateFromName(const QString &name);

struct ExportRecord {
    qint64 id = 0; // 0 until stored
    QString profile;
    QString region;
    QString streamGroupId;
    QString sessionArn;
    QString sessionId;
    QString requestedUri; // the OutputUri sent (may end with "/")
    QString outputUri;    // the final OutputUri the service reported, once known
    ExportStatus status = ExportStatus::Requesting;
    QString statusReason;
    ExportSource source = ExportSource::App;
    QDateTime requestedAt;
    QDateTime finishedAt;
    QDateTime lastCheckedAt;
    QString sessionStatus; // the stream session's status last seen (ACTIVE, TERMINATED, ...)
    QString downloadPath;
    QString downloadSha256; // lowercase hex
    qint64 downloadedBytes = 0;
    DownloadState downloadState = DownloadState::None;
    QString downloadError;
    QUuid attemptKey; // made when the row is created, so a retry after a crash can tell its own request

    // SUCCEEDED or FAILED: nothing more will happen on the service.
    bool isFinished() const { return status == ExportStatus::Succeeded || status == ExportStatus::Failed; }

    friend bool operator==(const ExportRecord &, const ExportRecord &) = default;
};

// True when the service's OutputUri is where a request for requestedUri
// writes: the same key for a ".zip" URI, a key under the prefix for one that
// ends with "/".
bool outputUriMatches(const QString &requestedUri, const QString &serviceOutputUri);

} // namespace gls::exports
