#pragma once

// One export requested in this run, from the request to its end: asks
// ExportStreamSessionFiles, optionally ends the session (the ZIP is written
// when it ends), then follows the export with GetStreamSession, waiting
// between looks with PollBackoff, until SUCCEEDED or FAILED. Non-widget: the
// desktop app shows these; a headless tool could drive them too.

#include "PollBackoff.h"

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>

class QTimer;

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::exports {

Q_DECLARE_LOGGING_CATEGORY(lcExports)

class ExportTask : public QObject {
    Q_OBJECT
public:
    enum class State { Requesting, Ending, Pending, Succeeded, Failed };
    Q_ENUM(State)

    ExportTask(gamelift::GameLiftClient *client, gamelift::StreamSessionSummary session, QString outputUri,
        bool endSessionAfterRequest, PollBackoff backoff = PollBackoff(), QObject *parent = nullptr);
    ~ExportTask() override;

    void start();

    const gamelift::StreamSessionSummary &session() const { return m_session; }
    QString requestedUri() const { return m_requestedUri; }
    QDateTime requestedAt() const { return m_requestedAt; }
    QDateTime endedAt() const { return m_endedAt; }
    State state() const { return m_state; }
    bool isDone() const { return m_state == State::Succeeded || m_state == State::Failed; }
    // The archive's S3 URI once SUCCEEDED (the service's OutputUri).
    QString outputUri() const { return m_outputUri; }
    // Why it failed: the service's StatusReason, or the failed call.
    QString failureReason() const { return m_failureReason; }
    const aws::AwsError &error() const { return m_error; }

    static QString stateName(State state);

Q_SIGNALS:
    void changed();
    // A call failed (the task is FAILED when the request itself failed).
    void callFailed(const gls::aws::AwsError &error);

private:
    void requestExport();
    void endSession();
    void poll();
    void scheduleNextPoll();
    void onSession(const gamelift::StreamSession &session);
    void failWith(const aws::AwsError &error);
    void setState(State state);

    QPointer<gamelift::GameLiftClient> m_client;
    gamelift::StreamSessionSummary m_session;
    QString m_requestedUri;
    bool m_endAfterRequest;
    PollBackoff m_backoff;
    QDateTime m_requestedAt;
    QDateTime m_endedAt;
    State m_state = State::Requesting;
    QString m_outputUri;
    QString m_failureReason;
    aws::AwsError m_error;
    QTimer *m_timer;
};

} // namespace gls::exports
