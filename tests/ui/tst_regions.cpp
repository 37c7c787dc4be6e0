// Several Regions at once, on the offscreen platform against the real
// gls-emulator over HTTPS (serving us-west-2 and us-east-2): choosing a second
// Region in the toolbar's picker loads its sessions beside the first one's
// (rows inserted, none removed, no reset), a session from each Region is
// exported in one go (each through its own Region's client), a Region whose
// listing fails shows in the banner by name and leaves the others' rows, a
// typed invalid Region is refused with core's message, the choice is
// remembered for the next window (a --region still wins), and dropping a
// Region removes just its rows.

#include "EmulatorHarness.h"

#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "TestExports.h"
#include "MainWindow.h"
#include "RegionPicker.h"
#include "SessionFilterProxy.h"
#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "gamelift/GameLiftClient.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace gls;
using gls::ui::ExportStatusModel;
using gls::ui::RegionPicker;
using gls::ui::SessionTableModel;

namespace {

const QString kWest = QStringLiteral("us-west-2");
const QString kEast = QStringLiteral("us-east-2");

} // namespace

class TestRegions : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    QNetworkAccessManager *m_network = nullptr;
    aws::CredentialsProvider *m_credentials = nullptr;
    aws::SystemClock m_clock;
    aws::AwsTransport *m_transport = nullptr;
    QHash<QString, gamelift::GameLiftClient *> m_clients; // one per Region, as the app's GuiContext
    QTemporaryDir m_settingsDir;
    ui::MainWindow *m_window = nullptr;
    std::unique_ptr<test::TestExports> m_exports;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    gamelift::GameLiftClient *clientFor(const QString &region, QString *error)
    {
        if (auto *client = m_clients.value(region))
            return client;
        aws::EndpointOptions options;
        options.region = region;
        options.endpointUrl = m_emu->gameliftUrl();
        const aws::Endpoint endpoint = aws::resolveGameLiftEndpoint(options, error);
        if (!endpoint.isValid())
            return nullptr;
        m_clients.insert(region, new gamelift::GameLiftClient(m_transport, endpoint));
        return m_clients.value(region);
    }

    ui::MainWindow::ClientFactory factory()
    {
        return [this](const QString &r, QString *e) { return clientFor(r, e); };
    }

    // The Region's sessions as the emulator lists them (the harness's own signed requests).
    QSet<QString> listedIn(const QString &region) const
    {
        QSet<QString> arns;
        QString token;
        do {
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("MaxResults"), QStringLiteral("100"));
            if (!token.isEmpty())
                query.addQueryItem(QStringLiteral("NextToken"), token);
            const QJsonObject page
                = m_emu
                      ->gamelift("GET", "/streamsessions", query.toString(QUrl::FullyEncoded).toLatin1(), {},
                          test::Emulator::defaultCredentials(), region.toLatin1())
                      .json();
            for (const QJsonValue &item : page.value(QStringLiteral("Items")).toArray())
                arns.insert(item.toObject().value(QStringLiteral("Arn")).toString());
            token = page.value(QStringLiteral("NextToken")).toString();
        } while (!token.isEmpty());
        return arns;
    }

    QSet<QString> shownIn(const QString &region) const
    {
        QSet<QString> arns;
        SessionTableModel *model = m_window->sessionModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(SessionTableModel::RegionRole).toString() == region)
                arns.insert(model->sessionAt(row).arn);
        }
        return arns;
    }

    QString groupIn(const QString &region) const
    {
        const QJsonArray items
            = m_emu->gamelift("GET", "/streamgroups", {}, {}, test::Emulator::defaultCredentials(), region.toLatin1())
                  .json()
                  .value(QStringLiteral("Items"))
                  .toArray();
        return items.at(0).toObject().value(QStringLiteral("Id")).toString();
    }

    QAction *menuAction(const QString &region) const
    {
        for (QAction *a : m_window->regionPicker()->regionMenu()->actions()) {
            if (a->isCheckable() && a->data().toString() == region)
                return a;
        }
        return nullptr;
    }

    bool refreshed()
    {
        QSignalSpy done(m_window->loader(), &ui::SessionLoader::finished);
        m_window->refreshAction()->trigger();
        return done.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("gls-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_regions"));

        // The emulator's default Regions: us-west-2 and us-east-2.
        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("60"),
            QStringLiteral("--groups"), QStringLiteral("4"), QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));

        aws::TransportSettings settings;
        QString why;
        QVERIFY2(
            aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &why), qPrintable(why));
        m_network = new QNetworkAccessManager(this);
        m_credentials
            = new aws::StaticCredentialsProvider(test::Emulator::defaultCredentials(), QStringLiteral("test"), this);
        m_transport = new aws::AwsTransport(m_network, m_credentials, &m_clock, settings, {}, this);

        m_exports = std::make_unique<test::TestExports>(factory());
        QVERIFY2(m_exports->ok(), qPrintable(m_exports->error()));
        m_window = new ui::MainWindow(factory(), m_exports->coordinator(),
            {kEast, kWest, QStringLiteral("ap-northeast-1"), QStringLiteral("eu-central-1")}, {kWest});
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_window->sessionModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->setAutoRefreshMs(0);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void cleanupTestCase()
    {
        m_tester.reset();
        delete m_window;
        if (m_exports) // null when initTestCase stopped before it
            m_exports->reset();
        qDeleteAll(m_clients);
        delete m_transport;
    }

    void startsWithOneRegion()
    {
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->loader()->isLoading() && m_window->sessionModel()->rowCount() > 0, 20000);
        QCOMPARE(m_window->regions(), QStringList{kWest});
        QCOMPARE(m_window->regionPicker()->text(), kWest);
        QVERIFY(!m_window->regionPicker()->accessibleName().isEmpty());
        QVERIFY(m_window->regionPicker()->toolTip().contains(kWest));
        QCOMPARE(shownIn(kWest), listedIn(kWest));
        QVERIFY(shownIn(kEast).isEmpty());
        // One Region: no Region column; the last Region cannot be unticked.
        QVERIFY(m_window->sessionTable()->isColumnHidden(SessionTableModel::Region));
        QVERIFY(!menuAction(kWest)->isEnabled());
        QVERIFY(m_window->statusText()->text().contains(kWest));
    }

    void choosingASecondRegionAddsItsSessions()
    {
        const QSet<QString> west = shownIn(kWest);
        QSignalSpy reset(m_window->sessionModel(), &QAbstractItemModel::modelReset);
        QSignalSpy removed(m_window->sessionModel(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy done(m_window->loader(), &ui::SessionLoader::finished);
        menuAction(kEast)->trigger(); // ticked in the menu, as the user does
        QVERIFY(done.wait(20000));

        QCOMPARE(m_window->regions(), (QStringList{kWest, kEast}));
        QCOMPARE(m_window->regionPicker()->text(), QStringLiteral("us-west-2 + 1"));
        QVERIFY(!listedIn(kEast).isEmpty());
        QCOMPARE(shownIn(kEast), listedIn(kEast));
        QCOMPARE(shownIn(kWest), west); // untouched
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 0);
        QVERIFY(!m_window->sessionTable()->isColumnHidden(SessionTableModel::Region));
        QVERIFY(menuAction(kWest)->isEnabled());
        const QString status = m_window->statusText()->text();
        QVERIFY2(status.contains(kWest) && status.contains(kEast), qPrintable(status));
        QVERIFY2(status.contains(QString::number(m_window->sessionModel()->rowCount())), qPrintable(status));

        // A refresh lists both again; rows keep coming from both.
        QVERIFY(refreshed());
        QCOMPARE(shownIn(kEast), listedIn(kEast));
        QCOMPARE(shownIn(kWest), listedIn(kWest));
        QCOMPARE(reset.count(), 0);
    }

    void exportsASessionFromEachRegionInOneGo()
    {
        const QString westGroup = groupIn(kWest);
        const QString eastGroup = groupIn(kEast);
        QVERIFY(!westGroup.isEmpty() && !eastGroup.isEmpty());
        const QString westId = test::newSession(*m_emu, westGroup, QStringLiteral("ACTIVE"));
        const QString eastId = test::newSession(*m_emu, eastGroup, QStringLiteral("ACTIVE"));
        QVERIFY(!westId.isEmpty() && !eastId.isEmpty());
        QVERIFY(refreshed());

        QTableView *table = m_window->sessionTable();
        table->clearSelection();
        for (const QString &id : {westId, eastId}) {
            m_window->searchBox()->setText(id);
            QCOMPARE(m_window->proxy()->rowCount(), 1);
        }
        m_window->searchBox()->clear();
        for (int row = 0; row < m_window->proxy()->rowCount(); ++row) {
            const QModelIndex index = m_window->proxy()->index(row, 0);
            const QString id = index.data(SessionTableModel::SessionIdRole).toString();
            if (id == westId || id == eastId)
                table->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        QCOMPARE(table->selectionModel()->selectedRows().size(), 2);
        QVERIFY2(m_window->exportAction()->isEnabled(), qPrintable(m_window->exportAction()->toolTip()));
        ui::ExportDialog *dialog = m_window->openExportDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->sessions().size(), 2);
        dialog->setOutputUri(QStringLiteral("s3://gls-exports/regions/"));
        QVERIFY2(dialog->exportButton()->isEnabled(), qPrintable(dialog->blockReason()));
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);

        // Each accepted by its own Region (the wrong client would get a ResourceNotFound).
        ExportStatusModel *exports = m_window->exportModel();
        QCOMPARE(exports->rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QTRY_COMPARE_WITH_TIMEOUT(
                exports->index(row, 0).data(ExportStatusModel::StateRole).toString(), QStringLiteral("PENDING"), 20000);
        }
        const auto inEmulator = [this](const QString &region, const QString &group, const QString &id) {
            return m_emu
                ->gamelift("GET", test::sessionPath(group, id), {}, {}, test::Emulator::defaultCredentials(),
                    region.toLatin1())
                .json()
                .value(QStringLiteral("ExportFilesMetadata"))
                .toObject()
                .value(QStringLiteral("Status"))
                .toString();
        };
        QCOMPARE(inEmulator(kWest, westGroup, westId), QStringLiteral("PENDING"));
        QCOMPARE(inEmulator(kEast, eastGroup, eastId), QStringLiteral("PENDING"));
        QVERIFY(!m_window->errorBanner()->isVisible());
    }

    void aRegionThatFailsIsNamedAndTheOthersStay()
    {
        const QSet<QString> west = shownIn(kWest);
        const QSet<QString> east = shownIn(kEast);
        // Typed in "Other Region…": a valid name the emulator does not serve.
        QDialog *dialog = m_window->regionPicker()->openOtherRegionDialog();
        QVERIFY(dialog);
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("regionEdit"));
        QVERIFY(edit);
        QSignalSpy done(m_window->loader(), &ui::SessionLoader::finished);
        QTest::keyClicks(edit, QStringLiteral("ap-south-1"));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QVERIFY(done.wait(20000));

        QCOMPARE(m_window->regions(), (QStringList{kWest, kEast, QStringLiteral("ap-south-1")}));
        QCOMPARE(m_window->regionPicker()->text(), QStringLiteral("us-west-2 + 2"));
        QVERIFY(m_window->errorBanner()->isVisible());
        QVERIFY2(m_window->errorBanner()->text().contains(QLatin1String("ap-south-1")),
            qPrintable(m_window->errorBanner()->text()));
        QCOMPARE(shownIn(kWest), west);
        QCOMPARE(shownIn(kEast), east);
        QVERIFY(m_window->statusText()->text().contains(QLatin1String("failed in ap-south-1")));

        // Dropping it clears its error.
        QAction *south = menuAction(QStringLiteral("ap-south-1"));
        QVERIFY(south);
        south->trigger();
        QCOMPARE(m_window->regions(), (QStringList{kWest, kEast}));
        QVERIFY(!m_window->errorBanner()->isVisible());
    }

    void anInvalidTypedRegionIsRefused()
    {
        RegionPicker *picker = m_window->regionPicker();
        QPointer<QDialog> dialog = picker->openOtherRegionDialog();
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("regionEdit"));
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("regionProblem"));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(edit && problem && ok);
        QTest::keyClicks(edit, QStringLiteral("US_West-2"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(problem->isVisible());
        // Core's Region rule, named in the message.
        QCOMPARE(problem->text(), RegionPicker::regionProblem(QStringLiteral("US_West-2")));
        QVERIFY2(problem->text().contains(QLatin1String("lowercase letters, digits and hyphens")),
            qPrintable(problem->text()));
        QTest::keyClick(edit, Qt::Key_Return); // Enter does not get it through either
        QString why;
        QVERIFY(!picker->addRegion(QStringLiteral("US_West-2"), &why));
        QCOMPARE(why, problem->text());
        QCOMPARE(m_window->regions(), (QStringList{kWest, kEast}));
        QVERIFY(dialog); // still open, still refusing
        dialog->reject();
    }

    void theChoiceIsRememberedAndARegionGivenWins()
    {
        // Ticked by the user above: remembered.
        QCOMPARE(ui::MainWindow::rememberedRegions(), (QStringList{kWest, kEast}));
        QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));

        ui::MainWindow again(factory(), m_exports->coordinator(), {kWest, kEast}, {});
        again.setAutoRefreshMs(0);
        QCOMPARE(again.regions(), (QStringList{kWest, kEast}));
        QCOMPARE(again.regionPicker()->text(), QStringLiteral("us-west-2 + 1"));
        QSignalSpy done(again.loader(), &ui::SessionLoader::finished);
        QVERIFY(done.wait(20000));
        QVERIFY(again.sessionModel()->rowCount() == m_window->sessionModel()->rowCount());

        // --region (or AWS_REGION) given: it wins, and the remembered choice stays as it was.
        ui::MainWindow given(factory(), m_exports->coordinator(), {kWest, kEast}, {kEast});
        given.setAutoRefreshMs(0);
        QCOMPARE(given.regions(), QStringList{kEast});
        QCOMPARE(ui::MainWindow::rememberedRegions(), (QStringList{kWest, kEast}));
    }

    void droppingARegionRemovesOnlyItsRows()
    {
        QVERIFY(refreshed());
        const QSet<QString> west = shownIn(kWest);
        QVERIFY(!west.isEmpty() && !shownIn(kEast).isEmpty());
        QSignalSpy reset(m_window->sessionModel(), &QAbstractItemModel::modelReset);
        QSignalSpy removed(m_window->sessionModel(), &QAbstractItemModel::rowsRemoved);
        menuAction(kEast)->trigger(); // unticked
        QCOMPARE(m_window->regions(), QStringList{kWest});
        QVERIFY(shownIn(kEast).isEmpty());
        QCOMPARE(shownIn(kWest), west);
        QCOMPARE(m_window->sessionModel()->rowCount(), int(west.size()));
        QVERIFY(removed.count() > 0);
        QCOMPARE(reset.count(), 0);
        QVERIFY(m_window->sessionTable()->isColumnHidden(SessionTableModel::Region));
        QCOMPARE(m_window->regionPicker()->text(), kWest);
        QVERIFY(!m_window->statusText()->text().contains(kEast));
        QCOMPARE(ui::MainWindow::rememberedRegions(), QStringList{kWest});
        // The last one stays: it cannot be unticked.
        QVERIFY(!menuAction(kWest)->isEnabled());
    }
};

QTEST_MAIN(TestRegions)
#include "tst_regions.moc"
