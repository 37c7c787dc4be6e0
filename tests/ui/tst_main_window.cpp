// The desktop app's main flow on the offscreen platform, against the real
// gls-emulator over HTTPS: the table loads every page, search finds a
// session (by ID and by a pasted ARN), the export dialog refuses a bad URI
// with core's message, an export goes PENDING -> SUCCEEDED once the session
// is ended through the control endpoint, Export is disabled for a
// TERMINATED session, and a service error shows in the window without
// blocking it.

#include "EmulatorHarness.h"

#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "MainWindow.h"
#include "SessionFilterProxy.h"
#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/Validation.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
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
    ui::MainWindow *m_window = nullptr;
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

private Q_SLOTS:
    void initTestCase()
    {
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

        m_window = new ui::MainWindow([this](const QString &r, QString *e) { return makeClient(r, e); },
            {QStringLiteral("us-east-2"), QStringLiteral("us-west-2")}, QStringLiteral("us-west-2"));
        m_window->setAutoRefreshMs(0);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void cleanupTestCase()
    {
        delete m_window;
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
        QVERIFY(refreshed());
        QVERIFY(selectOnly(id));
        ui::ExportDialog *dialog = m_window->openExportDialog();
        QVERIFY(dialog);
        dialog->setOutputUri(QStringLiteral("s3://gls-exports/ui-test/"));
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);

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
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
