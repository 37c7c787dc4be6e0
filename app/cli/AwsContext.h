#pragma once

// Wires the core for one gls-exporter-cli run from the global options and the
// environment: credentials (environment variables), the Region, endpoints,
// extra CA certificates, AWS_MAX_ATTEMPTS, the transport with its --debug
// sink, and the GameLift Streams and S3 clients, each made when first needed.

#include "CommandLine.h"

#include "aws/Endpoints.h"

#include <QObject>
#include <QProcessEnvironment>

#include <memory>

class QNetworkAccessManager;

namespace gls::aws {
class AwsTransport;
class CredentialsProvider;
class Clock;
} // namespace gls::aws

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::s3 {
class S3Client;
}

namespace gls::cli {

class Output;

class AwsContext : public QObject {
    Q_OBJECT
public:
    // Which service --endpoint-url addresses: the command's own.
    enum class Service { GameLift, S3 };

    AwsContext(GlobalOptions options, Service commandService, Output *output,
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(), QObject *parent = nullptr);
    ~AwsContext() override;

    // Reads the Region, the CA bundle and AWS_MAX_ATTEMPTS and builds the
    // transport. False with a message naming the setting (exit 2).
    bool setUp(QString *error);

    // The clients, made on first use; null with a message (exit 2) when the
    // endpoint cannot be resolved.
    gamelift::GameLiftClient *gameLift(QString *error);
    s3::S3Client *s3(QString *error);

    QString region() const { return m_region; }

private:
    aws::EndpointOptions endpointOptions(Service service) const;
    void debugSink(const QString &text) const;

    GlobalOptions m_options;
    Service m_service;
    Output *m_output;
    QProcessEnvironment m_env;
    QString m_region;
    QByteArray m_secret; // only to scrub --debug text, should a secret ever reach it
    QByteArray m_token;
    QNetworkAccessManager *m_network = nullptr;
    aws::CredentialsProvider *m_credentials = nullptr;
    std::unique_ptr<aws::Clock> m_clock;
    aws::AwsTransport *m_transport = nullptr;
    gamelift::GameLiftClient *m_gameLift = nullptr;
    s3::S3Client *m_s3 = nullptr;
};

} // namespace gls::cli
