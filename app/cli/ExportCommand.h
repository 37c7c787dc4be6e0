#pragma once

// `export`: recorded in the export store (ExportsCommands.h; shared with the
// desktop app) before ExportStreamSessionFiles is sent, then (with --wait or --download) a look
// at the session with GetStreamSession every 2 s growing to 30 s until the
// export is SUCCEEDED or FAILED, then (with --download) the ZIP fetched from
// S3. The ZIP is written only when the session ends, which the command says
// while the session is still running. What it learns (PENDING, SUCCEEDED
// with the OutputUri, FAILED with the reason, the downloaded file and its
// SHA-256) is written to the store row as it goes.

#include "Command.h"
#include "PollBackoff.h"

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>

#include <memory>
#include <optional>

class QTimer;

namespace gls::exports {
class ExportStore;
struct ExportUpdate;
} // namespace gls::exports
namespace gls::gamelift {
class GetStreamSessionJob;
}

namespace gls::cli {

class FileDownload;

class ExportCommand : public Command {
    Q_OBJECT
public:
    ExportCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent = nullptr);
    ~ExportCommand() override;
    void start() override;

protected:
    void stopWork() override;

private:
    bool readOptions();
    void requested();
    // The request is known to have reached the service: PENDING, and the wait begins.
    void accepted();
    // After a lost answer, the first look says whether the request got through (false: it did not; finished).
    bool settleLostAnswer(const gamelift::StreamSession &session);
    void look();
    void onSession(const gamelift::StreamSession &session);
    void onLookFailed(const aws::AwsError &error);
    void onDeadline();
    void exportSucceeded();
    void exportFailed();
    void download();
    void report(const QJsonValue &download = {});
    QString waitingText() const;
    // The store row: this export's record (a failure to write it is a warning: the export goes on).
    bool recordRequest();
    void recordSession(const gamelift::StreamSession &session);
    void record(const exports::ExportUpdate &changes);

    QString m_group;
    QString m_session;
    QString m_outputUri;
    bool m_wait = false;
    bool m_download = false;
    QString m_folder;
    qint64 m_timeoutSeconds = 0;

    PollBackoff m_backoff;
    QTimer *m_next;
    QTimer *m_deadline;
    QElapsedTimer m_waited;
    int m_looks = 0;
    int m_transientFailures = 0;
    int m_nextDelayMs = 0;
    gamelift::StreamSession m_last;
    QPointer<gamelift::GetStreamSessionJob> m_job;
    QPointer<FileDownload> m_fileDownload;
    std::unique_ptr<exports::ExportStore> m_store;
    qint64 m_recordId = 0;
    bool m_arnRecorded = false;
    std::optional<aws::AwsError> m_lostAnswer; // the request's answer was lost; the next look settles it
};

} // namespace gls::cli
