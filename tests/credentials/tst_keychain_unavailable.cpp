// With no keychain service, KeychainStore fails every operation quickly, says
// so in plain words, sets the unavailable flag and writes the secret nowhere.
//
// CTest starts this with DBUS_SESSION_BUS_ADDRESS pointing at a socket that
// does not exist. The other cases ("no bus address at all", "a bus without a
// Secret Service") re-run the same test functions in a child process of this
// executable: libsecret (which QtKeychain uses here) and GDBus keep one session
// bus connection per process, so a changed address would not be seen reliably
// by the process that already tried one.

#include "credentials/KeychainCredentialsProvider.h"
#include "credentials/KeychainStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace gls::creds;

namespace {

const QByteArray kKeyId = "AKIAIOSFODNN7EXAMPLE";
const QByteArray kSecret = "nOtStOrEd/K7MDENG/bPxRfiCYzEXAMPLEsecret";
const QByteArray kToken = "IQoJb3JpZ2luX2VjEXAMPLEunstoredSessionToken0123456789+/=";
constexpr int kQuickMs = 10000; // far below D-Bus's 25 s call timeout: nothing waits for one
constexpr char kChildVar[] = "GLS_KEYCHAIN_TEST_CHILD";

// Files under `root` whose bytes contain the secret or token, raw or base64.
QStringList filesHoldingSecrets(const QString &root)
{
    QStringList found;
    QDirIterator it(
        root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        for (const QByteArray &needle : {kSecret, kSecret.toBase64(), kToken, kToken.toBase64()}) {
            if (bytes.contains(needle)) {
                found.append(path);
                break;
            }
        }
    }
    return found;
}

} // namespace

class TestKeychainUnavailable : public QObject {
    Q_OBJECT

    QTemporaryDir m_sandbox;
    KeychainStore *m_store = nullptr;

    QString sandboxPath(const QString &sub) const { return m_sandbox.filePath(sub); }

