#include "CredentialChain.h"

#include "AwsConfigFiles.h"
#include "ConfigSettings.h"
#include "KeychainCredentialsProvider.h"
#include "KeychainStore.h"
#include "ProcessCredentialsProvider.h"
#include "ProfileClassifier.h"
#include "ProfileSettings.h"
#include "RefreshingCredentialsProvider.h"
#include "SsoCredentialsProvider.h"
#include "SsoTokenCache.h"

#include <QTimer>

namespace gls::creds {

namespace {

constexpr int kMaxRoleChain = 10;

QString filesHint(const AwsConfigFiles &files)
{
    const QStringList errors = files.errors();
    return errors.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(errors.join(QStringLiteral("; ")));
}

} // namespace

QString noCredentialsMessage()
{
    return QStringLiteral(
        "No AWS credentials were found. Store some in the keychain (gls-exporter-cli credentials set --profile "
        "default, or Manage credentials in the app), set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure "
        "a profile in ~/.aws/credentials or ~/.aws/config (static keys, credential_process, role_arn or SSO).");
}

CredentialChain::CredentialChain(ChainOptions options, QObject *parent)
    : CredentialsProvider(parent)
    , m_options(std::move(options))
{
}

CredentialChain::~CredentialChain() = default;

void CredentialChain::resolve(QObject *context, std::function<void(const ChainResolution &)> done)
{
    if (m_resolved) {
        QTimer::singleShot(0, context, [this, done = std::move(done)] { done(m_resolution); });
        return;
    }
    m_waiting.append({QPointer<QObject>(context), std::move(done)});
    if (m_resolving)
        return;
    m_resolving = true;
    decide();
}

void CredentialChain::decide()
{
    const QString explicitProfile = m_options.profile;
    const auto fromFiles = [this, explicitProfile](const QString &keychainNote) {
        const AwsConfigFiles files = AwsConfigFiles::load(m_options.env);
        const QString name = explicitProfile.isEmpty() ? selectedProfileName(m_options.env) : explicitProfile;
        if (files.hasProfile(name)) {
            useFileProfile(files, name);
            return;
        }
        if (!explicitProfile.isEmpty()) {
            m_resolution.error = QStringLiteral("No profile named \"%1\": it is neither a keychain profile nor in %2 "
                                                "or %3.%4%5")
                                     .arg(name, files.configPath(), files.credentialsPath(), keychainNote,
                                          filesHint(files));
        } else if (m_options.env.contains(QStringLiteral("AWS_PROFILE"))) {
            m_resolution.error = QStringLiteral("AWS_PROFILE names the profile \"%1\", which is not in %2 or %3.%4")
                                     .arg(name, files.configPath(), files.credentialsPath(), filesHint(files));
        } else {
            m_resolution.error = noCredentialsMessage() + keychainNote + filesHint(files);
        }
        finishResolution();
    };
    const auto keychainNote = [](const KeychainListResult &r) {
        return r.ok() ? QString() : QStringLiteral(" (The keychain could not be read: %1)").arg(r.error);
    };

    if (!explicitProfile.isEmpty()) {
        if (!m_options.keychain) {
            fromFiles({});
            return;
        }
        m_options.keychain->list(this, [this, explicitProfile, fromFiles, keychainNote](const KeychainListResult &r) {
            for (const KeychainProfileInfo &p : r.profiles) {
                if (p.name == explicitProfile) {
                    useKeychain(explicitProfile);
                    return;
                }
            }
            fromFiles(keychainNote(r));
        });
        return;
    }
    if (!m_options.env.value(QStringLiteral("AWS_ACCESS_KEY_ID")).isEmpty()
        && !m_options.env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).isEmpty()) {
        useEnvironment();
        return;
    }
    if (!m_options.keychain) {
        fromFiles({});
        return;
    }
    m_options.keychain->list(this, [this, fromFiles, keychainNote](const KeychainListResult &r) {
        for (const KeychainProfileInfo &p : r.profiles) {
            if (p.name == QLatin1String("default")) {
                useKeychain(p.name);
                return;
            }
        }
        fromFiles(keychainNote(r));
    });
}

