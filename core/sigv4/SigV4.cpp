#include "sigv4/SigV4.h"

#include "sigv4/SigningKeyCache.h"

#include "ByteRules.h"
#include "Sha256Engine.h"

#include <QDate>
#include <QTime>
#include <QVarLengthArray>
#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>

// Canonicalisation and signing. Parsing what arrived is in SigV4Parsing.cpp,
// the digests in Sha256Engine.cpp. Everything appends to one output buffer
// sized up front: the signer runs for every request that leaves, and the
// emulator's verifier for every request that arrives.

namespace gls::sigv4 {

using detail::Sha256Engine;

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr char kLowerHex[] = "0123456789abcdef";
constexpr QByteArrayView kTerminator = "aws4_request";
constexpr QByteArrayView kSignatureParam = "X-Amz-Signature";

using NameList = QVarLengthArray<QByteArray, 8>;

// Writes into room made up front. Canonicalisation appends many short pieces;
// QByteArray::append checks capacity, sharing and aliasing on each one, which
// profiled as a quarter of a signature. Each writer below states how many
// bytes it may write at most, and appendWritten makes that room once.
class Writer
{
public:
    explicit Writer(char *at)
        : m_at(at)
    {
    }
    void put(char c) { *m_at++ = c; }
    void put(QByteArrayView v)
    {
        const size_t n = size_t(v.size());
        const char *s = v.data();
        // Most pieces are a few bytes: two overlapping fixed-size copies, no
        // call into memcpy (which profiled at 13% of a signature).
        if (n > 16 && n <= 32) {
            std::memcpy(m_at, s, 16);
            std::memcpy(m_at + n - 16, s + n - 16, 16);
        } else if (n >= 8 && n <= 16) {
            std::memcpy(m_at, s, 8);
            std::memcpy(m_at + n - 8, s + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(m_at, s, 4);
            std::memcpy(m_at + n - 4, s + n - 4, 4);
        } else if (n < 4) {
            for (size_t i = 0; i < n; ++i)
                m_at[i] = s[i];
        } else {
            std::memcpy(m_at, s, n);
        }
        m_at += n;
    }
    void putHex(const Sha256Engine::Digest &d)
    {
        for (const unsigned char b : d) {
            *m_at++ = kLowerHex[b >> 4];
            *m_at++ = kLowerHex[b & 0xF];
        }
    }
    char *at() const { return m_at; }
    void rewind(char *to) { m_at = to; }

private:
    char *m_at;
};

// Appends what `write(Writer &)` writes, at most `bound` bytes.
template <typename Write>
void appendWritten(QByteArray &out, qsizetype bound, Write &&write)
{
    const qsizetype start = out.size();
    out.resize(start + bound);
    Writer w(out.data() + start);
    write(w);
    Q_ASSERT(w.at() - out.constData() <= start + bound);
    out.resize(w.at() - out.constData()); // shrinking keeps the capacity
}

// Each byte's percent-encoded form, packed for one 4-byte store: the bytes to
// write in the low three (little-endian), how many in the high one.
constexpr std::array<quint32, 256> makeEscapes(bool encodeSlash)
{
    std::array<quint32, 256> table{};
    for (unsigned c = 0; c < 256; ++c) {
        if (detail::kUnreserved[c] || (!encodeSlash && c == '/'))
            table[c] = c | (1u << 24);
        else
            table[c] = quint32('%') | (quint32(kUpperHex[c >> 4]) << 8) | (quint32(kUpperHex[c & 0xF]) << 16)
                | (3u << 24);
    }
    return table;
}
constexpr std::array<quint32, 256> kEscapes = makeEscapes(true);
constexpr std::array<quint32, 256> kEscapesKeepSlash = makeEscapes(false);

#if defined(__SSE2__)
// Bit i set when byte i of the 16 at `p` is to be escaped: not one of
// A-Z a-z 0-9 - . _ ~ (nor '/' when slashes are kept). SSE2 has only signed
// byte compares; a range test is an unsigned minimum instead.
unsigned escapeMask(const char *p, bool encodeSlash)
{
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const auto inRange = [](__m128i x, char first, int count) {
        const __m128i offset = _mm_sub_epi8(x, _mm_set1_epi8(first));
        return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(char(count - 1))), offset);
    };
    // Setting bit 5 maps A-Z onto a-z and nothing else onto them.
    __m128i keep = _mm_or_si128(inRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26), inRange(v, '0', 10));
    keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, _mm_set1_epi8('~')));
    if (!encodeSlash)
        keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, _mm_set1_epi8('/')));
    return ~unsigned(_mm_movemask_epi8(keep)) & 0xFFFFu;
}
#endif

