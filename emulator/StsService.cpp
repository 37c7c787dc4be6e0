#include "StsService.h"

#include "AccessPolicy.h"
#include "AwsErrors.h"
#include "ControlService.h"
#include "FaultInjector.h"
#include "IdentityStore.h"
#include "SignatureVerifier.h"

#include <QRegularExpression>

namespace gls::emu {

namespace {

// application/x-www-form-urlencoded: '+' is a space, then percent-decoding.
void addFormPairs(QByteArrayView text, QHash<QString, QString> *out)
{
    for (const QByteArrayView pair : QByteArray(text.toByteArray()).split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        auto decode = [](QByteArrayView v) {
            QByteArray b = v.toByteArray();
            b.replace('+', ' ');
            return QString::fromUtf8(sigv4::percentDecode(b));
        };
        out->insert(decode(eq < 0 ? pair : pair.first(eq)), eq < 0 ? QString() : decode(pair.sliced(eq + 1)));
    }
}

// STS's "N validation error(s) detected: Value 'x' at 'member' failed to satisfy constraint: ...".
class Violations {
public:
    void add(const QString &value, const QString &member, const QString &constraint)
    {
        m_items.append(
            QStringLiteral("Value '%1' at '%2' failed to satisfy constraint: %3").arg(value, member, constraint));
    }
    bool empty() const { return m_items.isEmpty(); }
    QString message() const
    {
        return QStringLiteral("%1 validation error%2 detected: %3")
            .arg(QString::number(m_items.size()), m_items.size() == 1 ? QString() : QStringLiteral("s"),
                m_items.join(QStringLiteral("; ")));
    }

