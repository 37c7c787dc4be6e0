#pragma once

// One gls-exporter-cli command: made from the parsed command line, started
// once, and finished exactly once with the exit code (from the event loop).
// Commands write through Output and reach AWS through AwsContext, so they run
// the same under a test as in the executable.

#include "CommandLine.h"

#include <QObject>

namespace gls::aws {
struct AwsError;
}
namespace gls::gamelift {
class GameLiftClient;
}
namespace gls::s3 {
class S3Client;
}

namespace gls::cli {

class AwsContext;
class Output;

class Command : public QObject {
    Q_OBJECT
public:
    Command(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent = nullptr);

    virtual void start() = 0;
    // Ctrl+C: finishes with 130, then stopWork().
    void interrupt();
    bool isFinished() const { return m_finished; }
    // Once finished, nothing of the command's needs closing or saving (it
    // only read from AWS and wrote its output): the process may end at once
    // (runCli's endProcess).
    virtual bool leavesNothingOpen() const { return false; }

Q_SIGNALS:
    void finished(int exitCode);

protected:
    // Cancels what is running (a download removes its .part file). Called
    // after the command has finished: failures it causes are not reported.
    virtual void stopWork() { }

    void finish(int exitCode);
    void finishWithError(const aws::AwsError &error);
    // A usage error naming the option (exit 2).
    void usage(const QString &message);

    // The clients; null after finishing with exit 2 when unusable.
    gamelift::GameLiftClient *gameLift();
    s3::S3Client *s3();

    // --group and --session, checked (an ID or an ARN); --group may be left
    // out when --session is a stream session ARN (it holds the group). False
    // after finishing with a usage error naming the option.
    bool sessionTarget(QString *group, QString *session);
    // A whole number from `min` to `max` given to --`option`, or `fallback`
    // when not given. False after a usage error naming the option.
    bool wholeNumber(const QString &option, qint64 min, qint64 max, qint64 fallback, qint64 *out);
    // The folder given to --`option` (`fallback` if absent), created if missing.
    bool outputFolder(const QString &option, const QString &fallback, QString *out);

    const ParsedCommandLine &args() const { return m_args; }
    AwsContext *awsContext() const { return m_aws; }
    Output *out() const { return m_out; }

private:
    ParsedCommandLine m_args;
    AwsContext *m_aws;
    Output *m_out;
    bool m_finished = false;
};

// The command named by the command line (null for an unknown name).
Command *createCommand(const ParsedCommandLine &args, AwsContext *aws, Output *out, QObject *parent = nullptr);

} // namespace gls::cli
