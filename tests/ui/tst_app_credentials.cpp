// The desktop app's credentials, wired as gls-exporter wires them (gls_gui's
// GuiContext and AppController) on the offscreen platform: the real keychain
// (gnome-keyring on scripts/test.sh's private session bus), real AWS files in
// a temporary HOME, and gls-emulator's STS and GameLift Streams over TLS.
// The profile picker lists and switches profiles, a role with an MFA device
// asks for the code, export destinations are remembered per profile, and at
// the end no file the app wrote holds the secret. A second CTest entry runs
// withoutAKeychainTheAppExplainsAndKeepsWorking with no session bus
// (GLS_EXPECT_NO_KEYCHAIN): the app explains the missing keychain and keeps
// working with environment credentials.

#include "AppController.h"
#include "EmulatorHarness.h"
#include "GuiContext.h"

#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "MainWindow.h"
#include "MfaDialog.h"
#include "SessionFilterProxy.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileSettings.h"

#include <QAction>
#include <QComboBox>
#include <QDirIterator>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;

namespace {

const QByteArray kMfaRole = "arn:aws:iam::111122223333:role/MfaRole";
const QByteArray kMfaSerial = "arn:aws:iam::111122223333:mfa/gui-tester";

} // namespace

class TestAppCredentials : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::Emulator> m_emu;
    QTemporaryDir m_home;
    QString m_service;
    std::unique_ptr<gui::GuiContext> m_context;
    std::unique_ptr<gui::AppController> m_controller;

    gui::GuiSettings settings() const
    {
        gui::GuiSettings s;
        s.endpointUrl = m_emu->gameliftUrl();
        QString why;
        aws::AwsTransport::loadCaBundle(m_emu->caPath(), &s.extraCaCertificates, &why);
        s.env = QProcessEnvironment();
        s.env.insert(QStringLiteral("HOME"), m_home.path());
        s.env.insert(QStringLiteral("AWS_ENDPOINT_URL_STS"), m_emu->stsUrl());
        s.keychainService = m_service;
        s.requestsPerSecondPerOperation = 0;
        return s;
    }

    void writeFile(const QString &relative, const QByteArray &text)
    {
        const QString path = m_home.filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    ui::MainWindow *window() const { return m_controller ? m_controller->window() : nullptr; }

    QLabel *credentialsLabel() const
    {
        const auto labels = window()->findChildren<QLabel *>();
        for (QLabel *l : labels) {
            if (l->accessibleName() == QLatin1String("Credentials in use"))
                return l;
        }
        return nullptr;
    }

    void pickProfile(const QString &name)
    {
        QComboBox *picker = window()->profilePicker();
        // The picker is filled once the keychain has answered.
        QTRY_VERIFY2_WITH_TIMEOUT(picker->findData(name) >= 0, qPrintable(name), 20000);
        picker->setCurrentIndex(picker->findData(name));
    }

    void startApp(const gui::GuiSettings &s, const QString &profile)
    {
        m_controller.reset();
        m_context = std::make_unique<gui::GuiContext>(s);
        m_controller = std::make_unique<gui::AppController>(m_context.get(), QStringList{QStringLiteral("us-west-2")},
                                                            false);
        m_controller->start(profile);
        QTRY_VERIFY_WITH_TIMEOUT(window() != nullptr, 20000);
        window()->setAutoRefreshMs(0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const bool noKeychain = qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN");
        if (!noKeychain && qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a session bus with an unlocked keyring: run through scripts/test.sh");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral(".config")));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral(".config")));
        m_emu = std::make_unique<test::Emulator>(QStringList{
            QStringLiteral("--role"),
            QString::fromLatin1(kMfaRole + ",mfa-serial=" + kMfaSerial + ",mfa-code=123456")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_service = QStringLiteral("gls-exporter-gui-test-%1").arg(QCoreApplication::applicationPid());
        writeFile(QStringLiteral(".aws/credentials"),
                  "[base]\naws_access_key_id = " + QByteArray(test::kKeyId) + "\naws_secret_access_key = "
                      + QByteArray(test::kSecret) + "\n");
        writeFile(QStringLiteral(".aws/config"),
                  "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = base\n"
                  "[profile mfa]\nrole_arn = "
                      + kMfaRole + "\nsource_profile = base\nmfa_serial = " + kMfaSerial + "\n");
    }

    void cleanupTestCase()
    {
        m_controller.reset();
        m_context.reset();
    }

    void profilesListedAndSwitched()
    {
        if (qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QSKIP("keychain cases need the session bus");
        creds::KeychainStore store(m_service);
        creds::KeychainProfile qa;
        qa.name = QStringLiteral("qa");
        qa.credentials.accessKeyId = test::kKeyId;
        qa.credentials.secretAccessKey = test::kSecret;
        bool saved = false;
        store.save(qa, this, [&](const creds::KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(saved, 20000);

        startApp(settings(), QStringLiteral("qa"));
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionModel()->rowCount() > 0, 30000);
        QCOMPARE(credentialsLabel()->text(), QStringLiteral("Credentials: keychain:qa"));
        // Keychain and AWS-file profiles, each with where it comes from.
        QComboBox *picker = window()->profilePicker();
        QTRY_VERIFY_WITH_TIMEOUT(picker->findData(QStringLiteral("role")) >= 0, 20000);
        QCOMPARE(picker->currentData().toString(), QStringLiteral("qa"));
        QCOMPARE(picker->itemText(picker->findData(QStringLiteral("qa"))), QStringLiteral("qa (keychain)"));
        QCOMPARE(picker->itemText(picker->findData(QStringLiteral("role"))), QStringLiteral("role (assume role)"));
        QCOMPARE(picker->itemText(picker->findData(QStringLiteral("base"))), QStringLiteral("base (static keys)"));

        // Switching: new credentials (a role through STS), the sessions reload, the choice is kept.
        pickProfile(QStringLiteral("role"));
        QTRY_COMPARE_WITH_TIMEOUT(credentialsLabel()->text(),
                                  QStringLiteral("Credentials: aws-profile:role (assume role)"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionModel()->rowCount() > 0, 30000);
        QVERIFY(window()->errorBanner()->isHidden());
        QCOMPARE(m_context->profileSettings()->lastProfile(), QStringLiteral("role"));

        bool removed = false;
        store.remove(QStringLiteral("qa"), this, [&](const creds::KeychainResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
    }

    void exportDestinationsRememberedPerProfile()
    {
        if (qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QSKIP("keychain cases need the session bus");
        startApp(settings(), QStringLiteral("base"));
        ui::SessionTableModel *model = window()->sessionModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        int row = -1;
        for (int r = 0; r < model->rowCount() && row < 0; ++r) {
            if (model->index(r, 0).data(ui::SessionTableModel::CanExportRole).toBool())
                row = r;
        }
        QVERIFY(row >= 0);
        QTableView *table = window()->sessionTable();
        const QModelIndex index = window()->proxy()->mapFromSource(model->index(row, 0));
        table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table->setCurrentIndex(index);

        ui::ExportDialog *first = window()->openExportDialog();
        QVERIFY(first);
        QVERIFY(first->recentDestinations().isEmpty());
        first->setOutputUri(QStringLiteral("s3://gls-exports/qa-gui/"));
        QVERIFY2(first->exportButton()->isEnabled(), qPrintable(first->blockReason()));
        first->exportButton()->click();
        QTRY_VERIFY(window()->exportModel()->rowCount() > 0);

        ui::ExportDialog *second = window()->openExportDialog();
        QVERIFY(second);
        QCOMPARE(second->recentDestinations(), QStringList{QStringLiteral("s3://gls-exports/qa-gui/")});
        QCOMPARE(second->outputUri(), QStringLiteral("s3://gls-exports/qa-gui/"));
        second->reject();

        // Another profile has its own list.
        pickProfile(QStringLiteral("role"));
        QTRY_COMPARE_WITH_TIMEOUT(credentialsLabel()->text(),
                                  QStringLiteral("Credentials: aws-profile:role (assume role)"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        const QModelIndex again = window()->proxy()->index(0, 0);
        table->selectionModel()->select(again, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        ui::ExportDialog *third = window()->openExportDialog();
        QVERIFY(third);
        QVERIFY(third->recentDestinations().isEmpty());
        third->reject();
    }

    void roleWithMfaAsksForTheCode()
    {
        if (qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QSKIP("keychain cases need the session bus");
        startApp(settings(), QStringLiteral("base"));
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionModel()->rowCount() > 0, 30000);
        pickProfile(QStringLiteral("mfa"));
        // The first request needs credentials: the dialog asks, without blocking the window.
        ui::MfaDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window()->findChild<ui::MfaDialog *>()) != nullptr, 20000);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->okButton()->isEnabled());
        dialog->codeEdit()->setText(QStringLiteral("123456"));
        QVERIFY(dialog->okButton()->isEnabled());
        dialog->okButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionModel()->rowCount() > 0, 30000);
        QVERIFY2(window()->errorBanner()->isHidden(), qPrintable(window()->errorBanner()->text()));
    }

    void withoutAKeychainTheAppExplainsAndKeepsWorking()
    {
        if (!qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QSKIP("runs as its own CTest entry, without a session bus");
        gui::GuiSettings s = settings();
        s.env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(test::kKeyId));
        s.env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(test::kSecret));
        startApp(s, QString());
        QTRY_VERIFY_WITH_TIMEOUT(window()->sessionModel()->rowCount() > 0, 30000);
        QCOMPARE(credentialsLabel()->text(), QStringLiteral("Credentials: environment"));
        QTRY_VERIFY_WITH_TIMEOUT(window()->errorBanner()->isVisible(), 20000);
        QVERIFY2(window()->errorBanner()->text().contains(QLatin1String("No keychain is available")),
                 qPrintable(window()->errorBanner()->text()));
        // The AWS files' profiles are still offered.
        QVERIFY(window()->profilePicker()->findData(QStringLiteral("role")) >= 0);
    }

    void theRealAppPrintsNoSecret()
    {
        if (qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QSKIP("keychain cases need the session bus");
        // The executable itself, every debug category on, with a keychain
        // profile holding a session token too: its output must hold neither.
        const QByteArray token = "FQoGZXIvYXdzEXAMPLE-gui-session-token-never-shown-0123456789";
        creds::KeychainStore store(m_service);
        creds::KeychainProfile p;
        p.name = QStringLiteral("leaky");
        p.credentials.accessKeyId = test::kKeyId;
        p.credentials.secretAccessKey = test::kSecret;
        p.credentials.sessionToken = token;
        bool saved = false;
        store.save(p, this, [&](const creds::KeychainResult &r) { saved = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(saved, 20000);

        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("TMPDIR"), m_home.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
        env.insert(QStringLiteral("GLS_KEYCHAIN_SERVICE"), m_service);
        env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_emu->caPath());
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(test::binDir() + QStringLiteral("/gls-exporter"),
                  {QStringLiteral("--profile"), QStringLiteral("leaky"), QStringLiteral("--endpoint-url"),
                   m_emu->gameliftUrl(), QStringLiteral("--region"), QStringLiteral("us-west-2")});
        QByteArray output;
        // The listing is signed with the keychain profile and sent (and refused: the
        // emulator knows no token for this key); "attempt 1" is logged only once signed.
        QTRY_VERIFY_WITH_TIMEOUT((output += app.readAll()).contains("attempt 1"), 30000);
        QVERIFY2(!output.contains("No profile named"), output.constData());
        app.terminate();
        QVERIFY(app.waitForFinished(15000));
        output += app.readAll();
        QVERIFY2(!output.contains(test::kSecret), "the app's output holds the secret access key");
        QVERIFY2(!output.contains(token), "the app's output holds the session token");
        bool removed = false;
        store.remove(QStringLiteral("leaky"), this, [&](const creds::KeychainResult &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
    }

    // Last: nothing the app wrote under HOME (settings, layout) holds the secret.
    void zzNoSecretInAnyFile()
    {
        int files = 0;
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QLatin1String("/.aws/")))
                continue; // the test's own AWS files
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(test::kSecret), qPrintable(path + QStringLiteral(" holds the secret")));
            QVERIFY2(!bytes.contains(QByteArray(test::kSecret).toBase64()), qPrintable(path));
            QVERIFY2(!bytes.contains("gui-session-token-never-shown"), qPrintable(path + QStringLiteral(" holds the token")));
        }
        if (!qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN"))
            QVERIFY(files > 0); // the settings were written, and scanned
    }
};

QTEST_MAIN(TestAppCredentials)
#include "tst_app_credentials.moc"
