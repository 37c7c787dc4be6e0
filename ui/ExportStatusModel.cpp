#include "ExportStatusModel.h"

#include "SessionTableModel.h"

#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/TrackedExport.h"

#include <QColor>
#include <QFileInfo>
#include <QLocale>
#include <QTimer>

namespace gls::ui {

using exports::DownloadState;
using exports::ExportRecord;
using exports::ExportStatus;

namespace {

QString elapsedText(qint64 seconds)
{
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return QObject::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

bool running(const ExportRecord &r)
{
    return !r.isFinished() || r.downloadState == DownloadState::Running;
}

} // namespace

ExportStatusModel::ExportStatusModel(exports::ExportCoordinator *coordinator, QObject *parent)
    : QAbstractTableModel(parent)
    , m_coordinator(coordinator)
    , m_ticker(new QTimer(this))
{
    connect(m_coordinator, &exports::ExportCoordinator::recordChanged, this, &ExportStatusModel::refreshId);
    connect(m_coordinator, &exports::ExportCoordinator::callFailed, this, &ExportStatusModel::callFailed);
    connect(m_coordinator, &exports::ExportCoordinator::exportFinished, this, [this](qint64 id) {
        refreshId(id);
        const int row = rowOfId(id);
        if (row >= 0)
            Q_EMIT exportFinished(row);
    });
    connect(m_coordinator, &exports::ExportCoordinator::downloadProgress, this,
            [this](qint64 id, qint64 bytes, qint64 total) {
                m_progress.insert(id, {bytes, total});
                const int row = rowOfId(id);
                if (row >= 0)
                    Q_EMIT dataChanged(index(row, Download), index(row, Download), {Qt::DisplayRole});
            });
    connect(m_coordinator, &exports::ExportCoordinator::trackingProblem, this,
            [this](const QString &profile, const QString &region, const QString &message) {
                const QString key = profile + QLatin1Char('|') + region;
                if (m_trackingProblems.value(key) == message)
                    return;
                if (message.isEmpty())
                    m_trackingProblems.remove(key);
                else
                    m_trackingProblems.insert(key, message);
                for (int row = 0; row < m_rows.size(); ++row) {
                    const ExportRecord &r = m_rows.at(row);
                    if (!r.isFinished() && r.profile == profile && r.region == region)
                        Q_EMIT dataChanged(index(row, Result), index(row, Result));
                }
            });
    // Elapsed times tick; rows another process (the CLI) wrote appear.
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        const qint64 version = m_coordinator->store()->dataVersion();
        if (version != m_dataVersion) {
            reload();
            return;
        }
        for (int row = 0; row < m_rows.size(); ++row) {
            if (running(m_rows.at(row)))
                Q_EMIT dataChanged(index(row, Elapsed), index(row, Elapsed), {Qt::DisplayRole});
        }
    });
    m_ticker->start();
    reload();
}

ExportStatusModel::~ExportStatusModel() = default;

int ExportStatusModel::rowOfId(qint64 id) const
{
    return m_rowOfId.value(id, -1);
}

void ExportStatusModel::upsert(const ExportRecord &record)
{
    const int row = rowOfId(record.id);
    if (row >= 0) {
        if (m_rows.at(row) == record)
            return;
        const ExportRecord before = m_rows.at(row);
        m_rows[row] = record;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        if (!record.sessionArn.isEmpty()
            && (before.status != record.status || before.sessionStatus != record.sessionStatus)) {
            const bool known = record.status == ExportStatus::Pending || record.isFinished();
            Q_EMIT sessionSeen(record.sessionArn, record.sessionStatus,
                               known ? exports::statusName(record.status) : QString());
        }
        return;
    }
    // Ids grow: a new row goes at the end unless an older one arrives late.
    int at = int(m_rows.size());
    while (at > 0 && m_rows.at(at - 1).id > record.id)
        --at;
    beginInsertRows({}, at, at);
    m_rows.insert(at, record);
    for (int r = at; r < m_rows.size(); ++r)
        m_rowOfId.insert(m_rows.at(r).id, r);
    endInsertRows();
}

void ExportStatusModel::refreshId(qint64 id)
{
    if (const std::optional<ExportRecord> r = m_coordinator->store()->find(id))
        upsert(*r);
}

void ExportStatusModel::reload()
{
    exports::ExportStore *store = m_coordinator->store();
    m_dataVersion = store->dataVersion();
    bool ok = false;
    QList<ExportRecord> all = store->list({}, &ok);
    if (!ok) { // the rows shown stay; the banner says why no more come
        aws::AwsError e;
        e.kind = aws::AwsError::Kind::Client;
        e.type = QStringLiteral("ExportStore");
        e.operation = tr("Reading the export history");
        e.message = store->lastError();
        Q_EMIT callFailed(e);
        return;
    }
    std::sort(all.begin(), all.end(), [](const ExportRecord &a, const ExportRecord &b) { return a.id < b.id; });
    for (const ExportRecord &r : std::as_const(all))
        upsert(r);
}

