#include "ExportStatusModel.h"

#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "exports/ExportTask.h"
#include "gamelift/GameLiftClient.h"

#include <QColor>
#include <QTimer>

namespace gls::ui {

using exports::ExportTask;

namespace {

QString elapsedText(qint64 seconds)
{
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

ExportStatusModel::ExportStatusModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_ticker(new QTimer(this))
{
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        bool running = false;
        for (int row = 0; row < m_tasks.size(); ++row) {
            if (!m_tasks.at(row)->isDone()) {
                running = true;
                Q_EMIT dataChanged(index(row, Elapsed), index(row, Elapsed), {Qt::DisplayRole});
            }
        }
        if (!running)
            m_ticker->stop();
    });
}

ExportStatusModel::~ExportStatusModel() = default;

void ExportStatusModel::startExport(gamelift::GameLiftClient *client, const gamelift::StreamSessionSummary &session,
    const QString &outputUri, bool endSessionNow)
{
    auto *task = new ExportTask(client, session, outputUri, endSessionNow, exports::PollBackoff(), this);
    const int row = int(m_tasks.size());
    beginInsertRows({}, row, row);
    m_tasks.append(task);
    m_clients.append(client);
    endInsertRows();
    connect(task, &ExportTask::changed, this, [this, task] { onTaskChanged(task); });
    connect(task, &ExportTask::callFailed, this, &ExportStatusModel::callFailed);
    task->start();
    m_ticker->start();
}

void ExportStatusModel::onTaskChanged(ExportTask *task)
{
    const int row = int(m_tasks.indexOf(task));
    if (row < 0)
        return;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (task->state() != ExportTask::State::Requesting)
        Q_EMIT sessionSeen(task->session());
    if (task->isDone() && !m_finished.contains(task)) {
        m_finished.insert(task);
        Q_EMIT exportFinished(row);
    }
}

bool ExportStatusModel::retry(int row)
{
    if (row < 0 || row >= m_tasks.size())
        return false;
    const ExportTask *task = m_tasks.at(row);
    gamelift::GameLiftClient *client = m_clients.at(row);
    if (task->state() != ExportTask::State::Failed || !client)
        return false;
    startExport(client, task->session(), task->requestedUri(), false);
    return true;
}

int ExportStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int ExportStatusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExportStatusModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tasks.size())
        return {};
    const ExportTask *task = m_tasks.at(index.row());
    const QString state = ExportTask::stateName(task->state());
    switch (role) {
    case StateRole:
        return state;
    case OutputUriRole:
        return task->outputUri();
    case SessionArnRole:
        return task->session().arn;
    case FailureReasonRole:
        return task->state() == ExportTask::State::Failed ? task->failureReason() : QString();
    case CanRetryRole:
        return task->state() == ExportTask::State::Failed && !m_clients.at(index.row()).isNull();
    default:
        break;
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Session:
            return task->session().idFromArn();
        case Destination:
            return task->requestedUri();
        case RequestedAt:
            return task->requestedAt().toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        case Status:
            return state;
        case Elapsed: {
            const QDateTime end = task->isDone() ? task->endedAt() : QDateTime::currentDateTimeUtc();
            return elapsedText(task->requestedAt().secsTo(end));
        }
        case Result:
            if (task->state() == ExportTask::State::Succeeded)
                return task->outputUri();
            if (task->state() == ExportTask::State::Failed)
                return task->failureReason();
            return tr("The ZIP is written when the session ends");
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == Status) {
        if (task->state() == ExportTask::State::Succeeded || task->state() == ExportTask::State::Failed)
            return SessionTableModel::exportStatusColor(state);
        return SessionTableModel::exportStatusColor(QStringLiteral("PENDING"));
    }
    if (role == Qt::ToolTipRole && (index.column() == Result || index.column() == Destination))
        return data(index, Qt::DisplayRole);
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
    case Result:
        return tr("S3 URI or failure reason");
    default:
        return {};
    }
}

} // namespace gls::ui
