// The credentials dialogs on the offscreen platform, against real parts: the
// Secret Service (gnome-keyring on the private session bus CTest runs in),
// gls-emulator's STS over TLS, and real AWS files in a temporary HOME.
// A profile is added through the form and lands in the keychain, bad input is
// refused with messages naming the field, editing with the secret left empty
// keeps it, Test shows the emulator's account (and the error for a wrong
// secret), Remove asks and removes, the AWS files' profiles are listed
// read-only with their kinds, and the MFA prompt answers with the typed code
// or nothing. Secrets are compared with QVERIFY(a == b), never printed.
// Run with GLS_EXPECT_NO_KEYCHAIN=1 and no session bus, keychainUnavailable()
// checks the plain explanation and the disabled actions.

#include "EmulatorHarness.h"

#include "CredentialsDialog.h"
#include "MfaDialog.h"
#include "ProfileListModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileSettings.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <tuple>

using namespace gls;
using ui::CredentialsDialog;
using ui::ProfileListModel;

namespace {

constexpr int kWaitMs = 30000;

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestCredentialsDialog : public QObject {
    Q_OBJECT

    bool m_noKeychainRun = qEnvironmentVariableIsSet("GLS_EXPECT_NO_KEYCHAIN");
    QTemporaryDir m_home;
    std::unique_ptr<test::Emulator> m_emu;
    QNetworkAccessManager m_network;
    aws::SystemClock m_clock;
    std::unique_ptr<creds::KeychainStore> m_store;
    std::unique_ptr<creds::ProfileSettings> m_settings;
    ui::CredentialsDialogServices m_services;
    CredentialsDialog *m_dialog = nullptr;
    QStringList m_questions;
    bool m_acceptRemoval = true;

    std::optional<creds::KeychainResult> readKeychain(const QString &name)
    {
        std::optional<creds::KeychainResult> got;
        m_store->read(name, this, [&](const creds::KeychainResult &r) { got = r; });
        (void)QTest::qWaitFor([&] { return got.has_value(); }, kWaitMs);
        return got;
    }

    QString cell(const QString &name, bool keychain, int column) const
    {
        const int row = m_dialog->model()->rowOf(name, keychain);
        return row < 0 ? QString() : m_dialog->model()->index(row, column).data().toString();
    }

    std::unique_ptr<CredentialsDialog> newDialog()
    {
        auto dialog = std::make_unique<CredentialsDialog>(m_store.get(), m_settings.get(), m_services);
        QSignalSpy loaded(dialog.get(), &CredentialsDialog::reloaded);
        dialog->show();
        if (!loaded.wait(kWaitMs))
            return nullptr;
        return dialog;
    }

    // Fills the Add form and clicks Save; true when the save went through.
    bool addThroughForm(const QString &name, const QString &keyId, const QString &secret, const QString &region)
    {
        QTest::mouseClick(m_dialog->addButton(), Qt::LeftButton);
        if (!m_dialog->isFormShown())
            return false;
        typeInto(m_dialog->nameEdit(), name);
        typeInto(m_dialog->keyIdEdit(), keyId);
        typeInto(m_dialog->secretEdit(), secret);
        m_dialog->regionCombo()->setCurrentText(region);
        QSignalSpy saved(m_dialog, &CredentialsDialog::saveFinished);
        QTest::mouseClick(m_dialog->saveButton(), Qt::LeftButton);
        return (!saved.isEmpty() || saved.wait(kWaitMs)) && saved.first().first().toBool();
    }

    bool test(const QString &name)
    {
        if (!m_dialog->selectProfile(name) || !m_dialog->testButton()->isEnabled())
            return false;
        QSignalSpy done(m_dialog, &CredentialsDialog::testFinished);
        QTest::mouseClick(m_dialog->testButton(), Qt::LeftButton);
        return done.wait(kWaitMs) && done.first().first().toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QDir(m_home.path()).mkpath(QStringLiteral(".aws"));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".aws/config")),
            "[default]\nregion = us-west-2\n\n"
            "[profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/GlsExporterQA\nsource_profile = default\n\n"
            "[profile tooling]\ncredential_process = /usr/bin/false\n\n"
            "[profile corp-sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = QA\n\n"
            "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"));
        QVERIFY(writeFile(m_home.filePath(QStringLiteral(".aws/credentials")),
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("settings")));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("settings")));

        m_services.env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_STS", "AWS_PROFILE"})
            m_services.env.remove(QString::fromLatin1(name));
        m_services.env.insert(QStringLiteral("HOME"), m_home.path());
        m_services.network = &m_network;
        m_services.clock = &m_clock;
        m_services.confirm = [this](QWidget *, const QString &question, std::function<void()> accept) {
            m_questions.append(question);
            if (m_acceptRemoval)
                accept();
        };

        const QString service = QStringLiteral("gls-test-credentials-dialog-%1-%2")
                                    .arg(QCoreApplication::applicationPid())
                                    .arg(QRandomGenerator::global()->generate());
        m_store = std::make_unique<creds::KeychainStore>(service);
        m_settings = std::make_unique<creds::ProfileSettings>(m_home.filePath(QStringLiteral("profiles.conf")));
        if (m_noKeychainRun)
            return;

        m_emu = std::make_unique<test::Emulator>();
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        QString error;
        QVERIFY2(aws::AwsTransport::loadCaBundle(m_emu->caPath(), &m_services.transport.extraCaCertificates, &error),
            qPrintable(error));
        const QString stsUrl = m_emu->stsUrl();
        m_services.stsEndpoint = [stsUrl](const QString &, const creds::ProfileDefaults &settings, QString *error) {
            aws::EndpointOptions options;
            options.region = settings.region.isEmpty() ? QString::fromLatin1(test::kRegion) : settings.region;
            options.endpointUrl = stsUrl;
            options.env = QProcessEnvironment();
            return aws::resolveStsEndpoint(options, error);
        };
    }

    void init()
    {
        if (m_noKeychainRun)
            return;
        m_dialog = new CredentialsDialog(m_store.get(), m_settings.get(), m_services);
        QSignalSpy loaded(m_dialog, &CredentialsDialog::reloaded);
        m_dialog->show();
        QVERIFY(loaded.wait(kWaitMs));
        QVERIFY2(m_dialog->isKeychainAvailable(), qPrintable(m_dialog->bannerLabel()->text()));
    }

    void cleanup()
    {
        delete m_dialog;
        m_dialog = nullptr;
    }

    void fileProfilesListedReadOnly()
    {
        using C = ProfileListModel;
        QCOMPARE(cell(QStringLiteral("default"), false, C::CredentialsColumn), QStringLiteral("Static keys"));
        QCOMPARE(cell(QStringLiteral("deploy"), false, C::CredentialsColumn), QStringLiteral("Role (AssumeRole)"));
        QCOMPARE(cell(QStringLiteral("tooling"), false, C::CredentialsColumn), QStringLiteral("credential_process"));
        QCOMPARE(cell(QStringLiteral("corp-sso"), false, C::CredentialsColumn), QStringLiteral("SSO"));
        QCOMPARE(cell(QStringLiteral("deploy"), false, C::SourceColumn), QStringLiteral("AWS files (read-only)"));
        QVERIFY2(cell(QStringLiteral("deploy"), false, C::DetailsColumn).startsWith(QStringLiteral("~/.aws/config")),
            qPrintable(cell(QStringLiteral("deploy"), false, C::DetailsColumn)));
        // Nothing of the file's secret shows anywhere in the list.
        for (int row = 0; row < m_dialog->model()->rowCount(); ++row) {
            for (int column = 0; column < C::ColumnCount; ++column)
                QVERIFY(
                    !m_dialog->model()->index(row, column).data().toString().contains(QStringLiteral("EXAMPLEKEY")));
        }
        QVERIFY(m_dialog->selectProfile(QStringLiteral("deploy"), false));
        QVERIFY(!m_dialog->editButton()->isEnabled());
        QVERIFY(!m_dialog->testButton()->isEnabled());
        QVERIFY(!m_dialog->removeButton()->isEnabled());
        QVERIFY(m_dialog->addButton()->isEnabled());
    }

    void validationRefusesBadInput()
    {
        QTest::mouseClick(m_dialog->addButton(), Qt::LeftButton);
        QVERIFY(m_dialog->isFormShown());
        typeInto(m_dialog->nameEdit(), QStringLiteral("bad name!"));
        typeInto(m_dialog->keyIdEdit(), QStringLiteral("AKIA123"));
        typeInto(m_dialog->secretEdit(), QStringLiteral("not-a-real-secret"));
        typeInto(m_dialog->endpointEdit(), QStringLiteral("http://example.com"));
        QTest::mouseClick(m_dialog->saveButton(), Qt::LeftButton);

        QVERIFY(m_dialog->isFormShown());
        QVERIFY(m_dialog->nameProblemLabel()->isVisible());
        QVERIFY2(m_dialog->nameProblemLabel()->text().startsWith(QStringLiteral("Profile name must be 1 to 64")),
            qPrintable(m_dialog->nameProblemLabel()->text()));
        QVERIFY(m_dialog->keyIdProblemLabel()->isVisible());
        QVERIFY2(m_dialog->keyIdProblemLabel()->text().startsWith(QStringLiteral("Access key ID must be 16 to 128")),
            qPrintable(m_dialog->keyIdProblemLabel()->text()));
        QVERIFY(m_dialog->endpointProblemLabel()->isVisible());
        QVERIFY(m_dialog->formProblemLabel()->isVisible());
        QVERIFY(readKeychain(QStringLiteral("bad name!"))->failure == creds::KeychainFailure::InvalidInput);

        // Fixed, the messages go away as the user types.
        typeInto(m_dialog->nameEdit(), QStringLiteral("fixed"));
        QVERIFY(!m_dialog->nameProblemLabel()->isVisible());
        QTest::mouseClick(m_dialog->cancelFormButton(), Qt::LeftButton);
        QVERIFY(!m_dialog->isFormShown());
        QVERIFY(m_dialog->secretEdit()->text().isEmpty());
        QCOMPARE(m_dialog->model()->rowOf(QStringLiteral("fixed"), true), -1);
    }

    void addProfileThroughForm()
    {
        QSignalSpy changed(m_dialog, &CredentialsDialog::profilesChanged);
        QTest::mouseClick(m_dialog->addButton(), Qt::LeftButton);
        QVERIFY(m_dialog->secretEdit()->echoMode() == QLineEdit::Password);
        QVERIFY(m_dialog->tokenEdit()->echoMode() == QLineEdit::Password);
        QTest::mouseClick(m_dialog->cancelFormButton(), Qt::LeftButton);

        QVERIFY(addThroughForm(QStringLiteral("qa"), QString::fromLatin1(test::kKeyId),
            QString::fromLatin1(test::kSecret), QStringLiteral("us-west-2")));
        QCOMPARE(changed.size(), 1);
        QVERIFY(!m_dialog->isFormShown());
        QVERIFY(m_dialog->secretEdit()->text().isEmpty());
        QTRY_VERIFY(m_dialog->model()->rowOf(QStringLiteral("qa"), true) >= 0);
        QCOMPARE(cell(QStringLiteral("qa"), true, ProfileListModel::SourceColumn), QStringLiteral("Keychain"));
        QCOMPARE(cell(QStringLiteral("qa"), true, ProfileListModel::CredentialsColumn),
            QStringLiteral("Key ****0001, session token: no"));

        const auto stored = readKeychain(QStringLiteral("qa"));
        QVERIFY(stored && stored->ok());
        QVERIFY(stored->profile.credentials.accessKeyId == test::kKeyId);
        QVERIFY(stored->profile.credentials.secretAccessKey == test::kSecret);
        QVERIFY(stored->profile.credentials.sessionToken.isEmpty());
        QCOMPARE(m_settings->load(QStringLiteral("qa")).region, QStringLiteral("us-west-2"));
        // The settings file holds no secret.
        QFile settingsFile(m_settings->fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains(test::kSecret));
    }

    void testShowsTheAccount()
    {
        QVERIFY2(test(QStringLiteral("qa")), qPrintable(m_dialog->statusLabel()->text()));
        const QString status = m_dialog->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("account 111122223333")), qPrintable(status));
        QVERIFY2(
            status.contains(QStringLiteral("arn:aws:iam::111122223333:user/gls-emulator-user")), qPrintable(status));
    }

    void editWithEmptySecretKeepsIt()
    {
        QVERIFY(m_dialog->selectProfile(QStringLiteral("qa")));
        QTest::mouseClick(m_dialog->editButton(), Qt::LeftButton);
        QVERIFY(m_dialog->isFormShown());
        QVERIFY(m_dialog->secretEdit()->text().isEmpty()); // never pre-filled
        QVERIFY(m_dialog->keyIdEdit()->text().isEmpty());
        QVERIFY(m_dialog->secretEdit()->placeholderText().contains(QStringLiteral("keep")));
        QCOMPARE(m_dialog->regionCombo()->currentText(), QStringLiteral("us-west-2"));
        m_dialog->regionCombo()->setCurrentText(QStringLiteral("eu-central-1"));
        typeInto(m_dialog->destinationEdit(), QStringLiteral("s3://qa-bucket/exports/"));
        QSignalSpy saved(m_dialog, &CredentialsDialog::saveFinished);
        QTest::mouseClick(m_dialog->saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(kWaitMs));
        QVERIFY2(saved.first().first().toBool(), qPrintable(m_dialog->formProblemLabel()->text()));

        const auto stored = readKeychain(QStringLiteral("qa"));
        QVERIFY(stored && stored->ok());
        QVERIFY(stored->profile.credentials.accessKeyId == test::kKeyId);
        QVERIFY(stored->profile.credentials.secretAccessKey == test::kSecret);
        const creds::ProfileDefaults defaults = m_settings->load(QStringLiteral("qa"));
        QCOMPARE(defaults.region, QStringLiteral("eu-central-1"));
        QCOMPARE(defaults.destination, QStringLiteral("s3://qa-bucket/exports/"));
        QTRY_VERIFY(m_dialog->testButton()->isEnabled());
        QVERIFY2(test(QStringLiteral("qa")), qPrintable(m_dialog->statusLabel()->text()));
    }

    void testWithWrongSecretShowsTheError()
    {
        QVERIFY(addThroughForm(QStringLiteral("wrong"), QString::fromLatin1(test::kKeyId),
            QStringLiteral("definitely-not-the-emulator-secret"), QStringLiteral("us-west-2")));
        QTRY_VERIFY(m_dialog->model()->rowOf(QStringLiteral("wrong"), true) >= 0);
        QVERIFY(!test(QStringLiteral("wrong")));
        const QString status = m_dialog->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("SignatureDoesNotMatch")), qPrintable(status));
        QVERIFY(!status.contains(QStringLiteral("definitely-not")));
    }

    void removeAsksThenRemoves()
    {
        QVERIFY(m_dialog->selectProfile(QStringLiteral("wrong")));
        m_acceptRemoval = false;
        m_questions.clear();
        QTest::mouseClick(m_dialog->removeButton(), Qt::LeftButton);
        QCOMPARE(m_questions.size(), 1);
        QVERIFY(m_questions.first().contains(QStringLiteral("wrong")));
        QVERIFY(readKeychain(QStringLiteral("wrong"))->ok());

        m_acceptRemoval = true;
        QSignalSpy changed(m_dialog, &CredentialsDialog::profilesChanged);
        QTest::mouseClick(m_dialog->removeButton(), Qt::LeftButton);
        QVERIFY(changed.wait(kWaitMs));
        QTRY_COMPARE(m_dialog->model()->rowOf(QStringLiteral("wrong"), true), -1);
        QVERIFY(readKeychain(QStringLiteral("wrong"))->notFound());
        QVERIFY(m_dialog->model()->rowOf(QStringLiteral("qa"), true) >= 0);
    }

    void secretFieldsClearedOnClose()
    {
        QTest::mouseClick(m_dialog->addButton(), Qt::LeftButton);
        typeInto(m_dialog->secretEdit(), QStringLiteral("typed-but-abandoned"));
        typeInto(m_dialog->tokenEdit(), QStringLiteral("token-but-abandoned"));
        m_dialog->close();
        QVERIFY(m_dialog->secretEdit()->text().isEmpty());
        QVERIFY(m_dialog->tokenEdit()->text().isEmpty());
        QVERIFY(!m_dialog->isFormShown());
    }

    void mfaPromptAnswers()
    {
        QWidget parent;
        parent.show();
        const creds::MfaPrompt prompt = ui::MfaDialog::prompt(&parent);
        std::optional<QString> answer;
        const QString serial = QStringLiteral("arn:aws:iam::111122223333:mfa/qa");
        prompt(QStringLiteral("deploy"), serial, this, [&](const QString &code) { answer = code; });
        auto *dialog = parent.findChild<ui::MfaDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!answer); // open(), not exec(): nothing waited
        QTest::keyClicks(dialog->codeEdit(), QStringLiteral("12ab34"));
        QCOMPARE(dialog->codeEdit()->text(), QStringLiteral("1234")); // letters refused
        QVERIFY(!dialog->okButton()->isEnabled());
        QTest::keyClicks(dialog->codeEdit(), QStringLiteral("5678"));
        QCOMPARE(dialog->codeEdit()->text(), QStringLiteral("123456"));
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(answer.has_value());
        QCOMPARE(*answer, QStringLiteral("123456"));

        answer.reset();
        prompt(QStringLiteral("deploy"), serial, this, [&](const QString &code) { answer = code; });
        QTRY_VERIFY((dialog = parent.findChild<ui::MfaDialog *>()) && dialog->isVisible());
        QTest::keyClicks(dialog->codeEdit(), QStringLiteral("654321"));
        dialog->reject();
        QTRY_VERIFY(answer.has_value());
        QVERIFY(answer->isEmpty());
    }

    void keychainUnavailable()
    {
        if (!m_noKeychainRun)
            QSKIP("Runs as tst_credentials_dialog_no_keychain, without a session bus");
        auto dialog = newDialog();
        QVERIFY(dialog);
        QVERIFY(!dialog->isKeychainAvailable());
        QVERIFY(dialog->bannerLabel()->isVisible());
        QCOMPARE(
            dialog->bannerLabel()->text().section(QLatin1Char('\n'), 0, 0), creds::KeychainStore::unavailableMessage());
        QVERIFY(!dialog->addButton()->isEnabled());
        QVERIFY(dialog->addButton()->toolTip().contains(QStringLiteral("No keychain")));
        QVERIFY(dialog->model()->rowOf(QStringLiteral("deploy"), false) >= 0);
        QVERIFY(dialog->selectProfile(QStringLiteral("default"), false));
        QVERIFY(!dialog->editButton()->isEnabled());
        QVERIFY(!dialog->removeButton()->isEnabled());
    }

    void screenshot()
    {
        // GLS_SCREENSHOT=FILE: shows the dialog with a few profiles for a picture (run under Xvfb).
        const QString file = qEnvironmentVariable("GLS_SCREENSHOT");
        if (file.isEmpty())
            QSKIP("Set GLS_SCREENSHOT to a PNG path to take a picture");
        for (const auto &[name, keyId, secret, token] : {std::tuple{"qa", test::kKeyId, test::kSecret, ""},
                 std::tuple{"prod-readonly", "ASIAQEXAMPLETEMP7Q2X", "screenshot-only-secret", "screenshot-token"}}) {
            creds::KeychainProfile p;
            p.name = QString::fromLatin1(name);
            p.credentials = {keyId, secret, token};
            std::optional<creds::KeychainResult> saved;
            m_store->save(p, this, [&](const creds::KeychainResult &r) { saved = r; });
            QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), kWaitMs);
            QVERIFY(saved->ok());
        }
        creds::ProfileDefaults defaults;
        defaults.region = QStringLiteral("us-west-2");
        m_settings->save(QStringLiteral("qa"), defaults);
        QSignalSpy loaded(m_dialog, &CredentialsDialog::reloaded);
        m_dialog->reload();
        QVERIFY(loaded.wait(kWaitMs));
        m_dialog->resize(980, 520);
        m_dialog->move(20, 20);
        QVERIFY(m_dialog->selectProfile(QStringLiteral("qa")));
        QVERIFY2(test(QStringLiteral("qa")), qPrintable(m_dialog->statusLabel()->text()));
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
        if (qEnvironmentVariableIsSet("GLS_SCREENSHOT_FORM")) {
            QVERIFY(m_dialog->selectProfile(QStringLiteral("qa")));
            QTest::mouseClick(m_dialog->editButton(), Qt::LeftButton);
        }
        QVERIFY(m_dialog->grab().save(file));
        if (qEnvironmentVariableIsSet("GLS_SCREENSHOT_HOLD")) {
            QSignalSpy hold(m_dialog, &QDialog::finished);
            hold.wait(qEnvironmentVariableIntValue("GLS_SCREENSHOT_HOLD"));
        }
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        qInfo("SKIP: no session bus (DBUS_SESSION_BUS_ADDRESS unset): the keychain tests need one");
        return 77;
    }
    TestCredentialsDialog test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_credentials_dialog.moc"
