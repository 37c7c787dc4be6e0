#pragma once

// The exports requested in this run (ExportStatusModel) with Copy S3 URI,
// Copy failure reason and Retry (a FAILED export, to the same destination),
// as buttons and in the table's context menu.

#include <QWidget>

class QAction;
class QPushButton;
class QTableView;

namespace gls::ui {

class ExportStatusModel;

class ExportStatusView : public QWidget {
    Q_OBJECT
public:
    ExportStatusView(ExportStatusModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QAction *copyUriAction() const { return m_copyUri; }
    QAction *copyReasonAction() const { return m_copyReason; }
    QAction *retryAction() const { return m_retry; }

private:
    void updateActions();
    QPushButton *buttonFor(QAction *action, const QString &accessibleName);

    ExportStatusModel *m_model;
    QTableView *m_table;
    QAction *m_copyUri;
    QAction *m_copyReason;
    QAction *m_retry;
};

} // namespace gls::ui
