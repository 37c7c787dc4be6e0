#pragma once

// Every export the export store knows, one row each (oldest first; the view
// sorts): session, destination, requested at, status, elapsed, the archive's
// download, and the result (the archive's S3 URI, or why it failed). Exports
// of earlier runs, of the CLI and those found on the service (requested
// elsewhere) are there too. Requests go through the ExportCoordinator, which
// writes the store first; rows follow its changes, and changes other
// processes make are picked up from the store's data version.

#include "aws/AwsError.h"
#include "exports/ExportRecord.h"
#include "gamelift/StreamSession.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

class QTimer;

namespace gls::exports {
class ExportCoordinator;
}

namespace gls::ui {

class ExportStatusModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Session, Destination, RequestedAt, Status, Elapsed, Download, Result, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        StateRole = Qt::UserRole + 1, // QString: REQUESTING, PENDING, SUCCEEDED, FAILED, UNKNOWN
        OutputUriRole,                // QString: the archive's S3 URI once SUCCEEDED
        SessionArnRole,
        FailureReasonRole, // QString: why it FAILED, empty otherwise
        CanRetryRole,      // bool: FAILED or UNKNOWN
        IdRole,            // qint64: the store's id
        DownloadPathRole,  // QString: the archive on disk once downloaded
        DownloadStateRole, // QString: NONE, RUNNING, DONE, FAILED
        SourceRole,        // QString: APP or ELSEWHERE
        ProfileRole,
        RegionRole,
        SortRole, // the raw value to sort by
    };

    // `coordinator` (and its store) must outlive the model.
    explicit ExportStatusModel(exports::ExportCoordinator *coordinator, QObject *parent = nullptr);
    ~ExportStatusModel() override;

    exports::ExportCoordinator *coordinator() const { return m_coordinator; }

    // Requests an export of `session` to `outputUri` with `profile`'s
    // credentials in the session's Region, and follows it.
    void startExport(const QString &profile, const gamelift::StreamSessionSummary &session, const QString &outputUri,
                     bool endSessionNow);
    // Requests the export of row `row` again, to the same destination (a new
    // row). False when the row is not FAILED or UNKNOWN.
    bool retry(int row);
    // Reads the store again (rows of other processes appear, changed rows change).
    void reload();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const exports::ExportRecord &recordAt(int row) const { return m_rows.at(row); }
    int rowOfId(qint64 id) const;

Q_SIGNALS:
    void callFailed(const gls::aws::AwsError &error);
    // What the tracker last saw of a session: its status and its export's
    // (for the session table; either may be empty: unknown).
    void sessionSeen(const QString &sessionArn, const QString &sessionStatus, const QString &exportStatus);
    // Row `row` has just turned SUCCEEDED or FAILED (once per row).
    void exportFinished(int row);

private:
    void refreshId(qint64 id);
    void upsert(const exports::ExportRecord &record);

    exports::ExportCoordinator *m_coordinator;
    QList<exports::ExportRecord> m_rows;
    QHash<qint64, int> m_rowOfId;
    QHash<qint64, QPair<qint64, qint64>> m_progress; // id -> bytes, total of a running download
    QHash<QString, QString> m_trackingProblems; // "profile|region" -> why its exports cannot be looked at
    QTimer *m_ticker; // elapsed column, and other processes' changes
    qint64 m_dataVersion = -1;
};

} // namespace gls::ui
