// The AWS config and credentials files as a user writes them, in temporary
// HOMEs: what the files say (sections, comments, sub-sections, precedence),
// what a broken file tells the user, which credentials each profile uses, the
// region / CA bundle / endpoint settings, and the SSO token cache. Where
// botocore is installed, the same files are read by it too and the two must
// agree.

#include "aws/Clock.h"
#include "credentials/AwsConfigFiles.h"
#include "credentials/ConfigSettings.h"
#include "credentials/ProfileClassifier.h"
#include "credentials/SsoTokenCache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gls::creds;

namespace {

// A throw-away HOME with real files in it.
class TempHome {
public:
    TempHome() { m_env.insert(QStringLiteral("HOME"), m_dir.path()); }
    QString path() const { return m_dir.path(); }
    QString write(const QString &relative, const QByteArray &content)
    {
        const QString full = m_dir.path() + u'/' + relative;
        QDir().mkpath(QFileInfo(full).absolutePath());
        QFile f(full);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(full));
        f.write(content);
        return full;
    }
    QString config(const QByteArray &content) { return write(QStringLiteral(".aws/config"), content); }
    QString credentials(const QByteArray &content) { return write(QStringLiteral(".aws/credentials"), content); }
    QProcessEnvironment &env() { return m_env; }
    AwsConfigFiles load() const { return AwsConfigFiles::load(m_env); }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
};

// Asks botocore the same question about the same files. Modes: profiles,
// scoped, region, ca_bundle, creds, endpoint:<service>.
const char *kBotocoreScript = "\n"
                              "import json, sys\n"
                              "out = {}\n"
                              "try:\n"
                              "    import botocore.session\n"
                              "    mode, profile = sys.argv[1], sys.argv[2]\n"
                              "    s = botocore.session.Session(profile=profile)\n"
                              "    if mode == 'profiles':\n"
                              "        out['profiles'] = s.available_profiles\n"
                              "    elif mode == 'scoped':\n"
                              "        out['scoped'] = s.get_scoped_config()\n"
                              "    elif mode in ('region', 'ca_bundle', 'max_attempts'):\n"
                              "        out['value'] = s.get_config_variable(mode)\n"
                              "    elif mode == 'creds':\n"
                              "        c = s.get_credentials()\n"
                              "        out['method'] = c.method if c else None\n"
                              "    elif mode.startswith('endpoint:'):\n"
                              "        c = s.create_client(mode[len('endpoint:'):], region_name='us-east-1')\n"
                              "        out['value'] = c.meta.endpoint_url\n"
                              "except Exception as e:\n"
                              "    out['error'] = type(e).__name__\n"
                              "print(json.dumps(out))\n"
                              "";

bool botocoreAvailable()
{
    static const bool available = [] {
        QProcess p;
        p.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import botocore")});
        return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }();
    return available;
}

QJsonObject askBotocore(const QProcessEnvironment &env, const QString &mode, const QString &profile)
{
    QProcessEnvironment pyEnv;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys()) {
        if (!key.startsWith(QLatin1String("AWS_")))
            pyEnv.insert(key, system.value(key));
    }
    pyEnv.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    pyEnv.insert(env);
    QProcess p;
    p.setProcessEnvironment(pyEnv);
    p.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(kBotocoreScript), mode, profile});
    if (!p.waitForFinished(60000))
        return {{QStringLiteral("error"), QStringLiteral("timeout")}};
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

#define REQUIRE_BOTOCORE()                                                                                             \
    do {                                                                                                               \
        if (!botocoreAvailable())                                                                                      \
            QSKIP("python3 with botocore is not installed");                                                           \
    } while (false)

QString kindName(CredentialSource s)
{
    return toString(s);
}

} // namespace

class TestAwsConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sectionKinds();
    void commentsAndSyntax();
    void subSections();
    void defaultSectionFeedsEverySection();
    void credentialsFileWinsPerKey();
    void filesFromEnvironment();
    void missingFilesAreNotErrors();
    void malformedFile_data();
    void malformedFile();
    void classify_data();
    void classify();
    void roleChain();
    void assumeRoleParameters();
    void ssoParameters();
    void staticKeysParameters();
    void region_data();
    void region();
    void caBundleAndMaxAttempts();
    void endpointUrl_data();
    void endpointUrl();
    void ssoCacheKeyMatchesBotocore();
    void ssoToken_data();
    void ssoToken();
    void ssoTokenMissing();
};

