#include "ExportsCommands.h"

#include "AwsContext.h"
#include "Format.h"
#include "JsonFields.h"
#include "Output.h"
#include "Table.h"

#include "aws/AwsError.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/ExportTracker.h"
#include "exports/TrackedExport.h"
#include "gamelift/ApiJob.h"
#include "gamelift/GameLiftClient.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace gls::cli {

using exports::DownloadState;
using exports::ExportRecord;
using exports::ExportStatus;

namespace {

constexpr int kPollMs = 2000; // how often watch looks for rows another process wrote

QString profileText(const QString &profile)
{
    return profile.isEmpty() ? QStringLiteral("(default)") : profile;
}

// The watch's tracker: the defaults, with intervals for someone waiting at a terminal.
exports::ExportTracker::Settings watchSettings()
{
    exports::ExportTracker::Settings s;
    s.runningIntervalMs = 10'000; // sessions still running: their archives cannot land before they end
    s.endedFirstMs = 2'000;       // an ended session: its archive is being written
    s.endedMaxMs = 30'000;
    s.errorMaxMs = 120'000;
    s.offlineProbeMs = 15'000;
    s.firstCheckDelayMs = 0; // the first look at once
    return s;
}


} // namespace

QString exportStorePath(const QProcessEnvironment &env)
{
    const QString path = env.value(QStringLiteral("GLS_EXPORT_STORE"));
    return path.isEmpty() ? exports::ExportStore::defaultPath() : path;
}

std::unique_ptr<exports::ExportStore> openExportStore(const QProcessEnvironment &env, QString *error)
{
    auto store = std::make_unique<exports::ExportStore>(exportStorePath(env));
    if (!store->open(error))
        return nullptr;
    return store;
}

QJsonObject exportRecordJson(const ExportRecord &r)
{
    const QJsonObject download{{QStringLiteral("state"), exports::downloadStateName(r.downloadState)},
        {QStringLiteral("path"), json::text(r.downloadPath)}, {QStringLiteral("sha256"), json::text(r.downloadSha256)},
        {QStringLiteral("bytes"),
            r.downloadState == DownloadState::None ? QJsonValue() : QJsonValue(r.downloadedBytes)},
        {QStringLiteral("error"), json::text(r.downloadError)}};
    return QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("profile"), r.profile},
        {QStringLiteral("region"), json::text(r.region)},
        {QStringLiteral("streamGroupId"), json::text(r.streamGroupId)},
        {QStringLiteral("sessionId"), json::text(r.sessionId)},
        {QStringLiteral("sessionArn"), json::text(r.sessionArn)},
        {QStringLiteral("status"), exports::statusName(r.status)},
        {QStringLiteral("statusReason"), json::text(r.statusReason)},
        {QStringLiteral("source"), exports::sourceName(r.source)},
        {QStringLiteral("requestedUri"), json::text(r.requestedUri)},
        {QStringLiteral("outputUri"), json::text(r.outputUri)},
        {QStringLiteral("requestedAt"), json::time(r.requestedAt)},
        {QStringLiteral("finishedAt"), json::time(r.finishedAt)},
        {QStringLiteral("lastCheckedAt"), json::time(r.lastCheckedAt)},
        {QStringLiteral("sessionStatus"), json::text(r.sessionStatus)}, {QStringLiteral("download"), download}};
}

ExportsCommand::ExportsCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent)
    : Command(args, aws, out, parent)
    , m_deadline(new QTimer(this))
    , m_poll(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    m_poll->setInterval(kPollMs);
    connect(m_deadline, &QTimer::timeout, this, &ExportsCommand::onDeadline);
    connect(m_poll, &QTimer::timeout, this, &ExportsCommand::followNewRows);
}

ExportsCommand::~ExportsCommand()
{
    // The coordinator (and its downloads) before the store it writes to.
    delete m_coordinator;
}

bool ExportsCommand::openStore()
{
    QString error;
    m_store = openExportStore(awsContext()->environment(), &error);
    if (!m_store) {
        finish(out()->fail(ExitCode::Failure, QStringLiteral("ExportStore"), error));
        return false;
    }
    return true;
}

bool ExportsCommand::isOurs(const ExportRecord &record) const
{
    return record.profile == m_profile && record.region == m_region;
}

