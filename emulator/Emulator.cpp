#include "Emulator.h"

#include "AccessPolicy.h"
#include "CertificateAuthority.h"
#include "ControlService.h"
#include "EmulatorState.h"
#include "GameLiftService.h"
#include "HttpServer.h"
#include "ObjectStore.h"
#include "RateLimiter.h"
#include "S3Service.h"
#include "SsoService.h"
#include "StsService.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEmulator, "gls.emulator")

namespace gls::emu {

Emulator::Emulator(EmulatorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

Emulator::~Emulator()
{
    stop();
}

bool Emulator::start(QString *error)
{
    if (!QDir().mkpath(m_config.dataDir)) {
        *error = QStringLiteral("cannot create the data dir %1").arg(m_config.dataDir);
        return false;
    }
    if (!m_config.tls && !m_config.host.isLoopback()) {
        *error = QStringLiteral("plain HTTP is allowed on loopback only; use TLS to listen on %1")
                     .arg(m_config.host.toString());
        return false;
    }
    if (m_config.accessKeys.isEmpty()) {
        *error = QStringLiteral("no access key configured (--access-key ID:SECRET)");
        return false;
    }

    m_store = std::make_unique<ObjectStore>(m_config.dataDir + QStringLiteral("/s3"));
    m_store->setDefaultChecksums(m_config.defaultChecksums);
    if (!m_store->load(error))
        return false;
    for (const auto &[name, region] : m_config.buckets) {
        if (!m_store->createBucket(name, region.isEmpty() ? m_config.regions.value(0) : region, error))
            return false;
    }

    m_state = std::make_unique<EmulatorState>(m_store.get(), m_config.dataDir, m_config.timeScale,
                                              m_config.archiveSize);
    SeedConfig seed;
    seed.seed = m_config.seed;
    seed.groups = m_config.groups;
    seed.sessions = m_config.sessions;
    seed.regions = m_config.regions;
    seed.account = m_config.account;
    seed.archiveSeededNow = m_config.settle;
    if (!m_config.buckets.isEmpty())
        seed.exportBucket = m_config.buckets.first().first;
    if (!m_state->loadOrSeed(seed, error))
        return false;
    m_state->setArrivalsPerHour(m_config.arrivalsPerHour);

    m_identities = std::make_unique<IdentityStore>(m_config.account, m_config.accessKeys);
    for (const Role &role : m_config.roles) {
        if (!m_identities->addRole(role, error))
            return false;
    }
    m_verifier = std::make_unique<SignatureVerifier>(m_config.accessKeys, m_identities.get());
    m_policy = std::make_unique<AccessPolicy>();
    m_policy->setDenied(m_config.deniedActions);
    m_faults = std::make_unique<FaultInjector>(m_config.seed);
    m_faults->setConfig(m_config.faults);
    m_limiter = std::make_unique<RateLimiter>(m_config.rateLimit);
    m_stats = std::make_unique<RequestStats>();
    m_gamelift = std::make_unique<GameLiftService>(m_state.get(), m_verifier.get(), m_policy.get(), m_faults.get(),
                                                   m_limiter.get(), m_stats.get());
    m_s3 = std::make_unique<S3Service>(m_store.get(), m_verifier.get(), m_policy.get(), m_faults.get(), m_stats.get());
    m_sts = std::make_unique<StsService>(m_identities.get(), m_verifier.get(), m_policy.get(), m_faults.get(),
                                         m_stats.get());
    m_sso = std::make_unique<SsoService>(m_identities.get(), m_faults.get(), m_stats.get());
    m_control = std::make_unique<ControlService>(m_state.get(), m_store.get(), m_policy.get(), m_faults.get(),
                                                 m_limiter.get(), m_stats.get(), m_identities.get());

    HttpServer::Limits glLimits;
    glLimits.maxBodyBytes = 1024 * 1024;
    glLimits.idleTimeoutMs = m_config.idleTimeoutMs;
    m_gameliftServer = std::make_unique<HttpServer>(
        [this](const HttpRequest &req) {
            // One listener, routed by request shape: control paths, STS's query
            // protocol (POST / with a form body), the SSO portal, GameLift Streams.
            if (ControlService::handles(req))
                return m_control->handle(req);
            if (StsService::handles(req))
                return m_sts->handle(req);
            if (SsoService::handles(req))
                return m_sso->handle(req);
            return m_gamelift->handle(req);
        },
        &GameLiftService::transportError, glLimits);
    HttpServer::Limits s3Limits;
    s3Limits.maxBodyBytes = 1024 * 1024;
    s3Limits.idleTimeoutMs = m_config.idleTimeoutMs;
    m_s3Server = std::make_unique<HttpServer>([this](const HttpRequest &req) { return m_s3->handle(req); },
                                              &S3Service::transportError, s3Limits);

    if (m_config.tls) {
        QString certPath = m_config.tlsCertificate;
        QString keyPath = m_config.tlsKey;
        if (certPath.isEmpty()) {
            TlsFiles files;
            if (!ensureTlsFiles(m_config.dataDir + QStringLiteral("/tls"), m_config.tlsHosts, &files, error))
                return false;
            certPath = files.serverCertificate;
            keyPath = files.serverKey;
            m_caPath = files.caCertificate;
        }
        QFile certFile(certPath);
        QFile keyFile(keyPath);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the TLS certificate %1 or key %2").arg(certPath, keyPath);
            return false;
        }
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
        if (chain.isEmpty() || key.isNull()) {
            *error = QStringLiteral("the TLS certificate %1 or key %2 is not valid PEM").arg(certPath, keyPath);
            return false;
        }
        m_gameliftServer->setTls(chain, key);
        m_s3Server->setTls(chain, key);
    }
    if (!m_gameliftServer->listen(m_config.host, m_config.gameliftPort, error))
        return false;
    if (!m_s3Server->listen(m_config.host, m_config.s3Port, error))
        return false;
    qCInfo(lcEmulator) << "GameLift Streams at" << gameliftUrl() << "and S3 at" << s3Url();
    return true;
}

void Emulator::stop()
{
    if (m_gameliftServer)
        m_gameliftServer->close();
    if (m_s3Server)
        m_s3Server->close();
    if (m_state) {
        QString error;
        if (!m_state->save(&error))
            qCWarning(lcEmulator) << "saving state failed:" << error;
    }
}

QString Emulator::gameliftUrl() const
{
    return m_gameliftServer ? m_gameliftServer->baseUrl() : QString();
}

QString Emulator::s3Url() const
{
    return m_s3Server ? m_s3Server->baseUrl() : QString();
}

QJsonObject Emulator::endpoints() const
{
    QJsonArray keys;
    for (const AccessKey &k : m_config.accessKeys)
        keys.append(QString::fromLatin1(k.id));
    return QJsonObject{
        {QStringLiteral("gameliftstreams"), gameliftUrl()},
        {QStringLiteral("s3"), s3Url()},
        {QStringLiteral("sts"), stsUrl()},
        {QStringLiteral("sso"), ssoUrl()},
        {QStringLiteral("control"), gameliftUrl() + QStringLiteral("/_emulator")},
        {QStringLiteral("caCertificate"), m_caPath},
        {QStringLiteral("regions"), QJsonArray::fromStringList(m_config.regions)},
        {QStringLiteral("account"), m_config.account},
        {QStringLiteral("accessKeyIds"), keys},
        {QStringLiteral("dataDir"), QDir(m_config.dataDir).absolutePath()},
        {QStringLiteral("pid"), QCoreApplication::applicationPid()},
    };
}

} // namespace gls::emu
