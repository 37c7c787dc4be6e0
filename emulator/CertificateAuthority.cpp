#include "CertificateAuthority.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <initializer_list>
#include <memory>
#include <utility>

namespace gls::emu {
namespace {

constexpr int kCaDays = 3650;
constexpr int kServerDays = 365;
constexpr time_t kMinRemaining = 24 * 60 * 60; // renew what expires within a day

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T *p) const
    {
        Free(p);
    }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;

struct Paths {
    QString caCert;
    QString caKey;
    QString serverCert;
    QString serverKey;
};

struct KeyPair {
    X509Ptr cert;
    PKeyPtr key;
};

// One subjectAltName entry, in the form it is compared in: "IP:<canonical address>" or "DNS:<name>".
QString ipName(const QHostAddress &address)
{
    return QStringLiteral("IP:") + address.toString();
}

QString openSslError(const QString &what)
{
    QStringList details;
    char buf[256];
    while (const unsigned long e = ERR_get_error()) {
        ERR_error_string_n(e, buf, sizeof buf);
        details << QString::fromLatin1(buf);
    }
    return details.isEmpty() ? what : what + QStringLiteral(": ") + details.join(QStringLiteral("; "));
}

// 127.0.0.1, ::1 and localhost, then the extra hosts: IP literals as IP names, the rest as DNS names.
bool requiredNames(const QStringList &extraHosts, QStringList *names, QString *error)
{
    static const QRegularExpression dnsName(
        QStringLiteral("^(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"));
    *names = {ipName(QHostAddress(QHostAddress::LocalHost)), ipName(QHostAddress(QHostAddress::LocalHostIPv6)),
        QStringLiteral("DNS:localhost")};
    for (QString host : extraHosts) {
        host = host.trimmed();
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
        if (host.isEmpty())
            continue;
        QHostAddress address;
        QString name;
        if (address.setAddress(host) && address.scopeId().isEmpty()) {
            name = ipName(address);
        } else if (host.size() <= 253 && dnsName.match(host.toLower()).hasMatch()) {
            name = QStringLiteral("DNS:") + host.toLower();
        } else {
            *error = QStringLiteral("'%1' is neither an IP address nor a host name").arg(host);
            return false;
        }
        if (!names->contains(name))
            names->append(name);
    }
    return true;
}

QSet<QString> certificateNames(X509 *cert)
{
    QSet<QString> out;
    NamesPtr names(static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names.get(), i);
        if (gn->type == GEN_DNS) {
            const ASN1_STRING *s = gn->d.dNSName;
            out.insert(QStringLiteral("DNS:")
                + QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s))
                      .toLower());
        } else if (gn->type == GEN_IPADD) {
            const ASN1_STRING *s = gn->d.iPAddress;
            const auto *bytes = ASN1_STRING_get0_data(s);
            QHostAddress address;
            if (ASN1_STRING_length(s) == 4)
                address.setAddress(
                    quint32(bytes[0]) << 24 | quint32(bytes[1]) << 16 | quint32(bytes[2]) << 8 | bytes[3]);
            else if (ASN1_STRING_length(s) == 16)
                address.setAddress(bytes);
            if (!address.isNull())
                out.insert(ipName(address));
        }
    }
    return out;
}

NamesPtr generalNames(const QStringList &names)
{
    NamesPtr out(sk_GENERAL_NAME_new_null());
    for (const QString &name : names) {
        const QByteArray value = name.section(QLatin1Char(':'), 1).toLatin1();
        GENERAL_NAME *gn = GENERAL_NAME_new();
        if (name.startsWith(QLatin1String("IP:"))) {
            ASN1_OCTET_STRING *ip = a2i_IPADDRESS(value.constData());
            if (!gn || !ip) {
                GENERAL_NAME_free(gn);
                ASN1_OCTET_STRING_free(ip);
                return nullptr;
            }
            GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            if (!gn || !dns || !ASN1_STRING_set(dns, value.constData(), int(value.size()))) {
                GENERAL_NAME_free(gn);
                ASN1_IA5STRING_free(dns);
                return nullptr;
            }
            GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
        }
        if (!sk_GENERAL_NAME_push(out.get(), gn)) {
            GENERAL_NAME_free(gn);
            return nullptr;
        }
    }
    return out;
}

