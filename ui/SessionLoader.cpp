#include "SessionLoader.h"

#include "SessionTableModel.h"

#include "gamelift/AccountSessionsJob.h"
#include "gamelift/GameLiftClient.h"

#include <QTimer>

#include <utility>

namespace gls::ui {

SessionLoader::SessionLoader(SessionTableModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &SessionLoader::refreshIdle);
}

SessionLoader::~SessionLoader()
{
    for (const QPointer<gamelift::AccountSessionsJob> &job : std::as_const(m_jobs)) {
        if (job) {
            job->disconnect(this);
            job->abort();
        }
    }
}

void SessionLoader::addRegion(const QString &region, gamelift::GameLiftClient *client)
{
    if (m_clients.value(region) == client)
        return;
    if (const QPointer<gamelift::AccountSessionsJob> job = m_jobs.take(region)) {
        job->disconnect(this);
        job->abort();
        m_model->cancelRefresh(region); // what it listed so far stays; nothing is removed
        m_sessions -= m_regionSessions.take(region);
        m_again.remove(region);
        jobEnded();
    }
    m_clients.insert(region, client);
}

void SessionLoader::removeRegion(const QString &region)
{
    m_clients.remove(region);
    m_again.remove(region);
    const bool wasLoading = m_jobs.contains(region);
    if (const QPointer<gamelift::AccountSessionsJob> job = m_jobs.take(region)) {
        job->disconnect(this);
        job->abort();
    }
    m_model->removeRegion(region);
    if (wasLoading) {
        m_sessions -= m_regionSessions.take(region);
        jobEnded();
    }
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
    for (const QString &region : m_clients.keys())
        refreshRegion(region);
}

void SessionLoader::refreshIdle()
{
    for (const QString &region : m_clients.keys()) {
        if (!m_jobs.contains(region))
            refreshRegion(region);
    }
}

void SessionLoader::refreshRegion(const QString &region)
{
    gamelift::GameLiftClient *client = m_clients.value(region);
    if (!client)
        return;
    if (m_jobs.contains(region)) {
        m_again.insert(region);
        return;
    }
    if (m_jobs.isEmpty()) {
        m_pages = 0;
        m_sessions = 0;
        m_regionSessions.clear();
        Q_EMIT started();
    }
    startListing(region, client);
}

void SessionLoader::startListing(const QString &region, gamelift::GameLiftClient *client)
{
    auto *job = new gamelift::AccountSessionsJob(client, {}, this);
    job->setKeepItems(false); // each page goes into the model as it comes: the job need not keep them too
    m_jobs.insert(region, job);
    m_regionSessions.insert(region, 0);
    m_model->beginRefresh(region);
    connect(job, &gamelift::AccountSessionsJob::page, this,
        [this, region](const QList<gamelift::StreamSessionSummary> &items) {
            m_model->mergePage(items);
            ++m_pages;
            m_sessions += int(items.size());
            m_regionSessions[region] += int(items.size());
            Q_EMIT progress(m_pages, m_sessions);
        });
    // Started over account-wide: its pages come again (the model merges them
    // by ARN), so the Region's sessions are counted from nought.
    connect(job, &gamelift::AccountSessionsJob::restarted, this,
        [this, region] { m_sessions -= std::exchange(m_regionSessions[region], 0); });
    connect(job, &gamelift::AccountSessionsJob::succeeded, this, [this, region] {
        m_jobs.remove(region);
        m_model->endRefresh(region);
        if (m_again.remove(region)) {
            // Asked again while it listed: once more, counted afresh, before
            // the round is said to be done.
            if (gamelift::GameLiftClient *client = m_clients.value(region)) {
                m_sessions -= std::exchange(m_regionSessions[region], 0);
                startListing(region, client);
                return;
            }
        }
        Q_EMIT regionFinished(region, m_regionSessions.value(region));
        jobEnded();
    });
    connect(job, &gamelift::AccountSessionsJob::failed, this, [this, region](const aws::AwsError &error) {
        m_again.remove(region); // the failure is shown; listing again is the user's call
        m_jobs.remove(region);
        m_model->cancelRefresh(region); // the Region's rows stay as they were
        m_sessions -= m_regionSessions.take(region);
        if (error.kind != aws::AwsError::Kind::Cancelled) {
            aws::AwsError named = error;
            named.operation = tr("%1 in %2").arg(error.operation, region);
            Q_EMIT failed(region, named);
        }
        jobEnded();
    });
    job->start();
}

void SessionLoader::jobEnded()
{
    if (m_jobs.isEmpty())
        Q_EMIT finished(m_sessions);
}

} // namespace gls::ui
