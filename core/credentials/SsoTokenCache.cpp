#include "credentials/SsoTokenCache.h"

#include "aws/Credentials.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

namespace gls::creds {

SsoTokenCache::SsoTokenCache(QString directory, const aws::Clock &clock)
    : m_directory(std::move(directory))
    , m_clock(&clock)
{
}

QString SsoTokenCache::defaultDirectory(const QProcessEnvironment &env)
{
    return env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.aws/sso/cache");
}

QString SsoTokenCache::cacheKey(const SsoConfig &sso)
{
    const QString input = sso.isLegacy() ? sso.startUrl : sso.sessionName;
    return QString::fromLatin1(QCryptographicHash::hash(input.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QString SsoTokenCache::cacheFilePath(const SsoConfig &sso) const
{
    return m_directory + u'/' + cacheKey(sso) + QStringLiteral(".json");
}

std::optional<QDateTime> SsoTokenCache::parseExpiresAt(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?\\s*"
                       "(?:([Zz]|UTC|GMT)|([+-])(\\d{2})(?::?(\\d{2}))?)$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt; // also a time without a zone: botocore cannot compare it either
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(),
        m.captured(7).isEmpty() ? 0 : m.captured(7).left(3).leftJustified(3, u'0').toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    QDateTime utc(date, time, QTimeZone::utc());
    if (!m.captured(9).isEmpty()) {
        const int offset = m.captured(10).toInt() * 3600 + m.captured(11).toInt() * 60;
        utc = utc.addSecs(m.captured(9) == u'+' ? -offset : offset);
    }
    return utc;
}

QString SsoTokenCache::loginHint(const QString &profile)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_.@%+=:,/-]+$"));
    QString name = profile;
    if (!plain.match(name).hasMatch())
        name = u'\'' + name.replace(u'\'', QStringLiteral("'\\''")) + u'\'';
    return QStringLiteral("aws sso login --profile %1").arg(name);
}

SsoTokenCache::Result SsoTokenCache::load(const SsoConfig &sso, const QString &profile) const
{
    Result result;
    result.error
        = QStringLiteral("The SSO session for profile \"%1\" has expired or you are not logged in: run \"%2\".")
              .arg(profile, loginHint(profile));
    const QString path = cacheFilePath(sso);
    QFile file(path);
    if (!file.exists()) {
        result.status = Status::Missing;
        result.detail = QStringLiteral("no cached token at %1").arg(path);
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        result.status = Status::Malformed;
        result.detail = QStringLiteral("%1 cannot be read: %2").arg(path, file.errorString());
        return result;
    }
    QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    aws::wipe(bytes);
    result.status = Status::Malformed;
    if (!doc.isObject()) {
        result.detail = QStringLiteral("%1 is not a JSON object").arg(path);
        return result;
    }
    const QJsonObject object = doc.object();
    const QJsonValue token = object.value(QStringLiteral("accessToken"));
    const QJsonValue expires = object.value(QStringLiteral("expiresAt"));
    if (!token.isString() || token.toString().isEmpty() || !expires.isString()) {
        result.detail = QStringLiteral("%1 has no accessToken or expiresAt").arg(path);
        return result;
    }
    const std::optional<QDateTime> expiresAt = parseExpiresAt(expires.toString());
    if (!expiresAt) {
        result.detail = QStringLiteral("%1: expiresAt \"%2\" is not an RFC 3339 time").arg(path, expires.toString());
        return result;
    }
    result.expiresAt = *expiresAt;
    if (*expiresAt <= m_clock->nowUtc()) {
        result.status = Status::Expired;
        result.detail = QStringLiteral("the token expired at %1")
                            .arg(expiresAt->toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")));
        return result;
    }
    result.status = Status::Ok;
    result.error.clear();
    result.accessToken = token.toString().toUtf8();
    return result;
}

bool SsoTokenCache::loadToken(const SsoConfig &sso, const QString &profile, QByteArray *token, QString *error) const
{
    Result result = load(sso, profile);
    if (!result.ok()) {
        if (error)
            *error = result.error;
        return false;
    }
    *token = std::move(result.accessToken);
    return true;
}

} // namespace gls::creds
