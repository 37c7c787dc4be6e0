#include "ExportCommand.h"

#include "AwsContext.h"
#include "ExportsCommands.h"
#include "FileDownload.h"
#include "Format.h"
#include "JsonFields.h"
#include "Output.h"
#include "S3Commands.h"

#include "aws/AwsError.h"
#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/Reconcile.h"
#include "gamelift/ExportStreamSessionFilesJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/KnownValues.h"
#include "gamelift/Validation.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <utility>

namespace gls::cli {

namespace {

constexpr int kMaxTransientFailures = 5; // in a row, while waiting

bool hasEnded(const QString &status)
{
    return gamelift::isEndedStatus(status) || status == QLatin1String("TERMINATING");
}

// Worth another look later: the network, a timeout, throttling, a server error.
bool isTransient(const aws::AwsError &e)
{
    const ExitCode c = exitCodeFor(e);
    return c == ExitCode::NetworkOrTimeout
        || (e.kind == aws::AwsError::Kind::Service && (e.httpStatus == 429 || e.httpStatus >= 500));
}

// An ID from an ID or an ARN (its last path segment).
QString idOf(const QString &idOrArn)
{
    return idOrArn.startsWith(QLatin1String("arn:")) ? idOrArn.section(QLatin1Char('/'), -1) : idOrArn;
}


} // namespace

ExportCommand::ExportCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent)
    : Command(args, aws, out, parent)
    , m_next(new QTimer(this))
    , m_deadline(new QTimer(this))
{
    m_next->setSingleShot(true);
    m_deadline->setSingleShot(true);
    connect(m_next, &QTimer::timeout, this, &ExportCommand::look);
    connect(m_deadline, &QTimer::timeout, this, &ExportCommand::onDeadline);
}

ExportCommand::~ExportCommand() = default;

bool ExportCommand::readOptions()
{
    if (!sessionTarget(&m_group, &m_session))
        return false;
    if (!args().isSet(QStringLiteral("output"))) {
        usage(QStringLiteral("--output is required: where the ZIP goes, s3://BUCKET/FOLDER/ or s3://BUCKET/NAME.zip"));
        return false;
    }
    m_outputUri = args().value(QStringLiteral("output"));
    if (const QString problem = gamelift::outputUriProblem(m_outputUri, QStringLiteral("--output"));
        !problem.isEmpty()) {
        usage(problem);
        return false;
    }
    m_download = args().isSet(QStringLiteral("download"));
    m_wait = m_download || args().isSet(QStringLiteral("wait"));
    if (args().isSet(QStringLiteral("timeout")) && !m_wait) {
        usage(QStringLiteral("--timeout goes with --wait or --download (it limits the wait)"));
        return false;
    }
    if (args().isSet(QStringLiteral("overwrite")) && !m_download) {
        usage(QStringLiteral("--overwrite goes with --download"));
        return false;
    }
    if (!wholeNumber(QStringLiteral("timeout"), 1, 7 * 24 * 3600, 0, &m_timeoutSeconds))
        return false;
    if (m_download && !outputFolder(QStringLiteral("download"), {}, &m_folder))
        return false;
    // A named ZIP's file is known now: better refused before the wait than after it.
    if (m_download && !m_outputUri.endsWith(QLatin1Char('/'))) {
        const QString path = QDir(m_folder).filePath(FileDownload::fileNameFor(m_outputUri));
        if (const QString problem = FileDownload::existingFileProblem(path, args().isSet(QStringLiteral("overwrite")));
            !problem.isEmpty()) {
            usage(QStringLiteral("--download: ") + problem);
            return false;
        }
    }
    // A bad S3 setting is reported before the export is asked for.
    return !m_download || s3();
}

