#include "GameLiftService.h"

#include "AccessPolicy.h"
#include "AwsErrors.h"
#include "ControlService.h"
#include "EmulatorState.h"
#include "FaultInjector.h"
#include "RateLimiter.h"
#include "SessionJson.h"
#include "SignatureVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMultiMap>

namespace gls::emu {

namespace {

constexpr int kDefaultMaxResults = 25;

QJsonValue epochSeconds(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(double(t.toMSecsSinceEpoch()) / 1000.0) : QJsonValue();
}

void putIf(QJsonObject &o, const QString &name, const QString &value)
{
    if (!value.isEmpty())
        o.insert(name, value);
}

void putTime(QJsonObject &o, const QString &name, const QDateTime &t)
{
    if (t.isValid())
        o.insert(name, epochSeconds(t));
}

// A 200 answer whose body is already JSON (jsonResponse's headers).
HttpResponse jsonBytesResponse(QByteArray body, const QByteArray &requestId)
{
    HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    r.setHeader("Content-Type", "application/json");
    r.setHeader("x-amzn-RequestId", requestId);
    return r;
}

QString first(const QMultiMap<QString, QString> &q, const QString &key, bool *present = nullptr)
{
    const auto values = q.values(key);
    if (present)
        *present = !values.isEmpty();
    return values.isEmpty() ? QString() : values.last(); // QMultiMap returns newest first
}

// Collects the "Value 'x' at 'y' failed to satisfy constraint: ..." messages
// the service returns in a ValidationException.
class Violations {
public:
    void add(const QString &value, const QString &member, const QString &constraint, bool isNull = false)
    {
        m_items.append(QStringLiteral("Value %1 at '%2' failed to satisfy constraint: %3")
                           .arg(isNull ? QStringLiteral("null") : QStringLiteral("'%1'").arg(value), member, constraint));
    }
    bool empty() const { return m_items.isEmpty(); }
    QString message() const
    {
        return QStringLiteral("%1 validation error%2 detected: %3")
            .arg(m_items.size())
            .arg(m_items.size() == 1 ? QString() : QStringLiteral("s"))
            .arg(m_items.join(QStringLiteral("; ")));
    }

private:
    QStringList m_items;
};

const QString kIdentifierPattern = QStringLiteral(
    "Member must satisfy regular expression pattern: "
    "^(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^:\\n]*):([0-9]{12}):([^:\\n]*)$)$");

void checkIdentifier(Violations &v, const QString &value, const QString &member)
{
    if (value.size() > 128)
        v.add(value, member, QStringLiteral("Member must have length less than or equal to 128"));
    else if (!model::isIdentifier(value))
        v.add(value, member, kIdentifierPattern);
}

void checkEnum(Violations &v, const QMultiMap<QString, QString> &q, const QString &key, const QString &member,
               const QStringList &allowed)
{
    bool present = false;
    const QString value = first(q, key, &present);
    if (present && !allowed.contains(value)) {
        v.add(value, member, QStringLiteral("Member must satisfy enum value set: [%1]").arg(allowed.join(QStringLiteral(", "))));
    }
}

int checkMaxResults(Violations &v, const QMultiMap<QString, QString> &q)
{
    bool present = false;
    const QString text = first(q, QStringLiteral("MaxResults"), &present);
    if (!present)
        return kDefaultMaxResults;
    bool ok = false;
    const int n = text.toInt(&ok);
    if (!ok) {
        v.add(text, QStringLiteral("maxResults"), QStringLiteral("Member must be an integer"));
        return kDefaultMaxResults;
    }
    if (n < 1)
        v.add(text, QStringLiteral("maxResults"), QStringLiteral("Member must have value greater than or equal to 1"));
    else if (n > 100)
        v.add(text, QStringLiteral("maxResults"), QStringLiteral("Member must have value less than or equal to 100"));
    return n;
}

} // namespace

struct GameLiftService::Route {
    QString operation;
    QString group;   // decoded label
    QString session; // decoded label
    bool found = false;
    bool badMethod = false;
};

struct GameLiftService::Context {
    const HttpRequest &req;
    QByteArray requestId;
    QString region;
    QMultiMap<QString, QString> query;
};

GameLiftService::GameLiftService(EmulatorState *state, const SignatureVerifier *verifier, const AccessPolicy *policy,
                                 FaultInjector *faults, RateLimiter *limiter, RequestStats *stats)
    : m_state(state)
    , m_verifier(verifier)
    , m_policy(policy)
    , m_faults(faults)
    , m_limiter(limiter)
    , m_stats(stats)
    , m_tokenKey(sigv4::sha256Hex(QByteArray("gls-emulator-token-key:") + state->account().toUtf8()))
{
}

HttpResponse GameLiftService::transportError(int status, const QByteArray &code, const QString &message)
{
    HttpResponse r = jsonError(status, code, message, newRequestId());
    r.closeConnection = true;
    return r;
}

HttpResponse GameLiftService::handle(const HttpRequest &req)
{
    // Route from the raw path: split on '/', then decode each label, so an
    // ARN label's encoded '/' (%2F) stays inside its segment.
    Route route;
    QList<QByteArray> raw = req.path.split('/');
    if (!raw.isEmpty() && raw.first().isEmpty())
        raw.removeFirst();
    QStringList seg;
    for (const QByteArray &r : raw)
        seg.append(QString::fromUtf8(sigv4::percentDecode(r)));
    const bool anyEmpty = std::any_of(seg.cbegin(), seg.cend(), [](const QString &s) { return s.isEmpty(); });
    const QByteArray &m = req.method;
    auto pick = [&](const char *method, const char *op) {
        route.found = true;
        if (m == method)
            route.operation = QString::fromLatin1(op);
        else
            route.badMethod = true;
    };
    if (!anyEmpty) {
        if (seg.size() == 1 && seg[0] == QLatin1String("streamgroups")) {
            pick("GET", "ListStreamGroups");
        } else if (seg.size() == 1 && seg[0] == QLatin1String("streamsessions")) {
            pick("GET", "ListStreamSessionsByAccount");
        } else if (seg.size() == 2 && seg[0] == QLatin1String("streamgroups")) {
            route.group = seg[1];
            pick("GET", "GetStreamGroup");
        } else if (seg.size() == 3 && seg[0] == QLatin1String("streamgroups") && seg[2] == QLatin1String("streamsessions")) {
            route.group = seg[1];
            pick("GET", "ListStreamSessions");
        } else if (seg.size() == 4 && seg[0] == QLatin1String("streamgroups") && seg[2] == QLatin1String("streamsessions")) {
            route.group = seg[1];
            route.session = seg[3];
            route.found = true;
            if (m == "GET")
                route.operation = QStringLiteral("GetStreamSession");
            else if (m == "DELETE")
                route.operation = QStringLiteral("TerminateStreamSession");
            else
                route.badMethod = true;
        } else if (seg.size() == 5 && seg[0] == QLatin1String("streamgroups") && seg[2] == QLatin1String("streamsessions")
                   && seg[4] == QLatin1String("exportfiles")) {
            route.group = seg[1];
            route.session = seg[3];
            pick("PUT", "ExportStreamSessionFiles");
        }
    }

    Context ctx{req, newRequestId(), QString(), req.queryItems()};
    const QString opName = route.operation.isEmpty() ? QStringLiteral("Unknown") : route.operation;
    HttpResponse resp = dispatch(route, ctx);
    resp.setHeader("x-amzn-RequestId", ctx.requestId);
    resp.setHeader("Date", httpDate(m_faults->now()));
    m_stats->record(opName, resp.fault == HttpResponse::Fault::Reset ? 0 : resp.status);
    return resp;
}

HttpResponse GameLiftService::dispatch(const Route &route, Context &ctx)
{
    const QByteArray &rid = ctx.requestId;
    const AuthResult auth = m_verifier->verify(ctx.req, kSigningName, false, m_faults->now());
    switch (auth.failure) {
    case AuthResult::Failure::None:
        break;
    case AuthResult::Failure::Missing:
        return jsonError(403, "MissingAuthenticationTokenException", auth.message, rid);
    case AuthResult::Failure::Malformed:
        return jsonError(400, "IncompleteSignatureException", auth.message, rid);
    case AuthResult::Failure::UnknownKey:
    case AuthResult::Failure::BadToken:
        return jsonError(403, "UnrecognizedClientException", auth.message, rid);
    case AuthResult::Failure::ExpiredToken:
        return jsonError(403, "ExpiredTokenException", auth.message, rid);
    default:
        return jsonError(403, "InvalidSignatureException", auth.message, rid);
    }
    ctx.region = QString::fromLatin1(auth.region);
    if (!m_state->regions().contains(ctx.region)) {
        return jsonError(403, "InvalidSignatureException",
                         QStringLiteral("Credential should be scoped to a valid region. "), rid);
    }
    if (!route.found)
        return jsonError(404, "UnknownOperationException", QStringLiteral("Unknown operation: %1 %2")
                                                               .arg(QString::fromLatin1(ctx.req.method),
                                                                    QString::fromUtf8(ctx.req.path)), rid);
    if (route.badMethod)
        return jsonError(405, "UnknownOperationException",
                         QStringLiteral("%1 is not supported on this resource").arg(QString::fromLatin1(ctx.req.method)), rid);

    // Decided before the policy: a slow service is as slow to refuse (a delay
    // fault delays the refusal too; the other kinds give way to it).
    const FaultInjector::Decision fault = m_faults->decide(route.operation);
    const QString action = QStringLiteral("gameliftstreams:") + route.operation;
    if (!m_policy->allows(action)) {
        const StreamGroup *g = route.group.isEmpty() ? nullptr : m_state->findGroup(ctx.region, route.group);
        HttpResponse refusal = jsonError(403, "AccessDeniedException",
            QStringLiteral("User: arn:aws:iam::%1:user/%2 is not authorized to perform: %3 on resource: %4 "
                           "because no identity-based policy allows the %3 action")
                .arg(m_state->account(), QString::fromLatin1(auth.accessKeyId), action,
                    g ? m_state->groupArn(*g) : QStringLiteral("*")),
            rid);
        refusal.delayMs = fault.delayMs;
        return refusal;
    }

    HttpResponse resp;
    switch (fault.kind) {
    case FaultInjector::Kind::Throttle:
        resp = jsonError(429, "ThrottlingException", QStringLiteral("Rate exceeded"), rid);
        break;
    case FaultInjector::Kind::Error500:
        resp = jsonError(500, "InternalServerException",
                         QStringLiteral("An internal error occurred. Try again later."), rid);
        break;
    case FaultInjector::Kind::Error503:
        resp = jsonError(503, "ServiceUnavailableException", QStringLiteral("Service is unavailable. Try again later."), rid);
        break;
    default:
        if (!m_limiter->tryAcquire(route.operation)) {
            resp = jsonError(429, "ThrottlingException", QStringLiteral("Rate exceeded"), rid);
            break;
        }
        if (route.operation == QLatin1String("ListStreamGroups"))
            resp = listStreamGroups(ctx);
        else if (route.operation == QLatin1String("GetStreamGroup"))
            resp = getStreamGroup(route, ctx);
        else if (route.operation == QLatin1String("ListStreamSessions"))
            resp = listStreamSessions(route, ctx, false);
        else if (route.operation == QLatin1String("ListStreamSessionsByAccount"))
            resp = listStreamSessions(route, ctx, true);
        else if (route.operation == QLatin1String("GetStreamSession"))
            resp = getStreamSession(route, ctx);
        else if (route.operation == QLatin1String("ExportStreamSessionFiles"))
            resp = exportFiles(route, ctx);
        else
            resp = terminate(route, ctx);
        // Faults that strike after the work was done: the reply is lost on the way.
        if (fault.kind == FaultInjector::Kind::Reset)
            resp.fault = HttpResponse::Fault::Reset;
        else if (fault.kind == FaultInjector::Kind::Truncate)
            resp.fault = HttpResponse::Fault::Truncate;
        break;
    }
    resp.delayMs = fault.delayMs;
    return resp;
}

// ---- pagination ------------------------------------------------------------

QString GameLiftService::encodeToken(const QString &scope, const QString &cursor) const
{
    // Opaque, and on purpose full of '+', '/' and '=' once base64-encoded, as
    // real tokens often are: clients must encode them in the query.
    QByteArray payload = (scope + QLatin1Char('|') + cursor).toUtf8();
    QByteArray raw("\xFB\xEF\xBE\xFF\xFF\xFF", 6);
    raw += sigv4::hmacSha256(m_tokenKey, payload).left(8);
    raw += payload;
    while (raw.size() % 3 != 1)
        raw.append('\0');
    return QString::fromLatin1(raw.toBase64());
}

bool GameLiftService::decodeToken(const QString &token, const QString &scope, QString *cursor) const
{
    const auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < 15 || !decoded.decoded.startsWith("\xFB\xEF\xBE\xFF\xFF\xFF"))
        return false;
    QByteArray payload = decoded.decoded.mid(14);
    while (payload.endsWith('\0'))
        payload.chop(1);
    if (sigv4::hmacSha256(m_tokenKey, payload).left(8) != decoded.decoded.mid(6, 8))
        return false;
    const QString text = QString::fromUtf8(payload);
    const QString prefix = scope + QLatin1Char('|');
    if (!text.startsWith(prefix))
        return false;
    *cursor = text.mid(prefix.size());
    return true;
}

