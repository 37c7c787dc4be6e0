#include "JsonFields.h"

#include "JsonStream.h"

#include "gamelift/StreamGroup.h"
#include "gamelift/StreamSession.h"
#include "s3/ObjectInfo.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace gls::cli::json {

QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue() : QJsonValue(value);
}

QString isoTime(const QDateTime &value)
{
    if (!value.isValid())
        return {};
    const QDateTime utc = value.timeSpec() == Qt::UTC ? value : value.toUTC();
    int year = 0, month = 0, day = 0;
    utc.date().getDate(&year, &month, &day);
    if (year < 1 || year > 9999)
        return utc.toString(Qt::ISODate);
    // What toString(Qt::ISODate) writes for UTC, without its format parser (a
    // listing writes 20,000 of these).
    const QTime t = utc.time();
    char16_t text[20];
    const auto put = [&text](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            text[at + i] = char16_t(u'0' + value % 10);
    };
    put(0, year, 4);
    text[4] = u'-';
    put(5, month, 2);
    text[7] = u'-';
    put(8, day, 2);
    text[10] = u'T';
    put(11, t.hour(), 2);
    text[13] = u':';
    put(14, t.minute(), 2);
    text[16] = u':';
    put(17, t.second(), 2);
    text[19] = u'Z';
    return QString(reinterpret_cast<const QChar *>(text), 20);
}

QJsonValue time(const QDateTime &value)
{
    return value.isValid() ? QJsonValue(isoTime(value)) : QJsonValue();
}

namespace {

template <typename T>
QJsonValue number(const std::optional<T> &value)
{
    return value ? QJsonValue(qint64(*value)) : QJsonValue();
}

} // namespace

QJsonObject streamGroup(const gamelift::StreamGroupSummary &g)
{
    QJsonValue app;
    if (g.defaultApplication)
        app = QJsonObject{{QStringLiteral("id"), text(g.defaultApplication->id)},
            {QStringLiteral("arn"), text(g.defaultApplication->arn)}};
    return {
        {QStringLiteral("id"), text(g.idOrFromArn())},
        {QStringLiteral("arn"), text(g.arn)},
        {QStringLiteral("description"), text(g.description)},
        {QStringLiteral("status"), text(g.status)},
        {QStringLiteral("streamClass"), text(g.streamClass)},
        {QStringLiteral("defaultApplication"), app},
        {QStringLiteral("createdAt"), time(g.createdAt)},
        {QStringLiteral("lastUpdatedAt"), time(g.lastUpdatedAt)},
        {QStringLiteral("expiresAt"), time(g.expiresAt)},
    };
}

QJsonObject exportFiles(const gamelift::ExportFilesMetadata &m)
{
    return {
        {QStringLiteral("status"), text(m.status)},
        {QStringLiteral("statusReason"), text(m.statusReason)},
        {QStringLiteral("outputUri"), text(m.outputUri)},
    };
}

QJsonObject streamSessionSummary(const gamelift::StreamSessionSummary &s)
{
    return {
        {QStringLiteral("id"), text(s.idFromArn())},
        {QStringLiteral("arn"), text(s.arn)},
        {QStringLiteral("streamGroupId"), text(s.streamGroupIdFromArn())},
        {QStringLiteral("status"), text(s.status)},
        {QStringLiteral("statusReason"), text(s.statusReason)},
        {QStringLiteral("userId"), text(s.userId)},
        {QStringLiteral("location"), text(s.location)},
        {QStringLiteral("protocol"), text(s.protocol)},
        {QStringLiteral("applicationArn"), text(s.applicationArn)},
        {QStringLiteral("createdAt"), time(s.createdAt)},
        {QStringLiteral("lastUpdatedAt"), time(s.lastUpdatedAt)},
        {QStringLiteral("export"),
            s.exportFilesMetadata ? QJsonValue(exportFiles(*s.exportFilesMetadata)) : QJsonValue()},
    };
}

void writeStreamSessionSummary(JsonStream *out, const gamelift::StreamSessionSummary &s)
{
    // streamSessionSummary()'s members in QJsonObject's (sorted) order.
    const auto time = [out](const QDateTime &t) {
        if (t.isValid())
            out->value(isoTime(t));
        else
            out->null();
    };
    out->beginObject();
    out->key(QLatin1StringView("applicationArn"));
    out->textOrNull(s.applicationArn);
    out->key(QLatin1StringView("arn"));
    out->textOrNull(s.arn);
    out->key(QLatin1StringView("createdAt"));
    time(s.createdAt);
    out->key(QLatin1StringView("export"));
    if (s.exportFilesMetadata) {
        out->beginObject();
        out->key(QLatin1StringView("outputUri"));
        out->textOrNull(s.exportFilesMetadata->outputUri);
        out->key(QLatin1StringView("status"));
        out->textOrNull(s.exportFilesMetadata->status);
        out->key(QLatin1StringView("statusReason"));
        out->textOrNull(s.exportFilesMetadata->statusReason);
        out->endObject();
    } else {
        out->null();
    }
    out->key(QLatin1StringView("id"));
    out->textOrNull(s.idViewFromArn());
    out->key(QLatin1StringView("lastUpdatedAt"));
    time(s.lastUpdatedAt);
    out->key(QLatin1StringView("location"));
    out->textOrNull(s.location);
    out->key(QLatin1StringView("protocol"));
    out->textOrNull(s.protocol);
    out->key(QLatin1StringView("status"));
    out->textOrNull(s.status);
    out->key(QLatin1StringView("statusReason"));
    out->textOrNull(s.statusReason);
    out->key(QLatin1StringView("streamGroupId"));
    out->textOrNull(s.streamGroupIdViewFromArn());
    out->key(QLatin1StringView("userId"));
    out->textOrNull(s.userId);
    out->endObject();
}