void ExportCommand::start()
{
    if (!readOptions())
        return;
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    // The connection opens while the row is written.
    client->transport()->preconnect(client->endpoint());
    // Committed before the request is sent: a crash from here on leaves a row to settle, not a lost export.
    if (!recordRequest())
        return;
    auto *job = client->exportStreamSessionFiles(m_group, m_session, m_outputUri);
    connect(job, &gamelift::ApiJob::failed, this, [this](const aws::AwsError &error) {
        const QString why = error.message.isEmpty() ? error.toString() : error.message;
        if (m_recordId > 0 && exports::requestMayHaveArrived(error)) {
            // The answer was lost, maybe not the request: UNKNOWN until the session says which.
            if (!m_store->markAnswerLost(m_recordId, why))
                out()->warning(m_store->lastError());
            m_lostAnswer = error;
            out()->note(QStringLiteral("No answer to the export request (%1); asking the service whether it got it.")
                            .arg(error.toString()));
            look();
            return;
        }
        if (m_recordId > 0 && !m_store->markRequested(m_recordId, why))
            out()->warning(m_store->lastError());
        finishWithError(error);
    });
    connect(job, &gamelift::ExportStreamSessionFilesJob::succeeded, this, &ExportCommand::requested);
    job->start();
}

bool ExportCommand::recordRequest()
{
    QString error;
    m_store = openExportStore(awsContext()->environment(), &error);
    if (!m_store) {
        finish(out()->fail(ExitCode::Failure, QStringLiteral("ExportStore"), error));
        return false;
    }
    exports::ExportRecord r;
    r.profile = awsContext()->options().profile; // "" : the default credential chain
    r.region = awsContext()->region();
    r.streamGroupId = idOf(m_group);
    r.sessionId = idOf(m_session);
    if (m_session.startsWith(QLatin1String("arn:")))
        r.sessionArn = m_session;
    r.requestedUri = m_outputUri;
    r.source = exports::ExportSource::App;
    const std::optional<qint64> id = m_store->beginRequest(r);
    if (!id) {
        finish(out()->fail(ExitCode::Failure, QStringLiteral("ExportStore"), m_store->lastError()));
        return false;
    }
    m_recordId = *id;
    m_arnRecorded = !r.sessionArn.isEmpty();
    return true;
}

void ExportCommand::record(const exports::ExportUpdate &changes)
{
    if (m_recordId > 0 && !m_store->update(m_recordId, changes))
        out()->warning(m_store->lastError());
}

void ExportCommand::recordSession(const gamelift::StreamSession &session)
{
    if (m_recordId <= 0)
        return;
    exports::ExportUpdate u;
    // The ARN ties the row to what ListStreamSessions reports (so it is not found again as "elsewhere").
    const bool addArn = !m_arnRecorded && !session.arn.isEmpty();
    if (addArn)
        u.sessionArn = session.arn;
    u.sessionStatus = session.status;
    u.lastCheckedAt = QDateTime::currentDateTimeUtc();
    if (session.exportFilesMetadata) {
        const gamelift::ExportFilesMetadata &m = *session.exportFilesMetadata;
        if (m.status == QLatin1String("SUCCEEDED")) {
            u.status = exports::ExportStatus::Succeeded;
            u.outputUri = m.outputUri;
            u.finishedAt = QDateTime::currentDateTimeUtc();
        } else if (m.status == QLatin1String("FAILED")) {
            u.status = exports::ExportStatus::Failed;
            u.statusReason = m.statusReason;
            if (!m.outputUri.isEmpty())
                u.outputUri = m.outputUri;
            u.finishedAt = QDateTime::currentDateTimeUtc();
        }
    }
    // One transaction (one sync of the file) for all of it.
    if (m_store->update(m_recordId, u))
        m_arnRecorded = m_arnRecorded || addArn;
    else
        out()->warning(m_store->lastError());
}

void ExportCommand::requested()
{
    accepted();
    look();
}

void ExportCommand::accepted()
{
    if (m_recordId > 0 && !m_store->markRequested(m_recordId))
        out()->warning(m_store->lastError());
    m_waited.start();
    if (m_timeoutSeconds > 0)
        m_deadline->start(int(m_timeoutSeconds * 1000));
}

bool ExportCommand::settleLostAnswer(const gamelift::StreamSession &session)
{
    const aws::AwsError lost = *std::exchange(m_lostAnswer, std::nullopt);
    const std::optional<exports::ExportRecord> row = m_store->find(m_recordId);
    if (!row || exports::decide(*row, session).action == exports::Reconcile::Action::RequestWasLost) {
        if (!m_store->markRequested(m_recordId, lost.message.isEmpty() ? lost.toString() : lost.message))
            out()->warning(m_store->lastError());
        finishWithError(lost);
        return false;
    }
    out()->note(QStringLiteral("The service got the export request."));
    accepted();
    return true;
}

