#pragma once

// What can be done to the selected sessions, as actions shared by the menu
// bar and the session table's context menu (right click, the Menu key,
// Shift+F10): Copy session ID, Copy ARN, Show details and End session…
// (TerminateStreamSession through the client of each session's Region,
// after a confirmation that names the sessions). Multi-select aware: copies join the
// values with newlines. Each action is disabled, with the reason in its
// tooltip, when it cannot apply.

#include "aws/AwsError.h"

#include <QList>
#include <QObject>

#include <functional>

class QAction;
class QMenu;
class QTableView;
class QWidget;

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::ui {

class SessionFilterProxy;
class SessionTableModel;

class SessionActions : public QObject {
    Q_OBJECT
public:
    // Asks `question`; calls `accept` only if the user agrees. Must not block
    // (the default opens a window-modal QMessageBox and returns at once).
    using Confirmer = std::function<void(QWidget *parent, const QString &question, std::function<void()> accept)>;

    // The client for a session's ARN (its Region's); null with the reason.
    using ClientLookup = std::function<gamelift::GameLiftClient *(const QString &arn, QString *error)>;

    SessionActions(QTableView *table, SessionFilterProxy *proxy, SessionTableModel *model, QWidget *parent);

    void setClientLookup(ClientLookup lookup);
    void setConfirmer(Confirmer confirmer) { m_confirm = std::move(confirmer); }

    // Re-evaluates what is enabled (after a selection or data change).
    void update();

    // The context menu: `exportAction` and `refreshAction` come from the window.
    QMenu *buildMenu(QAction *exportAction, QAction *refreshAction, QWidget *parent) const;

    QAction *copyIdAction() const { return m_copyId; }
    QAction *copyArnAction() const { return m_copyArn; }
    QAction *showDetailsAction() const { return m_showDetails; }
    QAction *endSessionAction() const { return m_endSession; }

    // Why End session… cannot apply to a session in this status; empty when it can.
    static QString endProblem(const QString &status);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void showDetailsRequested();
    void callFailed(const gls::aws::AwsError &error);
    // A TerminateStreamSession call succeeded (the session is TERMINATING).
    void sessionEnding(const QString &arn);

private:
    QList<int> selectedRows() const;
    void copyRole(int role) const;
    void endSelected();

    QTableView *m_table;
    SessionFilterProxy *m_proxy;
    SessionTableModel *m_model;
    ClientLookup m_clientFor;
    Confirmer m_confirm;
    QAction *m_copyId;
    QAction *m_copyArn;
    QAction *m_showDetails;
    QAction *m_endSession;
};

} // namespace gls::ui
