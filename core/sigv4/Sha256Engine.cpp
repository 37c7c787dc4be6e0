#include "Sha256Engine.h"

#include <QVarLengthArray>

#include <openssl/crypto.h>

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

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr size_t kBlockSize = 64;

} // namespace

Sha256Engine::Sha256Engine()
{
    begin();
}

Sha256Engine::~Sha256Engine()
{
    OPENSSL_cleanse(&m_ctx, sizeof m_ctx); // it last hashed a key's pad or a message
}

void Sha256Engine::begin()
{
    SHA256_Init(&m_ctx);
}

void Sha256Engine::update(const void *data, size_t n)
{
    if (n)
        SHA256_Update(&m_ctx, data, n);
}

Sha256Engine::Digest Sha256Engine::finish()
{
    Digest d{};
    SHA256_Final(d.data(), &m_ctx);
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
    m_ctx = key.m_inner; // the state after the key's inner pad: a plain copy
    update(data.data(), size_t(data.size()));
    Digest inner = finish();
    m_ctx = key.m_outer;
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
{
    set({});
}

PreparedHmacKey::~PreparedHmacKey()
{
    OPENSSL_cleanse(&m_inner, sizeof m_inner);
    OPENSSL_cleanse(&m_outer, sizeof m_outer);
}

void PreparedHmacKey::set(QByteArrayView key)
{
    Q_ASSERT(size_t(key.size()) <= kBlockSize);
    unsigned char pad[kBlockSize] = {};
    if (!key.isEmpty())
        std::memcpy(pad, key.data(), std::min(size_t(key.size()), kBlockSize));
    for (unsigned char &b : pad)
        b ^= 0x36;
    SHA256_Init(&m_inner);
    SHA256_Update(&m_inner, pad, kBlockSize);
    for (unsigned char &b : pad)
        b ^= 0x36 ^ 0x5c;
    SHA256_Init(&m_outer);
    SHA256_Update(&m_outer, pad, kBlockSize);
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
