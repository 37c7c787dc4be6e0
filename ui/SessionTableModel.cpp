#include "SessionTableModel.h"

#include "gamelift/KnownValues.h"

#include <QColor>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <cmath>
#include <utility>

namespace gls::ui {

namespace {

QString lastSegment(const QString &arn)
{
    return arn.section(QLatin1Char('/'), -1);
}

QString shortTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

double relativeLuminance(const QColor &c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

double SessionTableModel::contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor SessionTableModel::readableOn(const QColor &color, const QColor &background)
{
    // WCAG's 3:1 for graphics: darken on a light background, lighten on a dark one.
    const bool darkBackground = relativeLuminance(background) < 0.5;
    QColor c = color;
    for (int step = 0; step < 20 && contrastRatio(c, background) < 3.0; ++step)
        c = darkBackground ? c.lighter(112) : c.darker(112);
    return c;
}

SessionTableModel::SessionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SessionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor SessionTableModel::statusColor(const QString &status)
{
    return statusColor(status, QGuiApplication::palette());
}

QColor SessionTableModel::exportStatusColor(const QString &status)
{
    return exportStatusColor(status, QGuiApplication::palette());
}

QColor SessionTableModel::statusColor(const QString &status, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    if (status == QLatin1String("CONNECTED") || status == QLatin1String("ACTIVE"))
        return readableOn(QColor(0x2e, 0x9e, 0x4f), base);
    if (status == QLatin1String("ERROR"))
        return readableOn(QColor(0xd0, 0x3b, 0x3b), base);
    if (status == QLatin1String("TERMINATED"))
        return readableOn(QColor(0x8a, 0x8a, 0x8a), base);
    return readableOn(QColor(0xe0, 0xa0, 0x20), base); // in between: activating, reconnecting, terminating
}

QColor SessionTableModel::exportStatusColor(const QString &status, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    if (status == QLatin1String("SUCCEEDED"))
        return readableOn(QColor(0x2e, 0x9e, 0x4f), base);
    if (status == QLatin1String("FAILED"))
        return readableOn(QColor(0xd0, 0x3b, 0x3b), base);
    if (status == QLatin1String("PENDING"))
        return readableOn(QColor(0xe0, 0xa0, 0x20), base);
    return {};
}

QVariant SessionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const gamelift::StreamSessionSummary &s = m_rows.at(index.row());
    const QString exportStatus = s.exportFilesMetadata ? s.exportFilesMetadata->status : QString();
    switch (role) {
    case ArnRole:
        return s.arn;
    case SessionIdRole:
        return s.idFromArn();
    case StreamGroupIdRole:
        return s.streamGroupIdFromArn();
    case StatusRole:
        return s.status;
    case ExportStatusRole:
        return exportStatus;
    case CanExportRole:
        return gamelift::canExport(s.status);
    case RegionRole:
        return regionOfArn(s.arn);
    default:
        break;
    }
    const int column = index.column();
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (column) {
        case SessionId:
            return s.idFromArn();
        case StreamGroup:
            return s.streamGroupIdFromArn();
        case Region:
            return regionOfArn(s.arn);
        case Status:
            return s.status;
        case UserId:
            return s.userId;
        case Location:
            return s.location;
        case Application:
            return lastSegment(s.applicationArn);
        case Created:
            return role == SortRole ? QVariant(s.createdAt) : QVariant(shortTime(s.createdAt));
        case LastUpdated:
            return role == SortRole ? QVariant(s.lastUpdatedAt) : QVariant(shortTime(s.lastUpdatedAt));
        case ExportStatus:
            return exportStatus;
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole) {
        // The colour goes with the status word, never alone.
        if (column == Status)
            return statusColor(s.status);
        if (column == ExportStatus && !exportStatus.isEmpty())
            return exportStatusColor(exportStatus);
    }
    if (role == Qt::ToolTipRole) {
        if (column == Status) // the full value, whatever the column's width
            return s.statusReason.isEmpty() ? s.status : tr("%1 (%2)").arg(s.status, s.statusReason);
        if (column == Application || column == SessionId)
            return column == SessionId ? s.arn : s.applicationArn;
    }
    return {};
}

QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SessionId:
        return tr("Session ID");
    case StreamGroup:
        return tr("Stream group");
    case Region:
        return tr("Region");
    case Status:
        return tr("Status");
    case UserId:
        return tr("User ID");
    case Location:
        return tr("Location");
    case Application:
        return tr("Application");
    case Created:
        return tr("Created");
    case LastUpdated:
        return tr("Last updated");
    case ExportStatus:
        return tr("Export status");
    default:
        return {};
    }
}