void CredentialChain::useEnvironment()
{
    m_provider = new aws::EnvironmentCredentialsProvider(m_options.env, this);
    m_resolution.source = QStringLiteral("environment");
    // The AWS CLI still reads the Region and endpoints from the selected profile.
    const AwsConfigFiles files = AwsConfigFiles::load(m_options.env);
    const QString name = selectedProfileName(m_options.env);
    const Setting region = creds::resolveRegion(m_options.env, files, name);
    m_resolution.region = region.value;
    m_resolution.regionOrigin = region.origin;
    m_resolution.caBundle = resolveCaBundle(m_options.env, files, name).value;
    QString ignored;
    const Setting gl = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("gameliftstreams"), &ignored);
    const Setting s3 = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("s3"), &ignored);
    const Setting sts = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("sts"), &ignored);
    m_resolution.stsEndpointUrl = sts.value;
    m_resolution.stsEndpointOrigin = sts.origin;
    m_resolution.gameliftEndpointUrl = gl.value;
    m_resolution.gameliftEndpointOrigin = gl.origin;
    m_resolution.s3EndpointUrl = s3.value;
    m_resolution.s3EndpointOrigin = s3.origin;
    finishResolution();
}

void CredentialChain::useKeychain(const QString &name)
{
    m_provider = new KeychainCredentialsProvider(m_options.keychain, name, this);
    m_resolution.source = QStringLiteral("keychain:") + name;
    m_resolution.profile = name;
    const QProcessEnvironment &env = m_options.env;
    const ProfileDefaults d = m_options.settings ? m_options.settings->load(name) : ProfileDefaults{};
    const auto pick = [&env](const QStringList &vars, const QString &fallback, const QString &fallbackOrigin,
                             QString *origin) {
        for (const QString &var : vars) {
            if (!env.value(var).isEmpty()) {
                *origin = var;
                return env.value(var);
            }
        }
        *origin = fallback.isEmpty() ? QString() : fallbackOrigin;
        return fallback;
    };
    const QString settingsOrigin = QStringLiteral("the app's settings for profile \"%1\"").arg(name);
    QString origin;
    m_resolution.region = pick({QStringLiteral("AWS_REGION"), QStringLiteral("AWS_DEFAULT_REGION")}, d.region,
                               settingsOrigin, &m_resolution.regionOrigin);
    m_resolution.caBundle = pick({QStringLiteral("AWS_CA_BUNDLE")}, d.caBundle, settingsOrigin, &origin);
    m_resolution.gameliftEndpointUrl
        = pick({QStringLiteral("AWS_ENDPOINT_URL_GAMELIFTSTREAMS"), QStringLiteral("AWS_ENDPOINT_URL")}, d.endpointUrl,
               settingsOrigin, &m_resolution.gameliftEndpointOrigin);
    m_resolution.s3EndpointUrl = pick({QStringLiteral("AWS_ENDPOINT_URL_S3"), QStringLiteral("AWS_ENDPOINT_URL")}, {},
                                      {}, &m_resolution.s3EndpointOrigin);
    m_resolution.stsEndpointUrl = pick({QStringLiteral("AWS_ENDPOINT_URL_STS"), QStringLiteral("AWS_ENDPOINT_URL")}, {},
                                       {}, &m_resolution.stsEndpointOrigin);
    finishResolution();
}

