#include "GuiContext.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/RetryPolicy.h"
#include "gamelift/GameLiftClient.h"

#include <QNetworkAccessManager>

namespace gls::gui {

GuiContext::GuiContext(GuiSettings settings, aws::CredentialsProvider *credentials, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_network(new QNetworkAccessManager(this))
    , m_credentials(credentials)
    , m_clock(std::make_unique<aws::SystemClock>())
{
    m_credentials->setParent(this);
    aws::TransportSettings transport;
    QString warning;
    transport.retry
        = aws::RetryPolicy::fromEnvironment(m_settings.env.value(QStringLiteral("AWS_MAX_ATTEMPTS")), &warning);
    transport.extraCaCertificates = m_settings.extraCaCertificates;
    transport.requestsPerSecondPerOperation = m_settings.requestsPerSecondPerOperation;
    m_transport = new aws::AwsTransport(m_network, m_credentials, m_clock.get(), transport);
}

GuiContext::~GuiContext()
{
    // Clients (and their jobs) before the transport they send through.
    qDeleteAll(m_clients);
    m_clients.clear();
    delete m_transport;
}

gamelift::GameLiftClient *GuiContext::gameLift(const QString &region, QString *error)
{
    if (auto *client = m_clients.value(region))
        return client;
    aws::EndpointOptions options;
    options.region = region;
    options.endpointUrl = m_settings.endpointUrl;
    options.env = m_settings.env;
    const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(options, error);
    if (!endpoint.isValid())
        return nullptr;
    auto *client = new gamelift::GameLiftClient(m_transport, endpoint);
    m_clients.insert(region, client);
    return client;
}

} // namespace gls::gui
