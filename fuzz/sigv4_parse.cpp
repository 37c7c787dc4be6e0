// What the emulator reads from the network to check a signature (and what
// the client's canonicalisation sees): the Authorization header, a presigned
// URL's X-Amz-* query, X-Amz-Date, and the canonical path and query built
// from wire bytes (core/sigv4).
// Invariants: a parsed Authorization header or presigned query, written out
// again, parses to the same fields; percentDecode undoes uriEncode; a parsed
// X-Amz-Date formats back to the same text.

#include "FuzzSupport.h"

#include "sigv4/SigV4.h"

using namespace gls::sigv4;

namespace {

QByteArray authorizationText(const AuthorizationHeader &h)
{
    QByteArray names;
    for (const QByteArray &n : h.signedNames)
        names += (names.isEmpty() ? "" : ";") + n;
    return "AWS4-HMAC-SHA256 Credential=" + h.accessKeyId + '/' + h.scope.toString() + ", SignedHeaders=" + names
        + ", Signature=" + h.signature;
}

QByteArray presignedText(const PresignedQuery &q)
{
    QByteArray names;
    for (const QByteArray &n : q.signedNames)
        names += (names.isEmpty() ? "" : ";") + n;
    QByteArray out
        = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + uriEncode(q.accessKeyId + '/' + q.scope.toString())
        + "&X-Amz-Date=" + uriEncode(q.amzDate) + "&X-Amz-Expires=" + QByteArray::number(q.expiresSeconds)
        + "&X-Amz-SignedHeaders=" + uriEncode(names) + "&X-Amz-Signature=" + q.signature;
    if (!q.securityToken.isEmpty())
        out += "&X-Amz-Security-Token=" + uriEncode(q.securityToken);
    return out;
}

bool sameScope(const Scope &a, const Scope &b)
{
    return a.date == b.date && a.region == b.region && a.service == b.service;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls::fuzz::quietQt();
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    AuthorizationHeader header;
    QByteArray error;
    if (parseAuthorization(input, &header, &error)) {
        AuthorizationHeader again;
        FUZZ_CHECK(parseAuthorization(authorizationText(header), &again, nullptr));
        FUZZ_CHECK(again.accessKeyId == header.accessKeyId && sameScope(again.scope, header.scope));
        FUZZ_CHECK(again.signedNames == header.signedNames && again.signature == header.signature);
        FUZZ_CHECK(header.signature.size() == 64);
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }

    PresignedQuery query;
    error.clear();
    if (parsePresignedQuery(input, &query, &error)) {
        PresignedQuery again;
        FUZZ_CHECK(parsePresignedQuery(presignedText(query), &again, nullptr));
        FUZZ_CHECK(again.accessKeyId == query.accessKeyId && sameScope(again.scope, query.scope));
        FUZZ_CHECK(again.amzDate == query.amzDate && again.expiresSeconds == query.expiresSeconds);
        FUZZ_CHECK(again.signedNames == query.signedNames && again.signature == query.signature);
        FUZZ_CHECK(again.securityToken == query.securityToken);
        FUZZ_CHECK(parseAmzDate(query.amzDate).isValid());
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }

    const QDateTime when = parseAmzDate(input);
    if (when.isValid())
        FUZZ_CHECK(amzDate(when) == input);

    FUZZ_CHECK(percentDecode(uriEncode(input)) == input);
    FUZZ_CHECK(percentDecode(uriEncode(input, false)) == input);
    (void)canonicalQuery(input);
    (void)canonicalQuery(input, false);
    (void)canonicalPath(input, PathStyle::S3);
    (void)canonicalPath(input, PathStyle::Normalized);
    return 0;
}
