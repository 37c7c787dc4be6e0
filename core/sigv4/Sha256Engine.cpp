#include "Sha256Engine.h"

#include <QVarLengthArray>
#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

constexpr size_t kBlockSize = 64;

} // namespace

Sha256Engine::Sha256Engine()
{
    begin();
}

Sha256Engine::~Sha256Engine()
{
    OPENSSL_cleanse(&m_ctx, sizeof m_ctx); // it last hashed a key's pad or a message
    for (QByteArray &text : m_text) {
        if (!text.isEmpty())
            OPENSSL_cleanse(text.data(), size_t(text.size()));
    }
}

QByteArray &Sha256Engine::textBuffer(Text which)
{
    QByteArray &text = m_text[int(which)];
    text.resize(0); // keeps the capacity (clear() would free it)
    return text;
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

// OpenSSL's SHA256_Update copies a message's last partial block into its
// context with memcpy, and SHA256_Final pads it with memset. On a CPU with
// AVX-512 those are glibc's AVX-512 variants, and the SSE instructions of the
// SHA extensions that run right after them stalled: 12% of a signature with a
// session token (perf: glibc's memmove and the first instruction after it).
// So OpenSSL is only ever given whole blocks: the last one or two are padded
// here, on the stack, with plain stores.
Sha256Engine::Digest Sha256Engine::finishWith(const void *data, size_t n, quint64 absorbed)
{
    Q_ASSERT(m_ctx.num == 0); // only whole blocks so far
    const auto *bytes = static_cast<const unsigned char *>(data);
    const size_t whole = n & ~(kBlockSize - 1);
    if (whole)
        SHA256_Update(&m_ctx, bytes, whole);
    const size_t rest = n - whole;
    unsigned char last[2 * kBlockSize] = {};
    size_t i = 0;
    for (; i + 8 <= rest; i += 8)
        std::memcpy(last + i, bytes + whole + i, 8); // a fixed size: one move, no call
    for (; i < rest; ++i)
        last[i] = bytes[whole + i];
    last[rest] = 0x80;
    const size_t blocks = rest + 9 <= kBlockSize ? 1 : 2;
    const quint64 bits = (absorbed + n) * 8;
    qToBigEndian(bits, last + blocks * kBlockSize - 8);
    SHA256_Update(&m_ctx, last, blocks * kBlockSize);
    wipeBytes(last, sizeof last); // it held the message's end (a digest of a key, in HMAC)
    Digest d;
    for (size_t w = 0; w < 8; ++w)
        qToBigEndian(quint32(m_ctx.h[w]), d.data() + 4 * w);
    return d;
}

Sha256Engine::Digest Sha256Engine::hash(QByteArrayView data)
{
    begin();
    return finishWith(data.data(), size_t(data.size()), 0);
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
    Digest inner = finishWith(data.data(), size_t(data.size()), kBlockSize);
    for (size_t i = 0; i < kBlockSize; ++i)
        pad[i] = block[i] ^ 0x5c;
    begin();
    update(pad, kBlockSize);
    const Digest out = finishWith(inner.data(), inner.size(), kBlockSize);
    OPENSSL_cleanse(block, kBlockSize);
    OPENSSL_cleanse(pad, kBlockSize);
    wipe(inner);
    return out;
}

Sha256Engine::Digest Sha256Engine::hmac(const PreparedHmacKey &key, QByteArrayView data)
{
    m_ctx = key.m_inner; // the state after the key's inner pad: a plain copy
    Digest inner = finishWith(data.data(), size_t(data.size()), kBlockSize);
    m_ctx = key.m_outer;
    const Digest out = finishWith(inner.data(), inner.size(), kBlockSize);
    wipe(inner);
    return out;
}

Sha256Engine::Digest Sha256Engine::signingKey(QByteArrayView secretAccessKey, ScopeView scope)
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
    wipeBytes(d.data(), d.size());
}

void writeHex(char *at, const Sha256Engine::Digest &d)
{
#if defined(__SSE2__)
    // Sixteen bytes at a time: their high and low nibbles interleaved, then
    // '0' added, and 'a' - '0' - 10 more to the nibbles above 9.
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const auto toText = [](__m128i x) {
        const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
        return _mm_add_epi8(_mm_add_epi8(x, _mm_set1_epi8('0')), letters);
    };
    for (size_t half = 0; half < d.size(); half += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(d.data() + half));
        const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
        const __m128i low = _mm_and_si128(v, nibble);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(at + 2 * half), toText(_mm_unpacklo_epi8(high, low)));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(at + 2 * half + 16), toText(_mm_unpackhi_epi8(high, low)));
    }
#else
    constexpr char kLowerHex[] = "0123456789abcdef";
    for (const unsigned char b : d) {
        *at++ = kLowerHex[b >> 4];
        *at++ = kLowerHex[b & 0xF];
    }
#endif
}

void appendHex(QByteArray &out, const Sha256Engine::Digest &d)
{
    const qsizetype start = out.size();
    out.resize(start + qsizetype(2 * d.size()));
    writeHex(out.data() + start, d);
}

} // namespace gls::sigv4::detail
