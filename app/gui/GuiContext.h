#pragma once

// Wires the core for the desktop app: one network manager, credentials
// provider, clock and transport, and a GameLift Streams client per Region,
// made when the window first asks for it (MainWindow::ClientFactory).
// Endpoints resolve as the CLI's do (AWS_ENDPOINT_URL_GAMELIFTSTREAMS,
// AWS_ENDPOINT_URL, or the override given here).

#include "aws/Endpoints.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QSslCertificate>

#include <memory>

class QNetworkAccessManager;

namespace gls::aws {
class AwsTransport;
class Clock;
class CredentialsProvider;
} // namespace gls::aws

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::gui {

struct GuiSettings {
    QString endpointUrl;                        // --endpoint-url; empty: the environment's or AWS's
    QList<QSslCertificate> extraCaCertificates; // --ca-bundle / AWS_CA_BUNDLE / the emulator's CA
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Client-side pacing per operation (the service's documented limit); 0: off.
    double requestsPerSecondPerOperation = 20;
};

class GuiContext : public QObject {
    Q_OBJECT
public:
    // Takes ownership of `credentials`.
    GuiContext(GuiSettings settings, aws::CredentialsProvider *credentials, QObject *parent = nullptr);
    ~GuiContext() override;

    gamelift::GameLiftClient *gameLift(const QString &region, QString *error);

private:
    GuiSettings m_settings;
    QNetworkAccessManager *m_network;
    aws::CredentialsProvider *m_credentials;
    std::unique_ptr<aws::Clock> m_clock;
    aws::AwsTransport *m_transport;
    QHash<QString, gamelift::GameLiftClient *> m_clients;
};

} // namespace gls::gui
