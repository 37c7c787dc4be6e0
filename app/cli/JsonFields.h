#pragma once

// The --json documents' objects, with stable field names (README.md,
// "gls-exporter-cli", lists them). Every field is always present: an absent
// value is null. Timestamps are ISO 8601 in UTC ("2025-05-01T12:34:56Z").
// The model's sensitive members (SignalRequest, SignalResponse, RoleArn) are
// never written.

#include <QJsonObject>
#include <QJsonValue>

class QDateTime;

namespace gls::gamelift {
struct StreamGroupSummary;
struct StreamSessionSummary;
struct StreamSession;
struct ExportFilesMetadata;
} // namespace gls::gamelift

namespace gls::s3 {
struct ObjectInfo;
}

namespace gls::cli {
class JsonStream;
}

namespace gls::cli::json {

// The string, or null when empty.
QJsonValue text(const QString &value);
// ISO 8601 UTC, or null when invalid.
QJsonValue time(const QDateTime &value);
// ISO 8601 UTC as time() writes it ("2025-05-01T12:34:56Z"), or empty when invalid.
QString isoTime(const QDateTime &value);

// id, arn, description, status, streamClass, defaultApplication {id, arn},
// createdAt, lastUpdatedAt, expiresAt
QJsonObject streamGroup(const gamelift::StreamGroupSummary &group);
// status, statusReason, outputUri
QJsonObject exportFiles(const gamelift::ExportFilesMetadata &metadata);
// id, arn, streamGroupId, status, statusReason, userId, location, protocol,
// applicationArn, createdAt, lastUpdatedAt, export {status, statusReason, outputUri}
QJsonObject streamSessionSummary(const gamelift::StreamSessionSummary &session);
// The same object written straight to a stream (no QJsonObject built): the
// same bytes as streamSessionSummary(session) in an indented document.
void writeStreamSessionSummary(JsonStream *out, const gamelift::StreamSessionSummary &session);
// The summary's fields plus description, connectionTimeoutSeconds,
// sessionLengthSeconds, additionalLaunchArgs, additionalEnvironmentVariables,
// performanceStatsConfiguration {sharedWithClient}, logFileLocationUri,
// webSdkProtocolUrl, displayConfiguration {resolution {width, height}}
QJsonObject streamSession(const gamelift::StreamSession &session);
// uri, bucket, key, path, bytes, etag, lastModified
QJsonObject downloadedFile(const QString &bucket, const QString &key, const QString &path, const s3::ObjectInfo &info);

} // namespace gls::cli::json