void TestAwsConfig::sectionKinds()
{
    TempHome home;
    home.config("[default]\nregion = eu-west-1\n"
                "[profile dev]\nregion = us-east-2\n"
                "[profile \"my team\"]\nregion = us-west-2\n"
                "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n"
                "[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n"
                "[preview]\nregion = ap-south-1\n"
                "[dev2]\nregion = ap-south-1\n"
                "[profile two words]\nregion = ap-south-1\n"); // needs quotes to be a profile
    home.credentials("[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = not-a-secret\n"
                     "[profile odd]\naws_access_key_id = AKIDODD\naws_secret_access_key = x\n");
    const AwsConfigFiles files = home.load();
    QVERIFY2(files.ok(), qPrintable(files.errors().join(u'\n')));
    QCOMPARE(files.profileNames(), (QStringList{"default", "ci", "dev", "my team", "profile odd"}));
    QVERIFY(!files.hasProfile(QStringLiteral("preview")));
    QVERIFY(!files.hasProfile(QStringLiteral("dev2")));
    QVERIFY(!files.hasProfile(QStringLiteral("two words")));
    QCOMPARE(files.profile(QStringLiteral("my team")).value(QStringLiteral("region")), QStringLiteral("us-west-2"));
    QCOMPARE(files.profile(QStringLiteral("dev")).origin().line, 3);
    QCOMPARE(
        files.profile(QStringLiteral("dev")).origin().describe(home.path()), QStringLiteral("~/.aws/config line 3"));
    QVERIFY(files.ssoSession(QStringLiteral("corp")));
    QCOMPARE(
        files.ssoSession(QStringLiteral("corp"))->value(QStringLiteral("sso_region")), QStringLiteral("eu-central-1"));
    QVERIFY(files.servicesSection(QStringLiteral("local")));
    QCOMPARE(
        files.servicesSection(QStringLiteral("local"))->subValue(QStringLiteral("s3"), QStringLiteral("endpoint_url")),
        QStringLiteral("http://127.0.0.1:9000"));
    QVERIFY(!files.ssoSession(QStringLiteral("dev")));

    REQUIRE_BOTOCORE();
    QStringList theirs;
    for (const QJsonValue &v : askBotocore(home.env(), QStringLiteral("profiles"), QStringLiteral("dev"))
                                   .value(QStringLiteral("profiles"))
                                   .toArray())
        theirs.append(v.toString());
    std::sort(theirs.begin(), theirs.end());
    QStringList ours = files.profileNames();
    std::sort(ours.begin(), ours.end());
    QCOMPARE(ours, theirs);
}

void TestAwsConfig::commentsAndSyntax()
{
    TempHome home;
    home.config("# a comment before any section\n"
                "; another\n"
                "\n"
                "[profile p]\n"
                "region=us-east-1\n"
                "  # an indented comment\n"
                "Output : json\n"
                "cli_pager =\n"
                "tag = blue # not a comment: botocore keeps it\n"
                "retry_mode   =   standard   \n"
                "endpoint_url = http://localhost:8080/x=y\n"
                "; done\n");
    const AwsConfigFiles files = home.load();
    QVERIFY2(files.ok(), qPrintable(files.errors().join(u'\n')));
    const AwsProfile p = files.profile(QStringLiteral("p"));
    QCOMPARE(p.value(QStringLiteral("region")), QStringLiteral("us-east-1"));
    QCOMPARE(p.value(QStringLiteral("output")), QStringLiteral("json"));
    QVERIFY(p.contains(QStringLiteral("cli_pager")));
    QCOMPARE(p.value(QStringLiteral("cli_pager")), QString());
    QCOMPARE(p.value(QStringLiteral("tag")), QStringLiteral("blue # not a comment: botocore keeps it"));
    QCOMPARE(p.value(QStringLiteral("retry_mode")), QStringLiteral("standard"));
    QCOMPARE(p.value(QStringLiteral("endpoint_url")), QStringLiteral("http://localhost:8080/x=y"));

    REQUIRE_BOTOCORE();
    const QJsonObject scoped = askBotocore(home.env(), QStringLiteral("scoped"), QStringLiteral("p"))
                                   .value(QStringLiteral("scoped"))
                                   .toObject();
    QCOMPARE(scoped.keys().size(), p.section(ConfigFileKind::Config)->keys().size());
    for (const QString &key : scoped.keys())
        QCOMPARE(p.value(key), scoped.value(key).toString());
}

void TestAwsConfig::subSections()
{
    TempHome home;
    home.config("[profile p]\n"
                "s3 =\n"
                "  endpoint_url = http://127.0.0.1:9000\n"
                "\n"
                "  Addressing_Style = path\n"
                "region = us-east-1\n"
                "note = first\n"
                "  second\n");
    const AwsConfigFiles files = home.load();
    QVERIFY2(files.ok(), qPrintable(files.errors().join(u'\n')));
    const AwsProfile p = files.profile(QStringLiteral("p"));
    QCOMPARE(p.subValue(QStringLiteral("s3"), QStringLiteral("endpoint_url")), QStringLiteral("http://127.0.0.1:9000"));
    QCOMPARE(p.subValue(QStringLiteral("s3"), QStringLiteral("Addressing_Style")), QStringLiteral("path"));
    QCOMPARE(p.subValue(QStringLiteral("s3"), QStringLiteral("addressing_style")), QString()); // case as written
    QCOMPARE(p.value(QStringLiteral("region")), QStringLiteral("us-east-1"));
    QCOMPARE(p.value(QStringLiteral("note")), QStringLiteral("first\nsecond")); // not a sub-section

    REQUIRE_BOTOCORE();
    const QJsonObject scoped = askBotocore(home.env(), QStringLiteral("scoped"), QStringLiteral("p"))
                                   .value(QStringLiteral("scoped"))
                                   .toObject();
    const QJsonObject s3 = scoped.value(QStringLiteral("s3")).toObject();
    QCOMPARE(s3.keys(), (QStringList{"Addressing_Style", "endpoint_url"}));
    QCOMPARE(s3.value(QStringLiteral("endpoint_url")).toString(), QStringLiteral("http://127.0.0.1:9000"));
    QCOMPARE(scoped.value(QStringLiteral("note")).toString(), p.value(QStringLiteral("note")));
}

