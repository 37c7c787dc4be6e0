#include "EmulatorState.h"

#include "ArchiveWriter.h"
#include "ObjectStore.h"
#include "Seeder.h"
#include "StateCodec.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

Q_LOGGING_CATEGORY(lcState, "gls.emulator.state")

namespace gls::emu {

namespace model {
const QStringList kSessionStatuses = {
    QStringLiteral("ACTIVATING"), QStringLiteral("ACTIVE"), QStringLiteral("CONNECTED"),
    QStringLiteral("PENDING_CLIENT_RECONNECTION"), QStringLiteral("RECONNECTING"), QStringLiteral("TERMINATING"),
    QStringLiteral("TERMINATED"), QStringLiteral("ERROR"),
};
const QStringList kExportStatuses = {QStringLiteral("SUCCEEDED"), QStringLiteral("FAILED"), QStringLiteral("PENDING")};
const QStringList kExportableStatuses = {
    QStringLiteral("ACTIVE"), QStringLiteral("CONNECTED"), QStringLiteral("PENDING_CLIENT_RECONNECTION"),
    QStringLiteral("RECONNECTING"),
};

// Smithy's patterns must match the whole value; in PCRE '$' also matches
// before a final line feed, so the match is anchored at the very end (\z).
bool matchesWhole(const QRegularExpression &re, const QString &value)
{
    const QRegularExpressionMatch m = re.match(value);
    return m.hasMatch() && m.capturedStart() == 0 && m.capturedEnd() == value.size();
}

// Smithy lengths count characters (code points), not UTF-16 units.
qsizetype characters(const QString &value)
{
    return value.toUcs4().size();
}

bool isIdentifier(const QString &value)
{
    static const QRegularExpression re(QStringLiteral(
        "^(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^:\\n]*):([0-9]{12}):([^:\\n]*)$)$"));
    const qsizetype n = characters(value);
    return n >= 1 && n <= 128 && matchesWhole(re, value);
}

bool isOutputUri(const QString &value)
{
    // The model's `^s3://.*(/|\.zip|\.ZIP)$`; '.' does not match a line feed.
    static const QRegularExpression re(QStringLiteral("^s3://.*(/|\\.zip|\\.ZIP)$"));
    return characters(value) <= 1024 && matchesWhole(re, value);
}
} // namespace model

namespace {

constexpr auto kArchiveMarker = "#archive";

bool isFinal(const QString &status)
{
    return status == QLatin1String("TERMINATED") || status == QLatin1String("ERROR");
}

// An export whose archive is to be written and is not being written yet:
// PENDING on a session that has ended.
bool archiveDue(const StreamSession &s)
{
    return s.exportState && s.exportState->status == QLatin1String("PENDING") && !s.exportState->archiveInProgress
        && isFinal(s.status);
}

} // namespace

EmulatorState::EmulatorState(ObjectStore *store, QString dataDir, double timeScale, qint64 archiveSize, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_dataDir(std::move(dataDir))
    , m_timeScale(timeScale > 0 ? timeScale : 1.0)
    , m_archiveSize(archiveSize)
{
    m_tick.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &EmulatorState::advance);
    m_arrivals.setSingleShot(true);
    connect(&m_arrivals, &QTimer::timeout, this, &EmulatorState::arrive);
    m_saveTimer.setSingleShot(true);
    // Saving 10,000 sessions takes ~100 ms of CPU: at most every 2 s, and off
    // the thread that answers requests.
    m_saveTimer.setInterval(2000);
    connect(&m_saveTimer, &QTimer::timeout, this, &EmulatorState::saveInBackground);
}

EmulatorState::~EmulatorState()
{
    m_saveFuture.waitForFinished();
}

void EmulatorState::setTimeScale(double scale)
{
    if (scale <= 0)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_due.clear();
    for (auto &[ordinal, s] : m_sessions) {
        if (!s->nextAt.isValid())
            continue;
        const double virtualLeft = now.msecsTo(s->nextAt) * m_timeScale;
        s->nextAt = now.addMSecs(qint64(qMax(0.0, virtualLeft / scale)));
        if (s->plannedEndAt.isValid())
            s->plannedEndAt = now.addMSecs(qint64(qMax(0.0, now.msecsTo(s->plannedEndAt) * m_timeScale / scale)));
        m_due.emplace(s->nextAt.toMSecsSinceEpoch(), ordinal);
    }
    m_timeScale = scale;
    rearmTimer();
    scheduleSave();
}

void EmulatorState::setArrivalsPerHour(double perHour)
{
    m_arrivalsPerHour = qMax(0.0, perHour);
    armArrival();
}

void EmulatorState::armArrival()
{
    if (m_arrivalsPerHour <= 0) {
        m_arrivals.stop();
        return;
    }
    // Exponential gaps (a Poisson process), drawn from the seed so a run repeats.
    SplitMix64 rng(m_seed ^ (0xA5A5A5A5ull + m_arrivalCount * 0x9E3779B97F4A7C15ull));
    const double virtualGap = -std::log(1.0 - rng.unit() * 0.999) * 3600.0 / m_arrivalsPerHour;
    m_arrivals.start(int(qBound(1.0, virtualGap * 1000.0 / m_timeScale, 3.6e6)));
}

void EmulatorState::arrive()
{
    std::vector<const StreamGroup *> hosts;
    for (const auto &[id, g] : m_groups) {
        if (g.status == QLatin1String("ACTIVE") || g.status == QLatin1String("ACTIVE_WITH_ERRORS"))
            hosts.push_back(&g);
    }
    if (!hosts.empty()) {
        SplitMix64 rng(m_seed ^ (m_arrivalCount * 0xD1B54A32D192ED03ull));
        const StreamGroup &g = *hosts.at(rng.below(hosts.size()));
        const LocationState &where = g.locations.at(rng.below(g.locations.size()));
        const StreamSession *s = createSession(g, QStringLiteral("ACTIVATING"), where.name);
        Q_EMIT sessionChanged(s->id);
    }
    ++m_arrivalCount;
    armArrival();
}

double EmulatorState::draw(StreamSession &s, double lo, double hi)
{
    SplitMix64 rng(s.seed);
    s.seed = rng.next();
    return lo + (hi - lo) * (double(s.seed >> 11) * (1.0 / 9007199254740992.0));
}

void EmulatorState::indexSession(StreamSession *s)
{
    m_sessionsById.insert(s->id, s);
    m_sessionsByGroup[groupKey(s->region, s->groupId)].emplace(s->ordinal, s);
    if (s->nextAt.isValid())
        m_due.emplace(s->nextAt.toMSecsSinceEpoch(), s->ordinal);
}

bool EmulatorState::loadOrSeed(const SeedConfig &seed, QString *error)
{
    QFile f(m_dataDir + QStringLiteral("/state.json"));
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString());
            return false;
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
        if (pe.error != QJsonParseError::NoError) {
            *error = QStringLiteral("%1 is damaged (%2); move it away to start afresh").arg(f.fileName(), pe.errorString());
            return false;
        }
        if (!fromJson(doc.object(), error))
            return false;
        // Archives that were being written when the emulator stopped are written again.
        for (auto &[ordinal, s] : m_sessions) {
            if (s->exportState && s->exportState->archiveInProgress) {
                s->exportState->archiveInProgress = false;
                startArchive(*s);
            }
        }
        qCInfo(lcState) << "continuing from" << f.fileName() << "with" << m_sessions.size() << "sessions";
        rearmTimer();
        return true;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_account = seed.account;
    m_regions = seed.regions;
    m_seed = seed.seed;
    SeededAccount data = seedAccount(seed, now);
    for (StreamGroup &g : data.groups)
        m_groups.emplace(g.id, std::move(g));
    for (StreamSession &seeded : data.sessions) {
        auto s = std::make_unique<StreamSession>(std::move(seeded));
        m_nextOrdinal = qMax(m_nextOrdinal, s->ordinal + 1);
        // Some sessions already have an export, as a live account would.
        const double x = draw(*s, 0, 1);
        const QString folder = QStringLiteral("s3://%1/exports/").arg(seed.exportBucket);
        const QString named = QStringLiteral("s3://%1/qa/%2.zip").arg(seed.exportBucket, s->id);
        if (s->status == QLatin1String("TERMINATED") && x < 0.05) {
            s->exportState = ExportState{QStringLiteral("FAILED"),
                                         QStringLiteral("Unable to upload the exported files to %1: access denied. "
                                                        "Check that the bucket policy allows the service to write to it.")
                                             .arg(named),
                                         named, QString(), s->createdAt.addSecs(60), false};
        } else if (s->status == QLatin1String("TERMINATED") && x < 0.12) {
            s->exportState = ExportState{QStringLiteral("PENDING"), QString(), x < 0.09 ? folder : named, QString(),
                                         s->createdAt.addSecs(60), false};
        } else if (model::kExportableStatuses.contains(s->status) && x < 0.15) {
            s->exportState = ExportState{QStringLiteral("PENDING"), QString(), x < 0.08 ? folder : named, QString(),
                                         s->createdAt.addSecs(30), false};
        }
        StreamSession *raw = s.get();
        m_sessions.emplace(raw->ordinal, std::move(s));
        planAfterEntering(*raw);
        if (archiveDue(*raw))
            schedule(
                *raw, QString::fromLatin1(kArchiveMarker), QString(), seed.archiveSeededNow ? 0.0 : draw(*raw, 2, 20));
        indexSession(raw);
    }
    qCInfo(lcState) << "seeded" << m_groups.size() << "stream groups and" << m_sessions.size() << "sessions with seed"
                    << seed.seed;
    rearmTimer();
    scheduleSave();
    return true;
}

