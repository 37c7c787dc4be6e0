#pragma once

// Which credentials an AWS profile uses, in botocore 1.43's order
// (credentials.py: create_credential_resolver and ProfileProviderBuilder), and
// the assume-role, SSO and static-key parameters read from it, validated, with
// messages that name the profile, where it is, and the key at fault.

#include "credentials/AwsConfigFiles.h"

#include <QByteArray>

#include <optional>

namespace gls::creds {

enum class CredentialSource { None, StaticKeys, Process, AssumeRole, Sso };
QString toString(CredentialSource source);

// botocore's order for a profile: role_arn (unless web_identity_token_file, which
// is not supported here), then SSO (sso_account_id or sso_role_name), then static
// keys in the credentials file, then credential_process, then static keys in the
// config file. For AssumeRole the whole source_profile chain is checked (missing
// profiles, cycles, a source without credentials). `error` is set (and None
// returned) for a broken configuration; None with an empty error means the
// profile simply names no credentials.
CredentialSource classify(const AwsConfigFiles &files, const QString &profile, QString *error);
// How a profile is read when another profile names it as source_profile: if it
// has static keys its role_arn is not used (botocore); otherwise as classify().
CredentialSource classifyAsSource(const AwsConfigFiles &files, const QString &profile, QString *error);
// The profiles an assume-role chain goes through, starting with `profile`: every
// one but the last assumes a role; the last gives the base credentials (it may
// itself be AssumeRole with credential_source). Empty with `error` when broken.
QStringList sourceProfileChain(const AwsConfigFiles &files, const QString &profile, QString *error);

struct StaticKeysConfig {
    QString accessKeyId;
    QByteArray secretAccessKey; // wipe with gls::aws::wipe when done
    QByteArray sessionToken;    // aws_security_token, else aws_session_token
    SourceLocation origin;
};
std::optional<StaticKeysConfig> readStaticKeys(const AwsConfigFiles &files, const QString &profile, QString *error);

struct AssumeRoleConfig {
    QString roleArn;
    QString sourceProfile;
    QString credentialSource; // only "Environment" is supported here
    QString externalId;
    QString roleSessionName;
    std::optional<int> durationSeconds; // 900..43200
    QString mfaSerial;
};
std::optional<AssumeRoleConfig> readAssumeRoleConfig(
    const AwsConfigFiles &files, const QString &profile, QString *error);

struct SsoConfig {
    QString startUrl;
    QString ssoRegion;
    QString accountId;
    QString roleName;
    QString sessionName;            // empty for the legacy form (sso_start_url in the profile)
    QStringList registrationScopes; // sso_registration_scopes, comma separated
    bool isLegacy() const { return sessionName.isEmpty(); }
};
std::optional<SsoConfig> readSsoConfig(const AwsConfigFiles &files, const QString &profile, QString *error);

} // namespace gls::creds
