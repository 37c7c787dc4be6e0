// credential_process through real child processes: small /bin/sh scripts
// written into a temporary folder play the credential helper. What a user
// notices: the credentials arrive, or an error that names the profile and says
// what went wrong, without ever echoing a secret.

#include "aws/Clock.h"
#include "credentials/ProcessCredentialsProvider.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>

using namespace gls;
using gls::creds::ProcessCredentialsProvider;

namespace {

const QDateTime T0 = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
// Fake values shaped like real ones; they must never appear in an error.
const QByteArray FakeSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
const QByteArray FakeToken = "IQoJb3JpZ2luX2VjEFAKEtokenValue0123456789abcdefXYZ";

QByteArray credsJson(const QByteArray &extra = QByteArray())
{
    return "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESSTEST1\", \"SecretAccessKey\": \"" + FakeSecret + "\"" + extra
        + "}";
}

struct Got {
    bool called = false;
    int calls = 0;
    aws::CredentialsResult result;
};

std::shared_ptr<Got> fetchInto(aws::CredentialsProvider &provider, QObject *context)
{
    auto got = std::make_shared<Got>();
    provider.fetch(context, [got](const aws::CredentialsResult &r) {
        got->called = true;
        ++got->calls;
        got->result = r;
    });
    return got;
}

int lineCount(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return int(f.readAll().count('\n'));
}

} // namespace

