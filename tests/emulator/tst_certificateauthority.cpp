#include "CertificateAuthority.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <thread>
#include <vector>
#include <sys/stat.h>

using namespace gls::emu;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

QSslCertificate loadCertificate(const QString &path)
{
    return QSslCertificate::fromData(readAll(path), QSsl::Pem).value(0);
}

QSslKey loadKey(const QString &path)
{
    return QSslKey(readAll(path), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
}

int fileMode(const QString &path)
{
    struct stat st { };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// OpenSSL, independently of the code under test: does the private key belong to the certificate?
bool keyBelongsTo(const QString &certPath, const QString &keyPath)
{
    const QByteArray certPem = readAll(certPath);
    const QByteArray keyPem = readAll(keyPath);
    std::unique_ptr<BIO, decltype(&BIO_free)> certBio(
        BIO_new_mem_buf(certPem.constData(), int(certPem.size())), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), &X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

// Re-signs server.pem with the CA key so that it expires in an hour.
bool makeServerExpireSoon(const TlsFiles &files, const QString &caKeyPath)
{
    const QByteArray certPem = readAll(files.serverCertificate);
    const QByteArray keyPem = readAll(caKeyPath);
    std::unique_ptr<BIO, decltype(&BIO_free)> certBio(
        BIO_new_mem_buf(certPem.constData(), int(certPem.size())), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), &X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> caKey(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!cert || !caKey || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600)
        || X509_sign(cert.get(), caKey.get(), EVP_sha256()) <= 0)
        return false;
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    if (PEM_write_bio_X509(out.get(), cert.get()) != 1)
        return false;
    char *data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return writeAll(files.serverCertificate, QByteArray(data, qsizetype(size)));
}

// Makes the CA trusted by QSslCertificate::verify() for as long as it lives.
class TrustedByDefault {
public:
    explicit TrustedByDefault(const QSslCertificate &ca)
        : m_saved(QSslConfiguration::defaultConfiguration())
    {
        QSslConfiguration configuration = m_saved;
        configuration.addCaCertificate(ca);
        QSslConfiguration::setDefaultConfiguration(configuration);
    }
    ~TrustedByDefault() { QSslConfiguration::setDefaultConfiguration(m_saved); }

private:
    QSslConfiguration m_saved;
};

// Verifies the server certificate for hostName with the CA added to the trusted ones.
bool verifiesWith(const QString &caPath, const QString &serverPath, const QString &hostName)
{
    const TrustedByDefault trust(loadCertificate(caPath));
    const QList<QSslError> errors = QSslCertificate::verify({loadCertificate(serverPath)}, hostName);
    for (const QSslError &e : errors)
        qWarning("%s: %s", qPrintable(hostName), qPrintable(e.errorString()));
    return errors.isEmpty();
}

} // namespace

class TestCertificateAuthority : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void createsLoadableFiles();
    void certificatesHaveTheRightShape();
    void serverChainsToTheCa_data();
    void serverChainsToTheCa();
    void keysMatchAndArePrivate();
    void secondCallReusesEverything();
    void newHostReissuesTheServerFromTheSameCa();
    void missingServerCertificateIsReissued();
    void serverExpiringWithinADayIsReissued();
    void foreignServerCertificateIsReplaced();
    void unusableCaIsReplaced();
    void invalidHostIsRejected();
    void parallelCallsAgreeOnOneCa();
    void handshakeWithTheCaSucceeds_data();
    void handshakeWithTheCaSucceeds();
    void handshakeWithoutTheCaFails();

private:
    QSslConfiguration serverConfiguration() const;

    QTemporaryDir m_dir;
    TlsFiles m_files;
};

QSslConfiguration TestCertificateAuthority::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(loadCertificate(m_files.serverCertificate));
    configuration.setPrivateKey(loadKey(m_files.serverKey));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

void TestCertificateAuthority::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend available");
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(ensureTlsFiles(m_dir.filePath(QStringLiteral("tls")),
                 {QStringLiteral("emulator.test"), QStringLiteral("10.1.2.3")}, &m_files, &error),
        qPrintable(error));
}