void ExportCommand::look()
{
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    m_job = client->getStreamSession(m_group, m_session);
    connect(m_job, &gamelift::ApiJob::failed, this, &ExportCommand::onLookFailed);
    connect(m_job, &gamelift::GetStreamSessionJob::succeeded, this, &ExportCommand::onSession);
    m_job->start();
}

void ExportCommand::onSession(const gamelift::StreamSession &session)
{
    if (isFinished())
        return;
    if (m_lostAnswer && !settleLostAnswer(session))
        return;
    m_last = session;
    m_transientFailures = 0;
    recordSession(session);
    const QString status = session.exportFilesMetadata ? session.exportFilesMetadata->status : QString();
    if (m_looks++ == 0) {
        out()->note(QStringLiteral("Export requested: stream session %1 (%2) to %3.")
                        .arg(session.idFromArn(), session.status, m_outputUri));
        if (status != QLatin1String("SUCCEEDED") && status != QLatin1String("FAILED")) {
            if (!hasEnded(session.status))
                out()->note(QStringLiteral("The ZIP is written to S3 when the session ends, not now: the session is "
                                           "%1. It ends when its user leaves or the application exits (or with "
                                           "'gls-exporter-cli terminate').")
                                .arg(session.status));
            else
                out()->note(
                    QStringLiteral("The session has ended (%1): the ZIP is being written.").arg(session.status));
            if (!m_wait)
                out()->note(QStringLiteral("Follow it with: gls-exporter-cli session --group %1 --session %2")
                                .arg(m_group, session.idFromArn().isEmpty() ? m_session : session.idFromArn()));
        }
    }
    if (status == QLatin1String("SUCCEEDED")) {
        exportSucceeded();
        return;
    }
    if (status == QLatin1String("FAILED")) {
        exportFailed();
        return;
    }
    if (!m_wait) {
        report();
        if (!out()->json())
            out()->write(
                QStringLiteral("Export %1: %2 (session %3)\n")
                    .arg(status.isEmpty() ? QStringLiteral("requested") : status, m_outputUri, session.status));
        finish(code(ExitCode::Ok));
        return;
    }
    m_nextDelayMs = m_backoff.nextDelayMs();
    out()->progress(waitingText());
    m_next->start(m_nextDelayMs);
}

QString ExportCommand::waitingText() const
{
    const QString status = m_last.exportFilesMetadata ? m_last.exportFilesMetadata->status : QStringLiteral("PENDING");
    const QString why = hasEnded(m_last.status)
        ? QStringLiteral("the session has ended, the ZIP is being written")
        : QStringLiteral("the session is %1; the ZIP is written when it ends").arg(m_last.status);
    return QStringLiteral("Export %1 (%2). Waited %3; next look in %4 s.")
        .arg(status, why, displayDuration(m_waited.elapsed()))
        .arg((m_nextDelayMs + 500) / 1000);
}

void ExportCommand::onLookFailed(const aws::AwsError &error)
{
    if (isFinished())
        return;
    if (m_lostAnswer) {
        // Neither answer came: the row stays UNKNOWN for `exports watch` or the desktop app to settle.
        out()->note(QStringLiteral("The export request may have reached the service: 'gls-exporter-cli exports watch' "
                                   "(or the desktop app) finds out from the service and follows it."));
        finishWithError(*std::exchange(m_lostAnswer, std::nullopt));
        return;
    }
    if (m_wait && m_looks > 0 && isTransient(error) && ++m_transientFailures < kMaxTransientFailures) {
        out()->note(QStringLiteral("Looking at the session failed (%1); trying again.").arg(error.toString()));
        m_nextDelayMs = m_backoff.nextDelayMs();
        m_next->start(m_nextDelayMs);
        return;
    }
    finishWithError(error);
}

