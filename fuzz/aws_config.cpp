// The AWS shared config and credentials files (credentials/AwsConfigFiles) and
// what is read from them (ProfileClassifier, ConfigSettings). Input: the
// config file, "\n--\n", the credentials file; both written to a private
// temporary folder and loaded the way the application loads them.
// Invariants: load() always gives a usable object; every listed profile
// exists; source_profile chains end (no loop runs forever); and no message
// quotes a secret access key or session token from either file.

#include "FuzzSupport.h"

#include "aws/Credentials.h"
#include "credentials/AwsConfigFiles.h"
#include "credentials/ConfigSettings.h"
#include "credentials/ProfileClassifier.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace gls::creds;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        std::abort();
    f.write(bytes);
}

void checkNoSecret(const QString &message, const QStringList &secrets)
{
    for (const QString &s : secrets)
        FUZZ_CHECK(!message.contains(s));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls::fuzz::quietQt();
    static QTemporaryDir dir;
    FUZZ_CHECK(dir.isValid());
    const QList<QByteArray> parts
        = gls::fuzz::splitParts(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), 2);
    const QString config = dir.filePath(QStringLiteral("config"));
    const QString credentials = dir.filePath(QStringLiteral("credentials"));
    writeFile(config, parts.at(0));
    writeFile(credentials, parts.size() > 1 ? parts.at(1) : QByteArray());

    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), dir.path());
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), config);
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), credentials);
    const AwsConfigFiles files = AwsConfigFiles::load(env);
    FUZZ_CHECK(files.ok() == files.errors().isEmpty());

    const QStringList names = files.profileNames();
    QStringList secrets;
    for (const QString &name : names) {
        const AwsProfile p = files.profile(name);
        FUZZ_CHECK(p.isValid());
        FUZZ_CHECK(files.hasProfile(name));
        for (const char *key : {"aws_secret_access_key", "aws_session_token", "aws_security_token"}) {
            const QString v = p.value(QLatin1String(key)).trimmed();
            // Only values that cannot be mistaken for a name, a path or fixed text.
            const bool distinctive = v.size() >= 12 && !v.contains(u' ') && !v.contains(u'/')
                && std::any_of(v.cbegin(), v.cend(), [](QChar c) { return c.isDigit(); })
                && QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).count(v.toUtf8()) == 1;
            if (distinctive)
                secrets.append(v);
        }
    }
    for (const QString &e : files.errors())
        checkNoSecret(e, secrets);

    for (const QString &name : names) {
        QString error;
        (void)files.describeProfile(name);
        (void)classify(files, name, &error);
        checkNoSecret(error, secrets);
        error.clear();
        (void)classifyAsSource(files, name, &error);
        checkNoSecret(error, secrets);
        error.clear();
        const QStringList chain = sourceProfileChain(files, name, &error);
        FUZZ_CHECK(chain.size() <= names.size() + 1);
        checkNoSecret(error, secrets);
        error.clear();
        if (auto keys = readStaticKeys(files, name, &error)) {
            gls::aws::wipe(keys->secretAccessKey);
            gls::aws::wipe(keys->sessionToken);
        }
        checkNoSecret(error, secrets);
        error.clear();
        (void)readAssumeRoleConfig(files, name, &error);
        checkNoSecret(error, secrets);
        error.clear();
        (void)readSsoConfig(files, name, &error);
        checkNoSecret(error, secrets);
        error.clear();
        (void)resolveRegion(env, files, name);
        (void)resolveCaBundle(env, files, name);
        (void)resolveMaxAttempts(env, files, name, &error);
        (void)ignoreConfiguredEndpointUrls(env, files, name);
        for (const char *service : {"gameliftstreams", "s3", "sts", "sso"})
            (void)resolveEndpointUrl(env, files, name, QLatin1String(service), &error);
        checkNoSecret(error, secrets);
        (void)files.ssoSession(name);
        (void)files.servicesSection(name);
    }
    return 0;
}