void TestCertificateAuthority::createsLoadableFiles()
{
    const QString dir = m_dir.filePath(QStringLiteral("tls"));
    QCOMPARE(m_files.caCertificate, QDir(dir).absoluteFilePath(QStringLiteral("ca.pem")));
    QCOMPARE(m_files.serverCertificate, QDir(dir).absoluteFilePath(QStringLiteral("server.pem")));
    QCOMPARE(m_files.serverKey, QDir(dir).absoluteFilePath(QStringLiteral("server-key.pem")));
    QVERIFY(QFile::exists(QDir(dir).absoluteFilePath(QStringLiteral("ca-key.pem"))));
    QVERIFY(!loadCertificate(m_files.caCertificate).isNull());
    QVERIFY(!loadCertificate(m_files.serverCertificate).isNull());
    const QSslKey key = loadKey(m_files.serverKey);
    QVERIFY(!key.isNull());
    QCOMPARE(key.algorithm(), QSsl::Ec);
    QCOMPARE(key.type(), QSsl::PrivateKey);
    QCOMPARE(key.length(), 256);
}

void TestCertificateAuthority::certificatesHaveTheRightShape()
{
    const QSslCertificate ca = loadCertificate(m_files.caCertificate);
    const QSslCertificate server = loadCertificate(m_files.serverCertificate);
    const QDateTime now = QDateTime::currentDateTimeUtc();

    QCOMPARE(ca.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("gls-emulator local CA")});
    QVERIFY(ca.isSelfSigned());
    QVERIFY(ca.expiryDate() > now.addDays(3650 - 2));
    QVERIFY(ca.effectiveDate() <= now);
    bool sawCaConstraint = false;
    for (const QSslCertificateExtension &ext : ca.extensions()) {
        if (ext.name() == QLatin1String("basicConstraints")) {
            sawCaConstraint = ext.isCritical() && ext.value().toMap().value(QStringLiteral("ca")).toBool();
        }
    }
    QVERIFY(sawCaConstraint);

    QVERIFY(!server.isSelfSigned());
    QCOMPARE(server.issuerInfo(QSslCertificate::CommonName), ca.subjectInfo(QSslCertificate::CommonName));
    QVERIFY(server.expiryDate() > now.addDays(360) && server.expiryDate() < now.addDays(400));
    QVERIFY(server.serialNumber() != ca.serialNumber());
    const auto names = server.subjectAlternativeNames();
    const QStringList dns = names.values(QSsl::DnsEntry);
    const QStringList ips = names.values(QSsl::IpAddressEntry);
    QVERIFY(dns.contains(QStringLiteral("localhost")));
    QVERIFY(dns.contains(QStringLiteral("emulator.test")));
    QVERIFY(ips.contains(QStringLiteral("127.0.0.1")));
    QVERIFY(ips.contains(QStringLiteral("10.1.2.3")));
    QVERIFY(std::any_of(
        ips.begin(), ips.end(), [](const QString &ip) { return QHostAddress(ip) == QHostAddress::LocalHostIPv6; }));
    bool sawServerAuth = false;
    for (const QSslCertificateExtension &ext : server.extensions()) {
        if (ext.name() == QLatin1String("basicConstraints"))
            QVERIFY(!ext.value().toMap().value(QStringLiteral("ca")).toBool());
        if (ext.name() == QLatin1String("extendedKeyUsage"))
            sawServerAuth
                = ext.value().toStringList().join(QLatin1Char(' ')).contains(QLatin1String("Server Authentication"));
    }
    QVERIFY(sawServerAuth);
}

void TestCertificateAuthority::serverChainsToTheCa_data()
{
    QTest::addColumn<QString>("hostName");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1");
    QTest::newRow("localhost") << QStringLiteral("localhost");
    QTest::newRow("::1") << QStringLiteral("::1");
    QTest::newRow("extra name") << QStringLiteral("emulator.test");
    QTest::newRow("extra address") << QStringLiteral("10.1.2.3");
}

void TestCertificateAuthority::serverChainsToTheCa()
{
    QFETCH(QString, hostName);
    const QSslCertificate ca = loadCertificate(m_files.caCertificate);
    const QList<QSslCertificate> chain = {loadCertificate(m_files.serverCertificate)};
    {
        const TrustedByDefault trust(ca);
        const QList<QSslError> errors = QSslCertificate::verify(chain, hostName);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).errorString()));
        const QList<QSslError> wrongHost = QSslCertificate::verify(chain, QStringLiteral("example.com"));
        QVERIFY(std::any_of(wrongHost.begin(), wrongHost.end(),
            [](const QSslError &e) { return e.error() == QSslError::HostNameMismatch; }));
    }
    QVERIFY(!QSslCertificate::verify(chain, hostName).isEmpty()); // not trusted once the CA is gone
}

