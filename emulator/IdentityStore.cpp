#include "IdentityStore.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace gls::emu {

namespace {

// Base32 (RFC 4648 alphabet), the characters AWS access key ids use.
QByteArray randomKeyId(QByteArrayView prefix)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QByteArray id = prefix.toByteArray();
    for (int i = 0; i < 16; ++i)
        id.append(alphabet[QRandomGenerator::system()->bounded(32)]);
    return id;
}

QByteArray randomBytes(int n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), n / 4);
    return bytes;
}

QByteArray randomSecret()
{
    // 30 random bytes are 40 base64 characters, the length of an AWS secret key.
    return randomBytes(32).left(30).toBase64();
}

QByteArray randomSessionToken()
{
    // Shaped like STS's tokens: long, base64, '+' '/' '=' included, so
    // clients must encode it correctly in a presigned query.
    return QByteArray("IQoJb3JpZ2luX2VjE") + randomBytes(360).toBase64();
}

const QRegularExpression &roleArnPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})$"));
    return re;
}

} // namespace

QString Role::name() const
{
    return arn.section(QLatin1Char('/'), -1);
}

QString Role::accountId() const
{
    return arn.section(QLatin1Char(':'), 4, 4);
}

QJsonObject Role::toJson() const
{
    QJsonObject o{{QStringLiteral("arn"), arn}, {QStringLiteral("maxDurationSeconds"), maxDurationSeconds}};
    if (!mfaSerial.isEmpty())
        o.insert(QStringLiteral("mfaSerial"), mfaSerial);
    if (!externalId.isEmpty())
        o.insert(QStringLiteral("externalId"), externalId);
    return o;
}

IdentityStore::IdentityStore(QString account, const QList<AccessKey> &longTermKeys)
    : m_account(std::move(account))
{
    int n = 0;
    for (const AccessKey &k : longTermKeys) {
        // One IAM user per configured key: gls-emulator-user, gls-emulator-user-2, ...
        const QString user
            = ++n == 1 ? QStringLiteral("gls-emulator-user") : QStringLiteral("gls-emulator-user-%1").arg(n);
        CallerIdentity id;
        id.arn = QStringLiteral("arn:aws:iam::%1:user/%2").arg(m_account, user);
        id.userId = uniqueId(u"AIDA", id.arn);
        id.account = m_account;
        m_users.insert(k.id, id);
    }
    Role standard;
    standard.arn = defaultRoleArn();
    m_roles.append(standard);
}

QString IdentityStore::defaultRoleArn() const
{
    return QStringLiteral("arn:aws:iam::%1:role/%2").arg(m_account, QLatin1String(kDefaultRoleName));
}

QString IdentityStore::uniqueId(QStringView prefix, QStringView seed)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const QByteArray hash = QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256);
    QString id = prefix.toString();
    for (int i = 0; i < 17; ++i)
        id.append(QLatin1Char(alphabet[uchar(hash.at(i)) % 32]));
    return id;
}

CallerIdentity IdentityStore::identityOf(QByteArrayView accessKeyId) const
{
    const QByteArray id = accessKeyId.toByteArray();
    if (const auto user = m_users.constFind(id); user != m_users.constEnd())
        return *user;
    if (const auto temp = m_temporary.constFind(id); temp != m_temporary.constEnd())
        return temp->identity;
    return {};
}

bool IdentityStore::validateRole(const Role &role, QString *error)
{
    if (!roleArnPattern().match(role.arn).hasMatch()) {
        *error = QStringLiteral("'%1' is not a role ARN (arn:aws:iam::123456789012:role/NAME)").arg(role.arn);
        return false;
    }
    if (role.maxDurationSeconds < 3600 || role.maxDurationSeconds > 43200) {
        *error = QStringLiteral("the maximum session duration must be 3600 to 43200 seconds, not %1")
                     .arg(role.maxDurationSeconds);
        return false;
    }
    if (!role.mfaSerial.isEmpty()) {
        static const QRegularExpression digits(QStringLiteral("^\\d{6}$"));
        if (!digits.match(QString::fromLatin1(role.mfaCode)).hasMatch()) {
            *error = QStringLiteral("a role with an MFA serial needs a six-digit MFA code");
            return false;
        }
        if (role.mfaSerial.size() < 9 || role.mfaSerial.size() > 256) {
            *error = QStringLiteral("the MFA serial must be 9 to 256 characters");
            return false;
        }
    } else if (!role.mfaCode.isEmpty()) {
        *error = QStringLiteral("an MFA code needs an MFA serial");
        return false;
    }
    if (!role.externalId.isEmpty() && (role.externalId.size() < 2 || role.externalId.size() > 1224)) {
        *error = QStringLiteral("the external id must be 2 to 1224 characters");
        return false;
    }
    return true;
}