// ---- look-ups -------------------------------------------------------------

QString EmulatorState::groupArn(const StreamGroup &g) const
{
    return QStringLiteral("arn:aws:gameliftstreams:%1:%2:streamgroup/%3").arg(g.region, m_account, g.id);
}

QString EmulatorState::sessionArn(const StreamSession &s) const
{
    return QStringLiteral("arn:aws:gameliftstreams:%1:%2:streamsession/%3/%4").arg(s.region, m_account, s.groupId, s.id);
}

QString EmulatorState::applicationArn(const QString &region, const QString &appId) const
{
    return QStringLiteral("arn:aws:gameliftstreams:%1:%2:application/%3").arg(region, m_account, appId);
}

const StreamGroup *EmulatorState::findGroup(const QString &region, const QString &identifier) const
{
    QString id = identifier;
    if (identifier.startsWith(QLatin1String("arn:"))) {
        const QStringList parts = identifier.split(QLatin1Char(':'));
        if (parts.size() != 6 || parts.at(3) != region || parts.at(4) != m_account
            || !parts.at(5).startsWith(QLatin1String("streamgroup/")))
            return nullptr;
        id = parts.at(5).mid(int(qstrlen("streamgroup/")));
    }
    const auto it = m_groups.find(id);
    if (it == m_groups.end() || it->second.region != region)
        return nullptr;
    return &it->second;
}