// ---- operations ------------------------------------------------------------

HttpResponse GameLiftService::sessionNotFound(const Route &route, const Context &ctx)
{
    return jsonError(404, "ResourceNotFoundException",
                     QStringLiteral("Stream session '%1' could not be found in stream group '%2'.")
                         .arg(route.session, route.group),
                     ctx.requestId);
}

HttpResponse GameLiftService::listStreamGroups(Context &ctx)
{
    Violations v;
    const int max = checkMaxResults(v, ctx.query);
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);
    const QString scope = QStringLiteral("ListStreamGroups|%1").arg(ctx.region);
    QString after;
    bool hasToken = false;
    const QString token = first(ctx.query, QStringLiteral("NextToken"), &hasToken);
    if (hasToken && !decodeToken(token, scope, &after))
        return jsonError(400, "ValidationException", QStringLiteral("The NextToken is not valid."), ctx.requestId);

    QJsonArray items;
    QString last;
    bool more = false;
    for (const StreamGroup *g : m_state->groups(ctx.region)) {
        if (!after.isEmpty() && g->id <= after)
            continue;
        if (items.size() == max) {
            more = true;
            break;
        }
        items.append(groupSummary(*g));
        last = g->id;
    }
    QJsonObject out{{QStringLiteral("Items"), items}};
    if (more)
        out.insert(QStringLiteral("NextToken"), encodeToken(scope, last));
    return jsonResponse(200, out, ctx.requestId);
}

