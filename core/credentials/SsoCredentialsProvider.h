#pragma once

// Credentials for an SSO profile (IAM Identity Center): reads the access
// token `aws sso login` left in its cache and trades it at the SSO portal
// (GET /federation/credentials, bearer token, unsigned) for the role's
// temporary credentials. When the token is missing or expired it says to run
// "aws sso login --profile NAME"; it never starts a login itself.

#include "aws/Clock.h"
#include "FetchWaiters.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"

#include <QPointer>

#include <functional>

namespace gls::aws {
class AwsTransport;
}

namespace gls::creds {

struct SsoRoleSettings {
    QString profile;
    QString accountId;
    QString roleName;
};

class SsoCredentialsProvider final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    // Loads the cached access token into *token, or explains in *error why
    // there is none (what to run). The token is wiped after use.
    using TokenLoader = std::function<bool(QByteArray *token, QString *error)>;

    // `portal` sends unsigned requests; not owned.
    SsoCredentialsProvider(SsoRoleSettings settings, TokenLoader loader, aws::AwsTransport *portal,
                           aws::Endpoint endpoint, QObject *parent = nullptr);

    void fetch(QObject *context, Callback done) override;

    // Reads the portal's JSON answer; false with the reason (never a secret).
    static bool parseRoleCredentials(QByteArrayView json, aws::CredentialsResult *out, QString *error);

private:
    void finish(aws::CredentialsResult result);
    QString loginHint() const;

    SsoRoleSettings m_settings;
    TokenLoader m_loader;
    QPointer<aws::AwsTransport> m_portal;
    aws::Endpoint m_endpoint;
    FetchWaiters m_waiters; // concurrent fetches share one call
};

} // namespace gls::creds