StreamSession *EmulatorState::findSession(const QString &region, const QString &groupIdentifier,
                                          const QString &sessionIdentifier)
{
    const StreamGroup *g = findGroup(region, groupIdentifier);
    if (!g)
        return nullptr;
    QString id = sessionIdentifier;
    if (sessionIdentifier.startsWith(QLatin1String("arn:"))) {
        const QStringList parts = sessionIdentifier.split(QLatin1Char(':'));
        if (parts.size() != 6 || parts.at(3) != region || parts.at(4) != m_account)
            return nullptr;
        const QStringList resource = parts.at(5).split(QLatin1Char('/'));
        if (resource.size() != 3 || resource.at(0) != QLatin1String("streamsession") || resource.at(1) != g->id)
            return nullptr;
        id = resource.at(2);
    }
    StreamSession *s = m_sessionsById.value(id);
    return s && s->groupId == g->id ? s : nullptr;
}

StreamSession *EmulatorState::findSessionById(const QString &sessionId)
{
    return m_sessionsById.value(sessionId);
}

QList<const StreamGroup *> EmulatorState::groups(const QString &region) const
{
    QList<const StreamGroup *> out;
    for (const auto &[id, g] : m_groups) {
        if (g.region == region)
            out.append(&g);
    }
    return out;
}

