#include "SessionJson.h"

#include "EmulatorState.h"
#include "JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace gls::emu {

namespace {

void appendMember(QByteArray &out, const char *name, const QString &value)
{
    out += name;
    appendJsonString(out, value);
}

// Epoch seconds, as QJsonValue(double) is written.
void appendTime(QByteArray &out, const char *name, const QDateTime &t)
{
    out += name;
    out += QByteArray::number(double(t.toMSecsSinceEpoch()) / 1000.0, 'g', QLocale::FloatingPointShortest);
}

QByteArray writeSummary(const EmulatorState &state, const StreamSession &s)
{
    // Members in QJsonObject's order (sorted keys); absent ones left out as
    // sessionSummaryObject leaves them out.
    QByteArray out;
    out.reserve(640);
    appendMember(out, "{\"ApplicationArn\":", state.applicationArn(s.region, s.applicationId));
    appendMember(out, ",\"Arn\":", state.sessionArn(s));
    if (s.createdAt.isValid())
        appendTime(out, ",\"CreatedAt\":", s.createdAt);
    if (s.exportState) {
        appendMember(out, ",\"ExportFilesMetadata\":{\"Status\":", s.exportState->status);
        out += '}';
    }
    if (s.lastUpdatedAt.isValid())
        appendTime(out, ",\"LastUpdatedAt\":", s.lastUpdatedAt);
    if (!s.location.isEmpty())
        appendMember(out, ",\"Location\":", s.location);
    out += ",\"Protocol\":\"WebRTC\"";
    appendMember(out, ",\"Status\":", s.status);
    if (!s.statusReason.isEmpty())
        appendMember(out, ",\"StatusReason\":", s.statusReason);
    if (!s.userId.isEmpty())
        appendMember(out, ",\"UserId\":", s.userId);
    out += '}';
    return out;
}

void putIf(QJsonObject &o, const QString &name, const QString &value)
{
    if (!value.isEmpty())
        o.insert(name, value);
}

void putTime(QJsonObject &o, const QString &name, const QDateTime &t)
{
    if (t.isValid())
        o.insert(name, double(t.toMSecsSinceEpoch()) / 1000.0);
}

} // namespace

QJsonObject sessionSummaryObject(const EmulatorState &state, const StreamSession &s)
{
    QJsonObject o{{QStringLiteral("Arn"), state.sessionArn(s)}};
    putIf(o, QStringLiteral("UserId"), s.userId);
    o.insert(QStringLiteral("Status"), s.status);
    putIf(o, QStringLiteral("StatusReason"), s.statusReason);
    o.insert(QStringLiteral("Protocol"), QStringLiteral("WebRTC"));
    putTime(o, QStringLiteral("LastUpdatedAt"), s.lastUpdatedAt);
    putTime(o, QStringLiteral("CreatedAt"), s.createdAt);
    o.insert(QStringLiteral("ApplicationArn"), state.applicationArn(s.region, s.applicationId));
    // The listings carry only the export's Status; GetStreamSession has the rest.
    if (s.exportState)
        o.insert(QStringLiteral("ExportFilesMetadata"), QJsonObject{{QStringLiteral("Status"), s.exportState->status}});
    putIf(o, QStringLiteral("Location"), s.location);
    return o;
}

QByteArray sessionSummaryJson(const EmulatorState &state, const StreamSession &s)
{
    if (s.summaryJson.isEmpty())
        s.summaryJson = writeSummary(state, s);
    return s.summaryJson;
}

QByteArray listPageJson(const QList<QByteArray> &items, const QString &nextToken)
{
    qsizetype size = 32 + nextToken.size();
    for (const QByteArray &item : items)
        size += item.size() + 1;
    QByteArray out;
    out.reserve(size);
    out += "{\"Items\":[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        out += items.at(i);
    }
    out += ']';
    if (!nextToken.isEmpty())
        appendMember(out, ",\"NextToken\":", nextToken);
    out += '}';
    return out;
}

} // namespace gls::emu
