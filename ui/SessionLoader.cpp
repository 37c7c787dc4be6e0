#include "SessionLoader.h"

#include "SessionTableModel.h"

#include "gamelift/GameLiftClient.h"
#include "gamelift/ListStreamSessionsJob.h"

#include <QTimer>

namespace gls::ui {

SessionLoader::SessionLoader(SessionTableModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &SessionLoader::refresh);
}

SessionLoader::~SessionLoader()
{
    if (m_job)
        m_job->abort();
}

void SessionLoader::setClient(gamelift::GameLiftClient *client)
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
        m_job = nullptr;
    }
    m_client = client;
    m_model->clear();
}

void SessionLoader::setAutoRefreshMs(int ms)
{
    if (ms > 0)
        m_timer->start(ms);
    else
        m_timer->stop();
}

void SessionLoader::refresh()
{
    if (m_job || !m_client)
        return;
    m_pages = 0;
    m_sessions = 0;
    m_job = m_client->listStreamSessions({});
    m_model->beginRefresh();
    connect(m_job, &gamelift::ListStreamSessionsJob::page, this,
        [this](const QList<gamelift::StreamSessionSummary> &items) {
            m_model->mergePage(items);
            ++m_pages;
            m_sessions += int(items.size());
            Q_EMIT progress(m_pages, m_sessions);
        });
    connect(m_job, &gamelift::ListStreamSessionsJob::succeeded, this, [this] {
        m_model->endRefresh();
        m_job = nullptr;
        Q_EMIT finished(m_sessions);
    });
    connect(m_job, &gamelift::ApiJob::failed, this, [this](const aws::AwsError &error) {
        m_job = nullptr;
        if (error.kind != aws::AwsError::Kind::Cancelled)
            Q_EMIT failed(error);
    });
    Q_EMIT started();
    m_job->start();
}

} // namespace gls::ui
