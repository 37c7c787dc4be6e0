#pragma once

// Credentials from a profile's `credential_process`: the command is run
// without a shell (split as POSIX shlex does, like botocore), and must print
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
// "Expiration"?} on standard output and exit 0. Every fetch() runs the command
// again; wrap the provider in a RefreshingCredentialsProvider to cache.

#include "aws/Clock.h"
#include "aws/Credentials.h"

#include <QList>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

class QProcess;

namespace gls::creds {

class ProcessCredentialsProvider final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 60 * 1000;
    // Output past this size is refused: a credential helper prints a few KiB.
    static constexpr qsizetype MaxOutputBytes = 1024 * 1024;

    // `clock` is not owned and must outlive the provider.
    ProcessCredentialsProvider(
        QString command, QString profileName, const aws::Clock *clock, QObject *parent = nullptr);
    ~ProcessCredentialsProvider() override;

    // Time the command may take before it is killed and the fetch fails.
    void setTimeoutMs(int ms);
    int timeoutMs() const { return m_timeoutMs; }
    QString profileName() const { return m_profileName; }
    // True while the command runs.
    bool isRunning() const;

    // Runs the command, or joins the run already under way: concurrent
    // fetches share one process and all get its result.
    void fetch(QObject *context, Callback done) override;

    // Splits a command line as Python's shlex.split() does in POSIX mode
    // (what botocore uses off Windows): whitespace separates words; '...'
    // keeps everything literally; "..." keeps everything but \" and \\;
    // a backslash outside quotes escapes the next character. On unbalanced
    // quotes or a trailing backslash returns an empty list and sets `error`.
    static QStringList splitCommand(const QString &command, QString *error = nullptr);

    // At most `maxChars` of a failed command's standard error, on one line,
    // with anything that looks like a key, token or password replaced by
    // "<redacted>" (and any word that also appeared in `stdoutBytes`).
    static QString stderrExcerpt(const QByteArray &stderrBytes, const QByteArray &stdoutBytes, int maxChars = 300);

    // Reads the command's standard output (the JSON above) as at `now`, and
    // wipes *stdoutBytes. On failure the result's error is `describe(problem,
    // advice)`. Pure: what fetch() uses, and what the fuzz target drives.
    using Describe = std::function<QString(const QString &problem, const QString &advice)>;
    static aws::CredentialsResult parseCredentialOutput(
        QByteArray *stdoutBytes, const QDateTime &now, const Describe &describe);

private:
    struct Waiter {
        QPointer<QObject> context;
        bool guarded = false;
        Callback done;
    };

    void startProcess();
    void onStdout();
    void onFinished(int exitCode, int exitStatus);
    void onStartFailed();
    void onTimeout();
    aws::CredentialsResult parseOutput();
    QString describe(const QString &problem, const QString &advice) const;
    void detachProcess();
    void finish(aws::CredentialsResult result);

    QString m_command;
    QString m_profileName;
    const aws::Clock *m_clock;
    int m_timeoutMs = DefaultTimeoutMs;

    QList<Waiter> m_waiters;
    bool m_running = false;
    QProcess *m_process = nullptr;
    QString m_program;
    QTimer m_timer;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_tooMuchOutput = false;
};

} // namespace gls::creds
