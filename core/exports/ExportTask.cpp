#include "ExportTask.h"

#include "gamelift/ExportStreamSessionFilesJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/TerminateStreamSessionJob.h"

#include <QTimer>

namespace gls::exports {

Q_LOGGING_CATEGORY(lcExports, "gls.exports")

ExportTask::ExportTask(gamelift::GameLiftClient *client, gamelift::StreamSessionSummary session, QString outputUri,
    bool endSessionAfterRequest, PollBackoff backoff, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_session(std::move(session))
    , m_requestedUri(std::move(outputUri))
    , m_endAfterRequest(endSessionAfterRequest)
    , m_backoff(std::move(backoff))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ExportTask::poll);
}

ExportTask::~ExportTask() = default;

QString ExportTask::stateName(State state)
{
    switch (state) {
    case State::Requesting:
        return QStringLiteral("REQUESTING");
    case State::Ending:
        return QStringLiteral("ENDING SESSION");
    case State::Pending:
        return QStringLiteral("PENDING");
    case State::Succeeded:
        return QStringLiteral("SUCCEEDED");
    case State::Failed:
        return QStringLiteral("FAILED");
    }
    return {};
}

void ExportTask::start()
{
    m_requestedAt = QDateTime::currentDateTimeUtc();
    requestExport();
}

void ExportTask::requestExport()
{
    if (!m_client)
        return;
    auto *job = m_client->exportStreamSessionFiles(m_session.streamGroupIdFromArn(), m_session.arn, m_requestedUri);
    connect(job, &gamelift::ExportStreamSessionFilesJob::succeeded, this, [this] {
        qCInfo(lcExports) << "export requested for" << m_session.idFromArn();
        if (m_endAfterRequest)
            endSession();
        else
            poll();
    });
    connect(job, &gamelift::ApiJob::failed, this, &ExportTask::failWith);
    job->start();
}

void ExportTask::endSession()
{
    setState(State::Ending);
    auto *job = m_client->terminateStreamSession(m_session.streamGroupIdFromArn(), m_session.arn);
    connect(job, &gamelift::TerminateStreamSessionJob::succeeded, this, &ExportTask::poll);
    connect(job, &gamelift::ApiJob::failed, this, [this](const aws::AwsError &error) {
        // The export is held by the service; only the ending failed. Keep following.
        Q_EMIT callFailed(error);
        poll();
    });
    job->start();
}

void ExportTask::poll()
{
    if (!m_client || isDone())
        return;
    if (m_state != State::Pending)
        setState(State::Pending);
    auto *job = m_client->getStreamSession(m_session.streamGroupIdFromArn(), m_session.arn);
    connect(job, &gamelift::GetStreamSessionJob::succeeded, this, &ExportTask::onSession);
    connect(job, &gamelift::ApiJob::failed, this, [this](const aws::AwsError &error) {
        // A look that failed (throttled, network) is tried again later.
        m_error = error;
        Q_EMIT callFailed(error);
        scheduleNextPoll();
    });
    job->start();
}

void ExportTask::scheduleNextPoll()
{
    m_timer->start(m_backoff.nextDelayMs());
}

void ExportTask::onSession(const gamelift::StreamSession &session)
{
    m_session = session;
    const QString status = session.exportFilesMetadata ? session.exportFilesMetadata->status : QString();
    if (status == QLatin1String("SUCCEEDED")) {
        m_outputUri = session.exportFilesMetadata->outputUri;
        m_endedAt = QDateTime::currentDateTimeUtc();
        setState(State::Succeeded);
        return;
    }
    if (status == QLatin1String("FAILED")) {
        m_failureReason = session.exportFilesMetadata->statusReason;
        m_endedAt = QDateTime::currentDateTimeUtc();
        setState(State::Failed);
        return;
    }
    Q_EMIT changed();
    scheduleNextPoll();
}

void ExportTask::failWith(const aws::AwsError &error)
{
    m_error = error;
    m_failureReason = error.toString();
    m_endedAt = QDateTime::currentDateTimeUtc();
    setState(State::Failed);
    Q_EMIT callFailed(error);
}

void ExportTask::setState(State state)
{
    m_state = state;
    Q_EMIT changed();
}

} // namespace gls::exports
