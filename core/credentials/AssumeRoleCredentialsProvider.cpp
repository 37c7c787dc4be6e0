#include "AssumeRoleCredentialsProvider.h"

#include <QRegularExpression>
#include <QTimer>

namespace gls::creds {

bool validRoleSessionName(const QString &name, QString *error)
{
    static const QRegularExpression rule(QStringLiteral("^[\\w+=,.@-]{2,64}$"));
    if (rule.match(name).hasMatch())
        return true;
    *error = QStringLiteral("role_session_name \"%1\" must be 2 to 64 characters of letters, digits and + = , . @ - _")
                 .arg(name);
    return false;
}

AssumeRoleCredentialsProvider::AssumeRoleCredentialsProvider(AssumeRoleSettings settings, aws::AwsTransport *sts,
                                                             aws::Endpoint endpoint, const aws::Clock *clock,
                                                             MfaPrompt prompt, QObject *parent)
    : CredentialsProvider(parent)
    , m_settings(std::move(settings))
    , m_sts(sts)
    , m_endpoint(std::move(endpoint))
    , m_clock(clock)
    , m_prompt(std::move(prompt))
{
}

void AssumeRoleCredentialsProvider::fetch(QObject *context, Callback done)
{
    if (!m_waiters.add(context, std::move(done)))
        return; // joins the fetch already running
    if (m_settings.role.serialNumber.isEmpty()) {
        assume({});
        return;
    }
    if (!m_prompt) {
        aws::CredentialsResult r;
        r.source = QStringLiteral("assume-role:") + m_settings.profile;
        r.error = QStringLiteral("Profile \"%1\" needs an MFA code for %2, and nothing here can ask for one.")
                      .arg(m_settings.profile, m_settings.role.serialNumber);
        finish(std::move(r));
        return;
    }
    m_prompt(m_settings.profile, m_settings.role.serialNumber, this, [this](const QString &code) {
        if (code.trimmed().isEmpty()) {
            aws::CredentialsResult r;
            r.source = QStringLiteral("assume-role:") + m_settings.profile;
            r.error = QStringLiteral("No MFA code was given for profile \"%1\" (%2), so its role was not assumed.")
                          .arg(m_settings.profile, m_settings.role.serialNumber);
            finish(std::move(r));
            return;
        }
        assume(code.trimmed());
    });
}

void AssumeRoleCredentialsProvider::assume(const QString &tokenCode)
{
    aws::CredentialsResult r;
    r.source = QStringLiteral("assume-role:") + m_settings.profile;
    if (!m_sts) {
        r.error = QStringLiteral("profile \"%1\": no STS connection").arg(m_settings.profile);
        finish(std::move(r));
        return;
    }
    AssumeRoleParameters p = m_settings.role;
    p.tokenCode = tokenCode;
    if (p.roleSessionName.isEmpty())
        p.roleSessionName = defaultRoleSessionName(m_clock->nowUtc());
    aws::AwsCall *call = m_sts->send(m_endpoint, assumeRoleRequest(p), this);
    connect(call, &aws::AwsCall::finished, this, [this, call] {
        aws::CredentialsResult r;
        r.source = QStringLiteral("assume-role:") + m_settings.profile;
        if (call->error().isError()) {
            const aws::AwsError &e = call->error();
            r.error = QStringLiteral("Could not assume role %1 for profile \"%2\": %3")
                          .arg(m_settings.role.roleArn, m_settings.profile, e.toString());
        } else {
            TemporaryCredentials t;
            QString why;
            if (parseAssumeRoleResponse(call->response().body, &t, &why)) {
                r.credentials = t.credentials;
                r.expiration = t.expiration;
                aws::wipe(t.credentials);
            } else {
                r.error = QStringLiteral("profile \"%1\": %2").arg(m_settings.profile, why);
            }
        }
        call->deleteLater();
        finish(std::move(r));
    });
}

void AssumeRoleCredentialsProvider::finish(aws::CredentialsResult result)
{
    m_waiters.finish(this, std::move(result));
}

void AssumeRoleCredentialsProvider::invalidate()
{
}

} // namespace gls::creds
