#pragma once

// The --json documents' objects, with stable field names (README.md,
// "gls-exporter-cli", lists them). Every field is always present: an absent
// value is null. Timestamps are ISO 8601 in UTC ("2025-05-01T12:34:56Z").
// The model's sensitive members (SignalRequest, SignalResponse, RoleArn) are
// never written.

#include "ByteArena.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>

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
// The order `sessions` lists in, as a table or as JSON: newest first, the same
// time by ARN. listingTimeKey() is a creation time as a number that keeps
// QDateTime's order (an invalid time before every valid one), so an invalid
// time comes last.
qint64 listingTimeKey(const QDateTime &createdAt);
inline bool listedBefore(qint64 aTimeKey, const QString &aArn, qint64 bTimeKey, const QString &bArn)
{
    return aTimeKey != bTimeKey ? aTimeKey > bTimeKey : aArn < bArn;
}

// `sessions --json`'s document, {"count": N, "streamSessions": [...]} with the
// sessions in listedBefore() order, built while the listing runs.
// add() writes a page's sessions as the page arrives, while the next pages are
// on their way; write() sorts what was written and puts the document together,
// byte for byte what QJsonDocument would write. Writing 10,000 sessions at the
// end was 15-20% of the listing's time.
class SessionListDocument {
public:
    void add(const QList<gamelift::StreamSessionSummary> &page);
    void clear();
    qsizetype count() const { return m_entries.size(); }
    // The document, in chunks (each the sink's to copy: it is reused).
    void write(const std::function<void(const QByteArray &)> &sink) const;

private:
    struct Entry {
        qint64 createdAt; // listingTimeKey()
        QString arn;
        QByteArrayView bytes; // in m_written
    };
    QByteArray m_page;      // the page being written (its capacity reused page after page)
    ByteArena m_written;    // every page's sessions, written
    QList<Entry> m_entries; // in the order added
};

// The summary's fields plus description, connectionTimeoutSeconds,
// sessionLengthSeconds, additionalLaunchArgs, additionalEnvironmentVariables,
// performanceStatsConfiguration {sharedWithClient}, logFileLocationUri,
// webSdkProtocolUrl, displayConfiguration {resolution {width, height}}
QJsonObject streamSession(const gamelift::StreamSession &session);
// uri, bucket, key, path, bytes, etag, lastModified
QJsonObject downloadedFile(const QString &bucket, const QString &key, const QString &path, const s3::ObjectInfo &info);

} // namespace gls::cli::json
