#pragma once

// Wires the emulator together: the state, the S3 store, the identities
// (roles, temporary credentials), the signature verifier, faults, the
// GameLift Streams, STS, SSO portal and S3 services, and their two listeners. Usable in-process (the desktop app's demo mode) or through the
// gls-emulator executable.

#include "FaultInjector.h"
#include "IdentityStore.h"
#include "SignatureVerifier.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>

#include <memory>

namespace gls::emu {

class AccessPolicy;
class ControlService;
class EmulatorState;
class GameLiftService;
class HttpServer;
class ObjectStore;
class RateLimiter;
class RequestStats;
class S3Service;
class SsoService;
class StsService;

struct EmulatorConfig {
    QString dataDir;
    QHostAddress host = QHostAddress::LocalHost;
    quint16 gameliftPort = 0;
    quint16 s3Port = 0;
    bool tls = true;
    QString tlsCertificate; // PEM files given by the user; generated when empty
    QString tlsKey;
    QStringList tlsHosts;   // extra names for the generated certificate
    quint64 seed = 42;
    int groups = 6;
    int sessions = 60;
    QStringList regions = {QStringLiteral("us-west-2"), QStringLiteral("us-east-2")};
    QString account = QStringLiteral("111122223333");
    double timeScale = 1.0;
    double arrivalsPerHour = 0; // new sessions per emulated hour
    qint64 archiveSize = 256 * 1024;
    bool defaultChecksums = true; // archives get S3's default CRC64NVME checksum
    QList<AccessKey> accessKeys;
    QList<Role> roles;                      // besides the default role GlsExporterQA
    QList<QPair<QString, QString>> buckets; // name, region (empty: first Region)
    double rateLimit = 20;                  // per operation per second; 0 = off
    QStringList deniedActions;              // IAM actions answered AccessDenied
    FaultInjector::Config faults;
    int idleTimeoutMs = 60'000;
    bool settle = false; // the seeded start-up archives written before the endpoints are printed
};

class Emulator : public QObject {
    Q_OBJECT
public:
    explicit Emulator(EmulatorConfig config, QObject *parent = nullptr);
    ~Emulator() override;

    bool start(QString *error);
    void stop(); // closes the listeners and saves the state

    QString gameliftUrl() const;
    QString s3Url() const;
    QString stsUrl() const { return gameliftUrl(); } // STS and the SSO portal share the GameLift Streams listener
    QString ssoUrl() const { return gameliftUrl(); }
    QString caCertificatePath() const { return m_caPath; }
    // The one JSON line the executable prints once listening.
    QJsonObject endpoints() const;

    EmulatorState *state() const { return m_state.get(); }

private:
    EmulatorConfig m_config;
    QString m_caPath;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<EmulatorState> m_state;
    std::unique_ptr<IdentityStore> m_identities;
    std::unique_ptr<SignatureVerifier> m_verifier;
    std::unique_ptr<AccessPolicy> m_policy;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<RateLimiter> m_limiter;
    std::unique_ptr<RequestStats> m_stats;
    std::unique_ptr<GameLiftService> m_gamelift;
    std::unique_ptr<S3Service> m_s3;
    std::unique_ptr<StsService> m_sts;
    std::unique_ptr<SsoService> m_sso;
    std::unique_ptr<ControlService> m_control;
    std::unique_ptr<HttpServer> m_gameliftServer;
    std::unique_ptr<HttpServer> m_s3Server;
};

} // namespace gls::emu
