#include "RegionPicker.h"

#include "aws/Endpoints.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace gls::ui {

RegionPicker::RegionPicker(const QStringList &known, QWidget *parent)
    : QToolButton(parent)
    , m_menu(new QMenu(this))
{
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Regions"));
    m_menu->setAccessibleName(tr("Regions to show"));
    m_menu->setToolTipsVisible(true);
    m_menu->installEventFilter(this);
    setMenu(m_menu);

    m_otherSeparator = m_menu->addSeparator();
    m_other = m_menu->addAction(tr("&Other Region…"));
    m_other->setToolTip(tr("Type a Region that is not in this list"));
    connect(m_other, &QAction::triggered, this, &RegionPicker::openOtherRegionDialog);
    for (const QString &region : known) {
        if (regionProblem(region).isEmpty() && !actionFor(region))
            addMenuRegion(region);
    }
    sync();
}

QString RegionPicker::regionProblem(const QString &region)
{
    if (region.trimmed().isEmpty())
        return tr("Type a Region name, e.g. us-west-2.");
    // Core's rule and message (the endpoint is resolved without any setting: nothing is sent).
    aws::EndpointOptions options;
    options.region = region.trimmed();
    options.env = QProcessEnvironment();
    QString error;
    return aws::resolveGameLiftEndpoint(options, &error).isValid() ? QString() : error;
}

QSize RegionPicker::sizeHint() const
{
    // The text is centred and the style draws the arrow in the right corner.
    QSize size = QToolButton::sizeHint();
    size.rwidth() += 2 * style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, this);
    return size;
}

QAction *RegionPicker::actionFor(const QString &region) const
{
    for (QAction *a : m_menu->actions()) {
        if (a->isCheckable() && a->data().toString() == region)
            return a;
    }
    return nullptr;
}

QAction *RegionPicker::addMenuRegion(const QString &region)
{
    auto *action = new QAction(region, m_menu);
    action->setData(region);
    action->setCheckable(true);
    m_menu->insertAction(m_otherSeparator, action);
    connect(action, &QAction::toggled, this, [this, action](bool checked) { onToggled(action, checked); });
    return action;
}

void RegionPicker::onToggled(QAction *action, bool checked)
{
    const QString region = action->data().toString();
    if (checked == m_chosen.contains(region))
        return;
    if (checked)
        m_chosen.append(region);
    else
        m_chosen.removeAll(region);
    sync();
    Q_EMIT regionsChanged(m_chosen);
}

void RegionPicker::sync()
{
    for (QAction *a : m_menu->actions()) {
        if (!a->isCheckable())
            continue;
        const QString region = a->data().toString();
        const bool chosen = m_chosen.contains(region);
        const QSignalBlocker block(a);
        a->setChecked(chosen);
        // The last chosen Region cannot be unticked: the window always shows one.
        const bool sole = chosen && m_chosen.size() == 1;
        a->setEnabled(!sole);
        a->setToolTip(sole
                ? tr("At least one Region stays chosen: tick another first")
                : (chosen ? tr("Stop showing %1's sessions").arg(region) : tr("Also show %1's sessions").arg(region)));
    }
    if (m_chosen.isEmpty())
        setText(tr("No Region"));
    else if (m_chosen.size() == 1)
        setText(m_chosen.first());
    else
        setText(tr("%1 + %2").arg(m_chosen.first(), QString::number(m_chosen.size() - 1)));
    const QString list = m_chosen.join(QStringLiteral(", "));
    setToolTip(tr("Showing the stream sessions of: %1. Click (or Space) to choose the Regions.").arg(list));
    setAccessibleDescription(tr("Showing %1").arg(list));
}

void RegionPicker::setRegions(const QStringList &regions)
{
    QStringList chosen;
    for (const QString &r : regions) {
        const QString region = r.trimmed();
        if (regionProblem(region).isEmpty() && !chosen.contains(region))
            chosen.append(region);
    }
    if (chosen.isEmpty() || chosen == m_chosen)
        return;
    for (const QString &region : chosen) {
        if (!actionFor(region))
            addMenuRegion(region);
    }
    m_chosen = chosen;
    sync();
    Q_EMIT regionsChanged(m_chosen);
}

bool RegionPicker::addRegion(const QString &region, QString *error)
{
    const QString trimmed = region.trimmed();
    const QString problem = regionProblem(trimmed);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    QAction *action = actionFor(trimmed);
    if (!action)
        action = addMenuRegion(trimmed);
    action->setChecked(true); // emits regionsChanged if it was not chosen
    return true;
}

QDialog *RegionPicker::openOtherRegionDialog()
{
    auto *dialog = new QDialog(window());
    dialog->setWindowTitle(tr("Other Region"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *prompt = new QLabel(tr("&Region name (e.g. us-west-2):"), dialog);
    auto *edit = new QLineEdit(dialog);
    edit->setObjectName(QStringLiteral("regionEdit"));
    edit->setAccessibleName(tr("Region name"));
    edit->setToolTip(tr("Lowercase letters, digits and hyphens, e.g. ap-southeast-1"));
    prompt->setBuddy(edit);
    auto *problem = new QLabel(dialog);
    problem->setObjectName(QStringLiteral("regionProblem"));
    problem->setWordWrap(true);
    problem->setAccessibleName(tr("Why the Region is refused"));
    problem->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Show Region"));
    ok->setEnabled(false);

    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(prompt);
    layout->addWidget(edit);
    layout->addWidget(problem);
    layout->addWidget(buttons);

    connect(edit, &QLineEdit::textChanged, dialog, [edit, problem, ok] {
        const QString text = edit->text();
        const QString why = text.trimmed().isEmpty() ? QString() : regionProblem(text);
        problem->setText(why);
        problem->setVisible(!why.isEmpty());
        ok->setEnabled(!text.trimmed().isEmpty() && why.isEmpty());
        ok->setToolTip(why);
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [this, dialog, edit] {
        if (addRegion(edit->text()))
            dialog->accept();
    });
    dialog->open();
    edit->setFocus(Qt::OtherFocusReason);
    return dialog;
}

bool RegionPicker::eventFilter(QObject *watched, QEvent *event)
{
    // Ticking a Region keeps the menu open, so several are chosen in one go.
    if (watched == m_menu) {
        QAction *target = nullptr;
        if (event->type() == QEvent::MouseButtonRelease)
            target = m_menu->actionAt(static_cast<QMouseEvent *>(event)->position().toPoint());
        else if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Space)
            target = m_menu->activeAction();
        if (target && target->isCheckable()) {
            if (target->isEnabled())
                target->trigger();
            return true;
        }
    }
    return QToolButton::eventFilter(watched, event);
}

} // namespace gls::ui