QList<const StreamSession *> EmulatorState::sessionsAfter(const QString &region, const QString &groupId,
                                                         quint64 afterOrdinal,
                                                         const std::function<bool(const StreamSession &)> &accept,
                                                         int limit, bool *more) const
{
    QList<const StreamSession *> out;
    *more = false;
    const auto take = [&](const StreamSession &s) {
        if (s.region != region || !accept(s))
            return true;
        if (out.size() == limit) {
            *more = true;
            return false;
        }
        out.append(&s);
        return true;
    };
    if (groupId.isEmpty()) {
        for (auto it = m_sessions.upper_bound(afterOrdinal); it != m_sessions.end(); ++it) {
            if (!take(*it->second))
                break;
        }
        return out;
    }
    // One group's page walks that group's sessions only, as a service's index would.
    const auto group = m_sessionsByGroup.find(groupKey(region, groupId));
    if (group == m_sessionsByGroup.end())
        return out;
    for (auto it = group->second.upper_bound(afterOrdinal); it != group->second.end(); ++it) {
        if (!take(*it->second))
            break;
    }
    return out;
}

// ---- lifecycle -------------------------------------------------------------

void EmulatorState::schedule(StreamSession &s, const QString &next, const QString &reason, double virtualSeconds)
{
    s.nextStatus = next;
    s.nextReason = reason;
    s.nextAt = QDateTime::currentDateTimeUtc().addMSecs(qint64(virtualSeconds * 1000.0 / m_timeScale));
    m_due.emplace(s.nextAt.toMSecsSinceEpoch(), s.ordinal);
}

void EmulatorState::planAfterEntering(StreamSession &s)
{
    s.nextStatus.clear();
    s.nextReason.clear();
    s.nextAt = QDateTime();
    const QString &st = s.status;
    if (st == QLatin1String("ACTIVATING")) {
        if (draw(s, 0, 1) < 0.9)
            schedule(s, QStringLiteral("ACTIVE"), QString(), draw(s, 5, 30));
        else
            schedule(s, QStringLiteral("ERROR"), QStringLiteral("placementTimeout"), draw(s, 20, 60));
    } else if (st == QLatin1String("ACTIVE")) {
        if (draw(s, 0, 1) < 0.85)
            schedule(s, QStringLiteral("CONNECTED"), QString(), draw(s, 10, 90));
        else
            schedule(s, QStringLiteral("TERMINATING"), QStringLiteral("connectionTimeout"), s.connectionTimeoutSeconds);
    } else if (st == QLatin1String("CONNECTED")) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (!s.plannedEndAt.isValid()) {
            const double x = draw(s, 0, 1);
            s.plannedEndReason = x < 0.55 ? QStringLiteral("applicationExit")
                               : x < 0.8  ? QStringLiteral("idleTimeout")
                                          : QStringLiteral("maxSessionLengthTimeout");
            const double life = s.plannedEndReason == QLatin1String("maxSessionLengthTimeout")
                                    ? qMin<double>(s.sessionLengthSeconds, draw(s, 1800, 3 * 3600))
                                    : draw(s, 600, 3 * 3600);
            s.plannedEndAt = now.addMSecs(qint64(life * 1000.0 / m_timeScale));
        }
        const double left = qMax(0.0, now.msecsTo(s.plannedEndAt) / 1000.0 * m_timeScale);
        if (left > 120 && draw(s, 0, 1) < 0.2)
            schedule(s, QStringLiteral("PENDING_CLIENT_RECONNECTION"), QString(), draw(s, 0.2, 0.8) * left);
        else
            schedule(s, QStringLiteral("TERMINATING"), s.plannedEndReason, left);
    } else if (st == QLatin1String("PENDING_CLIENT_RECONNECTION")) {
        if (draw(s, 0, 1) < 0.8)
            schedule(s, QStringLiteral("RECONNECTING"), QString(), draw(s, 5, 60));
        else
            schedule(s, QStringLiteral("TERMINATING"), QStringLiteral("reconnectionTimeout"), s.connectionTimeoutSeconds);
    } else if (st == QLatin1String("RECONNECTING")) {
        schedule(s, QStringLiteral("CONNECTED"), QString(), draw(s, 2, 8));
    } else if (st == QLatin1String("TERMINATING")) {
        // enter() replaces the reason with the one that caused the termination.
        schedule(s, QStringLiteral("TERMINATED"),
                 s.plannedEndReason.isEmpty() ? QStringLiteral("applicationExit") : s.plannedEndReason, draw(s, 3, 10));
    }
}

