// KeychainStore and KeychainCredentialsProvider against the real Secret
// Service (gnome-keyring on the private session bus scripts/test.sh starts),
// with secret-tool as the outside witness of what was stored where.
// Secrets are compared with QVERIFY(a == b) so a failure never prints them.

#include "credentials/KeychainCredentialsProvider.h"
#include "credentials/KeychainStore.h"

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <optional>

using namespace gls::creds;

namespace {

const QByteArray kKeyId = "AKIAIOSFODNN7EXAMPLE";
const QByteArray kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const QByteArray kKeyId2 = "AKIAI44QH8DHBEXAMPLE";
const QByteArray kSecret2 = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
const QByteArray kTempKeyId = "ASIAQEXAMPLETEMP1234";
const QByteArray kTempSecret = "tEmPsEcReT/kEy+ExAmPlE0123456789abcdefgh";
const QByteArray kToken = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+abc/def==";

KeychainProfile profile(
    const QString &name, const QByteArray &keyId, const QByteArray &secret, const QByteArray &token = {})
{
    KeychainProfile p;
    p.name = name;
    p.credentials.accessKeyId = keyId;
    p.credentials.secretAccessKey = secret;
    p.credentials.sessionToken = token;
    return p;
}

constexpr int kWaitMs = 30000;

} // namespace

class TestKeychainStore : public QObject {
    Q_OBJECT

    QString m_service;
    KeychainStore *m_store = nullptr;

