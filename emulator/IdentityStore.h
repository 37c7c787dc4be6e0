#pragma once

// IAM and STS in miniature: who each long-term key is, which roles exist and
// what assuming them demands (MFA, external id, a maximum duration), the
// temporary credentials AssumeRole and the SSO portal have issued, and the SSO
// access tokens tests mint. The SignatureVerifier consults it for temporary
// keys; StsService, SsoService and the control endpoint add to it.
//
// Temporary credentials and SSO tokens live in memory only: they do not
// survive an emulator restart (nor do real ones outlive their hour by much).
// The HttpServer calls every handler on the one thread that created it, so
// this store needs no lock.

#include "SignatureVerifier.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gls::emu {

struct Role {
    QString arn;                   // arn:aws:iam::ACCOUNT:role/[path/]NAME
    QString mfaSerial;             // when set, AssumeRole needs SerialNumber == this and TokenCode == mfaCode
    QByteArray mfaCode;            // six digits
    QString externalId;            // when set, AssumeRole needs ExternalId == this
    int maxDurationSeconds = 3600; // IAM's MaxSessionDuration, 3600..43200

    QString name() const; // the last path segment of the ARN
    QString accountId() const;
    QJsonObject toJson() const; // without the MFA code
};

// Who signed a request: what GetCallerIdentity answers and AccessDenied names.
struct CallerIdentity {
    QString arn;
    QString userId;
    QString account;
    bool roleSession = false; // temporary credentials of an assumed role (role chaining limits apply)
};

struct TemporaryCredential {
    AccessKey key;       // ASIA... id, secret, session token
    QDateTime expiresAt; // UTC
    CallerIdentity identity;
};

struct SsoToken {
    QByteArray accessToken;
    QString accountId;
    QString roleName;
    QDateTime expiresAt; // UTC
};

class IdentityStore {
public:
    static constexpr auto kDefaultRoleName = "GlsExporterQA";

    IdentityStore(QString account, const QList<AccessKey> &longTermKeys);

    QString account() const { return m_account; }

    // The caller behind an access key id (long-term or temporary); empty arn when unknown.
    CallerIdentity identityOf(QByteArrayView accessKeyId) const;

    // Roles. The default role arn:aws:iam::ACCOUNT:role/GlsExporterQA always exists.
    // "ARN[,mfa-serial=ARN][,mfa-code=NNNNNN][,external-id=X][,max-duration=S]" (the --role flag).
    static bool parseRoleSpec(const QString &spec, Role *out, QString *error);
    static bool validateRole(const Role &role, QString *error);
    bool addRole(const Role &role, QString *error); // replaces a role with the same ARN
    const Role *role(const QString &arn) const;
    QList<Role> roles() const { return m_roles; }
    QString defaultRoleArn() const;

    // Temporary credentials, valid for `lifetimeSeconds` from `now`.
    TemporaryCredential issue(const CallerIdentity &identity, qint64 lifetimeSeconds, const QDateTime &now);
    const TemporaryCredential *temporary(QByteArrayView accessKeyId) const;

    // The lifetime of newly issued credentials: `requested`, capped by the
    // credentialLifetimeSeconds control setting when that is on (> 0).
    qint64 effectiveLifetime(qint64 requestedSeconds) const;
    qint64 credentialLifetimeSeconds() const { return m_lifetimeCap; }
    void setCredentialLifetimeSeconds(qint64 seconds) { m_lifetimeCap = seconds; }

    // SSO portal access tokens (what `aws sso login` caches).
    SsoToken mintSsoToken(
        const QString &accountId, const QString &roleName, qint64 lifetimeSeconds, const QDateTime &now);
    const SsoToken *ssoToken(QByteArrayView accessToken) const;

    // A stable "AROA..." / "AIDA..." style unique id derived from a name.
    static QString uniqueId(QStringView prefix, QStringView seed);

private:
    void forgetLongExpired(const QDateTime &now);

    QString m_account;
    QHash<QByteArray, CallerIdentity> m_users;
    QList<Role> m_roles;
    QHash<QByteArray, TemporaryCredential> m_temporary;
    QHash<QByteArray, SsoToken> m_ssoTokens;
    qint64 m_lifetimeCap = 0;
};

} // namespace gls::emu