void EmulatorState::enter(StreamSession &s, const QString &status, const QString &reason)
{
    s.status = status;
    // The model documents reasons for ERROR and TERMINATED only.
    s.statusReason = isFinal(status) ? reason : QString();
    s.lastUpdatedAt = QDateTime::currentDateTimeUtc();
    const QString carried = reason;
    planAfterEntering(s);
    if (status == QLatin1String("TERMINATING") && !carried.isEmpty())
        s.nextReason = carried;
    if (isFinal(status))
        onSessionEnded(s);
    changed(s);
}

void EmulatorState::changed(StreamSession &s)
{
    s.summaryJson.clear();
    Q_EMIT sessionChanged(s.id);
    scheduleSave();
}

void EmulatorState::transition(StreamSession &s)
{
    const QString next = s.nextStatus;
    const QString reason = s.nextReason;
    s.nextStatus.clear();
    s.nextAt = QDateTime();
    if (next == QLatin1String(kArchiveMarker)) {
        startArchive(s);
        return;
    }
    enter(s, next, reason);
}

void EmulatorState::advance()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_due.empty() && m_due.begin()->first <= now) {
        const auto [when, ordinal] = *m_due.begin();
        m_due.erase(m_due.begin());
        const auto it = m_sessions.find(ordinal);
        if (it == m_sessions.end())
            continue;
        StreamSession &s = *it->second;
        // Stale entries (the session was rescheduled since) are skipped.
        if (!s.nextAt.isValid() || s.nextAt.toMSecsSinceEpoch() != when)
            continue;
        transition(s);
    }
    rearmTimer();
}

void EmulatorState::rearmTimer()
{
    if (m_due.empty()) {
        m_tick.stop();
        return;
    }
    const qint64 wait = m_due.begin()->first - QDateTime::currentMSecsSinceEpoch();
    m_tick.start(int(qBound<qint64>(0, wait, qint64(1000))));
}

void EmulatorState::onSessionEnded(StreamSession &s)
{
    s.endedAt = s.lastUpdatedAt;
    s.plannedEndAt = QDateTime();
    if (s.exportState && s.exportState->status == QLatin1String("PENDING"))
        schedule(s, QString::fromLatin1(kArchiveMarker), QString(), 2);
    rearmTimer();
}

