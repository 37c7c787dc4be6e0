#include "SsoCredentialsProvider.h"

#include "aws/AwsTransport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace gls::creds {

SsoCredentialsProvider::SsoCredentialsProvider(SsoRoleSettings settings, TokenLoader loader, aws::AwsTransport *portal,
                                               aws::Endpoint endpoint, QObject *parent)
    : CredentialsProvider(parent)
    , m_settings(std::move(settings))
    , m_loader(std::move(loader))
    , m_portal(portal)
    , m_endpoint(std::move(endpoint))
{
}

QString SsoCredentialsProvider::loginHint() const
{
    return QStringLiteral("run \"aws sso login --profile %1\"").arg(m_settings.profile);
}

bool SsoCredentialsProvider::parseRoleCredentials(QByteArrayView json, aws::CredentialsResult *out, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &pe);
    const QJsonObject rc = doc.object().value(QStringLiteral("roleCredentials")).toObject();
    const QString keyId = rc.value(QStringLiteral("accessKeyId")).toString();
    QByteArray secret = rc.value(QStringLiteral("secretAccessKey")).toString().toUtf8();
    QByteArray token = rc.value(QStringLiteral("sessionToken")).toString().toUtf8();
    const double expirationMs = rc.value(QStringLiteral("expiration")).toDouble();
    bool ok = true;
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("the SSO portal answered with JSON that cannot be read (%1)").arg(pe.errorString());
        ok = false;
    } else if (keyId.isEmpty() || secret.isEmpty() || token.isEmpty()) {
        *error = QStringLiteral("the SSO portal answered without complete role credentials");
        ok = false;
    } else if (expirationMs <= 0) {
        *error = QStringLiteral("the SSO portal answered without an expiration");
        ok = false;
    } else if (expirationMs > 253402300799000.0) { // after 9999-12-31: not a time (nor a qint64)
        *error = QStringLiteral("the SSO portal answered with an expiration that is not a time");
        ok = false;
    }
    if (ok) {
        out->credentials.accessKeyId = keyId.toUtf8();
        out->credentials.secretAccessKey = secret;
        out->credentials.sessionToken = token;
        out->expiration = QDateTime::fromMSecsSinceEpoch(qint64(expirationMs), Qt::UTC);
    }
    aws::wipe(secret);
    aws::wipe(token);
    return ok;
}

void SsoCredentialsProvider::fetch(QObject *context, Callback done)
{
    if (!m_waiters.add(context, std::move(done)))
        return; // joins the fetch already running
    aws::CredentialsResult r;
    r.source = QStringLiteral("sso:") + m_settings.profile;
    QByteArray token;
    QString why;
    if (!m_loader || !m_loader(&token, &why)) {
        aws::wipe(token);
        r.error = why.isEmpty() ? QStringLiteral("No SSO login for profile \"%1\": %2.").arg(m_settings.profile, loginHint())
                                : why;
        finish(std::move(r));
        return;
    }
    if (!m_portal) {
        aws::wipe(token);
        r.error = QStringLiteral("profile \"%1\": no connection to the SSO portal").arg(m_settings.profile);
        finish(std::move(r));
        return;
    }
    aws::AwsRequest req;
    req.operation = QStringLiteral("GetRoleCredentials");
    req.method = "GET";
    req.path = "/federation/credentials";
    req.query = {{"account_id", m_settings.accountId.toUtf8()}, {"role_name", m_settings.roleName.toUtf8()}};
    req.headers.append({QByteArray("x-amz-sso_bearer_token"), token});
    req.anonymous = true;
    aws::wipe(token);
    aws::AwsCall *call = m_portal->send(m_endpoint, std::move(req), this);
    connect(call, &aws::AwsCall::finished, this, [this, call] {
        aws::CredentialsResult r;
        r.source = QStringLiteral("sso:") + m_settings.profile;
        const aws::AwsError &e = call->error();
        if (e.isError()) {
            if (e.httpStatus == 401 || e.type == QLatin1String("UnauthorizedException"))
                r.error = QStringLiteral("The SSO session for profile \"%1\" has expired or was signed out: %2.")
                              .arg(m_settings.profile, loginHint());
            else if (e.httpStatus == 403 || e.type == QLatin1String("ForbiddenException"))
                r.error = QStringLiteral("The SSO login for profile \"%1\" has no access to role %2 in account %3 "
                                         "(check sso_account_id and sso_role_name).")
                              .arg(m_settings.profile, m_settings.roleName, m_settings.accountId);
            else
                r.error = QStringLiteral("Could not get SSO role credentials for profile \"%1\": %2")
                              .arg(m_settings.profile, e.toString());
        } else {
            QString why;
            if (!parseRoleCredentials(call->response().body, &r, &why))
                r.error = QStringLiteral("profile \"%1\": %2").arg(m_settings.profile, why);
        }
        call->deleteLater();
        finish(std::move(r));
    });
}

void SsoCredentialsProvider::finish(aws::CredentialsResult result)
{
    m_waiters.finish(this, std::move(result));
}

} // namespace gls::creds