void ExportsCommand::failOnStore()
{
    if (isFinished())
        return; // said once
    finish(out()->fail(ExitCode::Failure, QStringLiteral("ExportStore"), m_store->lastError()));
}

std::optional<QList<ExportRecord>> ExportsCommand::ourPending()
{
    QList<ExportRecord> ours;
    bool ok = false;
    const QList<ExportRecord> open = m_store->pending(&ok);
    if (!ok) {
        failOnStore();
        return std::nullopt;
    }
    for (const ExportRecord &r : open) {
        if (isOurs(r))
            ours.append(r);
    }
    return ours;
}

void ExportsCommand::start()
{
    const QString action = args().positionals.value(0);
    const bool isList = action == QLatin1String("list");
    const bool isWatch = action == QLatin1String("watch");
    if (!isList && !isWatch) {
        usage(QStringLiteral("exports: the action is list or watch, not '%1'").arg(action));
        return;
    }
    for (const char *option : {"status", "all-profiles", "refresh"}) {
        if (isWatch && args().isSet(QLatin1String(option))) {
            usage(QStringLiteral("--%1 goes with exports list, not watch").arg(QLatin1String(option)));
            return;
        }
    }
    for (const char *option : {"download", "timeout"}) {
        if (isList && args().isSet(QLatin1String(option))) {
            usage(QStringLiteral("--%1 goes with exports watch, not list").arg(QLatin1String(option)));
            return;
        }
    }
    if (args().isSet(QStringLiteral("refresh")) && args().isSet(QStringLiteral("all-profiles"))) {
        usage(QStringLiteral("--refresh looks in the current profile and Region only; not with --all-profiles"));
        return;
    }
    if (isList && args().isSet(QStringLiteral("status"))) {
        const QString wanted = args().value(QStringLiteral("status"));
        if (!exports::statusFromName(wanted)) {
            usage(QStringLiteral("--status: '%1' is not an export status; use REQUESTING, PENDING, SUCCEEDED, FAILED "
                                 "or UNKNOWN")
                      .arg(wanted));
            return;
        }
    }
    if (isWatch) {
        if (!wholeNumber(QStringLiteral("timeout"), 1, 7 * 24 * 3600, 0, &m_timeoutSeconds))
            return;
        if (args().isSet(QStringLiteral("download")) && !outputFolder(QStringLiteral("download"), {}, &m_folder))
            return;
    }
    m_profile = awsContext()->options().profile;
    m_region = awsContext()->region();
    if (!openStore())
        return;
    if (isWatch)
        watch();
    else if (args().isSet(QStringLiteral("refresh")))
        refreshThenList();
    else
        list();
}

void ExportsCommand::stopWork()
{
    m_deadline->stop();
    m_poll->stop();
    // Running downloads are cancelled (their .part files go) and stay RUNNING
    // in the store: the next watch, or the desktop app, fetches them again.
    delete m_coordinator;
    m_coordinator = nullptr;
}

// --- list ---------------------------------------------------------------------------------------------

void ExportsCommand::refreshThenList()
{
    if (m_region.isEmpty()) {
        usage(QStringLiteral("--refresh needs a Region: --region, AWS_REGION or AWS_DEFAULT_REGION"));
        return;
    }
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    exports::ExportCoordinator::Clients clients;
    clients.gameLift = [this, client](const QString &profile, const QString &region, QString *error) {
        if (profile == m_profile && region == m_region)
            return client;
        *error = QStringLiteral("not this run's profile and Region");
        return static_cast<gamelift::GameLiftClient *>(nullptr);
    };
    // Listing only: what is found PENDING is not followed (the tracker's first look is a day away).
    exports::ExportTracker::Settings idle;
    idle.firstCheckDelayMs = 24 * 3600 * 1000;
    auto *tracker = new exports::ExportTracker(
        [client](const QString &, const QString &) -> gamelift::GameLiftClient * { return client; }, idle);
    m_coordinator = new exports::ExportCoordinator(m_store.get(), clients, tracker);
    connect(m_coordinator, &exports::ExportCoordinator::callFailed, this, &ExportsCommand::finishWithError);

    // The coordinator's listing jobs are the client's new children; the list
    // is printed once every one has finished (each records its page first).
    const QList<gamelift::ApiJob *> before = client->findChildren<gamelift::ApiJob *>(Qt::FindDirectChildrenOnly);
    m_coordinator->discoverElsewhere(m_profile, m_region);
    auto remaining = std::make_shared<int>(0);
    const auto oneDone = [this, remaining] {
        if (--*remaining == 0 && !isFinished())
            list();
    };
    const QList<gamelift::ApiJob *> after = client->findChildren<gamelift::ApiJob *>(Qt::FindDirectChildrenOnly);
    for (gamelift::ApiJob *job : after) {
        if (before.contains(job) || job->isFinished())
            continue;
        ++*remaining;
        connect(job, &gamelift::ApiJob::finished, this, oneDone);
    }
    if (*remaining == 0 && !isFinished())
        list();
}