HttpResponse GameLiftService::getStreamGroup(const Route &route, Context &ctx)
{
    Violations v;
    checkIdentifier(v, route.group, QStringLiteral("identifier"));
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);
    const StreamGroup *g = m_state->findGroup(ctx.region, route.group);
    if (!g)
        return jsonError(404, "ResourceNotFoundException",
                         QStringLiteral("Stream group '%1' could not be found.").arg(route.group), ctx.requestId);
    return jsonResponse(200, groupDetail(*g), ctx.requestId);
}

HttpResponse GameLiftService::listStreamSessions(const Route &route, Context &ctx, bool byAccount)
{
    Violations v;
    if (!byAccount)
        checkIdentifier(v, route.group, QStringLiteral("identifier"));
    checkEnum(v, ctx.query, QStringLiteral("Status"), QStringLiteral("status"), model::kSessionStatuses);
    checkEnum(v, ctx.query, QStringLiteral("ExportFilesStatus"), QStringLiteral("exportFilesStatus"),
              model::kExportStatuses);
    const int max = checkMaxResults(v, ctx.query);
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);

    QString groupId;
    if (!byAccount) {
        const StreamGroup *g = m_state->findGroup(ctx.region, route.group);
        if (!g)
            return jsonError(404, "ResourceNotFoundException",
                             QStringLiteral("Stream group '%1' could not be found.").arg(route.group), ctx.requestId);
        groupId = g->id;
    }
    const QString status = first(ctx.query, QStringLiteral("Status"));
    const QString exportStatus = first(ctx.query, QStringLiteral("ExportFilesStatus"));
    // The token is bound to the listing and its filters.
    const QString scope = QStringLiteral("%1|%2|%3|%4|%5")
                              .arg(byAccount ? QStringLiteral("ByAccount") : QStringLiteral("ByGroup"), ctx.region,
                                   groupId, status, exportStatus);
    QString cursorText;
    bool hasToken = false;
    const QString token = first(ctx.query, QStringLiteral("NextToken"), &hasToken);
    if (hasToken && !decodeToken(token, scope, &cursorText))
        return jsonError(400, "ValidationException", QStringLiteral("The NextToken is not valid."), ctx.requestId);
    const quint64 after = cursorText.toULongLong();

    // Each session's summary is written once per change of the session
    // (SessionJson.h); a page concatenates them.
    QList<QByteArray> items;
    quint64 last = 0;
    bool more = false;
    const auto accept = [&](const StreamSession &s) {
        return (status.isEmpty() || s.status == status)
            && (exportStatus.isEmpty() || (s.exportState && s.exportState->status == exportStatus));
    };
    for (const StreamSession *s : m_state->sessionsAfter(ctx.region, groupId, after, accept, max, &more)) {
        items.append(sessionSummaryJson(*m_state, *s));
        last = s->ordinal;
    }
    return jsonBytesResponse(listPageJson(items, more ? encodeToken(scope, QString::number(last)) : QString()),
                             ctx.requestId);
}

