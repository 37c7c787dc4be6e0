#pragma once

// Where gls-exporter-cli speaks. Results go to stdout: a table or text for
// people, or exactly one JSON document with --json. Everything else goes to
// stderr: notes for people (not with --json), progress (only when stderr is a
// terminal, so pipes and logs stay quiet), --debug lines, and errors (one
// line of text, or with --json one line {"error": {...}}).

#include "ExitCode.h"

#include <QString>

class QIODevice;
class QJsonObject;

namespace gls::aws {
struct AwsError;
}

namespace gls::cli {

struct Terminal {
    bool stdinIsTerminal = false;
    bool stdoutIsTerminal = false;
    bool stderrIsTerminal = false;
    bool colourAllowed = true; // false when NO_COLOR is set or TERM=dumb
    int stderrColumns = 0;     // the terminal's width when stderr is one; 0: unknown

    // What the process's standard streams are connected to.
    static Terminal detect();
};

class Output {
public:
    Output(QIODevice *out, QIODevice *err, Terminal terminal, bool json);

    bool json() const { return m_json; }
    const Terminal &terminal() const { return m_terminal; }
    // Colours in tables: stdout is a terminal, colour is allowed, not --json.
    bool colour() const;
    bool showsProgress() const { return m_terminal.stderrIsTerminal; }

    // stdout, as given.
    void write(const QString &text);
    // stdout: the one JSON document of this run, indented.
    void writeJson(const QJsonObject &document);
    // stdout, bytes as given (a JsonStream's chunks).
    void writeBytes(const QByteArray &bytes);

    // stderr, one line for people; nothing with --json.
    void note(const QString &text);
    // stderr: "warning: ..." (with --json, {"warning": {"message": ...}}).
    void warning(const QString &text);
    // stderr, only on a terminal: replaces the current progress line.
    void progress(const QString &text);
    void clearProgress();
    // stderr, a question on the terminal (no line break).
    void prompt(const QString &text) { writeErr(text); }
    // stderr, always (--debug).
    void debug(const QString &text);

    // Reports a failure on stderr and returns the exit code it means.
    int fail(const aws::AwsError &error);
    int fail(ExitCode exitCode, const QString &type, const QString &message, const QString &operation = {});
    // A usage error: the message, then how to get help for `command`.
    int usageError(const QString &message, const QString &command = {});

private:
    void writeErr(const QString &text);
    int report(ExitCode exitCode, const aws::AwsError &error);

    QIODevice *m_out;
    QIODevice *m_err;
    Terminal m_terminal;
    bool m_json;
    bool m_progressShown = false;
};

} // namespace gls::cli
