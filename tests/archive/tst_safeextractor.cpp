// Safe extraction: hostile archives built here with libzip are refused with a
// message naming the entry and the rule, and nothing is written outside the
// target folder (the parent folder's listing is the same before and after).
// Bombs are refused before the disk fills, a lying header while inflating.

#include "ArchiveWriter.h"
#include "ZipFixtures.h"

#include "archive/SafeExtractor.h"
#include "archive/ZipArchive.h"

#include <QDirIterator>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <limits>
#include <memory>

using namespace gls::archive;
using gls::test::ZipItem;

namespace {

// Everything under `root`, links not followed, with sizes, sorted.
QStringList listing(const QString &root)
{
    QStringList out;
    QDirIterator it(
        root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        out.append(QDir(root).relativeFilePath(info.filePath())
            + (info.isSymLink()    ? QStringLiteral(" -> link")
                    : info.isDir() ? QStringLiteral("/")
                                   : QStringLiteral(" %1").arg(info.size())));
    }
    out.sort();
    return out;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSafeExtractor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_root.reset(new QTemporaryDir);
        QVERIFY(m_root->isValid());
        m_parent = m_root->filePath(QStringLiteral("parent"));
        m_target = m_parent + QStringLiteral("/target");
        QVERIFY(QDir().mkpath(m_target));
        QVERIFY(QDir().mkpath(m_root->filePath(QStringLiteral("outside"))));
        QFile marker(m_parent + QStringLiteral("/marker.txt"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.write("here before");
    }

    void refusesHostileNames_data()
    {
        QTest::addColumn<QByteArray>("hostile");
        QTest::addColumn<QString>("rule");
        QTest::newRow("zip-slip") << QByteArray("../../evil") << "parent-segment";
        QTest::newRow("deeper zip-slip") << QByteArray("a/b/../../../evil") << "parent-segment";
        QTest::newRow("backslash zip-slip") << QByteArray("..\\..\\evil") << "parent-segment";
        QTest::newRow("absolute") << QByteArray("/tmp/gls-archive-test-evil") << "absolute-path";
        QTest::newRow("drive letter") << QByteArray("C:\\evil") << "drive-letter";
        QTest::newRow("drive-relative") << QByteArray("c:evil") << "drive-letter";
        QTest::newRow("UNC") << QByteArray("\\\\server\\share\\evil") << "absolute-path";
    }

    void refusesHostileNames()
    {
        QFETCH(QByteArray, hostile);
        QFETCH(QString, rule);
        const QString zipPath = m_root->filePath(QStringLiteral("hostile.zip"));
        // A harmless entry first: refusing happens before anything is written.
        QVERIFY(gls::test::makeZip(zipPath, {{"ok.txt", "fine"}, {hostile, "evil bytes"}}));
        const QStringList rootBefore = listing(m_root->path());
        const QStringList tmpBefore = listing(QDir::tempPath()).filter(QStringLiteral("evil"));

        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        const ExtractResult result = SafeExtractor(zip).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.rule, rule);
        QCOMPARE(result.entry, QString::fromUtf8(hostile));
        QVERIFY2(result.message.contains(QString::fromUtf8(hostile)), qPrintable(result.message));
        QVERIFY(result.written.isEmpty());
        QCOMPARE(listing(m_root->path()), rootBefore);
        QVERIFY(listing(m_target).isEmpty());
        QCOMPARE(listing(QDir::tempPath()).filter(QStringLiteral("evil")), tmpBefore);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/gls-archive-test-evil")));
    }

    void refusesSymlinkEntries()
    {
        const QString zipPath = m_root->filePath(QStringLiteral("link.zip"));
        QVERIFY(gls::test::makeZip(
            zipPath, {{"link", "../../outside", ZipItem::Symlink}, {"link/evil.txt", "through the link"}}));
        const QStringList before = listing(m_root->path());
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        const ExtractResult result = SafeExtractor(zip).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.rule, QStringLiteral("symlink-entry"));
        QCOMPARE(
            result.message, QStringLiteral("'link' is refused: it is a symbolic link, and links are never extracted"));
        QCOMPARE(listing(m_root->path()), before);
        QVERIFY(listing(m_root->filePath(QStringLiteral("outside"))).isEmpty());
    }