void TestAwsConfig::defaultSectionFeedsEverySection()
{
    TempHome home;
    home.config("[DEFAULT]\nregion = eu-north-1\n[profile a]\noutput = json\n[profile b]\nregion = us-east-1\n");
    const AwsConfigFiles files = home.load();
    QVERIFY2(files.ok(), qPrintable(files.errors().join(u'\n')));
    QCOMPARE(files.profileNames(), (QStringList{"a", "b"}));
    QCOMPARE(files.profile(QStringLiteral("a")).value(QStringLiteral("region")), QStringLiteral("eu-north-1"));
    QCOMPARE(files.profile(QStringLiteral("b")).value(QStringLiteral("region")), QStringLiteral("us-east-1"));

    REQUIRE_BOTOCORE();
    QCOMPARE(askBotocore(home.env(), QStringLiteral("region"), QStringLiteral("a"))
                 .value(QStringLiteral("value"))
                 .toString(),
        QStringLiteral("eu-north-1"));
}

void TestAwsConfig::credentialsFileWinsPerKey()
{
    TempHome home;
    const QString configPath = home.config("[default]\nregion = us-west-1\noutput = json\n"
                                           "[profile both]\nregion = eu-west-1\nca_bundle = /etc/cfg.pem\n");
    const QString credentialsPath = home.credentials("[both]\nregion = eu-west-3\n"
                                                     "aws_access_key_id = AKIDBOTH\naws_secret_access_key = x\n");
    const AwsConfigFiles files = home.load();
    QVERIFY(files.ok());
    const AwsProfile p = files.profile(QStringLiteral("both"));
    QCOMPARE(p.value(QStringLiteral("region")), QStringLiteral("eu-west-3"));
    QCOMPARE(p.value(QStringLiteral("ca_bundle")), QStringLiteral("/etc/cfg.pem"));
    QCOMPARE(p.origin().path, configPath);
    QCOMPARE(p.originOf(QStringLiteral("region")).path, credentialsPath);
    QCOMPARE(p.originOf(QStringLiteral("region")).line, 2);
    QCOMPARE(resolveRegion(home.env(), files, QStringLiteral("both")).origin,
        QStringLiteral("region in profile \"both\" (~/.aws/credentials line 2)"));

    REQUIRE_BOTOCORE();
    QCOMPARE(askBotocore(home.env(), QStringLiteral("region"), QStringLiteral("both"))
                 .value(QStringLiteral("value"))
                 .toString(),
        QStringLiteral("eu-west-3"));
    QCOMPARE(askBotocore(home.env(), QStringLiteral("ca_bundle"), QStringLiteral("both"))
                 .value(QStringLiteral("value"))
                 .toString(),
        QStringLiteral("/etc/cfg.pem"));
}

void TestAwsConfig::filesFromEnvironment()
{
    TempHome home;
    home.config("[profile ignored]\nregion = x\n");
    const QString cfg = home.write(QStringLiteral("elsewhere/cfg"), "[profile moved]\nregion = sa-east-1\n");
    const QString creds = home.write(QStringLiteral("elsewhere/creds"),
        "[movedcreds]\naws_access_key_id = A\n"
        "aws_secret_access_key = B\n");
    home.env().insert(QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/elsewhere/cfg"));
    home.env().insert(QStringLiteral("GLS_SUBDIR"), QStringLiteral("elsewhere"));
    home.env().insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("$HOME/${GLS_SUBDIR}/creds"));
    const AwsConfigFiles files = home.load();
    QVERIFY(files.ok());
    QCOMPARE(files.configPath(), cfg);
    QCOMPARE(files.credentialsPath(), creds);
    QCOMPARE(files.profileNames(), (QStringList{"moved", "movedcreds"}));

    REQUIRE_BOTOCORE();
    QCOMPARE(askBotocore(home.env(), QStringLiteral("region"), QStringLiteral("moved"))
                 .value(QStringLiteral("value"))
                 .toString(),
        QStringLiteral("sa-east-1"));
}

void TestAwsConfig::missingFilesAreNotErrors()
{
    TempHome home;
    QDir(home.path()).mkpath(QStringLiteral(".aws/credentials")); // a directory: botocore ignores it too
    const AwsConfigFiles files = home.load();
    QVERIFY(files.ok());
    QVERIFY(files.profileNames().isEmpty());
    QCOMPARE(files.configPath(), home.path() + QStringLiteral("/.aws/config"));
    QString error;
    QCOMPARE(
        kindName(gls::creds::classify(files, QStringLiteral("default"), &error)), kindName(CredentialSource::None));
    QVERIFY(error.contains(QStringLiteral("\"default\"")));
    QVERIFY(!resolveRegion(home.env(), files, QStringLiteral("default")).isSet());
}

void TestAwsConfig::malformedFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no section header") << QByteArray("# hi\nregion = us-east-1\n[default]\n") << 2
                                       << QStringLiteral("expected a [section] header");
    QTest::newRow("line without =") << QByteArray("[default]\nregion = x\naws_secret_access_key wJalrSECRET\n") << 3
                                    << QStringLiteral("expected \"key = value\" or a [section] header");
    QTest::newRow("empty key") << QByteArray("[default]\n= value\n") << 2 << QStringLiteral("expected a key");
    QTest::newRow("duplicate section") << QByteArray("[profile a]\nregion = x\n\n[profile a]\n") << 4
                                       << QStringLiteral("section [profile a] already appears at line 1");
    QTest::newRow("duplicate key") << QByteArray("[default]\nregion = x\nRegion = y\n") << 3
                                   << QStringLiteral("key \"region\" is already set in [default] at line 2");
    QTest::newRow("bad sub-section line") << QByteArray("[default]\ns3 =\n  endpoint_url = x\n  oops\n") << 4
                                          << QStringLiteral("indented block under \"s3\"");
}

