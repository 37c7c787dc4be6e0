#pragma once

// Every export the store knows (ExportStatusModel), newest first, with Copy
// S3 URI, Copy failure reason, Retry (a FAILED export, to the same
// destination), Download archive, Open archive, Open folder and Copy download
// link (a presigned URL of a chosen lifetime), as buttons and in the table's
// context menu.

#include <QWidget>

class QAction;
class QMenu;
class QSortFilterProxyModel;
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
    QAction *downloadAction() const { return m_download; }
    QAction *openArchiveAction() const { return m_openArchive; }
    QAction *openFolderAction() const { return m_openFolder; }
    QMenu *shareMenu() const { return m_shareMenu; }
    // The model row of the current (selected) export; -1 when none.
    int currentRow() const;
    void selectRow(int modelRow);

Q_SIGNALS:
    void downloadRequested(qint64 id);
    void openArchiveRequested(const QString &path);
    void shareRequested(qint64 id, qint64 seconds);

private:
    void updateActions();
    QPushButton *buttonFor(QAction *action, const QString &accessibleName);

    ExportStatusModel *m_model;
    QTableView *m_table;
    QAction *m_copyUri;
    QAction *m_copyReason;
    QAction *m_retry;
    QAction *m_download;
    QAction *m_openArchive;
    QAction *m_openFolder;
    QMenu *m_shareMenu;
    QSortFilterProxyModel *m_sorted;
};

} // namespace gls::ui
