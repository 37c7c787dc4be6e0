#include "RequestSigner.h"

namespace gls::bench {

namespace {

const QByteArray kEmptyHash(sigv4::kEmptyPayloadHash.data(), sigv4::kEmptyPayloadHash.size());

QByteArray valueOf(const sigv4::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

} // namespace

RequestSigner::RequestSigner(sigv4::Credentials credentials, QByteArray region, Service service, QByteArray host)
    : m_credentials(std::move(credentials))
    , m_region(std::move(region))
    , m_service(service)
    , m_serviceName(service == Service::S3 ? QByteArrayLiteral("s3") : QByteArrayLiteral("gameliftstreams"))
    , m_host(std::move(host))
{
}

sigv4::HeaderList RequestSigner::signedHeaders(const QByteArray &method, const QByteArray &path,
                                               const QByteArray &query, const QByteArray &body,
                                               const QDateTime &nowUtc)
{
    const QByteArray amz = sigv4::amzDate(nowUtc);
    const sigv4::Scope scope{amz.left(8), m_region, m_serviceName};
    if (m_keyDate != scope.date) {
        m_signingKey = sigv4::signingKey(m_credentials.secretAccessKey, scope);
        m_keyDate = scope.date;
    }
    const bool s3 = m_service == Service::S3;
    const QByteArray payloadHash = body.isEmpty() ? kEmptyHash : sigv4::sha256Hex(body);

    // Names in sorted order, so the list is already canonical.
    sigv4::HeaderList headers;
    QList<QByteArray> names;
    if (!body.isEmpty()) {
        headers.append({QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")});
        names.append(QByteArrayLiteral("content-type"));
    }
    headers.append({QByteArrayLiteral("host"), m_host});
    names.append(QByteArrayLiteral("host"));
    if (s3) {
        headers.append({QByteArrayLiteral("x-amz-content-sha256"), payloadHash});
        names.append(QByteArrayLiteral("x-amz-content-sha256"));
    }
    headers.append({QByteArrayLiteral("x-amz-date"), amz});
    names.append(QByteArrayLiteral("x-amz-date"));
    if (!m_credentials.sessionToken.isEmpty()) {
        headers.append({QByteArrayLiteral("x-amz-security-token"), m_credentials.sessionToken});
        names.append(QByteArrayLiteral("x-amz-security-token"));
    }

    sigv4::CanonicalRequestInput in;
    in.method = method;
    in.wirePath = path;
    in.wireQuery = query;
    in.headers = headers;
    in.signedNames = names;
    in.payloadHash = payloadHash;
    in.pathStyle = s3 ? sigv4::PathStyle::S3 : sigv4::PathStyle::Normalized;
    const QByteArray toSign = sigv4::stringToSign(amz, scope, sigv4::canonicalRequest(in));

    QByteArray authorization = QByteArray(sigv4::kAlgorithm.data(), sigv4::kAlgorithm.size());
    authorization += " Credential=" + m_credentials.accessKeyId + '/' + scope.toString();
    authorization += ", SignedHeaders=" + sigv4::signedHeadersList(names);
    authorization += ", Signature=" + sigv4::signature(m_signingKey, toSign);
    headers.append({QByteArrayLiteral("authorization"), authorization});
    return headers;
}

QByteArray RequestSigner::request(const QByteArray &method, const QByteArray &path, const QByteArray &query,
                                  const QByteArray &body, const QDateTime &nowUtc)
{
    QByteArray wire;
    wire.reserve(512 + path.size() + query.size() + body.size());
    wire += method + ' ' + path;
    if (!query.isEmpty())
        wire += '?' + query;
    wire += " HTTP/1.1\r\n";
    for (const auto &[name, value] : signedHeaders(method, path, query, body, nowUtc))
        wire += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "PUT" || method == "POST")
        wire += "content-length: " + QByteArray::number(body.size()) + "\r\n";
    wire += "\r\n";
    wire += body;
    return wire;
}

QByteArray RequestSigner::presign(const QByteArray &path, qint64 expiresSeconds, const QDateTime &nowUtc) const
{
    sigv4::SigningRequest sr;
    sr.method = "GET";
    sr.wirePath = path;
    sr.host = m_host;
    sr.payloadHash = QByteArray(sigv4::kUnsignedPayload.data(), sigv4::kUnsignedPayload.size());
    sr.pathStyle = sigv4::PathStyle::S3;
    const sigv4::Scope scope{sigv4::amzDate(nowUtc).left(8), m_region, m_serviceName};
    return sigv4::presignQuery(sr, m_credentials, scope, nowUtc, expiresSeconds);
}

bool RequestSigner::selfCheck(QString *error)
{
    const QDateTime at = QDateTime::currentDateTimeUtc();
    const QByteArray body = m_service == Service::S3 ? QByteArray() : QByteArrayLiteral("{\"OutputUri\":\"s3://b/k.zip\"}");
    const QByteArray path = "/streamgroups/sg-1/streamsessions/ses-1";
    const QByteArray query = "MaxResults=100&Status=ACTIVE";

    sigv4::SigningRequest sr;
    sr.method = body.isEmpty() ? "GET" : "PUT";
    sr.wirePath = path;
    sr.wireQuery = query;
    sr.host = m_host;
    const QByteArray payloadHash = body.isEmpty() ? kEmptyHash : sigv4::sha256Hex(body);
    if (!body.isEmpty())
        sr.headers.append({QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")});
    if (m_service == Service::S3) {
        sr.headers.append({QByteArrayLiteral("x-amz-content-sha256"), payloadHash});
        sr.pathStyle = sigv4::PathStyle::S3;
    }
    sr.payloadHash = payloadHash;
    const sigv4::Scope scope{sigv4::amzDate(at).left(8), m_region, m_serviceName};
    const QByteArray expected = valueOf(sigv4::signHeaders(sr, m_credentials, scope, at).headers, "authorization");
    const QByteArray mine = valueOf(signedHeaders(sr.method, path, query, body, at), "authorization");
    if (mine != expected) {
        *error = QStringLiteral("the cached-key signer disagrees with sigv4::signHeaders:\n  %1\n  %2")
                     .arg(QString::fromLatin1(mine), QString::fromLatin1(expected));
        return false;
    }
    return true;
}

} // namespace gls::bench