void TestCertificateAuthority::keysMatchAndArePrivate()
{
    const QString caKey = QFileInfo(m_files.caCertificate).absoluteDir().filePath(QStringLiteral("ca-key.pem"));
    QVERIFY(keyBelongsTo(m_files.serverCertificate, m_files.serverKey));
    QVERIFY(keyBelongsTo(m_files.caCertificate, caKey));
    QVERIFY(!keyBelongsTo(m_files.serverCertificate, caKey));
    QCOMPARE(fileMode(m_files.serverKey), 0600);
    QCOMPARE(fileMode(caKey), 0600);
    QVERIFY(fileMode(m_files.caCertificate) & 0044); // the CA certificate is meant to be read by others
}

void TestCertificateAuthority::secondCallReusesEverything()
{
    QTemporaryDir dir;
    TlsFiles first, second;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &first, &error), qPrintable(error));
    const QStringList files = {QStringLiteral("ca.pem"), QStringLiteral("ca-key.pem"), QStringLiteral("server.pem"),
        QStringLiteral("server-key.pem")};
    QList<QByteArray> before;
    for (const QString &f : files)
        before << readAll(dir.filePath(f));
    QVERIFY2(ensureTlsFiles(dir.path(), {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}, &second, &error),
        qPrintable(error));
    QCOMPARE(second.caCertificate, first.caCertificate);
    for (int i = 0; i < files.size(); ++i)
        QVERIFY2(readAll(dir.filePath(files.at(i))) == before.at(i), qPrintable(files.at(i)));
}

void TestCertificateAuthority::newHostReissuesTheServerFromTheSameCa()
{
    QTemporaryDir dir;
    TlsFiles files;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    const QByteArray ca = readAll(files.caCertificate);
    const QByteArray server = readAll(files.serverCertificate);
    const QByteArray key = readAll(files.serverKey);
    QVERIFY2(ensureTlsFiles(dir.path(), {QStringLiteral("gls.internal"), QStringLiteral("fd00::5")}, &files, &error),
        qPrintable(error));
    QCOMPARE(readAll(files.caCertificate), ca);
    QVERIFY(readAll(files.serverCertificate) != server);
    QVERIFY(readAll(files.serverKey) != key);
    QVERIFY(keyBelongsTo(files.serverCertificate, files.serverKey));
    QVERIFY(verifiesWith(files.caCertificate, files.serverCertificate, QStringLiteral("gls.internal")));
    QVERIFY(verifiesWith(files.caCertificate, files.serverCertificate, QStringLiteral("fd00::5")));
}

void TestCertificateAuthority::missingServerCertificateIsReissued()
{
    QTemporaryDir dir;
    TlsFiles files;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    const QByteArray ca = readAll(files.caCertificate);
    QVERIFY(QFile::remove(files.serverCertificate));
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    QCOMPARE(readAll(files.caCertificate), ca);
    QVERIFY(verifiesWith(files.caCertificate, files.serverCertificate, QStringLiteral("localhost")));
}

void TestCertificateAuthority::serverExpiringWithinADayIsReissued()
{
    QTemporaryDir dir;
    TlsFiles files;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    const QByteArray ca = readAll(files.caCertificate);
    QVERIFY(makeServerExpireSoon(files, dir.filePath(QStringLiteral("ca-key.pem"))));
    QVERIFY(loadCertificate(files.serverCertificate).expiryDate() < QDateTime::currentDateTimeUtc().addDays(1));
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    QCOMPARE(readAll(files.caCertificate), ca);
    QVERIFY(loadCertificate(files.serverCertificate).expiryDate() > QDateTime::currentDateTimeUtc().addDays(360));
}

void TestCertificateAuthority::foreignServerCertificateIsReplaced()
{
    QTemporaryDir dir, other;
    TlsFiles files, foreign;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    QVERIFY2(ensureTlsFiles(other.path(), {}, &foreign, &error), qPrintable(error));
    QVERIFY(writeAll(files.serverCertificate, readAll(foreign.serverCertificate)));
    QVERIFY(writeAll(files.serverKey, readAll(foreign.serverKey)));
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    QVERIFY(readAll(files.serverCertificate) != readAll(foreign.serverCertificate));
    QVERIFY(verifiesWith(files.caCertificate, files.serverCertificate, QStringLiteral("127.0.0.1")));
}