void TestAwsConfig::malformedFile()
{
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(QString, expected);
    TempHome home;
    const QString path = home.config(content);
    home.credentials("[good]\naws_access_key_id = AKIDGOOD\naws_secret_access_key = x\n");
    const AwsConfigFiles files = home.load();
    QVERIFY(!files.ok());
    QCOMPARE(files.errors().size(), 1);
    const QString message = files.errors().constFirst();
    QVERIFY2(message.startsWith(QStringLiteral("%1 line %2: ").arg(path).arg(line)), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY(!message.contains(QStringLiteral("wJalrSECRET")));
    // The bad file contributes nothing; the good one is still there.
    QCOMPARE(files.profileNames(), QStringList{QStringLiteral("good")});

    REQUIRE_BOTOCORE();
    const QJsonObject theirs = askBotocore(home.env(), QStringLiteral("region"), QStringLiteral("good"));
    QVERIFY2(theirs.contains(QStringLiteral("error")), "botocore accepted a file we refuse");
}

void TestAwsConfig::classify_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<CredentialSource>("kind");
    QTest::addColumn<QString>("error"); // a fragment; empty: no error
    QTest::addColumn<bool>("crossCheck");

    using C = CredentialSource;
    QTest::newRow("static in credentials") << "static" << C::StaticKeys << "" << true;
    QTest::newRow("static in config") << "cfgstatic" << C::StaticKeys << "" << true;
    QTest::newRow("process") << "proc" << C::Process << "" << true;
    QTest::newRow("credentials keys beat process") << "procandcreds" << C::StaticKeys << "" << true;
    QTest::newRow("process beats config keys") << "procandcfg" << C::Process << "" << true;
    QTest::newRow("role from static source") << "role" << C::AssumeRole << "" << true;
    QTest::newRow("role_arn beats own keys") << "rolewithkeys" << C::AssumeRole << "" << true;
    QTest::newRow("role chain") << "rolechain" << C::AssumeRole << "" << true;
    QTest::newRow("role from Environment") << "roleenv" << C::AssumeRole << "" << true;
    QTest::newRow("own source with keys") << "selfkeys" << C::AssumeRole << "" << true;
    QTest::newRow("sso session") << "sso" << C::Sso << "" << true;
    QTest::newRow("sso legacy") << "ssolegacy" << C::Sso << "" << true;
    QTest::newRow("nothing") << "empty" << C::None << "" << true;

    QTest::newRow("role without source")
        << "nosource" << C::None
        << "profile \"nosource\" (~/.aws/config line 26): role_arn needs source_profile or credential_source" << true;
    QTest::newRow("both sources") << "bothsources" << C::None << "both source_profile and credential_source" << true;
    QTest::newRow("missing source") << "ghostsource" << C::None << "source_profile \"ghost\" does not exist" << true;
    QTest::newRow("cycle") << "loopa" << C::None << "source_profile loops: loopa -> loopb -> loopa" << true;
    QTest::newRow("own source without keys")
        << "selfloop" << C::None << "source_profile loops: selfloop -> selfloop" << true;
    QTest::newRow("source without credentials") << "roleemptysource" << C::None << "has no credentials" << true;
    QTest::newRow("imds not supported") << "roleimds" << C::None << "\"Ec2InstanceMetadata\" is not supported here"
                                        << false;
    QTest::newRow("unknown credential_source") << "rolebogus" << C::None << "\"Bogus\" is not valid" << true;
    QTest::newRow("duration too short") << "shortrole" << C::None << "duration_seconds must be" << false;
    QTest::newRow("duration not a number") << "wordrole" << C::None << "duration_seconds must be" << false;
    QTest::newRow("sso missing keys") << "ssohalf" << C::None << "missing sso_start_url, sso_region, sso_role_name"
                                      << true;
    QTest::newRow("sso session missing") << "ssonosession" << C::None << "no [sso-session nowhere] section" << true;
    QTest::newRow("sso conflict") << "ssoconflict" << C::None << "sso_region is \"us-east-1\" here but \"eu-west-1\""
                                  << true;
    QTest::newRow("access key without secret") << "halfkeys" << C::None << "aws_secret_access_key is missing" << true;
    QTest::newRow("web identity") << "webid" << C::None << "web_identity_token_file" << false;
    QTest::newRow("unknown profile") << "nobody" << C::None << "The profile \"nobody\" is not in ~/.aws/config" << true;
}