bool CredentialChain::useFileProfile(const AwsConfigFiles &files, const QString &name)
{
    QString error;
    // The profile's ca_bundle also holds for its STS and SSO calls.
    const QString caBundle = resolveCaBundle(m_options.env, files, name).value;
    if (!caBundle.isEmpty() && m_options.transport.extraCaCertificates.isEmpty()
        && !aws::AwsTransport::loadCaBundle(caBundle, &m_options.transport.extraCaCertificates, &error)) {
        m_resolution.error = QStringLiteral("%1: ca_bundle: %2").arg(files.describeProfile(name), error);
        finishResolution();
        return false;
    }
    aws::CredentialsProvider *provider = buildFileProvider(files, name, false, 0, &error);
    if (!provider) {
        m_resolution.error = error;
        finishResolution();
        return false;
    }
    QString why;
    const CredentialSource kind = classify(files, name, &why);
    m_provider = provider;
    m_resolution.profile = name;
    m_resolution.source = QStringLiteral("aws-profile:%1 (%2)").arg(name, toString(kind));
    const Setting region = creds::resolveRegion(m_options.env, files, name);
    m_resolution.region = region.value;
    m_resolution.regionOrigin = region.origin;
    m_resolution.caBundle = caBundle;
    QString endpointError;
    const Setting gl = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("gameliftstreams"), &endpointError);
    const Setting s3 = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("s3"), &endpointError);
    const Setting sts = resolveEndpointUrl(m_options.env, files, name, QStringLiteral("sts"), &endpointError);
    m_resolution.stsEndpointUrl = sts.value;
    m_resolution.stsEndpointOrigin = sts.origin;
    if (!endpointError.isEmpty()) {
        m_provider = nullptr;
        provider->deleteLater();
        m_resolution.error = endpointError;
        finishResolution();
        return false;
    }
    m_resolution.gameliftEndpointUrl = gl.value;
    m_resolution.gameliftEndpointOrigin = gl.origin;
    m_resolution.s3EndpointUrl = s3.value;
    m_resolution.s3EndpointOrigin = s3.origin;
    if (!files.ok())
        m_resolution.warning = files.errors().join(QLatin1Char('\n'));
    finishResolution();
    return true;
}

aws::CredentialsProvider *CredentialChain::refreshing(aws::CredentialsProvider *source)
{
    auto *r = new RefreshingCredentialsProvider(source, m_options.clock, this);
    source->setParent(r);
    connect(r, &RefreshingCredentialsProvider::refreshed, this, &CredentialChain::refreshed);
    connect(r, &RefreshingCredentialsProvider::refreshFailed, this, &CredentialChain::refreshFailed);
    return r;
}

aws::Endpoint CredentialChain::profileEndpoint(const AwsConfigFiles &files, const QString &name,
                                               const QString &serviceId, const QString &region,
                                               aws::Endpoint (*resolve)(const aws::EndpointOptions &, QString *),
                                               QString *error) const
{
    aws::EndpointOptions o;
    o.region = region;
    o.env = m_options.env;
    QString why;
    const Setting url = resolveEndpointUrl(m_options.env, files, name, serviceId, &why);
    o.endpointUrl = url.value;
    o.endpointUrlSource = url.origin;
    const aws::Endpoint endpoint = why.isEmpty() ? resolve(o, &why) : aws::Endpoint{};
    if (!endpoint.isValid())
        *error = files.describeProfile(name) + QStringLiteral(": ") + why;
    return endpoint;
}

