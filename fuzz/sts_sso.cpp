// Temporary credentials from the network and the SSO cache: STS AssumeRole and
// GetCallerIdentity XML (credentials/Sts), the SSO portal's GetRoleCredentials
// JSON (SsoCredentialsProvider::parseRoleCredentials) and the token file
// `aws sso login` leaves (SsoTokenCache::load, from a private folder).
// Invariants: success gives complete credentials with a valid expiration;
// failure gives a reason; no reason quotes the secret or the token.

#include "FuzzSupport.h"

#include "credentials/SsoCredentialsProvider.h"
#include "credentials/SsoTokenCache.h"
#include "credentials/Sts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace gls;

namespace {

// The value of the first `"name": "..."` or <Name>...</Name> in the input, when long enough to recognise.
QByteArray secretIn(const QByteArray &input, const QByteArray &jsonName, const QByteArray &xmlName)
{
    for (const QByteArray &open : {QByteArray("\"" + jsonName + "\":\""), QByteArray("<" + xmlName + ">")}) {
        const qsizetype at = input.indexOf(open);
        if (at < 0)
            continue;
        const qsizetype from = at + open.size();
        const qsizetype end = input.indexOf(open.startsWith('<') ? '<' : '"', from);
        const QByteArray value = input.mid(from, end < 0 ? -1 : end - from);
        if (value.size() >= 12 && !value.contains(' ') && input.count(value) == 1)
            return value;
    }
    return {};
}

void checkNoSecret(const QString &message, const QByteArray &secret)
{
    if (!secret.isEmpty())
        FUZZ_CHECK(!message.toUtf8().contains(secret));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    {
        creds::TemporaryCredentials t;
        QString error;
        if (creds::parseAssumeRoleResponse(input, &t, &error)) {
            FUZZ_CHECK(!t.credentials.accessKeyId.isEmpty() && !t.credentials.secretAccessKey.isEmpty());
            FUZZ_CHECK(t.expiration.isValid());
        } else {
            FUZZ_CHECK(!error.isEmpty());
            checkNoSecret(error, secretIn(input, "secretAccessKey", "SecretAccessKey"));
            checkNoSecret(error, secretIn(input, "sessionToken", "SessionToken"));
        }
        aws::wipe(t.credentials);
    }
    {
        creds::CallerIdentity id;
        QString error;
        if (!creds::parseCallerIdentityResponse(input, &id, &error))
            FUZZ_CHECK(!error.isEmpty());
    }
    {
        aws::CredentialsResult r;
        QString error;
        if (creds::SsoCredentialsProvider::parseRoleCredentials(input, &r, &error)) {
            FUZZ_CHECK(!r.credentials.accessKeyId.isEmpty() && !r.credentials.secretAccessKey.isEmpty());
            FUZZ_CHECK(r.expiration.isValid());
        } else {
            FUZZ_CHECK(!error.isEmpty());
            checkNoSecret(error, secretIn(input, "secretAccessKey", "SecretAccessKey"));
            checkNoSecret(error, secretIn(input, "sessionToken", "SessionToken"));
        }
        aws::wipe(r.credentials);
    }

    (void)creds::SsoTokenCache::parseExpiresAt(QString::fromUtf8(input));

    static QTemporaryDir dir;
    static const aws::ManualClock clock(QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    const creds::SsoTokenCache cache(dir.path(), clock);
    creds::SsoConfig sso;
    sso.sessionName = QStringLiteral("fuzz");
    sso.startUrl = QStringLiteral("https://example.awsapps.com/start");
    sso.ssoRegion = QStringLiteral("us-east-1");
    QFile file(cache.cacheFilePath(sso));
    QDir().mkpath(QFileInfo(file).absolutePath());
    FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(input);
    file.close();
    creds::SsoTokenCache::Result r = cache.load(sso, QStringLiteral("fuzz"));
    if (r.ok()) {
        FUZZ_CHECK(!r.accessToken.isEmpty());
        FUZZ_CHECK(r.expiresAt.isValid() && r.expiresAt > clock.nowUtc());
    } else {
        FUZZ_CHECK(!r.error.isEmpty());
        const QByteArray token = secretIn(input, "accessToken", "accessToken");
        checkNoSecret(r.error, token);
        checkNoSecret(r.detail, token);
    }
    aws::wipe(r.accessToken);
    return 0;
}
