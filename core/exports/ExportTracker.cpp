#include "ExportTracker.h"

#include "ExportTask.h" // lcExports

#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/ListStreamSessionsJob.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace gls::exports {

namespace {

const QString kList = QStringLiteral("ListStreamSessions");
const QString kGet = QStringLiteral("GetStreamSession");

bool isThrottling(const aws::AwsError &e)
{
    return e.httpStatus == 429 || e.type.contains(QLatin1String("Throttl")) || e.type == QLatin1String("SlowDown");
}

bool isServerError(const aws::AwsError &e)
{
    return e.httpStatus >= 500;
}

bool isNetworkError(const aws::AwsError &e)
{
    return e.kind == aws::AwsError::Kind::Network || e.kind == aws::AwsError::Kind::Timeout;
}

} // namespace

ExportTracker::ExportTracker(ClientLookup lookup, QObject *parent)
    : ExportTracker(std::move(lookup), Settings{}, {}, parent)
{
}

ExportTracker::ExportTracker(ClientLookup lookup, Settings settings, Random random, QObject *parent)
    : QObject(parent)
    , m_lookup(std::move(lookup))
    , m_settings(settings)
    , m_random(random ? std::move(random) : Random([] { return QRandomGenerator::global()->generateDouble(); }))
    , m_timer(new QTimer(this))
{
    m_clock.start();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ExportTracker::pump);
}

ExportTracker::~ExportTracker() = default;

QString ExportTracker::groupKey(const QString &profile, const QString &region, const QString &streamGroupId)
{
    return profile + QLatin1Char('\n') + region + QLatin1Char('\n') + streamGroupId;
}

ExportTracker::Group *ExportTracker::groupOf(const TrackedExport &e)
{
    auto it = m_groups.find(groupKey(e.profile, e.region, e.streamGroupId));
    return it == m_groups.end() ? nullptr : &it.value();
}

void ExportTracker::add(const TrackedExport &exportInfo)
{
    if (exportInfo.id.isEmpty() || exportInfo.isFinished())
        return;
    if (m_exports.contains(exportInfo.id))
        detach(m_exports.value(exportInfo.id));
    m_exports.insert(exportInfo.id, exportInfo);
    const QString key = groupKey(exportInfo.profile, exportInfo.region, exportInfo.streamGroupId);
    auto it = m_groups.find(key);
    if (it == m_groups.end()) {
        Group g;
        g.profile = exportInfo.profile;
        g.region = exportInfo.region;
        g.streamGroupId = exportInfo.streamGroupId;
        g.dueAt = now() + m_settings.firstCheckDelayMs;
        it = m_groups.insert(key, g);
    }
    it->exportIds.insert(exportInfo.id);
    if (exportInfo.sessionEnded()) {
        it->dueAt = std::min(it->dueAt, now() + jittered(m_settings.endedFirstMs));
        if (it->endedDelayMs == 0)
            it->endedDelayMs = m_settings.endedFirstMs;
    }
    schedulePump();
}

void ExportTracker::add(const QList<TrackedExport> &exports)
{
    for (const TrackedExport &e : exports)
        add(e);
}

bool ExportTracker::update(const TrackedExport &exportInfo)
{
    if (!m_exports.contains(exportInfo.id))
        return false;
    if (exportInfo.isFinished()) {
        remove(exportInfo.id);
        return true;
    }
    add(exportInfo);
    return true;
}

bool ExportTracker::remove(const QString &id)
{
    auto it = m_exports.find(id);
    if (it == m_exports.end())
        return false;
    detach(it.value());
    m_exports.erase(it);
    if (m_exports.isEmpty())
        Q_EMIT idle();
    return true;
}

void ExportTracker::clear()
{
    const bool had = !m_exports.isEmpty();
    m_exports.clear();
    m_groups.clear();
    m_getQueue.clear();
    m_getQueued.clear();
    m_timer->stop();
    if (had)
        Q_EMIT idle();
}

void ExportTracker::detach(const TrackedExport &e)
{
    m_getQueue.removeAll(e.id);
    m_getQueued.remove(e.id);
    const QString key = groupKey(e.profile, e.region, e.streamGroupId);
    auto it = m_groups.find(key);
    if (it == m_groups.end())
        return;
    it->exportIds.remove(e.id);
    if (it->exportIds.isEmpty())
        m_groups.erase(it);
}