HttpResponse GameLiftService::getStreamSession(const Route &route, Context &ctx)
{
    Violations v;
    checkIdentifier(v, route.group, QStringLiteral("identifier"));
    checkIdentifier(v, route.session, QStringLiteral("streamSessionIdentifier"));
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);
    const StreamSession *s = m_state->findSession(ctx.region, route.group, route.session);
    if (!s)
        return sessionNotFound(route, ctx);
    return jsonResponse(200, sessionDetail(*s), ctx.requestId);
}

HttpResponse GameLiftService::exportFiles(const Route &route, Context &ctx)
{
    Violations v;
    checkIdentifier(v, route.group, QStringLiteral("identifier"));
    checkIdentifier(v, route.session, QStringLiteral("streamSessionIdentifier"));

    QJsonObject body;
    if (!ctx.req.body.trimmed().isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(ctx.req.body, &pe);
        if (pe.error != QJsonParseError::NoError)
            return jsonError(400, "SerializationException",
                             QStringLiteral("The request body could not be parsed as JSON: %1 at offset %2.")
                                 .arg(pe.errorString()).arg(pe.offset), ctx.requestId);
        if (!doc.isObject())
            return jsonError(400, "SerializationException",
                             QStringLiteral("The request body must be a JSON object."), ctx.requestId);
        body = doc.object();
    }
    const QJsonValue uriValue = body.value(QStringLiteral("OutputUri"));
    if (!uriValue.isUndefined() && !uriValue.isNull() && !uriValue.isString())
        return jsonError(400, "SerializationException",
                         QStringLiteral("OutputUri must be a string."), ctx.requestId);
    const QString uri = uriValue.toString();
    if (uriValue.isUndefined() || uriValue.isNull())
        v.add(QString(), QStringLiteral("outputUri"), QStringLiteral("Member must not be null"), true);
    else if (uri.size() > 1024)
        v.add(uri, QStringLiteral("outputUri"), QStringLiteral("Member must have length less than or equal to 1024"));
    else if (!model::isOutputUri(uri))
        v.add(uri, QStringLiteral("outputUri"),
              QStringLiteral("Member must satisfy regular expression pattern: ^s3://.*(/|\\.zip|\\.ZIP)$"));
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);

    StreamSession *s = m_state->findSession(ctx.region, route.group, route.session);
    if (!s)
        return sessionNotFound(route, ctx);
    if (!model::kExportableStatuses.contains(s->status)) {
        return jsonError(400, "ValidationException",
                         QStringLiteral("Stream session %1 is %2. Files can be exported only while the session is "
                                        "ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING.")
                             .arg(s->id, s->status), ctx.requestId);
    }
    m_state->requestExport(*s, uri);
    m_stats->recordExportRequest(s->id);
    return jsonResponse(200, QJsonObject{}, ctx.requestId);
}