void TestAwsConfig::classify()
{
    QFETCH(QString, profile);
    QFETCH(CredentialSource, kind);
    QFETCH(QString, error);
    QFETCH(bool, crossCheck);

    TempHome home;
    home.config(
        "[profile cfgstatic]\n"                                    // 1
        "aws_access_key_id = AKIDCFG\naws_secret_access_key = x\n" // 2-3
        "[profile proc]\n"                                         // 4
        "credential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": \"s\"}'\n"
        "[profile procandcreds]\ncredential_process = /bin/false\n" // 6-7
        "[profile procandcfg]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", "
        "\"SecretAccessKey\": \"s\"}'\naws_access_key_id = AKIDCFG\naws_secret_access_key = x\n" // 8-11
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = static\n" // 12-14
        "[profile rolewithkeys]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = static\n"
        "aws_access_key_id = AKIDRK\naws_secret_access_key = x\n"                                   // 15-19
        "[profile rolechain]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = role\n" // 20-22
        "[profile roleenv]\nrole_arn = arn:aws:iam::123456789012:role/e\n"                          // 23-24
        "credential_source = Environment\n"                                                         // 25
        "[profile nosource]\nrole_arn = arn:aws:iam::123456789012:role/n\n"                         // 26-27
        "[profile bothsources]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = static\n"
        "credential_source = Environment\n"
        "[profile ghostsource]\nrole_arn = arn:aws:iam::1:role/g\nsource_profile = ghost\n"
        "[profile loopa]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loopb\n"
        "[profile loopb]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loopa\n"
        "[profile selfkeys]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = selfkeys\n"
        "aws_access_key_id = AKIDSELF\naws_secret_access_key = x\n"
        "[profile selfloop]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = selfloop\n"
        "[profile roleemptysource]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = empty\n"
        "[profile roleimds]\nrole_arn = arn:aws:iam::1:role/i\ncredential_source = Ec2InstanceMetadata\n"
        "[profile rolebogus]\nrole_arn = arn:aws:iam::1:role/i\ncredential_source = Bogus\n"
        "[profile shortrole]\nrole_arn = arn:aws:iam::1:role/i\nsource_profile = static\n"
        "duration_seconds = 100\n"
        "[profile wordrole]\nrole_arn = arn:aws:iam::1:role/i\nsource_profile = static\n"
        "duration_seconds = an hour\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Reader\n"
        "[profile ssolegacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 123456789012\nsso_role_name = Reader\n"
        "[profile ssohalf]\nsso_account_id = 123456789012\n"
        "[profile ssonosession]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n"
        "[profile ssoconflict]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 1\n"
        "sso_role_name = R\n"
        "[profile empty]\nregion = us-east-1\n"
        "[profile webid]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /tmp/token\n");
    home.credentials("[static]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = x\n"
                     "[procandcreds]\naws_access_key_id = AKIDPC\naws_secret_access_key = x\n"
                     "[halfkeys]\naws_access_key_id = AKIDHALF\n");
    const AwsConfigFiles files = home.load();
    QVERIFY2(files.ok(), qPrintable(files.errors().join(u'\n')));
    QString message;
    const CredentialSource got = gls::creds::classify(files, profile, &message);
    QVERIFY2(error.isEmpty() ? message.isEmpty() : message.contains(error), qPrintable(message));
    QCOMPARE(kindName(got), kindName(kind));

    if (!crossCheck)
        return;
    REQUIRE_BOTOCORE();
    QProcessEnvironment env = home.env();
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("x"));
    const QJsonObject theirs = askBotocore(env, QStringLiteral("creds"), profile);
    if (!error.isEmpty()) {
        QVERIFY2(theirs.contains(QStringLiteral("error")), "botocore accepted a profile we refuse");
        return;
    }
    static const QMap<QString, QString> methods{{"shared-credentials-file", "static keys"},
        {"config-file", "static keys"}, {"custom-process", "credential_process"}, {"assume-role", "assume role"},
        {"sso", "SSO"}};
    QVERIFY2(!theirs.contains(QStringLiteral("error")), qPrintable(theirs.value(QStringLiteral("error")).toString()));
    const QJsonValue method = theirs.value(QStringLiteral("method"));
    QCOMPARE(
        method.isNull() ? QStringLiteral("none") : methods.value(method.toString(), method.toString()), kindName(kind));
}

void TestAwsConfig::roleChain()
{
    TempHome home;
    home.config("[profile top]\nrole_arn = arn:aws:iam::1:role/t\nsource_profile = mid\n"
                "[profile mid]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\n"
                "[profile base]\nrole_arn = arn:aws:iam::1:role/ignored\nsource_profile = nowhere\n"
                "[profile envrole]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n");
    home.credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = x\n");
    const AwsConfigFiles files = home.load();
    QString error;
    // base has static keys, so its own role_arn (and broken source) is not followed.
    QCOMPARE(sourceProfileChain(files, QStringLiteral("top"), &error), (QStringList{"top", "mid", "base"}));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(kindName(classifyAsSource(files, QStringLiteral("base"), &error)), kindName(CredentialSource::StaticKeys));
    QCOMPARE(kindName(classifyAsSource(files, QStringLiteral("mid"), &error)), kindName(CredentialSource::AssumeRole));
    QCOMPARE(sourceProfileChain(files, QStringLiteral("envrole"), &error), QStringList{QStringLiteral("envrole")});
}

void TestAwsConfig::assumeRoleParameters()
{
    TempHome home;
    home.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/Exporter\nsource_profile = s\n"
                "external_id = ext-42\nrole_session_name = gls\nduration_seconds = 3600\n"
                "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
                "[profile s]\naws_access_key_id = A\naws_secret_access_key = B\n");
    const AwsConfigFiles files = home.load();
    QString error;
    const std::optional<AssumeRoleConfig> role = readAssumeRoleConfig(files, QStringLiteral("r"), &error);
    QVERIFY2(role, qPrintable(error));
    QCOMPARE(role->roleArn, QStringLiteral("arn:aws:iam::123456789012:role/Exporter"));
    QCOMPARE(role->sourceProfile, QStringLiteral("s"));
    QVERIFY(role->credentialSource.isEmpty());
    QCOMPARE(role->externalId, QStringLiteral("ext-42"));
    QCOMPARE(role->roleSessionName, QStringLiteral("gls"));
    QCOMPARE(role->durationSeconds, std::optional<int>(3600));
    QCOMPARE(role->mfaSerial, QStringLiteral("arn:aws:iam::123456789012:mfa/me"));
    QVERIFY(!readAssumeRoleConfig(files, QStringLiteral("s"), &error));
    QVERIFY(error.contains(QStringLiteral("has no role_arn")));
}

