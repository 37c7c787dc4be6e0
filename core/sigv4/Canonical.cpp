#include "Canonical.h"

#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>

// The canonical request: URI encoding, the canonical path, query and header
// block, and the request itself. The signer (SigV4.cpp) builds it from these;
// the emulator's verifier through the public functions at the end.

namespace gls::sigv4 {

namespace detail {

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr QByteArrayView kSignatureParam = "X-Amz-Signature";

using NameList = QVarLengthArray<QByteArray, 8>;

// Each byte's percent-encoded form, packed for one 4-byte store: the bytes to
// write in the low three (little-endian), how many in the high one.
constexpr std::array<quint32, 256> makeEscapes(bool encodeSlash)
{
    std::array<quint32, 256> table{};
    for (unsigned c = 0; c < 256; ++c) {
        if (detail::kUnreserved[c] || (!encodeSlash && c == '/'))
            table[c] = c | (1u << 24);
        else
            table[c]
                = quint32('%') | (quint32(kUpperHex[c >> 4]) << 8) | (quint32(kUpperHex[c & 0xF]) << 16) | (3u << 24);
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

} // namespace

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
    const auto copy16 = [](char *to, const unsigned char *from) {
        _mm_storeu_si128(reinterpret_cast<__m128i *>(to), _mm_loadu_si128(reinterpret_cast<const __m128i *>(from)));
    };
    // Sixteen bytes at a time. With nothing to escape among them (most of an
    // S3 key, a NextToken's letters) they are copied as they are. Otherwise
    // each escape costs one step: the clean bytes before it copied with one
    // 16-byte move, then its escape. A path that is already percent-encoded
    // (an ARN's "%3A") has an escape every dozen bytes or so. Only the output
    // position carries from step to step; the input positions come from the
    // chunk's mask. A 16-byte move reads up to 31 bytes past the chunk's
    // start, so this runs while 32 bytes remain; and while they do, at least
    // 96 bytes of the room do, so every store stays inside it.
    while (end - p >= 32) {
        unsigned mask = escapeMask(reinterpret_cast<const char *>(p), encodeSlash);
        unsigned from = 0;
        while (mask) {
            const unsigned k = unsigned(__builtin_ctz(mask));
            copy16(at, p + from);
            at += k - from;
            store(at, table[p[k]]);
            at += 3;
            from = k + 1;
            mask &= mask - 1;
        }
        copy16(at, p + from);
        at += 16 - from;
        p += 16;
    }
    // The last 16 to 31 bytes: whole chunks as they were, or four at a time.
    while (end - p >= 16) {
        if (escapeMask(reinterpret_cast<const char *>(p), encodeSlash) == 0) {
            copy16(at, p);
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

namespace {

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

// Whether v[i] opens an uppercase %XX escape of a byte that is not unreserved.
bool isCanonicalEscape(QByteArrayView v, qsizetype i)
{
    return v[i] == '%' && i + 2 < v.size() && isUpperHex(v[i + 1]) && isUpperHex(v[i + 2])
        && !detail::isUnreserved(char((detail::hexValue(v[i + 1]) << 4) | detail::hexValue(v[i + 2])));
}

// True when decoding then re-encoding `v` gives `v` back: only unreserved
// bytes and uppercase %XX escapes of bytes that are not unreserved (what our
// own encoder writes, so every query the app sends).
bool isCanonicalComponent(QByteArrayView v)
{
    const qsizetype n = v.size();
    qsizetype i = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time, looking only at the bytes that are not
    // unreserved (a NextToken's '+', '/' and '=' escapes): each must open an
    // escape. An escape's hex digits are unreserved bytes themselves, so one
    // that runs past a chunk's end reads the same to the rest of the loop.
    for (; i + 16 <= n; i += 16) {
        for (unsigned mask = escapeMask(v.data() + i, true); mask; mask &= mask - 1) {
            if (!isCanonicalEscape(v, i + qsizetype(__builtin_ctz(mask))))
                return false;
        }
    }
#endif
    for (; i < n; ++i) {
        if (detail::isUnreserved(v[i]))
            continue;
        if (!isCanonicalEscape(v, i))
            return false;
        i += 2;
    }
    return true;
}

// True when `path` starts with '/' and no '/' in it is followed by another '/'
// or a '.': no empty segment, and no "." or ".." one (a segment that merely
// starts with a dot, such as ".config", is sent the slow way, which is right too).
bool plainSegments(QByteArrayView path)
{
    const char *const p = path.data();
    const qsizetype n = path.size();
    if (n == 0 || p[0] != '/')
        return false;
    qsizetype i = 0;
#if defined(__SSE2__)
    for (; i + 17 <= n; i += 16) {
        const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i + 1));
        const __m128i slash = _mm_cmpeq_epi8(here, _mm_set1_epi8('/'));
        const __m128i slashOrDot
            = _mm_or_si128(_mm_cmpeq_epi8(next, _mm_set1_epi8('/')), _mm_cmpeq_epi8(next, _mm_set1_epi8('.')));
        if (_mm_movemask_epi8(_mm_and_si128(slash, slashOrDot)) != 0)
            return false;
    }
#endif
    for (; i + 1 < n; ++i) {
        if (p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '.'))
            return false;
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
    // The usual path has nothing for the rules below to drop: then encoding it
    // whole, slashes kept, writes what they would.
    if (plainSegments(wirePath)) {
        writeUriEncoded(w, wirePath, false);
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
    struct Span {
        qsizetype offset = 0;
        qsizetype length = 0;
        bool inScratch = false;
    };
    struct SpanPair {
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

    struct Pair {
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

} // namespace

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

} // namespace detail

using namespace detail;

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
    appendWritten(
        out, canonicalQueryBound(wireQuery), [&](Writer &w) { writeCanonicalQuery(w, wireQuery, excludeSignature); });
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

} // namespace gls::sigv4
