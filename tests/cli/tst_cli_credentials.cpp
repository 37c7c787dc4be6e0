// gls-exporter-cli's credentials: `credentials set|list|remove|import`,
// `whoami` and --profile on other commands, run as the real executable
// against the real gls-emulator (STS, SSO and GameLift Streams over TLS) and
// the real keychain (gnome-keyring on the private session bus scripts/test.sh
// starts), each case in its own temporary HOME with real AWS files. Ends with
// the leak check: after every flow, no file the CLI could have written and no
// output holds the secret or the session token.

#include "CliRunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace gls::test;

namespace {

// A session token that must never be shown (the keychain keeps it; the test key has none).
const QByteArray kToken = "FQoGZXIvYXdzEXAMPLE-gls-test-session-token-0123456789abcdef";

} // namespace

class TestCliCredentials : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    std::unique_ptr<CliRunner> m_cli;
    QTemporaryDir *m_home = nullptr; // this case's HOME, one of m_keep
    QString m_service;
    QList<QByteArray> m_outputs; // every stdout and stderr, for the leak check
    QStringList m_homes;         // every HOME used, for the leak check
    QList<std::shared_ptr<QTemporaryDir>> m_keep;

    // No credentials in the environment: they must come from --profile, the keychain or the files.
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = m_cli->environment();
        e.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
        e.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        e.insert(QStringLiteral("HOME"), m_home->path());
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral(".config")));
        e.insert(QStringLiteral("TMPDIR"), m_home->filePath(QStringLiteral("tmp")));
        e.insert(QStringLiteral("GLS_KEYCHAIN_SERVICE"), m_service);
        e.insert(QStringLiteral("AWS_CA_BUNDLE"), m_emu->caPath());
        e.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_emu->gameliftUrl());
        return e;
    }

    CliResult run(const QStringList &arguments, const QProcessEnvironment &environment = {},
                  const QByteArray &input = {})
    {
        QProcess p;
        p.setProcessEnvironment(environment.isEmpty() ? env() : environment);
        p.start(CliRunner::program(), arguments);
        p.write(input);
        p.closeWriteChannel();
        const CliResult r = CliRunner::collect(&p);
        m_outputs << r.out << r.err;
        return r;
    }

    void writeFile(const QString &relative, const QByteArray &text)
    {
        const QString path = m_home->filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    static QByteArray testKeys(const QByteArray &profile)
    {
        return "[" + profile + "]\naws_access_key_id = " + QByteArray(kKeyId) + "\naws_secret_access_key = "
            + QByteArray(kSecret) + "\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a session bus with an unlocked keyring: run through scripts/test.sh");
        m_emu = std::make_unique<Emulator>();
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_cli = std::make_unique<CliRunner>(m_emu.get());
        m_service = QStringLiteral("gls-exporter-cli-test-%1").arg(QCoreApplication::applicationPid());
    }

    void init()
    {
        // Kept to the end: the leak check scans every HOME the CLI ran in.
        auto home = std::make_shared<QTemporaryDir>();
        QVERIFY(home->isValid());
        QDir(home->path()).mkpath(QStringLiteral("tmp"));
        m_keep << home;
        m_home = home.get();
        m_homes << m_home->path();
    }

    void setListWhoamiRemove()
    {
        const CliResult set = run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--profile"),
                                   QStringLiteral("qa"), QStringLiteral("--stdin"), QStringLiteral("--region"),
                                   QStringLiteral("us-west-2")},
                                  {}, QByteArray(kKeyId) + "\n" + QByteArray(kSecret) + "\n\n");
        QVERIFY2(set.exitCode == 0, set.describe());
        QVERIFY(set.out.contains("Saved profile \"qa\" (key ****0001)"));

        const CliResult list = run({QStringLiteral("credentials"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, list.describe());
        const QJsonArray profiles = list.json().value(QStringLiteral("profiles")).toArray();
        QCOMPARE(profiles.size(), 1);
        const QJsonObject qa = profiles.first().toObject();
        QCOMPARE(qa.value(QStringLiteral("name")).toString(), QStringLiteral("qa"));
        QCOMPARE(qa.value(QStringLiteral("source")).toString(), QStringLiteral("keychain"));
        QCOMPARE(qa.value(QStringLiteral("accessKeyId")).toString(), QStringLiteral("****0001"));
        QCOMPARE(qa.value(QStringLiteral("region")).toString(), QStringLiteral("us-west-2"));

        const CliResult who = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("qa"),
                                   QStringLiteral("--json")});
        QVERIFY2(who.exitCode == 0, who.describe());
        QCOMPARE(who.json().value(QStringLiteral("account")).toString(), QStringLiteral("111122223333"));
        QCOMPARE(who.json().value(QStringLiteral("credentialsSource")).toString(), QStringLiteral("keychain:qa"));

        // --profile works on every command; the Region comes from the profile's settings.
        QProcessEnvironment noRegion = env();
        noRegion.remove(QStringLiteral("AWS_DEFAULT_REGION"));
        const CliResult groups = run({QStringLiteral("groups"), QStringLiteral("--profile"), QStringLiteral("qa"),
                                      QStringLiteral("--json")},
                                     noRegion);
        QVERIFY2(groups.exitCode == 0, groups.describe());
        QVERIFY(groups.json().value(QStringLiteral("count")).toInt() > 0);

        const CliResult removed
            = run({QStringLiteral("credentials"), QStringLiteral("remove"), QStringLiteral("--profile"),
                   QStringLiteral("qa")});
        QVERIFY2(removed.exitCode == 0, removed.describe());
        const CliResult gone = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("qa")});
        QCOMPARE(gone.exitCode, 2);
        QVERIFY2(gone.err.contains("No profile named \"qa\""), gone.describe());
    }

    void setRefusesBadInput()
    {
        const QStringList set{QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--profile"),
                              QStringLiteral("qa2")};
        const CliResult badKey = run(set + QStringList{QStringLiteral("--stdin")}, {}, "short\nsecret\n");
        QCOMPARE(badKey.exitCode, 2);
        QVERIFY2(badKey.err.contains("access key ID: must be 16 to 128"), badKey.describe());

        const CliResult noSecret = run(set + QStringList{QStringLiteral("--stdin")}, {}, QByteArray(kKeyId) + "\n\n");
        QCOMPARE(noSecret.exitCode, 2);
        QVERIFY2(noSecret.err.contains("secret access key: must not be empty"), noSecret.describe());

        const CliResult noTerminal = run(set, {}, {});
        QCOMPARE(noTerminal.exitCode, 2);
        QVERIFY2(noTerminal.err.contains("--stdin is required"), noTerminal.describe());

        const CliResult badName = run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--profile"),
                                       QStringLiteral("a b"), QStringLiteral("--stdin")},
                                      {}, QByteArray(kKeyId) + "\n" + QByteArray(kSecret) + "\n");
        QCOMPARE(badName.exitCode, 2);
        QVERIFY2(badName.err.contains("--profile: Profile name must be"), badName.describe());

        const CliResult noAction = run({QStringLiteral("credentials"), QStringLiteral("rotate")});
        QCOMPARE(noAction.exitCode, 2);
        QVERIFY2(noAction.err.contains("use set, list, remove or import"), noAction.describe());
    }

    void importFromTheAwsFiles()
    {
        writeFile(QStringLiteral(".aws/credentials"), testKeys("dev"));
        writeFile(QStringLiteral(".aws/config"),
                  "[profile dev]\nregion = us-east-2\n[profile role]\nrole_arn = "
                  "arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = dev\n");
        const CliResult imported = run({QStringLiteral("credentials"), QStringLiteral("import"),
                                        QStringLiteral("--aws-profile"), QStringLiteral("dev"),
                                        QStringLiteral("--profile"), QStringLiteral("dev-kc")});
        QVERIFY2(imported.exitCode == 0, imported.describe());
        QVERIFY2(imported.out.contains("from ~/.aws/credentials"), imported.describe());

        const CliResult list = run({QStringLiteral("credentials"), QStringLiteral("list")});
        QVERIFY2(list.exitCode == 0, list.describe());
        // The keychain copy, and both AWS-file profiles with their kinds.
        QVERIFY2(list.out.contains("dev-kc"), list.describe());
        QVERIFY2(list.out.contains("keychain"), list.describe());
        QVERIFY2(list.out.contains("static keys"), list.describe());
        QVERIFY2(list.out.contains("assume role"), list.describe());
        QVERIFY2(list.out.contains("us-east-2"), list.describe());

        const CliResult who = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("dev-kc")});
        QVERIFY2(who.exitCode == 0, who.describe());
        QVERIFY(who.out.contains("keychain:dev-kc"));

        const CliResult role = run({QStringLiteral("credentials"), QStringLiteral("import"),
                                    QStringLiteral("--aws-profile"), QStringLiteral("role")});
        QCOMPARE(role.exitCode, 2);
        QVERIFY2(role.err.contains("not static keys"), role.describe());
        run({QStringLiteral("credentials"), QStringLiteral("remove"), QStringLiteral("--profile"),
             QStringLiteral("dev-kc")});
    }

    void awsFileProfilesOnEveryCommand()
    {
        const QString script = m_home->filePath(QStringLiteral("helper.sh"));
        writeFile(QStringLiteral("helper.sh"),
                  "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}' "
                      + QByteArray(kKeyId) + " " + QByteArray(kSecret) + "\n");
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        writeFile(QStringLiteral(".aws/credentials"), testKeys("base"));
        writeFile(QStringLiteral(".aws/config"),
                  "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = base\n"
                  "role_session_name = cli-test\n[profile proc]\ncredential_process = "
                      + script.toUtf8() + "\n");
        const CliResult who = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("role"),
                                   QStringLiteral("--json")});
        QVERIFY2(who.exitCode == 0, who.describe());
        QCOMPARE(who.json().value(QStringLiteral("arn")).toString(),
                 QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/cli-test"));

        const CliResult sessions = run({QStringLiteral("sessions"), QStringLiteral("--profile"), QStringLiteral("role"),
                                        QStringLiteral("--json"), QStringLiteral("--debug")});
        QVERIFY2(sessions.exitCode == 0, sessions.describe());
        QVERIFY(sessions.json().value(QStringLiteral("count")).toInt() > 0);
        QVERIFY2(sessions.err.contains("credentials from aws-profile:role (assume role)"), sessions.describe());

        const CliResult proc = run({QStringLiteral("groups"), QStringLiteral("--profile"), QStringLiteral("proc")});
        QVERIFY2(proc.exitCode == 0, proc.describe());

        // AWS_PROFILE picks the files' profile when nothing else gives credentials.
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("proc"));
        const CliResult viaEnv = run({QStringLiteral("whoami"), QStringLiteral("--json")}, e);
        QVERIFY2(viaEnv.exitCode == 0, viaEnv.describe());
        QCOMPARE(viaEnv.json().value(QStringLiteral("credentialsSource")).toString(),
                 QStringLiteral("aws-profile:proc (credential_process)"));
    }

    void expiredSsoLoginSaysWhatToRun()
    {
        writeFile(QStringLiteral(".aws/config"),
                  "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = GlsExporterQA\n"
                  "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-west-2\n");
        const QString cache = QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex());
        writeFile(QStringLiteral(".aws/sso/cache/") + cache + QStringLiteral(".json"),
                  "{\"accessToken\": \"expired-token-value\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}");
        const CliResult who = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("sso")});
        QCOMPARE(who.exitCode, 2);
        QVERIFY2(who.err.contains("aws sso login --profile sso"), who.describe());
        QVERIFY(!who.err.contains("expired-token-value"));
    }

    void withoutAKeychainTheCliExplainsAndKeepsWorking()
    {
        QProcessEnvironment noBus = env();
        noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/gls-no-bus"));
        const CliResult set = run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--profile"),
                                   QStringLiteral("qa"), QStringLiteral("--stdin")},
                                  noBus, QByteArray(kKeyId) + "\n" + QByteArray(kSecret) + "\n");
        QCOMPARE(set.exitCode, 1);
        QVERIFY2(set.err.contains("No keychain is available"), set.describe());

        writeFile(QStringLiteral(".aws/credentials"), testKeys("default"));
        const CliResult list = run({QStringLiteral("credentials"), QStringLiteral("list")}, noBus);
        QVERIFY2(list.exitCode == 0, list.describe());
        QVERIFY(list.err.contains("No keychain is available"));
        QVERIFY(list.out.contains("default"));

        // Environment credentials (and the files) still work.
        QFile::remove(m_home->filePath(QStringLiteral(".aws/credentials")));
        noBus.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(kKeyId));
        noBus.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(kSecret));
        const CliResult groups = run({QStringLiteral("groups")}, noBus);
        QVERIFY2(groups.exitCode == 0, groups.describe());
    }

    void aSessionTokenIsKeptAndNeverShown()
    {
        const CliResult set = run({QStringLiteral("credentials"), QStringLiteral("set"), QStringLiteral("--profile"),
                                   QStringLiteral("temp"), QStringLiteral("--stdin")},
                                  {}, QByteArray(kKeyId) + "\n" + QByteArray(kSecret) + "\n" + kToken + "\n");
        QVERIFY2(set.exitCode == 0, set.describe());
        const CliResult list = run({QStringLiteral("credentials"), QStringLiteral("list")});
        QVERIFY(list.out.contains("temporary keys"));
        // The emulator knows no token for this key: refused, and the token stays unsaid.
        const CliResult who = run({QStringLiteral("whoami"), QStringLiteral("--profile"), QStringLiteral("temp"),
                                   QStringLiteral("--debug")});
        QVERIFY(who.exitCode != 0);
        QVERIFY2(who.err.contains("<redacted>") || who.err.contains("UnrecognizedClient")
                     || who.err.contains("InvalidClientTokenId"),
                 who.describe());
        run({QStringLiteral("credentials"), QStringLiteral("remove"), QStringLiteral("--profile"),
             QStringLiteral("temp")});
    }

    // Last: every flow above ran with the secret and the token; none may show.
    void zzNoSecretInAnyFileOrOutput()
    {
        QVERIFY(m_outputs.size() > 20);
        int files = 0;
        for (const QByteArray &output : std::as_const(m_outputs)) {
            QVERIFY2(!output.contains(kSecret), "an output holds the secret access key");
            QVERIFY2(!output.contains(kToken), "an output holds the session token");
        }
        for (const QString &home : std::as_const(m_homes)) {
            QDirIterator it(home, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (path.contains(QLatin1String("/.aws/")) || path.endsWith(QLatin1String("/helper.sh")))
                    continue; // what the test itself wrote with the keys in it: the AWS files, the helper
                QFile f(path);
                if (!f.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray bytes = f.readAll();
                ++files;
                QVERIFY2(!bytes.contains(kSecret), qPrintable(path + QStringLiteral(" holds the secret")));
                QVERIFY2(!bytes.contains(kToken), qPrintable(path + QStringLiteral(" holds the token")));
                QVERIFY2(!bytes.contains(QByteArray(kSecret).toBase64()), qPrintable(path));
            }
        }
        // The profile settings file was written (so the scan saw what the CLI writes).
        QVERIFY(files > 0);
    }
};

QTEST_GUILESS_MAIN(TestCliCredentials)
#include "tst_cli_credentials.moc"
