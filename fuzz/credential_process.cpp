// credential_process output (ProcessCredentialsProvider::parseCredentialOutput):
// what a helper program prints on standard output.
// Invariants: success gives an access key and secret, and an expiration (when
// given) after now; failure gives a reason that quotes neither the secret nor
// the session token; the output buffer is wiped either way.

#include "FuzzSupport.h"

#include "credentials/ProcessCredentialsProvider.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace gls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QDateTime now(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

    QByteArray output = input;
    output.detach();
    aws::CredentialsResult r = creds::ProcessCredentialsProvider::parseCredentialOutput(&output, now,
        [](const QString &problem, const QString &advice) { return problem + QStringLiteral(". ") + advice; });
    FUZZ_CHECK(output.isEmpty() || output.count('\0') == output.size());

    if (r.error.isEmpty()) {
        FUZZ_CHECK(!r.credentials.accessKeyId.isEmpty() && !r.credentials.secretAccessKey.isEmpty());
        FUZZ_CHECK(!r.expiration.isValid() || r.expiration > now);
    } else {
        const QJsonObject o = QJsonDocument::fromJson(input).object();
        for (const char *key : {"SecretAccessKey", "SessionToken"}) {
            const QString secret = o.value(QLatin1String(key)).toString();
            // Long enough not to be mistaken for words of the message.
            if (secret.size() < 12 || secret.contains(u' ') || input.count(secret.toUtf8()) != 1
                || !r.error.contains(secret))
                continue;
            // The value may be words of the message itself ("SecretAccess" is in "SecretAccessKey"):
            // then the same output with another value of that length says it too. Otherwise the
            // message quotes the secret.
            QJsonObject masked = o;
            masked.insert(QLatin1String(key), QString(secret.size(), u'Z'));
            QByteArray maskedOutput = QJsonDocument(masked).toJson(QJsonDocument::Compact);
            aws::CredentialsResult m = creds::ProcessCredentialsProvider::parseCredentialOutput(&maskedOutput, now,
                [](const QString &problem, const QString &advice) { return problem + QStringLiteral(". ") + advice; });
            FUZZ_CHECK(m.error.contains(secret));
            aws::wipe(m.credentials);
        }
    }
    aws::wipe(r.credentials);
    return 0;
}
