#pragma once

// Wires the core for one gls-exporter-cli run from the global options and the
// environment: credentials through the chain (--profile, the environment, the
// keychain, the AWS files), the Region, endpoints, extra CA certificates,
// AWS_MAX_ATTEMPTS, the transport with its --debug sink, and the GameLift
// Streams, S3 and STS endpoints, each made when first needed.

#include "CommandLine.h"

#include "aws/Endpoints.h"

#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace gls::aws {
class AwsTransport;
class CredentialsProvider;
class Clock;
} // namespace gls::aws

namespace gls::creds {
class CredentialChain;
class KeychainStore;
class ProfileSettings;
struct ChainResolution;
} // namespace gls::creds

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
    enum class Service { GameLift, S3, Sts, None };

    AwsContext(GlobalOptions options, Service commandService, Output *output,
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(), QObject *parent = nullptr);
    ~AwsContext() override;

    // Decides where credentials come from (waiting for the keychain), reads
    // the Region, the CA bundle and AWS_MAX_ATTEMPTS and builds the
    // transport. False with a message naming the setting (exit 2). Missing
    // credentials are not an error here: the first request reports them.
    bool setUp(QString *error);

    // The keychain (service GLS_KEYCHAIN_SERVICE, default "gls-exporter") and
    // the profiles' non-secret settings, for the credentials commands.
    creds::KeychainStore *keychain();
    creds::ProfileSettings *profileSettings();
    const QProcessEnvironment &environment() const { return m_env; }
    const GlobalOptions &options() const { return m_options; }
    // Where credentials came from ("keychain:qa", "environment", ...), after setUp.
    QString credentialsSource() const;

    // STS (for whoami); invalid with a message when it cannot be resolved.
    aws::Endpoint stsEndpoint(QString *error);
    aws::AwsTransport *transport() const { return m_transport; }

    // The clients, made on first use; null with a message (exit 2) when the
    // endpoint cannot be resolved.
    gamelift::GameLiftClient *gameLift(QString *error);
    s3::S3Client *s3(QString *error);

    QString region() const { return m_region; }

private:
    aws::EndpointOptions endpointOptions(Service service) const;
    void debugSink(const QString &text) const;
    void askMfaCode(const QString &profile, const QString &serial, std::function<void(const QString &)> done);

    GlobalOptions m_options;
    Service m_service;
    Output *m_output;
    QProcessEnvironment m_env;
    QString m_region;
    QByteArray m_secret; // only to scrub --debug text, should a secret ever reach it
    QByteArray m_token;
    QNetworkAccessManager *m_network = nullptr;
    creds::CredentialChain *m_credentials = nullptr;
    creds::KeychainStore *m_keychain = nullptr;
    std::unique_ptr<creds::ProfileSettings> m_profileSettings;
    std::unique_ptr<aws::Clock> m_clock;
    aws::AwsTransport *m_transport = nullptr;
    gamelift::GameLiftClient *m_gameLift = nullptr;
    s3::S3Client *m_s3 = nullptr;
};

} // namespace gls::cli
