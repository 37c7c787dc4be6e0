#include "credentials/ProfileClassifier.h"

namespace gls::creds {

namespace {

constexpr int kMinRoleDuration = 900;
constexpr int kMaxRoleDuration = 43200;

const QString kAccessKey = QStringLiteral("aws_access_key_id");
const QString kSecretKey = QStringLiteral("aws_secret_access_key");
const QString kRoleArn = QStringLiteral("role_arn");
const QString kWebIdentity = QStringLiteral("web_identity_token_file");

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

QString fail(const AwsConfigFiles &files, const QString &profile, const QString &what)
{
    return QStringLiteral("%1: %2").arg(files.describeProfile(profile), what);
}

// botocore's AssumeRoleProvider._has_static_credentials: either key counts.
bool hasStaticKeys(const AwsProfile &p)
{
    return p.contains(kAccessKey) || p.contains(kSecretKey);
}

bool hasRole(const AwsProfile &p)
{
    return p.contains(kRoleArn) && !p.contains(kWebIdentity);
}

// The static keys of one file's section (botocore's SharedCredentialProvider and
// ConfigProvider each read their own file).
std::optional<StaticKeysConfig> staticKeysIn(
    const AwsConfigFiles &files, const AwsProfile &p, ConfigFileKind kind, QString *error)
{
    const std::optional<ConfigSection> &section = p.section(kind);
    if (!section || !section->contains(kAccessKey))
        return std::nullopt;
    if (!section->contains(kSecretKey)) {
        setError(error,
            fail(files, p.name(),
                QStringLiteral("aws_access_key_id is set in %1 but aws_secret_access_key is missing there")
                    .arg(SourceLocation{section->origin().path, 0}.describe(files.home()))));
        return std::nullopt;
    }
    StaticKeysConfig keys;
    keys.accessKeyId = section->value(kAccessKey);
    keys.secretAccessKey = section->value(kSecretKey).toUtf8();
    for (const QString &tokenKey : {QStringLiteral("aws_security_token"), QStringLiteral("aws_session_token")}) {
        if (section->contains(tokenKey)) {
            keys.sessionToken = section->value(tokenKey).toUtf8();
            break;
        }
    }
    keys.origin = SourceLocation{section->origin().path, section->lineOf(kAccessKey)};
    return keys;
}

// botocore's ProfileProviderBuilder chain (everything but assume-role):
// web identity, SSO, credentials-file keys, login, credential_process, config-file keys.
CredentialSource classifyProfileProviders(const AwsConfigFiles &files, const QString &name, QString *error)
{
    const AwsProfile p = files.profile(name);
    if (p.contains(kRoleArn) && p.contains(kWebIdentity)) {
        setError(error,
            fail(files, name,
                QStringLiteral("web_identity_token_file (AssumeRoleWithWebIdentity) is not supported "
                               "here; use source_profile or credential_source")));
        return CredentialSource::None;
    }
    if (p.contains(QStringLiteral("sso_account_id")) || p.contains(QStringLiteral("sso_role_name"))) {
        return readSsoConfig(files, name, error) ? CredentialSource::Sso : CredentialSource::None;
    }
    QString keyError;
    if (staticKeysIn(files, p, ConfigFileKind::Credentials, &keyError))
        return CredentialSource::StaticKeys;
    if (!keyError.isEmpty()) {
        setError(error, keyError);
        return CredentialSource::None;
    }
    if (p.contains(QStringLiteral("login_session"))) {
        setError(error, fail(files, name, QStringLiteral("login_session (\"aws login\") is not supported here")));
        return CredentialSource::None;
    }
    if (p.contains(QStringLiteral("credential_process"))) {
        if (p.value(QStringLiteral("credential_process")).isEmpty()) {
            setError(error, fail(files, name, QStringLiteral("credential_process is empty")));
            return CredentialSource::None;
        }
        return CredentialSource::Process;
    }
    if (staticKeysIn(files, p, ConfigFileKind::Config, &keyError))
        return CredentialSource::StaticKeys;
    if (!keyError.isEmpty()) {
        setError(error, keyError);
        return CredentialSource::None;
    }
    if (p.contains(kSecretKey))
        setError(
            error, fail(files, name, QStringLiteral("aws_secret_access_key is set but aws_access_key_id is missing")));
    return CredentialSource::None;
}

bool checkExists(const AwsConfigFiles &files, const QString &name, QString *error)
{
    if (files.hasProfile(name))
        return true;
    setError(error,
        QStringLiteral("The profile \"%1\" is not in %2 or %3")
            .arg(name, SourceLocation{files.configPath(), 0}.describe(files.home()),
                SourceLocation{files.credentialsPath(), 0}.describe(files.home())));
    return false;
}

} // namespace

QString toString(CredentialSource source)
{
    switch (source) {
    case CredentialSource::None:
        return QStringLiteral("none");
    case CredentialSource::StaticKeys:
        return QStringLiteral("static keys");
    case CredentialSource::Process:
        return QStringLiteral("credential_process");
    case CredentialSource::AssumeRole:
        return QStringLiteral("assume role");
    case CredentialSource::Sso:
        return QStringLiteral("SSO");
    }
    return {};
}

CredentialSource classify(const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return CredentialSource::None;
    if (hasRole(files.profile(profile)))
        return sourceProfileChain(files, profile, error).isEmpty() ? CredentialSource::None
                                                                   : CredentialSource::AssumeRole;
    return classifyProfileProviders(files, profile, error);
}

CredentialSource classifyAsSource(const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return CredentialSource::None;
    const AwsProfile p = files.profile(profile);
    if (hasStaticKeys(p) || !hasRole(p))
        return classifyProfileProviders(files, profile, error);
    return classify(files, profile, error);
}

QStringList sourceProfileChain(const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return {};
    QStringList chain{profile};
    QString current = profile;
    for (;;) {
        const std::optional<AssumeRoleConfig> role = readAssumeRoleConfig(files, current, error);
        if (!role)
            return {};
        if (!role->credentialSource.isEmpty())
            return chain;
        const QString source = role->sourceProfile;
        if (!files.hasProfile(source)) {
            setError(error, fail(files, current, QStringLiteral("source_profile \"%1\" does not exist").arg(source)));
            return {};
        }
        const AwsProfile sourceProfile = files.profile(source);
        // botocore allows a profile to be its own source when it has static keys.
        if (chain.contains(source) && (source != current || !hasStaticKeys(sourceProfile))) {
            setError(error,
                fail(files, profile,
                    QStringLiteral("source_profile loops: %1")
                        .arg((chain + QStringList{source}).join(QStringLiteral(" -> ")))));
            return {};
        }
        chain.append(source);
        if (hasStaticKeys(sourceProfile) || !hasRole(sourceProfile)) {
            QString sourceError;
            if (classifyProfileProviders(files, source, &sourceError) == CredentialSource::None) {
                setError(error,
                    sourceError.isEmpty() ? fail(files, source,
                        QStringLiteral("is used as source_profile by \"%1\" but "
                                       "has no credentials")
                            .arg(current))
                                          : sourceError);
                return {};
            }
            return chain;
        }
        current = source;
    }
}

std::optional<StaticKeysConfig> readStaticKeys(const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return std::nullopt;
    const AwsProfile p = files.profile(profile);
    QString keyError;
    if (auto keys = staticKeysIn(files, p, ConfigFileKind::Credentials, &keyError))
        return keys;
    if (keyError.isEmpty()) {
        if (auto keys = staticKeysIn(files, p, ConfigFileKind::Config, &keyError))
            return keys;
    }
    setError(error, keyError.isEmpty() ? fail(files, profile, QStringLiteral("has no aws_access_key_id")) : keyError);
    return std::nullopt;
}

std::optional<AssumeRoleConfig> readAssumeRoleConfig(
    const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return std::nullopt;
    const AwsProfile p = files.profile(profile);
    if (!p.contains(kRoleArn)) {
        setError(error, fail(files, profile, QStringLiteral("has no role_arn")));
        return std::nullopt;
    }
    AssumeRoleConfig role;
    role.roleArn = p.value(kRoleArn);
    role.sourceProfile = p.value(QStringLiteral("source_profile"));
    role.credentialSource = p.value(QStringLiteral("credential_source"));
    role.externalId = p.value(QStringLiteral("external_id"));
    role.roleSessionName = p.value(QStringLiteral("role_session_name"));
    role.mfaSerial = p.value(QStringLiteral("mfa_serial"));
    const bool hasSource = p.contains(QStringLiteral("source_profile"));
    const bool hasCredentialSource = p.contains(QStringLiteral("credential_source"));
    if (hasSource && hasCredentialSource) {
        setError(
            error, fail(files, profile, QStringLiteral("has both source_profile and credential_source; keep one")));
        return std::nullopt;
    }
    if (!hasSource && !hasCredentialSource) {
        setError(error, fail(files, profile, QStringLiteral("role_arn needs source_profile or credential_source")));
        return std::nullopt;
    }
    if (hasCredentialSource && role.credentialSource != QLatin1String("Environment")) {
        const bool known = role.credentialSource == QLatin1String("Ec2InstanceMetadata")
            || role.credentialSource == QLatin1String("EcsContainer");
        setError(error,
            fail(files, profile,
                known ? QStringLiteral("credential_source \"%1\" is not supported here; use "
                                       "Environment or source_profile")
                            .arg(role.credentialSource)
                      : QStringLiteral("credential_source \"%1\" is not valid (expected Environment, "
                                       "Ec2InstanceMetadata or EcsContainer)")
                            .arg(role.credentialSource)));
        return std::nullopt;
    }
    if (p.contains(QStringLiteral("duration_seconds"))) {
        bool isInt = false;
        const int seconds = p.value(QStringLiteral("duration_seconds")).toInt(&isInt);
        if (!isInt || seconds < kMinRoleDuration || seconds > kMaxRoleDuration) {
            setError(error,
                fail(files, profile,
                    QStringLiteral("duration_seconds must be a whole number of seconds from %1 to %2")
                        .arg(QString::number(kMinRoleDuration), QString::number(kMaxRoleDuration))));
            return std::nullopt;
        }
        role.durationSeconds = seconds;
    }
    return role;
}

std::optional<SsoConfig> readSsoConfig(const AwsConfigFiles &files, const QString &profile, QString *error)
{
    setError(error, QString());
    if (!checkExists(files, profile, error))
        return std::nullopt;
    const AwsProfile p = files.profile(profile);
    QMap<QString, QString> merged;
    for (const QString &key : {QStringLiteral("sso_start_url"), QStringLiteral("sso_region"),
             QStringLiteral("sso_account_id"), QStringLiteral("sso_role_name"), QStringLiteral("sso_session"),
             QStringLiteral("sso_registration_scopes")}) {
        if (p.contains(key))
            merged.insert(key, p.value(key));
    }
    QStringList required{QStringLiteral("sso_start_url"), QStringLiteral("sso_region"),
        QStringLiteral("sso_account_id"), QStringLiteral("sso_role_name")};
    SsoConfig sso;
    if (merged.contains(QStringLiteral("sso_session"))) {
        sso.sessionName = merged.value(QStringLiteral("sso_session"));
        const std::optional<ConfigSection> session = files.ssoSession(sso.sessionName);
        if (!session) {
            setError(error,
                fail(files, profile,
                    QStringLiteral("sso_session \"%1\" names no [sso-session %1] section in %2")
                        .arg(sso.sessionName, SourceLocation{files.configPath(), 0}.describe(files.home()))));
            return std::nullopt;
        }
        for (auto it = session->entries().cbegin(); it != session->entries().cend(); ++it) {
            if (it->isSubSection)
                continue;
            if (merged.contains(it.key()) && merged.value(it.key()) != it->value) {
                setError(error,
                    fail(files, profile,
                        QStringLiteral("%1 is \"%2\" here but \"%3\" in [sso-session %4] (%5)")
                            .arg(it.key(), merged.value(it.key()), it->value, sso.sessionName,
                                session->origin().describe(files.home()))));
                return std::nullopt;
            }
            merged.insert(it.key(), it->value);
        }
    }
    QStringList missing;
    for (const QString &key : required) {
        if (!merged.contains(key))
            missing.append(key);
    }
    if (!missing.isEmpty()) {
        setError(error,
            fail(files, profile, QStringLiteral("is configured for SSO but is missing %1").arg(missing.join(u", "))));
        return std::nullopt;
    }
    sso.startUrl = merged.value(QStringLiteral("sso_start_url"));
    sso.ssoRegion = merged.value(QStringLiteral("sso_region"));
    sso.accountId = merged.value(QStringLiteral("sso_account_id"));
    sso.roleName = merged.value(QStringLiteral("sso_role_name"));
    for (const QString &scope : merged.value(QStringLiteral("sso_registration_scopes")).split(u',')) {
        if (!scope.trimmed().isEmpty())
            sso.registrationScopes.append(scope.trimmed());
    }
    return sso;
}

} // namespace gls::creds
