#pragma once

// The access tokens `aws sso login` leaves in ~/.aws/sso/cache/<sha1 hex>.json.
// The file name is the SHA-1 of the sso-session name for sso-session profiles,
// of the start URL for legacy ones (botocore's SSOTokenLoader). A token is
// usable while expiresAt (RFC 3339: "Z", "UTC", "GMT" or an offset, optional
// fractional seconds) is after the injected clock's now. Failures say what to
// run; tokens never reach a message.

#include "aws/Clock.h"
#include "credentials/ProfileClassifier.h"

#include <QByteArray>
#include <QDateTime>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace gls::creds {

class SsoTokenCache {
public:
    enum class Status { Ok, Missing, Expired, Malformed };

    struct Result {
        Status status = Status::Missing;
        QByteArray accessToken; // set when Ok; the caller wipes it (gls::aws::wipe)
        QDateTime expiresAt;    // UTC; set when the file could be read
        QString error;          // what to do, e.g. run "aws sso login --profile X"
        QString detail;         // why (missing file, bad JSON...), never the token
        bool ok() const { return status == Status::Ok; }
    };

    // `clock` must outlive the cache.
    SsoTokenCache(QString directory, const aws::Clock &clock);

    // $HOME/.aws/sso/cache, HOME from `env`.
    static QString defaultDirectory(const QProcessEnvironment &env);
    // Lower-case hex SHA-1 of the session name, or of the start URL (legacy).
    static QString cacheKey(const SsoConfig &sso);
    static std::optional<QDateTime> parseExpiresAt(const QString &text);
    // `aws sso login --profile NAME` with NAME quoted when the shell needs it.
    static QString loginHint(const QString &profile);

    QString directory() const { return m_directory; }
    QString cacheFilePath(const SsoConfig &sso) const;
    Result load(const SsoConfig &sso, const QString &profile) const;
    // The shape SsoCredentialsProvider::TokenLoader wants.
    bool loadToken(const SsoConfig &sso, const QString &profile, QByteArray *token, QString *error) const;

private:
    QString m_directory;
    const aws::Clock *m_clock;
};

} // namespace gls::creds