void TestAwsConfig::ssoParameters()
{
    TempHome home;
    home.config("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
                "sso_registration_scopes = sso:account:access, codewhisperer:completions\n"
                "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n"
                "region = us-east-1\n"
                "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-west-2\n"
                "sso_account_id = 444455556666\nsso_role_name = Old\n");
    const AwsConfigFiles files = home.load();
    QString error;
    const std::optional<SsoConfig> dev = readSsoConfig(files, QStringLiteral("dev"), &error);
    QVERIFY2(dev, qPrintable(error));
    QCOMPARE(dev->startUrl, QStringLiteral("https://corp.awsapps.com/start"));
    QCOMPARE(dev->ssoRegion, QStringLiteral("eu-west-1"));
    QCOMPARE(dev->accountId, QStringLiteral("111122223333"));
    QCOMPARE(dev->roleName, QStringLiteral("Dev"));
    QCOMPARE(dev->sessionName, QStringLiteral("corp"));
    QCOMPARE(dev->registrationScopes, (QStringList{"sso:account:access", "codewhisperer:completions"}));
    const std::optional<SsoConfig> old = readSsoConfig(files, QStringLiteral("old"), &error);
    QVERIFY2(old, qPrintable(error));
    QVERIFY(old->isLegacy());
    QCOMPARE(old->startUrl, QStringLiteral("https://old.awsapps.com/start"));
    QCOMPARE(old->ssoRegion, QStringLiteral("us-west-2"));
}

void TestAwsConfig::staticKeysParameters()
{
    TempHome home;
    home.config("[profile k]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = cfgsecret\n");
    home.credentials("[k]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = credsecret\n"
                     "aws_session_token = tok-session\naws_security_token = tok-security\n");
    const AwsConfigFiles files = home.load();
    QString error;
    const std::optional<StaticKeysConfig> keys = readStaticKeys(files, QStringLiteral("k"), &error);
    QVERIFY2(keys, qPrintable(error));
    QCOMPARE(keys->accessKeyId, QStringLiteral("AKIDCREDS"));
    QVERIFY(keys->secretAccessKey == "credsecret");
    QVERIFY(keys->sessionToken == "tok-security"); // botocore reads aws_security_token first
    QCOMPARE(keys->origin.describe(home.path()), QStringLiteral("~/.aws/credentials line 2"));
}

void TestAwsConfig::region_data()
{
    QTest::addColumn<QString>("awsRegion");
    QTest::addColumn<QString>("awsDefaultRegion");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("origin");
    QTest::newRow("AWS_REGION wins") << "eu-west-1"
                                     << "us-west-2"
                                     << "eu-west-1"
                                     << "AWS_REGION";
    QTest::newRow("AWS_DEFAULT_REGION next") << ""
                                             << "us-west-2"
                                             << "us-west-2"
                                             << "AWS_DEFAULT_REGION";
    QTest::newRow("profile last") << ""
                                  << ""
                                  << "ap-southeast-2"
                                  << "region in profile \"p\" (~/.aws/config line 2)";
}

void TestAwsConfig::region()
{
    QFETCH(QString, awsRegion);
    QFETCH(QString, awsDefaultRegion);
    QFETCH(QString, expected);
    QFETCH(QString, origin);
    TempHome home;
    home.config("[profile p]\nregion = ap-southeast-2\n");
    if (!awsRegion.isEmpty())
        home.env().insert(QStringLiteral("AWS_REGION"), awsRegion);
    if (!awsDefaultRegion.isEmpty())
        home.env().insert(QStringLiteral("AWS_DEFAULT_REGION"), awsDefaultRegion);
    const Setting got = resolveRegion(home.env(), home.load(), QStringLiteral("p"));
    QCOMPARE(got.value, expected);
    QCOMPARE(got.origin, origin);

    // botocore 1.43 does not read AWS_REGION (the newer SDKs do): compare the rest.
    if (!awsRegion.isEmpty())
        return;
    REQUIRE_BOTOCORE();
    QCOMPARE(askBotocore(home.env(), QStringLiteral("region"), QStringLiteral("p"))
                 .value(QStringLiteral("value"))
                 .toString(),
        expected);
}

void TestAwsConfig::caBundleAndMaxAttempts()
{
    TempHome home;
    home.config("[profile p]\nca_bundle = /etc/profile.pem\nmax_attempts = 7\n[profile bad]\nmax_attempts = lots\n");
    const AwsConfigFiles files = home.load();
    QCOMPARE(resolveCaBundle(home.env(), files, QStringLiteral("p")).value, QStringLiteral("/etc/profile.pem"));
    QString error;
    QCOMPARE(resolveMaxAttempts(home.env(), files, QStringLiteral("p"), &error), std::optional<int>(7));
    QVERIFY(!resolveMaxAttempts(home.env(), files, QStringLiteral("bad"), &error));
    QVERIFY2(error.contains(QStringLiteral("max_attempts from max_attempts in profile \"bad\"")), qPrintable(error));
    QVERIFY(!resolveMaxAttempts(home.env(), files, QStringLiteral("nobody"), &error));
    QVERIFY(error.isEmpty());

    QProcessEnvironment env = home.env();
    env.insert(QStringLiteral("AWS_CA_BUNDLE"), QStringLiteral("/etc/env.pem"));
    env.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("3"));
    QCOMPARE(resolveCaBundle(env, files, QStringLiteral("p")).value, QStringLiteral("/etc/env.pem"));
    QCOMPARE(resolveCaBundle(env, files, QStringLiteral("p")).origin, QStringLiteral("AWS_CA_BUNDLE"));
    QCOMPARE(resolveMaxAttempts(env, files, QStringLiteral("bad"), &error), std::optional<int>(3));

    REQUIRE_BOTOCORE();
    QCOMPARE(
        askBotocore(env, QStringLiteral("ca_bundle"), QStringLiteral("p")).value(QStringLiteral("value")).toString(),
        QStringLiteral("/etc/env.pem"));
    QCOMPARE(askBotocore(home.env(), QStringLiteral("max_attempts"), QStringLiteral("p"))
                 .value(QStringLiteral("value"))
                 .toInt(),
        7);
}

