// GameLift Streams restJson1 response bodies into our types: every decoder the
// client's jobs use (GetStreamGroup, GetStreamSession, the two listings, and
// the empty-bodied ExportStreamSessionFiles / TerminateStreamSession).
// Invariants: decoding is deterministic, and the helpers that read the
// decoded values (IDs from ARNs, what can be exported) never fail. The quick
// reader of session pages (straight from the bytes) answers only where
// QJsonDocument and the page decoder accept the body, and then exactly as they
// do.

#include "FuzzSupport.h"

#include "gamelift/GameLiftJson.h"

#include <QDebug>

using namespace gls::gamelift;

namespace {

template <typename T, typename Decode>
void decodeTwice(const QJsonObject &object, Decode decode)
{
    T first;
    T second;
    QString firstError;
    QString secondError;
    const bool a = decode(object, &first, &firstError);
    const bool b = decode(object, &second, &secondError);
    FUZZ_CHECK(a == b);
    FUZZ_CHECK(firstError == secondError);
    FUZZ_CHECK(a || !firstError.isEmpty());
    if constexpr (requires { first == second; })
        FUZZ_CHECK(first == second);
}

void readSummary(const StreamSessionSummary &s)
{
    (void)s.idFromArn();
    (void)s.streamGroupIdFromArn();
    (void)s.canExport();
    QString sink;
    QDebug(&sink) << s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls::fuzz::quietQt();
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));

    {
        Page<StreamSessionSummary> quick;
        if (json::readStreamSessionPageQuickly(body, &quick)) {
            QJsonObject o;
            QString e;
            FUZZ_CHECK(json::parseObject(body, &o, &e));
            Page<StreamSessionSummary> slow;
            FUZZ_CHECK(json::decodeStreamSessionPage(o, &slow, &e));
            FUZZ_CHECK(quick.items == slow.items);
            FUZZ_CHECK(quick.nextToken == slow.nextToken);
        } else {
            FUZZ_CHECK(quick.items.isEmpty() && quick.nextToken.isEmpty());
        }
    }

    for (const bool allowEmpty : {false, true}) {
        QJsonObject object;
        QString error;
        const bool ok = json::parseObject(body, &object, &error, allowEmpty);
        FUZZ_CHECK(ok || !error.isEmpty());
    }
    QJsonObject object;
    QString error;
    if (!json::parseObject(body, &object, &error, true))
        return 0;

    decodeTwice<StreamGroup>(
        object, [](const QJsonObject &o, StreamGroup *out, QString *e) { return json::decodeStreamGroup(o, out, e); });
    decodeTwice<StreamSession>(object,
        [](const QJsonObject &o, StreamSession *out, QString *e) { return json::decodeStreamSession(o, out, e); });
    decodeTwice<Page<StreamGroupSummary>>(object, [](const QJsonObject &o, Page<StreamGroupSummary> *out, QString *e) {
        return json::decodeStreamGroupPage(o, out, e);
    });

    StreamSession session;
    json::decodeStreamSession(object, &session, &error);
    readSummary(session);
    {
        QString sink;
        QDebug(&sink) << session;
    }
    StreamGroup group;
    json::decodeStreamGroup(object, &group, &error);
    (void)group.idOrFromArn();
    {
        QString sink;
        QDebug(&sink) << group;
    }
    Page<StreamSessionSummary> sessions;
    json::decodeStreamSessionPage(object, &sessions, &error);
    for (const StreamSessionSummary &s : sessions.items)
        readSummary(s);
    Page<StreamGroupSummary> groups;
    json::decodeStreamGroupPage(object, &groups, &error);
    for (const StreamGroupSummary &g : groups.items)
        (void)g.idOrFromArn();

    // Every member value as a timestamp: decodeTimestamp never lies about validity.
    for (auto it = object.begin(); it != object.end(); ++it) {
        QDateTime when;
        if (json::decodeTimestamp(it.value(), &when) && when.isValid())
            FUZZ_CHECK(when.timeSpec() == Qt::UTC || when.offsetFromUtc() == 0);
    }
    return 0;
}
