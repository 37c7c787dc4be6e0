#pragma once

// `export`: ExportStreamSessionFiles, then (with --wait or --download) a look
// at the session with GetStreamSession every 2 s growing to 30 s until the
// export is SUCCEEDED or FAILED, then (with --download) the ZIP fetched from
// S3. The ZIP is written only when the session ends, which the command says
// while the session is still running.

#include "Command.h"
#include "PollBackoff.h"

#include "gamelift/StreamSession.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>

class QTimer;

namespace gls::gamelift {
class GetStreamSessionJob;
}

namespace gls::cli {

class FileDownload;

class ExportCommand : public Command {
    Q_OBJECT
public:
    ExportCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent = nullptr);
    void start() override;

protected:
    void stopWork() override;

private:
    bool readOptions();
    void requested();
    void look();
    void onSession(const gamelift::StreamSession &session);
    void onLookFailed(const aws::AwsError &error);
    void onDeadline();
    void exportSucceeded();
    void exportFailed();
    void download();
    void report(const QJsonValue &download = {});
    QString waitingText() const;

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
};

} // namespace gls::cli
