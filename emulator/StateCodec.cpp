#include "StateCodec.h"

#include "JsonBytes.h"

#include <QJsonArray>

namespace gls::emu {

namespace {

// Times as epoch milliseconds (exact), null when unset.
QJsonValue msOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(double(t.toMSecsSinceEpoch())) : QJsonValue();
}

QDateTime fromMs(const QJsonValue &v)
{
    return v.isDouble() ? QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble()), Qt::UTC) : QDateTime();
}

void appendName(QByteArray &out, const char *name)
{
    out += ',';
    out += '"';
    out += name;
    out += "\":";
}

void appendMember(QByteArray &out, const char *name, const QString &value)
{
    appendName(out, name);
    appendJsonString(out, value);
}

void appendMember(QByteArray &out, const char *name, qint64 value)
{
    appendName(out, name);
    out += QByteArray::number(value);
}

// As msOrNull: epoch milliseconds, null when unset.
void appendMember(QByteArray &out, const char *name, const QDateTime &t)
{
    appendName(out, name);
    if (t.isValid())
        out += QByteArray::number(t.toMSecsSinceEpoch());
    else
        out += "null";
}

void appendBool(QByteArray &out, const char *name, bool value)
{
    appendName(out, name);
    out += value ? "true" : "false";
}

} // namespace

QJsonObject encodeGroup(const StreamGroup &g)
{
    QJsonArray locations;
    for (const LocationState &l : g.locations) {
        locations.append(QJsonObject{{QStringLiteral("name"), l.name}, {QStringLiteral("status"), l.status},
                                     {QStringLiteral("alwaysOn"), l.alwaysOn}, {QStringLiteral("targetIdle"), l.targetIdle},
                                     {QStringLiteral("maximum"), l.maximum}, {QStringLiteral("requested"), l.requested},
                                     {QStringLiteral("allocated"), l.allocated}, {QStringLiteral("idle"), l.idle}});
    }
    return QJsonObject{
        {QStringLiteral("id"), g.id}, {QStringLiteral("region"), g.region},
        {QStringLiteral("description"), g.description}, {QStringLiteral("status"), g.status},
        {QStringLiteral("statusReason"), g.statusReason}, {QStringLiteral("streamClass"), g.streamClass},
        {QStringLiteral("defaultApplicationId"), g.defaultApplicationId},
        {QStringLiteral("associatedApplicationIds"), QJsonArray::fromStringList(g.associatedApplicationIds)},
        {QStringLiteral("locations"), locations}, {QStringLiteral("createdAt"), msOrNull(g.createdAt)},
        {QStringLiteral("lastUpdatedAt"), msOrNull(g.lastUpdatedAt)},
        {QStringLiteral("expiresAt"), msOrNull(g.expiresAt)}};
}

StreamGroup decodeGroup(const QJsonObject &o)
{
    StreamGroup g;
    g.id = o.value(QStringLiteral("id")).toString();
    g.region = o.value(QStringLiteral("region")).toString();
    g.description = o.value(QStringLiteral("description")).toString();
    g.status = o.value(QStringLiteral("status")).toString();
    g.statusReason = o.value(QStringLiteral("statusReason")).toString();
    g.streamClass = o.value(QStringLiteral("streamClass")).toString();
    g.defaultApplicationId = o.value(QStringLiteral("defaultApplicationId")).toString();
    for (const QJsonValue &a : o.value(QStringLiteral("associatedApplicationIds")).toArray())
        g.associatedApplicationIds.append(a.toString());
    for (const QJsonValue &lv : o.value(QStringLiteral("locations")).toArray()) {
        const QJsonObject l = lv.toObject();
        g.locations.append(LocationState{l.value(QStringLiteral("name")).toString(),
                                         l.value(QStringLiteral("status")).toString(),
                                         l.value(QStringLiteral("alwaysOn")).toInt(),
                                         l.value(QStringLiteral("targetIdle")).toInt(),
                                         l.value(QStringLiteral("maximum")).toInt(),
                                         l.value(QStringLiteral("requested")).toInt(),
                                         l.value(QStringLiteral("allocated")).toInt(),
                                         l.value(QStringLiteral("idle")).toInt()});
    }
    g.createdAt = fromMs(o.value(QStringLiteral("createdAt")));
    g.lastUpdatedAt = fromMs(o.value(QStringLiteral("lastUpdatedAt")));
    g.expiresAt = fromMs(o.value(QStringLiteral("expiresAt")));
    return g;
}

