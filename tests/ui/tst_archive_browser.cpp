// The archive browser on a real export archive written by the emulator's
// ArchiveWriter: crash dumps and logs listed first, the log searched, the
// perf-stats CSV charted point for point, the screenshot shown, extraction of
// everything or of the chosen files into real folders, refusals (an existing
// file, a name that climbs out of the target) with nothing written, and a file
// that is not a ZIP shown as an error inside the window.

#include "ArchiveBrowser.h"
#include "ArchiveEntryModel.h"
#include "ImagePreview.h"
#include "LogViewer.h"
#include "PerfChart.h"

#include "ArchiveWriter.h"
#include "ZipFixtures.h"

#include "archive/ArchiveEntry.h"
#include "archive/ZipArchive.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using gls::ui::ArchiveBrowser;
using gls::ui::ArchiveEntryModel;

namespace {

const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
const QString kLog = QStringLiteral("application/Game/Saved/Logs/Game.log");
const QString kCsv = QStringLiteral("stats/perf_stats_v1.csv");

gls::emu::ArchiveSpec sampleSpec()
{
    gls::emu::ArchiveSpec spec;
    spec.sessionId = QStringLiteral("Ab3Cd5Ef7");
    spec.streamGroupId = QStringLiteral("sg-1AB2C3De4");
    spec.applicationId = QStringLiteral("a-9ZY8X7Wv6");
    spec.userId = QStringLiteral("qa-tester-7");
    spec.location = QStringLiteral("us-west-2");
    spec.startedAt = kStart;
    spec.endedAt = kStart.addSecs(600);
    spec.seed = 7;
    spec.targetSize = 512 * 1024;
    return spec;
}

// Every file below `folder`, relative, sorted.
QStringList filesUnder(const QString &folder)
{
    QStringList out;
    QDir dir(folder);
    const QFileInfoList list = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QFileInfo &info : list) {
        if (info.isDir()) {
            for (const QString &sub : filesUnder(info.absoluteFilePath()))
                out.append(info.fileName() + QLatin1Char('/') + sub);
        } else {
            out.append(info.fileName());
        }
    }
    out.sort();
    return out;
}

} // namespace