bool IdentityStore::parseRoleSpec(const QString &spec, Role *out, QString *error)
{
    const QStringList parts = spec.split(QLatin1Char(','));
    Role role;
    role.arn = parts.value(0).trimmed();
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString name = part.left(eq).trimmed();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        if (eq < 0 || value.isEmpty()) {
            *error = QStringLiteral("'%1' is not NAME=VALUE").arg(part);
            return false;
        }
        if (name == QLatin1String("mfa-serial")) {
            role.mfaSerial = value;
        } else if (name == QLatin1String("mfa-code")) {
            role.mfaCode = value.toLatin1();
        } else if (name == QLatin1String("external-id")) {
            role.externalId = value;
        } else if (name == QLatin1String("max-duration")) {
            bool ok = false;
            role.maxDurationSeconds = value.toInt(&ok);
            if (!ok) {
                *error = QStringLiteral("max-duration '%1' is not a number of seconds").arg(value);
                return false;
            }
        } else {
            *error = QStringLiteral("unknown role setting '%1' (mfa-serial, mfa-code, external-id, max-duration)")
                         .arg(name);
            return false;
        }
    }
    if (!validateRole(role, error))
        return false;
    *out = role;
    return true;
}

bool IdentityStore::addRole(const Role &role, QString *error)
{
    if (!validateRole(role, error))
        return false;
    for (Role &r : m_roles) {
        if (r.arn == role.arn) {
            r = role;
            return true;
        }
    }
    m_roles.append(role);
    return true;
}

const Role *IdentityStore::role(const QString &arn) const
{
    for (const Role &r : m_roles) {
        if (r.arn == arn)
            return &r;
    }
    return nullptr;
}

qint64 IdentityStore::effectiveLifetime(qint64 requestedSeconds) const
{
    return m_lifetimeCap > 0 ? qMin(requestedSeconds, m_lifetimeCap) : requestedSeconds;
}

TemporaryCredential IdentityStore::issue(const CallerIdentity &identity, qint64 lifetimeSeconds, const QDateTime &now)
{
    forgetLongExpired(now);
    TemporaryCredential c;
    do {
        c.key.id = randomKeyId("ASIA");
    } while (m_temporary.contains(c.key.id) || m_users.contains(c.key.id));
    c.key.secret = randomSecret();
    c.key.sessionToken = randomSessionToken();
    // Whole seconds, as STS reports the expiration.
    const QDateTime base = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch(), Qt::UTC);
    c.expiresAt = base.addSecs(lifetimeSeconds);
    c.identity = identity;
    m_temporary.insert(c.key.id, c);
    return c;
}

const TemporaryCredential *IdentityStore::temporary(QByteArrayView accessKeyId) const
{
    const auto it = m_temporary.constFind(accessKeyId.toByteArray());
    return it == m_temporary.constEnd() ? nullptr : &*it;
}

SsoToken IdentityStore::mintSsoToken(
    const QString &accountId, const QString &roleName, qint64 lifetimeSeconds, const QDateTime &now)
{
    forgetLongExpired(now);
    SsoToken t;
    // Shaped like the portal's tokens ("aoa..." + base64), never a real one.
    t.accessToken = QByteArray("aoaAAAAA") + randomBytes(180).toBase64(QByteArray::Base64UrlEncoding);
    t.accountId = accountId;
    t.roleName = roleName;
    t.expiresAt = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch() + lifetimeSeconds, Qt::UTC);
    m_ssoTokens.insert(t.accessToken, t);
    return t;
}

const SsoToken *IdentityStore::ssoToken(QByteArrayView accessToken) const
{
    const auto it = m_ssoTokens.constFind(accessToken.toByteArray());
    return it == m_ssoTokens.constEnd() ? nullptr : &*it;
}

void IdentityStore::forgetLongExpired(const QDateTime &now)
{
    // Keep expired credentials a day, so their use is answered "expired"
    // rather than "invalid", then let them go so the table stays small.
    const QDateTime horizon = now.addDays(-1);
    for (auto it = m_temporary.begin(); it != m_temporary.end();)
        it = it->expiresAt < horizon ? m_temporary.erase(it) : std::next(it);
    for (auto it = m_ssoTokens.begin(); it != m_ssoTokens.end();)
        it = it->expiresAt < horizon ? m_ssoTokens.erase(it) : std::next(it);
}

} // namespace gls::emu