std::optional<TrackedExport> ExportTracker::find(const QString &id) const
{
    auto it = m_exports.constFind(id);
    if (it == m_exports.constEnd())
        return std::nullopt;
    return it.value();
}

void ExportTracker::checkNow()
{
    const qint64 t = now();
    for (Group &g : m_groups)
        g.dueAt = t;
    schedulePump();
}

void ExportTracker::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    if (!online) {
        m_timer->stop();
        qCInfo(lcExports) << "export tracker paused (offline)";
        return;
    }
    qCInfo(lcExports) << "export tracker back online: catching up on" << m_groups.size() << "groups";
    m_networkErrorsInRow = 0;
    m_networkDown = false;
    checkNow();
}

int ExportTracker::jittered(int ms)
{
    const double factor = 1.0 - m_settings.jitter + 2.0 * m_settings.jitter * m_random();
    return std::max(0, int(ms * factor));
}

void ExportTracker::schedulePump(qint64 delayMs)
{
    if (!m_online)
        return;
    delayMs = std::max<qint64>(0, delayMs);
    if (!m_timer->isActive() || m_timer->remainingTime() > delayMs)
        m_timer->start(int(std::min<qint64>(delayMs, std::numeric_limits<int>::max())));
}

// Takes one send slot of `operation` when the pace allows it now; otherwise
// lowers *wakeAt to when it will.
bool ExportTracker::acquire(const QString &operation, qint64 t, qint64 *wakeAt)
{
    if (m_settings.requestsPerSecond <= 0)
        return true;
    qint64 &slot = m_nextSlot[operation];
    if (slot > t) {
        *wakeAt = std::min(*wakeAt, slot);
        return false;
    }
    slot = std::max(slot, t) + qint64(1000.0 / m_settings.requestsPerSecond);
    return true;
}

void ExportTracker::pump()
{
    if (!m_online)
        return;
    const qint64 t = now();
    qint64 wakeAt = std::numeric_limits<qint64>::max();

    if (m_networkDown) {
        // Only the probe: one listing of one group, slowly.
        if (!m_groups.contains(m_probeKey) && !m_groups.isEmpty())
            m_probeKey = m_groups.firstKey();
        auto it = m_groups.find(m_probeKey);
        if (it != m_groups.end() && !it->listing) {
            if (it->dueAt <= t) {
                if (acquire(kList, t, &wakeAt))
                    startListing(m_probeKey);
            } else {
                wakeAt = std::min(wakeAt, it->dueAt);
            }
        }
    } else {
        // Sessions that left the PENDING listing first: they finish exports.
        while (!m_getQueue.isEmpty()) {
            if (!acquire(kGet, t, &wakeAt))
                break;
            startGet(m_getQueue.takeFirst());
        }
        QList<QPair<qint64, QString>> due;
        for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it) {
            if (it->listing)
                continue;
            if (it->dueAt <= t)
                due.append({it->dueAt, it.key()});
            else
                wakeAt = std::min(wakeAt, it->dueAt);
        }
        std::sort(due.begin(), due.end());
        for (const auto &[at, key] : std::as_const(due)) {
            if (!acquire(kList, t, &wakeAt))
                break;
            startListing(key);
        }
    }
    if (wakeAt != std::numeric_limits<qint64>::max())
        schedulePump(wakeAt - t);
}

void ExportTracker::startListing(const QString &key)
{
    Group &g = m_groups[key];
    gamelift::GameLiftClient *client = m_lookup ? m_lookup(g.profile, g.region) : nullptr;
    if (!client) {
        aws::AwsError error;
        error.kind = aws::AwsError::Kind::Client;
        error.type = QStringLiteral("NoClient");
        error.operation = kList;
        error.message = QStringLiteral("No GameLift Streams client for profile '%1' in %2").arg(g.profile, g.region);
        g.dueAt = now(); // planned again by onFailure
        onFailure(key, error);
        return;
    }
    gamelift::ListStreamSessionsRequest request;
    request.streamGroup = g.streamGroupId;
    request.exportFilesStatus = QStringLiteral("PENDING");
    request.maxResults = 100;
    auto *job = client->listStreamSessions(request);
    g.listing = true;
    ++m_inFlight;
    ++m_stats.listRequests;
    connect(job, &gamelift::ListStreamSessionsJob::succeeded, this,
        [this, key, job](
            const QList<gamelift::StreamSessionSummary> &items) { onListing(key, items, job->pageCount()); });
    connect(job, &gamelift::ApiJob::failed, this, [this, key, job](const aws::AwsError &error) {
        m_stats.listRequests += std::max(0, job->pageCount()); // pages that came before the failure
        auto it = m_groups.find(key);
        if (it != m_groups.end())
            it->listing = false;
        onFailure(key, error);
    });
    connect(job, &QObject::destroyed, this, [this, key] {
        --m_inFlight;
        auto it = m_groups.find(key);
        if (it != m_groups.end() && it->listing) { // destroyed without an answer (client gone)
            it->listing = false;
            schedulePump();
        }
    });
    job->start();
}