void ExportsCommand::list()
{
    exports::ExportFilter filter;
    if (args().isSet(QStringLiteral("status")))
        filter.statuses.insert(*exports::statusFromName(args().value(QStringLiteral("status"))));
    const bool all = args().isSet(QStringLiteral("all-profiles"));
    if (!all)
        filter.region = m_region;
    QList<ExportRecord> rows;
    bool ok = false;
    const QList<ExportRecord> stored = m_store->list(filter, &ok);
    if (!ok) {
        failOnStore();
        return;
    }
    for (const ExportRecord &r : stored) {
        // An empty profile filter means "any" to the store: the default chain's ("") is filtered here.
        if (all || isOurs(r))
            rows.append(r);
    }
    if (out()->json()) {
        QJsonArray items;
        for (const ExportRecord &r : std::as_const(rows))
            items.append(exportRecordJson(r));
        out()->writeJson({{QStringLiteral("exports"), items}, {QStringLiteral("count"), int(rows.size())}});
        finish(code(ExitCode::Ok));
        return;
    }
    if (rows.isEmpty()) {
        out()->note(all
                ? QStringLiteral("No exports in %1.").arg(m_store->path())
                : QStringLiteral("No exports of profile %1 in %2 (--all-profiles shows every one).")
                      .arg(profileText(m_profile), m_region.isEmpty() ? QStringLiteral("no Region") : m_region));
        finish(code(ExitCode::Ok));
        return;
    }
    Table table({QStringLiteral("ID"), QStringLiteral("Session"), QStringLiteral("Profile"), QStringLiteral("Region"),
        QStringLiteral("Status"), QStringLiteral("Requested"), QStringLiteral("Finished"),
        QStringLiteral("Destination"), QStringLiteral("Downloaded"), QStringLiteral("Source")});
    for (const ExportRecord &r : std::as_const(rows)) {
        const QString status = exports::statusName(r.status);
        table.addRow({{QString::number(r.id)}, {r.sessionId}, {profileText(r.profile)}, {r.region},
            {status, toneForStatus(status)}, {displayTime(r.requestedAt)}, {displayTime(r.finishedAt)},
            {r.outputUri.isEmpty() ? r.requestedUri : r.outputUri},
            {r.downloadState == DownloadState::Done ? r.downloadPath : QString()},
            {exports::sourceName(r.source).toLower()}});
    }
    out()->write(table.render(out()->colour()));
    finish(code(ExitCode::Ok));
}

// --- watch --------------------------------------------------------------------------------------------

