// The credential chain end to end: which source wins, case by case, with real
// AWS config files in a temporary HOME, the real keychain (gnome-keyring on a
// private session bus, as scripts/test.sh runs it), and real STS and SSO
// calls to gls-emulator over TLS. Every case proves the credentials work by
// calling STS GetCallerIdentity with them and reading back who we are.

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "credentials/CredentialChain.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileSettings.h"
#include "credentials/SsoCredentialsProvider.h"
#include "credentials/SsoTokenCache.h"
#include "credentials/Sts.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;

namespace {

const QString kAccount = QStringLiteral("111122223333");
const QByteArray kMfaRole = "arn:aws:iam::111122223333:role/MfaRole";
const QByteArray kMfaSerial = "arn:aws:iam::111122223333:mfa/chain-tester";

struct Outcome {
    creds::ChainResolution resolution;
    creds::CallerIdentity identity;
    QString error; // of the chain or of the call
};

} // namespace

class TestCredentialChain : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    std::unique_ptr<QTemporaryDir> m_home;
    aws::SystemClock m_clock;
    QNetworkAccessManager m_network;
    aws::TransportSettings m_transport;
    std::unique_ptr<creds::KeychainStore> m_keychain;
    QString m_service;

    QProcessEnvironment baseEnv() const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), m_home->path());
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_STS"), m_emu->stsUrl());
        env.insert(QStringLiteral("AWS_ENDPOINT_URL_SSO"), m_emu->ssoUrl());
        return env;
    }

    void writeFile(const QString &relative, const QByteArray &text)
    {
        const QString path = m_home->filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    // Resolves the chain and calls GetCallerIdentity with what it gives.
    Outcome run(creds::ChainOptions options)
    {
        options.network = &m_network;
        options.clock = &m_clock;
        options.transport = m_transport;
        options.fallbackRegion = QStringLiteral("us-west-2");
        Outcome out;
        creds::CredentialChain chain(options);
        bool resolved = false;
        chain.resolve(this, [&](const creds::ChainResolution &r) {
            out.resolution = r;
            resolved = true;
        });
        if (!QTest::qWaitFor([&] { return resolved; }, 20000)) {
            out.error = QStringLiteral("the chain never resolved");
            return out;
        }
        if (!out.resolution.ok()) {
            out.error = out.resolution.error;
            return out;
        }
        aws::AwsTransport transport(&m_network, &chain, &m_clock, m_transport);
        aws::EndpointOptions eo;
        eo.region = QStringLiteral("us-west-2");
        eo.endpointUrl = m_emu->stsUrl();
        QString why;
        const aws::Endpoint sts = aws::resolveStsEndpoint(eo, &why);
        aws::AwsCall *call = transport.send(sts, creds::getCallerIdentityRequest(), this);
        QSignalSpy done(call, &aws::AwsCall::finished);
        if (!done.wait(30000)) {
            out.error = QStringLiteral("GetCallerIdentity never finished");
            return out;
        }
        if (call->error().isError())
            out.error = call->error().message;
        else if (!creds::parseCallerIdentityResponse(call->response().body, &out.identity, &why))
            out.error = why;
        delete call;
        return out;
    }

    void saveKeychainProfile(const QString &name, const QByteArray &keyId, const QByteArray &secret)
    {
        creds::KeychainProfile p;
        p.name = name;
        p.credentials.accessKeyId = keyId;
        p.credentials.secretAccessKey = secret;
        bool done = false;
        creds::KeychainResult result;
        m_keychain->save(p, this, [&](const creds::KeychainResult &r) {
            result.failure = r.failure;
            result.error = r.error;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QVERIFY2(result.ok(), qPrintable(result.error));
    }

    void removeKeychainProfile(const QString &name)
    {
        bool done = false;
        m_keychain->remove(name, this, [&](const creds::KeychainResult &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    }

    // Static keys that the emulator does not know: a source that must not win.
    static QByteArray decoyProfile(const QByteArray &name)
    {
        return "[" + name + "]\naws_access_key_id = AKIADECOYDECOYDECOY1\naws_secret_access_key = decoy-secret\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a session bus with an unlocked keyring: run through scripts/test.sh");
        m_emu = std::make_unique<test::Emulator>(QStringList{
            QStringLiteral("--role"),
            QString::fromLatin1(kMfaRole + ",mfa-serial=" + kMfaSerial + ",mfa-code=123456")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        QString why;
        QVERIFY2(aws::AwsTransport::loadCaBundle(m_emu->caPath(), &m_transport.extraCaCertificates, &why),
                 qPrintable(why));
        m_service = QStringLiteral("gls-exporter-chain-test-%1").arg(QCoreApplication::applicationPid());
        m_keychain = std::make_unique<creds::KeychainStore>(m_service);
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(m_home->isValid());
    }

    void cleanupTestCase()
    {
        if (!m_keychain)
            return;
        removeKeychainProfile(QStringLiteral("default"));
        removeKeychainProfile(QStringLiteral("qa"));
    }

    void staticKeysFromTheCredentialsFile()
    {
        writeFile(QStringLiteral(".aws/credentials"),
                  "[default]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("aws-profile:default (static keys)"));
        QCOMPARE(out.identity.account, kAccount);
    }

    void environmentBeatsTheFilesAndAwsProfile()
    {
        writeFile(QStringLiteral(".aws/credentials"), decoyProfile("default") + decoyProfile("other"));
        creds::ChainOptions o;
        o.env = baseEnv();
        o.env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(test::kKeyId));
        o.env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(test::kSecret));
        o.env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("other"));
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("environment"));
    }

    void explicitProfileBeatsTheEnvironment()
    {
        writeFile(QStringLiteral(".aws/credentials"),
                  "[qa-files]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIADECOYDECOYDECOY1"));
        o.env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("decoy"));
        o.profile = QStringLiteral("qa-files");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("aws-profile:qa-files (static keys)"));
    }

    void awsProfileSelectsTheFilesProfile()
    {
        writeFile(QStringLiteral(".aws/credentials"),
                  decoyProfile("default") + "[picked]\naws_access_key_id = " + QByteArray(test::kKeyId)
                      + "\naws_secret_access_key = " + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"), "[profile picked]\nregion = eu-central-1\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("picked"));
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.profile, QStringLiteral("picked"));
        QCOMPARE(out.resolution.region, QStringLiteral("eu-central-1"));
    }

    void keychainDefaultBeatsTheFiles()
    {
        saveKeychainProfile(QStringLiteral("default"), test::kKeyId, test::kSecret);
        writeFile(QStringLiteral(".aws/credentials"), decoyProfile("default"));
        creds::ChainOptions o;
        o.env = baseEnv();
        o.keychain = m_keychain.get();
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("keychain:default"));
        removeKeychainProfile(QStringLiteral("default"));

        // Gone from the keychain: the files' default (a decoy here) is next.
        const Outcome after = run(o);
        QCOMPARE(after.resolution.source, QStringLiteral("aws-profile:default (static keys)"));
        QVERIFY(!after.error.isEmpty()); // the decoy key is unknown to the service
    }

    void explicitKeychainProfileBeatsTheFilesOfTheSameName()
    {
        saveKeychainProfile(QStringLiteral("qa"), test::kKeyId, test::kSecret);
        writeFile(QStringLiteral(".aws/credentials"), decoyProfile("qa"));
        QTemporaryDir settingsDir;
        creds::ProfileSettings settings(settingsDir.filePath(QStringLiteral("profiles.conf")));
        creds::ProfileDefaults d;
        d.region = QStringLiteral("ap-northeast-1");
        settings.save(QStringLiteral("qa"), d);
        creds::ChainOptions o;
        o.env = baseEnv();
        o.keychain = m_keychain.get();
        o.settings = &settings;
        o.profile = QStringLiteral("qa");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("keychain:qa"));
        QCOMPARE(out.resolution.region, QStringLiteral("ap-northeast-1"));
        removeKeychainProfile(QStringLiteral("qa"));
    }

    void noCredentialsAnywhere()
    {
        creds::ChainOptions o;
        o.env = baseEnv();
        o.keychain = m_keychain.get();
        const Outcome out = run(o);
        QVERIFY(!out.resolution.ok());
        QVERIFY2(out.error.contains(QLatin1String("No AWS credentials")), qPrintable(out.error));
        QVERIFY(out.error.contains(QLatin1String("credentials set")));
    }

    void unknownExplicitProfileIsNamed()
    {
        creds::ChainOptions o;
        o.env = baseEnv();
        o.keychain = m_keychain.get();
        o.profile = QStringLiteral("nope");
        const Outcome out = run(o);
        QVERIFY2(out.error.contains(QLatin1String("No profile named \"nope\"")), qPrintable(out.error));
    }

    void malformedConfigNamesFileAndLine()
    {
        writeFile(QStringLiteral(".aws/config"), "[profile broken]\nregion = us-west-2\nthis line is wrong\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("broken");
        const Outcome out = run(o);
        QVERIFY(!out.resolution.ok());
        QVERIFY2(out.error.contains(QLatin1String(".aws/config line 3")), qPrintable(out.error));
    }

    void credentialProcess()
    {
        const QString script = m_home->filePath(QStringLiteral("helper.sh"));
        writeFile(QStringLiteral("helper.sh"),
                  "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}' "
                      + QByteArray(test::kKeyId) + " " + QByteArray(test::kSecret) + "\n");
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        writeFile(QStringLiteral(".aws/config"), "[profile proc]\ncredential_process = " + script.toUtf8() + "\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("proc");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.resolution.source, QStringLiteral("aws-profile:proc (credential_process)"));
        QCOMPARE(out.identity.account, kAccount);
    }

    void assumeRoleWithSourceProfile()
    {
        writeFile(QStringLiteral(".aws/credentials"),
                  "[base]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"),
                  "[profile qa-role]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\n"
                  "source_profile = base\nrole_session_name = chain-test\nregion = us-west-2\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("qa-role");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.identity.arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/chain-test"));
    }

    void assumeRoleThroughServicesSection()
    {
        // The STS endpoint from the profile's services section, not the environment.
        writeFile(QStringLiteral(".aws/credentials"),
                  "[base]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"),
                  "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = base\n"
                  "services = local\n[services local]\nsts =\n  endpoint_url = "
                      + m_emu->stsUrl().toUtf8() + "\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.env.remove(QStringLiteral("AWS_ENDPOINT_URL_STS"));
        o.profile = QStringLiteral("r");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QVERIFY(out.identity.arn.contains(QLatin1String(":assumed-role/GlsExporterQA/gls-exporter-")));
    }

    void assumeRoleWithMfa_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("prompt");
        QTest::addColumn<QString>("expected"); // in the identity ARN, or in the error
        QTest::newRow("right code") << QStringLiteral("123456") << true << QStringLiteral("assumed-role/MfaRole/");
        QTest::newRow("wrong code") << QStringLiteral("654321") << true << QStringLiteral("MultiFactorAuthentication");
        QTest::newRow("declined") << QString() << true << QStringLiteral("No MFA code was given");
        QTest::newRow("nobody to ask") << QString() << false << QStringLiteral("nothing here can ask");
    }

    void assumeRoleWithMfa()
    {
        QFETCH(QString, code);
        QFETCH(bool, prompt);
        QFETCH(QString, expected);
        writeFile(QStringLiteral(".aws/credentials"),
                  "[base]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"), "[profile mfa]\nrole_arn = " + kMfaRole
                                                     + "\nsource_profile = base\nmfa_serial = " + kMfaSerial + "\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("mfa");
        QStringList asked;
        if (prompt) {
            o.mfaPrompt = [&asked, code](const QString &profile, const QString &serial, QObject *,
                                         std::function<void(const QString &)> done) {
                asked << profile + QLatin1Char(' ') + serial;
                done(code);
            };
        }
        const Outcome out = run(o);
        if (prompt)
            QCOMPARE(asked, QStringList{QStringLiteral("mfa ") + QString::fromLatin1(kMfaSerial)});
        if (expected.startsWith(QLatin1String("assumed-role"))) {
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QVERIFY(out.identity.arn.contains(expected));
        } else {
            QVERIFY2(out.error.contains(expected), qPrintable(out.error));
        }
    }

    void ssoWithValidAndExpiredCache()
    {
        const QJsonObject minted = m_emu->control("POST", "sso/tokens", {}).json();
        const QByteArray token = minted.value(QStringLiteral("accessToken")).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        writeFile(QStringLiteral(".aws/config"),
                  "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = GlsExporterQA\n"
                  "region = us-west-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
                  "sso_region = us-west-2\n");
        const QString cacheName
            = QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex()) + ".json";
        const auto writeCache = [&](const QDateTime &expiresAt) {
            writeFile(QStringLiteral(".aws/sso/cache/") + cacheName,
                      QJsonDocument(QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1(token)},
                                                {QStringLiteral("expiresAt"), expiresAt.toString(Qt::ISODate)},
                                                {QStringLiteral("region"), QStringLiteral("us-west-2")}})
                          .toJson());
        };
        writeCache(QDateTime::currentDateTimeUtc().addSecs(3600));
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("sso");
        const Outcome out = run(o);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QVERIFY2(out.identity.arn.contains(QLatin1String("assumed-role/AWSReservedSSO_GlsExporterQA")),
                 qPrintable(out.identity.arn));

        writeCache(QDateTime::currentDateTimeUtc().addSecs(-60));
        const Outcome expired = run(o);
        QVERIFY2(expired.error.contains(QLatin1String("aws sso login --profile sso")), qPrintable(expired.error));
        QVERIFY(!expired.error.contains(QString::fromLatin1(token)));
    }

    void ssoPortalExpirationOutOfRangeIsRefused()
    {
        // Found with fuzz_sts_sso (fuzz/corpus/sts_sso/regress-sso-expiration-overflow.json): an expiration
        // past qint64 milliseconds was converted with undefined behaviour and taken as a time.
        const auto parse = [](const QByteArray &expiration, aws::CredentialsResult *r, QString *error) {
            return creds::SsoCredentialsProvider::parseRoleCredentials(
                "{\"roleCredentials\":{\"accessKeyId\":\"ASIAEXAMPLE\",\"secretAccessKey\":\"s3cr3t-value\","
                "\"sessionToken\":\"t0ken-value\",\"expiration\":" + expiration + "}}",
                r, error);
        };
        aws::CredentialsResult r;
        QString error;
        QVERIFY2(parse("1893456000000", &r, &error), qPrintable(error));
        QCOMPARE(r.expiration, QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC));
        for (const char *expiration : {"1e300", "9.3e18", "1e16"}) {
            aws::CredentialsResult refused;
            error.clear();
            QVERIFY2(!parse(expiration, &refused, &error), expiration);
            QVERIFY2(error.contains(QLatin1String("expiration")), qPrintable(error));
            QVERIFY(!error.contains(QLatin1String("s3cr3t")) && !error.contains(QLatin1String("t0ken")));
            QVERIFY(refused.credentials.accessKeyId.isEmpty());
        }
    }

    void temporaryCredentialsAreRefreshed()
    {
        // Role credentials that live 3 s: calls keep working past their end
        // because the chain fetches new ones before using expired ones.
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("credentialLifetimeSeconds"), 3}})
                     .status,
                 200);
        writeFile(QStringLiteral(".aws/credentials"),
                  "[base]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"),
                  "[profile short]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = base\n");
        creds::ChainOptions o;
        o.env = baseEnv();
        o.profile = QStringLiteral("short");
        o.network = &m_network;
        o.clock = &m_clock;
        o.transport = m_transport;
        creds::CredentialChain chain(o);
        aws::AwsTransport transport(&m_network, &chain, &m_clock, m_transport);
        aws::EndpointOptions eo;
        eo.region = QStringLiteral("us-west-2");
        eo.endpointUrl = m_emu->stsUrl();
        QString why;
        const aws::Endpoint sts = aws::resolveStsEndpoint(eo, &why);
        // Call until well past the first credentials' end (no sleeping: each
        // call is real work); every call must succeed.
        QElapsedTimer elapsed;
        elapsed.start();
        int calls = 0;
        while (elapsed.elapsed() < 7000) {
            aws::AwsCall *call = transport.send(sts, creds::getCallerIdentityRequest(), this);
            QSignalSpy done(call, &aws::AwsCall::finished);
            QVERIFY(done.wait(20000));
            QVERIFY2(!call->error().isError(), qPrintable(call->error().toString()));
            delete call;
            ++calls;
        }
        QVERIFY(calls > 1);
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("credentialLifetimeSeconds"), 0}})
                     .status,
                 200);
    }
};

QTEST_GUILESS_MAIN(TestCredentialChain)
#include "tst_credentialchain.moc"