void ExportTracker::onListing(const QString &key, const QList<gamelift::StreamSessionSummary> &sessions, int pages)
{
    // The first page was counted when sent; pace and count the others now.
    if (pages > 1) {
        m_stats.listRequests += pages - 1;
        if (m_settings.requestsPerSecond > 0)
            m_nextSlot[kList] += qint64((pages - 1) * 1000.0 / m_settings.requestsPerSecond);
    }
    ++m_stats.rounds;
    onAnswer();
    auto git = m_groups.find(key);
    if (git == m_groups.end())
        return; // every export of the group was removed meanwhile
    Group &g = git.value();
    g.listing = false;
    g.errorDelayMs = 0;

    QHash<QString, QString> pendingStatus; // session ID -> session status
    for (const gamelift::StreamSessionSummary &s : sessions)
        pendingStatus.insert(s.idFromArn(), s.status);

    const QDateTime at = QDateTime::currentDateTimeUtc();
    bool anyEnded = false;
    bool newlyEnded = false;
    const QSet<QString> ids = g.exportIds;
    for (const QString &id : ids) {
        auto it = m_exports.find(id);
        if (it == m_exports.end())
            continue;
        TrackedExport &e = it.value();
        e.lastCheckedAt = at;
        auto found = pendingStatus.constFind(e.sessionId());
        if (found == pendingStatus.constEnd()) {
            // Left PENDING: read the outcome once.
            if (!m_getQueued.contains(id)) {
                m_getQueued.insert(id);
                m_getQueue.append(id);
            }
            continue;
        }
        if (e.sessionStatus != found.value()) {
            const bool wasEnded = e.sessionEnded();
            e.sessionStatus = found.value();
            if (e.sessionEnded() && !wasEnded)
                newlyEnded = true;
            Q_EMIT exportChanged(e);
        }
        anyEnded = anyEnded || e.sessionEnded();
    }
    if (!anyEnded)
        g.endedDelayMs = 0;
    else if (newlyEnded || g.endedDelayMs == 0)
        g.endedDelayMs = m_settings.endedFirstMs;
    else
        g.endedDelayMs = std::min(int(g.endedDelayMs * m_settings.endedGrowth), m_settings.endedMaxMs);
    planNext(g);
    schedulePump();
}

void ExportTracker::planNext(Group &g)
{
    int delay = g.endedDelayMs > 0 ? g.endedDelayMs : m_settings.runningIntervalMs;
    if (g.errorDelayMs > 0)
        delay = g.errorDelayMs;
    g.dueAt = now() + jittered(delay);
}

void ExportTracker::startGet(const QString &exportId)
{
    auto it = m_exports.find(exportId);
    if (it == m_exports.end()) {
        m_getQueued.remove(exportId);
        return;
    }
    const TrackedExport e = it.value();
    const QString key = groupKey(e.profile, e.region, e.streamGroupId);
    gamelift::GameLiftClient *client = m_lookup ? m_lookup(e.profile, e.region) : nullptr;
    if (!client) {
        m_getQueued.remove(exportId); // the next listing queues it again
        return;
    }
    auto *job = client->getStreamSession(e.streamGroupId, e.session);
    ++m_inFlight;
    ++m_stats.getRequests;
    connect(job, &gamelift::GetStreamSessionJob::succeeded, this,
        [this, exportId](const gamelift::StreamSession &session) { onSession(exportId, session); });
    connect(job, &gamelift::ApiJob::failed, this, [this, exportId, key](const aws::AwsError &error) {
        // Kept: the next listing of its group asks again.
        m_getQueued.remove(exportId);
        onFailure(key, error);
    });
    connect(job, &QObject::destroyed, this, [this, exportId] {
        --m_inFlight;
        m_getQueued.remove(exportId);
    });
    job->start();
}

