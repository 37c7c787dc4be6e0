#include "SignatureVerifier.h"

#include "IdentityStore.h"

#include <QCryptographicHash>

namespace gls::emu {

using Failure = AuthResult::Failure;

namespace {

AuthResult fail(Failure f, QString message)
{
    AuthResult r;
    r.failure = f;
    r.message = std::move(message);
    return r;
}

// Constant-time comparison of two hex signatures.
bool sameSignature(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QString mismatchMessage(bool s3)
{
    if (s3)
        return QStringLiteral("The request signature we calculated does not match the signature you provided. "
                              "Check your key and signing method.");
    return QStringLiteral("The request signature we calculated does not match the signature you provided. "
                          "Check your AWS Secret Access Key and signing method. "
                          "Consult the service documentation for details.");
}

} // namespace

SignatureVerifier::SignatureVerifier(const QList<AccessKey> &keys, const IdentityStore *identities)
    : m_identities(identities)
{
    for (const AccessKey &k : keys)
        m_keys.insert(k.id, k);
}

SignatureVerifier::Found SignatureVerifier::find(const QByteArray &accessKeyId) const
{
    Found f;
    if (const auto it = m_keys.constFind(accessKeyId); it != m_keys.constEnd()) {
        f.key = &*it;
        return f;
    }
    if (m_identities) {
        if (const TemporaryCredential *t = m_identities->temporary(accessKeyId)) {
            f.key = &t->key;
            f.expiresAt = t->expiresAt;
            f.temporary = true;
        }
    }
    return f;
}

AuthResult SignatureVerifier::checkToken(const Found &found, const QByteArray &token, const QByteArray &accessKeyId,
                                         bool s3, const QDateTime &now)
{
    if (token != found.key->sessionToken) {
        // S3 does not know a temporary key id without its token.
        if (s3 && found.temporary && token.isEmpty()) {
            AuthResult r = fail(Failure::UnknownKey,
                                QStringLiteral("The AWS Access Key Id you provided does not exist in our records."));
            r.accessKeyId = accessKeyId;
            return r;
        }
        return fail(Failure::BadToken, s3 ? QStringLiteral("The provided token is malformed or otherwise invalid.")
                                          : QStringLiteral("The security token included in the request is invalid."));
    }
    if (found.expiresAt.isValid() && found.expiresAt <= now) {
        AuthResult r = fail(Failure::ExpiredToken, s3 ? QStringLiteral("The provided token has expired.")
                                                      : QStringLiteral("The security token included in the request is expired"));
        r.accessKeyId = accessKeyId;
        return r;
    }
    return {};
}

AuthResult SignatureVerifier::verify(const HttpRequest &req, QByteArrayView service, bool s3,
                                     const QDateTime &serverNow) const
{
    if (req.hasHeader("authorization"))
        return verifyHeader(req, service, s3, serverNow);
    if (s3 && (req.query.contains("X-Amz-Signature=") || req.query.contains("X-Amz-Credential=")))
        return verifyPresigned(req, service, serverNow);
    if (s3)
        return fail(Failure::Missing, QStringLiteral("Access Denied"));
    return fail(Failure::Missing, QStringLiteral("Missing Authentication Token"));
}

AuthResult SignatureVerifier::verifyHeader(const HttpRequest &req, QByteArrayView service, bool s3,
                                           const QDateTime &now) const
{
    sigv4::AuthorizationHeader auth;
    QByteArray why;
    if (!sigv4::parseAuthorization(req.header("authorization"), &auth, &why))
        return fail(Failure::Malformed, QString::fromUtf8(why));

    const Found found = find(auth.accessKeyId);
    const AccessKey *key = found.key;
    if (!key) {
        return fail(Failure::UnknownKey,
                    s3 ? QStringLiteral("The AWS Access Key Id you provided does not exist in our records.")
                       : QStringLiteral("The security token included in the request is invalid."));
    }
    if (auth.scope.service != service) {
        return fail(Failure::WrongService, QStringLiteral("Credential should be scoped to correct service: '%1'. ")
                                               .arg(QString::fromLatin1(service)));
    }

    const QByteArray dateHeader = req.header("x-amz-date");
    const QDateTime signedAt = sigv4::parseAmzDate(dateHeader);
    if (!signedAt.isValid()) {
        return fail(Failure::Malformed,
                    QStringLiteral("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                                   "header in the ISO 8601 basic format."));
    }
    if (!auth.signedNames.contains("host") || !auth.signedNames.contains("x-amz-date")) {
        return fail(Failure::Malformed,
                    QStringLiteral("Signed headers must include 'host' and 'x-amz-date'."));
    }
    if (auth.scope.date != dateHeader.left(8)) {
        return fail(Failure::Mismatch, QStringLiteral("Date in Credential scope does not match YYYYMMDD from "
                                                      "ISO-8601 version of date from HTTP: '%1' != '%2'")
                                           .arg(QString::fromLatin1(auth.scope.date),
                                                QString::fromLatin1(dateHeader.left(8))));
    }
    const qint64 skew = signedAt.secsTo(now);
    if (qAbs(skew) > kMaxSkewSeconds) {
        if (s3)
            return fail(Failure::Stale,
                        QStringLiteral("The difference between the request time and the current time is too large."));
        const QByteArray nowText = sigv4::amzDate(now);
        const QByteArray edge = sigv4::amzDate(skew > 0 ? now.addSecs(-kMaxSkewSeconds) : now.addSecs(kMaxSkewSeconds));
        return fail(Failure::Stale,
                    skew > 0 ? QStringLiteral("Signature expired: %1 is now earlier than %2 (%3 - 15 min.)")
                                   .arg(QString::fromLatin1(dateHeader), QString::fromLatin1(edge),
                                        QString::fromLatin1(nowText))
                             : QStringLiteral("Signature not yet current: %1 is still later than %2 (%3 + 15 min.)")
                                   .arg(QString::fromLatin1(dateHeader), QString::fromLatin1(edge),
                                        QString::fromLatin1(nowText)));
    }
    if (AuthResult r = checkToken(found, req.header("x-amz-security-token"), auth.accessKeyId, s3, now); !r.ok())
        return r;

    QByteArray payloadHash;
    if (s3) {
        payloadHash = req.header("x-amz-content-sha256");
        if (payloadHash.isEmpty())
            return fail(Failure::MissingContentSha,
                        QStringLiteral("Missing required header for this request: x-amz-content-sha256"));
        if (payloadHash != sigv4::kUnsignedPayload && payloadHash != sigv4::sha256Hex(req.body))
            return fail(Failure::ContentShaMismatch,
                        QStringLiteral("The provided 'x-amz-content-sha256' header does not match what was computed."));
    } else {
        payloadHash = sigv4::sha256Hex(req.body);
    }

    sigv4::CanonicalRequestInput in;
    in.method = req.method;
    in.wirePath = req.path;
    in.wireQuery = req.query;
    in.headers = req.headers;
    in.signedNames = auth.signedNames;
    in.payloadHash = payloadHash;
    in.pathStyle = s3 ? sigv4::PathStyle::S3 : sigv4::PathStyle::Normalized;
    const QByteArray canonical = sigv4::canonicalRequest(in);
    const QByteArray sts = sigv4::stringToSign(dateHeader, auth.scope, canonical);
    const QByteArray expected = sigv4::signature(sigv4::signingKey(key->secret, auth.scope), sts);
    if (!sameSignature(expected, auth.signature))
        return fail(Failure::Mismatch, mismatchMessage(s3));

    AuthResult ok;
    ok.accessKeyId = auth.accessKeyId;
    ok.region = auth.scope.region;
    ok.requestDate = dateHeader;
    return ok;
}

AuthResult SignatureVerifier::verifyPresigned(const HttpRequest &req, QByteArrayView service,
                                              const QDateTime &now) const
{
    sigv4::PresignedQuery q;
    QByteArray why;
    if (!sigv4::parsePresignedQuery(req.query, &q, &why))
        return fail(Failure::Malformed, QString::fromUtf8(why));
    if (q.expiresSeconds < 1 || q.expiresSeconds > 604800) {
        return fail(Failure::PresignTooLong,
                    q.expiresSeconds < 1 ? QStringLiteral("X-Amz-Expires must be non-negative")
                                         : QStringLiteral("X-Amz-Expires must be less than a week (in seconds) that is; "
                                                          "604800 seconds"));
    }
    const Found found = find(q.accessKeyId);
    const AccessKey *key = found.key;
    if (!key)
        return fail(Failure::UnknownKey, QStringLiteral("The AWS Access Key Id you provided does not exist in our records."));
    if (q.scope.service != service)
        return fail(Failure::WrongService, QStringLiteral("Credential should be scoped to correct service: '%1'. ")
                                               .arg(QString::fromLatin1(service)));
    const QDateTime signedAt = sigv4::parseAmzDate(q.amzDate);
    if (!signedAt.isValid())
        return fail(Failure::Malformed, QStringLiteral("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
    if (signedAt.secsTo(now) < -kMaxSkewSeconds)
        return fail(Failure::Stale, QStringLiteral("The difference between the request time and the current time is too large."));
    if (AuthResult r = checkToken(found, q.securityToken, q.accessKeyId, true, now); !r.ok())
        return r;

    sigv4::CanonicalRequestInput in;
    in.method = req.method;
    in.wirePath = req.path;
    in.wireQuery = req.query;
    in.headers = req.headers;
    in.signedNames = q.signedNames;
    in.payloadHash = QByteArray(sigv4::kUnsignedPayload.data(), sigv4::kUnsignedPayload.size());
    in.pathStyle = sigv4::PathStyle::S3;
    in.excludeSignatureFromQuery = true;
    const QByteArray canonical = sigv4::canonicalRequest(in);
    const QByteArray sts = sigv4::stringToSign(q.amzDate, q.scope, canonical);
    const QByteArray expected = sigv4::signature(sigv4::signingKey(key->secret, q.scope), sts);
    if (!sameSignature(expected, q.signature))
        return fail(Failure::Mismatch, mismatchMessage(true));

    // Checked after the signature, as S3 does: an expired URL with a good
    // signature is "Request has expired", a forged one is a mismatch.
    if (signedAt.addSecs(q.expiresSeconds) < now) {
        AuthResult r = fail(Failure::PresignExpired, QStringLiteral("Request has expired"));
        r.requestDate = q.amzDate;
        r.expiresSeconds = q.expiresSeconds;
        return r;
    }

    AuthResult ok;
    ok.accessKeyId = q.accessKeyId;
    ok.region = q.scope.region;
    ok.requestDate = q.amzDate;
    ok.presigned = true;
    ok.expiresSeconds = q.expiresSeconds;
    return ok;
}

} // namespace gls::emu
