#include "AwsContext.h"

#include "Output.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"
#include "aws/Redaction.h"
#include "aws/RetryPolicy.h"
#include "credentials/CredentialChain.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileSettings.h"
#include "gamelift/GameLiftClient.h"
#include "s3/S3Client.h"

#include <QLoggingCategory>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QTextStream>
#include <QTimer>


namespace gls::cli {

AwsContext::AwsContext(
    GlobalOptions options, Service commandService, Output *output, QProcessEnvironment env, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_service(commandService)
    , m_output(output)
    , m_env(std::move(env))
{
}

AwsContext::~AwsContext()
{
    // Clients and jobs before the transport they send through.
    delete m_gameLift;
    delete m_s3;
    delete m_transport;
    aws::wipe(m_secret);
    aws::wipe(m_token);
}

bool AwsContext::setUp(QString *error)
{
    aws::TransportSettings settings;
    QString warning;
    settings.retry = aws::RetryPolicy::fromEnvironment(m_env.value(QStringLiteral("AWS_MAX_ATTEMPTS")), &warning);
    if (!warning.isEmpty())
        m_output->warning(warning);
    if (!m_options.caBundle.isEmpty()) {
        QString why;
        if (!aws::AwsTransport::loadCaBundle(m_options.caBundle, &settings.extraCaCertificates, &why)) {
            *error = QStringLiteral("--ca-bundle: ") + why;
            return false;
        }
    }

    m_network = new QNetworkAccessManager(this);
    m_clock = std::make_unique<aws::SystemClock>();

    creds::ChainOptions chain;
    chain.profile = m_options.profile;
    chain.env = m_env;
    chain.keychain = keychain();
    chain.settings = profileSettings();
    chain.network = m_network;
    chain.clock = m_clock.get();
    chain.transport = settings;
    chain.fallbackRegion = aws::resolveRegion(m_options.region, m_env);
    chain.mfaPrompt = [this](const QString &profile, const QString &serial, QObject *,
                             std::function<void(const QString &)> done) { askMfaCode(profile, serial, done); };
    m_credentials = new creds::CredentialChain(chain, this);
    QEventLoop wait;
    m_credentials->resolve(&wait, [&wait](const creds::ChainResolution &) { wait.quit(); });
    if (!m_credentials->isResolved())
        wait.exec();
    const creds::ChainResolution &r = m_credentials->resolution();
    if (!m_options.profile.isEmpty() && !r.ok()) {
        *error = QStringLiteral("--profile: ") + r.error; // asked for by name: say so before anything is sent
        return false;
    }
    if (!r.warning.isEmpty())
        m_output->warning(r.warning);

    m_region = m_options.region.isEmpty() ? r.region : m_options.region;
    if (m_region.isEmpty())
        m_region = aws::resolveRegion(m_options.region, m_env);
    QString caBundle = m_options.caBundle;
    QString caFrom = QStringLiteral("--ca-bundle");
    if (caBundle.isEmpty()) {
        caBundle = r.caBundle.isEmpty() ? m_env.value(QStringLiteral("AWS_CA_BUNDLE")) : r.caBundle;
        caFrom = m_env.value(QStringLiteral("AWS_CA_BUNDLE")).isEmpty() ? QStringLiteral("ca_bundle")
                                                                         : QStringLiteral("AWS_CA_BUNDLE");
        if (!caBundle.isEmpty()) {
            QString why;
            if (!aws::AwsTransport::loadCaBundle(caBundle, &settings.extraCaCertificates, &why)) {
                *error = caFrom + QStringLiteral(": ") + why;
                return false;
            }
        }
    }
    m_transport = new aws::AwsTransport(m_network, m_credentials, m_clock.get(), settings);

    if (m_options.debug) {
        m_secret = m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8();
        m_token = m_env.value(QStringLiteral("AWS_SESSION_TOKEN")).toUtf8();
        QLoggingCategory::setFilterRules(QStringLiteral("gls.*.debug=true\ngls.*.info=true"));
        m_transport->setDebugSink([this](const QString &text) { debugSink(text); });
        debugSink(QStringLiteral("debug: Region %1; credentials from %2; %3 attempts per request; CA bundle %4")
                      .arg(m_region.isEmpty() ? QStringLiteral("(none)") : m_region,
                           r.ok() ? r.source : QStringLiteral("nowhere (%1)").arg(r.error))
                      .arg(settings.retry.maxAttempts)
                      .arg(caBundle.isEmpty() ? QStringLiteral("(none)") : caBundle));
    }
    return true;
}

creds::KeychainStore *AwsContext::keychain()
{
    if (!m_keychain) {
        const QString service = m_env.value(QStringLiteral("GLS_KEYCHAIN_SERVICE"), QStringLiteral("gls-exporter"));
        m_keychain = new creds::KeychainStore(service, this);
    }
    return m_keychain;
}

creds::ProfileSettings *AwsContext::profileSettings()
{
    if (!m_profileSettings)
        m_profileSettings = std::make_unique<creds::ProfileSettings>();
    return m_profileSettings.get();
}

QString AwsContext::credentialsSource() const
{
    return m_credentials ? m_credentials->resolution().source : QString();
}

void AwsContext::askMfaCode(const QString &profile, const QString &serial, std::function<void(const QString &)> done)
{
    if (!m_output->terminal().stdinIsTerminal) {
        m_output->warning(QStringLiteral("profile \"%1\" needs an MFA code for %2, and stdin is not a terminal to "
                                         "ask on")
                              .arg(profile, serial));
        done({});
        return;
    }
    m_output->prompt(QStringLiteral("MFA code for %1 (profile %2): ").arg(serial, profile));
    QTextStream in(stdin);
    const QString code = in.readLine().trimmed();
    done(code);
}

void AwsContext::debugSink(const QString &text) const
{
    // The transport already leaves secrets out; this is the second lock.
    QByteArray bytes = text.toUtf8();
    if (!m_secret.isEmpty())
        bytes.replace(m_secret, "<redacted>");
    if (!m_token.isEmpty())
        bytes.replace(m_token, "<redacted>");
    m_output->debug(QString::fromUtf8(bytes));
}

aws::EndpointOptions AwsContext::endpointOptions(Service service) const
{
    aws::EndpointOptions options;
    options.region = m_region;
    // --endpoint-url is the command's own service's; --s3-endpoint-url is S3's for every command.
    if (service == Service::S3 && !m_options.s3EndpointUrl.isEmpty())
        options.endpointUrl = m_options.s3EndpointUrl;
    else if (service == m_service)
        options.endpointUrl = m_options.endpointUrl;
    options.useFips = m_options.fips;
    options.env = m_env;
    // Else the endpoint the profile configures (its services section or endpoint_url).
    if (options.endpointUrl.isEmpty() && m_credentials) {
        const creds::ChainResolution &r = m_credentials->resolution();
        const QString url = service == Service::GameLift ? r.gameliftEndpointUrl
                          : service == Service::S3        ? r.s3EndpointUrl
                          : service == Service::Sts       ? r.stsEndpointUrl
                                                          : QString();
        const QString origin = service == Service::GameLift ? r.gameliftEndpointOrigin
                             : service == Service::S3        ? r.s3EndpointOrigin
                                                             : r.stsEndpointOrigin;
        if (!url.isEmpty()) {
            options.endpointUrl = url;
            options.endpointUrlSource = origin;
        }
    }
    return options;
}

gamelift::GameLiftClient *AwsContext::gameLift(QString *error)
{
    if (m_gameLift)
        return m_gameLift;
    const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(endpointOptions(Service::GameLift), error);
    if (!endpoint.isValid())
        return nullptr;
    if (m_options.debug)
        debugSink(QStringLiteral("debug: GameLift Streams endpoint %1").arg(endpoint.baseUrl.toString()));
    m_gameLift = new gamelift::GameLiftClient(m_transport, endpoint);
    return m_gameLift;
}

aws::Endpoint AwsContext::stsEndpoint(QString *error)
{
    const aws::Endpoint endpoint = aws::resolveStsEndpoint(endpointOptions(Service::Sts), error);
    if (endpoint.isValid() && m_options.debug)
        debugSink(QStringLiteral("debug: STS endpoint %1").arg(endpoint.baseUrl.toString()));
    return endpoint;
}

s3::S3Client *AwsContext::s3(QString *error)
{
    if (m_s3)
        return m_s3;
    const aws::EndpointOptions options = endpointOptions(Service::S3);
    // Resolved once now, so a bad setting is reported before anything is sent.
    const aws::Endpoint endpoint = aws::resolveS3Endpoint(options, error);
    if (!endpoint.isValid())
        return nullptr;
    if (m_options.debug)
        debugSink(
            QStringLiteral("debug: S3 endpoint %1 (for the Region %2)").arg(endpoint.baseUrl.toString(), m_region));
    m_s3 = new s3::S3Client(m_transport, options);
    return m_s3;
}

} // namespace gls::cli
