#include "AwsContext.h"

#include "Output.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"
#include "aws/Redaction.h"
#include "aws/RetryPolicy.h"
#include "gamelift/GameLiftClient.h"
#include "s3/S3Client.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>

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
    m_region = aws::resolveRegion(m_options.region, m_env);

    aws::TransportSettings settings;
    QString warning;
    settings.retry = aws::RetryPolicy::fromEnvironment(m_env.value(QStringLiteral("AWS_MAX_ATTEMPTS")), &warning);
    if (!warning.isEmpty())
        m_output->warning(warning);
    QString caBundle = m_options.caBundle;
    QString caFrom = QStringLiteral("--ca-bundle");
    if (caBundle.isEmpty()) {
        caBundle = m_env.value(QStringLiteral("AWS_CA_BUNDLE"));
        caFrom = QStringLiteral("AWS_CA_BUNDLE");
    }
    if (!caBundle.isEmpty()) {
        QString why;
        if (!aws::AwsTransport::loadCaBundle(caBundle, &settings.extraCaCertificates, &why)) {
            *error = caFrom + QStringLiteral(": ") + why;
            return false;
        }
    }

    m_network = new QNetworkAccessManager(this);
    m_credentials = new aws::EnvironmentCredentialsProvider(this);
    m_clock = std::make_unique<aws::SystemClock>();
    m_transport = new aws::AwsTransport(m_network, m_credentials, m_clock.get(), settings);

    if (m_options.debug) {
        m_secret = m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8();
        m_token = m_env.value(QStringLiteral("AWS_SESSION_TOKEN")).toUtf8();
        QLoggingCategory::setFilterRules(QStringLiteral("gls.*.debug=true\ngls.*.info=true"));
        m_transport->setDebugSink([this](const QString &text) { debugSink(text); });
        const QString keyId = m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
        debugSink(QStringLiteral("debug: Region %1; credentials from the environment (key %2, session token %3); "
                                 "%4 attempts per request; CA bundle %5")
                      .arg(m_region.isEmpty() ? QStringLiteral("(none)") : m_region,
                          keyId.isEmpty() ? QStringLiteral("(none)") : aws::redactKeyId(keyId.toUtf8()),
                          m_token.isEmpty() ? QStringLiteral("not set") : QStringLiteral("set"))
                      .arg(settings.retry.maxAttempts)
                      .arg(caBundle.isEmpty() ? QStringLiteral("(none)") : caBundle));
    }
    return true;
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