HttpResponse GameLiftService::terminate(const Route &route, Context &ctx)
{
    Violations v;
    checkIdentifier(v, route.group, QStringLiteral("identifier"));
    checkIdentifier(v, route.session, QStringLiteral("streamSessionIdentifier"));
    if (!v.empty())
        return jsonError(400, "ValidationException", v.message(), ctx.requestId);
    StreamSession *s = m_state->findSession(ctx.region, route.group, route.session);
    if (!s)
        return sessionNotFound(route, ctx);
    if (s->status == QLatin1String("ACTIVATING")) {
        return jsonError(400, "ValidationException",
                         QStringLiteral("Stream session %1 is ACTIVATING and can't be terminated yet. "
                                        "Try again once it is ACTIVE.").arg(s->id), ctx.requestId);
    }
    m_state->terminate(*s);
    HttpResponse r;
    r.status = 204;
    return r;
}

// ---- JSON shapes -----------------------------------------------------------

QJsonObject GameLiftService::groupSummary(const StreamGroup &g) const
{
    QJsonObject o{{QStringLiteral("Arn"), m_state->groupArn(g)}, {QStringLiteral("Id"), g.id}};
    putIf(o, QStringLiteral("Description"), g.description);
    o.insert(QStringLiteral("DefaultApplication"),
             QJsonObject{{QStringLiteral("Id"), g.defaultApplicationId},
                         {QStringLiteral("Arn"), m_state->applicationArn(g.region, g.defaultApplicationId)}});
    putIf(o, QStringLiteral("StreamClass"), g.streamClass);
    putIf(o, QStringLiteral("Status"), g.status);
    putTime(o, QStringLiteral("CreatedAt"), g.createdAt);
    putTime(o, QStringLiteral("LastUpdatedAt"), g.lastUpdatedAt);
    putTime(o, QStringLiteral("ExpiresAt"), g.expiresAt);
    return o;
}