void ExportsCommand::watch()
{
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    if (!m_folder.isEmpty() && !s3())
        return; // a bad S3 setting is reported before anything is followed
    AwsContext *aws = awsContext();
    exports::ExportCoordinator::Clients clients;
    clients.gameLift = [this, client](const QString &profile, const QString &region, QString *error) {
        if (profile == m_profile && region == m_region)
            return client;
        *error = QStringLiteral("not this run's profile and Region");
        return static_cast<gamelift::GameLiftClient *>(nullptr);
    };
    clients.s3 = [this, aws](const QString &profile, const QString &region, QString *error) {
        if (profile == m_profile && region == m_region)
            return aws->s3(error);
        *error = QStringLiteral("not this run's profile and Region");
        return static_cast<s3::S3Client *>(nullptr);
    };
    auto *tracker = new exports::ExportTracker(
        [this, client](const QString &profile, const QString &region) -> gamelift::GameLiftClient * {
            return profile == m_profile && region == m_region ? client : nullptr;
        },
        watchSettings());
    m_coordinator = new exports::ExportCoordinator(m_store.get(), clients, tracker);
    if (!m_folder.isEmpty())
        m_coordinator->setDownloadFolder(
            [this](const QString &profile) { return profile == m_profile ? m_folder : QString(); });
    connect(m_coordinator, &exports::ExportCoordinator::recordChanged, this, &ExportsCommand::onRecordChanged);
    connect(m_coordinator, &exports::ExportCoordinator::downloadFinished, this, &ExportsCommand::onDownloadFinished);
    connect(m_coordinator, &exports::ExportCoordinator::callFailed, this, &ExportsCommand::onCallFailed);

    const QDateTime interruptedBefore
        = QDateTime::currentDateTimeUtc().addSecs(-exports::ExportStore::kDefaultInterruptedAge.count());
    const std::optional<QList<ExportRecord>> pending = ourPending();
    if (!pending)
        return;
    for (const ExportRecord &r : *pending) {
        m_seen.insert(r.id, r.status);
        // resume() settles these: UNKNOWN, and REQUESTING old enough to have been cut off.
        if (r.status == ExportStatus::Unknown
            || (r.status == ExportStatus::Requesting && r.requestedAt.isValid() && r.requestedAt < interruptedBefore))
            m_settling.insert(r.id);
    }
    m_coordinator->resume();
    if (m_seen.isEmpty())
        out()->note(QStringLiteral("No export of profile %1 in %2 is pending.")
                        .arg(profileText(m_profile), m_region.isEmpty() ? QStringLiteral("no Region") : m_region));
    else
        out()->note(QStringLiteral("Following %1 pending export(s) of profile %2 in %3.")
                        .arg(QString::number(m_seen.size()), profileText(m_profile), m_region));
    if (m_timeoutSeconds > 0)
        m_deadline->start(int(m_timeoutSeconds * 1000));
    m_poll->start();
    scheduleCheck();
}

void ExportsCommand::onRecordChanged(qint64 id)
{
    if (isFinished())
        return;
    const std::optional<ExportRecord> r = m_store->find(id);
    if (!r || !isOurs(*r))
        return;
    const auto seen = m_seen.constFind(id);
    if (seen == m_seen.cend()) {
        // Not pending when the watch began (an archive fetched now), or written by another process.
        m_seen.insert(id, r->status);
        scheduleCheck();
        return;
    }
    const ExportStatus before = *seen;
    if (before != r->status) {
        m_seen.insert(id, r->status);
        {
            QString line = QStringLiteral("Export %1 (session %2): %3 -> %4")
                               .arg(QString::number(id), r->sessionId, exports::statusName(before),
                                   exports::statusName(r->status));
            if (r->status == ExportStatus::Succeeded)
                line += QLatin1Char(' ') + r->outputUri;
            else if (r->status == ExportStatus::Failed)
                line += QStringLiteral(": ")
                    + (r->statusReason.isEmpty() ? QStringLiteral("no reason given") : r->statusReason);
            else if (r->status == ExportStatus::Pending)
                line += QLatin1Char(' ') + r->requestedUri;
            if (!out()->json())
                out()->write(line + QLatin1Char('\n'));
        }
        if (r->status == ExportStatus::Failed)
            ++m_failedExports;
    }
    scheduleCheck();
}

void ExportsCommand::onDownloadFinished(qint64 id, bool ok)
{
    if (isFinished())
        return;
    const std::optional<ExportRecord> r = m_store->find(id);
    if (!r || !isOurs(*r))
        return;
    if (ok) {
        if (!out()->json())
            out()->write(QStringLiteral("Downloaded %1 (%2)\n").arg(r->downloadPath, displayBytes(r->downloadedBytes)));
    } else {
        ++m_failedDownloads;
        out()->warning(QStringLiteral("the archive of export %1 (session %2) was not downloaded: %3")
                           .arg(QString::number(id), r->sessionId, r->downloadError));
    }
    scheduleCheck();
}

void ExportsCommand::onCallFailed(const aws::AwsError &error)
{
    if (isFinished() || error.type == QLatin1String("NoClient"))
        return; // another profile's or Region's export: not this run's to follow
    if (error.type == QLatin1String("ExportStore")) {
        // The coordinator could not start a download (or write the store).
        ++m_failedDownloads;
        out()->warning(error.operation + QStringLiteral(": ") + error.message);
        scheduleCheck();
        return;
    }
    if (error.kind == aws::AwsError::Kind::Cancelled)
        return;
    out()->note(QStringLiteral("%1; looking again later.").arg(error.toString()));
}

