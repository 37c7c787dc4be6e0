#include "Crc64Nvme.h"

#include <QtEndian>

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GLS_CRC64_CLMUL 1
#include <immintrin.h>
#endif

namespace gls::s3 {

namespace {

// The polynomial with its bits in the order a reflected CRC shifts them:
// 0xad93d23594c93659 read backwards.
constexpr quint64 kPolynomial = 0xad93d23594c93659ull;

constexpr quint64 reflect64(quint64 v)
{
    quint64 r = 0;
    for (int i = 0; i < 64; ++i)
        r |= ((v >> i) & 1u) << (63 - i);
    return r;
}

constexpr quint64 kReflectedPolynomial = reflect64(kPolynomial);

// Slicing by 8: table k holds what a byte contributes after k more zero bytes.
using Tables = std::array<std::array<quint64, 256>, 8>;

constexpr Tables makeTables()
{
    Tables t{};
    for (quint64 b = 0; b < 256; ++b) {
        quint64 crc = b;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1u) ? kReflectedPolynomial : 0);
        t[0][b] = crc;
    }
    for (size_t k = 1; k < 8; ++k) {
        for (size_t b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
    }
    return t;
}

constexpr Tables kTables = makeTables();

quint64 updatePortable(quint64 crc, const unsigned char *p, size_t n)
{
    while (n >= 8) {
        crc ^= qFromLittleEndian<quint64>(p);
        crc = kTables[7][crc & 0xFF] ^ kTables[6][(crc >> 8) & 0xFF] ^ kTables[5][(crc >> 16) & 0xFF]
            ^ kTables[4][(crc >> 24) & 0xFF] ^ kTables[3][(crc >> 32) & 0xFF] ^ kTables[2][(crc >> 40) & 0xFF]
            ^ kTables[1][(crc >> 48) & 0xFF] ^ kTables[0][crc >> 56];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = kTables[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

#ifdef GLS_CRC64_CLMUL

// Folding (Gopal et al., "Fast CRC computation for generic polynomials using
// PCLMULQDQ", Intel, 2009), for a reflected CRC. A 128-bit accumulator X holds
// a polynomial congruent, modulo P, to every byte folded so far; the bytes'
// first half is its high-degree half H, the second its low half L. Moving X
// n bits further along the message is X * x^n = H * x^(n+64) + L * x^n, and
// each product needs only the 64-bit residue x^(n+64) mod P (or x^n mod P).
// A carry-less product of two reflected values comes out multiplied by x
// once more, so the residues kept are those of x^(n+63) and x^(n-1).

// x^e mod P, as the reflected 64-bit value the products take.
constexpr quint64 residue(int e)
{
    quint64 r = 1; // x^0, normal bit order
    for (int i = 0; i < e; ++i)
        r = (r << 1) ^ ((r >> 63) ? kPolynomial : 0);
    return reflect64(r);
}

// Multipliers for moving 16 bytes (one lane) and 64 bytes (four lanes) along:
// the low qword pairs with H, the high with L.
struct FoldConstants {
    quint64 forHigh;
    quint64 forLow;
};
constexpr FoldConstants kBy16{residue(128 + 64 - 1), residue(128 - 1)};
constexpr FoldConstants kBy64{residue(512 + 64 - 1), residue(512 - 1)};

__attribute__((target("pclmul,sse2"))) inline __m128i fold(__m128i x, __m128i k, __m128i next)
{
    const __m128i high = _mm_clmulepi64_si128(x, k, 0x00); // H * residue for H
    const __m128i low = _mm_clmulepi64_si128(x, k, 0x11);  // L * residue for L
    return _mm_xor_si128(_mm_xor_si128(high, low), next);
}

__attribute__((target("pclmul,sse2"))) inline __m128i load(const unsigned char *p)
{
    return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
}

// n >= 64. The register goes into the first 8 bytes (what a table CRC's
// starting value amounts to); at the end the accumulator's 16 bytes are run
// through the table from zero, which gives the register for everything folded.
__attribute__((target("pclmul,sse2"))) quint64 updateFolded(quint64 crc, const unsigned char *p, size_t n)
{
    const __m128i by64 = _mm_set_epi64x(qint64(kBy64.forLow), qint64(kBy64.forHigh));
    const __m128i by16 = _mm_set_epi64x(qint64(kBy16.forLow), qint64(kBy16.forHigh));
    __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi64_si128(qint64(crc)));
    __m128i x1 = load(p + 16);
    __m128i x2 = load(p + 32);
    __m128i x3 = load(p + 48);
    p += 64;
    n -= 64;
    while (n >= 64) {
        x0 = fold(x0, by64, load(p));
        x1 = fold(x1, by64, load(p + 16));
        x2 = fold(x2, by64, load(p + 32));
        x3 = fold(x3, by64, load(p + 48));
        p += 64;
        n -= 64;
    }
    __m128i x = fold(x0, by16, x1);
    x = fold(x, by16, x2);
    x = fold(x, by16, x3);
    while (n >= 16) {
        x = fold(x, by16, load(p));
        p += 16;
        n -= 16;
    }
    alignas(16) unsigned char folded[16];
    _mm_store_si128(reinterpret_cast<__m128i *>(folded), x);
    return updatePortable(updatePortable(0, folded, sizeof folded), p, n);
}

// Asked once, at load time; __builtin_cpu_init() first, as static initialisers
// may run before libgcc has filled in what the CPU supports.
const bool kHasClmul = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") != 0;
}();

#endif

} // namespace

quint64 Crc64Nvme::update(quint64 crcRegister, QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto n = size_t(bytes.size());
#ifdef GLS_CRC64_CLMUL
    if (kHasClmul && n >= 64)
        return updateFolded(crcRegister, p, n);
#endif
    return updatePortable(crcRegister, p, n);
}

QByteArray Crc64Nvme::result() const
{
    QByteArray out(8, Qt::Uninitialized);
    qToBigEndian(value(), out.data());
    return out;
}

QByteArray Crc64Nvme::toHeader(quint64 crc)
{
    QByteArray bytes(8, Qt::Uninitialized);
    qToBigEndian(crc, bytes.data());
    return bytes.toBase64();
}

quint64 Crc64Nvme::of(QByteArrayView bytes)
{
    return update(kAllOnes, bytes) ^ kAllOnes;
}

quint64 Crc64Nvme::ofPortable(QByteArrayView bytes)
{
    return updatePortable(kAllOnes, reinterpret_cast<const unsigned char *>(bytes.data()), size_t(bytes.size()))
        ^ kAllOnes;
}

bool Crc64Nvme::accelerated()
{
#ifdef GLS_CRC64_CLMUL
    return kHasClmul;
#else
    return false;
#endif
}

} // namespace gls::s3