    void length(const QString &value, const QString &member, int min, int max)
    {
        if (value.size() < min)
            add(value, member, QStringLiteral("Member must have length greater than or equal to %1").arg(min));
        else if (value.size() > max)
            add(value, member, QStringLiteral("Member must have length less than or equal to %1").arg(max));
    }
    void pattern(const QString &value, const QString &member, const QString &regex)
    {
        const QRegularExpression re(QRegularExpression::anchoredPattern(regex));
        if (!re.match(value).hasMatch())
            add(value, member, QStringLiteral("Member must satisfy regular expression pattern: %1").arg(regex));
    }

private:
    QStringList m_items;
};

QString tag(const QString &name, const QString &value, int indent)
{
    return QString(indent, QLatin1Char(' ')) + QStringLiteral("<%1>%2</%1>\n").arg(name, xmlEscape(value));
}

QString isoSeconds(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace

struct StsService::Context {
    const HttpRequest &req;
    QByteArray requestId;
    QString action;
    QHash<QString, QString> params;
    QByteArray accessKeyId;
    CallerIdentity caller;
};

StsService::StsService(IdentityStore *identities, const SignatureVerifier *verifier, const AccessPolicy *policy,
    FaultInjector *faults, RequestStats *stats)
    : m_identities(identities)
    , m_verifier(verifier)
    , m_policy(policy)
    , m_faults(faults)
    , m_stats(stats)
{
}

bool StsService::handles(const HttpRequest &req)
{
    if (req.path != "/")
        return false;
    if (req.method == "POST")
        return req.header("content-type").startsWith("application/x-www-form-urlencoded")
            || req.body.contains("Action=");
    return req.method == "GET" && (req.query.startsWith("Action=") || req.query.contains("&Action="));
}

HttpResponse StsService::handle(const HttpRequest &req)
{
    Context ctx{req, newRequestId(), QString(), {}, {}, {}};
    // The query protocol takes parameters from the query string and the form body alike.
    addFormPairs(req.query, &ctx.params);
    if (req.method == "POST")
        addFormPairs(req.body, &ctx.params);
    ctx.action = ctx.params.value(QStringLiteral("Action"));

    HttpResponse resp = dispatch(ctx);
    resp.setHeader("x-amzn-RequestId", ctx.requestId);
    resp.setHeader("Date", httpDate(m_faults->now()));
    const bool known = ctx.action == QLatin1String("GetCallerIdentity") || ctx.action == QLatin1String("AssumeRole");
    m_stats->record(QStringLiteral("STS.") + (known ? ctx.action : QStringLiteral("Unknown")),
        resp.fault == HttpResponse::Fault::Reset ? 0 : resp.status);
    return resp;
}

HttpResponse StsService::dispatch(Context &ctx)
{
    const QByteArray &rid = ctx.requestId;
    const AuthResult auth = m_verifier->verify(ctx.req, kSigningName, false, m_faults->now());
    switch (auth.failure) {
    case AuthResult::Failure::None:
        break;
    case AuthResult::Failure::Missing:
        return queryError(
            403, "MissingAuthenticationToken", QStringLiteral("Request is missing Authentication Token"), rid);
    case AuthResult::Failure::Malformed:
        return queryError(400, "IncompleteSignature", auth.message, rid);
    case AuthResult::Failure::UnknownKey:
    case AuthResult::Failure::BadToken:
        return queryError(
            403, "InvalidClientTokenId", QStringLiteral("The security token included in the request is invalid."), rid);
    case AuthResult::Failure::ExpiredToken:
        return queryError(400, "ExpiredToken", auth.message, rid);
    default:
        return queryError(403, "SignatureDoesNotMatch", auth.message, rid);
    }
    ctx.accessKeyId = auth.accessKeyId;
    ctx.caller = m_identities->identityOf(auth.accessKeyId);

    if (!ctx.params.contains(QStringLiteral("Action")))
        return queryError(400, "MissingAction", QStringLiteral("Missing Action"), rid);
    const QString version = ctx.params.value(QStringLiteral("Version"));
    const bool known = ctx.action == QLatin1String("GetCallerIdentity") || ctx.action == QLatin1String("AssumeRole");
    if (!known || version != QLatin1String(kVersion)) {
        return queryError(400, "InvalidAction",
            QStringLiteral("Could not find operation %1 for version %2")
                .arg(ctx.action, version.isEmpty() ? QStringLiteral("NO_VERSION_SPECIFIED") : version),
            rid);
    }

    const FaultInjector::Decision fault = m_faults->decide(QStringLiteral("STS.") + ctx.action);
    HttpResponse resp;
    switch (fault.kind) {
    case FaultInjector::Kind::Throttle:
        resp = queryError(400, "Throttling", QStringLiteral("Rate exceeded"), rid);
        break;
    case FaultInjector::Kind::Error500:
        resp = queryError(500, "InternalFailure", QStringLiteral("An internal error occurred."), rid);
        break;
    case FaultInjector::Kind::Error503:
        resp = queryError(503, "ServiceUnavailable", QStringLiteral("Service is unavailable. Try again later."), rid);
        break;
    default:
        resp = ctx.action == QLatin1String("GetCallerIdentity") ? getCallerIdentity(ctx) : assumeRole(ctx);
        if (fault.kind == FaultInjector::Kind::Reset)
            resp.fault = HttpResponse::Fault::Reset;
        else if (fault.kind == FaultInjector::Kind::Truncate)
            resp.fault = HttpResponse::Fault::Truncate;
        break;
    }
    resp.delayMs = fault.delayMs;
    return resp;
}

HttpResponse StsService::getCallerIdentity(Context &ctx)
{
    // No permission is needed for GetCallerIdentity, and an explicit deny does not stop it (as in AWS).
    const CallerIdentity &c = ctx.caller;
    const QString result = tag(QStringLiteral("Arn"), c.arn, 4) + tag(QStringLiteral("UserId"), c.userId, 4)
        + tag(QStringLiteral("Account"), c.account, 4);
    return queryResponse(QStringLiteral("GetCallerIdentity"), result, ctx.requestId);
}

HttpResponse StsService::assumeRole(Context &ctx)
{
    const QByteArray &rid = ctx.requestId;
    const auto &p = ctx.params;
    for (const QString &name : {QStringLiteral("RoleArn"), QStringLiteral("RoleSessionName")}) {
        if (!p.contains(name))
            return queryError(
                400, "MissingParameter", QStringLiteral("The request must contain the parameter %1").arg(name), rid);
    }
    const QString roleArn = p.value(QStringLiteral("RoleArn"));
    const QString session = p.value(QStringLiteral("RoleSessionName"));
    const bool hasExternalId = p.contains(QStringLiteral("ExternalId"));
    const QString externalId = p.value(QStringLiteral("ExternalId"));
    const bool hasSerial = p.contains(QStringLiteral("SerialNumber"));
    const QString serial = p.value(QStringLiteral("SerialNumber"));
    const bool hasCode = p.contains(QStringLiteral("TokenCode"));
    const QString code = p.value(QStringLiteral("TokenCode"));

    Violations v;
    v.length(roleArn, QStringLiteral("roleArn"), 20, 2048);
    v.length(session, QStringLiteral("roleSessionName"), 2, 64);
    v.pattern(session, QStringLiteral("roleSessionName"), QStringLiteral("[\\w+=,.@-]*"));
    qint64 duration = 3600;
    const bool hasDuration = p.contains(QStringLiteral("DurationSeconds"));
    if (hasDuration) {
        const QString text = p.value(QStringLiteral("DurationSeconds"));
        bool ok = false;
        duration = text.toLongLong(&ok);
        if (!ok)
            v.add(text, QStringLiteral("durationSeconds"), QStringLiteral("Member must be an integer"));
        else if (duration < 900)
            v.add(text, QStringLiteral("durationSeconds"),
                QStringLiteral("Member must have value greater than or equal to 900"));
        else if (duration > 43200)
            v.add(text, QStringLiteral("durationSeconds"),
                QStringLiteral("Member must have value less than or equal to 43200"));
    }
    if (hasExternalId) {
        v.length(externalId, QStringLiteral("externalId"), 2, 1224);
        v.pattern(externalId, QStringLiteral("externalId"), QStringLiteral("[\\w+=,.@:\\/-]*"));
    }
    if (hasSerial) {
        v.length(serial, QStringLiteral("serialNumber"), 9, 256);
        v.pattern(serial, QStringLiteral("serialNumber"), QStringLiteral("[\\w+=/:,.@-]*"));
    }
    if (hasCode) {
        v.length(code, QStringLiteral("tokenCode"), 6, 6);
        v.pattern(code, QStringLiteral("tokenCode"), QStringLiteral("[\\d]*"));
    }
    if (!v.empty())
        return queryError(400, "ValidationError", v.message(), rid);

    const QString action = QStringLiteral("sts:AssumeRole");
    const QString notAuthorized = QStringLiteral("User: %1 is not authorized to perform: %2 on resource: %3")
                                      .arg(ctx.caller.arn, action, roleArn);
    if (!m_policy->allows(action))
        return queryError(403, "AccessDenied", notAuthorized, rid);
    const Role *role = m_identities->role(roleArn);
    if (!role)
        return queryError(403, "AccessDenied", notAuthorized, rid);
    if (!role->externalId.isEmpty() && externalId != role->externalId)
        return queryError(403, "AccessDenied", notAuthorized, rid);
    if (!role->mfaSerial.isEmpty()) {
        if (!hasSerial || !hasCode)
            return queryError(403, "AccessDenied", notAuthorized, rid);
        if (serial != role->mfaSerial) {
            return queryError(403, "AccessDenied",
                QStringLiteral("MultiFactorAuthentication failed, unable to validate MFA code. Please "
                               "verify your MFA serial number is valid and associated with this user."),
                rid);
        }
        if (code.toLatin1() != role->mfaCode)
            return queryError(403, "AccessDenied",
                QStringLiteral("MultiFactorAuthentication failed with invalid MFA one time pass code."), rid);
    }
    if (ctx.caller.roleSession && hasDuration && duration > 3600) {
        return queryError(400, "ValidationError",
            QStringLiteral("The requested DurationSeconds exceeds the 1 hour session limit for roles "
                           "assumed by role chaining."),
            rid);
    }
    if (duration > role->maxDurationSeconds) {
        return queryError(400, "ValidationError",
            QStringLiteral("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), rid);
    }

    CallerIdentity assumed;
    assumed.account = role->accountId();
    assumed.arn = QStringLiteral("arn:aws:sts::%1:assumed-role/%2/%3").arg(assumed.account, role->name(), session);
    assumed.userId = IdentityStore::uniqueId(u"AROA", role->arn) + QLatin1Char(':') + session;
    assumed.roleSession = true;
    const TemporaryCredential c
        = m_identities->issue(assumed, m_identities->effectiveLifetime(duration), m_faults->now());

    QString result = QStringLiteral("    <Credentials>\n");
    result += tag(QStringLiteral("AccessKeyId"), QString::fromLatin1(c.key.id), 6);
    result += tag(QStringLiteral("SecretAccessKey"), QString::fromLatin1(c.key.secret), 6);
    result += tag(QStringLiteral("SessionToken"), QString::fromLatin1(c.key.sessionToken), 6);
    result += tag(QStringLiteral("Expiration"), isoSeconds(c.expiresAt), 6);
    result += QStringLiteral("    </Credentials>\n    <AssumedRoleUser>\n");
    result += tag(QStringLiteral("AssumedRoleId"), assumed.userId, 6);
    result += tag(QStringLiteral("Arn"), assumed.arn, 6);
    result += QStringLiteral("    </AssumedRoleUser>\n");
    return queryResponse(QStringLiteral("AssumeRole"), result, rid);
}

} // namespace gls::emu