void ExportStatusModel::startExport(const QString &profile, const gamelift::StreamSessionSummary &session,
                                    const QString &outputUri, bool endSessionNow)
{
    const QString region = session.arn.section(QLatin1Char(':'), 3, 3);
    m_coordinator->requestExport(profile, region, session, outputUri, endSessionNow);
}

bool ExportStatusModel::retry(int row)
{
    if (row < 0 || row >= m_rows.size())
        return false;
    return m_coordinator->retry(m_rows.at(row).id) != 0;
}

int ExportStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExportStatusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExportStatusModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ExportRecord &r = m_rows.at(index.row());
    const QString state = exports::statusName(r.status);
    switch (role) {
    case StateRole:
        return state;
    case OutputUriRole:
        return r.status == ExportStatus::Succeeded ? r.outputUri : QString();
    case SessionArnRole:
        return r.sessionArn;
    case FailureReasonRole:
        return r.status == ExportStatus::Failed ? r.statusReason : QString();
    case CanRetryRole:
        return (r.status == ExportStatus::Failed || r.status == ExportStatus::Unknown) && !r.sessionArn.isEmpty();
    case IdRole:
        return r.id;
    case DownloadPathRole:
        return r.downloadState == DownloadState::Done ? r.downloadPath : QString();
    case DownloadStateRole:
        return exports::downloadStateName(r.downloadState);
    case SourceRole:
        return exports::sourceName(r.source);
    case ProfileRole:
        return r.profile;
    case RegionRole:
        return r.region;
    case SortRole:
        switch (index.column()) {
        case RequestedAt:
            return r.requestedAt;
        case Elapsed:
            return r.requestedAt.secsTo(r.finishedAt.isValid() ? r.finishedAt : QDateTime::currentDateTimeUtc());
        default:
            return data(index, Qt::DisplayRole);
        }
    default:
        break;
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Session:
            return r.source == exports::ExportSource::Elsewhere ? tr("%1 (elsewhere)").arg(r.sessionId) : r.sessionId;
        case Destination:
            return r.requestedUri.isEmpty() ? tr("(requested elsewhere)") : r.requestedUri;
        case RequestedAt: {
            const QDateTime local = r.requestedAt.toLocalTime();
            return local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss"))
                                                       : local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        }
        case Status:
            return state;
        case Elapsed: {
            const QDateTime end = r.finishedAt.isValid() ? r.finishedAt : QDateTime::currentDateTimeUtc();
            return r.requestedAt.isValid() ? elapsedText(r.requestedAt.secsTo(end)) : QString();
        }
        case Download:
            switch (r.downloadState) {
            case DownloadState::None:
                return QString();
            case DownloadState::Running: {
                const auto [bytes, total] = m_progress.value(r.id, {0, 0});
                return total > 0 ? tr("%1 %").arg(bytes * 100 / total) : tr("starting");
            }
            case DownloadState::Done:
                return QFileInfo(r.downloadPath).fileName();
            case DownloadState::Failed:
                return tr("failed");
            }
            return {};
        case Result:
            if (r.status == ExportStatus::Succeeded)
                return r.outputUri;
            if (r.status == ExportStatus::Failed)
                return r.statusReason;
            if (const QString problem = m_trackingProblems.value(r.profile + QLatin1Char('|') + r.region);
                !problem.isEmpty())
                return tr("Cannot be checked right now (it is tried again later): %1").arg(problem);
            if (r.status == ExportStatus::Unknown)
                return tr("Interrupted before the service answered; checking whether the request got through");
            if (exports::TrackedExport::isEndedSessionStatus(r.sessionStatus))
                return tr("The session has ended; the ZIP is being written");
            return tr("The ZIP is written when the session ends");
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == Status) {
        if (r.status == ExportStatus::Succeeded || r.status == ExportStatus::Failed)
            return SessionTableModel::exportStatusColor(state);
        return SessionTableModel::exportStatusColor(QStringLiteral("PENDING"));
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Download)
            return r.downloadState == DownloadState::Failed ? r.downloadError : r.downloadPath;
        if (index.column() == Result || index.column() == Destination)
            return data(index, Qt::DisplayRole);
        if (index.column() == Session)
            return tr("%1\nProfile: %2, Region: %3").arg(r.sessionArn, r.profile.isEmpty() ? tr("default") : r.profile,
                                                          r.region);
    }
    return {};
}

QVariant ExportStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Session:
        return tr("Session");
    case Destination:
        return tr("Destination");
    case RequestedAt:
        return tr("Requested at");
    case Status:
        return tr("Status");
    case Elapsed:
        return tr("Elapsed");
    case Download:
        return tr("Download");
    case Result:
        return tr("S3 URI or failure reason");
    default:
        return {};
    }
}

} // namespace gls::ui
