// gls-exporter-cli export, terminate, download and presign: the real
// executable against the real gls-emulator over HTTPS. An export is asked for
// with an ARN and with IDs; --wait follows it to SUCCEEDED once the session is
// ended through the emulator's control endpoint; --download brings home a ZIP
// that opens with its four folders; a missing bucket ends FAILED (exit 4);
// service errors exit 3, bad input 2, --timeout 5.

#include "CliRunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <zip.h>

using namespace gls::test;

class TestCliExport : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    std::unique_ptr<CliRunner> m_cli;
    QString m_group;
    QString m_downloadedKey; // an object the export tests left in gls-exports
    qint64 m_downloadedSize = 0;
    QTemporaryDir m_tmp;

    QString newSession() { return gls::test::newSession(*m_emu, m_group); }
    QJsonObject rawSession(const QString &id) { return gls::test::rawSession(*m_emu, m_group, id); }
    QString exportStatus(const QString &id) { return gls::test::exportStatus(*m_emu, m_group, id); }
    bool endSession(const QString &id) { return gls::test::endSession(*m_emu, id); }

    QStringList exportArgs(const QString &id, const QString &output, const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("export"), QStringLiteral("--group"), m_group, QStringLiteral("--session"),
                   id, QStringLiteral("--output"), output}
        + more + m_cli->endpoint();
    }

    // Starts `export` in the background, waits until the service has the
    // export (PENDING), ends the session and returns what the CLI did.
    CliResult exportEndingTheSession(const QString &id, const QStringList &arguments)
    {
        const std::unique_ptr<QProcess> process = m_cli->start(arguments);
        const bool pending = QTest::qWaitFor([&] { return exportStatus(id) == QLatin1String("PENDING"); }, 30000);
        if (!pending || !endSession(id)) {
            CliResult r = CliRunner::collect(process.get(), 1000);
            r.err.prepend(pending ? "(the session could not be ended)\n" : "(the export never became PENDING)\n");
            r.exitCode = -2;
            return r;
        }
        return CliRunner::collect(process.get(), 90000);
    }

    static QSet<QString> topFolders(const QString &zipPath)
    {
        QSet<QString> folders;
        int error = 0;
        zip_t *zip = zip_open(QFile::encodeName(zipPath).constData(), ZIP_RDONLY, &error);
        if (!zip)
            return folders;
        const zip_int64_t n = zip_get_num_entries(zip, 0);
        for (zip_int64_t i = 0; i < n; ++i)
            folders.insert(QString::fromUtf8(zip_get_name(zip, zip_uint64_t(i), 0)).section(u'/', 0, 0) + u'/');
        zip_close(zip);
        return folders;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("20"),
            QStringLiteral("--groups"), QStringLiteral("2"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0"), QStringLiteral("--time-scale"), QStringLiteral("5"),
            QStringLiteral("--archive-size"), QStringLiteral("300000")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_cli = std::make_unique<CliRunner>(m_emu.get());
        m_group = firstStreamGroupId(*m_emu);
        QVERIFY(!m_group.isEmpty());
        QVERIFY(m_tmp.isValid());
    }

    void exportWithArnsExplainsWhenTheZipIsWritten()
    {
        const QString id = newSession();
        const QString arn = rawSession(id).value(QStringLiteral("Arn")).toString();
        QVERIFY(arn.endsWith(u'/' + id));
        // The session ARN alone names the group.
        const CliResult r = m_cli->run(QStringList{QStringLiteral("export"), QStringLiteral("--session"), arn,
                                           QStringLiteral("--output"), QStringLiteral("s3://gls-exports/arn/")}
            + m_cli->endpoint());
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY2(r.out.contains("Export PENDING: s3://gls-exports/arn/"), r.describe());
        QVERIFY2(r.err.contains("The ZIP is written to S3 when the session ends"), r.describe());
        QCOMPARE(exportStatus(id), QStringLiteral("PENDING"));

        // A stream group ARN and a session ARN, --json.
        const QString groupArn
            = m_emu->gamelift("GET", "/streamgroups/" + label(m_group)).json().value(QStringLiteral("Arn")).toString();
        const CliResult json = m_cli->run(
            QStringList{QStringLiteral("export"), QStringLiteral("--group"), groupArn, QStringLiteral("--session"), arn,
                QStringLiteral("--output"), QStringLiteral("s3://gls-exports/arn/again.zip"), QStringLiteral("--json")}
            + m_cli->endpoint());
        QVERIFY2(json.exitCode == 0, json.describe());
        const QJsonObject doc = json.json();
        QCOMPARE(doc.value(QStringLiteral("requestedOutputUri")).toString(),
            QStringLiteral("s3://gls-exports/arn/again.zip"));
        QCOMPARE(doc.value(QStringLiteral("waited")).toBool(), false);
        const QJsonObject session = doc.value(QStringLiteral("session")).toObject();
        QCOMPARE(session.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(session.value(QStringLiteral("export")).toObject().value(QStringLiteral("status")).toString(),
            QStringLiteral("PENDING"));
        QVERIFY(doc.value(QStringLiteral("download")).isNull());
        QVERIFY2(json.err.isEmpty(), json.err); // --json: notes stay off stderr
    }

    void waitFollowsTheExportToSucceeded()
    {
        const QString id = newSession();
        const CliResult r = exportEndingTheSession(id,
            exportArgs(
                id, QStringLiteral("s3://gls-exports/waited/"), {QStringLiteral("--wait"), QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonObject session = r.json().value(QStringLiteral("session")).toObject();
        QCOMPARE(session.value(QStringLiteral("status")).toString(), QStringLiteral("TERMINATED"));
        const QJsonObject exp = session.value(QStringLiteral("export")).toObject();
        QCOMPARE(exp.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QVERIFY(
            exp.value(QStringLiteral("outputUri")).toString().startsWith(QLatin1String("s3://gls-exports/waited/")));
        QVERIFY(exp.value(QStringLiteral("outputUri")).toString().endsWith(QLatin1String(".zip")));
        QCOMPARE(r.json().value(QStringLiteral("waited")).toBool(), true);
    }

    void downloadBringsHomeTheZip()
    {
        const QString id = newSession();
        const QString dir = m_tmp.filePath(QStringLiteral("exports"));
        const QString output = QStringLiteral("s3://gls-exports/qa/%1.zip").arg(id);
        const CliResult r = exportEndingTheSession(
            id, exportArgs(id, output, QStringList{QStringLiteral("--download"), dir} + m_cli->s3Endpoint()));
        QVERIFY2(r.exitCode == 0, r.describe());
        const QString path = QDir(dir).filePath(id + QStringLiteral(".zip"));
        QVERIFY2(r.out.contains("Export SUCCEEDED: " + output.toUtf8()), r.describe());
        QVERIFY2(r.out.contains("Downloaded " + path.toUtf8()), r.describe());
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".part")));
        const QSet<QString> folders = topFolders(path);
        for (const char *folder : {"application/", "profile/", "temp/", "stats/"})
            QVERIFY2(folders.contains(QLatin1String(folder)), folder);
        // The store records the file's SHA-256 (computed as the bytes arrived, not read back).
        const CliResult listed
            = m_cli->run({QStringLiteral("exports"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(listed.exitCode == 0, listed.describe());
        QJsonObject row;
        for (const QJsonValue &v : listed.json().value(QStringLiteral("exports")).toArray()) {
            if (v.toObject().value(QStringLiteral("sessionId")).toString() == id)
                row = v.toObject();
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCryptographicHash sha(QCryptographicHash::Sha256);
        QVERIFY(sha.addData(&file));
        const QJsonObject download = row.value(QStringLiteral("download")).toObject();
        QCOMPARE(download.value(QStringLiteral("state")).toString(), QStringLiteral("DONE"));
        QCOMPARE(download.value(QStringLiteral("sha256")).toString(), QString::fromLatin1(sha.result().toHex()));
        // Once the file is there, the same named ZIP is refused before anything is asked of the service.
        const CliResult again = m_cli->run(exportArgs(id, output, QStringList{QStringLiteral("--download"), dir}));
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("--download: '" + path.toUtf8() + "' already exists; pass --overwrite"),
            again.describe());
        m_downloadedKey = QStringLiteral("qa/%1.zip").arg(id);
        m_downloadedSize = QFileInfo(path).size();
    }

    void exportToAMissingBucketFails()
    {
        const QString id = newSession();
        const CliResult r = exportEndingTheSession(
            id, exportArgs(id, QStringLiteral("s3://no-such-bucket-here/x/"), {QStringLiteral("--wait")}));
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains("FAILED") && r.err.contains("no-such-bucket-here"), r.describe());

        const QString other = newSession();
        const CliResult json = exportEndingTheSession(other,
            exportArgs(other, QStringLiteral("s3://no-such-bucket-here/y/"),
                {QStringLiteral("--wait"), QStringLiteral("--json")}));
        QCOMPARE(json.exitCode, 4);
        const QJsonObject exp
            = json.json().value(QStringLiteral("session")).toObject().value(QStringLiteral("export")).toObject();
        QCOMPARE(exp.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QVERIFY(exp.value(QStringLiteral("statusReason")).toString().contains(QLatin1String("no-such-bucket-here")));
        const QJsonObject e = json.errorJson().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("ExportFailed"));
        QCOMPARE(e.value(QStringLiteral("exitCode")).toInt(), 4);
    }

    void serviceRefusalsExitThree()
    {
        const QString ended = newSession();
        QVERIFY(endSession(ended));
        const CliResult terminated = m_cli->run(exportArgs(ended, QStringLiteral("s3://gls-exports/late/")));
        QCOMPARE(terminated.exitCode, 3);
        QVERIFY2(
            terminated.err.contains("ExportStreamSessionFiles failed: ValidationException"), terminated.describe());

        const CliResult missing
            = m_cli->run(exportArgs(QStringLiteral("NoSuchSession1"), QStringLiteral("s3://gls-exports/x/")));
        QCOMPARE(missing.exitCode, 3);
        QVERIFY2(missing.err.contains("ResourceNotFoundException"), missing.describe());

        const QString id = newSession();
        QCOMPARE(m_emu
                     ->control("PUT", "settings",
                         QJsonObject{{QStringLiteral("deny"),
                             QJsonArray{QStringLiteral("gameliftstreams:ExportStreamSessionFiles")}}})
                     .status,
            200);
        const CliResult denied
            = m_cli->run(exportArgs(id, QStringLiteral("s3://gls-exports/x/"), {QStringLiteral("--json")}));
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{}}});
        QCOMPARE(denied.exitCode, 3);
        const QJsonObject e = denied.errorJson().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("AccessDeniedException"));
        QCOMPARE(e.value(QStringLiteral("operation")).toString(), QStringLiteral("ExportStreamSessionFiles"));
        QVERIFY(!e.value(QStringLiteral("requestId")).toString().isEmpty());
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("session");
        QTest::addColumn<QStringList>("more");
        QTest::addColumn<QString>("named");
        QTest::newRow("https output") << QStringLiteral("https://bucket/x/") << QStringLiteral("ABC123def4567")
                                      << QStringList{} << QStringLiteral("--output");
        QTest::newRow("no zip or slash") << QStringLiteral("s3://gls-exports/x") << QStringLiteral("ABC123def4567")
                                         << QStringList{} << QStringLiteral("--output");
        QTest::newRow("bad bucket") << QStringLiteral("s3://GLS_Exports/x/") << QStringLiteral("ABC123def4567")
                                    << QStringList{} << QStringLiteral("--output");
        QTest::newRow("identifier") << QStringLiteral("s3://gls-exports/x/") << QStringLiteral("ABC 123")
                                    << QStringList{} << QStringLiteral("--session");
        QTest::newRow("timeout without wait")
            << QStringLiteral("s3://gls-exports/x/") << QStringLiteral("ABC123def4567")
            << QStringList{QStringLiteral("--timeout"), QStringLiteral("5")} << QStringLiteral("--timeout");
        QTest::newRow("timeout zero") << QStringLiteral("s3://gls-exports/x/") << QStringLiteral("ABC123def4567")
                                      << QStringList{QStringLiteral("--wait"), QStringLiteral("--timeout"),
                                             QStringLiteral("0")}
                                      << QStringLiteral("--timeout");
    }

    void badInputExitsTwo()
    {
        QFETCH(QString, output);
        QFETCH(QString, session);
        QFETCH(QStringList, more);
        QFETCH(QString, named);
        const CliResult r = m_cli->run(exportArgs(session, output, more));
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains(named.toUtf8()), r.describe());
    }

    void timeoutEndsTheWait()
    {
        const QString id = newSession();
        QElapsedTimer clock;
        clock.start();
        const CliResult r = m_cli->run(exportArgs(id, QStringLiteral("s3://gls-exports/never/"),
            {QStringLiteral("--wait"), QStringLiteral("--timeout"), QStringLiteral("1")}));
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains("--timeout: the export is still PENDING after 1 s"), r.describe());
        QVERIFY2(r.err.contains("written when it ends"), r.describe());
        QVERIFY(clock.elapsed() < 20000);
        QCOMPARE(exportStatus(id), QStringLiteral("PENDING"));
    }

    void interruptStopsTheWait()
    {
        const QString id = newSession();
        const std::unique_ptr<QProcess> process
            = m_cli->start(exportArgs(id, QStringLiteral("s3://gls-exports/stopped/"), {QStringLiteral("--wait")}));
        QTRY_COMPARE_WITH_TIMEOUT(exportStatus(id), QStringLiteral("PENDING"), 30000);
        process->terminate(); // SIGTERM, as Ctrl+C's SIGINT
        const CliResult r = CliRunner::collect(process.get(), 30000);
        QCOMPARE(r.exitCode, 130);
        QVERIFY2(r.err.contains("interrupted"), r.describe());
    }

    void terminateAsksOrNeedsYes()
    {
        const QString id = newSession();
        const QStringList terminate{
            QStringLiteral("terminate"), QStringLiteral("--group"), m_group, QStringLiteral("--session"), id};
        const CliResult refused = m_cli->run(terminate + m_cli->endpoint());
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(
            refused.err.contains("--yes is required") && refused.err.contains("not a terminal"), refused.describe());
        QCOMPARE(rawSession(id).value(QStringLiteral("Status")).toString(), QStringLiteral("CONNECTED"));

        const CliResult done = m_cli->run(
            terminate + QStringList{QStringLiteral("--yes"), QStringLiteral("--json")} + m_cli->endpoint());
        QVERIFY2(done.exitCode == 0, done.describe());
        QCOMPARE(done.json().value(QStringLiteral("status")).toString(), QStringLiteral("TERMINATING"));
        const QString status = rawSession(id).value(QStringLiteral("Status")).toString();
        QVERIFY2(status == QLatin1String("TERMINATING") || status == QLatin1String("TERMINATED"), qPrintable(status));
    }

    void downloadCommand()
    {
        QVERIFY(!m_downloadedKey.isEmpty());
        const QString uri = QStringLiteral("s3://gls-exports/") + m_downloadedKey;
        const QString dir = m_tmp.filePath(QStringLiteral("again"));
        const QStringList s3{
            QStringLiteral("--endpoint-url"), m_emu->s3Url(), QStringLiteral("--ca-bundle"), m_emu->caPath()};
        const QStringList download = QStringList{QStringLiteral("download"), uri, QStringLiteral("--to"), dir} + s3;

        const CliResult first = m_cli->run(download + QStringList{QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, first.describe());
        const QString path = first.json().value(QStringLiteral("path")).toString();
        QCOMPARE(QFileInfo(path).fileName(), m_downloadedKey.section(u'/', -1));
        QCOMPARE(QFileInfo(path).size(), m_downloadedSize);
        QCOMPARE(first.json().value(QStringLiteral("bytes")).toInteger(), m_downloadedSize);
        QCOMPARE(first.json().value(QStringLiteral("uri")).toString(), uri);

        const CliResult again = m_cli->run(download);
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("already exists"), again.describe());
        QCOMPARE(m_cli->run(download + QStringList{QStringLiteral("--overwrite")}).exitCode, 0);

        const CliResult missing
            = m_cli->run(QStringList{QStringLiteral("download"), QStringLiteral("s3://gls-exports/none/such.zip"),
                             QStringLiteral("--to"), dir}
                + s3);
        QCOMPARE(missing.exitCode, 3);
        QVERIFY2(missing.err.contains("NoSuchKey"), missing.describe());
        QVERIFY(!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("such.zip.part"))));
    }

    void presignGivesAWorkingUrl()
    {
        QVERIFY(!m_downloadedKey.isEmpty());
        const CliResult r = m_cli->run({QStringLiteral("presign"),
            QStringLiteral("s3://gls-exports/") + m_downloadedKey, QStringLiteral("--expires"), QStringLiteral("600"),
            QStringLiteral("--endpoint-url"), m_emu->s3Url(), QStringLiteral("--ca-bundle"), m_emu->caPath()});
        QVERIFY2(r.exitCode == 0, r.describe());
        const QUrl url = QUrl::fromEncoded(r.out.trimmed(), QUrl::StrictMode);
        QVERIFY(url.isValid());
        QVERIFY(r.out.contains("X-Amz-Expires=600"));
        RawRequest get;
        get.path = url.path(QUrl::FullyEncoded).toLatin1();
        get.query = url.query(QUrl::FullyEncoded).toLatin1();
        const HttpResult fetched = m_emu->send(m_emu->s3Url(), get);
        QCOMPARE(fetched.status, 200);
        QCOMPARE(fetched.body.size(), m_downloadedSize);
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cli_export.moc"
