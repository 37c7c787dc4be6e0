#pragma once

// Sorting and filtering over SessionTableModel: sort by any column (times as
// times), filter by session status and export status, and an instant text
// search over session IDs, stream group IDs, user IDs and ARNs (a pasted
// full ARN finds its session).

#include <QSortFilterProxyModel>

namespace gls::ui {

class SessionFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit SessionFilterProxy(QObject *parent = nullptr);

    // Empty: any.
    void setStatusFilter(const QString &status);
    void setExportStatusFilter(const QString &status);
    void setSearchText(const QString &text);

    QString statusFilter() const { return m_status; }
    QString exportStatusFilter() const { return m_exportStatus; }
    QString searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_status;
    QString m_exportStatus;
    QString m_search;
};

} // namespace gls::ui