void EmulatorState::requestExport(StreamSession &s, const QString &outputUri)
{
    s.exportState = ExportState{QStringLiteral("PENDING"), QString(), outputUri, QString(),
                                QDateTime::currentDateTimeUtc(), false};
    s.lastUpdatedAt = QDateTime::currentDateTimeUtc();
    changed(s);
}

void EmulatorState::terminate(StreamSession &s)
{
    if (isFinal(s.status) || s.status == QLatin1String("TERMINATING"))
        return;
    enter(s, QStringLiteral("TERMINATING"), QStringLiteral("apiTerminated"));
    rearmTimer();
}

void EmulatorState::endNow(StreamSession &s, const QString &reason)
{
    if (isFinal(s.status))
        return;
    enter(s, QStringLiteral("TERMINATED"), reason.isEmpty() ? QStringLiteral("apiTerminated") : reason);
    rearmTimer();
}

StreamSession *EmulatorState::createSession(const StreamGroup &g, const QString &status, const QString &location)
{
    auto s = std::make_unique<StreamSession>();
    s->ordinal = m_nextOrdinal++;
    SplitMix64 rng(m_seed ^ (s->ordinal * 0x9E3779B97F4A7C15ull));
    s->seed = rng.next();
    s->id = randomAlnum(rng, 13);
    while (m_sessionsById.contains(s->id))
        s->id = randomAlnum(rng, 13);
    s->groupId = g.id;
    s->region = g.region;
    s->applicationId = g.defaultApplicationId;
    s->location = location.isEmpty() ? g.locations.value(0).name : location;
    s->userId = QStringLiteral("qa-tester-") + QString::number(1000 + rng.below(9000));
    s->status = status;
    s->createdAt = QDateTime::currentDateTimeUtc();
    s->lastUpdatedAt = s->createdAt;
    StreamSession *raw = s.get();
    m_sessions.emplace(raw->ordinal, std::move(s));
    indexSession(raw); // nothing due yet: planAfterEntering schedules it
    planAfterEntering(*raw);
    if (isFinal(status))
        raw->endedAt = raw->createdAt;
    rearmTimer();
    scheduleSave();
    return raw;
}

// ---- exports ---------------------------------------------------------------

void EmulatorState::startArchive(StreamSession &s)
{
    if (!s.exportState || s.exportState->status != QLatin1String("PENDING") || s.exportState->archiveInProgress)
        return;
    ExportState &e = *s.exportState;
    const QString rest = e.requestedUri.mid(5); // after "s3://"
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString bucket = slash < 0 ? rest : rest.left(slash);
    QString key = slash < 0 ? QString() : rest.mid(slash + 1);
    const Bucket *b = m_store->bucket(bucket);
    if (!b) {
        e.status = QStringLiteral("FAILED");
        e.statusReason = QStringLiteral("Unable to export the session files: the Amazon S3 bucket '%1' does not exist "
                                        "or is not accessible.").arg(bucket);
        s.lastUpdatedAt = QDateTime::currentDateTimeUtc();
        changed(s);
        return;
    }
    if (key.isEmpty() || key.endsWith(QLatin1Char('/'))) {
        const QDateTime at = s.endedAt.isValid() ? s.endedAt : QDateTime::currentDateTimeUtc();
        key += QStringLiteral("%1-%2-%3-%4.zip")
                   .arg(at.toString(QStringLiteral("yyyyMMdd-HHmmss")), s.applicationId, s.groupId, s.id);
    }
    e.archiveInProgress = true;
    ++m_archivesRunning;
    scheduleSave();

    ArchiveSpec spec;
    spec.sessionId = s.id;
    spec.streamGroupId = s.groupId;
    spec.applicationId = s.applicationId;
    spec.userId = s.userId;
    spec.location = s.location;
    spec.startedAt = s.createdAt;
    spec.endedAt = s.endedAt.isValid() ? s.endedAt : QDateTime::currentDateTimeUtc();
    spec.seed = s.ordinal ^ (m_seed << 20);
    spec.targetSize = m_archiveSize;
    const QString staging = m_store->stagingPath(bucket, key);
    const QString root = m_store->rootDir();
    const bool crc64Nvme = m_store->defaultChecksums();
    const QString sessionId = s.id;

    struct Outcome {
        bool ok = false;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Outcome>(this);
    auto objectOut = std::make_shared<StoredObject>();
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [=, this] {
        const Outcome o = watcher->result();
        watcher->deleteLater();
        if (o.ok)
            m_store->commit(bucket, *objectOut);
        finishArchive(sessionId, o.ok, bucket, key, o.error);
    });
    watcher->setFuture(QtConcurrent::run([=]() -> Outcome {
        Outcome o;
        if (!writeSessionArchive(spec, staging, &o.error)) {
            QFile::remove(staging);
            return o;
        }
        o.ok = ObjectStore::finalize(root, bucket, key, staging, crc64Nvme, objectOut.get(), &o.error);
        return o;
    }));
}

