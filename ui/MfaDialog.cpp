#include "MfaDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace gls::ui {

MfaDialog::MfaDialog(const QString &profile, const QString &mfaSerial, QWidget *parent)
    : QDialog(parent)
    , m_code(new QLineEdit(this))
{
    setWindowTitle(tr("MFA code"));
    setWindowModality(Qt::WindowModal);

    auto *question = new QLabel(tr("Enter the MFA code for %1 (%2).").arg(profile, mfaSerial), this);
    question->setWordWrap(true);
    question->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_code->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,6}")), m_code));
    m_code->setMaxLength(6);
    m_code->setPlaceholderText(QStringLiteral("123456"));
    m_code->setAccessibleName(tr("MFA code"));
    m_code->setToolTip(tr("The six digits your MFA device shows now"));
    m_code->setInputMethodHints(Qt::ImhDigitsOnly);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setAccessibleName(tr("Use this MFA code"));
    m_ok->setToolTip(tr("Enter six digits first"));
    m_ok->setEnabled(false);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setToolTip(tr("Do not assume the role now"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Code:"), m_code);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(question);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(m_code, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_ok->setEnabled(text.size() == 6);
        m_ok->setToolTip(text.size() == 6 ? tr("Assume the role with this code") : tr("Enter six digits first"));
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_code->text().size() == 6)
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this,
        [this](int result) { finish(result == QDialog::Accepted ? code() : QString()); });
}

MfaDialog::~MfaDialog()
{
    finish({}); // closed without an answer (e.g. its parent went away): that is a Cancel
}

QString MfaDialog::code() const
{
    return m_code->text();
}

void MfaDialog::finish(const QString &code)
{
    if (m_answered)
        return;
    m_answered = true;
    Q_EMIT answered(code);
}

creds::MfaPrompt MfaDialog::prompt(QWidget *parent)
{
    QPointer<QWidget> owner(parent);
    return [owner](const QString &profile, const QString &mfaSerial, QObject *context,
               std::function<void(const QString &code)> done) {
        auto *dialog = new MfaDialog(profile, mfaSerial, owner);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<QObject> guard(context);
        connect(
            dialog, &MfaDialog::answered, dialog, [guard, hadContext = context != nullptr, done](const QString &code) {
                if (hadContext && !guard)
                    return;
                done(code);
            });
        dialog->open();
    };
}

} // namespace gls::ui
