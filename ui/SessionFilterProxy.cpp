#include "SessionFilterProxy.h"

#include "SessionTableModel.h"

#include <QDateTime>

namespace gls::ui {

SessionFilterProxy::SessionFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SessionTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void SessionFilterProxy::setStatusFilter(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateFilter();
}

void SessionFilterProxy::setExportStatusFilter(const QString &status)
{
    if (status == m_exportStatus)
        return;
    m_exportStatus = status;
    invalidateFilter();
}

void SessionFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateFilter();
}

bool SessionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_status.isEmpty() && index.data(SessionTableModel::StatusRole).toString() != m_status)
        return false;
    if (!m_exportStatus.isEmpty() && index.data(SessionTableModel::ExportStatusRole).toString() != m_exportStatus)
        return false;
    if (m_search.isEmpty())
        return true;
    // The ARN holds the session and stream group IDs; a pasted ARN matches it whole.
    const QString arn = index.data(SessionTableModel::ArnRole).toString();
    if (arn.contains(m_search, Qt::CaseInsensitive))
        return true;
    const QString user = sourceModel()->index(sourceRow, SessionTableModel::UserId, sourceParent).data().toString();
    return user.contains(m_search, Qt::CaseInsensitive);
}

bool SessionFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // The times, read from the sessions themselves: sorting by them (the
    // default, newest first) compares each new page's rows many times, and
    // going through data() and QVariant was nearly a tenth of the GUI thread's time
    // while 10,000 sessions came in.
    const int column = left.column();
    if (const auto *model = qobject_cast<const SessionTableModel *>(left.model());
        model && sortRole() == SessionTableModel::SortRole && column == right.column()
        && (column == SessionTableModel::Created || column == SessionTableModel::LastUpdated)) {
        const gamelift::StreamSessionSummary &a = model->sessionAt(left.row());
        const gamelift::StreamSessionSummary &b = model->sessionAt(right.row());
        const QDateTime &ta = column == SessionTableModel::Created ? a.createdAt : a.lastUpdatedAt;
        const QDateTime &tb = column == SessionTableModel::Created ? b.createdAt : b.lastUpdatedAt;
        if (ta.isValid() && tb.isValid())
            return ta < tb; // as below
    }
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (l.userType() == QMetaType::QDateTime && r.userType() == QMetaType::QDateTime)
        return l.toDateTime() < r.toDateTime();
    const int byText = QString::compare(l.toString(), r.toString(), sortCaseSensitivity());
    if (byText != 0)
        return byText < 0;
    // Stable among equals: by ARN.
    return left.data(SessionTableModel::ArnRole).toString() < right.data(SessionTableModel::ArnRole).toString();
}

} // namespace gls::ui
