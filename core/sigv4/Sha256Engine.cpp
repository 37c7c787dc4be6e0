#include "Sha256Engine.h"

#include <QVarLengthArray>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

namespace gls::sigv4::detail {

namespace {

// OpenSSL frees its state in an atexit() handler. Threads that Qt owns (the
// network manager's HTTP thread, thread-pool workers) can still be ending at
// that moment: QThread::wait() returns before a thread's thread-local
// destructors have run. The random generator a TLS handshake gave such a
// thread is then cut loose instead of freed, and LeakSanitizer reports about
// 7 KB inside libcrypto, in one run out of a few. The process is ending, so
// the system takes everything back; the handler is switched off instead,
// while the program is loaded and before anything else starts OpenSSL (the
// first initialisation decides). This file is in every program that signs or
// checks a signature: the app, the CLI, the emulator and their tests.
[[maybe_unused]] const int kOpenSslWithoutAtExit = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);

// OpenSSL 3 looks an algorithm up in its provider store (a hash table behind
// a lock) whenever it is named: HMAC() does that on every call and costs about
// 1 us here, most of a signature's budget. The SHA-256 implementation is
// therefore fetched once and kept. It is an immutable, reference-counted
// handle that OpenSSL allows any thread to use at once, the same kind of
// object EVP_sha256() returns; no state that varies between calls lives here.
const EVP_MD *sha256Algorithm()
{
    static const EVP_MD *const md = [] {
        const EVP_MD *fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched ? fetched : EVP_sha256();
    }();
    return md;
}

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr size_t kBlockSize = 64;

} // namespace

Sha256Engine::Sha256Engine()
    : m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx)
        qFatal("gls::sigv4: OpenSSL could not allocate a digest context");
}

Sha256Engine::~Sha256Engine()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256Engine::begin()
{
    if (!EVP_DigestInit_ex2(m_ctx, sha256Algorithm(), nullptr))
        qFatal("gls::sigv4: OpenSSL could not initialise SHA-256");
}

void Sha256Engine::update(const void *data, size_t n)
{
    if (n && !EVP_DigestUpdate(m_ctx, data, n))
        qFatal("gls::sigv4: OpenSSL SHA-256 update failed");
}

Sha256Engine::Digest Sha256Engine::finish()
{
    Digest d{};
    unsigned int len = 0;
    if (!EVP_DigestFinal_ex(m_ctx, d.data(), &len) || len != d.size())
        qFatal("gls::sigv4: OpenSSL SHA-256 final failed");
    return d;
}

Sha256Engine::Digest Sha256Engine::hash(QByteArrayView data)
{
    begin();
    update(data.data(), size_t(data.size()));
    return finish();
}

Sha256Engine::Digest Sha256Engine::hmac(QByteArrayView key, QByteArrayView data)
{
    unsigned char block[kBlockSize] = {};
    if (size_t(key.size()) > kBlockSize) {
        Digest k = hash(key);
        std::memcpy(block, k.data(), k.size());
        wipe(k);
    } else if (!key.isEmpty()) {
        std::memcpy(block, key.data(), size_t(key.size()));
    }
    unsigned char pad[kBlockSize];
    for (size_t i = 0; i < kBlockSize; ++i)
        pad[i] = block[i] ^ 0x36;
    begin();
    update(pad, kBlockSize);
    update(data.data(), size_t(data.size()));
    Digest inner = finish();
    for (size_t i = 0; i < kBlockSize; ++i)
        pad[i] = block[i] ^ 0x5c;
    begin();
    update(pad, kBlockSize);
    update(inner.data(), inner.size());
    const Digest out = finish();
    OPENSSL_cleanse(block, kBlockSize);
    OPENSSL_cleanse(pad, kBlockSize);
    wipe(inner);
    return out;
}

Sha256Engine::Digest Sha256Engine::hmac(const PreparedHmacKey &key, QByteArrayView data)
{
    // Copying a context duplicates OpenSSL's SHA-256 state (a few dozen bytes).
    if (!EVP_MD_CTX_copy_ex(m_ctx, key.m_inner))
        qFatal("gls::sigv4: OpenSSL could not copy a SHA-256 state");
    update(data.data(), size_t(data.size()));
    Digest inner = finish();
    if (!EVP_MD_CTX_copy_ex(m_ctx, key.m_outer))
        qFatal("gls::sigv4: OpenSSL could not copy a SHA-256 state");
    update(inner.data(), inner.size());
    const Digest out = finish();
    wipe(inner);
    return out;
}

Sha256Engine::Digest Sha256Engine::signingKey(QByteArrayView secretAccessKey, const Scope &scope)
{
    // "AWS4" + secret, on the stack for any realistic secret (40 characters).
    QVarLengthArray<char, 128> seed;
    seed.append("AWS4", 4);
    seed.append(secretAccessKey.data(), secretAccessKey.size());
    Digest k = hmac(QByteArrayView(seed.data(), seed.size()), scope.date);
    OPENSSL_cleanse(seed.data(), size_t(seed.size()));
    Digest next = hmac(view(k), scope.region);
    k = hmac(view(next), scope.service);
    next = hmac(view(k), "aws4_request");
    wipe(k);
    return next;
}

PreparedHmacKey::PreparedHmacKey()
    : m_inner(EVP_MD_CTX_new())
    , m_outer(EVP_MD_CTX_new())
{
    if (!m_inner || !m_outer)
        qFatal("gls::sigv4: OpenSSL could not allocate a digest context");
}

PreparedHmacKey::~PreparedHmacKey()
{
    EVP_MD_CTX_free(m_inner);
    EVP_MD_CTX_free(m_outer);
}

void PreparedHmacKey::set(QByteArrayView key)
{
    Q_ASSERT(size_t(key.size()) <= kBlockSize);
    unsigned char pad[kBlockSize] = {};
    if (!key.isEmpty())
        std::memcpy(pad, key.data(), std::min(size_t(key.size()), kBlockSize));
    for (unsigned char &b : pad)
        b ^= 0x36;
    if (!EVP_DigestInit_ex2(m_inner, sha256Algorithm(), nullptr) || !EVP_DigestUpdate(m_inner, pad, kBlockSize))
        qFatal("gls::sigv4: OpenSSL SHA-256 failed");
    for (unsigned char &b : pad)
        b ^= 0x36 ^ 0x5c;
    if (!EVP_DigestInit_ex2(m_outer, sha256Algorithm(), nullptr) || !EVP_DigestUpdate(m_outer, pad, kBlockSize))
        qFatal("gls::sigv4: OpenSSL SHA-256 failed");
    OPENSSL_cleanse(pad, kBlockSize);
}

void Sha256Engine::wipe(Digest &d)
{
    OPENSSL_cleanse(d.data(), d.size());
}

void appendHex(QByteArray &out, const Sha256Engine::Digest &d)
{
    const qsizetype start = out.size();
    out.resize(start + qsizetype(2 * d.size()));
    char *w = out.data() + start;
    for (const unsigned char b : d) {
        *w++ = kLowerHex[b >> 4];
        *w++ = kLowerHex[b & 0xF];
    }
}

} // namespace gls::sigv4::detail
