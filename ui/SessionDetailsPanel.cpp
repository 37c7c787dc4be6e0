#include "SessionDetailsPanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace gls::ui {

SessionDetailsPanel::SessionDetailsPanel(QWidget *parent)
    : QWidget(parent)
    , m_form(new QFormLayout)
    , m_empty(new QLabel(tr("Select a session to see its details."), this))
{
    setAccessibleName(tr("Session details"));
    auto *title = new QLabel(tr("<b>Session details</b>"), this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_empty);
    layout->addLayout(m_form);
    layout->addStretch(1);
    for (const QString &label :
        {tr("Session ID"), tr("ARN"), tr("Stream group"), tr("Status"), tr("Status reason"), tr("User ID"),
            tr("Location"), tr("Protocol"), tr("Application"), tr("Created"), tr("Last updated"), tr("Export status")})
        addRow(label);
    setSession(nullptr);
}

QLabel *SessionDetailsPanel::addRow(const QString &label)
{
    auto *value = new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(true);
    value->setAccessibleName(label);
    m_form->addRow(label + QLatin1Char(':'), value);
    m_values.append(value);
    return value;
}

void SessionDetailsPanel::setSelectionCount(int count)
{
    if (count > 1) {
        m_empty->setText(tr("%1 sessions selected; details of the current one.").arg(count));
        m_empty->setVisible(true);
    }
}

void SessionDetailsPanel::setSession(const gamelift::StreamSessionSummary *s)
{
    m_empty->setVisible(!s);
    m_empty->setText(tr("Select a session to see its details."));
    for (int row = 0; row < m_form->rowCount(); ++row) {
        m_form->setRowVisible(row, s != nullptr);
    }
    if (!s)
        return;
    const auto time = [](const QDateTime &t) {
        return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")) : QString();
    };
    const QStringList values{s->idFromArn(), s->arn, s->streamGroupIdFromArn(), s->status, s->statusReason, s->userId,
        s->location, s->protocol, s->applicationArn, time(s->createdAt), time(s->lastUpdatedAt),
        s->exportFilesMetadata ? s->exportFilesMetadata->status : tr("(none)")};
    for (int i = 0; i < values.size() && i < m_values.size(); ++i)
        m_values.at(i)->setText(values.at(i));
}

} // namespace gls::ui
