#pragma once

// Credentials for a profile with role_arn: calls STS AssumeRole signed with
// the source profile's credentials (the transport given carries them), asking
// for an MFA code first when the profile names an mfa_serial. Each fetch
// assumes the role anew; wrap it in a RefreshingCredentialsProvider to cache.

#include "Sts.h"
#include "aws/Clock.h"
#include "FetchWaiters.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"

#include <QPointer>

#include <functional>

namespace gls::creds {

// Asks the user for the MFA code of `mfaSerial` and answers `done` with it
// (empty: the user declined). May answer later (a dialog) or at once.
using MfaPrompt = std::function<void(const QString &profile, const QString &mfaSerial, QObject *context,
                                     std::function<void(const QString &code)> done)>;

struct AssumeRoleSettings {
    QString profile;           // for messages and the source string
    AssumeRoleParameters role; // serialNumber = mfa_serial; tokenCode filled from the prompt
};

class AssumeRoleCredentialsProvider final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    // `sts` signs with the source profile's credentials; not owned.
    AssumeRoleCredentialsProvider(AssumeRoleSettings settings, aws::AwsTransport *sts, aws::Endpoint endpoint,
                                  const aws::Clock *clock, MfaPrompt prompt, QObject *parent = nullptr);

    void fetch(QObject *context, Callback done) override;
    void invalidate() override;

private:
    void assume(const QString &tokenCode);
    void finish(aws::CredentialsResult result);

    AssumeRoleSettings m_settings;
    QPointer<aws::AwsTransport> m_sts;
    aws::Endpoint m_endpoint;
    const aws::Clock *m_clock;
    MfaPrompt m_prompt;
    FetchWaiters m_waiters; // concurrent fetches share one call
};

// Names the role_session_name rule (2-64 of [\w+=,.@-]) when `name` breaks it.
bool validRoleSessionName(const QString &name, QString *error);

} // namespace gls::creds