aws::CredentialsProvider *CredentialChain::buildFileProvider(const AwsConfigFiles &files, const QString &name,
                                                             bool asSource, int depth, QString *error)
{
    if (depth > kMaxRoleChain) {
        *error = QStringLiteral("%1: the chain of source_profile roles is longer than %2")
                     .arg(files.describeProfile(name))
                     .arg(kMaxRoleChain);
        return nullptr;
    }
    const CredentialSource kind = asSource ? classifyAsSource(files, name, error) : classify(files, name, error);
    switch (kind) {
    case CredentialSource::None:
        if (error->isEmpty())
            *error = QStringLiteral("%1 holds no credentials (no aws_access_key_id, credential_process, role_arn or "
                                    "sso settings)")
                         .arg(files.describeProfile(name));
        return nullptr;
    case CredentialSource::StaticKeys: {
        std::optional<StaticKeysConfig> keys = readStaticKeys(files, name, error);
        if (!keys)
            return nullptr;
        sigv4::Credentials c;
        c.accessKeyId = keys->accessKeyId.toUtf8();
        c.secretAccessKey = keys->secretAccessKey;
        c.sessionToken = keys->sessionToken;
        aws::wipe(keys->secretAccessKey);
        aws::wipe(keys->sessionToken);
        auto *p = new aws::StaticCredentialsProvider(c, QStringLiteral("aws-profile:") + name, this);
        aws::wipe(c);
        return p;
    }
    case CredentialSource::Process:
        return refreshing(new ProcessCredentialsProvider(files.profile(name).value(QStringLiteral("credential_process")),
                                                         name, m_options.clock));
    case CredentialSource::AssumeRole: {
        const std::optional<AssumeRoleConfig> cfg = readAssumeRoleConfig(files, name, error);
        if (!cfg)
            return nullptr;
        if (!cfg->roleSessionName.isEmpty() && !validRoleSessionName(cfg->roleSessionName, error)) {
            *error = files.describeProfile(name) + QStringLiteral(": ") + *error;
            return nullptr;
        }
        aws::CredentialsProvider *source = nullptr;
        if (!cfg->sourceProfile.isEmpty()) {
            source = buildFileProvider(files, cfg->sourceProfile, true, depth + 1, error);
        } else if (cfg->credentialSource.compare(QLatin1String("Environment"), Qt::CaseInsensitive) == 0) {
            source = new aws::EnvironmentCredentialsProvider(m_options.env, this);
        } else {
            *error = QStringLiteral("%1: credential_source = %2 is not supported here; use source_profile or "
                                    "credential_source = Environment")
                         .arg(files.describeProfile(name), cfg->credentialSource);
        }
        if (!source)
            return nullptr;
        QString region = creds::resolveRegion(m_options.env, files, name).value;
        if (region.isEmpty())
            region = m_options.fallbackRegion.isEmpty() ? QStringLiteral("us-east-1") : m_options.fallbackRegion;
        const aws::Endpoint endpoint
            = profileEndpoint(files, name, QStringLiteral("sts"), region, &aws::resolveStsEndpoint, error);
        if (!endpoint.isValid())
            return nullptr;
        auto *transport = new aws::AwsTransport(m_options.network, source, m_options.clock, m_options.transport, {},
                                                this);
        source->setParent(transport);
        AssumeRoleSettings settings;
        settings.profile = name;
        settings.role.roleArn = cfg->roleArn;
        settings.role.roleSessionName = cfg->roleSessionName;
        settings.role.externalId = cfg->externalId;
        settings.role.serialNumber = cfg->mfaSerial;
        settings.role.durationSeconds = cfg->durationSeconds.value_or(0);
        auto *assume = new AssumeRoleCredentialsProvider(settings, transport, endpoint, m_options.clock,
                                                         m_options.mfaPrompt);
        transport->setParent(assume);
        return refreshing(assume);
    }
    case CredentialSource::Sso: {
        const std::optional<SsoConfig> cfg = readSsoConfig(files, name, error);
        if (!cfg)
            return nullptr;
        const aws::Endpoint endpoint
            = profileEndpoint(files, name, QStringLiteral("sso"), cfg->ssoRegion, &aws::resolveSsoEndpoint, error);
        if (!endpoint.isValid())
            return nullptr;
        auto cache = std::make_shared<SsoTokenCache>(SsoTokenCache::defaultDirectory(m_options.env), *m_options.clock);
        const SsoConfig sso = *cfg;
        const SsoCredentialsProvider::TokenLoader loader = [cache, sso, name](QByteArray *token, QString *why) {
            return cache->loadToken(sso, name, token, why);
        };
        auto *portal = new aws::AwsTransport(m_options.network, nullptr, m_options.clock, m_options.transport, {}, this);
        auto *provider = new SsoCredentialsProvider({name, cfg->accountId, cfg->roleName}, loader, portal, endpoint);
        portal->setParent(provider);
        return refreshing(provider);
    }
    }
    return nullptr;
}

void CredentialChain::finishResolution()
{
    m_resolving = false;
    m_resolved = true;
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto &[context, done] : waiting) {
        if (context)
            done(m_resolution);
    }
}

void CredentialChain::fetch(QObject *context, Callback done)
{
    const auto deliver = [this, done](QObject *ctx) {
        if (m_provider) {
            m_provider->fetch(ctx, done);
            return;
        }
        aws::CredentialsResult r;
        r.error = m_resolution.error.isEmpty() ? noCredentialsMessage() : m_resolution.error;
        r.source = m_resolution.source;
        done(r);
    };
    if (m_resolved) {
        if (m_provider)
            m_provider->fetch(context, done);
        else
            QTimer::singleShot(0, context, [deliver, context] { deliver(context); });
        return;
    }
    QPointer<QObject> guard(context);
    resolve(context, [deliver, guard](const ChainResolution &) {
        if (guard)
            deliver(guard);
    });
}

void CredentialChain::invalidate()
{
    if (m_provider)
        m_provider->invalidate();
}

} // namespace gls::creds