// Writes at most 3 * in.size() bytes, and may scribble one byte past them:
// callers' bounds have one byte to spare (kEncodeSlack).
constexpr qsizetype kEncodeSlack = 1;
void writeUriEncoded(Writer &w, QByteArrayView in, bool encodeSlash)
{
    const std::array<quint32, 256> &table = encodeSlash ? kEscapes : kEscapesKeepSlash;
    char *at = w.at();
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    const auto *const end = p + in.size();
    const auto store = [](char *to, quint32 e) {
        const quint32 bytes = qToLittleEndian(e);
        std::memcpy(to, &bytes, 4);
    };
    // Four bytes at a time: each one's escape stored where the ones before it
    // end. Byte by byte, every store waited for the previous length to be
    // added (one cycle a byte); here the four lengths add up off that chain.
    const auto encodeFour = [&](const unsigned char *q) {
        const quint32 e0 = table[q[0]];
        const quint32 e1 = table[q[1]];
        const quint32 e2 = table[q[2]];
        const quint32 e3 = table[q[3]];
        const size_t to1 = e0 >> 24;
        const size_t to2 = to1 + (e1 >> 24);
        const size_t to3 = to2 + (e2 >> 24);
        store(at, e0);
        store(at + to1, e1);
        store(at + to2, e2);
        store(at + to3, e3);
        at += to3 + (e3 >> 24);
    };
#if defined(__SSE2__)
    // Sixteen bytes with nothing to escape (most of an S3 key, a NextToken's
    // letters) are copied as they are. While 16 bytes of input remain, at
    // least 48 bytes of the room do: the 16-byte store stays inside it.
    while (end - p >= 16) {
        if (escapeMask(reinterpret_cast<const char *>(p), encodeSlash) == 0) {
            _mm_storeu_si128(reinterpret_cast<__m128i *>(at), _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
            at += 16;
        } else {
            for (int k = 0; k < 16; k += 4)
                encodeFour(p + k);
        }
        p += 16;
    }
#endif
    for (; end - p >= 4; p += 4)
        encodeFour(p);
    for (; p < end; ++p) {
        const quint32 e = table[*p];
        store(at, e);
        at += e >> 24;
    }
    w.rewind(at);
}

void appendUriEncoded(QByteArray &out, QByteArrayView in, bool encodeSlash)
{
    appendWritten(out, 3 * in.size() + kEncodeSlack, [&](Writer &w) { writeUriEncoded(w, in, encodeSlash); });
}

// Index of `c` in `v` at or after `from`, or -1 (memchr, without the general
// substring search QByteArrayView::indexOf goes through).
qsizetype find(QByteArrayView v, char c, qsizetype from = 0)
{
    if (from >= v.size())
        return -1;
    const void *p = std::memchr(v.data() + from, c, size_t(v.size() - from));
    return p ? static_cast<const char *>(p) - v.data() : -1;
}

bool isUpperHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

// Writes the decoded bytes to `w` (room for in.size() bytes); returns the end.
char *writePercentDecoded(char *w, QByteArrayView in)
{
    const qsizetype n = in.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (in[i] == '%' && i + 2 < n) {
            const int hi = detail::hexValue(in[i + 1]);
            const int lo = detail::hexValue(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                *w++ = char((hi << 4) | lo);
                i += 2;
                continue;
            }
        }
        *w++ = in[i];
    }
    return w;
}

// True when decoding then re-encoding `v` gives `v` back: only unreserved
// bytes and uppercase %XX escapes of bytes that are not unreserved (what our
// own encoder writes, so every query the app sends).
bool isCanonicalComponent(QByteArrayView v)
{
    const qsizetype n = v.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (detail::isUnreserved(v[i]))
            continue;
        if (v[i] != '%' || i + 2 >= n || !isUpperHex(v[i + 1]) || !isUpperHex(v[i + 2])
            || detail::isUnreserved(char((detail::hexValue(v[i + 1]) << 4) | detail::hexValue(v[i + 2]))))
            return false;
        i += 2;
    }
    return true;
}

qsizetype canonicalPathBound(QByteArrayView wirePath)
{
    return 3 * wirePath.size() + 2 + kEncodeSlack;
}

