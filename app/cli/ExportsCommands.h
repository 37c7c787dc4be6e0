#pragma once

// `exports list` and `exports watch`: the export store (core/exports/
// ExportStore.h) the desktop app and the CLI share.
//
// list prints the store's exports, newest first: the current profile's and
// Region's, or every one with --all-profiles; --refresh first records the
// exports requested elsewhere (console, AWS CLI) for the profile and Region.
//
// watch follows every pending export of the current profile and Region with
// the shared ExportCoordinator (rows a crash left REQUESTING are settled from
// GetStreamSession, never asked for again), prints one line per change,
// downloads SUCCEEDED archives into --download DIR as they land, and ends
// when none is pending: 0, 4 when one ended FAILED, 1 when a download failed,
// 5 on --timeout, 130 on Ctrl+C.

#include "Command.h"

#include "exports/ExportRecord.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSet>

#include <memory>
#include <optional>

class QTimer;

namespace gls::exports {
class ExportCoordinator;
class ExportStore;
} // namespace gls::exports

namespace gls::cli {

// The export store's file: GLS_EXPORT_STORE when set, else ExportStore::defaultPath().
QString exportStorePath(const QProcessEnvironment &env);

// An export store opened at exportStorePath(); null with *error (the store's
// message, naming the file) when it cannot be opened.
std::unique_ptr<exports::ExportStore> openExportStore(const QProcessEnvironment &env, QString *error);

// The --json object of one stored export: id, profile ("" for the default
// credential chain), region, streamGroupId, sessionId, sessionArn, status,
// statusReason, source, requestedUri, outputUri, requestedAt, finishedAt,
// lastCheckedAt, sessionStatus, download {state, path, sha256, bytes, error}.
QJsonObject exportRecordJson(const exports::ExportRecord &record);

class ExportsCommand : public Command {
    Q_OBJECT
public:
    ExportsCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent = nullptr);
    ~ExportsCommand() override;
    void start() override;

protected:
    void stopWork() override;

private:
    bool openStore();
    bool isOurs(const exports::ExportRecord &record) const;
    // Nothing (the command finished with the store's error) when the history cannot be read.
    std::optional<QList<exports::ExportRecord>> ourPending();
    // Finishes with the store's last error (exit 1).
    void failOnStore();

    // list
    void refreshThenList();
    void list();

    // watch
    void watch();
    void onRecordChanged(qint64 id);
    void onDownloadFinished(qint64 id, bool ok);
    void onCallFailed(const aws::AwsError &error);
    void followNewRows();
    void scheduleCheck();
    void checkDone();
    void onDeadline();
    void writeWatchJson();

    std::unique_ptr<exports::ExportStore> m_store;
    exports::ExportCoordinator *m_coordinator = nullptr;
    QString m_profile;
    QString m_region;

    QString m_folder; // --download
    qint64 m_timeoutSeconds = 0;
    QTimer *m_deadline;
    QTimer *m_poll;
    bool m_checkScheduled = false;
    QHash<qint64, exports::ExportStatus> m_seen; // the exports followed, with their last status shown
    QSet<qint64> m_settling;                     // UNKNOWN rows handed to resume()
    int m_failedExports = 0;
    int m_failedDownloads = 0;
};

} // namespace gls::cli