X509Ptr readCertificate(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return nullptr;
    const QByteArray pem = file.readAll();
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

PKeyPtr readKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return nullptr;
    QByteArray pem = file.readAll();
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    PKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    pem.fill('\0');
    return key;
}

// Usable: parses, the key belongs to it, valid now and for at least another day.
bool usable(const KeyPair &pair)
{
    time_t now = time(nullptr);
    time_t soon = now + kMinRemaining;
    return pair.cert && pair.key && X509_check_private_key(pair.cert.get(), pair.key.get()) == 1
        && X509_cmp_time(X509_get0_notBefore(pair.cert.get()), &now) < 0
        && X509_cmp_time(X509_get0_notAfter(pair.cert.get()), &soon) > 0;
}

bool usableAuthority(const KeyPair &ca)
{
    return usable(ca) && X509_check_ca(ca.cert.get()) >= 1 && (X509_get_key_usage(ca.cert.get()) & KU_KEY_CERT_SIGN);
}

bool usableServer(const KeyPair &server, const KeyPair &ca, const QStringList &names)
{
    if (!usable(server) || X509_check_issued(ca.cert.get(), server.cert.get()) != X509_V_OK
        || X509_verify(server.cert.get(), X509_get0_pubkey(ca.cert.get())) != 1
        || X509_check_purpose(server.cert.get(), X509_PURPOSE_SSL_SERVER, 0) != 1)
        return false;
    const QSet<QString> present = certificateNames(server.cert.get());
    for (const QString &name : names) {
        if (!present.contains(name))
            return false;
    }
    return true;
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    const bool ok = ext && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// Issues a certificate for subjectKey. Without an issuer it is self-signed (the CA).
X509Ptr issue(const char *commonName, EVP_PKEY *subjectKey, const KeyPair *issuer, int days,
    const std::initializer_list<std::pair<int, const char *>> &extensions, GENERAL_NAMES *altNames)
{
    X509Ptr cert(X509_new());
    BnPtr serial(BN_new());
    if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1
        || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 || BN_add_word(serial.get(), 1) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return nullptr;
    // An hour of slack for clocks that run behind ours.
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
        || !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr))
        return nullptr;
    if (issuer && ASN1_TIME_compare(X509_get0_notAfter(issuer->cert.get()), X509_get0_notAfter(cert.get())) < 0
        && X509_set1_notAfter(cert.get(), X509_get0_notAfter(issuer->cert.get())) != 1)
        return nullptr;

    X509_NAME *subject = X509_get_subject_name(cert.get());
    const auto *org = reinterpret_cast<const unsigned char *>("gls-emulator");
    const auto *cn = reinterpret_cast<const unsigned char *>(commonName);
    if (!X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, org, -1, -1, 0)
        || !X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, cn, -1, -1, 0)
        || !X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : subject)
        || !X509_set_pubkey(cert.get(), subjectKey))
        return nullptr;

    X509 *issuerCert = issuer ? issuer->cert.get() : cert.get();
    for (const auto &[nid, value] : extensions) {
        if (!addExtension(cert.get(), issuerCert, nid, value))
            return nullptr;
    }
    if (altNames && X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, altNames, 0, X509V3_ADD_DEFAULT) != 1)
        return nullptr;
    if (X509_sign(cert.get(), issuer ? issuer->key.get() : subjectKey, EVP_sha256()) <= 0)
        return nullptr;
    return cert;
}

