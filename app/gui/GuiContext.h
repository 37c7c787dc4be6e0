#pragma once

// Wires the core for the desktop app: one network manager, clock and
// keychain, the credentials of the chosen profile (the credential chain, or
// a fixed provider in demo mode) with the transport that signs with them, and
// a GameLift Streams client per Region, made when the window first asks for
// it (MainWindow::ClientFactory). Switching profile builds a new chain and
// transport; the old ones stay alive for the exports still following with
// them. Endpoints resolve as the CLI's do (--endpoint-url, the profile's
// configured endpoint, AWS_ENDPOINT_URL_GAMELIFTSTREAMS, AWS_ENDPOINT_URL).

#include "aws/Endpoints.h"
#include "credentials/CredentialChain.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QTemporaryDir>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QWidget;

namespace gls::aws {
class AwsTransport;
class Clock;
class CredentialsProvider;
} // namespace gls::aws

namespace gls::creds {
class KeychainStore;
class ProfileSettings;
} // namespace gls::creds

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::s3 {
class S3Client;
}

namespace gls::exports {
class ExportCoordinator;
class ExportStore;
} // namespace gls::exports

namespace gls::gui {

struct GuiSettings {
    QString endpointUrl;                        // --endpoint-url; empty: the profile's, the environment's or AWS's
    QList<QSslCertificate> extraCaCertificates; // --ca-bundle / AWS_CA_BUNDLE / the emulator's CA
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Client-side pacing per operation (aws::TransportSettings): 0, adaptive, the default.
    double requestsPerSecondPerOperation = 0;
    QString keychainService = QStringLiteral("gls-exporter");
    QString s3EndpointUrl;   // S3 requests (downloads) go here; empty: the profile's, the environment's or AWS's
    QString exportStorePath; // empty: the shared default (~/.local/share/gls-exporter/exports.sqlite)
    bool fastTracking = false; // demo: sessions end within a minute, so look at running ones often
    QString downloadFolder;    // every profile's archives go here (the demo's temporary folder); empty: per profile
};

// One profile the picker can offer.
struct ProfileEntry {
    QString name;
    QString source;  // "keychain", or where in the AWS files
    QString kind;    // "static keys", "assume role", ...
};

class GuiContext : public QObject {
    Q_OBJECT
public:
    explicit GuiContext(GuiSettings settings, QObject *parent = nullptr);
    ~GuiContext() override;

    // Fixed credentials (demo mode); takes ownership.
    void useProvider(aws::CredentialsProvider *credentials, const QString &source);
    // The chain for `profile` (empty: the default chain); resolved() follows.
    void useProfile(const QString &profile);
    QString profile() const { return m_profile; }
    bool isResolved() const;
    const creds::ChainResolution &resolution() const { return m_resolution; }

    gamelift::GameLiftClient *gameLift(const QString &region, QString *error);
    // The clients of any profile (exports of other profiles are followed too).
    gamelift::GameLiftClient *gameLiftFor(const QString &profile, const QString &region, QString *error);
    s3::S3Client *s3For(const QString &profile, const QString &region, QString *error);

    // The export store and the flow around it; the store's problem when it could not be opened
    // (the exports then live in a temporary file for this run).
    exports::ExportCoordinator *exports() const { return m_coordinator; }
    QString storeProblem() const { return m_storeProblem; }
    // Where `profile`'s archives are downloaded by themselves; empty when that is off.
    QString downloadFolder(const QString &profile) const;

    // Keychain and AWS-file profiles, and the keychain's problem (empty when it works).
    void listProfiles(QObject *context, std::function<void(const QList<ProfileEntry> &, const QString &)> done);

    creds::KeychainStore *keychain() const { return m_keychain; }
    creds::ProfileSettings *profileSettings() const { return m_profileSettings.get(); }
    QNetworkAccessManager *network() const { return m_network; }
    const aws::Clock *clock() const { return m_clock.get(); }
    const GuiSettings &settings() const { return m_settings; }
    // Where MFA prompts are shown.
    void setDialogParent(QWidget *parent);

Q_SIGNALS:
    // The credentials of useProfile() are known (or not: resolution.error says why).
    void resolved(const gls::creds::ChainResolution &resolution);

private:
    void retireCurrent();
    // The credential chain's options for `profile`, as every chain of this app gets them.
    creds::ChainOptions chainOptions(const QString &profile, const QString &fallbackRegion);
    void makeTransport(aws::CredentialsProvider *credentials);

    GuiSettings m_settings;
    QNetworkAccessManager *m_network;
    std::unique_ptr<aws::Clock> m_clock;
    creds::KeychainStore *m_keychain;
    std::unique_ptr<creds::ProfileSettings> m_profileSettings;
    QString m_profile;
    creds::ChainResolution m_resolution;
    bool m_resolved = false;
    aws::CredentialsProvider *m_credentials = nullptr;
    aws::AwsTransport *m_transport = nullptr;
    QHash<QString, gamelift::GameLiftClient *> m_clients;
    // Earlier profiles' transports and clients: exports started with them keep polling.
    QList<QObject *> m_retired;
    QPointer<QWidget> m_dialogParent;
    QHash<QString, s3::S3Client *> m_s3Clients; // current profile, per Region
    // Other profiles' credentials and clients, made when an export of theirs is followed.
    struct Other {
        aws::CredentialsProvider *credentials = nullptr;
        aws::AwsTransport *transport = nullptr;
        QHash<QString, gamelift::GameLiftClient *> gameLift;
        QHash<QString, s3::S3Client *> s3;
    };
    QHash<QString, Other> m_others;
    exports::ExportStore *m_store = nullptr;
    exports::ExportCoordinator *m_coordinator = nullptr;
    QString m_storeProblem;
    std::unique_ptr<QTemporaryDir> m_tempStoreDir;
};

} // namespace gls::gui

Q_DECLARE_METATYPE(gls::creds::ChainResolution)