// At most canonicalPathBound(wirePath) bytes.
void writeCanonicalPath(Writer &w, QByteArrayView wirePath, PathStyle style)
{
    if (wirePath.isEmpty()) {
        w.put('/');
        return;
    }
    if (style == PathStyle::S3) {
        w.put(wirePath);
        return;
    }
    // Drop empty segments (repeated slashes) and "." segments, let ".." remove
    // the segment before it, and keep a trailing slash: botocore's
    // remove_dot_segments and the suite's get-slash*, get-relative* and
    // get-slash-dot-slash cases. Each kept segment is encoded once more.
    char *const start = w.at();
    QVarLengthArray<char *, 32> segmentStarts;
    const qsizetype n = wirePath.size();
    for (qsizetype i = 0; i <= n;) {
        qsizetype j = find(wirePath, '/', i);
        if (j < 0)
            j = n;
        const QByteArrayView segment = wirePath.sliced(i, j - i);
        const bool dot = segment.size() == 1 && segment[0] == '.';
        const bool dotDot = segment.size() == 2 && segment[0] == '.' && segment[1] == '.';
        if (dotDot) {
            if (!segmentStarts.isEmpty()) {
                w.rewind(segmentStarts.last());
                segmentStarts.removeLast();
            }
        } else if (!segment.isEmpty() && !dot) {
            segmentStarts.append(w.at());
            w.put('/');
            writeUriEncoded(w, segment, true);
        }
        i = j + 1;
    }
    if (w.at() == start || wirePath.endsWith('/'))
        w.put('/');
}

qsizetype canonicalQueryBound(QByteArrayView wireQuery)
{
    return 4 * wireQuery.size() + 2;
}

// At most canonicalQueryBound(wireQuery) bytes.
void writeCanonicalQuery(Writer &w, QByteArrayView wireQuery, bool excludeSignature)
{
    if (wireQuery.isEmpty())
        return;
    // A component that is already canonical (the common case) is used in
    // place. Others are decoded, re-encoded and written to `scratch`; views
    // into it are taken once it stops growing.
    struct Span
    {
        qsizetype offset = 0;
        qsizetype length = 0;
        bool inScratch = false;
    };
    struct SpanPair
    {
        Span key;
        Span value;
    };
    QVarLengthArray<SpanPair, 16> spans;
    QByteArray scratch;
    QVarLengthArray<char, 256> decoded;
    const auto canonicalise = [&](qsizetype offset, qsizetype length) -> Span {
        const QByteArrayView v = wireQuery.sliced(offset, length);
        if (isCanonicalComponent(v))
            return {offset, length, false};
        decoded.resize(v.size());
        const char *end = writePercentDecoded(decoded.data(), v);
        const qsizetype at = scratch.size();
        appendUriEncoded(scratch, QByteArrayView(decoded.data(), end - decoded.data()), true);
        return {at, scratch.size() - at, true};
    };
    const qsizetype n = wireQuery.size();
    for (qsizetype i = 0; i < n;) {
        qsizetype amp = find(wireQuery, '&', i);
        if (amp < 0)
            amp = n;
        if (amp > i) {
            const qsizetype eq = find(wireQuery.sliced(i, amp - i), '=');
            if (eq < 0)
                spans.append({canonicalise(i, amp - i), Span{}});
            else
                spans.append({canonicalise(i, eq), canonicalise(i + eq + 1, amp - i - eq - 1)});
        }
        i = amp + 1;
    }

    struct Pair
    {
        QByteArrayView key;
        QByteArrayView value;
    };
    const auto view = [&](const Span &s) {
        return s.inScratch ? QByteArrayView(scratch.constData() + s.offset, s.length)
                           : wireQuery.sliced(s.offset, s.length);
    };
    QVarLengthArray<Pair, 16> pairs;
    for (const SpanPair &s : spans) {
        const Pair p{view(s.key), view(s.value)};
        if (!(excludeSignature && p.key == kSignatureParam))
            pairs.append(p);
    }
    // Sort the pairs (by key, then value), not the joined "k=v" strings.
    std::sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) {
        const int byKey = detail::compareBytes(a.key, b.key);
        return byKey != 0 ? byKey < 0 : detail::compareBytes(a.value, b.value) < 0;
    });
    for (qsizetype k = 0; k < pairs.size(); ++k) {
        if (k)
            w.put('&');
        w.put(pairs[k].key);
        w.put('=');
        w.put(pairs[k].value);
    }
}