QJsonObject encodeSession(const StreamSession &s)
{
    QJsonObject env;
    for (auto it = s.environment.cbegin(); it != s.environment.cend(); ++it)
        env.insert(it.key(), it.value());
    QJsonObject o{
        {QStringLiteral("ordinal"), double(s.ordinal)}, {QStringLiteral("id"), s.id},
        {QStringLiteral("groupId"), s.groupId}, {QStringLiteral("region"), s.region},
        {QStringLiteral("description"), s.description}, {QStringLiteral("userId"), s.userId},
        {QStringLiteral("status"), s.status}, {QStringLiteral("statusReason"), s.statusReason},
        {QStringLiteral("location"), s.location}, {QStringLiteral("applicationId"), s.applicationId},
        {QStringLiteral("connectionTimeoutSeconds"), s.connectionTimeoutSeconds},
        {QStringLiteral("sessionLengthSeconds"), s.sessionLengthSeconds},
        {QStringLiteral("launchArgs"), QJsonArray::fromStringList(s.launchArgs)},
        {QStringLiteral("environment"), env}, {QStringLiteral("statsShared"), s.statsSharedWithClient},
        {QStringLiteral("width"), s.width}, {QStringLiteral("height"), s.height},
        {QStringLiteral("createdAt"), msOrNull(s.createdAt)},
        {QStringLiteral("lastUpdatedAt"), msOrNull(s.lastUpdatedAt)},
        {QStringLiteral("endedAt"), msOrNull(s.endedAt)}, {QStringLiteral("nextStatus"), s.nextStatus},
        {QStringLiteral("nextReason"), s.nextReason}, {QStringLiteral("nextAt"), msOrNull(s.nextAt)},
        {QStringLiteral("plannedEndAt"), msOrNull(s.plannedEndAt)},
        {QStringLiteral("plannedEndReason"), s.plannedEndReason},
        // A 64-bit seed does not fit a JSON double: keep it as text.
        {QStringLiteral("seed"), QString::number(s.seed)},
    };
    if (s.exportState) {
        const ExportState &e = *s.exportState;
        o.insert(QStringLiteral("export"),
                 QJsonObject{{QStringLiteral("status"), e.status}, {QStringLiteral("statusReason"), e.statusReason},
                             {QStringLiteral("requestedUri"), e.requestedUri},
                             {QStringLiteral("outputUri"), e.outputUri},
                             {QStringLiteral("requestedAt"), msOrNull(e.requestedAt)},
                             {QStringLiteral("archiveInProgress"), e.archiveInProgress}});
    }
    return o;
}

void appendSessionJson(QByteArray &out, const StreamSession &s)
{
    // Epoch milliseconds and the ordinal are below 2^53: written as integers
    // they read back as the same doubles.
    out += "{\"ordinal\":";
    out += QByteArray::number(s.ordinal);
    appendMember(out, "id", s.id);
    appendMember(out, "groupId", s.groupId);
    appendMember(out, "region", s.region);
    appendMember(out, "description", s.description);
    appendMember(out, "userId", s.userId);
    appendMember(out, "status", s.status);
    appendMember(out, "statusReason", s.statusReason);
    appendMember(out, "location", s.location);
    appendMember(out, "applicationId", s.applicationId);
    appendMember(out, "connectionTimeoutSeconds", s.connectionTimeoutSeconds);
    appendMember(out, "sessionLengthSeconds", s.sessionLengthSeconds);
    appendName(out, "launchArgs");
    out += '[';
    for (qsizetype i = 0; i < s.launchArgs.size(); ++i) {
        if (i)
            out += ',';
        appendJsonString(out, s.launchArgs.at(i));
    }
    out += ']';
    appendName(out, "environment");
    out += '{';
    for (auto it = s.environment.cbegin(); it != s.environment.cend(); ++it) {
        if (it != s.environment.cbegin())
            out += ',';
        appendJsonString(out, it.key());
        out += ':';
        appendJsonString(out, it.value());
    }
    out += '}';
    appendBool(out, "statsShared", s.statsSharedWithClient);
    appendMember(out, "width", s.width);
    appendMember(out, "height", s.height);
    appendMember(out, "createdAt", s.createdAt);
    appendMember(out, "lastUpdatedAt", s.lastUpdatedAt);
    appendMember(out, "endedAt", s.endedAt);
    appendMember(out, "nextStatus", s.nextStatus);
    appendMember(out, "nextReason", s.nextReason);
    appendMember(out, "nextAt", s.nextAt);
    appendMember(out, "plannedEndAt", s.plannedEndAt);
    appendMember(out, "plannedEndReason", s.plannedEndReason);
    appendName(out, "seed");
    out += '"';
    out += QByteArray::number(s.seed);
    out += '"';
    if (s.exportState) {
        const ExportState &e = *s.exportState;
        out += ",\"export\":{\"status\":";
        appendJsonString(out, e.status);
        appendMember(out, "statusReason", e.statusReason);
        appendMember(out, "requestedUri", e.requestedUri);
        appendMember(out, "outputUri", e.outputUri);
        appendMember(out, "requestedAt", e.requestedAt);
        appendBool(out, "archiveInProgress", e.archiveInProgress);
        out += '}';
    }
    out += '}';
}