    void refusesPathsThroughAnExistingSymlink()
    {
        const QString outside = m_root->filePath(QStringLiteral("outside"));
        QVERIFY(QFile::link(outside, m_target + QStringLiteral("/link")));
        const QString zipPath = m_root->filePath(QStringLiteral("through.zip"));
        QVERIFY(gls::test::makeZip(zipPath, {{"link/evil.txt", "through the link"}}));
        const QStringList before = listing(m_root->path());
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        for (OverwritePolicy policy : {OverwritePolicy::Refuse, OverwritePolicy::Replace, OverwritePolicy::KeepBoth}) {
            ExtractOptions options;
            options.overwrite = policy;
            const ExtractResult result = SafeExtractor(zip, options).extractTo(m_target);
            QCOMPARE(result.status, ExtractResult::Refused);
            QCOMPARE(result.rule, QStringLiteral("through-symlink"));
            QVERIFY2(result.message.contains(QLatin1String("'link/evil.txt'"))
                    && result.message.contains(QLatin1String("symbolic link")),
                qPrintable(result.message));
        }
        QCOMPARE(listing(m_root->path()), before);
        QVERIFY(listing(outside).isEmpty());
    }

    void refusesABombByRatio()
    {
        const QString zipPath = m_root->filePath(QStringLiteral("zeros.zip"));
        QVERIFY(gls::test::makeZip(zipPath, {{"zeros.bin", QByteArray(200 * 1024 * 1024, '\0')}}));
        QVERIFY(QFileInfo(zipPath).size() < 1024 * 1024);
        const QStringList before = listing(m_root->path());
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        const ExtractResult result = SafeExtractor(zip).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.rule, QStringLiteral("ratio"));
        QVERIFY2(result.message.startsWith(QLatin1String("'zeros.bin' is refused as a ZIP bomb")),
            qPrintable(result.message));
        QCOMPARE(result.bytesWritten, 0);
        QCOMPARE(listing(m_root->path()), before);
    }

    void refusesABombByDeclaredTotal()
    {
        // Three entries each declaring almost 4 GiB (their real bytes are tiny).
        const QString zipPath = m_root->filePath(QStringLiteral("declared.zip"));
        QVERIFY(gls::test::makeZip(zipPath,
            {{"a.bin", "a", ZipItem::File, true}, {"b.bin", "b", ZipItem::File, true},
                {"c.bin", "c", ZipItem::File, true}}));
        for (const char *name : {"a.bin", "b.bin", "c.bin"})
            QCOMPARE(gls::test::patchDeclaredSize(zipPath, name, 0xF0000000u), 2);
        const QStringList before = listing(m_root->path());
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        QCOMPARE(zip.find(QStringLiteral("b.bin"))->size, qint64(0xF0000000u));
        ExtractOptions options;
        options.maxRatio = 1e12; // only the total is under test here
        const ExtractResult result = SafeExtractor(zip, options).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.rule, QStringLiteral("total-size"));
        QVERIFY2(
            result.message.contains(QLatin1String("ZIP bomb")) && result.message.contains(QLatin1String("4294967296")),
            qPrintable(result.message));
        QCOMPARE(listing(m_root->path()), before);

        // With the ratio limit on (the default), each entry alone is already refused.
        const ExtractResult byRatio = SafeExtractor(zip).extractTo(m_target);
        QCOMPARE(byRatio.rule, QStringLiteral("ratio"));
        QCOMPARE(byRatio.entry, QStringLiteral("a.bin"));
    }

    void refusesTooManyEntries()
    {
        QList<ZipItem> items;
        for (int i = 0; i < 12; ++i)
            items.append({QByteArray("f") + QByteArray::number(i), "x"});
        const QString zipPath = m_root->filePath(QStringLiteral("many.zip"));
        QVERIFY(gls::test::makeZip(zipPath, items));
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        ExtractOptions options;
        options.maxEntries = 10;
        const ExtractResult result = SafeExtractor(zip, options).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.rule, QStringLiteral("entry-count"));
        QVERIFY2(result.message.contains(QLatin1String("12 entries")), qPrintable(result.message));
        QVERIFY(listing(m_target).isEmpty());
        options.maxEntries = 12;
        QVERIFY(SafeExtractor(zip, options).extractTo(m_target).ok());
        QCOMPARE(listing(m_target).size(), 12);
    }

    void refusesALyingHeaderWhileInflating()
    {
        // 3 MiB that deflate to about half: the ratio is honest, but the header says 1000 bytes.
        const QString zipPath = m_root->filePath(QStringLiteral("liar.zip"));
        QVERIFY(
            gls::test::makeZip(zipPath, {{"small.txt", "honest"}, {"liar.txt", gls::test::lowRatioBytes(3 << 20)}}));
        QCOMPARE(gls::test::patchDeclaredSize(zipPath, "liar.txt", 1000), 2);
        const QStringList before = listing(m_root->path());
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        QCOMPARE(zip.find(QStringLiteral("liar.txt"))->size, 1000);
        const ExtractResult result = SafeExtractor(zip).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Refused);
        QCOMPARE(result.entry, QStringLiteral("liar.txt"));
        // Our own byte count catches it before libzip's CRC check at the end would.
        QCOMPARE(result.rule, QStringLiteral("size-mismatch"));
        QCOMPARE(result.message,
            QStringLiteral(
                "'liar.txt' is refused: it inflates to more than the 1000 bytes its header declares (a lying "
                "header, as ZIP bombs have)"));
        QVERIFY2(result.message.contains(QLatin1String("liar.txt")), qPrintable(result.message));
        QVERIFY(result.bytesWritten <= 1000 + 6);
        // The honest entry before it was written; the liar left nothing, not even its .part.
        QCOMPARE(listing(m_target), QStringList{QStringLiteral("small.txt 6")});
        QStringList after = listing(m_root->path());
        after.removeAll(QStringLiteral("parent/target/small.txt 6"));
        QCOMPARE(after, before);

        // Declaring more than there is is refused too.
        const QString shortPath = m_root->filePath(QStringLiteral("short.zip"));
        QVERIFY(gls::test::makeZip(shortPath, {{"short.txt", gls::test::lowRatioBytes(4096)}}));
        QCOMPARE(gls::test::patchDeclaredSize(shortPath, "short.txt", 8192), 2);
        ZipArchive shortZip;
        QVERIFY(shortZip.open(shortPath));
        const ExtractResult shortResult = SafeExtractor(shortZip).extractTo(m_target);
        QCOMPARE(shortResult.status, ExtractResult::Refused);
        QVERIFY(!QFileInfo::exists(m_target + QStringLiteral("/short.txt")));
        QVERIFY(!QFileInfo::exists(m_target + QStringLiteral("/short.txt.part")));
    }

    void checksFreeSpaceFirst()
    {
        const qint64 free = QStorageInfo(m_target).bytesAvailable();
        const qint64 perEntry = 0xFFFFFFF0LL;
        const qint64 needed = free / perEntry + 2;
        if (needed > 4000)
            QSKIP("too much free space to outgrow with 4 GiB declarations");
        QList<ZipItem> items;
        for (qint64 i = 0; i < needed; ++i)
            items.append({QByteArray("big") + QByteArray::number(i), "x", ZipItem::File, true});
        const QString zipPath = m_root->filePath(QStringLiteral("huge.zip"));
        QVERIFY(gls::test::makeZip(zipPath, items));
        for (const ZipItem &item : items)
            QCOMPARE(gls::test::patchDeclaredSize(zipPath, item.name, quint32(perEntry)), 2);
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        ExtractOptions options;
        options.maxRatio = 1e15;
        options.maxTotalBytes = std::numeric_limits<qint64>::max();
        const ExtractResult result = SafeExtractor(zip, options).extractTo(m_target);
        QCOMPARE(result.status, ExtractResult::Failed);
        QCOMPARE(result.rule, QStringLiteral("disk-space"));
        QVERIFY2(result.message.startsWith(QLatin1String("not enough free space")), qPrintable(result.message));
        QVERIFY(listing(m_target).isEmpty());
    }

    void overwritePolicies()
    {
        const QString first = m_root->filePath(QStringLiteral("v1.zip"));
        const QString second = m_root->filePath(QStringLiteral("v2.zip"));
        QVERIFY(gls::test::makeZip(
            first, {{"logs/", {}, ZipItem::Folder}, {"logs/run.log", "version 1"}, {"README", "readme 1"}}));
        QVERIFY(gls::test::makeZip(
            second, {{"logs/", {}, ZipItem::Folder}, {"logs/run.log", "version 2"}, {"README", "readme 2"}}));
        ZipArchive v1, v2;
        QVERIFY(v1.open(first));
        QVERIFY(v2.open(second));
        QVERIFY(SafeExtractor(v1).extractTo(m_target).ok());
        const QString log = m_target + QStringLiteral("/logs/run.log");
        QCOMPARE(fileBytes(log), QByteArray("version 1"));

        // Refused by default, and nothing changes.
        const ExtractResult refused = SafeExtractor(v2).extractTo(m_target);
        QCOMPARE(refused.status, ExtractResult::Refused);
        QCOMPARE(refused.rule, QStringLiteral("exists"));
        QVERIFY2(refused.message.contains(QLatin1String("already exists")), qPrintable(refused.message));
        QCOMPARE(fileBytes(log), QByteArray("version 1"));
        QCOMPARE(fileBytes(m_target + QStringLiteral("/README")), QByteArray("readme 1"));

        ExtractOptions keepBoth;
        keepBoth.overwrite = OverwritePolicy::KeepBoth;
        const ExtractResult kept = SafeExtractor(v2, keepBoth).extractTo(m_target);
        QVERIFY2(kept.ok(), qPrintable(kept.message));
        QCOMPARE(fileBytes(log), QByteArray("version 1"));
        QCOMPARE(fileBytes(m_target + QStringLiteral("/logs/run (1).log")), QByteArray("version 2"));
        QCOMPARE(fileBytes(m_target + QStringLiteral("/README (1)")), QByteArray("readme 2"));
        QCOMPARE(kept.written.size(), 2);
        QVERIFY(kept.written.at(0).renamed);
        const ExtractResult keptAgain = SafeExtractor(v2, keepBoth).extractTo(m_target);
        QVERIFY(keptAgain.ok());
        QCOMPARE(fileBytes(m_target + QStringLiteral("/logs/run (2).log")), QByteArray("version 2"));

        ExtractOptions replace;
        replace.overwrite = OverwritePolicy::Replace;
        const ExtractResult replaced = SafeExtractor(v2, replace).extractTo(m_target);
        QVERIFY2(replaced.ok(), qPrintable(replaced.message));
        QCOMPARE(fileBytes(log), QByteArray("version 2"));
        QCOMPARE(fileBytes(m_target + QStringLiteral("/README")), QByteArray("readme 2"));
        QVERIFY(replaced.written.at(0).replaced);
        QStringList expected{QStringLiteral("README 8"), QStringLiteral("README (1) 8"), QStringLiteral("README (2) 8"),
            QStringLiteral("logs/"), QStringLiteral("logs/run (1).log 9"), QStringLiteral("logs/run (2).log 9"),
            QStringLiteral("logs/run.log 9")};
        expected.sort();
        QCOMPARE(listing(m_target), expected);
    }

    void onlyTakesGlobsAndExactNames()
    {
        gls::emu::ArchiveSpec spec;
        spec.sessionId = QStringLiteral("Ab3Cd5Ef7");
        spec.startedAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        spec.endedAt = spec.startedAt.addSecs(120);
        spec.targetSize = 300 * 1024;
        const QString zipPath = m_root->filePath(QStringLiteral("session.zip"));
        QString error;
        QVERIFY2(gls::emu::writeSessionArchive(spec, zipPath, &error), qPrintable(error));
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));

        auto extract = [&](const QStringList &only) {
            QDir(m_target).removeRecursively();
            ExtractOptions options;
            options.only = only;
            return SafeExtractor(zip, options).extractTo(m_target);
        };
        auto writtenNames = [](const ExtractResult &r) {
            QStringList names;
            for (const ExtractedFile &f : r.written)
                names.append(f.entry);
            return names;
        };
        ExtractResult r = extract({QStringLiteral("*.dmp")});
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.written.size(), 1);
        QVERIFY(r.written.first().entry.endsWith(QLatin1String("/Minidump.dmp")));
        QVERIFY(QFileInfo(r.written.first().path).isFile());
        QVERIFY(r.written.first().path.startsWith(QFileInfo(m_target).canonicalFilePath() + QLatin1Char('/')));
        QByteArray dump;
        QVERIFY(zip.readEntry(r.written.first().entry, &dump));
        QCOMPARE(fileBytes(r.written.first().path), dump);

        r = extract({QStringLiteral("stats/*"), QStringLiteral("profile/Documents/Game/user.cfg")});
        QVERIFY(r.ok());
        QCOMPARE(writtenNames(r),
            (QStringList{
                QStringLiteral("profile/Documents/Game/user.cfg"), QStringLiteral("stats/perf_stats_v1.csv")}));

        r = extract({QStringLiteral("application/Game/Saved/Logs")}); // a folder takes what is in it
        QVERIFY(r.ok());
        QCOMPARE(writtenNames(r), QStringList{QStringLiteral("application/Game/Saved/Logs/Game.log")});

        r = extract({QStringLiteral("*.log")});
        QCOMPARE(writtenNames(r),
            (QStringList{
                QStringLiteral("application/Game/Saved/Logs/Game.log"), QStringLiteral("temp/Game/shadercache.log")}));

        r = extract({QStringLiteral("*.nothing")});
        QCOMPARE(r.status, ExtractResult::Refused);
        QCOMPARE(r.rule, QStringLiteral("no-match"));
        QVERIFY(listing(m_target).isEmpty());

        r = extract({}); // everything, with each file's time
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.written.size(), 11);
        const QFileInfo cfg(m_target + QStringLiteral("/profile/Documents/Game/user.cfg"));
        QCOMPARE(cfg.lastModified().toUTC(), spec.startedAt);
    }

    void progressAndPartFiles()
    {
        const QString zipPath = m_root->filePath(QStringLiteral("big.zip"));
        const QByteArray big = gls::test::lowRatioBytes(3 << 20);
        QVERIFY(gls::test::makeZip(zipPath, {{"data/big.bin", big}}));
        ZipArchive zip;
        QVERIFY(zip.open(zipPath));
        const QString final = m_target + QStringLiteral("/data/big.bin");
        QList<qint64> seen;
        bool partWhileWriting = true;
        ExtractOptions options;
        options.progress = [&](qint64 done, qint64 total, const QString &entry) {
            seen.append(done);
            partWhileWriting = partWhileWriting && total == big.size() && entry == QLatin1String("data/big.bin")
                && QFileInfo::exists(final + QStringLiteral(".part")) && !QFileInfo::exists(final);
            return true;
        };
        const ExtractResult result = SafeExtractor(zip, options).extractTo(m_target);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QVERIFY(seen.size() > 2);
        QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
        QCOMPARE(seen.last(), big.size());
        QVERIFY(partWhileWriting);
        QCOMPARE(fileBytes(final), big);
        QVERIFY(!QFileInfo::exists(final + QStringLiteral(".part")));
        QCOMPARE(result.written.size(), 1);
        QCOMPARE(result.written.first().size, big.size());
        QCOMPARE(result.bytesWritten, big.size());

        // Cancelled half-way: no half file under the final name, no .part left.
        QDir(m_target).removeRecursively();
        options.progress = [](qint64 done, qint64, const QString &) { return done < (1 << 20); };
        const ExtractResult cancelled = SafeExtractor(zip, options).extractTo(m_target);
        QCOMPARE(cancelled.status, ExtractResult::Cancelled);
        QVERIFY(!QFileInfo::exists(final));
        QVERIFY(!QFileInfo::exists(final + QStringLiteral(".part")));
        QVERIFY(cancelled.written.isEmpty());

        // An existing NAME.part that is not ours is left alone.
        QVERIFY(QDir().mkpath(m_target + QStringLiteral("/data")));
        QFile stranger(final + QStringLiteral(".part"));
        QVERIFY(stranger.open(QIODevice::WriteOnly));
        stranger.write("someone else's");
        stranger.close();
        options.progress = {};
        QVERIFY(SafeExtractor(zip, options).extractTo(m_target).ok());
        QCOMPARE(fileBytes(final + QStringLiteral(".part")), QByteArray("someone else's"));
        QCOMPARE(fileBytes(final), big);
    }

    void nameRules()
    {
        QString rule;
        QVERIFY(SafeExtractor::nameProblem(QStringLiteral("application/Game/Saved/Logs/Game.log")).isEmpty());
        QVERIFY(SafeExtractor::nameProblem(QStringLiteral("a/./b..c/d")).isEmpty());
        QVERIFY(!SafeExtractor::nameProblem(QStringLiteral("a/\x01name"), &rule).isEmpty());
        QCOMPARE(rule, QStringLiteral("bad-name"));
        QVERIFY(!SafeExtractor::nameProblem(QStringLiteral("a/.."), &rule).isEmpty());
        QCOMPARE(rule, QStringLiteral("parent-segment"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_root;
    QString m_parent;
    QString m_target;
};

QTEST_GUILESS_MAIN(TestSafeExtractor)
#include "tst_safeextractor.moc"