bool newAuthority(KeyPair *ca)
{
    ca->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!ca->key)
        return false;
    ca->cert = issue("gls-emulator local CA", ca->key.get(), nullptr, kCaDays,
        {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"}, {NID_key_usage, "critical,keyCertSign,cRLSign"},
            {NID_subject_key_identifier, "hash"}, {NID_authority_key_identifier, "keyid:always"}},
        nullptr);
    return bool(ca->cert);
}

bool newServer(const KeyPair &ca, const QStringList &names, KeyPair *server)
{
    server->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    const NamesPtr altNames = generalNames(names);
    if (!server->key || !altNames)
        return false;
    server->cert = issue("localhost", server->key.get(), &ca, kServerDays,
        {{NID_basic_constraints, "critical,CA:FALSE"}, {NID_key_usage, "critical,digitalSignature"},
            {NID_ext_key_usage, "serverAuth"}, {NID_subject_key_identifier, "hash"},
            {NID_authority_key_identifier, "keyid:always"}},
        altNames.get());
    return bool(server->cert);
}

bool writeAtomically(const QString &path, const QByteArray &data, bool secret, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        || file.write(data) != data.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool save(const KeyPair &pair, const QString &certPath, const QString &keyPath, QString *error)
{
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), pair.cert.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), pair.key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        *error = openSslError(QStringLiteral("cannot encode %1").arg(certPath));
        return false;
    }
    auto contents = [](BIO *bio) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        return QByteArray(data, qsizetype(size));
    };
    QByteArray keyPem = contents(keyBio.get());
    // The key first: a certificate on disk without its key would look valid to nobody anyway.
    const bool ok = writeAtomically(keyPath, keyPem, true, error)
        && writeAtomically(certPath, contents(certBio.get()), false, error);
    keyPem.fill('\0');
    return ok;
}

} // namespace

bool ensureTlsFiles(const QString &dir, const QStringList &extraHosts, TlsFiles *out, QString *error)
{
    QString reason;
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        ERR_clear_error();
        return false;
    };
    QStringList names;
    if (!requiredNames(extraHosts, &names, &reason))
        return fail(reason);
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("cannot create the folder %1").arg(dir));
    const QDir folder(dir);
    // Emulators started side by side (parallel tests) must not each mint a CA in the same folder.
    QLockFile lock(folder.absoluteFilePath(QStringLiteral(".lock")));
    if (!lock.tryLock(30000))
        return fail(QStringLiteral("cannot lock %1 (error %2)").arg(lock.fileName(), QString::number(int(lock.error()))));
    const Paths paths{folder.absoluteFilePath(QStringLiteral("ca.pem")),
        folder.absoluteFilePath(QStringLiteral("ca-key.pem")), folder.absoluteFilePath(QStringLiteral("server.pem")),
        folder.absoluteFilePath(QStringLiteral("server-key.pem"))};

    KeyPair ca{readCertificate(paths.caCert), readKey(paths.caKey)};
    const bool caReused = usableAuthority(ca);
    ERR_clear_error(); // failed parses of missing or stale files are not errors
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (caReused) {
        QFile::setPermissions(paths.caKey, ownerOnly); // in case it was copied in with looser ones
    } else {
        if (!newAuthority(&ca))
            return fail(openSslError(QStringLiteral("cannot create the CA certificate")));
        if (!save(ca, paths.caCert, paths.caKey, &reason))
            return fail(reason);
    }

    KeyPair server{readCertificate(paths.serverCert), readKey(paths.serverKey)};
    const bool serverReused = caReused && usableServer(server, ca, names);
    ERR_clear_error();
    if (serverReused) {
        QFile::setPermissions(paths.serverKey, ownerOnly);
    } else {
        if (!newServer(ca, names, &server))
            return fail(openSslError(QStringLiteral("cannot create the server certificate")));
        if (!save(server, paths.serverCert, paths.serverKey, &reason))
            return fail(reason);
    }

    if (out)
        *out = TlsFiles{paths.caCert, paths.serverCert, paths.serverKey};
    return true;
}

} // namespace gls::emu
