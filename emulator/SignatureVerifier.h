#pragma once

// Recomputes the SigV4 signature of a received request from its wire bytes
// and says why it fails, so each service can answer with the error AWS gives.

#include "HttpServer.h"

#include <QDateTime>
#include <QHash>

namespace gls::emu {

class IdentityStore;

struct AccessKey {
    QByteArray id;
    QByteArray secret;
    QByteArray sessionToken; // when set, requests must carry it as X-Amz-Security-Token
};

struct AuthResult {
    enum class Failure {
        None,
        Missing,          // no Authorization header and no presigned query
        Malformed,        // unparseable Authorization / presigned parameters
        UnknownKey,       // access key id not known
        BadToken,         // security token missing or not the key's
        ExpiredToken,     // temporary credentials used after their expiration
        Mismatch,         // the signature does not match
        Stale,            // x-amz-date too far from the server's clock
        WrongService,     // credential scope names another service
        PresignExpired,   // presigned URL used after X-Amz-Date + X-Amz-Expires
        PresignTooLong,   // X-Amz-Expires outside 1..604800
        MissingContentSha,// S3 header auth without x-amz-content-sha256
        ContentShaMismatch,
    };
    Failure failure = Failure::None;
    QString message;         // English, never holds a secret
    QByteArray accessKeyId;
    QByteArray region;       // from the credential scope
    QByteArray requestDate;  // the x-amz-date that was signed
    bool presigned = false;
    qint64 expiresSeconds = 0;

    bool ok() const { return failure == Failure::None; }
};

class SignatureVerifier {
public:
    // `identities`, when given, is consulted for temporary keys (AssumeRole,
    // SSO) issued after start-up; they need their session token and expire.
    explicit SignatureVerifier(const QList<AccessKey> &keys, const IdentityStore *identities = nullptr);

    // `service` is the signing name the endpoint answers to ("gameliftstreams", "s3").
    // `serverNow` is the server's idea of the time (skewed when a fault says so).
    AuthResult verify(const HttpRequest &req, QByteArrayView service, bool s3, const QDateTime &serverNow) const;

    static constexpr qint64 kMaxSkewSeconds = 15 * 60;

private:
    struct Found {
        const AccessKey *key = nullptr;
        QDateTime expiresAt; // invalid: never expires
        bool temporary = false;
    };
    Found find(const QByteArray &accessKeyId) const;
    // The session token and expiry checks shared by both forms; ok() when they pass.
    static AuthResult checkToken(const Found &found, const QByteArray &token, const QByteArray &accessKeyId, bool s3,
                                 const QDateTime &now);

    AuthResult verifyHeader(const HttpRequest &req, QByteArrayView service, bool s3, const QDateTime &now) const;
    AuthResult verifyPresigned(const HttpRequest &req, QByteArrayView service, const QDateTime &now) const;

    QHash<QByteArray, AccessKey> m_keys;
    const IdentityStore *m_identities = nullptr;
};

} // namespace gls::emu