void EmulatorState::finishArchive(const QString &sessionId, bool ok, const QString &bucket, const QString &key,
                                  const QString &error)
{
    --m_archivesRunning;
    StreamSession *s = m_sessionsById.value(sessionId);
    if (!s || !s->exportState)
        return;
    ExportState &e = *s->exportState;
    e.archiveInProgress = false;
    if (ok) {
        e.status = QStringLiteral("SUCCEEDED");
        e.outputUri = QStringLiteral("s3://%1/%2").arg(bucket, key);
        e.statusReason.clear();
    } else {
        qCWarning(lcState) << "archive for session" << sessionId << "failed:" << error;
        e.status = QStringLiteral("FAILED");
        e.statusReason = QStringLiteral("Unable to collect or upload the session files: internal error.");
    }
    s->lastUpdatedAt = QDateTime::currentDateTimeUtc();
    changed(*s);
}

// ---- persistence -------------------------------------------------------------

void EmulatorState::scheduleSave()
{
    if (!m_saveTimer.isActive())
        m_saveTimer.start();
}

int EmulatorState::archivesOutstanding() const
{
    int due = 0;
    for (const auto &[o, s] : m_sessions) {
        if (archiveDue(*s))
            ++due;
    }
    return due + m_archivesRunning;
}

QJsonObject EmulatorState::summary() const
{
    QJsonObject byStatus;
    QJsonObject byExport;
    for (const auto &[o, s] : m_sessions) {
        byStatus[s->status] = byStatus.value(s->status).toInt() + 1;
        if (s->exportState)
            byExport[s->exportState->status] = byExport.value(s->exportState->status).toInt() + 1;
    }
    return QJsonObject{{QStringLiteral("streamGroups"), int(m_groups.size())},
        {QStringLiteral("sessions"), int(m_sessions.size())}, {QStringLiteral("sessionsByStatus"), byStatus},
        {QStringLiteral("exportsByStatus"), byExport}, {QStringLiteral("archivesBeingWritten"), m_archivesRunning},
        {QStringLiteral("archivesOutstanding"), archivesOutstanding()}, {QStringLiteral("timeScale"), m_timeScale}};
}

// A copy of everything state.json holds (Qt's implicit sharing keeps it
// cheap), so encoding and writing can run on another thread.
struct EmulatorState::Snapshot {
    QString account;
    QStringList regions;
    quint64 seed = 0;
    quint64 nextOrdinal = 0;
    std::vector<StreamGroup> groups;
    std::vector<StreamSession> sessions;
};

std::shared_ptr<const EmulatorState::Snapshot> EmulatorState::snapshot() const
{
    auto s = std::make_shared<Snapshot>();
    s->account = m_account;
    s->regions = m_regions;
    s->seed = m_seed;
    s->nextOrdinal = m_nextOrdinal;
    s->groups.reserve(m_groups.size());
    for (const auto &[id, g] : m_groups)
        s->groups.push_back(g);
    s->sessions.reserve(m_sessions.size());
    for (const auto &[ordinal, session] : m_sessions)
        s->sessions.push_back(*session);
    return s;
}