void ExportTracker::onSession(const QString &exportId, const gamelift::StreamSession &session)
{
    m_getQueued.remove(exportId);
    onAnswer();
    auto it = m_exports.find(exportId);
    if (it == m_exports.end())
        return;
    TrackedExport e = it.value();
    const TrackedExport before = e;
    e.lastCheckedAt = QDateTime::currentDateTimeUtc();
    e.sessionStatus = session.status;
    if (session.exportFilesMetadata) {
        const gamelift::ExportFilesMetadata &m = *session.exportFilesMetadata;
        if (!m.status.isEmpty())
            e.status = m.status;
        e.statusReason = m.statusReason;
        e.outputUri = m.outputUri;
    }
    if (e.isFinished()) {
        finish(e);
        return;
    }
    // Still PENDING (it was requested after the listing, or a newer status we
    // do not know): keep following it through the listing.
    it.value() = e;
    if (!(e == before))
        Q_EMIT exportChanged(e);
    if (e.sessionEnded()) {
        if (Group *g = groupOf(e); g && g->endedDelayMs == 0) {
            g->endedDelayMs = m_settings.endedFirstMs;
            g->dueAt = std::min(g->dueAt, now() + jittered(m_settings.endedFirstMs));
            schedulePump(g->dueAt - now());
        }
    }
}

void ExportTracker::finish(TrackedExport e)
{
    qCInfo(lcExports) << "export" << e.id << e.status << "for session" << e.sessionId();
    detach(m_exports.value(e.id));
    m_exports.remove(e.id);
    Q_EMIT exportChanged(e);
    Q_EMIT exportFinished(e.id, e);
    if (m_exports.isEmpty())
        Q_EMIT idle();
}

void ExportTracker::onAnswer()
{
    m_networkErrorsInRow = 0;
    if (m_networkDown)
        setNetworkDown(false);
}

void ExportTracker::onFailure(const QString &key, const aws::AwsError &error)
{
    if (isThrottling(error))
        ++m_stats.throttled;
    else if (isServerError(error))
        ++m_stats.serverErrors;
    else if (isNetworkError(error))
        ++m_stats.networkErrors;
    else
        ++m_stats.otherErrors;

    auto it = m_groups.find(key);
    QString profile, region, groupId;
    if (it != m_groups.end()) {
        Group &g = it.value();
        profile = g.profile;
        region = g.region;
        groupId = g.streamGroupId;
        const int base = g.endedDelayMs > 0 ? g.endedDelayMs : m_settings.runningIntervalMs;
        if (error.kind != aws::AwsError::Kind::Cancelled) {
            g.errorDelayMs = g.errorDelayMs == 0 ? std::min(base * 2, m_settings.errorMaxMs)
                                                 : std::min(g.errorDelayMs * 2, m_settings.errorMaxMs);
            if (!g.listing)
                planNext(g);
        }
    } else {
        const QStringList parts = key.split(QLatin1Char('\n'));
        profile = parts.value(0);
        region = parts.value(1);
        groupId = parts.value(2);
    }
    qCWarning(lcExports) << "export check failed for" << groupId << "in" << region << ":" << error.toString();

    if (isNetworkError(error)) {
        ++m_networkErrorsInRow;
        if (m_networkDown) {
            if (it != m_groups.end())
                it->dueAt = now() + jittered(m_settings.offlineProbeMs);
        } else if (m_networkErrorsInRow >= m_settings.networkErrorsForOffline) {
            m_probeKey = key;
            setNetworkDown(true);
        }
    }
    Q_EMIT checkFailed(profile, region, groupId, error);
    schedulePump();
}

void ExportTracker::setNetworkDown(bool down)
{
    if (m_networkDown == down)
        return;
    m_networkDown = down;
    if (down) {
        qCWarning(lcExports) << "network looks down; probing one stream group every" << m_settings.offlineProbeMs
                             << "ms";
        auto it = m_groups.find(m_probeKey);
        if (it != m_groups.end())
            it->dueAt = now() + jittered(m_settings.offlineProbeMs);
    } else {
        qCInfo(lcExports) << "network back; catching up";
        const qint64 t = now();
        for (Group &g : m_groups) {
            g.dueAt = t;
            g.errorDelayMs = 0;
        }
    }
    Q_EMIT networkStateChanged(!down);
    schedulePump();
}

} // namespace gls::exports