    std::optional<KeychainResult> save(const KeychainProfile &p)
    {
        std::optional<KeychainResult> got;
        m_store->save(p, this, [&](const KeychainResult &r) { got = r; });
        (void)QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs); // empty on timeout
        return got;
    }
    std::optional<KeychainResult> read(const QString &name)
    {
        std::optional<KeychainResult> got;
        m_store->read(name, this, [&](const KeychainResult &r) { got = r; });
        (void)QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs); // empty on timeout
        return got;
    }
    std::optional<KeychainResult> remove(const QString &name)
    {
        std::optional<KeychainResult> got;
        m_store->remove(name, this, [&](const KeychainResult &r) { got = r; });
        (void)QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs); // empty on timeout
        return got;
    }
    std::optional<KeychainListResult> list()
    {
        std::optional<KeychainListResult> got;
        m_store->list(this, [&](const KeychainListResult &r) { got = r; });
        (void)QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs); // empty on timeout
        return got;
    }

    static bool succeeded(const std::optional<KeychainResult> &got) { return got && got->ok(); }

    // secret-tool's view of one entry: {exit code, stdout}. Never printed.
    std::pair<int, QByteArray> lookup(const QString &key)
    {
        QProcess p;
        p.start(QStringLiteral("secret-tool"),
            {QStringLiteral("lookup"), QStringLiteral("server"), m_service, QStringLiteral("user"), key});
        if (!p.waitForFinished(kWaitMs))
            return {-1, {}};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput()};
    }
    // The keys ("user" attributes) of every item secret-tool finds for our service.
    QStringList storedKeys()
    {
        QProcess p;
        p.start(QStringLiteral("secret-tool"),
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), m_service});
        p.waitForFinished(kWaitMs);
        QStringList keys;
        const QList<QByteArray> lines = (p.readAllStandardOutput() + p.readAllStandardError()).split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("attribute.user = "))
                keys.append(QString::fromUtf8(line.mid(17)));
        }
        keys.sort();
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_service = QStringLiteral("gls-exporter-test-%1").arg(QCoreApplication::applicationPid());
        m_store = new KeychainStore(m_service, this);
        QCOMPARE(m_store->service(), m_service);
        QVERIFY2(
            !QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty(), "secret-tool is not installed");
        QCOMPARE(storedKeys(), QStringList());
    }

    void saveAndReadBack()
    {
        const auto saved = save(profile(QStringLiteral("qa"), kKeyId, kSecret));
        QVERIFY(saved);
        QVERIFY2(saved->ok(), qPrintable(saved->error));

        const auto got = read(QStringLiteral("qa"));
        QVERIFY(got);
        QVERIFY2(got->ok(), qPrintable(got->error));
        QCOMPARE(got->profile.name, QStringLiteral("qa"));
        QCOMPARE(got->profile.credentials.accessKeyId, kKeyId);
        QVERIFY(got->profile.credentials.secretAccessKey == kSecret);
        QVERIFY(got->profile.credentials.sessionToken.isEmpty());
    }

    void entryVisibleFromOutside()
    {
        QCOMPARE(storedKeys(), QStringList({QStringLiteral("index"), QStringLiteral("profile:qa")}));
        const auto [code, blob] = lookup(QStringLiteral("profile:qa"));
        QCOMPARE(code, 0);
        QVERIFY(blob.contains("access_key_id=" + kKeyId + '\n'));
        QVERIFY(blob.contains("secret_access_key=" + kSecret + '\n'));
        // The index holds names and hints, no secret and not the whole key ID.
        const auto [indexCode, index] = lookup(QStringLiteral("index"));
        QCOMPARE(indexCode, 0);
        QVERIFY(index.contains("\"qa\""));
        QVERIFY(index.contains("\"MPLE\""));
        QVERIFY(!index.contains(kSecret));
        QVERIFY(!index.contains(kKeyId));
    }

    void updateReplaces()
    {
        const auto before = list();
        QVERIFY(before && before->ok());
        QCOMPARE(before->profiles.size(), 1);

        const auto saved = save(profile(QStringLiteral("qa"), kKeyId2, kSecret2));
        QVERIFY(saved);
        QVERIFY2(saved->ok(), qPrintable(saved->error));
        const auto got = read(QStringLiteral("qa"));
        QVERIFY(got && got->ok());
        QCOMPARE(got->profile.credentials.accessKeyId, kKeyId2);
        QVERIFY(got->profile.credentials.secretAccessKey == kSecret2);

        const auto after = list();
        QVERIFY(after && after->ok());
        QCOMPARE(after->profiles.size(), 1);
        QCOMPARE(after->profiles.first().accessKeyIdSuffix, QStringLiteral("MPLE"));
        QVERIFY(after->profiles.first().savedAt >= before->profiles.first().savedAt);
        QCOMPARE(storedKeys(), QStringList({QStringLiteral("index"), QStringLiteral("profile:qa")}));
        const auto [code, blob] = lookup(QStringLiteral("profile:qa"));
        QCOMPARE(code, 0);
        QVERIFY(blob.contains("access_key_id=" + kKeyId2 + '\n'));
        QVERIFY(!blob.contains(kSecret)); // the old secret is gone, not kept beside the new one
    }

    void sessionTokenAndListMetadata()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-1);
        const auto saved = save(profile(QStringLiteral("temp.role_1-x"), kTempKeyId, kTempSecret, kToken));
        QVERIFY(saved);
        QVERIFY2(saved->ok(), qPrintable(saved->error));
        const QDateTime end = QDateTime::currentDateTimeUtc().addSecs(1);

        const auto got = read(QStringLiteral("temp.role_1-x"));
        QVERIFY(got && got->ok());
        QCOMPARE(got->profile.credentials.accessKeyId, kTempKeyId);
        QVERIFY(got->profile.credentials.secretAccessKey == kTempSecret);
        QVERIFY(got->profile.credentials.sessionToken == kToken);

        const auto listed = list();
        QVERIFY(listed);
        QVERIFY2(listed->ok(), qPrintable(listed->error));
        QCOMPARE(listed->profiles.size(), 2);
        const KeychainProfileInfo &qa = listed->profiles.at(0);
        const KeychainProfileInfo &temp = listed->profiles.at(1);
        QCOMPARE(qa.name, QStringLiteral("qa"));
        QCOMPARE(qa.accessKeyIdSuffix, QStringLiteral("MPLE"));
        QVERIFY(!qa.hasSessionToken);
        QCOMPARE(temp.name, QStringLiteral("temp.role_1-x"));
        QCOMPARE(temp.accessKeyIdSuffix, QStringLiteral("1234"));
        QVERIFY(temp.hasSessionToken);
        QVERIFY2(temp.savedAt >= start && temp.savedAt <= end, qPrintable(temp.savedAt.toString(Qt::ISODateWithMs)));
        QCOMPARE(temp.savedAt.timeSpec(), Qt::UTC);

        const auto [indexCode, index] = lookup(QStringLiteral("index"));
        QCOMPARE(indexCode, 0);
        QVERIFY(!index.contains(kToken));
        QVERIFY(!index.contains(kTempSecret));
    }

    void providerFetchesProfile()
    {
        KeychainCredentialsProvider provider(m_store, QStringLiteral("temp.role_1-x"));
        std::optional<gls::aws::CredentialsResult> got;
        provider.fetch(this, [&](const gls::aws::CredentialsResult &r) { got = r; });
        QVERIFY(QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs));
        QVERIFY2(got->ok(), qPrintable(got->error));
        QCOMPARE(got->source, QStringLiteral("keychain:temp.role_1-x"));
        QCOMPARE(got->credentials.accessKeyId, kTempKeyId);
        QVERIFY(got->credentials.secretAccessKey == kTempSecret);
        QVERIFY(got->credentials.sessionToken == kToken);
        QVERIFY(!got->expiration.isValid());

        KeychainCredentialsProvider missing(m_store, QStringLiteral("nobody"));
        got.reset();
        missing.fetch(this, [&](const gls::aws::CredentialsResult &r) { got = r; });
        QVERIFY(QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs));
        QVERIFY(!got->ok());
        QCOMPARE(got->source, QStringLiteral("keychain:nobody"));
        QCOMPARE(got->error, QStringLiteral("No keychain profile named \"nobody\"."));
    }

    void profilesAreIndependent()
    {
        QVERIFY(succeeded(remove(QStringLiteral("qa"))));
        const auto temp = read(QStringLiteral("temp.role_1-x"));
        QVERIFY(temp && temp->ok());
        QVERIFY(temp->profile.credentials.secretAccessKey == kTempSecret);
        QVERIFY(temp->profile.credentials.sessionToken == kToken);
        const auto listed = list();
        QVERIFY(listed && listed->ok());
        QCOMPARE(listed->profiles.size(), 1);
        QCOMPARE(listed->profiles.first().name, QStringLiteral("temp.role_1-x"));
    }

    void removedIsGone()
    {
        const auto gone = read(QStringLiteral("qa"));
        QVERIFY(gone);
        QVERIFY(!gone->ok());
        QVERIFY(gone->notFound());
        QVERIFY(!gone->unavailable());
        QCOMPARE(gone->error, QStringLiteral("No keychain profile named \"qa\"."));
        QCOMPARE(lookup(QStringLiteral("profile:qa")).first, 1);

        const auto again = remove(QStringLiteral("qa"));
        QVERIFY(again && again->notFound());
        QCOMPARE(again->error, QStringLiteral("No keychain profile named \"qa\"."));

        QVERIFY(succeeded(remove(QStringLiteral("temp.role_1-x"))));
        // The last profile gone takes the index with it: nothing of ours is left.
        QCOMPARE(storedKeys(), QStringList());
        const auto listed = list();
        QVERIFY(listed && listed->ok());
        QVERIFY(listed->profiles.isEmpty());
    }

    void invalidNamesRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("65 chars") << QString(65, u'a');
        QTest::newRow("space") << QStringLiteral("my profile");
        QTest::newRow("slash") << QStringLiteral("a/b");
        QTest::newRow("colon") << QStringLiteral("profile:x");
        QTest::newRow("non-ASCII") << QStringLiteral("caf\u00e9");
        QTest::newRow("newline") << QStringLiteral("a\nb");
    }
    void invalidNamesRefused()
    {
        QFETCH(QString, name);
        const QString rule = QStringLiteral("Profile name must be 1 to 64 characters, each a letter (A-Z, a-z), a "
                                            "digit, '.', '_' or '-'.");
        QCOMPARE(KeychainStore::validateName(name), rule);
        for (const auto &got : {save(profile(name, kKeyId, kSecret)), read(name), remove(name)}) {
            QVERIFY(got);
            QCOMPARE(int(got->failure), int(KeychainFailure::InvalidInput));
            QCOMPARE(got->error, rule);
        }
        QCOMPARE(storedKeys(), QStringList());
    }

    void validNameLimits()
    {
        QVERIFY(KeychainStore::validateName(QString(64, u'z')).isEmpty());
        QVERIFY(KeychainStore::validateName(QStringLiteral("A.b_C-9")).isEmpty());
    }

    void emptyCredentialsRefused()
    {
        const auto noSecret = save(profile(QStringLiteral("qa"), kKeyId, {}));
        QVERIFY(noSecret);
        QCOMPARE(int(noSecret->failure), int(KeychainFailure::InvalidInput));
        QVERIFY(noSecret->error.startsWith(QStringLiteral("Secret access key is empty")));
        const auto noKey = save(profile(QStringLiteral("qa"), {}, kSecret));
        QVERIFY(noKey);
        QVERIFY(noKey->error.startsWith(QStringLiteral("Access key ID is empty")));
        const auto spaced = save(profile(QStringLiteral("qa"), kKeyId, kSecret + " x"));
        QVERIFY(spaced);
        QCOMPARE(int(spaced->failure), int(KeychainFailure::InvalidInput));
        QVERIFY(!spaced->error.contains(QString::fromLatin1(kSecret)));
        QCOMPARE(storedKeys(), QStringList());
    }

    void destroyedContextIsNotCalled()
    {
        bool called = false;
        {
            QObject context;
            m_store->save(profile(QStringLiteral("ctx"), kKeyId, kSecret), &context,
                [&](const KeychainResult &) { called = true; });
        }
        // Operations run in order: once remove() answers, the save has finished.
        QVERIFY(succeeded(remove(QStringLiteral("ctx"))));
        QVERIFY(!called);
        QCOMPARE(storedKeys(), QStringList());
    }

    void queuedOperationsRunInOrder()
    {
        QStringList answered;
        for (const QString &name : {QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3")})
            m_store->save(profile(name, kKeyId, kSecret), this,
                [&answered, name](const KeychainResult &r) { answered.append(r.ok() ? name : r.error); });
        const auto listed = list();
        QVERIFY(listed && listed->ok());
        QCOMPARE(answered, QStringList({QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3")}));
        QCOMPARE(listed->profiles.size(), 3); // no save lost its index update to another
        for (const QString &name : answered)
            QVERIFY(succeeded(remove(name)));
        QCOMPARE(storedKeys(), QStringList());
    }

    void cleanupTestCase()
    {
        // Leave nothing behind even if a test failed half-way.
        if (const auto listed = list(); listed && listed->ok()) {
            for (const KeychainProfileInfo &p : listed->profiles)
                remove(p.name);
        }
        for (const QString &key : storedKeys()) {
            QProcess::execute(QStringLiteral("secret-tool"),
                {QStringLiteral("clear"), QStringLiteral("server"), m_service, QStringLiteral("user"), key});
        }
        QCOMPARE(storedKeys(), QStringList());
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        fprintf(stderr,
            "SKIP: DBUS_SESSION_BUS_ADDRESS is not set, so there is no Secret Service to test "
            "against. Run through scripts/test.sh (a private dbus-run-session with an unlocked "
            "gnome-keyring).\n");
        return 77;
    }
    QCoreApplication app(argc, argv);
    TestKeychainStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychainstore.moc"