void TestAwsConfig::endpointUrl_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QStringList>("env"); // NAME=VALUE
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const QStringList none;
    QTest::newRow("service variable first")
        << "full"
        << "sts" << QStringList{"AWS_ENDPOINT_URL_STS=http://env-sts:1", "AWS_ENDPOINT_URL=http://env-all:2"}
        << "http://env-sts:1"
        << "";
    QTest::newRow("gameliftstreams variable")
        << "full"
        << "gameliftstreams" << QStringList{"AWS_ENDPOINT_URL_GAMELIFTSTREAMS=http://env-gls:1"} << "http://env-gls:1"
        << "";
    QTest::newRow("global variable next")
        << "full"
        << "sts" << QStringList{"AWS_ENDPOINT_URL=http://env-all:2"} << "http://env-all:2"
        << "";
    QTest::newRow("services section next") << "full"
                                           << "sts" << none << "http://svc-sts:3"
                                           << "";
    QTest::newRow("s3 in services section") << "full"
                                            << "s3" << none << "http://svc-s3:4"
                                            << "";
    QTest::newRow("profile endpoint_url last") << "full"
                                               << "sso" << none << "http://profile:5"
                                               << "";
    QTest::newRow("ignored by variable") << "full"
                                         << "sts"
                                         << QStringList{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=TRUE",
                                                "AWS_ENDPOINT_URL=http://env-all:2"}
                                         << ""
                                         << "";
    QTest::newRow("ignored by profile") << "ignoring"
                                        << "sts" << QStringList{"AWS_ENDPOINT_URL=http://env-all:2"} << ""
                                        << "";
    QTest::newRow("variable false beats profile true")
        << "ignoring"
        << "sts" << QStringList{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false"} << "http://profile:6"
        << "";
    QTest::newRow("nothing configured") << "plain"
                                        << "sts" << none << ""
                                        << "";
    QTest::newRow("missing services section") << "dangling"
                                              << "sts" << none << ""
                                              << "services = gone names no [services gone] section";
}

void TestAwsConfig::endpointUrl()
{
    QFETCH(QString, profile);
    QFETCH(QString, service);
    QFETCH(QStringList, env);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    TempHome home;
    home.config("[services local]\n"
                "sts =\n  endpoint_url = http://svc-sts:3\n"
                "s3 =\n  endpoint_url = http://svc-s3:4\n"
                "[profile full]\nservices = local\nendpoint_url = http://profile:5\n"
                "[profile ignoring]\nignore_configured_endpoint_urls = true\nendpoint_url = http://profile:6\n"
                "[profile plain]\nregion = us-east-1\n"
                "[profile dangling]\nservices = gone\n");
    for (const QString &pair : env)
        home.env().insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    QString message;
    const Setting got = resolveEndpointUrl(home.env(), home.load(), profile, service, &message);
    QCOMPARE(got.value, expected);
    QVERIFY2(error.isEmpty() ? message.isEmpty() : message.contains(error), qPrintable(message));

    if (service == QLatin1String("gameliftstreams"))
        return; // not every botocore knows the service
    REQUIRE_BOTOCORE();
    const QJsonObject theirs = askBotocore(home.env(), QStringLiteral("endpoint:") + service, profile);
    if (!error.isEmpty()) {
        QVERIFY(theirs.contains(QStringLiteral("error")));
        return;
    }
    const QString url = theirs.value(QStringLiteral("value")).toString();
    if (expected.isEmpty())
        QVERIFY2(url.contains(QStringLiteral("amazonaws.com")), qPrintable(url));
    else
        QCOMPARE(url, expected);
}

void TestAwsConfig::ssoCacheKeyMatchesBotocore()
{
    SsoConfig session;
    session.sessionName = QStringLiteral("corp");
    session.startUrl = QStringLiteral("https://corp.awsapps.com/start");
    SsoConfig legacy;
    legacy.startUrl = QStringLiteral("https://old.awsapps.com/start");
    // Known SHA-1s: of "corp", and of the legacy start URL.
    QCOMPARE(SsoTokenCache::cacheKey(session),
        QString::fromLatin1(QCryptographicHash::hash("corp", QCryptographicHash::Sha1).toHex()));
    QCOMPARE(SsoTokenCache::cacheKey(session).size(), 40);

    REQUIRE_BOTOCORE();
    QProcess p;
    p.start(QStringLiteral("python3"),
        {QStringLiteral("-c"),
            QStringLiteral("from botocore.utils import SSOTokenLoader as L; l = L();"
                           "print(l._generate_cache_key('https://corp.awsapps.com/start', 'corp'));"
                           "print(l._generate_cache_key('https://old.awsapps.com/start', None))")});
    QVERIFY(p.waitForFinished(60000));
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(SsoTokenCache::cacheKey(session), lines.at(0));
    QCOMPARE(SsoTokenCache::cacheKey(legacy), lines.at(1));
}