// Trims the value and collapses inner runs of blanks to one space. A value of
// several lines (obs-fold, or the suite's continuation lines) becomes its
// non-empty lines joined with ',', as get-header-value-multiline expects.
// Writes at most value.size() bytes.
void writeCanonicalValue(Writer &w, QByteArrayView value)
{
    // No byte at or below ' ' (no blank, no line break): nothing to trim or
    // collapse, the value is canonical as it is. Dates, hosts, tokens, types.
    char *const base = w.at();
#if defined(__SSE2__)
    // A session token is most of a canonical request: it is copied and
    // checked in the same pass, 16 bytes at a time (the last 16 overlap).
    if (value.size() >= 16) {
        const char *const from = value.data();
        const qsizetype n = value.size();
        __m128i least = _mm_set1_epi8(char(0xFF));
        const auto copy = [&](qsizetype i) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + i));
            least = _mm_min_epu8(least, v);
            _mm_storeu_si128(reinterpret_cast<__m128i *>(base + i), v);
        };
        for (qsizetype i = 0; i + 16 <= n; i += 16)
            copy(i);
        copy(n - 16);
        // Every byte above ' ' when no byte of `least` is at or below it.
        const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(least, _mm_set1_epi8(' ')), least);
        if (_mm_movemask_epi8(low) == 0) {
            w.rewind(base + n);
            return;
        }
    } else
#endif
    {
        unsigned char least = 0xFF;
        for (qsizetype i = 0; i < value.size(); ++i) {
            base[i] = value[i];
            least = std::min(least, static_cast<unsigned char>(value[i]));
        }
        if (least > ' ') {
            w.rewind(base + value.size());
            return;
        }
    }
    const qsizetype n = value.size();
    for (qsizetype i = 0; i <= n;) {
        qsizetype nl = value.indexOf('\n', i);
        if (nl < 0)
            nl = n;
        const QByteArrayView line = detail::trimmed(value.sliced(i, nl - i));
        i = nl + 1;
        if (line.isEmpty())
            continue;
        if (w.at() != base)
            w.put(',');
        bool pendingBlank = false;
        for (const char c : line) {
            if (detail::isBlank(c)) {
                pendingBlank = true;
                continue;
            }
            if (pendingBlank)
                w.put(' ');
            pendingBlank = false;
            w.put(c);
        }
    }
}

