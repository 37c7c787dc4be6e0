// Reading export archives: the emulator's real archive listed with crash dumps
// and logs first, its perf-stats CSV as series, and the errors people see for
// files that are not (or no longer) good archives.

#include "ArchiveWriter.h"
#include "ZipFixtures.h"

#include "archive/ArchiveEntry.h"
#include "archive/PerfStats.h"
#include "archive/ZipArchive.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace gls::archive;
using gls::test::ZipItem;

namespace {

const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

gls::emu::ArchiveSpec sampleSpec(qint64 durationSecs = 600)
{
    gls::emu::ArchiveSpec spec;
    spec.sessionId = QStringLiteral("Ab3Cd5Ef7");
    spec.streamGroupId = QStringLiteral("sg-1AB2C3De4");
    spec.applicationId = QStringLiteral("a-9ZY8X7Wv6");
    spec.userId = QStringLiteral("qa-tester-7");
    spec.location = QStringLiteral("us-west-2");
    spec.startedAt = kStart;
    spec.endedAt = kStart.addSecs(durationSecs);
    spec.seed = 7;
    spec.targetSize = 512 * 1024;
    return spec;
}

} // namespace

class TestZipArchive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_emulatorZip = m_dir.filePath(QStringLiteral("session.zip"));
        QString error;
        QVERIFY2(gls::emu::writeSessionArchive(sampleSpec(), m_emulatorZip, &error), qPrintable(error));
    }

    void listsTheEmulatorsArchiveCrashDumpsFirst()
    {
        ZipArchive zip;
        ArchiveError error;
        QVERIFY2(zip.open(m_emulatorZip, &error), qPrintable(error.message));
        QCOMPARE(zip.entries().size(), 15);

        QList<ArchiveEntry> sorted = zip.entries();
        sortForDisplay(&sorted);
        QCOMPARE(sorted.at(0).category, Category::CrashDump);
        QVERIFY(sorted.at(0).name.startsWith(QLatin1String("application/Game/Saved/Crashes/Crash-")));
        QVERIFY(sorted.at(0).name.endsWith(QLatin1String("/Minidump.dmp")));
        QCOMPARE(sorted.at(1).name, QStringLiteral("application/Game/Saved/Logs/Game.log"));
        QCOMPARE(sorted.at(1).category, Category::Log);
        QCOMPARE(sorted.at(2).name, QStringLiteral("temp/Game/shadercache.log"));
        QCOMPARE(sorted.at(2).category, Category::Log);
        // Then by group: application, profile, temp, stats.
        QStringList groups;
        for (qsizetype i = 3; i < sorted.size(); ++i) {
            if (groups.isEmpty() || groups.last() != sorted.at(i).group)
                groups.append(sorted.at(i).group);
        }
        QCOMPARE(groups,
            (QStringList{QStringLiteral("application"), QStringLiteral("profile"), QStringLiteral("temp"),
                QStringLiteral("stats")}));

        const ArchiveEntry *png = nullptr;
        for (const ArchiveEntry &e : zip.entries()) {
            if (e.name.endsWith(QLatin1String(".png")))
                png = &e;
        }
        QVERIFY(png);
        QCOMPARE(png->category, Category::Image);
        QCOMPARE(zip.find(QStringLiteral("stats/perf_stats_v1.csv"))->category, Category::PerfStats);
        QCOMPARE(zip.find(QStringLiteral("profile/Documents/Game/user.cfg"))->category, Category::Text);
        const ArchiveEntry *folder = zip.find(QStringLiteral("profile/"));
        QVERIFY(folder && folder->isDir && !folder->isSymlink);
        const ArchiveEntry *log = zip.find(QStringLiteral("application/Game/Saved/Logs/Game.log"));
        QVERIFY(log->size > 0 && log->compressedSize > 0 && log->compressedSize < log->size);
        QCOMPARE(log->modified, kStart.addSecs(600)); // the exact UTC time of the UT field
        QCOMPARE(zip.find(QStringLiteral("profile/Documents/Game/user.cfg"))->modified, kStart);

        const ArchiveSummary summary = summarise(zip.entries());
        QCOMPARE(summary.files, 11);
        QCOMPARE(summary.folders, 4);
        QCOMPARE(summary.perCategory.value(Category::CrashDump), 1);
        QCOMPARE(summary.perCategory.value(Category::Log), 2);
        QCOMPARE(summary.perCategory.value(Category::Image), 1);
        QCOMPARE(summary.perCategory.value(Category::PerfStats), 1);
        QCOMPARE(summary.perGroup.value(QStringLiteral("application")), 6);
        QCOMPARE(summary.perGroup.value(QStringLiteral("stats")), 1);
        qint64 total = 0;
        for (const ArchiveEntry &e : zip.entries())
            total += e.size;
        QCOMPARE(summary.totalSize, total);
        QVERIFY(summary.totalSize >= 512 * 1024 - 16);
    }

    void readsAndStreamsEntries()
    {
        ZipArchive zip;
        QVERIFY(zip.open(m_emulatorZip));
        QByteArray log;
        ArchiveError error;
        QVERIFY2(zip.readEntry(QStringLiteral("application/Game/Saved/Logs/Game.log"), &log, &error),
            qPrintable(error.message));
        QVERIFY(log.startsWith("Log file open, "));
        QVERIFY(log.contains("Stream session Ab3Cd5Ef7 started"));

        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(zip.copyEntry(QStringLiteral("application/Game/Saved/Logs/Game.log"), &buffer, &error));
        QCOMPARE(buffer.data(), log);

        // The cap is honoured, by name.
        QByteArray capped;
        QVERIFY(!zip.readEntry(QStringLiteral("application/Game/Saved/Logs/Game.log"), &capped, &error, 100));
        QCOMPARE(error.kind, ArchiveError::TooLarge);
        QVERIFY2(error.message.contains(QLatin1String("Game.log")), qPrintable(error.message));
        QVERIFY(capped.isEmpty());
    }

    void parsesTheEmulatorsPerfStats()
    {
        ZipArchive zip;
        QVERIFY(zip.open(m_emulatorZip));
        QByteArray csv;
        QVERIFY(zip.readEntry(QLatin1String(kPerfStatsPath), &csv));
        PerfStats stats;
        QString error;
        QVERIFY2(parsePerfStats(csv, &stats, &error), qPrintable(error));
        QCOMPARE(stats.rowCount(), 600); // one row a second of the ten-minute session
        QVERIFY(stats.problems.isEmpty());
        QVERIFY(stats.missingColumns.isEmpty());
        QCOMPARE(stats.times.first(), kStart);
        QCOMPARE(stats.times.last(), kStart.addSecs(599));
        QCOMPARE(stats.elapsedSeconds.last(), 599.0);
        QCOMPARE(stats.timesMs.first(), kStart.toMSecsSinceEpoch());
        for (const PerfSeries *s : stats.allSeries())
            QCOMPARE(s->values.size(), 600);
        QCOMPARE(stats.allSeries().size(), 4);
        QCOMPARE(stats.cpu.column, QStringLiteral("cpu_percent"));
        QCOMPARE(stats.vram.unit, QStringLiteral("MB"));
        for (int i = 0; i < 600; ++i) {
            QVERIFY(stats.cpu.values[i] >= 15 && stats.cpu.values[i] <= 95);
            QVERIFY(stats.gpu.values[i] >= 25 && stats.gpu.values[i] <= 99);
            QVERIFY(stats.memory.values[i] >= 1800 && stats.memory.values[i] <= 7800);
            QVERIFY(stats.vram.values[i] >= 2400 && stats.vram.values[i] <= 7600);
        }
    }

    void perfStatsToleratesCrlfBlankLinesAndReorderedColumns()
    {
        const QByteArray csv = "vram_mb,timestamp,session,cpu_percent,fps,gpu_percent,memory_mb\r\n"
                               "2500,2024-05-01T12:00:00Z,abc,31.5,60,40.0,2300\r\n"
                               "\r\n"
                               "2510,2024-05-01T12:00:01Z,abc,oops,59,41.0,2310\r\n"
                               "2520,not-a-time,abc,33.0,58,42.0,2320\r\n"
                               "2530,2024-05-01T12:00:03Z,abc\r\n"
                               "2540,2024-05-01T12:00:04Z,abc,35.5,61,44.5,2340\r\n";
        PerfStats stats;
        QVERIFY(parsePerfStats(csv, &stats));
        QCOMPARE(stats.rowCount(), 2);
        QCOMPARE(stats.cpu.values, (QList<double>{31.5, 35.5}));
        QCOMPARE(stats.vram.values, (QList<double>{2500, 2540}));
        QCOMPARE(stats.memory.values, (QList<double>{2300, 2340}));
        QCOMPARE(stats.elapsedSeconds, (QList<double>{0, 4}));
        QCOMPARE(stats.extra.size(), 1); // fps; the text column "session" is no series
        QCOMPARE(stats.extra.first().column, QStringLiteral("fps"));
        QCOMPARE(stats.extra.first().values, (QList<double>{60, 61}));
        QCOMPARE(stats.problems.size(), 3);
        QCOMPARE(stats.problems.at(0).line, 4);
        QVERIFY2(stats.problems.at(0).message.contains(QLatin1String("cpu_percent 'oops'")),
            qPrintable(stats.problems.at(0).message));
        QCOMPARE(stats.problems.at(1).line, 5);
        QCOMPARE(stats.problems.at(2).line, 6);

        PerfStats partial;
        QVERIFY(parsePerfStats("timestamp,cpu_percent\n2024-05-01T12:00:00Z,10\n", &partial));
        QCOMPARE(partial.missingColumns,
            (QStringList{QStringLiteral("memory_mb"), QStringLiteral("gpu_percent"), QStringLiteral("vram_mb")}));
        QCOMPARE(partial.allSeries().size(), 1);

        PerfStats none;
        QString error;
        QVERIFY(!parsePerfStats("time,cpu\n1,2\n", &none, &error));
        QVERIFY2(error.contains(QLatin1String("timestamp")), qPrintable(error));
        QVERIFY(!parsePerfStats("", &none, &error));
    }

    void perfStatsRefusesEpochSecondsOutOfRange()
    {
        // Found by fuzz_perf_stats (fuzz/corpus/perf_stats/regress-epoch-seconds-overflow.csv): seconds * 1000
        // overflowed qint64 (undefined behaviour) and the row was kept with a made-up time.
        const QByteArray csv = "timestamp,cpu_percent\n"
                               "1700000000,10\n"
                               "1e12,11\n"
                               "1e300,12\n"
                               "-1e300,13\n"
                               "253402300799,14\n";
        PerfStats stats;
        QVERIFY(parsePerfStats(csv, &stats));
        QCOMPARE(stats.rowCount(), 2);
        QCOMPARE(stats.cpu.values, (QList<double>{10, 14}));
        QCOMPARE(stats.times.last(), QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59), Qt::UTC));
        QCOMPARE(stats.problems.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(stats.problems.at(i).line, 3 + i);
            QVERIFY2(stats.problems.at(i).message.contains(QLatin1String("is not a timestamp")),
                qPrintable(stats.problems.at(i).message));
        }
    }

    void categorises_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Category>("category");
        QTest::addColumn<QString>("group");
        QTest::newRow("dmp") << "application/Game/Saved/Crashes/C-1/Minidump.dmp" << Category::CrashDump
                             << "application";
        QTest::newRow("mdmp") << "temp/crash/x.MDMP" << Category::CrashDump << "temp";
        QTest::newRow("crash") << "profile/Library/Logs/DiagnosticReports/Game.crash" << Category::CrashDump
                               << "profile";
        QTest::newRow("core") << "application/core" << Category::CrashDump << "application";
        QTest::newRow("core.1234") << "temp/core.1234" << Category::CrashDump << "temp";
        QTest::newRow("core.txt is text") << "temp/core.txt" << Category::Text << "temp";
        QTest::newRow("corefile is other") << "temp/corefile" << Category::Other << "temp";
        QTest::newRow("log") << "application/Game/Saved/Logs/Game.log" << Category::Log << "application";
        QTest::newRow("out") << "application/stdout.out" << Category::Log << "application";
        QTest::newRow("txt under Logs") << "application/Logs/run/notes.txt" << Category::Log << "application";
        QTest::newRow("txt elsewhere") << "application/readme.txt" << Category::Text << "application";
        QTest::newRow("png") << "application/Shot.png" << Category::Image << "application";
        QTest::newRow("JPG") << "profile/a.JPG" << Category::Image << "profile";
        QTest::newRow("jpeg") << "profile/a.jpeg" << Category::Image << "profile";
        QTest::newRow("bmp") << "x/a.bmp" << Category::Image << "other";
        QTest::newRow("perf stats") << "stats/perf_stats_v1.csv" << Category::PerfStats << "stats";
        QTest::newRow("other csv") << "stats/other.csv" << Category::Text << "stats";
        QTest::newRow("bin") << "application/replay.bin" << Category::Other << "application";
        QTest::newRow("top-level file") << "application" << Category::Other << "other";
    }

    void categorises()
    {
        QFETCH(QString, name);
        QFETCH(Category, category);
        QFETCH(QString, group);
        QCOMPARE(categorise(name), category);
        QCOMPARE(groupOf(name), group);
    }

    void sortsCrashDumpsThenLogsThenGroups()
    {
        auto entry = [](const char *name) {
            ArchiveEntry e;
            e.name = QLatin1String(name);
            e.category = categorise(e.name);
            e.group = groupOf(e.name);
            return e;
        };
        QList<ArchiveEntry> list{entry("stats/perf_stats_v1.csv"), entry("temp/b.log"), entry("profile/x.ini"),
            entry("application/z.png"), entry("temp/core.77"), entry("application/a.log"), entry("zzz/a.dmp"),
            entry("application/b.ini")};
        sortForDisplay(&list);
        QStringList names;
        for (const ArchiveEntry &e : list)
            names.append(e.name);
        QCOMPARE(names,
            (QStringList{QStringLiteral("temp/core.77"), QStringLiteral("zzz/a.dmp"),
                QStringLiteral("application/a.log"), QStringLiteral("temp/b.log"), QStringLiteral("application/b.ini"),
                QStringLiteral("application/z.png"), QStringLiteral("profile/x.ini"),
                QStringLiteral("stats/perf_stats_v1.csv")}));
    }

    void notAZip()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.zip"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("these are just notes, not an archive\n");
        f.close();
        ZipArchive zip;
        ArchiveError error;
        QVERIFY(!zip.open(path, &error));
        QCOMPARE(error.kind, ArchiveError::BadArchive);
        QCOMPARE(error.message, QStringLiteral("'%1' is not a ZIP archive").arg(path));

        QVERIFY(!zip.open(m_dir.filePath(QStringLiteral("missing.zip")), &error));
        QCOMPARE(error.kind, ArchiveError::LocalFile);
        QVERIFY2(error.message.contains(QLatin1String("does not exist")), qPrintable(error.message));
    }

    void truncated()
    {
        const QString path = m_dir.filePath(QStringLiteral("truncated.zip"));
        QVERIFY(QFile::copy(m_emulatorZip, path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        ZipArchive zip;
        ArchiveError error;
        QVERIFY(!zip.open(path, &error));
        QCOMPARE(error.kind, ArchiveError::BadArchive);
        QVERIFY2(error.message.contains(QLatin1String("truncated")) && error.message.contains(path),
            qPrintable(error.message));
    }

    void crcMismatch()
    {
        const QString path = m_dir.filePath(QStringLiteral("crc.zip"));
        const QByteArray text = "the quick brown fox jumps over the lazy dog, again and again";
        QVERIFY(gls::test::makeZip(path, {{"notes/a.txt", text, ZipItem::File, true}}));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.indexOf("lazy dog");
        QVERIFY(at > 0);
        bytes[at] = 'L';
        f.seek(0);
        f.write(bytes);
        f.close();
        ZipArchive zip;
        ArchiveError error;
        QVERIFY2(zip.open(path, &error), qPrintable(error.message));
        QByteArray data;
        QVERIFY(!zip.readEntry(QStringLiteral("notes/a.txt"), &data, &error));
        QCOMPARE(error.kind, ArchiveError::BadArchive);
        QVERIFY2(error.message.contains(QLatin1String("CRC")) && error.message.contains(QLatin1String("notes/a.txt")),
            qPrintable(error.message));
    }

    void encryptedEntry()
    {
        const QString path = m_dir.filePath(QStringLiteral("encrypted.zip"));
        int code = 0;
        zip_t *za = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
        QVERIFY(za);
        static const char secret[] = "top secret crash notes";
        zip_source_t *src = zip_source_buffer(za, secret, sizeof secret - 1, 0);
        const zip_int64_t index = zip_file_add(za, "secret.txt", src, 0);
        QVERIFY(index >= 0);
        if (zip_file_set_encryption(za, zip_uint64_t(index), ZIP_EM_AES_256, "pw") != 0) {
            zip_discard(za);
            QSKIP("this libzip cannot write encrypted entries");
        }
        QCOMPARE(zip_close(za), 0);
        ZipArchive zip;
        ArchiveError error;
        QVERIFY(zip.open(path, &error));
        QVERIFY(zip.find(QStringLiteral("secret.txt"))->encrypted);
        QByteArray data;
        QVERIFY(!zip.readEntry(QStringLiteral("secret.txt"), &data, &error));
        QCOMPARE(error.kind, ArchiveError::BadArchive);
        QVERIFY2(
            error.message.contains(QLatin1String("encrypted")) && error.message.contains(QLatin1String("secret.txt")),
            qPrintable(error.message));
    }

    void detectsSymlinkEntries()
    {
        const QString path = m_dir.filePath(QStringLiteral("links.zip"));
        QVERIFY(gls::test::makeZip(path,
            {{"a/", {}, ZipItem::Folder}, {"a/link", "../../etc/passwd", ZipItem::Symlink},
                {"a/file.txt", "text", ZipItem::File}}));
        ZipArchive zip;
        QVERIFY(zip.open(path));
        QVERIFY(zip.find(QStringLiteral("a/link"))->isSymlink);
        QVERIFY(!zip.find(QStringLiteral("a/link"))->isDir);
        QVERIFY(zip.find(QStringLiteral("a/"))->isDir);
        QVERIFY(!zip.find(QStringLiteral("a/file.txt"))->isSymlink);
        QCOMPARE(summarise(zip.entries()).symlinks, 1);
    }

private:
    QTemporaryDir m_dir;
    QString m_emulatorZip;
};

QTEST_GUILESS_MAIN(TestZipArchive)
#include "tst_ziparchive.moc"
