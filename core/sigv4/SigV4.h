#pragma once

// Pure AWS Signature Version 4: canonicalisation, string to sign, signing key
// and signature. No network, no globals, no clock: every input is an argument,
// so the client signs with it and the emulator verifies with it from the bytes
// it received. Rules: ../shared/reference/sigv4-and-qt.md.

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QPair>

namespace gls::sigv4 {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

inline constexpr QByteArrayView kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr QByteArrayView kUnsignedPayload = "UNSIGNED-PAYLOAD";
// Hex SHA-256 of the empty string.
inline constexpr QByteArrayView kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

enum class PathStyle {
    // Every service but S3: the wire path, with dot segments and repeated
    // slashes removed, is URI-encoded once more ('%' becomes '%25').
    Normalized,
    // S3: the wire path exactly as sent, encoded once, never normalised.
    S3,
};

// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (and '/' too when
// encodeSlash is true), with uppercase hex.
QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash = true);
// Decodes %XX escapes; malformed escapes are kept literally.
QByteArray percentDecode(QByteArrayView bytes);

// Canonical URI from the path bytes as they travel on the wire (no query).
QByteArray canonicalPath(QByteArrayView wirePath, PathStyle style);

// Canonical query string from the query bytes as they travel on the wire
// (without the '?'). Each key and value is decoded then re-encoded, pairs are
// sorted by key then value. `X-Amz-Signature` is left out when excludeSignature.
QByteArray canonicalQuery(QByteArrayView wireQuery, bool excludeSignature = true);

// Lowercased, sorted, semicolon-joined names of `signedNames`.
QByteArray signedHeadersList(const QList<QByteArray> &names);

// Canonical header block ("name:value\n" per signed header) from every header
// that was sent. Names are matched case-insensitively, values trimmed with
// inner runs of spaces collapsed, repeated headers joined by ',' in order.
QByteArray canonicalHeaders(const HeaderList &allHeaders, const QList<QByteArray> &signedNames);

struct CanonicalRequestInput {
    QByteArray method;
    QByteArray wirePath;
    QByteArray wireQuery;
    HeaderList headers;            // every header sent (or to be sent)
    QList<QByteArray> signedNames; // which of them are signed
    QByteArray payloadHash;        // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
    PathStyle pathStyle = PathStyle::Normalized;
    bool excludeSignatureFromQuery = true;
};

QByteArray canonicalRequest(const CanonicalRequestInput &in);

struct Scope {
    QByteArray date; // YYYYMMDD; signHeaders and presignQuery take it from the signing time when empty
    QByteArray region;
    QByteArray service;
    QByteArray toString() const; // date/region/service/aws4_request
};

// A scope's parts as views, for the functions that only read them: the signer
// passes on its date as a slice of the x-amz-date it wrote, with no copy.
struct ScopeView {
    QByteArrayView date;
    QByteArrayView region;
    QByteArrayView service;

    ScopeView() = default;
    ScopeView(QByteArrayView d, QByteArrayView r, QByteArrayView s)
        : date(d)
        , region(r)
        , service(s)
    {
    }
    ScopeView(const Scope &scope) // implicit: a Scope is a ScopeView's owner
        : date(scope.date)
        , region(scope.region)
        , service(scope.service)
    {
    }
};

// "20150830T123600Z" for a UTC time.
QByteArray amzDate(const QDateTime &utc);
// Parses "20150830T123600Z"; invalid QDateTime when malformed.
QDateTime parseAmzDate(QByteArrayView value);

QByteArray stringToSign(QByteArrayView amzDateTime, const Scope &scope,
                        QByteArrayView canonicalRequest);

// Raw 32-byte signing key: HMAC chain over date, region, service, aws4_request.
QByteArray signingKey(QByteArrayView secretAccessKey, const Scope &scope);

// Hex HMAC-SHA256 of stringToSign under the signing key.
QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign);

QByteArray sha256Hex(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);

// Parsed "Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
struct AuthorizationHeader {
    QByteArray accessKeyId;
    Scope scope;
    QList<QByteArray> signedNames;
    QByteArray signature;
};
// Returns false (and an English reason in *error) when the header is malformed.
bool parseAuthorization(QByteArrayView value, AuthorizationHeader *out, QByteArray *error);

// Parsed X-Amz-* query parameters of a presigned URL.
struct PresignedQuery {
    QByteArray accessKeyId;
    Scope scope;
    QByteArray amzDate;
    qint64 expiresSeconds = 0;
    QList<QByteArray> signedNames;
    QByteArray signature;
    QByteArray securityToken;
};
// Returns false when the query does not hold a well-formed presigned signature.
bool parsePresignedQuery(QByteArrayView wireQuery, PresignedQuery *out, QByteArray *error);

// ---- Signing (the client's side) -------------------------------------------

struct Credentials {
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray sessionToken; // empty when none
};

struct SigningRequest {
    QByteArray method;
    QByteArray wirePath;  // exactly the path bytes that will go on the wire
    QByteArray wireQuery; // exactly the query bytes that will go on the wire
    QByteArray host;      // host[:port] as the Host header will carry it
    HeaderList headers;   // extra headers to send and sign (content-type, x-amz-*)
    QByteArray payloadHash;
    PathStyle pathStyle = PathStyle::Normalized;
    // Whether SignedHeaders keeps the canonical request and the string to
    // sign (for --debug output). Without them a signature allocates less.
    bool keepTexts = true;
};

struct SignedHeaders {
    HeaderList headers; // host, x-amz-date, [x-amz-security-token], extras, authorization
    QByteArray canonicalRequest;
    QByteArray stringToSign; // both for --debug output, empty without keepTexts; the canonical
                             // request holds the session token, when there is one
};

SignedHeaders signHeaders(
    const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc);

class SigningKeyCache;
// The same result, with the signing key taken from `keys` (derived and kept
// there on a miss) and its digest state reused: one HMAC per signature
// instead of five. For a client that signs many requests (AwsTransport).
SignedHeaders signHeaders(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    SigningKeyCache &keys);

// Returns the full query string (wire form, without '?') of a presigned URL:
// the request's own query plus the X-Amz-* parameters and X-Amz-Signature.
// Signs only `host` and uses UNSIGNED-PAYLOAD, as S3 presigned URLs do.
QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    qint64 expiresSeconds);
QByteArray presignQuery(const SigningRequest &req, const Credentials &creds, ScopeView scope, const QDateTime &nowUtc,
    qint64 expiresSeconds, SigningKeyCache &keys);

} // namespace gls::sigv4
