#include "ExportDialog.h"

#include "gamelift/KnownValues.h"
#include "gamelift/Validation.h"

#include <QCheckBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gls::ui {

ExportDialog::ExportDialog(QList<gamelift::StreamSessionSummary> sessions, QWidget *parent)
    : QDialog(parent)
    , m_sessions(std::move(sessions))
    , m_uri(new QLineEdit(this))
    , m_recentButton(new QToolButton(this))
    , m_problem(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_endNow(new QCheckBox(tr("&End the session now"), this))
    , m_confirmEnd(new QCheckBox(tr("&Yes, disconnect the player and end the session"), this))
    , m_reason(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Export session files"));
    setMinimumWidth(640);

    auto *list = new QListWidget(this);
    list->setAccessibleName(tr("Sessions to export"));
    list->setToolTip(tr("The sessions whose files will be exported"));
    list->setSelectionMode(QAbstractItemView::NoSelection);
    for (const gamelift::StreamSessionSummary &s : m_sessions)
        list->addItem(
            tr("%1  (%2, %3, %4)")
                .arg(s.idFromArn(), s.arn.section(QLatin1Char(':'), 3, 3), s.streamGroupIdFromArn(), s.status));
    list->setMaximumHeight(list->sizeHintForRow(0) * int(std::min<qsizetype>(m_sessions.size() + 1, 5)) + 8);

    auto *explanation = new QLabel(tr("GameLift Streams collects the session's files (application logs, crash dumps, "
                                      "save files, screenshots, performance stats) into one ZIP in your S3 bucket. "
                                      "<b>The ZIP is written when the session ends</b>; until then the export is "
                                      "PENDING."),
        this);
    explanation->setWordWrap(true);

    m_uri->setPlaceholderText(QStringLiteral("s3://my-bucket/qa/"));
    m_uri->setAccessibleName(tr("S3 destination"));
    m_uri->setToolTip(tr("A folder (ending with '/') or an object key ending with .zip, e.g. s3://my-bucket/qa/"));
    m_uri->setClearButtonEnabled(true);
    m_recentButton->setText(tr("&Recent"));
    m_recentButton->setPopupMode(QToolButton::InstantPopup);
    m_recentButton->setAccessibleName(tr("Recent destinations"));
    m_recentButton->setToolTip(tr("Destinations used recently with this profile"));
    m_recentButton->setMenu(new QMenu(m_recentButton));
    m_recentButton->setEnabled(false);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b02020;"));
    m_problem->setAccessibleName(tr("Destination problem"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setAccessibleName(tr("Resulting S3 key"));

    m_endNow->setAccessibleName(tr("End the session now"));
    m_endNow->setToolTip(tr("Ends the session right after the export is requested, so the ZIP is written at once"));
    m_confirmEnd->setAccessibleName(tr("Confirm ending the session"));
    m_confirmEnd->setVisible(false);
    m_reason->setWordWrap(true);
    m_reason->setStyleSheet(QStringLiteral("color: #b02020;"));
    m_reason->setAccessibleName(tr("Why Export is disabled"));

    auto *exportButton = m_buttons->addButton(tr("E&xport"), QDialogButtonBox::AcceptRole);
    exportButton->setAccessibleName(tr("Export"));
    exportButton->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Sessions:"), list);
    auto *uriRow = new QHBoxLayout;
    uriRow->addWidget(m_uri, 1);
    uriRow->addWidget(m_recentButton);
    auto *uriLabel = new QLabel(tr("S3 &destination:"), this);
    uriLabel->setBuddy(m_uri);
    form->addRow(uriLabel, uriRow);
    form->addRow(QString(), m_problem);
    form->addRow(tr("Resulting key:"), m_preview);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_endNow);
    layout->addWidget(m_confirmEnd);
    layout->addWidget(m_reason);
    layout->addWidget(m_buttons);

    connect(m_uri, &QLineEdit::textChanged, this, &ExportDialog::revalidate);
    connect(m_endNow, &QCheckBox::toggled, this, [this](bool on) {
        m_confirmEnd->setVisible(on);
        if (!on)
            m_confirmEnd->setChecked(false);
        revalidate();
    });
    connect(m_confirmEnd, &QCheckBox::toggled, this, &ExportDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    revalidate();
}

QPushButton *ExportDialog::exportButton() const
{
    const auto buttons = m_buttons->buttons();
    for (QAbstractButton *b : buttons) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return static_cast<QPushButton *>(b);
    }
    return nullptr;
}

QString ExportDialog::outputUri() const
{
    return m_uri->text().trimmed();
}

void ExportDialog::setOutputUri(const QString &uri)
{
    m_uri->setText(uri);
}

void ExportDialog::setRecentDestinations(const QStringList &recent)
{
    m_recent = recent;
    QMenu *menu = m_recentButton->menu();
    menu->clear();
    for (const QString &uri : recent)
        menu->addAction(uri, this, [this, uri] { m_uri->setText(uri); });
    m_recentButton->setEnabled(!recent.isEmpty());
    auto *completer = new QCompleter(recent, m_uri);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_uri->setCompleter(completer);
}

bool ExportDialog::endSessionNow() const
{
    return m_endNow->isChecked() && m_confirmEnd->isChecked();
}

QString ExportDialog::sessionProblem(const gamelift::StreamSessionSummary &session)
{
    if (gamelift::canExport(session.status))
        return {};
    return tr("Session %1 is %2: only ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING sessions can be "
              "exported.")
        .arg(session.idFromArn(), session.status.isEmpty() ? tr("in no known status") : session.status);
}

QString ExportDialog::previewKey(const QString &uri, const gamelift::StreamSessionSummary &session, const QDateTime &at)
{
    if (!uri.endsWith(QLatin1Char('/')))
        return uri;
    const QString appId = session.applicationArn.section(QLatin1Char('/'), -1);
    return uri
        + QStringLiteral("%1-%2-%3-%4.zip")
              .arg(at.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")), appId, session.streamGroupIdFromArn(),
                  session.idFromArn());
}

void ExportDialog::revalidate()
{
    QString reason;
    for (const gamelift::StreamSessionSummary &s : m_sessions) {
        reason = sessionProblem(s);
        if (!reason.isEmpty())
            break;
    }
    if (m_sessions.isEmpty())
        reason = tr("No session is selected.");

    const QString uri = outputUri();
    const QString uriProblem = uri.isEmpty() ? QString() : gamelift::outputUriProblem(uri, tr("S3 destination"));
    m_problem->setText(uriProblem);
    m_problem->setVisible(!uriProblem.isEmpty());
    if (reason.isEmpty() && uri.isEmpty())
        reason = tr("Enter an S3 destination.");
    if (reason.isEmpty() && !uriProblem.isEmpty())
        reason = tr("The S3 destination breaks a rule (above).");
    if (uriProblem.isEmpty() && !uri.isEmpty() && !m_sessions.isEmpty()) {
        if (m_sessions.size() > 1 && !uri.endsWith(QLatin1Char('/')) && reason.isEmpty())
            reason = tr("Several sessions go to a folder (ending with '/'), not to one .zip.");
        QString preview = previewKey(uri, m_sessions.first(), QDateTime::currentDateTimeUtc());
        if (uri.endsWith(QLatin1Char('/')))
            preview += tr(" (the time is when the session ends)");
        if (m_sessions.size() > 1)
            preview += tr(", and one such key per session");
        m_preview->setText(preview);
    } else {
        m_preview->setText(tr("(enter a valid destination)"));
    }
    if (reason.isEmpty() && m_endNow->isChecked() && !m_confirmEnd->isChecked())
        reason = tr("Confirm that the session should end now, or clear \"End the session now\".");

    m_blockReason = reason;
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
    if (QPushButton *b = exportButton()) {
        b->setEnabled(reason.isEmpty());
        b->setToolTip(reason.isEmpty() ? tr("Request the export") : reason);
    }
}

} // namespace gls::ui
