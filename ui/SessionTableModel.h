#pragma once

// The account's stream sessions as a table (STYLE.md, "Views"): one row per
// session, keyed by ARN. A refresh merges pages as they arrive and removes at
// its end only what the service no longer lists, so views keep their
// selection and scroll position (rows are inserted, changed, removed; never a
// model reset). Sessions of several Regions can be shown at once: a refresh
// can be scoped to one Region (the Region is the ARN's fourth field), so it
// removes only that Region's vanished rows.

#include "gamelift/StreamSession.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

class QPalette;

namespace gls::ui {

class SessionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SessionId,
        StreamGroup,
        Region,
        Status,
        UserId,
        Location,
        Application,
        Created,
        LastUpdated,
        ExportStatus,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ArnRole = Qt::UserRole + 1, // QString: the session's ARN
        SessionIdRole,              // QString
        StreamGroupIdRole,          // QString
        StatusRole,                 // QString: StreamSessionStatus as on the wire
        ExportStatusRole,           // QString: ExportFilesStatus, empty when none
        SortRole,                   // the raw value to sort by (QDateTime for times)
        CanExportRole,              // bool
        RegionRole,                 // QString: the Region in the session's ARN
    };

    explicit SessionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A refresh: begin, merge each page, end (removes the rows not seen).
    // Scoped to one Region, or to every row when `region` is empty; refreshes
    // of different Regions may run at the same time.
    void beginRefresh(const QString &region = {});
    void mergePage(const QList<gamelift::StreamSessionSummary> &sessions);
    void endRefresh(const QString &region = {});
    // Forgets a refresh that failed or was stopped: nothing is removed.
    void cancelRefresh(const QString &region = {}) { m_seen.remove(region); }
    // Removes one Region's rows (and forgets its refresh, if one runs).
    void removeRegion(const QString &region);
    // All three at once.
    void setSessions(const QList<gamelift::StreamSessionSummary> &sessions);
    // Updates one session if it is listed (e.g. after GetStreamSession).
    void updateSession(const gamelift::StreamSessionSummary &session);
    void clear();

    // "us-west-2" from arn:aws:gameliftstreams:us-west-2:ACCOUNT:streamsession/...
    static QString regionOfArn(const QString &arn);

    const gamelift::StreamSessionSummary &sessionAt(int row) const { return m_rows.at(row); }
    int rowOfArn(const QString &arn) const { return m_rowOfArn.value(arn, -1); }

    // The swatch shown beside the status word (never alone), with at least
    // 3:1 contrast against the palette's Base (the application's by default),
    // so it reads in light and dark palettes.
    static QColor statusColor(const QString &status);
    static QColor exportStatusColor(const QString &status);
    static QColor statusColor(const QString &status, const QPalette &palette);
    static QColor exportStatusColor(const QString &status, const QPalette &palette);
    static QColor readableOn(const QColor &color, const QColor &background);
    static double contrastRatio(const QColor &a, const QColor &b);

private:
    void removeRowsAt(int first, int last);
    // Removes, from the bottom, each contiguous run of rows `drop` picks.
    template <typename Pred>
    void removeRowsWhere(Pred drop);

    QList<gamelift::StreamSessionSummary> m_rows;
    QHash<QString, int> m_rowOfArn;
    // Per refresh running: its scope (a Region, or empty for all) -> ARNs seen.
    QHash<QString, QSet<QString>> m_seen;
};

} // namespace gls::ui
