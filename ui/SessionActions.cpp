#include "SessionActions.h"

#include "SessionFilterProxy.h"
#include "SessionTableModel.h"

#include "gamelift/GameLiftClient.h"
#include "gamelift/TerminateStreamSessionJob.h"

#include <algorithm>

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

namespace gls::ui {

namespace {

void askWithMessageBox(QWidget *parent, const QString &question, std::function<void()> accept)
{
    auto *box = new QMessageBox(
        QMessageBox::Warning, QObject::tr("End stream session"), question, QMessageBox::Cancel, parent);
    QPushButton *end = box->addButton(QObject::tr("&End session"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, box, [end, accept = std::move(accept)](QAbstractButton *button) {
        if (button == end)
            accept();
    });
    box->open();
}

} // namespace

SessionActions::SessionActions(QTableView *table, SessionFilterProxy *proxy, SessionTableModel *model, QWidget *parent)
    : QObject(parent)
    , m_table(table)
    , m_proxy(proxy)
    , m_model(model)
    , m_confirm(askWithMessageBox)
    , m_copyId(new QAction(tr("Copy session &ID"), this))
    , m_copyArn(new QAction(tr("Copy &ARN"), this))
    , m_showDetails(new QAction(tr("Show &details"), this))
    , m_endSession(new QAction(tr("E&nd session…"), this))
{
    m_copyId->setShortcut(QKeySequence::Copy);
    m_copyId->setShortcutContext(Qt::WidgetShortcut);
    table->addAction(m_copyId);
    // QTableView copies just the current cell on Ctrl+C before a shortcut sees it: take the key first.
    table->installEventFilter(this);
    connect(m_copyId, &QAction::triggered, this, [this] { copyRole(SessionTableModel::SessionIdRole); });
    connect(m_copyArn, &QAction::triggered, this, [this] { copyRole(SessionTableModel::ArnRole); });
    connect(m_showDetails, &QAction::triggered, this, &SessionActions::showDetailsRequested);
    connect(m_endSession, &QAction::triggered, this, &SessionActions::endSelected);
    update();
}

bool SessionActions::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyId->isEnabled())
            m_copyId->trigger();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void SessionActions::setClientLookup(ClientLookup lookup)
{
    m_clientFor = std::move(lookup);
    update();
}

QString SessionActions::endProblem(const QString &status)
{
    if (status == QLatin1String("ACTIVATING"))
        return tr("A session still ACTIVATING cannot be ended yet: the service refuses until it is ACTIVE.");
    if (status == QLatin1String("TERMINATING"))
        return tr("The session is already TERMINATING.");
    if (status == QLatin1String("TERMINATED"))
        return tr("The session has already ended (TERMINATED).");
    if (status == QLatin1String("ERROR"))
        return tr("The session is in ERROR: there is nothing left to end.");
    return {};
}

QList<int> SessionActions::selectedRows() const
{
    QList<int> rows;
    if (!m_table->selectionModel())
        return rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void SessionActions::update()
{
    const QList<int> rows = selectedRows();
    const bool any = !rows.isEmpty();
    const QString none = tr("Select one or more sessions first.");
    for (QAction *a : {m_copyId, m_copyArn}) {
        a->setEnabled(any);
        a->setToolTip(any ? a->text().remove(QLatin1Char('&')) : none);
    }
    m_showDetails->setEnabled(rows.size() == 1);
    m_showDetails->setToolTip(rows.size() == 1 ? tr("Show the session in the details panel")
                                               : tr("Select exactly one session to show its details."));

    QString reason = any ? QString() : none;
    for (int row : rows) {
        const auto &s = m_model->sessionAt(row);
        const QString problem = endProblem(s.status);
        if (!problem.isEmpty()) {
            reason = rows.size() == 1 ? problem : tr("%1: %2").arg(s.idFromArn(), problem);
            break;
        }
    }
    if (reason.isEmpty() && !m_clientFor)
        reason = tr("Not connected to a Region.");
    m_endSession->setEnabled(reason.isEmpty());
    m_endSession->setToolTip(reason.isEmpty() ? tr("End the selected sessions (TerminateStreamSession)") : reason);
    m_endSession->setStatusTip(reason);
}

QMenu *SessionActions::buildMenu(QAction *exportAction, QAction *refreshAction, QWidget *parent) const
{
    auto *menu = new QMenu(parent);
    menu->setToolTipsVisible(true); // the disabled actions say why
    menu->setAccessibleName(tr("Session actions"));
    menu->addAction(exportAction);
    menu->addSeparator();
    menu->addAction(m_copyId);
    menu->addAction(m_copyArn);
    menu->addAction(m_showDetails);
    menu->addSeparator();
    menu->addAction(m_endSession);
    menu->addSeparator();
    menu->addAction(refreshAction);
    return menu;
}

void SessionActions::copyRole(int role) const
{
    QStringList values;
    for (int row : selectedRows())
        values.append(m_model->index(row, 0).data(role).toString());
    if (!values.isEmpty())
        QApplication::clipboard()->setText(values.join(QLatin1Char('\n')));
}

void SessionActions::endSelected()
{
    update();
    if (!m_endSession->isEnabled())
        return;
    QStringList arns;
    QStringList ids;
    for (int row : selectedRows()) {
        arns.append(m_model->sessionAt(row).arn);
        ids.append(m_model->sessionAt(row).idFromArn());
    }
    const QString question = ids.size() == 1
        ? tr("End stream session %1? Its user is disconnected; files requested for export are then written.")
              .arg(ids.first())
        : tr("End these %1 stream sessions? Their users are disconnected.\n\n%2")
              .arg(ids.size())
              .arg(ids.join(QLatin1Char('\n')));
    m_confirm(m_table->window(), question, [this, arns] {
        if (!m_clientFor)
            return;
        for (const QString &arn : arns) {
            // Each through the client of its own Region.
            QString error;
            gamelift::GameLiftClient *client = m_clientFor(arn, &error);
            if (!client) {
                aws::AwsError e;
                e.kind = aws::AwsError::Kind::Validation;
                e.operation = tr("TerminateStreamSession in %1").arg(SessionTableModel::regionOfArn(arn));
                e.message = error;
                Q_EMIT callFailed(e);
                continue;
            }
            const QString group = arn.section(QLatin1Char('/'), -2, -2);
            auto *job = client->terminateStreamSession(group, arn);
            connect(
                job, &gamelift::TerminateStreamSessionJob::succeeded, this, [this, arn] { Q_EMIT sessionEnding(arn); });
            connect(job, &gamelift::ApiJob::failed, this, &SessionActions::callFailed);
            job->start();
        }
    });
}

} // namespace gls::ui