// Fewer than four in a row cost less compared here than through memcmp's
// call: header names are short. Unsigned byte order.
int compareNames(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool sameBytes(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && compareNames(a, b) == 0;
}

// Lowercased names made while signing: a name that is already lowercase and
// trimmed is used in place, so this stays empty for the usual headers.
using LoweredNames = QVarLengthArray<QByteArray, 4>;

// `name` trimmed and lowercased: a view of `name` itself when it already is,
// else of a copy kept in `store` (the copy's bytes stay put as `store` grows).
QByteArrayView lowercaseName(QByteArrayView name, LoweredNames &store)
{
    const QByteArrayView t = detail::trimmed(name);
    if (std::none_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return t;
    QByteArray lower(t.data(), t.size());
    for (char &c : lower)
        c = detail::asciiLower(c);
    store.append(std::move(lower));
    return store.last();
}

NameList normalisedNames(const QList<QByteArray> &names)
{
    NameList out;
    LoweredNames lowered;
    for (const QByteArray &name : names) {
        const QByteArrayView lower = lowercaseName(name, lowered);
        const bool unchanged = lower.data() == name.constData() && lower.size() == name.size();
        out.append(unchanged ? name : lower.toByteArray()); // shared when unchanged
    }
    std::sort(out.begin(), out.end(),
        [](const QByteArray &a, const QByteArray &b) { return detail::compareBytes(a, b) < 0; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// One signed header: its lowercased name and its value as sent. A list of them
// is kept sorted by name, a name's headers in the order they were sent, and
// both the canonical header block and the signed-headers list are read off it
// in one pass: no name is looked up in the headers.
struct HeaderEntry {
    QByteArrayView name;
    QByteArrayView value;
};
using SortedHeaders = QVarLengthArray<HeaderEntry, 8>;

// Inserts `e` after every entry whose name sorts at or before its own.
void insertSorted(SortedHeaders &list, HeaderEntry e)
{
    qsizetype at = list.size();
    while (at > 0 && compareNames(e.name, list[at - 1].name) < 0)
        --at;
    list.insert(at, e);
}

// The headers of `allHeaders` that `names` (normalised) signs. A signed name
// no header carries is kept with an empty value: "name:" in the block.
SortedHeaders selectSigned(const HeaderList &allHeaders, const NameList &names)
{
    SortedHeaders out;
    for (const QByteArray &name : names) {
        bool found = false;
        for (const auto &[headerName, headerValue] : allHeaders) {
            if (detail::equalsIgnoreCase(detail::trimmed(headerName), name)) {
                out.append({name, headerValue});
                found = true;
            }
        }
        if (!found)
            out.append({name, {}});
    }
    return out;
}

qsizetype signedHeadersListBound(const SortedHeaders &headers)
{
    qsizetype size = 0;
    for (const HeaderEntry &h : headers)
        size += h.name.size() + 1;
    return size;
}

void writeSignedHeadersList(Writer &w, const SortedHeaders &headers)
{
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i == 0) {
            w.put(headers[i].name);
        } else if (!sameBytes(headers[i].name, headers[i - 1].name)) {
            w.put(';');
            w.put(headers[i].name);
        }
    }
}

qsizetype canonicalHeadersBound(const SortedHeaders &headers)
{
    qsizetype size = 0;
    for (const HeaderEntry &h : headers)
        size += h.name.size() + h.value.size() + 2;
    return size;
}

// "name:value\n" per name; the values of a repeated name joined by ','.
void writeCanonicalHeaders(Writer &w, const SortedHeaders &headers)
{
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i > 0 && sameBytes(headers[i].name, headers[i - 1].name)) {
            w.rewind(w.at() - 1); // the previous line's '\n'
            w.put(',');
        } else {
            w.put(headers[i].name);
            w.put(':');
        }
        writeCanonicalValue(w, headers[i].value);
        w.put('\n');
    }
}

struct RequestParts
{
    QByteArrayView method;
    QByteArrayView wirePath;
    QByteArrayView wireQuery;
    const SortedHeaders &headers;
    QByteArrayView payloadHash;
    PathStyle pathStyle;
    bool excludeSignature;
};

void appendCanonicalRequest(QByteArray &out, const RequestParts &in)
{
    const qsizetype bound = in.method.size() + canonicalPathBound(in.wirePath) + canonicalQueryBound(in.wireQuery)
        + canonicalHeadersBound(in.headers) + signedHeadersListBound(in.headers) + in.payloadHash.size() + 5;
    appendWritten(out, bound, [&](Writer &w) {
        w.put(in.method);
        w.put('\n');
        writeCanonicalPath(w, in.wirePath, in.pathStyle);
        w.put('\n');
        writeCanonicalQuery(w, in.wireQuery, in.excludeSignature);
        w.put('\n');
        writeCanonicalHeaders(w, in.headers);
        w.put('\n');
        writeSignedHeadersList(w, in.headers);
        w.put('\n');
        w.put(in.payloadHash);
    });
}

QByteArray buildCanonicalRequest(const RequestParts &in)
{
    QByteArray out;
    appendCanonicalRequest(out, in);
    return out;
}

qsizetype scopeSize(ScopeView scope)
{
    return scope.date.size() + scope.region.size() + scope.service.size() + kTerminator.size() + 3;
}

void writeScope(Writer &w, ScopeView scope)
{
    w.put(scope.date);
    w.put('/');
    w.put(scope.region);
    w.put('/');
    w.put(scope.service);
    w.put('/');
    w.put(kTerminator);
}

void appendScope(QByteArray &out, ScopeView scope)
{
    appendWritten(out, scopeSize(scope), [&](Writer &w) { writeScope(w, scope); });
}

void appendStringToSign(
    QByteArray &out, Sha256Engine &engine, QByteArrayView amzDateTime, ScopeView scope, QByteArrayView canonical)
{
    const Sha256Engine::Digest digest = engine.hash(canonical);
    appendWritten(out, kAlgorithm.size() + amzDateTime.size() + scopeSize(scope) + 3 + 2 * qsizetype(digest.size()),
                  [&](Writer &w) {
                      w.put(kAlgorithm);
                      w.put('\n');
                      w.put(amzDateTime);
                      w.put('\n');
                      writeScope(w, scope);
                      w.put('\n');
                      w.putHex(digest);
                  });
}

QByteArray buildStringToSign(
    Sha256Engine &engine, QByteArrayView amzDateTime, ScopeView scope, QByteArrayView canonical)
{
    QByteArray out;
    appendStringToSign(out, engine, amzDateTime, scope, canonical);
    return out;
}

// Appends the hex signature of `toSign`: from the cached key when there is a
// cache, else from a key derived here and wiped.
void appendSignature(QByteArray &out, Sha256Engine &engine, SigningKeyCache *keys, QByteArrayView secret,
    ScopeView scope, QByteArrayView toSign)
{
    if (keys) {
        keys->appendSignature(out, secret, scope, toSign);
        return;
    }
    Sha256Engine::Digest key = engine.signingKey(secret, scope);
    detail::appendHex(out, engine.hmac(Sha256Engine::view(key), toSign));
    Sha256Engine::wipe(key);
}

// The scope as given, its date taken from the signing time when left empty.
ScopeView scopeAt(const Scope &scope, QByteArrayView amz)
{
    ScopeView view(scope);
    if (view.date.isEmpty() && amz.size() >= 8)
        view.date = amz.first(8);
    return view;
}

SignedHeaders signHeadersWith(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                              const QDateTime &nowUtc, Sha256Engine &engine, SigningKeyCache *keys);
QByteArray presignQueryWith(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                            const QDateTime &nowUtc, qint64 expiresSeconds, Sha256Engine &engine,
                            SigningKeyCache *keys);

} // namespace

