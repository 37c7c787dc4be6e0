#include "AccountSessionsJob.h"

#include "GameLiftClient.h"
#include "ListStreamGroupsJob.h"
#include "Validation.h"

#include <QTimer>

namespace gls::gamelift {

namespace {

aws::AwsError cancelled(const QString &message)
{
    aws::AwsError e;
    e.kind = aws::AwsError::Kind::Cancelled;
    e.type = QStringLiteral("Cancelled");
    e.operation = QStringLiteral("ListStreamSessions");
    e.message = message;
    return e;
}

bool isRefusal(const aws::AwsError &error)
{
    return error.kind == aws::AwsError::Kind::Service
        && (error.type == QLatin1String("AccessDeniedException") || error.type == QLatin1String("AccessDenied"));
}

} // namespace

AccountSessionsJob::AccountSessionsJob(GameLiftClient *client, ListStreamSessionsRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{
    m_request.streamGroup.clear();
}

AccountSessionsJob::~AccountSessionsJob()
{
    stopAll();
}

void AccountSessionsJob::start()
{
    if (m_started)
        return;
    m_started = true;
    QString problem = streamSessionStatusFilterProblem(m_request.status, m_request.unknownFilterValues);
    if (problem.isEmpty())
        problem = exportFilesStatusFilterProblem(m_request.exportFilesStatus, m_request.unknownFilterValues);
    if (problem.isEmpty())
        problem = maxResultsProblem(m_request.maxResults);
    if (!problem.isEmpty()) {
        aws::AwsError e;
        e.kind = aws::AwsError::Kind::Validation;
        e.type = QStringLiteral("InvalidParameter"); // as the jobs name a local refusal
        e.operation = QStringLiteral("ListStreamSessions");
        e.message = problem;
        // Never from inside start(), as the jobs.
        QTimer::singleShot(0, this, [this, e] { fail(e); });
        return;
    }
    auto *groups = m_client->listStreamGroups();
    m_running.append(groups);
    watchLifetime(groups);
    connect(groups, &ApiJob::failed, this, [this, groups](const aws::AwsError &e) { onFailed(e, groups, true); });
    connect(groups, &ListStreamGroupsJob::succeeded, this, [this, groups](const QList<StreamGroupSummary> &all) {
        m_running.removeAll(groups);
        for (const StreamGroupSummary &g : all)
            listGroup(g.idOrFromArn());
        succeedIfDone(); // no group: no session
    });
    groups->start();
}

void AccountSessionsJob::abort()
{
    if (m_finished)
        return;
    fail(cancelled(QStringLiteral("the listing was cancelled")));
}

void AccountSessionsJob::listGroup(const QString &groupId)
{
    ListStreamSessionsRequest r = m_request;
    r.streamGroup = groupId;
    follow(m_client->listStreamSessions(r), groupId);
}

void AccountSessionsJob::listAccount()
{
    m_accountListing = true;
    m_items.clear();
    m_groupItems.clear();
    m_count = 0;
    Q_EMIT restarted();
    if (m_finished) // aborted by a receiver
        return;
    follow(m_client->listStreamSessions(m_request), QString());
}

void AccountSessionsJob::watchLifetime(QObject *job)
{
    // A job still under way that is destroyed (its client went away) emits
    // nothing: without this the listing would wait for it for ever.
    connect(job, &QObject::destroyed, this, [this] {
        if (m_finished || m_running.removeAll(QPointer<QObject>()) == 0)
            return;
        fail(cancelled(QStringLiteral("the listing stopped: its GameLift Streams client went away")));
    });
}

void AccountSessionsJob::follow(ListStreamSessionsJob *job, const QString &group)
{
    m_running.append(job);
    watchLifetime(job);
    job->setKeepItems(m_keepItems);
    const bool groupRoute = !group.isEmpty();
    connect(
        job, &ApiJob::failed, this, [this, job, groupRoute](const aws::AwsError &e) { onFailed(e, job, groupRoute); });
    connect(job, &ListStreamSessionsJob::page, this, [this](const QList<StreamSessionSummary> &items) {
        m_count += items.size();
        Q_EMIT page(items);
    });
    connect(job, &ListStreamSessionsJob::succeeded, this, [this, job] {
        m_running.removeAll(job);
        // The job's own list, moved: no session is copied on its way here.
        if (m_keepItems)
            m_groupItems.append(job->takeItems());
        succeedIfDone();
    });
    job->start();
}

void AccountSessionsJob::onFailed(const aws::AwsError &error, QObject *job, bool groupRoute)
{
    if (m_finished)
        return;
    if (groupRoute && !m_accountListing && isRefusal(error)) {
        stopAll();
        listAccount();
        return;
    }
    if (groupRoute && error.kind == aws::AwsError::Kind::Service && error.httpStatus == 404
        && error.operation == QLatin1String("ListStreamSessions")) {
        // The group went away after it was listed: nothing of it to list.
        m_running.removeAll(job);
        succeedIfDone();
        return;
    }
    fail(error);
}

void AccountSessionsJob::stopAll()
{
    const QList<QPointer<QObject>> running = std::exchange(m_running, {});
    for (const QPointer<QObject> &o : running) {
        if (auto *job = qobject_cast<ApiJob *>(o.data())) {
            disconnect(job, nullptr, this, nullptr);
            job->abort();
        }
    }
}

void AccountSessionsJob::fail(const aws::AwsError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    stopAll();
    Q_EMIT failed(error);
    Q_EMIT finished();
    if (m_autoDelete)
        deleteLater();
}

void AccountSessionsJob::succeedIfDone()
{
    if (m_finished || !m_running.isEmpty())
        return;
    m_finished = true;
    qsizetype total = m_items.size();
    for (const QList<StreamSessionSummary> &group : std::as_const(m_groupItems))
        total += group.size();
    m_items.reserve(total);
    for (QList<StreamSessionSummary> &group : m_groupItems) {
        for (StreamSessionSummary &s : group)
            m_items.append(std::move(s));
    }
    m_groupItems.clear();
    Q_EMIT succeeded(m_items);
    Q_EMIT finished();
    if (m_autoDelete)
        deleteLater();
}

} // namespace gls::gamelift
