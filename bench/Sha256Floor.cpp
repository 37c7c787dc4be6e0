#include "Sha256Floor.h"

// OpenSSL's low-level SHA-256 (deprecated in OpenSSL 3 for EVP, whose
// provider dispatch per call would raise the floor): the block code the
// signer uses (gls_sigv4 is built the same way, core/sigv4/CMakeLists.txt).
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace gls::bench {

namespace {

constexpr size_t kBlock = 64;

// `message` followed by SHA-256's padding for a message that `prefix` bytes
// (whole blocks) already went before: whole blocks, ready for the block code.
QByteArray padded(QByteArrayView message, size_t prefix)
{
    const size_t n = size_t(message.size());
    const size_t total = (n + 9 + kBlock - 1) / kBlock * kBlock;
    QByteArray out(qsizetype(total), '\0');
    std::memcpy(out.data(), message.data(), n);
    out[qsizetype(n)] = char(0x80);
    qToBigEndian(quint64((prefix + n) * 8), out.data() + total - 8);
    return out;
}

// Hashes whole blocks only: SHA256_Update hands them straight to the block
// code. Its partial-block path (a memcpy into the context) and SHA256_Final's
// memset stall the SHA extensions right after them on CPUs with AVX-512: a
// floor taken through them was above the signer's own time.
void blocks(SHA256_CTX &c, const QByteArray &whole)
{
    SHA256_Update(&c, whole.constData(), size_t(whole.size()));
}

} // namespace

struct Sha256Floor::State {
    SHA256_CTX inner; // after the key's ipad block
    SHA256_CTX outer; // after the key's opad block
    QByteArray body;  // each padded: whole blocks
    QByteArray canonical;
    QByteArray toSign;     // padded as the HMAC's inner message, after the ipad block
    QByteArray innerBlock; // the inner digest's room, padded as the outer message
};

Sha256Floor::Sha256Floor(QByteArrayView signingKey, const QByteArray &body, const QByteArray &canonicalRequest,
    const QByteArray &stringToSign)
    : d(std::make_unique<State>())
{
    unsigned char pad[kBlock] = {};
    std::memcpy(pad, signingKey.data(), std::min(size_t(signingKey.size()), kBlock));
    for (unsigned char &b : pad)
        b ^= 0x36;
    SHA256_Init(&d->inner);
    SHA256_Update(&d->inner, pad, kBlock);
    for (unsigned char &b : pad)
        b ^= 0x36 ^ 0x5c;
    SHA256_Init(&d->outer);
    SHA256_Update(&d->outer, pad, kBlock);
    OPENSSL_cleanse(pad, kBlock);
    if (!body.isEmpty()) // an empty body's digest is a constant, as in the signer
        d->body = padded(body, 0);
    d->canonical = padded(canonicalRequest, 0);
    d->toSign = padded(stringToSign, kBlock);
    d->innerBlock = padded(QByteArray(SHA256_DIGEST_LENGTH, '\0'), kBlock);
}

Sha256Floor::~Sha256Floor()
{
    OPENSSL_cleanse(&d->inner, sizeof d->inner);
    OPENSSL_cleanse(&d->outer, sizeof d->outer);
}

unsigned char Sha256Floor::run()
{
    SHA256_CTX c;
    unsigned char kept = 0;
    if (!d->body.isEmpty()) {
        SHA256_Init(&c);
        blocks(c, d->body);
        kept = static_cast<unsigned char>(c.h[0]);
    }
    SHA256_Init(&c);
    blocks(c, d->canonical);
    kept ^= static_cast<unsigned char>(c.h[0]);
    c = d->inner;
    blocks(c, d->toSign);
    char *digest = d->innerBlock.data();
    for (int w = 0; w < 8; ++w)
        qToBigEndian(quint32(c.h[w]), digest + 4 * w);
    c = d->outer;
    blocks(c, d->innerBlock);
    return kept ^ static_cast<unsigned char>(c.h[0]);
}

} // namespace gls::bench