// ---- Encoding ---------------------------------------------------------------

QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash)
{
    QByteArray out;
    appendUriEncoded(out, bytes, encodeSlash);
    return out;
}

QByteArray percentDecode(QByteArrayView bytes)
{
    QByteArray out(bytes.size(), Qt::Uninitialized);
    out.resize(writePercentDecoded(out.data(), bytes) - out.constData());
    return out;
}

// ---- Canonical request ------------------------------------------------------

QByteArray canonicalPath(QByteArrayView wirePath, PathStyle style)
{
    QByteArray out;
    appendWritten(out, canonicalPathBound(wirePath), [&](Writer &w) { writeCanonicalPath(w, wirePath, style); });
    return out;
}

QByteArray canonicalQuery(QByteArrayView wireQuery, bool excludeSignature)
{
    QByteArray out;
    appendWritten(out, canonicalQueryBound(wireQuery),
                  [&](Writer &w) { writeCanonicalQuery(w, wireQuery, excludeSignature); });
    return out;
}

QByteArray signedHeadersList(const QList<QByteArray> &names)
{
    const NameList normalised = normalisedNames(names);
    SortedHeaders headers;
    for (const QByteArray &name : normalised)
        headers.append({name, {}});
    QByteArray out;
    appendWritten(out, signedHeadersListBound(headers), [&](Writer &w) { writeSignedHeadersList(w, headers); });
    return out;
}

QByteArray canonicalHeaders(const HeaderList &allHeaders, const QList<QByteArray> &signedNames)
{
    const NameList names = normalisedNames(signedNames);
    const SortedHeaders headers = selectSigned(allHeaders, names);
    QByteArray out;
    appendWritten(out, canonicalHeadersBound(headers), [&](Writer &w) { writeCanonicalHeaders(w, headers); });
    return out;
}

QByteArray canonicalRequest(const CanonicalRequestInput &in)
{
    const NameList names = normalisedNames(in.signedNames);
    const SortedHeaders headers = selectSigned(in.headers, names);
    return buildCanonicalRequest(
        {in.method, in.wirePath, in.wireQuery, headers, in.payloadHash, in.pathStyle, in.excludeSignatureFromQuery});
}

// ---- Scope, dates, string to sign, keys -------------------------------------

QByteArray Scope::toString() const
{
    QByteArray out;
    appendScope(out, *this);
    return out;
}

QByteArray amzDate(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    // From the instant, not from QDate/QTime: the calendar conversions cost
    // more than the rest of this function (days-to-civil: H. Hinnant's
    // algorithm for the proleptic Gregorian calendar).
    const qint64 ms = utc.toMSecsSinceEpoch();
    const qint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    const qint64 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    const qint64 secondOfDay = secs - days * 86400;
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    const qint64 day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999)
        return {};
    QByteArray out(16, Qt::Uninitialized);
    char *w = out.data();
    const auto put = [&w](qint64 value, int digits) {
        for (int i = digits - 1; i >= 0; --i) {
            w[i] = char('0' + value % 10);
            value /= 10;
        }
        w += digits;
    };
    put(year, 4);
    put(month, 2);
    put(day, 2);
    *w++ = 'T';
    put(secondOfDay / 3600, 2);
    put(secondOfDay / 60 % 60, 2);
    put(secondOfDay % 60, 2);
    *w = 'Z';
    return out;
}

