#include "GuiContext.h"

#include "MfaDialog.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/RetryPolicy.h"
#include "credentials/AwsConfigFiles.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileClassifier.h"
#include "credentials/ProfileSettings.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/ExportTracker.h"
#include "gamelift/GameLiftClient.h"
#include "s3/S3Client.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

namespace gls::gui {

GuiContext::GuiContext(GuiSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_network(new QNetworkAccessManager(this))
    , m_clock(std::make_unique<aws::SystemClock>())
    , m_keychain(new creds::KeychainStore(m_settings.keychainService, this))
    , m_profileSettings(std::make_unique<creds::ProfileSettings>())
{
    const QString path
        = m_settings.exportStorePath.isEmpty() ? exports::ExportStore::defaultPath() : m_settings.exportStorePath;
    m_store = new exports::ExportStore(path, this);
    QString why;
    if (!m_store->open(&why)) {
        // Never lose the session's work for a broken file: this run keeps its exports in a temporary one.
        m_storeProblem = tr("%1 Exports of this run are kept in a temporary file and forgotten on exit.").arg(why);
        delete m_store;
        m_tempStoreDir = std::make_unique<QTemporaryDir>();
        m_store = new exports::ExportStore(m_tempStoreDir->filePath(QStringLiteral("exports.sqlite")), this);
        m_store->open(&why);
    }
    exports::ExportCoordinator::Clients clients;
    clients.gameLift = [this](const QString &profile, const QString &region, QString *error) {
        return gameLiftFor(profile, region, error);
    };
    clients.s3 = [this](const QString &profile, const QString &region, QString *error) {
        return s3For(profile, region, error);
    };
    exports::ExportTracker::Settings tracking;
    if (m_settings.fastTracking) {
        tracking.runningIntervalMs = 15'000;
        tracking.endedFirstMs = 3'000;
        tracking.endedMaxMs = 10'000;
    }
    auto lookup = clients.gameLift;
    auto *tracker = new exports::ExportTracker(
        [lookup](const QString &profile, const QString &region) {
            QString ignored;
            return lookup(profile, region, &ignored);
        },
        tracking);
    m_coordinator = new exports::ExportCoordinator(m_store, clients, tracker, this);
    m_coordinator->setDownloadFolder([this](const QString &profile) { return downloadFolder(profile); });
}

QString GuiContext::downloadFolder(const QString &profile) const
{
    const creds::ProfileDefaults d = m_profileSettings->load(profile.isEmpty() ? QStringLiteral("default") : profile);
    if (!d.autoDownload)
        return {};
    if (!m_settings.downloadFolder.isEmpty())
        return m_settings.downloadFolder;
    if (!d.downloadFolder.isEmpty())
        return d.downloadFolder;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
        .filePath(QStringLiteral("GameLift Streams exports"));
}

GuiContext::~GuiContext()
{
    // The exports' jobs, then clients, before the transports they send through.
    delete m_coordinator;
    m_coordinator = nullptr;
    for (Other &o : m_others) {
        qDeleteAll(o.gameLift);
        qDeleteAll(o.s3);
        delete o.transport;
        delete o.credentials;
    }
    retireCurrent();
    QList<QObject *> clients, others;
    for (QObject *o : std::as_const(m_retired))
        (qobject_cast<gamelift::GameLiftClient *>(o) || qobject_cast<s3::S3Client *>(o) ? clients : others).append(o);
    qDeleteAll(clients);
    qDeleteAll(others); // each transport before the credentials it signs with (retired in that order)
}

void GuiContext::setDialogParent(QWidget *parent)
{
    m_dialogParent = parent;
}

void GuiContext::retireCurrent()
{
    for (gamelift::GameLiftClient *c : std::as_const(m_clients))
        m_retired.append(c);
    m_clients.clear();
    for (s3::S3Client *c : std::as_const(m_s3Clients))
        m_retired.append(c);
    m_s3Clients.clear();
    if (m_transport)
        m_retired.append(m_transport);
    if (m_credentials)
        m_retired.append(m_credentials);
    m_transport = nullptr;
    m_credentials = nullptr;
}

void GuiContext::makeTransport(aws::CredentialsProvider *credentials)
{
    m_credentials = credentials;
    aws::TransportSettings transport;
    QString warning;
    transport.retry
        = aws::RetryPolicy::fromEnvironment(m_settings.env.value(QStringLiteral("AWS_MAX_ATTEMPTS")), &warning);
    transport.extraCaCertificates = m_settings.extraCaCertificates;
    // The profile's ca_bundle, unless --ca-bundle / AWS_CA_BUNDLE gave one.
    if (transport.extraCaCertificates.isEmpty() && !m_resolution.caBundle.isEmpty()) {
        QString why;
        if (!aws::AwsTransport::loadCaBundle(m_resolution.caBundle, &transport.extraCaCertificates, &why))
            qWarning("gls-exporter: the profile's CA bundle cannot be used: %s", qPrintable(why));
    }
    transport.requestsPerSecondPerOperation = m_settings.requestsPerSecondPerOperation;
    m_transport = new aws::AwsTransport(m_network, m_credentials, m_clock.get(), transport);
}

void GuiContext::useProvider(aws::CredentialsProvider *credentials, const QString &source)
{
    retireCurrent();
    credentials->setParent(nullptr);
    m_profile.clear();
    m_resolution = {};
    m_resolution.source = source;
    makeTransport(credentials);
    m_resolved = true;
    QTimer::singleShot(0, this, [this] { Q_EMIT resolved(m_resolution); });
}

void GuiContext::useProfile(const QString &profile)
{
    retireCurrent();
    m_profile = profile;
    m_resolved = false;
    auto *chain = new creds::CredentialChain(chainOptions(profile, QStringLiteral("us-west-2")));
    m_credentials = chain; // the transport is made once resolved, with the profile's CA bundle
    chain->resolve(this, [this, chain](const creds::ChainResolution &r) {
        if (chain != m_credentials)
            return; // another profile was chosen meanwhile
        m_resolution = r;
        m_resolved = true;
        makeTransport(chain);
        Q_EMIT resolved(r);
    });
}

creds::ChainOptions GuiContext::chainOptions(const QString &profile, const QString &fallbackRegion)
{
    creds::ChainOptions o;
    o.profile = profile;
    o.env = m_settings.env;
    o.keychain = m_keychain;
    o.settings = m_profileSettings.get();
    o.network = m_network;
    o.clock = m_clock.get();
    o.transport.extraCaCertificates = m_settings.extraCaCertificates;
    o.fallbackRegion = fallbackRegion;
    o.mfaPrompt = [this](const QString &p, const QString &serial, QObject *context,
                         std::function<void(const QString &)> done) {
        ui::MfaDialog::prompt(m_dialogParent)(p, serial, context, std::move(done));
    };
    return o;
}

bool GuiContext::isResolved() const
{
    return m_resolved;
}

gamelift::GameLiftClient *GuiContext::gameLift(const QString &region, QString *error)
{
    if (auto *client = m_clients.value(region))
        return client;
    if (!m_transport) {
        *error = tr("The credentials are still being loaded.");
        return nullptr;
    }
    aws::EndpointOptions options;
    options.region = region;
    options.endpointUrl = m_settings.endpointUrl;
    if (options.endpointUrl.isEmpty() && !m_resolution.gameliftEndpointUrl.isEmpty()) {
        options.endpointUrl = m_resolution.gameliftEndpointUrl;
        options.endpointUrlSource = m_resolution.gameliftEndpointOrigin;
    }
    options.env = m_settings.env;
    const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(options, error);
    if (!endpoint.isValid())
        return nullptr;
    auto *client = new gamelift::GameLiftClient(m_transport, endpoint);
    m_clients.insert(region, client);
    return client;
}

gamelift::GameLiftClient *GuiContext::gameLiftFor(const QString &profile, const QString &region, QString *error)
{
    if (profile == m_profile)
        return gameLift(region, error);
    Other &o = m_others[profile];
    if (auto *client = o.gameLift.value(region))
        return client;
    if (!o.transport) {
        o.credentials = new creds::CredentialChain(chainOptions(profile, region));
        aws::TransportSettings transport;
        transport.extraCaCertificates = m_settings.extraCaCertificates;
        transport.requestsPerSecondPerOperation = m_settings.requestsPerSecondPerOperation;
        o.transport = new aws::AwsTransport(m_network, o.credentials, m_clock.get(), transport);
    }
    aws::EndpointOptions options;
    options.region = region;
    options.endpointUrl = m_settings.endpointUrl;
    options.env = m_settings.env;
    const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(options, error);
    if (!endpoint.isValid())
        return nullptr;
    auto *client = new gamelift::GameLiftClient(o.transport, endpoint);
    o.gameLift.insert(region, client);
    return client;
}

s3::S3Client *GuiContext::s3For(const QString &profile, const QString &region, QString *error)
{
    aws::EndpointOptions options;
    options.region = region;
    options.endpointUrl = m_settings.s3EndpointUrl;
    options.env = m_settings.env;
    if (profile == m_profile) {
        if (auto *client = m_s3Clients.value(region))
            return client;
        if (!m_transport) {
            *error = tr("The credentials are still being loaded.");
            return nullptr;
        }
        if (options.endpointUrl.isEmpty() && !m_resolution.s3EndpointUrl.isEmpty()) {
            options.endpointUrl = m_resolution.s3EndpointUrl;
            options.endpointUrlSource = m_resolution.s3EndpointOrigin;
        }
        if (!aws::resolveS3Endpoint(options, error).isValid())
            return nullptr;
        auto *client = new s3::S3Client(m_transport, options);
        m_s3Clients.insert(region, client);
        return client;
    }
    if (!gameLiftFor(profile, region, error)) // makes the profile's transport
        return nullptr;
    Other &o = m_others[profile];
    if (auto *client = o.s3.value(region))
        return client;
    if (!aws::resolveS3Endpoint(options, error).isValid())
        return nullptr;
    auto *client = new s3::S3Client(o.transport, options);
    o.s3.insert(region, client);
    return client;
}

void GuiContext::listProfiles(QObject *context,
                              std::function<void(const QList<ProfileEntry> &, const QString &)> done)
{
    m_keychain->list(context, [this, done](const creds::KeychainListResult &k) {
        QList<ProfileEntry> entries;
        for (const creds::KeychainProfileInfo &p : k.profiles)
            entries.append({p.name, tr("keychain"), tr("key ****%1").arg(p.accessKeyIdSuffix)});
        const creds::AwsConfigFiles files = creds::AwsConfigFiles::load(m_settings.env);
        for (const QString &name : files.profileNames()) {
            QString why;
            const creds::CredentialSource kind = creds::classify(files, name, &why);
            entries.append({name, files.profile(name).origin().describe(files.home()),
                            kind == creds::CredentialSource::None ? why : creds::toString(kind)});
        }
        done(entries, k.ok() ? QString() : k.error);
    });
}

} // namespace gls::gui
