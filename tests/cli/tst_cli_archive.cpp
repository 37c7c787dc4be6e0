// `gls-exporter-cli archive ls|extract` through the real executable
// (GLS_BIN_DIR), on an archive written by the emulator's ArchiveWriter and on
// hostile archives built with libzip. No AWS: nothing here talks to a server.

#include "ArchiveWriter.h"
#include "ZipFixtures.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using gls::test::ZipItem;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "\n-- stdout --\n" + out.left(3000) + "\n-- stderr --\n"
            + err.left(3000);
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonObject errorJson() const
    {
        const QList<QByteArray> lines = err.trimmed().split('\n');
        return QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("error")).toObject();
    }
};

Run cli(const QStringList &arguments)
{
    const QString dir = qEnvironmentVariable("GLS_BIN_DIR", QStringLiteral("."));
    QProcess p;
    p.setProgram(dir + QStringLiteral("/gls-exporter-cli"));
    p.setArguments(arguments);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start();
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList listing(const QString &root)
{
    QStringList out;
    QDirIterator it(
        root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(root).relativeFilePath(it.next()));
    out.sort();
    return out;
}

} // namespace

class TestCliArchive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_zip = m_dir.filePath(QStringLiteral("session.zip"));
        gls::emu::ArchiveSpec spec;
        spec.sessionId = QStringLiteral("Ab3Cd5Ef7");
        spec.startedAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        spec.endedAt = spec.startedAt.addSecs(300);
        spec.targetSize = 400 * 1024;
        QString error;
        QVERIFY2(gls::emu::writeSessionArchive(spec, m_zip, &error), qPrintable(error));
    }

    void listsCrashDumpsAndLogsFirst()
    {
        const Run r = cli({QStringLiteral("archive"), QStringLiteral("ls"), m_zip});
        QVERIFY2(r.exitCode == 0, r.describe());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 15 + 1); // header, entries, summary
        QVERIFY2(lines.at(0).startsWith("Entry") && lines.at(0).contains("Size") && lines.at(0).contains("Modified")
                && lines.at(0).endsWith("Kind"),
            lines.at(0));
        QVERIFY2(lines.at(1).contains("/Minidump.dmp") && lines.at(1).endsWith("Crash dump"), lines.at(1));
        QVERIFY2(
            lines.at(2).startsWith("application/Game/Saved/Logs/Game.log") && lines.at(2).endsWith("Log"), lines.at(2));
        QVERIFY2(lines.at(3).startsWith("temp/Game/shadercache.log"), lines.at(3));
        QVERIFY2(lines.at(1).contains("2024-05-01 12:"), lines.at(1)); // the crash's time, UTC
        QVERIFY2(lines.last().startsWith("11 files (1 crash dump, 2 logs, 1 image, 1 perf stats,")
                && lines.last().contains("4 folders;"),
            lines.last());
    }

    void listsAsJson()
    {
        const Run r = cli({QStringLiteral("archive"), QStringLiteral("ls"), m_zip, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonObject doc = r.json();
        QCOMPARE(
            doc.keys(), (QStringList{QStringLiteral("archive"), QStringLiteral("entries"), QStringLiteral("summary")}));
        QCOMPARE(doc.value(QStringLiteral("archive")).toString(), QFileInfo(m_zip).absoluteFilePath());
        const QJsonArray entries = doc.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 15);
        const QJsonObject first = entries.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("kind")).toString(), QStringLiteral("crash-dump"));
        QCOMPARE(first.value(QStringLiteral("group")).toString(), QStringLiteral("application"));
        QVERIFY(first.value(QStringLiteral("size")).toInteger() > 0);
        QVERIFY(first.value(QStringLiteral("modified")).toString().startsWith(QLatin1String("2024-05-01T12:")));
        QCOMPARE(entries.at(1).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("log"));
        const QJsonObject summary = doc.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("files")).toInt(), 11);
        QCOMPARE(summary.value(QStringLiteral("folders")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("categories")).toObject().value(QStringLiteral("crash-dump")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("groups")).toObject().value(QStringLiteral("stats")).toInt(), 1);
        qint64 total = 0;
        for (const QJsonValue &e : entries)
            total += e.toObject().value(QStringLiteral("size")).toInteger();
        QCOMPARE(summary.value(QStringLiteral("totalSize")).toInteger(), total);
    }

    void listRefusesWhatIsNotAnArchive()
    {
        const QString text = m_dir.filePath(QStringLiteral("notes.zip"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a zip\n");
        f.close();
        Run r = cli({QStringLiteral("archive"), QStringLiteral("ls"), text});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains("is not a ZIP archive"), r.describe());
        r = cli({QStringLiteral("archive"), QStringLiteral("ls"), m_dir.filePath(QStringLiteral("missing.zip"))});
        QVERIFY2(r.exitCode == 1, r.describe());
        QVERIFY2(r.err.contains("does not exist"), r.describe());
    }

    void extractsAndNeverOverwritesSilently()
    {
        const QString to = m_dir.filePath(QStringLiteral("out"));
        Run r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to});
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY2(r.out.contains("Extracted 11 files"), r.describe());
        QVERIFY2(r.out.startsWith("Written"), r.describe());
        QVERIFY2(r.out.contains("\nstats/perf_stats_v1.csv  "), r.describe());
        QVERIFY(QFileInfo(to + QStringLiteral("/application/Game/Saved/Logs/Game.log")).isFile());
        QVERIFY(QFileInfo(to + QStringLiteral("/stats/perf_stats_v1.csv")).size() > 0);
        const QStringList before = listing(to);
        QVERIFY(!before.filter(QStringLiteral(".part")).size());

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains("already exists") && r.err.contains("pass --overwrite to replace, or --keep-both"),
            r.describe());
        QCOMPARE(listing(to), before);

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to,
            QStringLiteral("--overwrite"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value(QStringLiteral("count")).toInt(), 11);
        QCOMPARE(doc.value(QStringLiteral("target")).toString(), QFileInfo(to).canonicalFilePath());
        const QJsonObject file = doc.value(QStringLiteral("files")).toArray().at(0).toObject();
        QVERIFY(file.value(QStringLiteral("replaced")).toBool());
        QVERIFY(QFileInfo(file.value(QStringLiteral("path")).toString()).isFile());
        QCOMPARE(listing(to), before);

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to,
            QStringLiteral("--keep-both"), QStringLiteral("--only"), QStringLiteral("*.log")});
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY(QFileInfo::exists(to + QStringLiteral("/temp/Game/shadercache (1).log")));
        QVERIFY(QFileInfo::exists(to + QStringLiteral("/application/Game/Saved/Logs/Game (1).log")));
    }

    void extractsOnlyWhatTheGlobsChoose()
    {
        const QString to = m_dir.filePath(QStringLiteral("dumps"));
        Run r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to,
            QStringLiteral("--only"), QStringLiteral("*.dmp,stats/*")});
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY2(r.out.contains("Extracted 2 files"), r.describe());
        const QStringList files = listing(to).filter(QRegularExpression(QStringLiteral("\\.(dmp|csv)$")));
        QCOMPARE(files.size(), 2);

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip, QStringLiteral("--to"), to,
            QStringLiteral("--only"), QStringLiteral("*.nothing")});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains("'*.nothing' matches no entry"), r.describe());
    }

    void refusesHostileArchives()
    {
        const QString hostile = m_dir.filePath(QStringLiteral("slip.zip"));
        QVERIFY(gls::test::makeZip(hostile, {{"fine.txt", "ok"}, {"../../evil", "evil"}}));
        const QString parent = m_dir.filePath(QStringLiteral("jail"));
        const QString to = parent + QStringLiteral("/target");
        QVERIFY(QDir().mkpath(to));
        const QStringList before = listing(m_dir.path());
        Run r = cli({QStringLiteral("archive"), QStringLiteral("extract"), hostile, QStringLiteral("--to"), to});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains("'../../evil' is refused: its path goes up a folder with '..'"), r.describe());
        QCOMPARE(listing(m_dir.path()), before);

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), hostile, QStringLiteral("--to"), to,
            QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY(r.out.isEmpty());
        const QJsonObject error = r.errorJson();
        QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("Refused"));
        QCOMPARE(error.value(QStringLiteral("exitCode")).toInt(), 2);
        QVERIFY(error.value(QStringLiteral("message")).toString().contains(QLatin1String("../../evil")));

        const QString bomb = m_dir.filePath(QStringLiteral("bomb.zip"));
        QVERIFY(gls::test::makeZip(bomb, {{"zeros.bin", QByteArray(32 * 1024 * 1024, '\0')}}));
        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), bomb, QStringLiteral("--to"), to});
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains("'zeros.bin' is refused as a ZIP bomb"), r.describe());
        QCOMPARE(listing(m_dir.path()).filter(QStringLiteral("zeros")), QStringList());

        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_dir.filePath(QStringLiteral("gone.zip")),
            QStringLiteral("--to"), to});
        QVERIFY2(r.exitCode == 1, r.describe()); // a local file error
    }

    void usageErrors()
    {
        Run r = cli({QStringLiteral("archive")});
        QVERIFY2(r.exitCode == 2 && r.err.contains("archive needs ACTION FILE"), r.describe());
        r = cli({QStringLiteral("archive"), QStringLiteral("ls"), m_zip, QStringLiteral("extra")});
        QVERIFY2(r.exitCode == 2 && r.err.contains("'extra' is one too many"), r.describe());
        r = cli({QStringLiteral("archive"), QStringLiteral("frob"), m_zip});
        QVERIFY2(r.exitCode == 2 && r.err.contains("unknown archive action 'frob'"), r.describe());
        r = cli({QStringLiteral("archive"), QStringLiteral("extract"), m_zip});
        QVERIFY2(r.exitCode == 2 && r.err.contains("--to DIR is required"), r.describe());
        r = cli({QStringLiteral("archive"), QStringLiteral("ls"), m_zip, QStringLiteral("--to"), QStringLiteral("x")});
        QVERIFY2(r.exitCode == 2 && r.err.contains("--to belongs to 'archive extract'"), r.describe());
        r = cli({QStringLiteral("help"), QStringLiteral("archive")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("archive extract FILE.zip --to DIR"), r.describe());
    }

private:
    QTemporaryDir m_dir;
    QString m_zip;
};

QTEST_GUILESS_MAIN(TestCliArchive)
#include "tst_cli_archive.moc"