QJsonObject GameLiftService::groupDetail(const StreamGroup &g) const
{
    QJsonObject o = groupSummary(g);
    putIf(o, QStringLiteral("StatusReason"), g.statusReason);
    QJsonArray locations;
    for (const LocationState &l : g.locations) {
        locations.append(QJsonObject{{QStringLiteral("LocationName"), l.name},
                                     {QStringLiteral("Status"), l.status},
                                     {QStringLiteral("AlwaysOnCapacity"), l.alwaysOn},
                                     {QStringLiteral("TargetIdleCapacity"), l.targetIdle},
                                     {QStringLiteral("MaximumCapacity"), l.maximum},
                                     {QStringLiteral("RequestedCapacity"), l.requested},
                                     {QStringLiteral("AllocatedCapacity"), l.allocated},
                                     {QStringLiteral("IdleCapacity"), l.idle}});
    }
    o.insert(QStringLiteral("LocationStates"), locations);
    QJsonArray apps;
    for (const QString &id : g.associatedApplicationIds)
        apps.append(m_state->applicationArn(g.region, id));
    o.insert(QStringLiteral("AssociatedApplications"), apps);
    return o;
}

QJsonObject GameLiftService::sessionDetail(const StreamSession &s) const
{
    // Every member of the summary, and more (ExportFilesMetadata in full below).
    QJsonObject o = sessionSummaryObject(*m_state, s);
    putIf(o, QStringLiteral("Description"), s.description);
    o.insert(QStringLiteral("StreamGroupId"), s.groupId);
    // Signal exchange blobs are sensitive in the model; clients must not log them.
    o.insert(QStringLiteral("SignalRequest"),
             QString::fromLatin1(QByteArray("v=0 o=- ").append(s.id.toLatin1()).append(" 2 IN IP4 127.0.0.1").toBase64()));
    if (s.status != QLatin1String("ACTIVATING") && s.status != QLatin1String("ERROR"))
        o.insert(QStringLiteral("SignalResponse"),
                 QString::fromLatin1(QByteArray("v=0 answer ").append(s.id.toLatin1()).toBase64()));
    o.insert(QStringLiteral("ConnectionTimeoutSeconds"), s.connectionTimeoutSeconds);
    o.insert(QStringLiteral("SessionLengthSeconds"), s.sessionLengthSeconds);
    if (!s.launchArgs.isEmpty())
        o.insert(QStringLiteral("AdditionalLaunchArgs"), QJsonArray::fromStringList(s.launchArgs));
    if (!s.environment.isEmpty()) {
        QJsonObject env;
        for (auto it = s.environment.cbegin(); it != s.environment.cend(); ++it)
            env.insert(it.key(), it.value());
        o.insert(QStringLiteral("AdditionalEnvironmentVariables"), env);
    }
    o.insert(QStringLiteral("PerformanceStatsConfiguration"),
             QJsonObject{{QStringLiteral("SharedWithClient"), s.statsSharedWithClient}});
    if (s.exportState) {
        const ExportState &e = *s.exportState;
        QJsonObject meta{{QStringLiteral("Status"), e.status}};
        putIf(meta, QStringLiteral("StatusReason"), e.statusReason);
        meta.insert(QStringLiteral("OutputUri"), e.status == QLatin1String("SUCCEEDED") ? e.outputUri : e.requestedUri);
        o.insert(QStringLiteral("ExportFilesMetadata"), meta);
    }
    o.insert(QStringLiteral("DisplayConfiguration"),
             QJsonObject{{QStringLiteral("Resolution"),
                          QJsonObject{{QStringLiteral("Width"), s.width}, {QStringLiteral("Height"), s.height}}}});
    return o;
}

} // namespace gls::emu
