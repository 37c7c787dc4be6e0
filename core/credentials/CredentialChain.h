#pragma once

// Which credentials a run uses, in the AWS SDKs' order with one addition, the
// app's keychain profiles:
//   1. an explicit profile (--profile, the desktop app's picker): the keychain
//      profile of that name, else the AWS files' profile of that name;
//   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN);
//   3. the keychain profile named "default";
//   4. the AWS files' profile AWS_PROFILE (else "default"): static keys,
//      credential_process, role_arn through STS AssumeRole, or SSO.
// Resolution is asynchronous (the keychain answers over D-Bus) and happens
// once; fetch() then hands out the chosen source's credentials, refreshed
// before they expire. Along with the credentials it resolves the profile's
// non-secret settings (Region, CA bundle, endpoint overrides).

#include "AssumeRoleCredentialsProvider.h"
#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"

#include <QPointer>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace gls::creds {

class AwsConfigFiles;
class KeychainStore;
class ProfileSettings;

struct ChainOptions {
    QString profile; // explicit; empty: the default chain
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    KeychainStore *keychain = nullptr;     // null: no keychain profiles
    ProfileSettings *settings = nullptr;   // keychain profiles' Region etc.; may be null
    QNetworkAccessManager *network = nullptr; // for STS and the SSO portal
    const aws::Clock *clock = nullptr;
    aws::TransportSettings transport;      // CA certificates, retries for STS / SSO
    QString fallbackRegion;                // STS Region when the profile names none
    MfaPrompt mfaPrompt;                   // asked when a role has mfa_serial
};

struct ChainResolution {
    QString error;       // set when no credentials can be had: what to do
    QString source;      // "environment", "keychain:qa", "aws-profile:qa (assume-role)"
    QString profile;     // the profile used; empty for the environment
    QString region;      // the profile's Region (AWS files or app settings); may be empty
    QString regionOrigin;
    QString caBundle;    // the profile's ca_bundle (after AWS_CA_BUNDLE)
    QString gameliftEndpointUrl; // configured endpoint overrides (env or profile)
    QString gameliftEndpointOrigin;
    QString s3EndpointUrl;
    QString s3EndpointOrigin;
    QString stsEndpointUrl;
    QString stsEndpointOrigin;
    QString warning;     // e.g. a malformed file that was not needed

    bool ok() const { return error.isEmpty(); }
};

class CredentialChain final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    explicit CredentialChain(ChainOptions options, QObject *parent = nullptr);
    ~CredentialChain() override;

    // Decides the source (once); `done` gets the outcome, later, in this thread.
    void resolve(QObject *context, std::function<void(const ChainResolution &)> done);
    bool isResolved() const { return m_resolved; }
    const ChainResolution &resolution() const { return m_resolution; }

    void fetch(QObject *context, Callback done) override;
    void invalidate() override;

Q_SIGNALS:
    // Temporary credentials were refreshed, or refreshing them failed (the
    // running work keeps the old ones until they expire).
    void refreshed();
    void refreshFailed(const QString &error);

private:
    void decide();
    void useEnvironment();
    void useKeychain(const QString &name);
    bool useFileProfile(const AwsConfigFiles &files, const QString &name);
    void finishResolution();
    aws::CredentialsProvider *refreshing(aws::CredentialsProvider *source);
    // The provider for an AWS-files profile; null with *error.
    // A profile's STS or SSO endpoint (its configured URL, else the Region's); invalid with *error.
    aws::Endpoint profileEndpoint(const AwsConfigFiles &files, const QString &name, const QString &serviceId,
                                  const QString &region,
                                  aws::Endpoint (*resolve)(const aws::EndpointOptions &, QString *),
                                  QString *error) const;
    aws::CredentialsProvider *buildFileProvider(const AwsConfigFiles &files, const QString &name, bool asSource,
                                                int depth, QString *error);

    ChainOptions m_options;
    bool m_resolving = false;
    bool m_resolved = false;
    ChainResolution m_resolution;
    aws::CredentialsProvider *m_provider = nullptr; // owned through QObject children
    QList<QPair<QPointer<QObject>, std::function<void(const ChainResolution &)>>> m_waiting;
};

// The message given when no source has credentials.
QString noCredentialsMessage();

} // namespace gls::creds