class TestArchiveBrowser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_zip = m_dir.filePath(QStringLiteral("session.zip"));
        QString error;
        QVERIFY2(gls::emu::writeSessionArchive(sampleSpec(), m_zip, &error), qPrintable(error));
        gls::archive::ZipArchive zip;
        QVERIFY(zip.open(m_zip));
        for (const gls::archive::ArchiveEntry &e : zip.entries()) {
            if (e.category == gls::archive::Category::Image)
                m_png = e.name;
            if (e.category == gls::archive::Category::CrashDump)
                m_dump = e.name;
        }
        QVERIFY(m_png.endsWith(QLatin1String(".png")));
        QVERIFY(m_dump.endsWith(QLatin1String("Minidump.dmp")));
    }

    void listsCrashDumpsAndLogsFirst()
    {
        ArchiveBrowser browser(m_zip);
        QVERIFY(browser.isOpen());
        QVERIFY(browser.errorText().isEmpty());
        ArchiveEntryModel *model = browser.model();
        const QModelIndex crash = model->index(0, 0);
        QCOMPARE(crash.data(ArchiveEntryModel::GroupKeyRole).toString(), QStringLiteral("crash-and-logs"));
        QCOMPARE(crash.data().toString(), QStringLiteral("Crash dumps and logs"));
        QCOMPARE(model->rowCount(crash), 3); // the dump and two logs
        const QModelIndex first = model->index(0, 0, crash);
        QCOMPARE(first.data(ArchiveEntryModel::EntryNameRole).toString(), m_dump);
        // Flagged in words, not only by colour or icon.
        QCOMPARE(model->index(0, ArchiveEntryModel::KindColumn, crash).data().toString(), QStringLiteral("Crash dump"));
        QVERIFY(!first.data(Qt::DecorationRole).isNull());
        QCOMPARE(model->index(1, 0, crash).data(ArchiveEntryModel::EntryNameRole).toString(), kLog);
        QCOMPARE(model->index(1, ArchiveEntryModel::KindColumn, crash).data().toString(), QStringLiteral("Log"));
        // Then the archive's own folders, in order.
        QStringList groups;
        for (int row = 1; row < model->rowCount(); ++row)
            groups.append(model->index(row, 0).data(ArchiveEntryModel::GroupKeyRole).toString());
        QCOMPARE(groups,
            (QStringList{QStringLiteral("application"), QStringLiteral("profile"), QStringLiteral("temp"),
                QStringLiteral("stats")}));
        QVERIFY2(browser.summaryText().contains(QLatin1String("11 files")), qPrintable(browser.summaryText()));
        QVERIFY2(browser.summaryText().contains(QLatin1String("1 crash dump")), qPrintable(browser.summaryText()));

        // The filter keeps matching files and their groups only.
        browser.setFilterText(QStringLiteral("shadercache"));
        QSortFilterProxyModel *proxy = browser.filterModel();
        QCOMPARE(proxy->rowCount(), 2); // crash-and-logs (it is a log) and temp
        int shown = 0;
        for (int row = 0; row < proxy->rowCount(); ++row)
            shown += proxy->rowCount(proxy->index(row, 0));
        QCOMPARE(shown, 2);
        browser.setFilterText(QString());
        QCOMPARE(proxy->rowCount(), 5);
    }

    void showsTheLogAndFindsALine()
    {
        ArchiveBrowser browser(m_zip);
        QSignalSpy previewed(&browser, &ArchiveBrowser::previewChanged);
        QVERIFY(browser.selectEntry(kLog));
        QCOMPARE(previewed.count(), 1);
        QCOMPARE(browser.preview(), ArchiveBrowser::Preview::Text);
        gls::ui::LogViewer *log = browser.logViewer();
        QVERIFY(log->text().startsWith(QLatin1String("Log file open, ")));
        QVERIFY(log->editor()->isReadOnly());
        QVERIFY(log->note().isEmpty()); // not cut
        log->setSearchTerm(QStringLiteral("stream session ab3cd5ef7 started"));
        QVERIFY(log->matchCount() > 0);
        QCOMPARE(log->currentMatch(), 0);
        QCOMPARE(log->editor()->textCursor().selectedText(), QStringLiteral("Stream session Ab3Cd5Ef7 started"));
        QCOMPARE(log->editor()->extraSelections().size(), log->matchCount());
        log->setSearchTerm(QStringLiteral("no such line anywhere"));
        QCOMPARE(log->matchCount(), 0);
        QCOMPARE(log->currentMatch(), -1);

        // Ctrl+F puts the cursor in the search field.
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        browser.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&browser));
        browser.tree()->setFocus();
        QTest::keyClick(&browser, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(log->searchField()->hasFocus());
    }

    void chartsThePerfStatsRowForRow()
    {
        gls::archive::ZipArchive zip;
        QVERIFY(zip.open(m_zip));
        QByteArray csv;
        QVERIFY(zip.readEntry(kCsv, &csv));
        int rows = -1; // the header
        for (const QByteArray &line : csv.split('\n'))
            rows += line.trimmed().isEmpty() ? 0 : 1;
        QVERIFY(rows > 100);

        ArchiveBrowser browser(m_zip);
        QVERIFY(browser.selectEntry(kCsv));
        QCOMPARE(browser.preview(), ArchiveBrowser::Preview::Chart);
        const QList<QLineSeries *> series = browser.perfChart()->series();
        QCOMPARE(series.size(), 4);
        for (QLineSeries *s : series)
            QCOMPARE(int(s->count()), rows);
        QCOMPARE(series.at(0)->name(), QStringLiteral("CPU (%)"));
        QCOMPARE(series.at(0)->attachedAxes().size(), 2);
        QVERIFY(series.at(0)->attachedAxes().at(1) != series.at(1)->attachedAxes().at(1)); // percent vs MB
        QCOMPARE(series.at(0)->at(rows - 1).x(), double(rows - 1));                        // seconds from the start
    }

    void showsTheScreenshotAndTheDumpsFacts()
    {
        ArchiveBrowser browser(m_zip);
        QVERIFY(browser.selectEntry(m_png));
        QCOMPARE(browser.preview(), ArchiveBrowser::Preview::Image);
        QVERIFY(!browser.imagePreview()->pixmap().isNull());
        QCOMPARE(browser.imagePreview()->original().size(), QSize(96, 54)); // the emulator's screenshot

        QVERIFY(browser.selectEntry(m_dump));
        QCOMPARE(browser.preview(), ArchiveBrowser::Preview::Info);
        QVERIFY2(browser.infoText().contains(QLatin1String("debugger")), qPrintable(browser.infoText()));
        QVERIFY(browser.infoText().contains(QLatin1String("Crash dump")));
    }

    void extractsAllThenRefusesToOverwrite()
    {
        QTemporaryDir target;
        ArchiveBrowser browser(m_zip);
        QSignalSpy done(&browser, &ArchiveBrowser::extractionFinished);
        QVERIFY(browser.extractTo(target.path(), false));
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), true);
        QVERIFY2(browser.lastResult().ok(), qPrintable(browser.lastResult().message));
        QCOMPARE(filesUnder(target.path()).size(), 11);
        QFile log(target.filePath(kLog));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("Stream session Ab3Cd5Ef7 started"));
        QVERIFY2(browser.resultText().contains(QLatin1String("11 files")), qPrintable(browser.resultText()));
        QVERIFY(browser.resultText().contains(QDir::toNativeSeparators(browser.lastResult().target)));

        // Again into the same folder: refused by default, nothing changed.
        QFile::remove(target.filePath(m_png));
        QVERIFY(browser.extractTo(target.path(), false));
        QVERIFY(done.wait(60000));
        QCOMPARE(done.last().first().toBool(), false);
        QCOMPARE(browser.lastResult().rule, QStringLiteral("exists"));
        QVERIFY2(
            browser.resultText().startsWith(QLatin1String("Nothing was extracted")), qPrintable(browser.resultText()));
        QVERIFY(!QFile::exists(target.filePath(m_png)));

        // Replace, when chosen.
        browser.setOverwritePolicy(gls::archive::OverwritePolicy::Replace);
        QVERIFY(browser.extractTo(target.path(), false));
        QVERIFY(done.wait(60000));
        QVERIFY2(browser.lastResult().ok(), qPrintable(browser.lastResult().message));
        QVERIFY(QFile::exists(target.filePath(m_png)));
        QVERIFY2(browser.resultText().contains(QLatin1String("10 existing files replaced")),
            qPrintable(browser.resultText()));
    }

    void extractsOnlyTheChosenFiles()
    {
        QTemporaryDir target;
        ArchiveBrowser browser(m_zip);
        QVERIFY(browser.selectEntry(kLog));
        const QModelIndexList png = browser.filterModel()->match(browser.filterModel()->index(0, 0),
            ArchiveEntryModel::EntryNameRole, m_png, 1, Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(png.size(), 1);
        browser.tree()->selectionModel()->select(png.first(), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(browser.selectedEntries(), (QStringList{kLog, m_png}));

        QSignalSpy done(&browser, &ArchiveBrowser::extractionFinished);
        QVERIFY(browser.extractTo(target.path(), true));
        QVERIFY(done.wait(60000));
        QVERIFY2(browser.lastResult().ok(), qPrintable(browser.lastResult().message));
        QStringList expected{kLog, m_png};
        expected.sort();
        QCOMPARE(filesUnder(target.path()), expected);
    }

    void refusesAZipSlipArchiveAndWritesNothing()
    {
        QTemporaryDir dir;
        const QString evil = dir.filePath(QStringLiteral("evil.zip"));
        QString error;
        QVERIFY2(
            gls::test::makeZip(evil,
                {{"readme.txt", "harmless\n"}, {"logs/../../escaped.txt", "written outside the target\n"}}, &error),
            qPrintable(error));
        const QString target = dir.filePath(QStringLiteral("out/inner"));
        ArchiveBrowser browser(evil);
        QVERIFY2(browser.isOpen(), qPrintable(browser.errorText()));
        QSignalSpy done(&browser, &ArchiveBrowser::extractionFinished);
        QVERIFY(browser.extractTo(target, false));
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().first().toBool(), false);
        QCOMPARE(browser.lastResult().status, gls::archive::ExtractResult::Refused);
        QVERIFY2(
            browser.resultText().contains(QLatin1String("Nothing was extracted")), qPrintable(browser.resultText()));
        QVERIFY2(browser.resultText().contains(QLatin1String("escaped.txt")), qPrintable(browser.resultText()));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out/escaped.txt"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("escaped.txt"))));
        QVERIFY(!QFile::exists(target + QStringLiteral("/readme.txt")));
    }

    void showsWhyAFileIsNotAnArchive()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes-not-a-zip.zip"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("These are notes, not a ZIP archive.\n");
        file.close();
        ArchiveBrowser *browser = ArchiveBrowser::open(path);
        QVERIFY(QTest::qWaitForWindowExposed(browser));
        QVERIFY(!browser->isOpen());
        QVERIFY2(browser->errorText().contains(QLatin1String("notes-not-a-zip.zip")), qPrintable(browser->errorText()));
        QVERIFY2(browser->errorText().contains(QLatin1String("not a ZIP")), qPrintable(browser->errorText()));
        QCOMPARE(browser->model()->rowCount(), 0);
        QVERIFY(!browser->extractTo(dir.filePath(QStringLiteral("out")), false));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("out"))));
        QPointer<ArchiveBrowser> guard(browser);
        browser->close();
        QTRY_VERIFY(guard.isNull()); // deleted on close
    }

    void showsWhyATruncatedArchiveCannotBeOpened()
    {
        QTemporaryDir dir;
        QFile whole(m_zip);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray bytes = whole.readAll();
        const QString path = dir.filePath(QStringLiteral("half-downloaded.zip"));
        QFile half(path);
        QVERIFY(half.open(QIODevice::WriteOnly));
        half.write(bytes.left(bytes.size() / 2));
        half.close();
        ArchiveBrowser browser(path);
        QVERIFY(!browser.isOpen());
        QVERIFY2(browser.errorText().contains(QLatin1String("half-downloaded.zip")), qPrintable(browser.errorText()));
        QVERIFY2(browser.errorText().contains(QLatin1String("truncated")), qPrintable(browser.errorText()));
        QVERIFY(!browser.selectEntry(kLog));
    }

    void theTreeModelIsWellBehaved()
    {
        ArchiveBrowser browser(m_zip);
        QAbstractItemModelTester tester(browser.filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        browser.setFilterText(QStringLiteral(".log"));
        browser.setFilterText(QStringLiteral("no-such-file"));
        QCOMPARE(browser.filterModel()->rowCount(), 0);
        browser.setFilterText(QString());
        QCOMPARE(browser.filterModel()->rowCount(), 5);
    }

    // Not a check: GLS_SCREENSHOT=DIR under Xvfb captures the screen with the
    // chart and with the log into DIR (imagemagick's import).
    void screenshots()
    {
        const QString out = qEnvironmentVariable("GLS_SCREENSHOT");
        if (out.isEmpty())
            QSKIP("Set GLS_SCREENSHOT=DIR under Xvfb to capture screenshots");
        for (const QString &entry : {kCsv, kLog}) {
            ArchiveBrowser browser(m_zip);
            browser.move(0, 0);
            browser.resize(1600, 1000); // the whole Xvfb screen
            browser.show();
            QVERIFY(QTest::qWaitForWindowExposed(&browser));
            QVERIFY(browser.selectEntry(entry));
            if (entry == kLog)
                browser.logViewer()->setSearchTerm(QStringLiteral("error"));
            QCoreApplication::processEvents();
            const QString file = QDir(out).filePath(
                entry == kCsv ? QStringLiteral("archive-chart.png") : QStringLiteral("archive-log.png"));
            QProcess import;
            import.start(QStringLiteral("import"), {QStringLiteral("-window"), QStringLiteral("root"), file});
            QVERIFY(import.waitForFinished(30000));
            QCOMPARE(import.exitCode(), 0);
        }
    }

private:
    QTemporaryDir m_dir;
    QString m_zip;
    QString m_png;
    QString m_dump;
};

QTEST_MAIN(TestArchiveBrowser)
#include "tst_archive_browser.moc"
