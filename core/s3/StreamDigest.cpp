#include "StreamDigest.h"

#include <QFile>

#include <openssl/evp.h>

#include <vector>

namespace gls::s3 {

namespace {

const EVP_MD *algorithmOf(StreamDigest::Algorithm a)
{
    return a == StreamDigest::Algorithm::Md5 ? EVP_md5() : EVP_sha256();
}

} // namespace

StreamDigest::StreamDigest(Algorithm algorithm)
    : m_algorithm(algorithm)
    , m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx)
        qFatal("gls::s3: OpenSSL could not allocate a digest context");
    reset();
}

StreamDigest::~StreamDigest()
{
    EVP_MD_CTX_free(m_ctx);
}

void StreamDigest::reset()
{
    if (!EVP_DigestInit_ex(m_ctx, algorithmOf(m_algorithm), nullptr))
        qFatal("gls::s3: OpenSSL could not start a digest");
}

void StreamDigest::addData(QByteArrayView bytes)
{
    if (!bytes.isEmpty() && !EVP_DigestUpdate(m_ctx, bytes.data(), size_t(bytes.size())))
        qFatal("gls::s3: OpenSSL digest update failed");
}

QByteArray StreamDigest::result() const
{
    // Finished on a copy, so this one can go on.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!copy || !EVP_MD_CTX_copy_ex(copy, m_ctx) || !EVP_DigestFinal_ex(copy, out, &size))
        qFatal("gls::s3: OpenSSL could not finish a digest");
    EVP_MD_CTX_free(copy);
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(size));
}

QString StreamDigest::sha256OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    StreamDigest digest(Algorithm::Sha256);
    std::vector<char> buffer(1024 * 1024);
    for (;;) {
        const qint64 n = f.read(buffer.data(), qint64(buffer.size()));
        if (n < 0)
            return {};
        if (n == 0)
            break;
        digest.addData(QByteArrayView(buffer.data(), n));
    }
    return QString::fromLatin1(digest.result().toHex());
}

} // namespace gls::s3
