#include "SsoService.h"

#include "AwsErrors.h"
#include "ControlService.h"
#include "FaultInjector.h"
#include "IdentityStore.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gls::emu {

namespace {

// The portal's restJson1 errors: x-amzn-ErrorType and {"message": "..."}.
HttpResponse ssoError(int status, QByteArrayView type, const QString &message, const QByteArray &requestId)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact);
    r.setHeader("Content-Type", "application/json");
    r.setHeader("x-amzn-ErrorType", type.toByteArray());
    r.setHeader("x-amzn-RequestId", requestId);
    return r;
}

} // namespace

SsoService::SsoService(IdentityStore *identities, FaultInjector *faults, RequestStats *stats)
    : m_identities(identities)
    , m_faults(faults)
    , m_stats(stats)
{
}

bool SsoService::handles(const HttpRequest &req)
{
    return req.path == kPath;
}

HttpResponse SsoService::handle(const HttpRequest &req)
{
    const QByteArray rid = newRequestId();
    HttpResponse resp;
    if (req.method != "GET") {
        resp = ssoError(405, "InvalidRequestException",
            QStringLiteral("%1 is not supported on this resource").arg(QString::fromLatin1(req.method)), rid);
    } else {
        const FaultInjector::Decision fault = m_faults->decide(QStringLiteral("SSO.GetRoleCredentials"));
        switch (fault.kind) {
        case FaultInjector::Kind::Throttle:
            resp = ssoError(429, "TooManyRequestsException", QStringLiteral("Too many requests"), rid);
            break;
        case FaultInjector::Kind::Error500:
        case FaultInjector::Kind::Error503:
            resp = ssoError(500, "InternalServerException", QStringLiteral("An internal error occurred."), rid);
            break;
        default:
            resp = getRoleCredentials(req, rid);
            if (fault.kind == FaultInjector::Kind::Reset)
                resp.fault = HttpResponse::Fault::Reset;
            else if (fault.kind == FaultInjector::Kind::Truncate)
                resp.fault = HttpResponse::Fault::Truncate;
            break;
        }
        resp.delayMs = fault.delayMs;
    }
    resp.setHeader("Date", httpDate(m_faults->now()));
    m_stats->record(
        QStringLiteral("SSO.GetRoleCredentials"), resp.fault == HttpResponse::Fault::Reset ? 0 : resp.status);
    return resp;
}

HttpResponse SsoService::getRoleCredentials(const HttpRequest &req, const QByteArray &rid)
{
    const QMultiMap<QString, QString> q = req.queryItems();
    for (const QString &name : {QStringLiteral("role_name"), QStringLiteral("account_id")}) {
        if (q.value(name).isEmpty())
            return ssoError(
                400, "InvalidRequestException", QStringLiteral("Missing required parameter: %1").arg(name), rid);
    }
    const QString roleName = q.value(QStringLiteral("role_name"));
    const QString accountId = q.value(QStringLiteral("account_id"));

    const QDateTime now = m_faults->now();
    const QByteArray bearer = req.header("x-amz-sso_bearer_token");
    const SsoToken *token = bearer.isEmpty() ? nullptr : m_identities->ssoToken(bearer);
    if (!token || token->expiresAt <= now)
        return ssoError(401, "UnauthorizedException", QStringLiteral("Session token not found or invalid"), rid);
    if (token->accountId != accountId || token->roleName != roleName)
        return ssoError(403, "ForbiddenException", QStringLiteral("No access"), rid);

    // Identity Center provisions each permission set as a reserved role.
    CallerIdentity identity;
    identity.account = accountId;
    const QString reservedRole = QStringLiteral("AWSReservedSSO_%1_0123456789abcdef").arg(roleName);
    identity.arn = QStringLiteral("arn:aws:sts::%1:assumed-role/%2/gls-sso-user").arg(accountId, reservedRole);
    identity.userId = IdentityStore::uniqueId(u"AROA", reservedRole) + QStringLiteral(":gls-sso-user");
    identity.roleSession = true;
    const TemporaryCredential c
        = m_identities->issue(identity, m_identities->effectiveLifetime(kRoleCredentialSeconds), now);
    const QJsonObject credentials{
        {QStringLiteral("accessKeyId"), QString::fromLatin1(c.key.id)},
        {QStringLiteral("secretAccessKey"), QString::fromLatin1(c.key.secret)},
        {QStringLiteral("sessionToken"), QString::fromLatin1(c.key.sessionToken)},
        {QStringLiteral("expiration"), QJsonValue(qint64(c.expiresAt.toMSecsSinceEpoch()))},
    };
    return jsonResponse(200, QJsonObject{{QStringLiteral("roleCredentials"), credentials}}, rid);
}

} // namespace gls::emu