void TestCertificateAuthority::unusableCaIsReplaced()
{
    QTemporaryDir dir;
    TlsFiles files;
    QString error;
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    const QByteArray server = readAll(files.serverCertificate);
    QVERIFY(writeAll(files.caCertificate, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
    QVERIFY2(ensureTlsFiles(dir.path(), {}, &files, &error), qPrintable(error));
    QVERIFY(!loadCertificate(files.caCertificate).isNull());
    QVERIFY(readAll(files.serverCertificate) != server);
    QVERIFY(verifiesWith(files.caCertificate, files.serverCertificate, QStringLiteral("127.0.0.1")));
}

void TestCertificateAuthority::invalidHostIsRejected()
{
    QTemporaryDir dir;
    TlsFiles files;
    QString error;
    QVERIFY(!ensureTlsFiles(dir.path(), {QStringLiteral("not a host!")}, &files, &error));
    QVERIFY(error.contains(QLatin1String("not a host!")));
    QVERIFY(QDir(dir.path()).isEmpty());
}

void TestCertificateAuthority::parallelCallsAgreeOnOneCa()
{
    // Emulators started side by side with the same folder must not leave a server certificate
    // signed by a CA that another one has just replaced.
    QTemporaryDir dir;
    constexpr int kCallers = 4;
    std::vector<int> ok(kCallers, 0);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
        callers.emplace_back([&dir, &ok, i] {
            TlsFiles files;
            QString error;
            ok[size_t(i)] = ensureTlsFiles(dir.path(), {}, &files, &error) ? 1 : 0;
        });
    }
    for (std::thread &t : callers)
        t.join();
    QCOMPARE(int(std::count(ok.begin(), ok.end(), 1)), kCallers);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral(".lock"))));
    QVERIFY(verifiesWith(dir.filePath(QStringLiteral("ca.pem")), dir.filePath(QStringLiteral("server.pem")),
        QStringLiteral("localhost")));
    QVERIFY(keyBelongsTo(dir.filePath(QStringLiteral("server.pem")), dir.filePath(QStringLiteral("server-key.pem"))));
}

void TestCertificateAuthority::handshakeWithTheCaSucceeds_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<QString>("peerName");
    QTest::newRow("127.0.0.1") << QHostAddress(QHostAddress::LocalHost) << QStringLiteral("127.0.0.1");
    QTest::newRow("localhost") << QHostAddress(QHostAddress::LocalHost) << QStringLiteral("localhost");
    QTest::newRow("::1") << QHostAddress(QHostAddress::LocalHostIPv6) << QStringLiteral("::1");
}

void TestCertificateAuthority::handshakeWithTheCaSucceeds()
{
    QFETCH(QHostAddress, address);
    QFETCH(QString, peerName);
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    if (!server.listen(address)) {
        if (address.protocol() == QAbstractSocket::IPv6Protocol)
            QSKIP("IPv6 loopback is not available here");
        QFAIL(qPrintable(server.errorString()));
    }

    QSslSocket client;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.addCaCertificate(loadCertificate(m_files.caCertificate));
    client.setSslConfiguration(configuration);
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    client.connectToHostEncrypted(address.toString(), server.serverPort(), peerName);
    QVERIFY(encrypted.wait(10000));
    QVERIFY(sslErrors.isEmpty());
    QCOMPARE(client.peerCertificate(), loadCertificate(m_files.serverCertificate));

    QTRY_VERIFY(server.hasPendingConnections());
    QTcpSocket *peer = server.nextPendingConnection();
    QVERIFY(peer);
    peer->write("hello");
    QTRY_COMPARE(client.bytesAvailable(), qint64(5));
    QCOMPARE(client.readAll(), QByteArray("hello"));
}

void TestCertificateAuthority::handshakeWithoutTheCaFails()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    QVERIFY2(server.listen(QHostAddress::LocalHost), qPrintable(server.errorString()));

    QSslSocket client; // the default configuration: system CAs only
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    QSignalSpy socketErrors(&client, &QSslSocket::errorOccurred);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    QVERIFY(sslErrors.wait(10000));
    const auto errors = sslErrors.first().first().value<QList<QSslError>>();
    const auto untrusted = [](const QSslError &e) {
        return e.error() == QSslError::UnableToGetLocalIssuerCertificate
            || e.error() == QSslError::UnableToVerifyFirstCertificate || e.error() == QSslError::CertificateUntrusted;
    };
    QVERIFY2(std::any_of(errors.begin(), errors.end(), untrusted), qPrintable(errors.value(0).errorString()));
    QVERIFY(std::none_of(
        errors.begin(), errors.end(), [](const QSslError &e) { return e.error() == QSslError::HostNameMismatch; }));
    QTRY_VERIFY(!socketErrors.isEmpty());
    QCOMPARE(
        socketErrors.first().first().value<QAbstractSocket::SocketError>(), QAbstractSocket::SslHandshakeFailedError);
    QVERIFY(encrypted.isEmpty());
    QVERIFY(!client.isEncrypted());
}

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "tst_certificateauthority.moc"