void ExportCommand::onDeadline()
{
    if (isFinished())
        return;
    const QString status = m_last.exportFilesMetadata ? m_last.exportFilesMetadata->status : QStringLiteral("PENDING");
    QString message = QStringLiteral("--timeout: the export is still %1 after %2 s").arg(status).arg(m_timeoutSeconds);
    if (!m_last.status.isEmpty() && !hasEnded(m_last.status))
        message += QStringLiteral("; the session is %1 and its ZIP is written when it ends").arg(m_last.status);
    finish(out()->fail(ExitCode::NetworkOrTimeout, QStringLiteral("WaitTimeout"), message));
    stopWork();
}

void ExportCommand::stopWork()
{
    m_next->stop();
    m_deadline->stop();
    if (m_job)
        m_job->abort();
    if (m_fileDownload) {
        m_fileDownload->cancel();
        record({.downloadState = exports::DownloadState::Failed, .downloadError = QStringLiteral("interrupted")});
    }
}

void ExportCommand::exportSucceeded()
{
    m_deadline->stop(); // --timeout limits the wait, not the download
    if (m_download) {
        download();
        return;
    }
    report();
    if (!out()->json())
        out()->write(QStringLiteral("Export SUCCEEDED: %1\n").arg(m_last.exportFilesMetadata->outputUri));
    finish(code(ExitCode::Ok));
}

void ExportCommand::exportFailed()
{
    m_deadline->stop();
    report();
    const gamelift::ExportFilesMetadata &m = *m_last.exportFilesMetadata;
    const QString reason = m.statusReason.isEmpty() ? QStringLiteral("no reason given") : m.statusReason;
    finish(out()->fail(ExitCode::ExportFailed, QStringLiteral("ExportFailed"),
        QStringLiteral("the export of stream session %1 to %2 FAILED: %3")
            .arg(m_last.idFromArn(), m.outputUri.isEmpty() ? m_outputUri : m.outputUri, reason),
        QStringLiteral("ExportStreamSessionFiles")));
}

void ExportCommand::download()
{
    const QString uri = m_last.exportFilesMetadata->outputUri;
    QString bucket, key, error;
    if (!parseObjectUri(uri, &bucket, &key, &error)) {
        finish(out()->fail(ExitCode::Failure, QStringLiteral("InvalidResponse"),
            QStringLiteral("the export SUCCEEDED but its OutputUri cannot be downloaded: %1").arg(error),
            QStringLiteral("GetStreamSession")));
        return;
    }
    if (!out()->json())
        out()->write(QStringLiteral("Export SUCCEEDED: %1\n").arg(uri));
    s3::S3Client *client = s3();
    if (!client)
        return;
    m_fileDownload = new FileDownload(client, out(), this);
    record({.downloadPath = QDir(m_folder).filePath(FileDownload::fileNameFor(key)),
        .downloadedBytes = 0,
        .downloadState = exports::DownloadState::Running,
        .downloadError = QString()});
    connect(m_fileDownload, &FileDownload::failed, this, [this](const aws::AwsError &error) {
        record({.downloadState = exports::DownloadState::Failed,
            .downloadError = error.message.isEmpty() ? error.toString() : error.message});
        finishWithError(error);
    });
    connect(m_fileDownload, &FileDownload::succeeded, this,
        [this](const QJsonObject &file, const QString &path, qint64 bytes) {
            record({.downloadPath = path,
                .downloadSha256 = m_fileDownload->sha256Hex(), // computed as the bytes arrived
                .downloadedBytes = QFileInfo(path).size(),
                .downloadState = exports::DownloadState::Done,
                .downloadError = QString()});
            report(file);
            if (!out()->json())
                out()->write(QStringLiteral("Downloaded %1 (%2, %3 checked)\n")
                                 .arg(path, displayBytes(bytes), file.value(QStringLiteral("checkedWith")).toString()));
            finish(code(ExitCode::Ok));
        });
    m_fileDownload->start(bucket, key, m_folder, args().isSet(QStringLiteral("overwrite")), true);
}

void ExportCommand::report(const QJsonValue &download)
{
    if (!out()->json())
        return;
    out()->writeJson({{QStringLiteral("requestedOutputUri"), m_outputUri}, {QStringLiteral("waited"), m_wait},
        {QStringLiteral("session"), json::streamSession(m_last)}, {QStringLiteral("download"), download}});
}

} // namespace gls::cli
