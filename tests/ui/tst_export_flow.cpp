// The whole flow a QA tester sees, wired as gls-exporter --demo wires it
// (gls_gui's GuiContext and AppController, the real gls-emulator over TLS, a
// real export store): export a session from the window, the session ends in
// the emulator, the status view shows SUCCEEDED, the archive downloads by
// itself, and the archive browser opens on it with the crash dump first.
// Then a second window on the same store (a restart) still lists the export.

#include "AppController.h"
#include "EmulatorHarness.h"
#include "StoreDamage.h"
#include "GuiContext.h"

#include "ArchiveBrowser.h"
#include "ArchiveEntryModel.h"
#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "ExportStatusView.h"
#include "MainWindow.h"
#include "SessionFilterProxy.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Credentials.h"
#include "credentials/ProfileSettings.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;

class TestExportFlow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    QTemporaryDir m_dir;
    std::unique_ptr<gui::GuiContext> m_context;
    std::unique_ptr<gui::AppController> m_controller;

    void startApp(const QString &storePath = {})
    {
        m_controller.reset();
        m_context.reset();
        gui::GuiSettings s;
        s.endpointUrl = m_emu->gameliftUrl();
        s.s3EndpointUrl = m_emu->s3Url();
        QString why;
        QVERIFY(aws::AwsTransport::loadCaBundle(m_emu->caPath(), &s.extraCaCertificates, &why));
        s.exportStorePath = storePath.isEmpty() ? m_dir.filePath(QStringLiteral("exports.sqlite")) : storePath;
        s.downloadFolder = m_dir.filePath(QStringLiteral("downloads"));
        s.fastTracking = true;
        s.requestsPerSecondPerOperation = 0;
        s.keychainService = QStringLiteral("gls-exporter-flow-test-%1").arg(QCoreApplication::applicationPid());
        s.env = QProcessEnvironment();
        s.env.insert(QStringLiteral("HOME"), m_dir.path());
        m_context = std::make_unique<gui::GuiContext>(s);
        m_controller = std::make_unique<gui::AppController>(m_context.get(), QStringList{QStringLiteral("us-west-2")},
                                                            true);
        m_context->useProvider(new aws::StaticCredentialsProvider(test::Emulator::defaultCredentials(),
                                                                  QStringLiteral("test")),
                               QStringLiteral("test key"));
        m_controller->start({});
        QTRY_VERIFY_WITH_TIMEOUT(m_controller->window() != nullptr, 20000);
        m_controller->window()->setAutoRefreshMs(0);
    }

    ui::MainWindow *window() const { return m_controller->window(); }

    // Our export's row (exports requested elsewhere, seeded in the emulator, are listed too).
    int rowOf(const QString &session) const
    {
        ui::ExportStatusModel *exports = window()->exportModel();
        for (int r = 0; r < exports->rowCount(); ++r) {
            const QModelIndex i = exports->index(r, 0);
            if (i.data(ui::ExportStatusModel::SessionArnRole).toString().endsWith(QLatin1Char('/') + session)
                && i.data(ui::ExportStatusModel::SourceRole).toString() == QLatin1String("APP"))
                return r;
        }
        return -1;
    }
    QString m_session;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--groups"), QStringLiteral("2"),
                                                             QStringLiteral("--sessions"), QStringLiteral("12"),
                                                             QStringLiteral("--regions"), QStringLiteral("us-west-2"),
                                                             QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
    }

    void cleanupTestCase()
    {
        m_controller.reset();
        m_context.reset();
    }

    void exportLandsDownloadsAndOpens()
    {
        // A session of our own, so the test knows it is exportable.
        const QString group = test::firstStreamGroupId(*m_emu);
        const QString session = test::newSession(*m_emu, group);
        m_session = session;
        startApp();
        ui::SessionTableModel *model = window()->sessionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < model->rowCount(); ++r) {
                    if (model->sessionAt(r).idFromArn() == session)
                        row = r;
                }
                return row >= 0;
            }(),
            20000);
        const QModelIndex index = window()->proxy()->mapFromSource(model->index(row, 0));
        window()->sessionTable()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                                      | QItemSelectionModel::Rows);
        window()->sessionTable()->setCurrentIndex(index);

        ui::ExportDialog *dialog = window()->openExportDialog();
        QVERIFY(dialog);
        dialog->setOutputUri(QStringLiteral("s3://gls-exports/flow/"));
        QVERIFY2(dialog->exportButton()->isEnabled(), qPrintable(dialog->blockReason()));
        dialog->exportButton()->click();

        ui::ExportStatusModel *exports = window()->exportModel();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(session) >= 0, 10000);
        const int mine = rowOf(session);
        QTRY_COMPARE_WITH_TIMEOUT(exports->index(mine, 0).data(ui::ExportStatusModel::StateRole).toString(),
                                  QStringLiteral("PENDING"), 20000);

        // The player leaves: the ZIP is written, the app notices, fetches it by itself.
        QVERIFY(test::endSession(*m_emu, session));
        QTRY_COMPARE_WITH_TIMEOUT(exports->index(mine, 0).data(ui::ExportStatusModel::StateRole).toString(),
                                  QStringLiteral("SUCCEEDED"), 90000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !exports->index(mine, 0).data(ui::ExportStatusModel::DownloadPathRole).toString().isEmpty(), 60000);
        const QString path = exports->index(mine, 0).data(ui::ExportStatusModel::DownloadPathRole).toString();
        QVERIFY(QFile::exists(path));
        QVERIFY(path.startsWith(m_dir.filePath(QStringLiteral("downloads"))));
        // The session table knows the session ended and its export SUCCEEDED.
        QTRY_COMPARE(model->sessionAt(model->rowOfArn(model->sessionAt(row).arn)).status, QStringLiteral("TERMINATED"));

        // Open archive: the browser shows the crash dump first.
        ui::ExportStatusView *view = window()->exportView();
        view->selectRow(mine);
        QVERIFY(view->openArchiveAction()->isEnabled());
        view->openArchiveAction()->trigger();
        ui::ArchiveBrowser *browser = nullptr;
        QTRY_VERIFY((browser = window()->findChild<ui::ArchiveBrowser *>()) != nullptr);
        QVERIFY2(browser->isOpen(), qPrintable(browser->errorText()));
        const QModelIndex firstGroup = browser->model()->index(0, 0);
        const QModelIndex firstEntry = browser->model()->index(0, 0, firstGroup);
        QVERIFY2(firstEntry.data(ui::ArchiveEntryModel::EntryNameRole).toString().endsWith(QLatin1String(".dmp")),
                 qPrintable(firstEntry.data(ui::ArchiveEntryModel::EntryNameRole).toString()));
        QVERIFY(browser->summaryText().contains(QLatin1String("crash dump")));
        // For the README (run under xvfb-run with QT_QPA_PLATFORM=xcb): the window with the
        // downloaded export, and the browser on its archive.
        if (const QString dir = qEnvironmentVariable("GLS_SCREENSHOT"); !dir.isEmpty()) {
            window()->resize(1580, 960);
            view->selectRow(mine);
            browser->selectEntry(firstEntry.data(ui::ArchiveEntryModel::EntryNameRole).toString());
            QTest::qWait(1500); // a screenshot, not a synchronisation: let the frames paint
            window()->grab().save(dir + QStringLiteral("/status-view.png"));
            browser->grab().save(dir + QStringLiteral("/archive-browser-from-app.png"));
        }
        browser->close();
    }

    void aRestartStillListsTheExport()
    {
        // Same store, new context and window: the export of the last run is there, downloaded.
        startApp();
        ui::ExportStatusModel *exports = window()->exportModel();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(m_session) >= 0, 10000);
        const int mine = rowOf(m_session);
        QCOMPARE(exports->index(mine, 0).data(ui::ExportStatusModel::StateRole).toString(), QStringLiteral("SUCCEEDED"));
        QVERIFY(!exports->index(mine, 0).data(ui::ExportStatusModel::DownloadPathRole).toString().isEmpty());
    }

    void optedOutProfilesDownloadOnlyWhenAsked()
    {
        // File > Download Archives Automatically, unchecked: the archive stays in S3 until asked for.
        window()->autoDownloadAction()->setChecked(false);
        creds::ProfileDefaults d = m_context->profileSettings()->load(QStringLiteral("default"));
        QVERIFY(!d.autoDownload);
        d.downloadFolder = m_dir.filePath(QStringLiteral("manual")); // as Download Folder… would set it
        m_context->profileSettings()->save(QStringLiteral("default"), d);
        const QString group = test::firstStreamGroupId(*m_emu);
        const QString session = test::newSession(*m_emu, group);
        ui::SessionTableModel *model = window()->sessionModel();
        window()->refreshAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < model->rowCount(); ++r) {
                    if (model->sessionAt(r).idFromArn() == session)
                        return true;
                }
                return false;
            }(),
            20000);
        gamelift::StreamSessionSummary summary;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->sessionAt(r).idFromArn() == session)
                summary = model->sessionAt(r);
        }
        window()->exportModel()->startExport(QString(), summary, QStringLiteral("s3://gls-exports/optout/"), true);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(session) >= 0, 10000);
        const int row = rowOf(session);
        ui::ExportStatusModel *exports = window()->exportModel();
        QTRY_COMPARE_WITH_TIMEOUT(exports->index(row, 0).data(ui::ExportStatusModel::StateRole).toString(),
                                  QStringLiteral("SUCCEEDED"), 90000);
        QCOMPARE(exports->index(row, 0).data(ui::ExportStatusModel::DownloadStateRole).toString(), QStringLiteral("NONE"));

        ui::ExportStatusView *view = window()->exportView();
        view->selectRow(row);
        QVERIFY(view->downloadAction()->isEnabled());
        QVERIFY(!view->openArchiveAction()->isEnabled());
        view->downloadAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!exports->index(row, 0).data(ui::ExportStatusModel::DownloadPathRole).toString().isEmpty(),
                                 60000);
        const QString path = exports->index(row, 0).data(ui::ExportStatusModel::DownloadPathRole).toString();
        QVERIFY(QFile::exists(path));
        QVERIFY2(path.startsWith(m_dir.filePath(QStringLiteral("manual"))), qPrintable(path));
        window()->autoDownloadAction()->setChecked(true);
    }

    void aDamagedHistoryIsExplained()
    {
        // A history that opens (what opening reads is whole) but whose oldest
        // rows cannot be read: the banner says the file is damaged and what to
        // do, instead of an empty status view and no word.
        const QString path = m_dir.filePath(QStringLiteral("damaged.sqlite"));
        QString why;
        QVERIFY2(test::writeDamagedHistory(path, test::firstStreamGroupId(*m_emu), &why), qPrintable(why));
        startApp(path);
        QTRY_VERIFY_WITH_TIMEOUT(window()->errorBanner()->isVisible(), 10000);
        const QString text = window()->errorBanner()->text();
        QVERIFY2(text.contains(path) && text.contains(QLatin1String("is damaged"))
                && text.contains(QLatin1String("move the file aside")),
            qPrintable(text));
    }
};

QTEST_MAIN(TestExportFlow)
#include "tst_export_flow.moc"
