#pragma once

// Builds SigV4-signed HTTP/1.1 requests for the load generator. The signing
// key depends only on the secret, the day, the Region and the service, so it
// is derived once a day; each request then costs one canonical request, one
// string to sign and one HMAC. selfCheck() proves the result equals what
// sigv4::signHeaders produces for the same request and time.

#include "sigv4/SigV4.h"

#include <QDateTime>

namespace gls::bench {

class RequestSigner {
public:
    enum class Service { GameLiftStreams, S3 };

    RequestSigner(sigv4::Credentials credentials, QByteArray region, Service service, QByteArray host);

    // The complete request bytes: request line, headers (host, x-amz-date,
    // [x-amz-content-sha256,] [content-type,] authorization, content-length
    // when there is a body) and body. `path` and `query` are wire bytes.
    QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &query = {},
                       const QByteArray &body = {}, const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());

    // A presigned GET URL's query for `path` (S3 only).
    QByteArray presign(const QByteArray &path, qint64 expiresSeconds,
                       const QDateTime &nowUtc = QDateTime::currentDateTimeUtc()) const;

    // False (and why) when this signer's Authorization differs from sigv4::signHeaders'.
    bool selfCheck(QString *error);

private:
    sigv4::HeaderList signedHeaders(const QByteArray &method, const QByteArray &path, const QByteArray &query,
                                    const QByteArray &body, const QDateTime &nowUtc);

    sigv4::Credentials m_credentials;
    QByteArray m_region;
    Service m_service;
    QByteArray m_serviceName;
    QByteArray m_host;
    QByteArray m_keyDate; // YYYYMMDD of m_signingKey
    QByteArray m_signingKey;
};

} // namespace gls::bench