QByteArray EmulatorState::encode(const Snapshot &snapshot)
{
    // The top level and the groups (a few dozen) through QJsonDocument; the
    // sessions, which are nearly all of it, through appendSessionJson.
    QJsonArray groups;
    for (const StreamGroup &g : snapshot.groups)
        groups.append(encodeGroup(g));
    const QJsonObject head{{QStringLiteral("version"), 1}, {QStringLiteral("account"), snapshot.account},
        {QStringLiteral("regions"), QJsonArray::fromStringList(snapshot.regions)},
        {QStringLiteral("seed"), QString::number(snapshot.seed)},
        {QStringLiteral("nextOrdinal"), double(snapshot.nextOrdinal)}, {QStringLiteral("streamGroups"), groups}};
    QByteArray out = QJsonDocument(head).toJson(QJsonDocument::Compact);
    out.chop(1); // the closing brace
    out.reserve(out.size() + qsizetype(snapshot.sessions.size()) * 1024);
    out += ",\"sessions\":[";
    for (std::size_t i = 0; i < snapshot.sessions.size(); ++i) {
        if (i)
            out += ',';
        appendSessionJson(out, snapshot.sessions[i]);
    }
    out += "]}";
    return out;
}

QString EmulatorState::write(const QString &dataDir, const Snapshot &snapshot)
{
    QDir().mkpath(dataDir);
    QSaveFile f(dataDir + QStringLiteral("/state.json"));
    if (!f.open(QIODevice::WriteOnly))
        return f.errorString();
    f.write(encode(snapshot));
    if (!f.commit())
        return f.errorString();
    return {};
}

void EmulatorState::saveInBackground()
{
    if (m_saveFuture.isRunning()) {
        m_saveAgain = true; // once this one is written
        return;
    }
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        if (const QString error = watcher->result(); !error.isEmpty())
            qCWarning(lcState) << "saving state failed:" << error;
        watcher->deleteLater();
        if (std::exchange(m_saveAgain, false))
            scheduleSave();
    });
    m_saveFuture = QtConcurrent::run([dir = m_dataDir, snap = snapshot()] { return write(dir, *snap); });
    watcher->setFuture(m_saveFuture);
}

bool EmulatorState::save(QString *error)
{
    m_saveTimer.stop();
    m_saveFuture.waitForFinished(); // an older snapshot must not land after this one
    *error = write(m_dataDir, *snapshot());
    return error->isEmpty();
}

bool EmulatorState::fromJson(const QJsonObject &root, QString *error)
{
    if (root.value(QStringLiteral("version")).toInt() != 1) {
        *error = QStringLiteral("state.json has an unknown version");
        return false;
    }
    m_account = root.value(QStringLiteral("account")).toString();
    for (const QJsonValue &r : root.value(QStringLiteral("regions")).toArray())
        m_regions.append(r.toString());
    m_seed = root.value(QStringLiteral("seed")).toString().toULongLong();
    m_nextOrdinal = quint64(root.value(QStringLiteral("nextOrdinal")).toDouble());
    for (const QJsonValue &v : root.value(QStringLiteral("streamGroups")).toArray()) {
        StreamGroup g = decodeGroup(v.toObject());
        m_groups.emplace(g.id, std::move(g));
    }
    for (const QJsonValue &v : root.value(QStringLiteral("sessions")).toArray()) {
        auto s = std::make_unique<StreamSession>(decodeSession(v.toObject()));
        if (s->id.isEmpty() || !s->ordinal) {
            *error = QStringLiteral("state.json holds a session without id or ordinal");
            return false;
        }
        StreamSession *raw = s.get();
        m_sessions.emplace(raw->ordinal, std::move(s));
        indexSession(raw);
    }
    return true;
}

} // namespace gls::emu
