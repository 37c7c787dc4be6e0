#include "JsonFields.h"

#include "gamelift/StreamGroup.h"
#include "gamelift/StreamSession.h"
#include "s3/ObjectInfo.h"

#include <QJsonArray>

namespace gls::cli::json {

QJsonValue text(const QString &value)
{
    return value.isEmpty() ? QJsonValue() : QJsonValue(value);
}

QJsonValue time(const QDateTime &value)
{
    return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODate)) : QJsonValue();
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
    };
}

} // namespace gls::cli::json
