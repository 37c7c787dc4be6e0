#pragma once

// "Manage credentials" (non-modal): the app's keychain profiles, which can be
// added, edited, tested (STS GetCallerIdentity) and removed, and, read-only,
// the AWS files' profiles with their kind and where they are defined. The
// Add/Edit form validates with core's rules (KeychainStore::validateName,
// aws::checkEndpointUrl, gamelift::outputUriProblem) and the access key ID
// rule, saves the secret to the keychain and the rest through
// ProfileSettings. Every keychain call is asynchronous: the dialog shows
// progress and errors in plain words and never blocks. The secret fields are
// never pre-filled and are cleared whenever the form closes.

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "credentials/ProfileSettings.h"

#include <QDialog>
#include <QPointer>
#include <QProcessEnvironment>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace gls::creds {
class KeychainStore;
}

namespace gls::ui {

class ProfileListModel;

// What the app hands the dialog for "Test".
struct CredentialsDialogServices {
    QNetworkAccessManager *network = nullptr;
    const aws::Clock *clock = nullptr;
    aws::TransportSettings transport; // extra CA certificates etc.
    // The STS endpoint for a profile and its saved settings; invalid with
    // *error when there is none. Null: aws::resolveStsEndpoint with the
    // profile's Region (and AWS_ENDPOINT_URL_STS from the environment).
    std::function<aws::Endpoint(const QString &profile, const creds::ProfileDefaults &settings, QString *error)>
        stsEndpoint;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // where the AWS files are
    // Asks before a removal; calls `accept` only when the user agrees. Null: a QMessageBox (open(), not exec()).
    std::function<void(QWidget *parent, const QString &question, std::function<void()> accept)> confirm;
};

class CredentialsDialog : public QDialog {
    Q_OBJECT
public:
    // `store` and `settings` must outlive the dialog.
    CredentialsDialog(creds::KeychainStore *store, creds::ProfileSettings *settings, CredentialsDialogServices services,
        QWidget *parent = nullptr);
    ~CredentialsDialog() override;

    // Reads the keychain's index and the AWS files again.
    void reload();

    // The access key ID rule (16 to 128 word characters); empty when `id` is valid.
    static QString validateAccessKeyId(const QString &id);
    static QStringList suggestedRegions();

    // For tests and the app's wiring.
    ProfileListModel *model() const { return m_model; }
    QTableView *profileView() const { return m_view; }
    QLabel *bannerLabel() const { return m_banner; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *removeButton() const { return m_remove; }
    bool isFormShown() const;
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *keyIdEdit() const { return m_keyId; }
    QLineEdit *secretEdit() const { return m_secret; }
    QLineEdit *tokenEdit() const { return m_token; }
    QComboBox *regionCombo() const { return m_region; }
    QLineEdit *destinationEdit() const { return m_destination; }
    QLineEdit *endpointEdit() const { return m_endpoint; }
    QLineEdit *caBundleEdit() const { return m_caBundle; }
    QLabel *formProblemLabel() const { return m_formProblem; }
    QLabel *nameProblemLabel() const { return m_nameProblem; }
    QLabel *keyIdProblemLabel() const { return m_keyIdProblem; }
    QLabel *endpointProblemLabel() const { return m_endpointProblem; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *cancelFormButton() const { return m_cancelForm; }
    bool selectProfile(const QString &name, bool keychain = true);
    bool isKeychainAvailable() const { return m_keychainAvailable; }
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void profilesChanged();
    // The keychain index and the AWS files were read (after reload()).
    void reloaded();
    // A Test finished; `ok` false with the error shown in the status line.
    void testFinished(bool ok);
    // A save finished (ok false: the form stays open with the error).
    void saveFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildListPage();
    QWidget *buildFormPage();
    QLabel *problemLabel(const QString &accessibleName);
    void updateActions();
    QString selectedKeychainProfile() const;
    void showForm(const QString &editing); // empty: Add
    void closeForm();
    void wipeSecretFields();
    bool validateForm(); // updates the per-field messages; true when Save may go on
    void save();
    void finishSave(const QString &name, const creds::ProfileDefaults &defaults, bool ok, const QString &error);
    void testSelected();
    void removeSelected();
    void chooseCaBundle();
    void setStatus(const QString &text, bool error);
    void setBusy(bool busy);

    creds::KeychainStore *m_store;
    creds::ProfileSettings *m_settings;
    CredentialsDialogServices m_services;
    bool m_keychainAvailable = true;
    bool m_busy = false;
    QString m_editing; // the profile being edited; empty while adding
    QPointer<QObject> m_testContext;
    aws::SystemClock m_systemClock;
    QNetworkAccessManager *m_ownNetwork = nullptr;

    ProfileListModel *m_model;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_closeButton = nullptr;

    QLabel *m_formTitle = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameProblem = nullptr;
    QLineEdit *m_keyId = nullptr;
    QLabel *m_keyIdProblem = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_secretProblem = nullptr;
    QLineEdit *m_token = nullptr;
    QComboBox *m_region = nullptr;
    QLabel *m_regionProblem = nullptr;
    QLineEdit *m_destination = nullptr;
    QLabel *m_destinationProblem = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLabel *m_endpointProblem = nullptr;
    QLineEdit *m_caBundle = nullptr;
    QLabel *m_caBundleProblem = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_formProblem = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_cancelForm = nullptr;
};

} // namespace gls::ui
