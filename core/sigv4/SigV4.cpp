#include "sigv4/SigV4.h"

#include "ByteRules.h"
#include "Sha256Engine.h"

#include <QDate>
#include <QTime>
#include <QVarLengthArray>

#include <algorithm>

// Canonicalisation and signing. Parsing what arrived is in SigV4Parsing.cpp,
// the digests in Sha256Engine.cpp. Everything appends to one output buffer
// sized up front: the signer runs for every request that leaves, and the
// emulator's verifier for every request that arrives.

namespace gls::sigv4 {

using detail::Sha256Engine;

namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr QByteArrayView kTerminator = "aws4_request";
constexpr QByteArrayView kSignatureParam = "X-Amz-Signature";

using NameList = QVarLengthArray<QByteArray, 8>;

void appendUriEncoded(QByteArray &out, QByteArrayView in, bool encodeSlash)
{
    const auto kept = [encodeSlash](char c) { return detail::isUnreserved(c) || (!encodeSlash && c == '/'); };
    qsizetype escapes = 0;
    for (const char c : in)
        escapes += kept(c) ? 0 : 1;
    const qsizetype start = out.size();
    out.resize(start + in.size() + 2 * escapes);
    char *w = out.data() + start;
    for (const char c : in) {
        if (kept(c)) {
            *w++ = c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            *w++ = '%';
            *w++ = kUpperHex[u >> 4];
            *w++ = kUpperHex[u & 0xF];
        }
    }
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

void appendCanonicalPath(QByteArray &out, QByteArrayView wirePath, PathStyle style)
{
    if (wirePath.isEmpty()) {
        out.append('/');
        return;
    }
    if (style == PathStyle::S3) {
        out.append(wirePath);
        return;
    }
    // Drop empty segments (repeated slashes) and "." segments, let ".." remove
    // the segment before it, and keep a trailing slash: botocore's
    // remove_dot_segments and the suite's get-slash*, get-relative* and
    // get-slash-dot-slash cases. Each kept segment is encoded once more.
    const qsizetype start = out.size();
    QVarLengthArray<qsizetype, 32> segmentStarts;
    const qsizetype n = wirePath.size();
    for (qsizetype i = 0; i <= n;) {
        qsizetype j = wirePath.indexOf('/', i);
        if (j < 0)
            j = n;
        const QByteArrayView segment = wirePath.sliced(i, j - i);
        if (segment == "..") {
            if (!segmentStarts.isEmpty()) {
                out.truncate(segmentStarts.last());
                segmentStarts.removeLast();
            }
        } else if (!segment.isEmpty() && segment != ".") {
            segmentStarts.append(out.size());
            out.append('/');
            appendUriEncoded(out, segment, true);
        }
        i = j + 1;
    }
    if (out.size() == start || wirePath.endsWith('/'))
        out.append('/');
}

void appendCanonicalQuery(QByteArray &out, QByteArrayView wireQuery, bool excludeSignature)
{
    if (wireQuery.isEmpty())
        return;
    // A component made only of unreserved bytes is already canonical (the
    // common case) and is used in place. Others are decoded, re-encoded and
    // written to `scratch`; views into it are taken once it stops growing.
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
        if (std::all_of(v.begin(), v.end(), [](char c) { return detail::isUnreserved(c); }))
            return {offset, length, false};
        decoded.resize(v.size());
        const char *end = writePercentDecoded(decoded.data(), v);
        const qsizetype at = scratch.size();
        appendUriEncoded(scratch, QByteArrayView(decoded.data(), end - decoded.data()), true);
        return {at, scratch.size() - at, true};
    };
    const qsizetype n = wireQuery.size();
    for (qsizetype i = 0; i < n;) {
        qsizetype amp = wireQuery.indexOf('&', i);
        if (amp < 0)
            amp = n;
        if (amp > i) {
            const qsizetype eq = wireQuery.sliced(i, amp - i).indexOf('=');
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
            out.append('&');
        out.append(pairs[k].key).append('=').append(pairs[k].value);
    }
}

// Trims the value and collapses inner runs of blanks to one space. A value of
// several lines (obs-fold, or the suite's continuation lines) becomes its
// non-empty lines joined with ',', as get-header-value-multiline expects. The
// result is never longer than the value.
void appendCanonicalValue(QByteArray &out, QByteArrayView value)
{
    const qsizetype start = out.size();
    out.resize(start + value.size());
    char *const base = out.data() + start;
    char *w = base;
    const qsizetype n = value.size();
    for (qsizetype i = 0; i <= n;) {
        qsizetype nl = value.indexOf('\n', i);
        if (nl < 0)
            nl = n;
        const QByteArrayView line = detail::trimmed(value.sliced(i, nl - i));
        i = nl + 1;
        if (line.isEmpty())
            continue;
        if (w != base)
            *w++ = ',';
        bool pendingBlank = false;
        for (const char c : line) {
            if (detail::isBlank(c)) {
                pendingBlank = true;
                continue;
            }
            if (pendingBlank)
                *w++ = ' ';
            pendingBlank = false;
            *w++ = c;
        }
    }
    out.resize(start + (w - base));
}

QByteArray lowercaseName(const QByteArray &name)
{
    const QByteArrayView t = detail::trimmed(name);
    if (t.size() == name.size() && std::none_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return name; // shared, no copy
    QByteArray lower(t.data(), t.size());
    for (char &c : lower)
        c = detail::asciiLower(c);
    return lower;
}

void sortUnique(NameList &names)
{
    std::sort(names.begin(), names.end(),
              [](const QByteArray &a, const QByteArray &b) { return detail::compareBytes(a, b) < 0; });
    names.erase(std::unique(names.begin(), names.end()), names.end());
}

NameList normalisedNames(const QList<QByteArray> &names)
{
    NameList out;
    for (const QByteArray &name : names)
        out.append(lowercaseName(name));
    sortUnique(out);
    return out;
}

void appendSignedHeadersList(QByteArray &out, const NameList &names)
{
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i)
            out.append(';');
        out.append(names[i]);
    }
}

void appendCanonicalHeaders(QByteArray &out, const HeaderList &headers, const NameList &names)
{
    for (const QByteArray &name : names) {
        out.append(name).append(':');
        bool first = true;
        for (const auto &[headerName, headerValue] : headers) {
            if (!detail::equalsIgnoreCase(detail::trimmed(headerName), name))
                continue;
            if (!first)
                out.append(',');
            appendCanonicalValue(out, headerValue);
            first = false;
        }
        out.append('\n');
    }
}

struct RequestParts
{
    QByteArrayView method;
    QByteArrayView wirePath;
    QByteArrayView wireQuery;
    const HeaderList &headers;
    const NameList &names;
    QByteArrayView payloadHash;
    PathStyle pathStyle;
    bool excludeSignature;
};

QByteArray buildCanonicalRequest(const RequestParts &in)
{
    qsizetype size = in.method.size() + 3 * (in.wirePath.size() + in.wireQuery.size()) + in.payloadHash.size() + 8;
    for (const auto &[name, value] : in.headers)
        size += name.size() + value.size() + 2;
    for (const QByteArray &name : in.names)
        size += 2 * name.size() + 3;
    QByteArray out;
    out.reserve(size);
    out.append(in.method).append('\n');
    appendCanonicalPath(out, in.wirePath, in.pathStyle);
    out.append('\n');
    appendCanonicalQuery(out, in.wireQuery, in.excludeSignature);
    out.append('\n');
    appendCanonicalHeaders(out, in.headers, in.names);
    out.append('\n');
    appendSignedHeadersList(out, in.names);
    out.append('\n').append(in.payloadHash);
    return out;
}

void appendScope(QByteArray &out, const Scope &scope)
{
    out.append(scope.date).append('/').append(scope.region).append('/').append(scope.service);
    out.append('/').append(kTerminator);
}

QByteArray buildStringToSign(Sha256Engine &engine, QByteArrayView amzDateTime, const Scope &scope,
                             QByteArrayView canonical)
{
    QByteArray out;
    out.reserve(kAlgorithm.size() + amzDateTime.size() + scope.date.size() + scope.region.size()
                + scope.service.size() + kTerminator.size() + 72);
    out.append(kAlgorithm).append('\n').append(amzDateTime).append('\n');
    appendScope(out, scope);
    out.append('\n');
    detail::appendHex(out, engine.hash(canonical));
    return out;
}

// Appends the hex signature of `toSign`; the derived key is wiped.
void appendSignature(QByteArray &out, Sha256Engine &engine, QByteArrayView secret, const Scope &scope,
                     QByteArrayView toSign)
{
    Sha256Engine::Digest key = engine.signingKey(secret, scope);
    detail::appendHex(out, engine.hmac(Sha256Engine::view(key), toSign));
    Sha256Engine::wipe(key);
}

// The scope as given, its date taken from the signing time when left empty.
Scope scopeAt(const Scope &scope, QByteArrayView amz)
{
    Scope s = scope;
    if (s.date.isEmpty() && amz.size() >= 8)
        s.date = amz.first(8).toByteArray();
    return s;
}

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
    out.reserve(3 * wirePath.size() + 1);
    appendCanonicalPath(out, wirePath, style);
    return out;
}