// Rows another process wrote while this one watches (an `export` in another terminal, the desktop app).
void ExportsCommand::followNewRows()
{
    if (isFinished() || !m_coordinator)
        return;
    const QDateTime interruptedBefore
        = QDateTime::currentDateTimeUtc().addSecs(-exports::ExportStore::kDefaultInterruptedAge.count());
    bool settle = false;
    const std::optional<QList<ExportRecord>> pending = ourPending();
    if (!pending)
        return;
    for (const ExportRecord &r : *pending) {
        if (!m_seen.contains(r.id))
            m_seen.insert(r.id, r.status);
        if (r.status == ExportStatus::Pending && !m_coordinator->tracker()->contains(QString::number(r.id)))
            m_coordinator->tracker()->add(trackedFrom(r));
        const bool stale = r.status == ExportStatus::Unknown
            || (r.status == ExportStatus::Requesting && r.requestedAt.isValid() && r.requestedAt < interruptedBefore);
        if (stale && !m_settling.contains(r.id)) {
            m_settling.insert(r.id);
            settle = true;
        }
    }
    if (settle)
        m_coordinator->resume();
    scheduleCheck();
}

void ExportsCommand::scheduleCheck()
{
    if (m_checkScheduled)
        return;
    m_checkScheduled = true;
    // After the coordinator has finished reacting (a finished export starts its download right after).
    QTimer::singleShot(0, this, [this] {
        m_checkScheduled = false;
        checkDone();
    });
}

void ExportsCommand::checkDone()
{
    if (isFinished() || !m_coordinator)
        return;
    if (const std::optional<QList<ExportRecord>> pending = ourPending(); !pending || !pending->isEmpty())
        return;
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it) {
        if (m_coordinator->isDownloading(it.key()))
            return;
    }
    if (m_coordinator->lookupsInFlight() > 0)
        return; // a SUCCEEDED export's OutputUri is being read: its download comes next
    bool ok = false;
    const QList<ExportRecord> running = m_store->list({.statuses = {ExportStatus::Succeeded}, .region = m_region}, &ok);
    if (!ok) {
        failOnStore();
        return;
    }
    for (const ExportRecord &r : running) {
        if (isOurs(r) && m_coordinator->isDownloading(r.id))
            return;
    }
    m_deadline->stop();
    m_poll->stop();
    writeWatchJson();
    if (m_failedExports > 0) {
        finish(out()->fail(ExitCode::ExportFailed, QStringLiteral("ExportFailed"),
            QStringLiteral("%1 export(s) ended FAILED").arg(m_failedExports),
            QStringLiteral("ExportStreamSessionFiles")));
        return;
    }
    if (m_failedDownloads > 0) {
        finish(out()->fail(ExitCode::Failure, QStringLiteral("DownloadFailed"),
            QStringLiteral("%1 archive(s) could not be downloaded").arg(m_failedDownloads)));
        return;
    }
    if (!out()->json() && !m_seen.isEmpty())
        out()->note(QStringLiteral("Nothing is pending any more."));
    finish(code(ExitCode::Ok));
}

void ExportsCommand::onDeadline()
{
    if (isFinished())
        return;
    const std::optional<QList<ExportRecord>> open = ourPending();
    if (!open) {
        stopWork();
        return;
    }
    const int pending = int(open->size());
    writeWatchJson();
    finish(out()->fail(ExitCode::NetworkOrTimeout, QStringLiteral("WaitTimeout"),
        QStringLiteral("--timeout: %1 export(s) still pending after %2 s (their archives are written when their "
                       "sessions end)")
            .arg(QString::number(pending), QString::number(m_timeoutSeconds))));
    stopWork();
}

void ExportsCommand::writeWatchJson()
{
    if (!out()->json())
        return;
    QList<qint64> ids = m_seen.keys();
    std::sort(ids.begin(), ids.end(), std::greater<>());
    QJsonArray items;
    for (qint64 id : std::as_const(ids)) {
        if (const std::optional<ExportRecord> r = m_store->find(id))
            items.append(exportRecordJson(*r));
    }
    out()->writeJson({{QStringLiteral("exports"), items}, {QStringLiteral("count"), int(items.size())}});
}

} // namespace gls::cli