QJsonObject streamSession(const gamelift::StreamSession &s)
{
    QJsonObject o = streamSessionSummary(s);
    if (!s.streamGroupId.isEmpty())
        o.insert(QStringLiteral("streamGroupId"), s.streamGroupId);
    o.insert(QStringLiteral("description"), text(s.description));
    o.insert(QStringLiteral("connectionTimeoutSeconds"), number(s.connectionTimeoutSeconds));
    o.insert(QStringLiteral("sessionLengthSeconds"), number(s.sessionLengthSeconds));
    o.insert(QStringLiteral("additionalLaunchArgs"), QJsonArray::fromStringList(s.additionalLaunchArgs));
    QJsonObject env;
    for (auto it = s.additionalEnvironmentVariables.cbegin(); it != s.additionalEnvironmentVariables.cend(); ++it)
        env.insert(it.key(), it.value());
    o.insert(QStringLiteral("additionalEnvironmentVariables"), env);
    QJsonValue stats;
    if (s.performanceStatsConfiguration) {
        const auto &shared = s.performanceStatsConfiguration->sharedWithClient;
        stats = QJsonObject{{QStringLiteral("sharedWithClient"), shared ? QJsonValue(*shared) : QJsonValue()}};
    }
    o.insert(QStringLiteral("performanceStatsConfiguration"), stats);
    o.insert(QStringLiteral("logFileLocationUri"), text(s.logFileLocationUri));
    o.insert(QStringLiteral("webSdkProtocolUrl"), text(s.webSdkProtocolUrl));
    QJsonValue display;
    if (s.displayConfiguration) {
        QJsonValue resolution;
        if (const auto &r = s.displayConfiguration->resolution)
            resolution = QJsonObject{{QStringLiteral("width"), r->width}, {QStringLiteral("height"), r->height}};
        display = QJsonObject{{QStringLiteral("resolution"), resolution}};
    }
    o.insert(QStringLiteral("displayConfiguration"), display);
    return o;
}

QJsonObject downloadedFile(const QString &bucket, const QString &key, const QString &path, const s3::ObjectInfo &info)
{
    return {
        {QStringLiteral("uri"), QStringLiteral("s3://%1/%2").arg(bucket, key)},
        {QStringLiteral("bucket"), bucket},
        {QStringLiteral("key"), key},
        {QStringLiteral("path"), path},
        {QStringLiteral("bytes"), info.size},
        {QStringLiteral("etag"), text(QString::fromLatin1(info.unquotedEtag()))},
        {QStringLiteral("lastModified"), time(info.lastModified)},
        {QStringLiteral("checkedWith"), s3::ObjectInfo::checkName(info.integrityCheck())},
    };
}

qint64 listingTimeKey(const QDateTime &createdAt)
{
    return createdAt.isValid() ? createdAt.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

void SessionListDocument::add(const QList<gamelift::StreamSessionSummary> &page)
{
    m_page.resize(0);                  // keeps the capacity
    m_page.reserve(page.size() * 768); // a session is about 640 bytes
    // Each session flushed on its own: the sink sees exactly its bytes.
    JsonStream stream([this](const QByteArray &chunk) { m_page.append(chunk); }, JsonStream::ElementsAt{2}, 16 * 1024);
    QList<qsizetype> ends;
    ends.reserve(page.size());
    for (const gamelift::StreamSessionSummary &s : page) {
        writeStreamSessionSummary(&stream, s);
        stream.flush();
        ends.append(m_page.size());
    }
    // The page's bytes copied once into the arena; each entry a view of its part.
    const QByteArrayView kept = m_written.append(m_page);
    qsizetype from = 0;
    for (qsizetype i = 0; i < page.size(); ++i) {
        const gamelift::StreamSessionSummary &s = page.at(i);
        m_entries.append({listingTimeKey(s.createdAt), s.arn, kept.sliced(from, ends.at(i) - from)});
        from = ends.at(i);
    }
}

void SessionListDocument::clear()
{
    m_entries.clear();
    m_written.clear();
}

void SessionListDocument::write(const std::function<void(const QByteArray &)> &sink) const
{
    // Stable, so that the same session twice keeps the order its pages came in.
    QList<const Entry *> order;
    order.reserve(m_entries.size());
    for (const Entry &e : m_entries)
        order.append(&e);
    std::stable_sort(order.begin(), order.end(),
        [](const Entry *a, const Entry *b) { return listedBefore(a->createdAt, a->arn, b->createdAt, b->arn); });
    JsonStream stream(sink);
    stream.beginObject();
    stream.key(QLatin1StringView("count"));
    stream.value(qint64(order.size()));
    stream.key(QLatin1StringView("streamSessions"));
    stream.beginArray();
    for (const Entry *e : std::as_const(order))
        stream.element(e->bytes);
    stream.endArray();
    stream.endObject();
    stream.finish();
}

} // namespace gls::cli::json
