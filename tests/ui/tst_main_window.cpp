// The desktop app's main flow on the offscreen platform, against the real
// gls-emulator over HTTPS: the table loads every page, search finds a
// session (by ID and by a pasted ARN), the export dialog refuses a bad URI
// with core's message, an export goes PENDING -> SUCCEEDED once the session
// is ended through the control endpoint, Export is disabled for a
// TERMINATED session, and a service error shows in the window without
// blocking it. Then the session table's context menu (actions enabled by
// status, Copy session ID, End session… through an injected confirmer), the
// window's settings saved and restored, Retry of a FAILED export, and the
// notification when an export ends while the window is not active.

#include "EmulatorHarness.h"

#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "TestExports.h"
#include "MainWindow.h"
#include "SessionFilterProxy.h"
#include "ExportStatusView.h"
#include "SessionActions.h"
#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "exports/ExportTask.h"
#include "gamelift/KnownValues.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/Validation.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;
using gls::ui::ExportStatusModel;
using gls::ui::SessionTableModel;

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    QNetworkAccessManager *m_network = nullptr;
    aws::CredentialsProvider *m_credentials = nullptr;
    aws::SystemClock m_clock;
    aws::AwsTransport *m_transport = nullptr;
    QList<gamelift::GameLiftClient *> m_clients;
    QTemporaryDir m_settingsDir;
    ui::MainWindow *m_window = nullptr;
    std::unique_ptr<test::TestExports> m_exports;
    QString m_group;

    gamelift::GameLiftClient *makeClient(const QString &region, QString *error)
    {
        aws::EndpointOptions options;
        options.region = region;
        options.endpointUrl = m_emu->gameliftUrl();
        const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(options, error);
        if (!endpoint.isValid())
            return nullptr;
        m_clients.append(new gamelift::GameLiftClient(m_transport, endpoint));
        return m_clients.last();
    }

    bool refreshed()
    {
        QSignalSpy done(m_window->loader(), &ui::SessionLoader::finished);
        m_window->refreshAction()->trigger();
        return done.wait(20000);
    }

    // Shows just this session (typed into the search box) and selects it.
    bool selectOnly(const QString &id)
    {
        m_window->searchBox()->setText(id);
        if (m_window->proxy()->rowCount() != 1)
            return false;
        m_window->sessionTable()->selectRow(0);
        return m_window->sessionTable()->selectionModel()->selectedRows().size() == 1;
    }

    QString statusOf(const QString &id)
    {
        for (int row = 0; row < m_window->sessionModel()->rowCount(); ++row) {
            if (m_window->sessionModel()->sessionAt(row).idFromArn() == id)
                return m_window->sessionModel()->sessionAt(row).status;
        }
        return {};
    }

    // Refreshes, selects just this session and asks for its export through the dialog.
    bool exportThroughDialog(const QString &id, const QString &uri)
    {
        if (!refreshed() || !selectOnly(id))
            return false;
        ui::ExportDialog *dialog = m_window->openExportDialog();
        if (!dialog)
            return false;
        dialog->setOutputUri(uri);
        if (!dialog->exportButton()->isEnabled())
            return false;
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        return true;
    }

    QString sessionArn(const QString &id) const
    {
        for (int row = 0; row < m_window->sessionModel()->rowCount(); ++row) {
            if (m_window->sessionModel()->sessionAt(row).idFromArn() == id)
                return m_window->sessionModel()->sessionAt(row).arn;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The window's QSettings go to a temporary folder, never the user's.
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("gls-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));

        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("150"),
            QStringLiteral("--groups"), QStringLiteral("3"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));

        aws::TransportSettings settings;
        QString why;
        QVERIFY2(
            aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &why), qPrintable(why));
        m_network = new QNetworkAccessManager(this);
        m_credentials
            = new aws::StaticCredentialsProvider(test::Emulator::defaultCredentials(), QStringLiteral("test"), this);
        m_transport = new aws::AwsTransport(m_network, m_credentials, &m_clock, settings, {}, this);

        m_exports = std::make_unique<test::TestExports>([this](const QString &r, QString *e) { return makeClient(r, e); });
        QVERIFY2(m_exports->ok(), qPrintable(m_exports->error()));
        m_window = new ui::MainWindow([this](const QString &r, QString *e) { return makeClient(r, e); },
            m_exports->coordinator(), {QStringLiteral("us-east-2"), QStringLiteral("us-west-2")},
            {QStringLiteral("us-west-2")});
        m_window->setAutoRefreshMs(0);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void cleanupTestCase()
    {
        delete m_window;
        if (m_exports) // null when initTestCase stopped before it
            m_exports->reset();
        qDeleteAll(m_clients);
        delete m_transport;
    }

    void loadsEveryPage()
    {
        // 150 sessions: two pages of 100.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->sessionModel()->rowCount(), 150, 20000);
        QTRY_VERIFY(!m_window->loader()->isLoading());
        QVERIFY(!m_window->errorBanner()->isVisible());
        m_group = m_window->sessionModel()->sessionAt(0).streamGroupIdFromArn();
        QVERIFY(m_group.startsWith(QLatin1String("sg-")));
    }

    void refreshKeepsRowsAndSelection()
    {
        m_window->searchBox()->clear();
        QTableView *table = m_window->sessionTable();
        table->selectRow(40);
        table->scrollTo(table->currentIndex(), QAbstractItemView::PositionAtTop);
        const int scroll = table->verticalScrollBar()->value();
        QVERIFY(scroll > 0);
        const QString arn = table->currentIndex().data(SessionTableModel::ArnRole).toString();
        QSignalSpy reset(m_window->sessionModel(), &QAbstractItemModel::modelReset);
        QVERIFY(refreshed());
        QCOMPARE(reset.count(), 0);
        QCOMPARE(table->verticalScrollBar()->value(), scroll);
        const QModelIndexList selected = m_window->sessionTable()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(SessionTableModel::ArnRole).toString(), arn);
    }

    void searchExportAndFollow()
    {
        const QString id = test::newSession(*m_emu, m_group, QStringLiteral("CONNECTED"));
        QVERIFY(!id.isEmpty());
        QVERIFY(refreshed());
        QVERIFY(selectOnly(id));
        const QString arn = m_window->sessionTable()->currentIndex().data(SessionTableModel::ArnRole).toString();

        // A pasted full ARN finds it too.
        m_window->searchBox()->setText(arn);
        QCOMPARE(m_window->proxy()->rowCount(), 1);
        m_window->sessionTable()->selectRow(0);
        QVERIFY(m_window->exportAction()->isEnabled());

        ui::ExportDialog *dialog = m_window->openExportDialog();
        QVERIFY(dialog);
        QVERIFY(!dialog->exportButton()->isEnabled()); // no destination yet

        // A bad URI: refused with core's message, which names the rule.
        const QString bad = QStringLiteral("s3://Bad_Bucket/qa");
        dialog->setOutputUri(bad);
        QVERIFY(!dialog->exportButton()->isEnabled());
        const QString expected = gamelift::outputUriProblem(bad, QStringLiteral("S3 destination"));
        QVERIFY(!expected.isEmpty());
        bool shown = false;
        for (const QLabel *label : dialog->findChildren<QLabel *>())
            shown = shown || (label->isVisible() && label->text() == expected);
        QVERIFY2(shown, qPrintable(expected));

        dialog->setOutputUri(QStringLiteral("s3://gls-exports/ui-test/"));
        QVERIFY2(dialog->exportButton()->isEnabled(), qPrintable(dialog->blockReason()));
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);

        ExportStatusModel *exports = m_window->exportModel();
        QCOMPARE(exports->rowCount(), 1);
        const QModelIndex state = exports->index(0, ExportStatusModel::Status);
        QTRY_COMPARE_WITH_TIMEOUT(
            state.data(ExportStatusModel::StateRole).toString(), QStringLiteral("PENDING"), 20000);

        // The ZIP is written when the session ends.
        QVERIFY(test::endSession(*m_emu, id));
        QTRY_COMPARE_WITH_TIMEOUT(
            state.data(ExportStatusModel::StateRole).toString(), QStringLiteral("SUCCEEDED"), 90000);
        const QString uri = exports->index(0, 0).data(ExportStatusModel::OutputUriRole).toString();
        QVERIFY2(uri.startsWith(QLatin1String("s3://gls-exports/ui-test/")) && uri.endsWith(QLatin1String(".zip")),
            qPrintable(uri));
        QVERIFY(uri.contains(id));
        QCOMPARE(exports->index(0, ExportStatusModel::Result).data().toString(), uri);

        // Now TERMINATED: Export is disabled, with the reason.
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(id), QStringLiteral("TERMINATED"), 10000); // seen by the follow-up
        QVERIFY(refreshed());
        QVERIFY(selectOnly(id));
        QVERIFY(!m_window->exportAction()->isEnabled());
        QVERIFY(m_window->exportAction()->toolTip().contains(QLatin1String("TERMINATED")));
        ui::ExportDialog terminated({m_window->sessionModel()->sessionAt(m_window->sessionModel()->rowOfArn(arn))});
        terminated.setOutputUri(QStringLiteral("s3://gls-exports/ui-test/"));
        QVERIFY(!terminated.exportButton()->isEnabled());
        QVERIFY(terminated.blockReason().contains(QLatin1String("TERMINATED")));
    }

    void serviceErrorDoesNotBlock()
    {
        QCOMPARE(m_emu
                     ->control("PUT", "settings",
                         QJsonObject{{QStringLiteral("deny"),
                             QJsonArray{QStringLiteral("gameliftstreams:ExportStreamSessionFiles")}}})
                     .status,
            200);
        const QString id = test::newSession(*m_emu, m_group, QStringLiteral("ACTIVE"));
        QVERIFY(exportThroughDialog(id, QStringLiteral("s3://gls-exports/ui-test/")));

        QTRY_VERIFY_WITH_TIMEOUT(m_window->errorBanner()->isVisible(), 20000);
        QVERIFY2(m_window->errorBanner()->text().contains(QLatin1String("ExportStreamSessionFiles")),
            qPrintable(m_window->errorBanner()->text()));
        QVERIFY(m_window->errorBanner()->text().contains(QLatin1String("administrator")));
        QCOMPARE(m_window->exportModel()->index(1, 0).data(ExportStatusModel::StateRole).toString(),
            QStringLiteral("FAILED"));
        // Nothing modal: the window keeps working.
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY(refreshed());

        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{}}});
    }

    void retryRequestsAFailedExportAgain()
    {
        // Row 1 FAILED above (AccessDenied); its session is still ACTIVE.
        ExportStatusModel *exports = m_window->exportModel();
        ui::ExportStatusView *view = m_window->exportView();
        QCOMPARE(exports->rowCount(), 2);
        view->selectRow(0); // SUCCEEDED: nothing to retry
        QVERIFY(!view->retryAction()->isEnabled());
        QVERIFY(!view->copyReasonAction()->isEnabled());
        QVERIFY(view->copyUriAction()->isEnabled());
        view->selectRow(1);
        QVERIFY(view->retryAction()->isEnabled());
        QVERIFY(view->copyReasonAction()->isEnabled());
        QVERIFY(!view->copyUriAction()->isEnabled());
        view->copyReasonAction()->trigger();
        const QString reason = QApplication::clipboard()->text();
        QVERIFY(!reason.isEmpty());
        QCOMPARE(reason, exports->index(1, 0).data(ExportStatusModel::FailureReasonRole).toString());

        view->retryAction()->trigger(); // the permission is back: the service accepts it
        QCOMPARE(exports->rowCount(), 3);
        QCOMPARE(exports->index(2, ExportStatusModel::Destination).data().toString(),
            exports->index(1, ExportStatusModel::Destination).data().toString());
        QCOMPARE(exports->index(2, 0).data(ExportStatusModel::SessionArnRole).toString(),
            exports->index(1, 0).data(ExportStatusModel::SessionArnRole).toString());
        QTRY_COMPARE_WITH_TIMEOUT(
            exports->index(2, 0).data(ExportStatusModel::StateRole).toString(), QStringLiteral("PENDING"), 20000);
    }

    void retryOfAnEndedSessionShowsTheServiceAnswer()
    {
        // A real FAILED export: to a bucket that does not exist, written when the session ends.
        const QString id = test::newSession(*m_emu, m_group, QStringLiteral("ACTIVE"));
        QVERIFY(exportThroughDialog(id, QStringLiteral("s3://gls-missing-bucket/qa/")));
        ExportStatusModel *exports = m_window->exportModel();
        const int row = exports->rowCount() - 1;
        QTRY_COMPARE_WITH_TIMEOUT(
            exports->index(row, 0).data(ExportStatusModel::StateRole).toString(), QStringLiteral("PENDING"), 20000);

        // Ends while another window is active: the user is told (no tray offscreen: the status bar).
        QWidget elsewhere;
        elsewhere.show();
        QVERIFY(QTest::qWaitForWindowExposed(&elsewhere));
        elsewhere.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&elsewhere));
        QTRY_VERIFY(!m_window->isActiveWindow());
        QSignalSpy notified(m_window, &ui::MainWindow::exportNotified);
        QVERIFY(test::endSession(*m_emu, id));
        QTRY_COMPARE_WITH_TIMEOUT(
            exports->index(row, 0).data(ExportStatusModel::StateRole).toString(), QStringLiteral("FAILED"), 90000);
        QTRY_COMPARE(notified.count(), 1);
        QVERIFY2(notified.first().first().toString().contains(id), qPrintable(notified.first().first().toString()));
        QVERIFY(notified.first().first().toString().contains(QLatin1String("FAILED")));
        if (!QSystemTrayIcon::isSystemTrayAvailable()) // offscreen: no tray, the status bar says it
            QVERIFY(m_window->statusBar()->currentMessage().contains(QLatin1String("FAILED")));

        // The bucket now exists, but the session has ended: Retry asks again and shows the service's answer.
        QCOMPARE(m_emu->control("PUT", "buckets/gls-missing-bucket").status, 200);
        m_window->errorBanner()->hide();
        m_window->exportView()->selectRow(row);
        QVERIFY(m_window->exportView()->retryAction()->isEnabled());
        m_window->exportView()->retryAction()->trigger();
        QCOMPARE(exports->rowCount(), row + 2);
        QTRY_COMPARE_WITH_TIMEOUT(
            exports->index(row + 1, 0).data(ExportStatusModel::StateRole).toString(), QStringLiteral("FAILED"), 20000);
        QTRY_VERIFY(m_window->errorBanner()->isVisible());
        const QString banner = m_window->errorBanner()->text();
        QVERIFY2(banner.contains(QLatin1String("ExportStreamSessionFiles")) && banner.contains(id)
                && banner.contains(QLatin1String("TERMINATED")),
            qPrintable(banner));
        const QString reason = exports->index(row + 1, 0).data(ExportStatusModel::FailureReasonRole).toString();
        QVERIFY2(reason.contains(QLatin1String("TERMINATED")), qPrintable(reason));
        elsewhere.close();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
    }

    void contextMenuFollowsTheStatus()
    {
        ui::SessionActions *actions = m_window->sessionActions();
        struct Case {
            QString status;
            bool canEnd;
        };
        const QList<Case> cases{{QStringLiteral("ACTIVE"), true}, {QStringLiteral("CONNECTED"), true},
            {QStringLiteral("PENDING_CLIENT_RECONNECTION"), true}, {QStringLiteral("ACTIVATING"), false},
            {QStringLiteral("TERMINATING"), false}, {QStringLiteral("TERMINATED"), false},
            {QStringLiteral("ERROR"), false}};
        QStringList ids;
        for (const Case &c : cases)
            ids.append(test::newSession(*m_emu, m_group, c.status));
        QVERIFY(refreshed());
        for (int i = 0; i < cases.size(); ++i) {
            QVERIFY2(selectOnly(ids.at(i)), qPrintable(ids.at(i)));
            QCOMPARE(statusOf(ids.at(i)), cases.at(i).status);
            QMenu *menu = m_window->popupSessionMenu(QPoint(10, 10));
            QVERIFY(menu->actions().contains(actions->endSessionAction()));
            QVERIFY(menu->actions().contains(m_window->exportAction()));
            QVERIFY(menu->actions().contains(m_window->refreshAction()));
            QCOMPARE(actions->endSessionAction()->isEnabled(), cases.at(i).canEnd);
            QCOMPARE(m_window->exportAction()->isEnabled(), gamelift::canExport(cases.at(i).status));
            if (!cases.at(i).canEnd)
                QVERIFY2(actions->endSessionAction()->toolTip().contains(cases.at(i).status),
                    qPrintable(actions->endSessionAction()->toolTip()));
            QVERIFY(actions->copyIdAction()->isEnabled());
            QVERIFY(actions->showDetailsAction()->isEnabled());
            menu->close();
        }
        // The status column shows the longest status whole; its tooltip has the full value.
        QTableView *table = m_window->sessionTable();
        QVERIFY(selectOnly(ids.at(2)));
        const QModelIndex status = m_window->proxy()->index(0, SessionTableModel::Status);
        QCOMPARE(status.data().toString(), QStringLiteral("PENDING_CLIENT_RECONNECTION"));
        QVERIFY(status.data(Qt::ToolTipRole).toString().startsWith(QLatin1String("PENDING_CLIENT_RECONNECTION")));
        QVERIFY(table->columnWidth(SessionTableModel::Status)
            >= table->fontMetrics().horizontalAdvance(QStringLiteral("PENDING_CLIENT_RECONNECTION")) + 30);

        // Nothing selected: nothing to copy or end.
        table->clearSelection();
        QVERIFY(!actions->copyIdAction()->isEnabled());
        QVERIFY(!actions->endSessionAction()->isEnabled());
    }

    void keyboardOpensTheMenu()
    {
        m_window->searchBox()->clear();
        QTableView *table = m_window->sessionTable();
        table->selectRow(0);
        table->setFocus();
        QTest::keyClick(table, Qt::Key_F10, Qt::ShiftModifier);
        QTRY_VERIFY(qobject_cast<QMenu *>(QApplication::activePopupWidget()));
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        QVERIFY(menu->actions().contains(m_window->sessionActions()->copyIdAction()));
        menu->close();
        QTRY_VERIFY(!QApplication::activePopupWidget());
        // The popup took the key release: let go of Shift, or the next selectRow() extends a range.
        QTest::keyRelease(table, Qt::Key_Shift);
        QCOMPARE(QGuiApplication::keyboardModifiers(), Qt::NoModifier);
    }

    void copySessionIds()
    {
        const QString a = test::newSession(*m_emu, m_group, QStringLiteral("ACTIVE"));
        const QString b = test::newSession(*m_emu, m_group, QStringLiteral("ACTIVE"));
        QVERIFY(refreshed());
        QVERIFY(selectOnly(a));
        m_window->sessionActions()->copyIdAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), a);
        m_window->sessionActions()->copyArnAction()->trigger();
        QVERIFY(QApplication::clipboard()->text().endsWith(QLatin1Char('/') + a));
        QVERIFY(QApplication::clipboard()->text().startsWith(QLatin1String("arn:aws:gameliftstreams:")));

        // Both selected: one ID per line.
        m_window->searchBox()->clear();
        QTableView *table = m_window->sessionTable();
        table->clearSelection();
        for (const QString &id : {a, b}) {
            const int row = m_window->proxy()
                                ->mapFromSource(m_window->sessionModel()->index(
                                    m_window->sessionModel()->rowOfArn(sessionArn(id)), 0))
                                .row();
            table->selectionModel()->select(
                m_window->proxy()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        m_window->sessionActions()->copyIdAction()->trigger();
        QStringList copied = QApplication::clipboard()->text().split(QLatin1Char('\n'));
        copied.sort();
        QStringList expected{a, b};
        expected.sort();
        QCOMPARE(copied, expected);

        // Ctrl+C in the table does the same.
        QApplication::clipboard()->clear();
        table->setFocus();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        copied = QApplication::clipboard()->text().split(QLatin1Char('\n'));
        copied.sort();
        QCOMPARE(copied, expected);
    }

    void endSessionAfterConfirmation()
    {
        const QString id = test::newSession(*m_emu, m_group, QStringLiteral("CONNECTED"));
        QVERIFY(refreshed());
        QVERIFY(selectOnly(id));
        QStringList asked;
        m_window->sessionActions()->setConfirmer(
            [&asked](QWidget *, const QString &question, const std::function<void()> &accept) {
                asked.append(question);
                accept();
            });
        QVERIFY(m_window->sessionActions()->endSessionAction()->isEnabled());
        QSignalSpy ending(m_window->sessionActions(), &ui::SessionActions::sessionEnding);
        m_window->sessionActions()->endSessionAction()->trigger();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.first().contains(id), qPrintable(asked.first()));
        QVERIFY(ending.wait(20000));
        const QString inEmulator = test::rawSession(*m_emu, m_group, id).value(QStringLiteral("Status")).toString();
        QVERIFY2(inEmulator == QLatin1String("TERMINATING") || inEmulator == QLatin1String("TERMINATED"),
            qPrintable(inEmulator));
        // The table follows (the window refreshes after the call).
        QTRY_VERIFY_WITH_TIMEOUT(
            statusOf(id) == QLatin1String("TERMINATING") || statusOf(id) == QLatin1String("TERMINATED"), 20000);
        QVERIFY(!m_window->sessionActions()->endSessionAction()->isEnabled());

        // Declined: nothing is sent.
        const QString kept = test::newSession(*m_emu, m_group, QStringLiteral("ACTIVE"));
        QVERIFY(refreshed());
        QVERIFY(selectOnly(kept));
        m_window->sessionActions()->setConfirmer([](QWidget *, const QString &, const std::function<void()> &) {});
        m_window->sessionActions()->endSessionAction()->trigger();
        QCOMPARE(test::rawSession(*m_emu, m_group, kept).value(QStringLiteral("Status")).toString(),
            QStringLiteral("ACTIVE"));
    }

    void settingsAreRestored()
    {
        m_window->searchBox()->clear();
        QTableView *table = m_window->sessionTable();
        table->setColumnWidth(SessionTableModel::UserId, 211);
        table->sortByColumn(SessionTableModel::UserId, Qt::AscendingOrder);
        m_window->errorBanner()->hide(); // both windows lay out the same space
        m_window->resize(1234, 777);
        auto *split = m_window->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
        QVERIFY(split);
        split->setSizes({500, 250});
        const QList<int> sizes = split->sizes();
        m_window->saveSettings();
        QVERIFY(QFile::exists(QSettings().fileName()));
        QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));

        ui::MainWindow again([this](const QString &r, QString *e) { return makeClient(r, e); }, m_exports->coordinator(),
            {QStringLiteral("us-west-2")}, {QStringLiteral("us-west-2")});
        again.setAutoRefreshMs(0);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(1234, 777));
        QCOMPARE(again.sessionTable()->columnWidth(SessionTableModel::UserId), 211);
        QCOMPARE(again.sessionTable()->horizontalHeader()->sortIndicatorSection(), int(SessionTableModel::UserId));
        QCOMPARE(again.sessionTable()->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
        QCOMPARE(again.proxy()->sortColumn(), int(SessionTableModel::UserId));
        QTRY_COMPARE(again.findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes(), sizes);
        // Nothing secret in there.
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toByteArray().contains(test::kSecret), qPrintable(key));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
