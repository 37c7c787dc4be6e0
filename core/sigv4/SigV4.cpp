#include "sigv4/SigV4.h"

#include "sigv4/SigningKeyCache.h"

#include "Canonical.h"

#include <QDate>
#include <QTime>

#include <type_traits>

// Scope, dates, keys and signing. The canonical request is built in
// Canonical.cpp, what arrived is parsed in SigV4Parsing.cpp, the digests are
// in Sha256Engine.cpp.

namespace gls::sigv4 {

using namespace detail;

namespace {

constexpr QByteArrayView kTerminator = "aws4_request";

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
ScopeView scopeAt(ScopeView scope, QByteArrayView amz)
{
    ScopeView view = scope;
    if (view.date.isEmpty() && amz.size() >= 8)
        view.date = amz.first(8);
    return view;
}

SignedHeaders signHeadersWith(const SigningRequest &req, const Credentials &creds, ScopeView scope,
    const QDateTime &nowUtc, Sha256Engine &engine, SigningKeyCache *keys);
QByteArray presignQueryWith(const SigningRequest &req, const Credentials &creds, ScopeView scope,
    const QDateTime &nowUtc, qint64 expiresSeconds, Sha256Engine &engine, SigningKeyCache *keys);

} // namespace

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

SignedHeaders signHeaders(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc)
{
    Sha256Engine engine;
    return signHeadersWith(req, creds, scope, nowUtc, engine, nullptr);
}

SignedHeaders signHeaders(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    SigningKeyCache &keys)
{
    return signHeadersWith(req, creds, scope, nowUtc, keys.engine(), &keys);
}

namespace {

SignedHeaders signHeadersWith(const SigningRequest &req, const Credentials &creds, ScopeView scope,
    const QDateTime &nowUtc, Sha256Engine &engine, SigningKeyCache *keys)
{
    static constexpr QByteArrayView kHost = "host";
    static constexpr QByteArrayView kDate = "x-amz-date";
    static constexpr QByteArrayView kToken = "x-amz-security-token";
    static constexpr QByteArrayView kAuthorization = "authorization";

    const bool hasToken = !creds.sessionToken.isEmpty();
    SignedHeaders result;
    HeaderList &headers = result.headers;
    headers.reserve(req.headers.size() + 4);
    headers.append({QByteArrayLiteral("host"), req.host});
    // Written once, into the header that carries it; read through a view (its
    // bytes stay put when the list grows). Each QByteArray copy is an atomic
    // reference count, twice: about 9 ns each on the benchmark machine.
    headers.append({QByteArrayLiteral("x-amz-date"), amzDate(nowUtc)});
    const QByteArrayView amz = headers.last().second;
    const ScopeView s = scopeAt(scope, amz);
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
    headers.append({QByteArrayLiteral("authorization"), std::move(authorization)});
    return result;
}

QByteArray presignQueryWith(const SigningRequest &req, const Credentials &creds, ScopeView scope,
    const QDateTime &nowUtc, qint64 expiresSeconds, Sha256Engine &engine, SigningKeyCache *keys)
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

QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    qint64 expiresSeconds)
{
    Sha256Engine engine;
    return presignQueryWith(req, creds, scope, nowUtc, expiresSeconds, engine, nullptr);
}

QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    qint64 expiresSeconds, SigningKeyCache &keys)
{
    return presignQueryWith(req, creds, scope, nowUtc, expiresSeconds, keys.engine(), &keys);
}

} // namespace gls::sigv4
