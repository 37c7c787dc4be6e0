#include "Command.h"

#include "ArchiveCommands.h"
#include "AwsContext.h"
#include "CredentialsCommands.h"
#include "ExportCommand.h"
#include "ExportsCommands.h"
#include "ListCommands.h"
#include "Output.h"
#include "S3Commands.h"
#include "SessionCommands.h"

#include "aws/AwsError.h"
#include "gamelift/Validation.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

namespace gls::cli {

Command::Command(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent)
    : QObject(parent)
    , m_args(args)
    , m_aws(aws)
    , m_out(out)
{
}

void Command::interrupt()
{
    if (m_finished)
        return;
    finish(m_out->fail(ExitCode::Interrupted, QStringLiteral("Interrupted"), QStringLiteral("interrupted")));
    stopWork();
}

void Command::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_out->clearProgress();
    // From the event loop, never from inside start().
    QTimer::singleShot(0, this, [this, exitCode] { Q_EMIT finished(exitCode); });
}

void Command::finishWithError(const aws::AwsError &error)
{
    if (!m_finished)
        finish(m_out->fail(error));
}

void Command::usage(const QString &message)
{
    if (!m_finished)
        finish(m_out->usageError(message, m_args.command));
}

gamelift::GameLiftClient *Command::gameLift()
{
    QString error;
    gamelift::GameLiftClient *client = m_aws->gameLift(&error);
    if (!client)
        finish(m_out->fail(ExitCode::BadInput, QStringLiteral("InvalidConfiguration"), error));
    return client;
}

s3::S3Client *Command::s3()
{
    QString error;
    s3::S3Client *client = m_aws->s3(&error);
    if (!client)
        finish(m_out->fail(ExitCode::BadInput, QStringLiteral("InvalidConfiguration"), error));
    return client;
}

bool Command::sessionTarget(QString *group, QString *session)
{
    *group = m_args.value(QStringLiteral("group"));
    *session = m_args.value(QStringLiteral("session"));
    if (!m_args.isSet(QStringLiteral("session"))) {
        usage(QStringLiteral("--session is required: the stream session's ID or ARN"));
        return false;
    }
    if (QString problem = gamelift::identifierProblem(*session, QStringLiteral("--session")); !problem.isEmpty()) {
        usage(problem);
        return false;
    }
    if (!m_args.isSet(QStringLiteral("group"))) {
        // arn:aws:gameliftstreams:REGION:ACCOUNT:streamsession/sg-ID/SESSION-ID holds the group.
        static const QRegularExpression arn(
            QStringLiteral("^arn:aws:gameliftstreams:[^:]*:\\d{12}:streamsession/([^/]+)/[^/]+$"));
        const QRegularExpressionMatch m = arn.match(*session);
        if (!m.hasMatch()) {
            usage(QStringLiteral("--group is required (the stream group's ID or ARN), unless --session is a stream "
                                 "session ARN"));
            return false;
        }
        *group = m.captured(1);
    }
    if (QString problem = gamelift::identifierProblem(*group, QStringLiteral("--group")); !problem.isEmpty()) {
        usage(problem);
        return false;
    }
    return true;
}

bool Command::wholeNumber(const QString &option, qint64 min, qint64 max, qint64 fallback, qint64 *out)
{
    if (!m_args.isSet(option)) {
        *out = fallback;
        return true;
    }
    const QString text = m_args.value(option);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        usage(QStringLiteral("--%1: must be a whole number of seconds from %2 to %3; '%4' is not")
                  .arg(option)
                  .arg(min)
                  .arg(max)
                  .arg(text));
        return false;
    }
    *out = value;
    return true;
}

bool Command::outputFolder(const QString &option, const QString &fallback, QString *out)
{
    const QString dir = m_args.isSet(option) ? m_args.value(option) : fallback;
    if (dir.isEmpty()) {
        usage(QStringLiteral("--%1: give a folder").arg(option));
        return false;
    }
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        usage(QStringLiteral("--%1: '%2' is a file, not a folder").arg(option, dir));
        return false;
    }
    if (!info.exists() && !QDir().mkpath(dir)) {
        usage(QStringLiteral("--%1: the folder '%2' cannot be created").arg(option, dir));
        return false;
    }
    *out = QDir(dir).absolutePath();
    return true;
}

Command *createCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent)
{
    const QString &name = args.command;
    if (name == QLatin1String("groups"))
        return new GroupsCommand(args, aws, out, parent);
    if (name == QLatin1String("sessions"))
        return new SessionsCommand(args, aws, out, parent);
    if (name == QLatin1String("session"))
        return new SessionCommand(args, aws, out, parent);
    if (name == QLatin1String("terminate"))
        return new TerminateCommand(args, aws, out, parent);
    if (name == QLatin1String("export"))
        return new ExportCommand(args, aws, out, parent);
    if (name == QLatin1String("download"))
        return new DownloadCommand(args, aws, out, parent);
    if (name == QLatin1String("presign"))
        return new PresignCommand(args, aws, out, parent);
    if (name == QLatin1String("credentials"))
        return new CredentialsCommand(args, aws, out, parent);
    if (name == QLatin1String("whoami"))
        return new WhoamiCommand(args, aws, out, parent);
    if (name == QLatin1String("archive"))
        return new ArchiveCommand(args, aws, out, parent);
    if (name == QLatin1String("exports"))
        return new ExportsCommand(args, aws, out, parent);
    return nullptr;
}

} // namespace gls::cli