QDateTime parseAmzDate(QByteArrayView value)
{
    if (value.size() != 16 || value[8] != 'T' || value[15] != 'Z')
        return {};
    for (qsizetype i = 0; i < 15; ++i) {
        if (i != 8 && !detail::isDigit(value[i]))
            return {};
    }
    const auto number = [&value](qsizetype at, qsizetype digits) {
        int v = 0;
        for (qsizetype i = 0; i < digits; ++i)
            v = v * 10 + (value[at + i] - '0');
        return v;
    };
    const QDate date(number(0, 4), number(4, 2), number(6, 2));
    const QTime time(number(9, 2), number(11, 2), number(13, 2));
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

QByteArray stringToSign(QByteArrayView amzDateTime, const Scope &scope, QByteArrayView canonicalRequest)
{
    Sha256Engine engine;
    return buildStringToSign(engine, amzDateTime, scope, canonicalRequest);
}

QByteArray signingKey(QByteArrayView secretAccessKey, const Scope &scope)
{
    Sha256Engine engine;
    Sha256Engine::Digest key = engine.signingKey(secretAccessKey, scope);
    const QByteArray out = Sha256Engine::view(key).toByteArray();
    Sha256Engine::wipe(key);
    return out;
}

QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign)
{
    Sha256Engine engine;
    QByteArray out;
    detail::appendHex(out, engine.hmac(signingKey, stringToSign));
    return out;
}

QByteArray sha256Hex(QByteArrayView data)
{
    // Every GET's payload: a constant, no hashing, no allocation.
    if (data.isEmpty())
        return QByteArray::fromRawData(kEmptyPayloadHash.data(), kEmptyPayloadHash.size());
    Sha256Engine engine;
    QByteArray out(2 * qsizetype(std::tuple_size_v<Sha256Engine::Digest>), Qt::Uninitialized);
    detail::writeHex(out.data(), engine.hash(data));
    return out;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    Sha256Engine engine;
    return Sha256Engine::view(engine.hmac(key, data)).toByteArray();
}

// ---- Signing ----------------------------------------------------------------

SignedHeaders signHeaders(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                          const QDateTime &nowUtc)
{
    Sha256Engine engine;
    return signHeadersWith(req, creds, scope, nowUtc, engine, nullptr);
}

SignedHeaders signHeaders(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                          const QDateTime &nowUtc, SigningKeyCache &keys)
{
    return signHeadersWith(req, creds, scope, nowUtc, keys.engine(), &keys);
}

