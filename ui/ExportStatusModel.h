#pragma once

// The exports requested in this run, one row each (newest last): session,
// destination, requested at, status, elapsed, result (the archive's S3 URI,
// or why it failed). Owns the ExportTasks that request and follow them.

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>
#include <QSet>

class QTimer;

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::exports {
class ExportTask;
}

namespace gls::ui {

class ExportStatusModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Session, Destination, RequestedAt, Status, Elapsed, Result, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        StateRole = Qt::UserRole + 1, // QString: REQUESTING, ENDING SESSION, PENDING, SUCCEEDED, FAILED
        OutputUriRole,                // QString: the archive's S3 URI once SUCCEEDED
        SessionArnRole,
        FailureReasonRole, // QString: why it FAILED, empty otherwise
        CanRetryRole,      // bool: FAILED, and the client it used is still there
    };

    explicit ExportStatusModel(QObject *parent = nullptr);
    ~ExportStatusModel() override;

    // Requests an export of `session` to `outputUri` and follows it.
    void startExport(gamelift::GameLiftClient *client, const gamelift::StreamSessionSummary &session,
        const QString &outputUri, bool endSessionNow);

    // Requests the export of row `row` again, to the same destination (a new
    // row). False when the row is not FAILED or its client is gone.
    bool retry(int row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const exports::ExportTask *taskAt(int row) const { return m_tasks.at(row); }

Q_SIGNALS:
    void callFailed(const gls::aws::AwsError &error);
    // The session as the last GetStreamSession saw it (for the session table).
    void sessionSeen(const gls::gamelift::StreamSessionSummary &session);
    // Row `row` has just turned SUCCEEDED or FAILED (once per row).
    void exportFinished(int row);

private:
    void onTaskChanged(exports::ExportTask *task);

    QList<exports::ExportTask *> m_tasks;
    QList<QPointer<gamelift::GameLiftClient>> m_clients; // per row: the client each task used
    QSet<const exports::ExportTask *> m_finished;
    QTimer *m_ticker; // elapsed column
};

} // namespace gls::ui