StreamSession decodeSession(const QJsonObject &o)
{
    StreamSession s;
    s.ordinal = quint64(o.value(QStringLiteral("ordinal")).toDouble());
    s.id = o.value(QStringLiteral("id")).toString();
    s.groupId = o.value(QStringLiteral("groupId")).toString();
    s.region = o.value(QStringLiteral("region")).toString();
    s.description = o.value(QStringLiteral("description")).toString();
    s.userId = o.value(QStringLiteral("userId")).toString();
    s.status = o.value(QStringLiteral("status")).toString();
    s.statusReason = o.value(QStringLiteral("statusReason")).toString();
    s.location = o.value(QStringLiteral("location")).toString();
    s.applicationId = o.value(QStringLiteral("applicationId")).toString();
    s.connectionTimeoutSeconds = o.value(QStringLiteral("connectionTimeoutSeconds")).toInt();
    s.sessionLengthSeconds = o.value(QStringLiteral("sessionLengthSeconds")).toInt();
    for (const QJsonValue &a : o.value(QStringLiteral("launchArgs")).toArray())
        s.launchArgs.append(a.toString());
    const QJsonObject env = o.value(QStringLiteral("environment")).toObject();
    for (auto it = env.begin(); it != env.end(); ++it)
        s.environment.insert(it.key(), it.value().toString());
    s.statsSharedWithClient = o.value(QStringLiteral("statsShared")).toBool();
    s.width = o.value(QStringLiteral("width")).toInt(1920);
    s.height = o.value(QStringLiteral("height")).toInt(1080);
    s.createdAt = fromMs(o.value(QStringLiteral("createdAt")));
    s.lastUpdatedAt = fromMs(o.value(QStringLiteral("lastUpdatedAt")));
    s.endedAt = fromMs(o.value(QStringLiteral("endedAt")));
    s.nextStatus = o.value(QStringLiteral("nextStatus")).toString();
    s.nextReason = o.value(QStringLiteral("nextReason")).toString();
    s.nextAt = fromMs(o.value(QStringLiteral("nextAt")));
    s.plannedEndAt = fromMs(o.value(QStringLiteral("plannedEndAt")));
    s.plannedEndReason = o.value(QStringLiteral("plannedEndReason")).toString();
    s.seed = o.value(QStringLiteral("seed")).toString().toULongLong();
    if (o.contains(QStringLiteral("export"))) {
        const QJsonObject e = o.value(QStringLiteral("export")).toObject();
        s.exportState = ExportState{e.value(QStringLiteral("status")).toString(),
                                     e.value(QStringLiteral("statusReason")).toString(),
                                     e.value(QStringLiteral("requestedUri")).toString(),
                                     e.value(QStringLiteral("outputUri")).toString(),
                                     fromMs(e.value(QStringLiteral("requestedAt"))),
                                     e.value(QStringLiteral("archiveInProgress")).toBool()};
    }
    return s;
}

} // namespace gls::emu