QString SessionTableModel::regionOfArn(const QString &arn)
{
    return arn.section(QLatin1Char(':'), 3, 3);
}

void SessionTableModel::beginRefresh(const QString &region)
{
    m_seen.insert(region, {});
}

void SessionTableModel::mergePage(const QList<gamelift::StreamSessionSummary> &sessions)
{
    QList<gamelift::StreamSessionSummary> added;
    for (const gamelift::StreamSessionSummary &s : sessions) {
        if (!m_seen.isEmpty()) {
            const QString region = regionOfArn(s.arn);
            for (auto it = m_seen.begin(); it != m_seen.end(); ++it) {
                if (it.key().isEmpty() || it.key() == region)
                    it->insert(s.arn);
            }
        }
        const int row = m_rowOfArn.value(s.arn, -1);
        if (row < 0) {
            added.append(s);
            continue;
        }
        if (m_rows.at(row) != s) {
            m_rows[row] = s;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const gamelift::StreamSessionSummary &s : added) {
        m_rowOfArn.insert(s.arn, int(m_rows.size()));
        m_rows.append(s);
    }
    endInsertRows();
}

void SessionTableModel::endRefresh(const QString &region)
{
    const auto it = m_seen.constFind(region);
    if (it == m_seen.cend())
        return;
    const QSet<QString> seen = *it;
    m_seen.erase(it);
    removeRowsWhere([&](const gamelift::StreamSessionSummary &s) {
        return !seen.contains(s.arn) && (region.isEmpty() || regionOfArn(s.arn) == region);
    });
}

void SessionTableModel::removeRegion(const QString &region)
{
    m_seen.remove(region);
    removeRowsWhere([&](const gamelift::StreamSessionSummary &s) { return regionOfArn(s.arn) == region; });
}

template <typename Pred>
void SessionTableModel::removeRowsWhere(Pred drop)
{
    // From the bottom, one contiguous run at a time.
    int row = int(m_rows.size()) - 1;
    while (row >= 0) {
        if (!drop(m_rows.at(row))) {
            --row;
            continue;
        }
        const int last = row;
        while (row - 1 >= 0 && drop(m_rows.at(row - 1)))
            --row;
        removeRowsAt(row, last);
        --row;
    }
}

void SessionTableModel::removeRowsAt(int first, int last)
{
    beginRemoveRows({}, first, last);
    m_rows.remove(first, last - first + 1);
    m_rowOfArn.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfArn.insert(m_rows.at(i).arn, i);
    endRemoveRows();
}

void SessionTableModel::setSessions(const QList<gamelift::StreamSessionSummary> &sessions)
{
    beginRefresh();
    mergePage(sessions);
    endRefresh();
}

void SessionTableModel::updateSession(const gamelift::StreamSessionSummary &session)
{
    // Not a listing: it does not count as seen by a refresh running now.
    if (m_rowOfArn.contains(session.arn)) {
        const QHash<QString, QSet<QString>> seen = std::exchange(m_seen, {});
        mergePage({session});
        m_seen = seen;
    }
}

void SessionTableModel::clear()
{
    if (m_rows.isEmpty())
        return;
    removeRowsAt(0, int(m_rows.size()) - 1);
}

} // namespace gls::ui