class TestProcessCredentials : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    aws::ManualClock m_clock{T0};
    int m_scripts = 0;

    // Writes an executable /bin/sh script and returns its path.
    QString script(const QByteArray &body, const QString &subdir = QString())
    {
        QDir dir(m_dir.path());
        if (!subdir.isEmpty()) {
            dir.mkpath(subdir);
            dir.cd(subdir);
        }
        const QString path = dir.filePath(QStringLiteral("helper%1.sh").arg(++m_scripts));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return QString();
        f.write("#!/bin/sh\n" + body + "\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return path;
    }
    QString printing(const QByteArray &stdoutText)
    {
        QFile out(m_dir.filePath(QStringLiteral("out%1.json").arg(m_scripts + 1)));
        if (!out.open(QIODevice::WriteOnly))
            return QString();
        out.write(stdoutText);
        out.close();
        return script("cat '" + out.fileName().toUtf8() + "'");
    }
    static QString quoted(const QString &path) { return QLatin1Char('\'') + path + QLatin1Char('\''); }

    aws::CredentialsResult run(const QString &command, int timeoutMs = 20000)
    {
        ProcessCredentialsProvider provider(command, QStringLiteral("dev"), &m_clock);
        provider.setTimeoutMs(timeoutMs);
        const auto got = fetchInto(provider, this);
        if (!QTest::qWaitFor([&] { return got->called; }, 30000))
            return {};
        return got->result;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void plainCredentials()
    {
        const aws::CredentialsResult r = run(quoted(printing(credsJson())));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.credentials.accessKeyId, QByteArray("AKIDPROCESSTEST1"));
        QVERIFY(r.credentials.secretAccessKey == FakeSecret);
        QVERIFY(r.credentials.sessionToken.isEmpty());
        QVERIFY(!r.expiration.isValid()); // does not expire
        QCOMPARE(r.source, QStringLiteral("process:dev"));
    }

    void temporaryCredentials_data()
    {
        QTest::addColumn<QByteArray>("expiration");
        QTest::addColumn<QDateTime>("expected");
        const QDateTime oneHour = T0.addSecs(3600);
        QTest::newRow("Z") << QByteArray("2026-01-01T01:00:00Z") << oneHour;
        QTest::newRow("milliseconds") << QByteArray("2026-01-01T01:00:00.250Z") << oneHour.addMSecs(250);
        QTest::newRow("offset") << QByteArray("2026-01-01T02:00:00+01:00") << oneHour;
        QTest::newRow("no offset is UTC") << QByteArray("2026-01-01T01:00:00") << oneHour;
    }
    void temporaryCredentials()
    {
        QFETCH(QByteArray, expiration);
        QFETCH(QDateTime, expected);
        const aws::CredentialsResult r = run(quoted(
            printing(credsJson(", \"SessionToken\": \"" + FakeToken + "\", \"Expiration\": \"" + expiration + "\""))));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.credentials.sessionToken == FakeToken);
        QCOMPARE(r.expiration, expected);
        QCOMPARE(r.expiration.timeSpec(), Qt::UTC);
    }

    void failureShowsStderrButNeverStdout()
    {
        // The helper prints credentials, then fails: stdout must not leak, and
        // secrets on stderr are blanked.
        QFile out(m_dir.filePath(QStringLiteral("failing.json")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(credsJson(", \"SessionToken\": \"" + FakeToken + "\""));
        out.close();
        const QString path = script("cat '" + out.fileName().toUtf8()
            + "'\n"
              "echo 'helper: your session expired, run helper login' >&2\n"
              "echo 'debug: key "
            + FakeSecret
            + " token=abcDEF123ghiJKL456' >&2\n"
              "head -c 2000 /dev/zero | tr '\\0' x >&2\n"
              "exit 3");
        const aws::CredentialsResult r = run(quoted(path));
        QVERIFY(!r.ok());
        QVERIFY(r.credentials.accessKeyId.isEmpty());
        QVERIFY(r.error.contains(QStringLiteral("'dev'")));
        QVERIFY(r.error.contains(QStringLiteral("exit code 3")));
        QVERIFY(r.error.contains(QStringLiteral("your session expired, run helper login")));
        QVERIFY(r.error.contains(QStringLiteral("<redacted>")));
        QVERIFY(!r.error.contains(QString::fromLatin1(FakeSecret)));
        QVERIFY(!r.error.contains(QString::fromLatin1(FakeToken)));
        QVERIFY(!r.error.contains(QStringLiteral("abcDEF123ghiJKL456")));
        QVERIFY(!r.error.contains(QStringLiteral("AKIDPROCESSTEST1"))); // stdout is never shown
        QVERIFY(r.error.size() < 600);                                  // stderr is cut short
    }

    void stdoutWordsRepeatedOnStderrAreBlanked()
    {
        // Messages are not printed on failure here: they could hold the secret.
        // A secret that looks like plain words is caught because the helper
        // also printed it on standard output.
        const QString path = script("echo '{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": "
                                    "\"correcthorsebatterystaple\"}'\n"
                                    "echo 'refusing to use correcthorsebatterystaple here' >&2\nexit 1");
        const aws::CredentialsResult r = run(quoted(path));
        QVERIFY(!r.ok());
        QVERIFY(r.error.contains(QStringLiteral("refusing to use <redacted> here")));
        QVERIFY(!r.error.contains(QStringLiteral("correcthorse")));
    }

    void failureWithoutStderr()
    {
        const aws::CredentialsResult r = run(quoted(script("exit 42")));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("exit code 42")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("no error message")), qPrintable(r.error));
    }

    void badOutput_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("Enter MFA code:") << QStringLiteral("did not print JSON");
        QTest::newRow("cut short") << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \""
            + FakeSecret) << QStringLiteral("did not print JSON");
        QTest::newRow("array") << QByteArray("[1]") << QStringLiteral("did not print a JSON object");
        QTest::newRow("no Version") << QByteArray("{\"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"" + FakeSecret
            + "\"}") << QStringLiteral("printed no Version");
        QTest::newRow("Version 2") << QByteArray("{\"Version\": 2, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \""
            + FakeSecret + "\"}") << QStringLiteral("printed Version 2; only Version 1");
        QTest::newRow("Version as string") << QByteArray(
            "{\"Version\": \"1\", \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"" + FakeSecret + "\"}")
                                           << QStringLiteral("printed Version \"1\"");
        QTest::newRow("no AccessKeyId") << QByteArray("{\"Version\": 1, \"SecretAccessKey\": \"" + FakeSecret + "\"}")
                                        << QStringLiteral("printed no AccessKeyId");
        QTest::newRow("no SecretAccessKey") << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"AKID\"}")
                                            << QStringLiteral("printed no SecretAccessKey");
        QTest::newRow("empty SecretAccessKey")
            << QByteArray("{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": \"\"}")
            << QStringLiteral("printed no SecretAccessKey");
        QTest::newRow("unparseable Expiration")
            << credsJson(", \"Expiration\": \"next tuesday\"") << QStringLiteral("not an RFC 3339 time");
        QTest::newRow("expired") << credsJson(", \"Expiration\": \"2025-12-31T23:00:00Z\"")
                                 << QStringLiteral("expired at 2025-12-31T23:00:00Z");
        QTest::newRow("expires now") << credsJson(", \"Expiration\": \"2026-01-01T00:00:00Z\"")
                                     << QStringLiteral("expired at");
    }
    void badOutput()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, expected);
        const aws::CredentialsResult r = run(quoted(printing(output)));
        QVERIFY(!r.ok());
        QVERIFY(r.credentials.accessKeyId.isEmpty() && r.credentials.secretAccessKey.isEmpty());
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("profile 'dev'")), qPrintable(r.error));
        QVERIFY(!r.error.contains(QString::fromLatin1(FakeSecret)));
        QCOMPARE(r.source, QStringLiteral("process:dev"));
    }

    void commandNotFound_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("on PATH") << QStringLiteral("gls-no-such-credential-helper --profile dev");
        QTest::newRow("full path") << QStringLiteral("/nonexistent/gls/helper");
    }
    void commandNotFound()
    {
        QFETCH(QString, command);
        const aws::CredentialsResult r = run(command);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("was not found")), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("profile 'dev'")), qPrintable(r.error));
        QVERIFY2(!r.error.contains(QStringLiteral("--profile")), qPrintable(r.error)); // arguments are not echoed
    }

    void notExecutable()
    {
        const QString path = script("exit 0");
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        const aws::CredentialsResult r = run(quoted(path));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("could not be started")), qPrintable(r.error));
    }

    void unbalancedQuote()
    {
        const aws::CredentialsResult r = run(QStringLiteral("helper \"--name=a b"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(QStringLiteral("quotation mark")), qPrintable(r.error));
    }

    void argumentsWithSpacesAndQuotes()
    {
        // The helper itself lives in a folder with a space, and accepts only
        // exactly these three arguments.
        const QString path = script("[ \"$#\" = 3 ] && [ \"$1\" = 'a b' ] && [ \"$2\" = \"it's\" ] && "
                                    "[ \"$3\" = 'x\"y\\z' ] || { echo \"bad arguments ($#)\" >&2; exit 9; }\n"
                                    "cat <<'EOF'\n"
                + credsJson() + "\nEOF",
            QStringLiteral("dir with space"));
        const QString command = quoted(path) + QStringLiteral(" \"a b\" 'it'\\''s' \"x\\\"y\\\\z\"");
        const aws::CredentialsResult r = run(command);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.credentials.accessKeyId, QByteArray("AKIDPROCESSTEST1"));
    }

    void splitLikePythonShlex_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("plain") << QStringLiteral("helper --profile dev");
        QTest::newRow("double quotes") << QStringLiteral("\"/opt/my tools/helper\" --x");
        QTest::newRow("single quotes") << QStringLiteral("'it'\\''s' '\"' '\\n'");
        QTest::newRow("escaped space") << QStringLiteral("a\\ b c");
        QTest::newRow("escapes in double quotes") << QStringLiteral("\"a\\\"b\" \"c\\\\d\" \"e\\$f\" \"g\\nh\"");
        QTest::newRow("empty argument") << QStringLiteral("x \"\" y ''");
        QTest::newRow("whitespace") << QStringLiteral("  lead \t  trail  ");
        QTest::newRow("glued") << QStringLiteral("a\"b c\"d'e f'g");
        QTest::newRow("no comments") << QStringLiteral("helper #not-a-comment");
        QTest::newRow("unicode") << QStringLiteral("h\u00e9lper \"w\u00f6rld x\"");
        QTest::newRow("empty") << QString();
    }
    void splitLikePythonShlex()
    {
        // Python's shlex is what botocore uses: it is the witness.
        QFETCH(QString, command);
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 is not installed");
        QProcess p;
        p.start(python,
            {QStringLiteral("-c"), QStringLiteral("import json,shlex,sys;print(json.dumps(shlex.split(sys.argv[1])))"),
                command});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QStringList expected;
        for (const QJsonValue &v : QJsonDocument::fromJson(p.readAllStandardOutput()).array())
            expected.append(v.toString());
        QString error;
        QCOMPARE(ProcessCredentialsProvider::splitCommand(command, &error), expected);
        QVERIFY(error.isEmpty());
    }

    void splitErrors()
    {
        QString error;
        QVERIFY(ProcessCredentialsProvider::splitCommand(QStringLiteral("a 'b"), &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(ProcessCredentialsProvider::splitCommand(QStringLiteral("a \"b"), &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(ProcessCredentialsProvider::splitCommand(QStringLiteral("a b\\"), &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QCOMPARE(ProcessCredentialsProvider::splitCommand(QStringLiteral("a b"), &error),
            QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(error.isEmpty());
    }

    void timeoutKillsTheHelper()
    {
        const QString pidFile = m_dir.filePath(QStringLiteral("sleeper.pid"));
        const QString path = script("echo $$ > '" + pidFile.toUtf8() + "'\nexec sleep 60");
        ProcessCredentialsProvider provider(quoted(path), QStringLiteral("dev"), &m_clock);
        provider.setTimeoutMs(500);
        QElapsedTimer elapsed;
        elapsed.start();
        const auto got = fetchInto(provider, this);
        QTRY_VERIFY_WITH_TIMEOUT(got->called, 20000);
        QVERIFY2(elapsed.elapsed() < 15000, "the timeout did not end the wait");
        QVERIFY(!got->result.ok());
        QVERIFY2(
            got->result.error.contains(QStringLiteral("did not finish within 0.5 s")), qPrintable(got->result.error));
        QVERIFY(!provider.isRunning());

        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const pid_t pid = pid_t(f.readAll().trimmed().toInt());
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 10000); // killed and reaped
    }

    void concurrentFetchesShareOneRun()
    {
        // The helper counts its runs, then blocks reading a FIFO until the test
        // lets it go, so the later fetches surely arrive while it runs.
        const QString counter = m_dir.filePath(QStringLiteral("runs.txt"));
        const QString fifo = m_dir.filePath(QStringLiteral("go.fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString path = script("echo run >> '" + counter.toUtf8() + "'\nread line < '" + fifo.toUtf8()
            + "'\ncat <<'EOF'\n" + credsJson() + "\nEOF");
        ProcessCredentialsProvider provider(quoted(path), QStringLiteral("dev"), &m_clock);
        const auto release = [&] {
            QFile go(fifo);
            if (!go.open(QIODevice::WriteOnly)) // rendezvous with the helper's read
                return false;
            go.write("go\n");
            return true;
        };

        const auto first = fetchInto(provider, this);
        QTRY_COMPARE(lineCount(counter), 1);
        QVERIFY(provider.isRunning());
        const auto second = fetchInto(provider, this);
        const auto third = fetchInto(provider, this);
        QVERIFY(release());
        QTRY_VERIFY(first->called && second->called && third->called);
        for (const auto &got : {first, second, third}) {
            QVERIFY2(got->result.ok(), qPrintable(got->result.error));
            QCOMPARE(got->calls, 1);
            QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDPROCESSTEST1"));
        }
        QCOMPARE(lineCount(counter), 1);

        // Nothing is cached here: the next fetch runs the helper again.
        const auto fourth = fetchInto(provider, this);
        QTRY_COMPARE(lineCount(counter), 2);
        QVERIFY(release());
        QTRY_VERIFY(fourth->called);
        QVERIFY(fourth->result.ok());
    }

    void destroyedContextIsNotCalled()
    {
        ProcessCredentialsProvider provider(quoted(printing(credsJson())), QStringLiteral("dev"), &m_clock);
        auto context = std::make_unique<QObject>();
        const auto dropped = fetchInto(provider, context.get());
        const auto kept = fetchInto(provider, this);
        context.reset();
        QTRY_VERIFY(kept->called);
        QVERIFY(!dropped->called);
    }

    void stderrExcerptRedacts()
    {
        const QString e = ProcessCredentialsProvider::stderrExcerpt(
            "error: AKIAIOSFODNN7EXAMPLE denied; password: hunter2\nsee /usr/lib/python3/dist-packages/x.py",
            QByteArray());
        QVERIFY(!e.contains(QStringLiteral("AKIAIOSFODNN7EXAMPLE")));
        QVERIFY(!e.contains(QStringLiteral("hunter2")));
        QVERIFY(e.contains(QStringLiteral("/usr/lib/python3/dist-packages/x.py"))); // paths stay
        QVERIFY(!e.contains(u'\n'));
    }
};

QTEST_GUILESS_MAIN(TestProcessCredentials)
#include "tst_processcredentials.moc"