namespace {

SignedHeaders signHeadersWith(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                              const QDateTime &nowUtc, Sha256Engine &engine, SigningKeyCache *keys)
{
    static constexpr QByteArrayView kHost = "host";
    static constexpr QByteArrayView kDate = "x-amz-date";
    static constexpr QByteArrayView kToken = "x-amz-security-token";
    static constexpr QByteArrayView kAuthorization = "authorization";

    const QByteArray amz = amzDate(nowUtc);
    const ScopeView s = scopeAt(scope, amz);
    const bool hasToken = !creds.sessionToken.isEmpty();

    SignedHeaders result;
    HeaderList &headers = result.headers;
    headers.reserve(req.headers.size() + 4);
    headers.append({QByteArrayLiteral("host"), req.host});
    headers.append({QByteArrayLiteral("x-amz-date"), amz});
    if (hasToken)
        headers.append({QByteArrayLiteral("x-amz-security-token"), creds.sessionToken});

    // The signer's own headers, in name order, then each of the caller's in
    // its place among them.
    SortedHeaders sorted;
    sorted.append({kHost, req.host});
    sorted.append({kDate, amz});
    if (hasToken)
        sorted.append({kToken, creds.sessionToken});
    LoweredNames lowered;
    for (const auto &header : req.headers) {
        // The signer owns host, x-amz-date, authorization and, when the
        // credentials carry one, x-amz-security-token: a caller's header of the
        // same name would go out twice, so it is dropped. Without a session
        // token, a caller's x-amz-security-token is an ordinary header, sent
        // and signed (as in the suite's post-sts-header-before).
        const QByteArrayView name = lowercaseName(header.first, lowered);
        if (sameBytes(name, kHost) || sameBytes(name, kDate) || sameBytes(name, kAuthorization)
            || (hasToken && sameBytes(name, kToken)))
            continue;
        headers.append(header);
        insertSorted(sorted, {name, header.second});
    }

    const QByteArrayView payload = req.payloadHash.isEmpty() ? kEmptyPayloadHash : QByteArrayView(req.payloadHash);
    // Without the texts to keep, both are written into the engine's buffers,
    // reused from one signature to the next: no allocation.
    QByteArray &canonical
        = req.keepTexts ? result.canonicalRequest : engine.textBuffer(Sha256Engine::Text::CanonicalRequest);
    QByteArray &toSign = req.keepTexts ? result.stringToSign : engine.textBuffer(Sha256Engine::Text::StringToSign);
    appendCanonicalRequest(canonical, {req.method, req.wirePath, req.wireQuery, sorted, payload, req.pathStyle, true});
    appendStringToSign(toSign, engine, amz, s, canonical);

    constexpr QByteArrayView credential = " Credential=";
    constexpr QByteArrayView signedHeadersLabel = ", SignedHeaders=";
    constexpr QByteArrayView signatureLabel = ", Signature=";
    constexpr qsizetype hexSignature = 2 * qsizetype(std::tuple_size_v<Sha256Engine::Digest>);
    const qsizetype bound = kAlgorithm.size() + credential.size() + creds.accessKeyId.size() + 1 + scopeSize(s)
        + signedHeadersLabel.size() + signedHeadersListBound(sorted) + signatureLabel.size();
    QByteArray authorization;
    authorization.reserve(bound + hexSignature); // one allocation, of the right size
    appendWritten(authorization, bound, [&](Writer &w) {
        w.put(kAlgorithm);
        w.put(credential);
        w.put(creds.accessKeyId);
        w.put('/');
        writeScope(w, s);
        w.put(signedHeadersLabel);
        writeSignedHeadersList(w, sorted);
        w.put(signatureLabel);
    });
    appendSignature(authorization, engine, keys, creds.secretAccessKey, s, toSign);
    headers.append({QByteArrayLiteral("authorization"), authorization});
    return result;
}

QByteArray presignQueryWith(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                            const QDateTime &nowUtc, qint64 expiresSeconds, Sha256Engine &engine,
                            SigningKeyCache *keys)
{
    const QByteArray amz = amzDate(nowUtc);
    const ScopeView s = scopeAt(scope, amz);

    // The request's own query, then the X-Amz-* parameters in botocore's order.
    QByteArray query;
    query.reserve(req.wireQuery.size() + 3 * (creds.accessKeyId.size() + creds.sessionToken.size()) + 320);
    query.append(req.wireQuery);
    if (!query.isEmpty())
        query.append('&');
    query.append("X-Amz-Algorithm=").append(kAlgorithm).append("&X-Amz-Credential=");
    appendUriEncoded(query, creds.accessKeyId, true);
    query.append("%2F");
    QByteArray scopeText;
    appendScope(scopeText, s);
    appendUriEncoded(query, scopeText, true);
    query.append("&X-Amz-Date=").append(amz);
    query.append("&X-Amz-Expires=").append(QByteArray::number(expiresSeconds));
    query.append("&X-Amz-SignedHeaders=host");
    if (!creds.sessionToken.isEmpty()) {
        query.append("&X-Amz-Security-Token=");
        appendUriEncoded(query, creds.sessionToken, true);
    }

    SortedHeaders headers;
    headers.append({"host", req.host});
    const QByteArray canonical
        = buildCanonicalRequest({req.method, req.wirePath, query, headers, kUnsignedPayload, req.pathStyle, true});

    const QByteArray toSign = buildStringToSign(engine, amz, s, canonical);
    query.append("&X-Amz-Signature=");
    appendSignature(query, engine, keys, creds.secretAccessKey, s, toSign);
    return query;
}

} // namespace

QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                        const QDateTime &nowUtc, qint64 expiresSeconds)
{
    Sha256Engine engine;
    return presignQueryWith(req, creds, scope, nowUtc, expiresSeconds, engine, nullptr);
}

QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                        const QDateTime &nowUtc, qint64 expiresSeconds, SigningKeyCache &keys)
{
    return presignQueryWith(req, creds, scope, nowUtc, expiresSeconds, keys.engine(), &keys);
}

} // namespace gls::sigv4