QByteArray canonicalQuery(QByteArrayView wireQuery, bool excludeSignature)
{
    QByteArray out;
    out.reserve(3 * wireQuery.size());
    appendCanonicalQuery(out, wireQuery, excludeSignature);
    return out;
}

QByteArray signedHeadersList(const QList<QByteArray> &names)
{
    QByteArray out;
    appendSignedHeadersList(out, normalisedNames(names));
    return out;
}

QByteArray canonicalHeaders(const HeaderList &allHeaders, const QList<QByteArray> &signedNames)
{
    QByteArray out;
    appendCanonicalHeaders(out, allHeaders, normalisedNames(signedNames));
    return out;
}

QByteArray canonicalRequest(const CanonicalRequestInput &in)
{
    const NameList names = normalisedNames(in.signedNames);
    return buildCanonicalRequest({in.method, in.wirePath, in.wireQuery, in.headers, names, in.payloadHash,
                                  in.pathStyle, in.excludeSignatureFromQuery});
}

// ---- Scope, dates, string to sign, keys -------------------------------------

QByteArray Scope::toString() const
{
    QByteArray out;
    out.reserve(date.size() + region.size() + service.size() + kTerminator.size() + 3);
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
    Sha256Engine engine;
    QByteArray out;
    detail::appendHex(out, engine.hash(data));
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
    const QByteArray amz = amzDate(nowUtc);
    const Scope s = scopeAt(scope, amz);
    const bool hasToken = !creds.sessionToken.isEmpty();

    // The signer owns host, x-amz-date, authorization and, when the credentials
    // carry one, x-amz-security-token: a caller's header of the same name would
    // go out twice, so it is dropped. Without a session token, a caller's
    // x-amz-security-token is an ordinary header, sent and signed (as in the
    // suite's post-sts-header-before).
    const auto ownedBySigner = [hasToken](QByteArrayView name) {
        const QByteArrayView t = detail::trimmed(name);
        return detail::equalsIgnoreCase(t, "host") || detail::equalsIgnoreCase(t, "x-amz-date")
            || detail::equalsIgnoreCase(t, "authorization")
            || (hasToken && detail::equalsIgnoreCase(t, "x-amz-security-token"));
    };

    SignedHeaders result;
    HeaderList &headers = result.headers;
    headers.reserve(req.headers.size() + 4);
    NameList names;
    headers.append({QByteArrayLiteral("host"), req.host});
    names.append(QByteArrayLiteral("host"));
    headers.append({QByteArrayLiteral("x-amz-date"), amz});
    names.append(QByteArrayLiteral("x-amz-date"));
    if (hasToken) {
        headers.append({QByteArrayLiteral("x-amz-security-token"), creds.sessionToken});
        names.append(QByteArrayLiteral("x-amz-security-token"));
    }
    for (const auto &header : req.headers) {
        if (ownedBySigner(header.first))
            continue;
        headers.append(header);
        names.append(lowercaseName(header.first));
    }
    sortUnique(names);

    const QByteArrayView payload = req.payloadHash.isEmpty() ? kEmptyPayloadHash : QByteArrayView(req.payloadHash);
    result.canonicalRequest = buildCanonicalRequest(
        {req.method, req.wirePath, req.wireQuery, headers, names, payload, req.pathStyle, true});

    Sha256Engine engine;
    result.stringToSign = buildStringToSign(engine, amz, s, result.canonicalRequest);

    QByteArray authorization;
    authorization.reserve(kAlgorithm.size() + creds.accessKeyId.size() + s.date.size() + s.region.size()
                          + s.service.size() + 16 * names.size() + 128);
    authorization.append(kAlgorithm).append(" Credential=").append(creds.accessKeyId).append('/');
    appendScope(authorization, s);
    authorization.append(", SignedHeaders=");
    appendSignedHeadersList(authorization, names);
    authorization.append(", Signature=");
    appendSignature(authorization, engine, creds.secretAccessKey, s, result.stringToSign);
    headers.append({QByteArrayLiteral("authorization"), authorization});
    return result;
}

QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, const Scope &scope,
                        const QDateTime &nowUtc, qint64 expiresSeconds)
{
    const QByteArray amz = amzDate(nowUtc);
    const Scope s = scopeAt(scope, amz);

    // The request's own query, then the X-Amz-* parameters in botocore's order.
    QByteArray query;
    query.reserve(req.wireQuery.size() + 3 * (creds.accessKeyId.size() + creds.sessionToken.size()) + 320);
    query.append(req.wireQuery);
    if (!query.isEmpty())
        query.append('&');
    query.append("X-Amz-Algorithm=").append(kAlgorithm).append("&X-Amz-Credential=");
    appendUriEncoded(query, creds.accessKeyId, true);
    query.append("%2F");
    appendUriEncoded(query, s.toString(), true);
    query.append("&X-Amz-Date=").append(amz);
    query.append("&X-Amz-Expires=").append(QByteArray::number(expiresSeconds));
    query.append("&X-Amz-SignedHeaders=host");
    if (!creds.sessionToken.isEmpty()) {
        query.append("&X-Amz-Security-Token=");
        appendUriEncoded(query, creds.sessionToken, true);
    }

    const HeaderList headers{{QByteArrayLiteral("host"), req.host}};
    NameList names;
    names.append(QByteArrayLiteral("host"));
    const QByteArray canonical = buildCanonicalRequest(
        {req.method, req.wirePath, query, headers, names, kUnsignedPayload, req.pathStyle, true});

    Sha256Engine engine;
    const QByteArray toSign = buildStringToSign(engine, amz, s, canonical);
    query.append("&X-Amz-Signature=");
    appendSignature(query, engine, creds.secretAccessKey, s, toSign);
    return query;
}

} // namespace gls::sigv4
