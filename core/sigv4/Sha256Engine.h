#pragma once

// Internal to gls_sigv4: SHA-256 and HMAC-SHA256 on OpenSSL's SHA-256
// (the CPU's SHA extensions where it has them), one state per engine.

#include "sigv4/SigV4.h"

#include <array>
#include <cstring>

// OpenSSL 3 marks its low-level SHA-256 functions deprecated in favour of EVP,
// whose provider dispatch per call and allocation per copied state cost about
// 12% of a signature. They remain in OpenSSL 3 with the same block code (the
// CPU's SHA extensions); this library is built with OPENSSL_SUPPRESS_DEPRECATED
// (CMakeLists.txt) to use them.
#include <openssl/sha.h>

namespace gls::sigv4::detail {

// An HMAC-SHA256 key made ready for many messages: the SHA-256 states after
// the key's inner (ipad) and outer (opad) blocks. Signing with it then costs
// the message's blocks plus one block for the outer hash, instead of two more
// blocks for the pads. The states stand for the key: they are wiped
// (OPENSSL_cleanse) when replaced by set() and when destroyed.
class PreparedHmacKey
{
public:
    PreparedHmacKey();
    ~PreparedHmacKey();
    PreparedHmacKey(const PreparedHmacKey &) = delete;
    PreparedHmacKey &operator=(const PreparedHmacKey &) = delete;

    // Key of at most 64 bytes (a SigV4 signing key is 32).
    void set(QByteArrayView key);

private:
    friend class Sha256Engine;
    SHA256_CTX m_inner;
    SHA256_CTX m_outer;
};

class Sha256Engine
{
public:
    using Digest = std::array<unsigned char, 32>;

    Sha256Engine();
    ~Sha256Engine();
    Sha256Engine(const Sha256Engine &) = delete;
    Sha256Engine &operator=(const Sha256Engine &) = delete;

    Digest hash(QByteArrayView data);
    // RFC 2104 HMAC over SHA-256.
    Digest hmac(QByteArrayView key, QByteArrayView data);
    // The same from a prepared key: `data`'s blocks and one more.
    Digest hmac(const PreparedHmacKey &key, QByteArrayView data);
    // The four-step SigV4 key derivation; buffers that held the secret are wiped.
    Digest signingKey(QByteArrayView secretAccessKey, ScopeView scope);

    static QByteArrayView view(const Digest &d)
    {
        return QByteArrayView(reinterpret_cast<const char *>(d.data()), qsizetype(d.size()));
    }
    static void wipe(Digest &d);

    // Two buffers the signer writes the canonical request and the string to
    // sign into when the caller keeps neither (SigningRequest::keepTexts):
    // emptied here, their capacity kept, so a signature allocates neither.
    // The canonical request holds the session token: both are wiped when the
    // engine goes.
    enum class Text { CanonicalRequest, StringToSign };
    QByteArray &textBuffer(Text which);

private:
    void begin();
    void update(const void *data, size_t n); // whole blocks only
    // Hashes `data` onto the state, which has absorbed `absorbed` bytes (whole
    // blocks), pads it and returns the digest.
    Digest finishWith(const void *data, size_t n, quint64 absorbed);

    SHA256_CTX m_ctx;
    QByteArray m_text[2]; // by Text
};

// Appends the lowercase hex form of `d`.
void appendHex(QByteArray &out, const Sha256Engine::Digest &d);
// The lowercase hex form of `d`, 64 bytes written at `at`.
void writeHex(char *at, const Sha256Engine::Digest &d);

// Zeroes `n` bytes at `p` in a way the compiler may not drop as a dead store:
// OPENSSL_cleanse's guarantee (BoringSSL's does it the same way), inline. The
// signer wipes its stack buffers on every signature, and the call into
// libcrypto for each profiled at 1% of one.
inline void wipeBytes(void *p, size_t n)
{
    std::memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

// Whether the `n` bytes at `a` and `b` are equal, in a time that depends on
// `n` only (CRYPTO_memcmp's contract, inline).
inline bool equalConstantTime(const void *a, const void *b, size_t n)
{
    const auto *x = static_cast<const unsigned char *>(a);
    const auto *y = static_cast<const unsigned char *>(b);
    quint64 diff = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 u;
        quint64 v;
        std::memcpy(&u, x + i, 8);
        std::memcpy(&v, y + i, 8);
        diff |= u ^ v;
    }
    for (; i < n; ++i)
        diff |= quint64(x[i] ^ y[i]);
    // The branch-free compare keeps the whole function constant-time.
    __asm__ __volatile__("" : "+r"(diff));
    return diff == 0;
}

} // namespace gls::sigv4::detail