    void checkUnavailable(const std::optional<KeychainResult> &got, qint64 elapsedMs)
    {
        QVERIFY2(got, "no answer");
        QVERIFY2(got->unavailable(), qPrintable(got->error));
        QCOMPARE(int(got->failure), int(KeychainFailure::Unavailable));
        QCOMPARE(got->error, KeychainStore::unavailableMessage());
        QVERIFY(got->profile.credentials.secretAccessKey.isEmpty());
        QVERIFY2(elapsedMs < kQuickMs, qPrintable(QString::number(elapsedMs)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_sandbox.isValid());
        // A private HOME and XDG dirs, set before anything reads them, so every
        // file this process could write lands where secretWrittenNowhere() looks.
        const QStringList dirs{QStringLiteral("home"), QStringLiteral("home/.local/share"),
            QStringLiteral("home/.config"), QStringLiteral("home/.cache"), QStringLiteral("home/.local/state"),
            QStringLiteral("runtime")};
        for (const QString &d : dirs)
            QVERIFY(QDir().mkpath(sandboxPath(d)));
        QFile::setPermissions(
            sandboxPath(QStringLiteral("runtime")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("HOME", QFile::encodeName(sandboxPath(QStringLiteral("home"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(sandboxPath(QStringLiteral("home/.local/share"))));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(sandboxPath(QStringLiteral("home/.config"))));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(sandboxPath(QStringLiteral("home/.cache"))));
        qputenv("XDG_STATE_HOME", QFile::encodeName(sandboxPath(QStringLiteral("home/.local/state"))));
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(sandboxPath(QStringLiteral("runtime"))));
        m_store
            = new KeychainStore(QStringLiteral("gls-exporter-test-%1").arg(QCoreApplication::applicationPid()), this);
    }

    void everyOperationFailsPlainly()
    {
        KeychainProfile p;
        p.name = QStringLiteral("qa");
        p.credentials = {kKeyId, kSecret, kToken};
        QElapsedTimer clock;
        std::optional<KeychainResult> got;

        clock.start();
        m_store->save(p, this, [&](const KeychainResult &r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 60000);
        checkUnavailable(got, clock.elapsed());

        got.reset();
        clock.restart();
        m_store->read(QStringLiteral("qa"), this, [&](const KeychainResult &r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 60000);
        checkUnavailable(got, clock.elapsed());

        got.reset();
        clock.restart();
        m_store->remove(QStringLiteral("qa"), this, [&](const KeychainResult &r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 60000);
        checkUnavailable(got, clock.elapsed());

        std::optional<KeychainListResult> listed;
        clock.restart();
        m_store->list(this, [&](const KeychainListResult &r) { listed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(listed.has_value(), 60000);
        QVERIFY2(listed->unavailable(), qPrintable(listed->error));
        QCOMPARE(listed->error, KeychainStore::unavailableMessage());
        QVERIFY(listed->profiles.isEmpty());
        QVERIFY(clock.elapsed() < kQuickMs);

        // The provider passes the same plain message on.
        KeychainCredentialsProvider provider(m_store, QStringLiteral("qa"));
        std::optional<gls::aws::CredentialsResult> fetched;
        provider.fetch(this, [&](const gls::aws::CredentialsResult &r) { fetched = r; });
        QTRY_VERIFY_WITH_TIMEOUT(fetched.has_value(), 60000);
        QVERIFY(!fetched->ok());
        QCOMPARE(fetched->source, QStringLiteral("keychain:qa"));
        QCOMPARE(fetched->error, KeychainStore::unavailableMessage());
    }

    void secretWrittenNowhere()
    {
        // The scan can see a secret: a canary file outside the sandbox holds one.
        QTemporaryDir canary;
        QFile f(canary.filePath(QStringLiteral("canary")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x" + kSecret.toBase64() + "y");
        f.close();
        QCOMPARE(filesHoldingSecrets(canary.path()).size(), 1);

        QCOMPARE(filesHoldingSecrets(m_sandbox.path()), QStringList());
    }

    void otherEnvironments_data()
    {
        QTest::addColumn<bool>("startBus");
        QTest::newRow("no bus address at all") << false;
        QTest::newRow("bus without a Secret Service") << true;
    }
    void otherEnvironments()
    {
        if (qEnvironmentVariableIsSet(kChildVar))
            QSKIP("already running as the child");
        QFETCH(bool, startBus);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kChildVar), QStringLiteral("1"));
        env.remove(QStringLiteral("DISPLAY")); // else GDBus would autolaunch a real bus
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));

        QProcess bus;
        QTemporaryDir busDir;
        const auto stopBus = qScopeGuard([&bus] {
            if (bus.state() != QProcess::NotRunning) {
                bus.terminate();
                bus.waitForFinished(20000);
            }
        });
        if (startBus) {
            if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
                QSKIP("dbus-daemon is not installed");
            // The stock session config lists the standard service directories, where
            // gnome-keyring's org.freedesktop.secrets is activatable: this one lists none.
            QFile config(busDir.filePath(QStringLiteral("session.conf")));
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                         "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                         "<busconfig><type>session</type><keep_umask/><listen>unix:tmpdir="
                + QFile::encodeName(busDir.path())
                + "</listen><auth>EXTERNAL</auth><policy context=\"default\">"
                  "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
                  "<allow own=\"*\"/></policy></busconfig>\n");
            config.close();
            bus.start(QStringLiteral("dbus-daemon"),
                {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--print-address"),
                    QStringLiteral("--nofork")});
            QVERIFY(bus.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(bus.canReadLine() || bus.state() != QProcess::Running, 20000);
            const QString address = QString::fromUtf8(bus.readLine().trimmed());
            QVERIFY2(address.startsWith(QStringLiteral("unix:")), qPrintable(bus.readAllStandardError()));
            env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), address);

            // The bus answers, and nothing on it is or can become a Secret Service.
            QProcess probe;
            probe.setProcessEnvironment(env);
            probe.start(QStringLiteral("dbus-send"),
                {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                    QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                    QStringLiteral("org.freedesktop.DBus.ListActivatableNames")});
            const auto stopProbe = qScopeGuard([&probe] {
                if (probe.state() != QProcess::NotRunning) {
                    probe.kill();
                    probe.waitForFinished();
                }
            });
            QVERIFY(probe.waitForFinished(20000));
            const QByteArray names = probe.readAllStandardOutput();
            QVERIFY2(probe.exitCode() == 0 && names.contains("org.freedesktop.DBus"),
                probe.readAllStandardError().constData());
            QVERIFY(!names.contains("org.freedesktop.secrets"));
        } else {
            env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        }

        QProcess child;
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(),
            {QStringLiteral("everyOperationFailsPlainly"), QStringLiteral("secretWrittenNowhere")});
        QVERIFY(child.waitForFinished(120000));
        const QByteArray output = child.readAll();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
        QVERIFY(output.contains("PASS   : TestKeychainUnavailable::everyOperationFailsPlainly()"));
        QVERIFY(!output.contains(kSecret) && !output.contains(kToken));
    }
};

QTEST_GUILESS_MAIN(TestKeychainUnavailable)
#include "tst_keychain_unavailable.moc"
