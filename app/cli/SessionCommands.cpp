#include "SessionCommands.h"

#include "Format.h"
#include "JsonFields.h"
#include "Output.h"

#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/TerminateStreamSessionJob.h"

#include <QTextStream>

namespace gls::cli {

namespace {

QString withReason(const QString &status, const QString &reason)
{
    return reason.isEmpty() ? status : QStringLiteral("%1 (%2)").arg(status, reason);
}

QString seconds(const std::optional<int> &value)
{
    return value ? QStringLiteral("%1 s").arg(*value) : QString();
}

} // namespace

QString sessionDetails(const gamelift::StreamSession &s)
{
    QStringList environment;
    for (auto it = s.additionalEnvironmentVariables.cbegin(); it != s.additionalEnvironmentVariables.cend(); ++it)
        environment.append(it.key() + QLatin1Char('=') + it.value());
    QString stats;
    if (s.performanceStatsConfiguration && s.performanceStatsConfiguration->sharedWithClient)
        stats = *s.performanceStatsConfiguration->sharedWithClient ? QStringLiteral("shared with the client")
                                                                   : QStringLiteral("not shared with the client");
    QString resolution;
    if (s.displayConfiguration && s.displayConfiguration->resolution)
        resolution = QStringLiteral("%1 x %2")
                         .arg(s.displayConfiguration->resolution->width)
                         .arg(s.displayConfiguration->resolution->height);
    const gamelift::ExportFilesMetadata exported = s.exportFilesMetadata.value_or(gamelift::ExportFilesMetadata{});
    const QString group = s.streamGroupId.isEmpty() ? s.streamGroupIdFromArn() : s.streamGroupId;
    return renderFields({
        {QStringLiteral("Session ID"), s.idFromArn()},
        {QStringLiteral("ARN"), s.arn},
        {QStringLiteral("Stream group"), group},
        {QStringLiteral("Status"), withReason(s.status, s.statusReason)},
        {QStringLiteral("Description"), s.description},
        {QStringLiteral("User"), s.userId},
        {QStringLiteral("Location"), s.location},
        {QStringLiteral("Protocol"), s.protocol},
        {QStringLiteral("Application"), s.applicationArn},
        {QStringLiteral("Created"), displayTime(s.createdAt)},
        {QStringLiteral("Last updated"), displayTime(s.lastUpdatedAt)},
        {QStringLiteral("Connection timeout"), seconds(s.connectionTimeoutSeconds)},
        {QStringLiteral("Session length"), seconds(s.sessionLengthSeconds)},
        {QStringLiteral("Launch arguments"), s.additionalLaunchArgs.join(QLatin1Char(' '))},
        {QStringLiteral("Environment"), environment.join(QStringLiteral(", "))},
        {QStringLiteral("Performance stats"), stats},
        {QStringLiteral("Log files"), s.logFileLocationUri},
        {QStringLiteral("Web SDK protocol URL"), s.webSdkProtocolUrl},
        {QStringLiteral("Resolution"), resolution},
        {QStringLiteral("Export status"), withReason(exported.status, exported.statusReason)},
        {QStringLiteral("Export output"), exported.outputUri},
    });
}

void SessionCommand::start()
{
    QString group, session;
    if (!sessionTarget(&group, &session))
        return;
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    auto *job = client->getStreamSession(group, session);
    connect(job, &gamelift::ApiJob::failed, this, &SessionCommand::finishWithError);
    connect(job, &gamelift::GetStreamSessionJob::succeeded, this, [this](const gamelift::StreamSession &s) {
        if (out()->json())
            out()->writeJson(json::streamSession(s));
        else
            out()->write(sessionDetails(s));
        finish(code(ExitCode::Ok));
    });
    job->start();
}

bool TerminateCommand::confirmed(const QString &group, const QString &session)
{
    out()->prompt(
        QStringLiteral("Terminate stream session %1 of %2? It ends for its user at once. [y/N] ").arg(session, group));
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    return answer == QLatin1String("y") || answer == QLatin1String("yes");
}

void TerminateCommand::start()
{
    QString group, session;
    if (!sessionTarget(&group, &session))
        return;
    if (!args().isSet(QStringLiteral("yes"))) {
        if (!out()->terminal().stdinIsTerminal || !out()->terminal().stderrIsTerminal) {
            usage(QStringLiteral("--yes is required: there is no terminal to ask for confirmation (stdin is not a "
                                 "terminal), and terminating a session cannot be undone"));
            return;
        }
        if (!confirmed(group, session)) {
            finish(out()->fail(ExitCode::Failure, QStringLiteral("NotConfirmed"),
                QStringLiteral("not terminated: the answer was not 'yes'")));
            return;
        }
    }
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    auto *job = client->terminateStreamSession(group, session);
    connect(job, &gamelift::ApiJob::failed, this, &TerminateCommand::finishWithError);
    connect(job, &gamelift::TerminateStreamSessionJob::succeeded, this, [this, group, session] {
        if (out()->json()) {
            out()->writeJson({{QStringLiteral("streamGroup"), group}, {QStringLiteral("streamSession"), session},
                {QStringLiteral("status"), QStringLiteral("TERMINATING")}});
        } else {
            out()->write(QStringLiteral("Terminating stream session %1.\n").arg(session));
            out()->note(QStringLiteral("It moves to TERMINATED shortly; an export still PENDING is written then "
                                       "(follow it with: gls-exporter-cli session --group %1 --session %2).")
                            .arg(group, session));
        }
        finish(code(ExitCode::Ok));
    });
    job->start();
}

} // namespace gls::cli