void TestAwsConfig::ssoToken_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail");

    const QDateTime now(QDate(2026, 11, 28), QTime(21, 0), QTimeZone::utc());
    Q_UNUSED(now);
    using S = SsoTokenCache::Status;
    QTest::newRow("valid, Z") << QByteArray("{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T22:00:00Z\"}")
                              << int(S::Ok) << "";
    QTest::newRow("valid, fraction") << QByteArray(
        "{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T21:00:00.500Z\"}")
                                     << int(S::Ok) << "";
    QTest::newRow("valid, UTC suffix") << QByteArray(
        "{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T21:30:00UTC\"}")
                                       << int(S::Ok) << "";
    QTest::newRow("offset: already expired")
        << QByteArray("{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T21:30:00+01:00\"}") << int(S::Expired)
        << "expired at 2026-11-28T20:30:00Z";
    QTest::newRow("expired") << QByteArray("{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T20:59:59Z\"}")
                             << int(S::Expired) << "expired";
    QTest::newRow("expires exactly now") << QByteArray(
        "{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T21:00:00Z\"}")
                                         << int(S::Expired) << "expired";
    QTest::newRow("not JSON") << QByteArray("{\"accessToken\": \"tok-abc\", ") << int(S::Malformed)
                              << "is not a JSON object";
    QTest::newRow("no expiresAt") << QByteArray("{\"accessToken\": \"tok-abc\"}") << int(S::Malformed)
                                  << "has no accessToken or expiresAt";
    QTest::newRow("bad date") << QByteArray("{\"accessToken\": \"tok-abc\", \"expiresAt\": \"tomorrow\"}")
                              << int(S::Malformed) << "is not an RFC 3339 time";
    QTest::newRow("no zone") << QByteArray("{\"accessToken\": \"tok-abc\", \"expiresAt\": \"2026-11-28T22:00:00\"}")
                             << int(S::Malformed) << "is not an RFC 3339 time";
}

void TestAwsConfig::ssoToken()
{
    QFETCH(QByteArray, json);
    QFETCH(int, status);
    QFETCH(QString, detail);
    TempHome home;
    home.config("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
                "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n");
    const AwsConfigFiles files = home.load();
    QString error;
    const std::optional<SsoConfig> sso = readSsoConfig(files, QStringLiteral("dev"), &error);
    QVERIFY2(sso, qPrintable(error));
    const QString dir = SsoTokenCache::defaultDirectory(home.env());
    QCOMPARE(dir, home.path() + QStringLiteral("/.aws/sso/cache"));
    gls::aws::ManualClock clock(QDateTime(QDate(2026, 11, 28), QTime(21, 0), QTimeZone::utc()));
    const SsoTokenCache cache(dir, clock);
    home.write(QStringLiteral(".aws/sso/cache/") + SsoTokenCache::cacheKey(*sso) + QStringLiteral(".json"), json);

    SsoTokenCache::Result result = cache.load(*sso, QStringLiteral("dev"));
    QCOMPARE(int(result.status), status);
    if (status == int(SsoTokenCache::Status::Ok)) {
        QVERIFY(result.accessToken == "tok-abc");
        QVERIFY(result.error.isEmpty());
        QByteArray token;
        QVERIFY(cache.loadToken(*sso, QStringLiteral("dev"), &token, &error));
        QVERIFY(token == "tok-abc");
        // The same token an hour later is expired.
        clock.advanceMs(3600 * 1000);
        QCOMPARE(int(cache.load(*sso, QStringLiteral("dev")).status), int(SsoTokenCache::Status::Expired));
        return;
    }
    QVERIFY(result.accessToken.isEmpty());
    QCOMPARE(result.error,
        QStringLiteral("The SSO session for profile \"dev\" has expired or you are not logged in: "
                       "run \"aws sso login --profile dev\"."));
    QVERIFY2(result.detail.contains(detail), qPrintable(result.detail));
    QVERIFY(!result.error.contains(QStringLiteral("tok-abc")));
    QVERIFY(!result.detail.contains(QStringLiteral("tok-abc")));
}

void TestAwsConfig::ssoTokenMissing()
{
    TempHome home;
    home.config("[profile \"old team\"]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-west-2\n"
                "sso_account_id = 444455556666\nsso_role_name = Old\n");
    QString error;
    const std::optional<SsoConfig> sso = readSsoConfig(home.load(), QStringLiteral("old team"), &error);
    QVERIFY2(sso, qPrintable(error));
    gls::aws::ManualClock clock(QDateTime(QDate(2026, 11, 28), QTime(21, 0), QTimeZone::utc()));
    const SsoTokenCache cache(SsoTokenCache::defaultDirectory(home.env()), clock);
    QVERIFY(cache.cacheFilePath(*sso).endsWith(SsoTokenCache::cacheKey(*sso) + QStringLiteral(".json")));
    QByteArray token;
    QVERIFY(!cache.loadToken(*sso, QStringLiteral("old team"), &token, &error));
    QVERIFY(token.isEmpty());
    QCOMPARE(error,
        QStringLiteral("The SSO session for profile \"old team\" has expired or you are not logged in: "
                       "run \"aws sso login --profile 'old team'\"."));
    QCOMPARE(int(cache.load(*sso, QStringLiteral("old team")).status), int(SsoTokenCache::Status::Missing));
}

QTEST_GUILESS_MAIN(TestAwsConfig)
#include "tst_awsconfig.moc"
