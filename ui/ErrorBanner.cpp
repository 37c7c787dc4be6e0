#include "ErrorBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace gls::ui {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_message(new QLabel(this))
    , m_details(new QLabel(this))
    , m_toggle(new QToolButton(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setStyleSheet(QStringLiteral("#errorBanner { background: #fde8e8; border: 1px solid #d03b3b; border-radius: 4px; }"
                                 "#errorBanner QLabel { color: #5a1010; }"));
    setAccessibleName(tr("Error"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setVisible(false);
    m_toggle->setText(tr("Details"));
    m_toggle->setCheckable(true);
    m_toggle->setAccessibleName(tr("Show error details"));
    m_toggle->setToolTip(tr("Show the error type, HTTP status and request id"));
    auto *close = new QToolButton(this);
    close->setText(tr("Dismiss"));
    close->setAccessibleName(tr("Dismiss the error"));
    close->setToolTip(tr("Hide this message"));

    auto *row = new QHBoxLayout;
    row->addWidget(m_message, 1);
    row->addWidget(m_toggle);
    row->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addLayout(row);
    layout->addWidget(m_details);

    connect(m_toggle, &QToolButton::toggled, m_details, &QLabel::setVisible);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

QString ErrorBanner::advice(const aws::AwsError &error)
{
    using Kind = aws::AwsError::Kind;
    switch (error.kind) {
    case Kind::Credentials:
        return tr("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and start the app again.");
    case Kind::Network:
    case Kind::Timeout:
        return tr("Check the network connection and the Region, then refresh (F5).");
    case Kind::Tls:
        return tr("The service's certificate is not trusted: check AWS_CA_BUNDLE or the endpoint.");
    case Kind::Validation:
        return tr("Correct the value and try again.");
    case Kind::Service:
        if (error.type.contains(QLatin1String("AccessDenied")))
            return tr("Ask your administrator for this permission.");
        if (error.type.contains(QLatin1String("Throttling")))
            return tr("The service is busy; try again in a moment.");
        if (error.type.contains(QLatin1String("NotFound")))
            return tr("It may have been deleted; refresh the list (F5).");
        return tr("Check the session's status and try again; refresh the list (F5).");
    default:
        return tr("Try again; if it persists, report the details below.");
    }
}

void ErrorBanner::showError(const aws::AwsError &error)
{
    const QString said = error.message.isEmpty() ? error.type : error.message;
    m_message->setText(tr("<b>%1 failed.</b> %2 %3")
                           .arg(error.operation.toHtmlEscaped(), said.toHtmlEscaped(), advice(error).toHtmlEscaped()));
    m_details->setText(error.toString());
    setVisible(true);
}

QString ErrorBanner::text() const
{
    return m_message->text();
}

} // namespace gls::ui
