#pragma once

// Asks for the six-digit MFA code of a role's device. Window-modal in look,
// but opened with open(), never exec(): nothing waits on it. prompt() gives a
// creds::MfaPrompt for CredentialChain / AssumeRoleCredentialsProvider.

#include "credentials/AssumeRoleCredentialsProvider.h"

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace gls::ui {

class MfaDialog : public QDialog {
    Q_OBJECT
public:
    MfaDialog(const QString &profile, const QString &mfaSerial, QWidget *parent = nullptr);
    ~MfaDialog() override;

    QString code() const;
    QLineEdit *codeEdit() const { return m_code; }
    QPushButton *okButton() const { return m_ok; }

    // Opens an MfaDialog (parented to `parent`, deleted when closed) and
    // answers `done` with the typed code, or an empty string on Cancel.
    static creds::MfaPrompt prompt(QWidget *parent);

Q_SIGNALS:
    // The user answered: the code, or empty when they cancelled.
    void answered(const QString &code);

private:
    void finish(const QString &code);

    QLineEdit *m_code;
    QPushButton *m_ok;
    bool m_answered = false;
};

} // namespace gls::ui
