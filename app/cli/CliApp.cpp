#include "CliApp.h"

#include "AwsContext.h"
#include "Command.h"
#include "CommandLine.h"
#include "InterruptWatcher.h"
#include "Output.h"

#include <QEventLoop>
#include <QIODevice>
#include <QLoggingCategory>

#include <memory>

namespace gls::cli {

int runCli(const QStringList &arguments, QIODevice *out, QIODevice *err, const Terminal &terminal,
    const std::function<void(int)> &endProcess)
{
    // The core's debug and info lines are for --debug (AwsContext turns them
    // on); QT_LOGGING_RULES still wins over this.
    QLoggingCategory::setFilterRules(QStringLiteral("gls.*.debug=false\ngls.*.info=false"));
    const ParsedCommandLine parsed = parseCommandLine(arguments);
    // Errors are JSON with --json even when the rest of the line is wrong.
    Output output(out, err, terminal, parsed.global.json || arguments.contains(QLatin1String("--json")));
    if (!parsed.error.isEmpty())
        return output.usageError(parsed.error, parsed.command);
    if (parsed.version) {
        output.write(versionText() + QLatin1Char('\n'));
        return code(ExitCode::Ok);
    }
    if (parsed.help) {
        output.write(helpText(findCommand(parsed.command)));
        return code(ExitCode::Ok);
    }
    if (parsed.command.isEmpty()) {
        err->write(helpText(nullptr).toUtf8());
        return code(ExitCode::BadInput);
    }
    const bool s3Command = parsed.command == QLatin1String("download") || parsed.command == QLatin1String("presign");
    // These work on local things (the keychain, an archive on disk): no AWS set-up.
    const bool credentialsCommand
        = parsed.command == QLatin1String("credentials") || parsed.command == QLatin1String("archive");
    const AwsContext::Service service = s3Command                                 ? AwsContext::Service::S3
                                      : parsed.command == QLatin1String("whoami") ? AwsContext::Service::Sts
                                      : credentialsCommand                        ? AwsContext::Service::None
                                                                                  : AwsContext::Service::GameLift;
    AwsContext aws(parsed.global, service, &output);
    if (QString error; !credentialsCommand && !aws.setUp(&error))
        return output.fail(ExitCode::BadInput, QStringLiteral("InvalidConfiguration"), error);

    const std::unique_ptr<Command> command(createCommand(parsed, &aws, &output));
    if (!command)
        return output.usageError(QStringLiteral("unknown command '%1'").arg(parsed.command));
    int exitCode = code(ExitCode::Failure);
    QEventLoop loop;
    QObject::connect(command.get(), &Command::finished, &loop, [&](int c) {
        if (endProcess && command->leavesNothingOpen())
            endProcess(c); // its output is written (unbuffered); nothing else is pending
        exitCode = c;
        loop.quit();
    });
    InterruptWatcher interrupts;
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, command.get(), &Command::interrupt);
    command->start();
    loop.exec();
    return exitCode;
}

} // namespace gls::cli
