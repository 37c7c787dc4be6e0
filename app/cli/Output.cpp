#include "Output.h"

#include "aws/AwsError.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/ioctl.h>
#include <unistd.h>

namespace gls::cli {

Terminal Terminal::detect()
{
    Terminal t;
    t.stdinIsTerminal = ::isatty(STDIN_FILENO) == 1;
    t.stdoutIsTerminal = ::isatty(STDOUT_FILENO) == 1;
    t.stderrIsTerminal = ::isatty(STDERR_FILENO) == 1;
    t.colourAllowed = !qEnvironmentVariableIsSet("NO_COLOR") && qEnvironmentVariable("TERM") != QLatin1String("dumb");
    winsize size{};
    if (t.stderrIsTerminal && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0)
        t.stderrColumns = size.ws_col;
    return t;
}

Output::Output(QIODevice *out, QIODevice *err, Terminal terminal, bool json)
    : m_out(out)
    , m_err(err)
    , m_terminal(terminal)
    , m_json(json)
{
}

bool Output::colour() const
{
    return m_terminal.stdoutIsTerminal && m_terminal.colourAllowed && !m_json;
}

void Output::write(const QString &text)
{
    clearProgress();
    m_out->write(text.toUtf8());
}

void Output::writeJson(const QJsonObject &document)
{
    clearProgress();
    m_out->write(QJsonDocument(document).toJson(QJsonDocument::Indented));
}

void Output::writeBytes(const QByteArray &bytes)
{
    clearProgress();
    m_out->write(bytes);
}

void Output::writeErr(const QString &text)
{
    clearProgress();
    m_err->write(text.toUtf8());
}

void Output::note(const QString &text)
{
    if (!m_json)
        writeErr(text + QLatin1Char('\n'));
}

void Output::warning(const QString &text)
{
    if (m_json) {
        const QJsonObject w{{QStringLiteral("warning"), QJsonObject{{QStringLiteral("message"), text}}}};
        writeErr(QString::fromUtf8(QJsonDocument(w).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
    } else {
        writeErr(QStringLiteral("warning: ") + text + QLatin1Char('\n'));
    }
}

void Output::progress(const QString &text)
{
    if (!showsProgress())
        return;
    // One line only: a line that wraps could not be replaced by the next one.
    const qsizetype room = m_terminal.stderrColumns > 1 ? m_terminal.stderrColumns - 1 : text.size();
    const QString line = text.size() > room ? text.left(qMax<qsizetype>(0, room - 3)) + QStringLiteral("...") : text;
    m_err->write("\r\x1b[K" + line.toUtf8());
    m_progressShown = true;
}

void Output::clearProgress()
{
    if (!m_progressShown)
        return;
    m_progressShown = false;
    m_err->write("\r\x1b[K");
}

void Output::debug(const QString &text)
{
    writeErr(text.endsWith(QLatin1Char('\n')) ? text : text + QLatin1Char('\n'));
}

int Output::fail(const aws::AwsError &error)
{
    return report(exitCodeFor(error), error);
}

int Output::fail(ExitCode exitCode, const QString &type, const QString &message, const QString &operation)
{
    aws::AwsError e;
    e.kind = aws::AwsError::Kind::Client;
    e.type = type;
    e.message = message;
    e.operation = operation;
    return report(exitCode, e);
}

int Output::usageError(const QString &message, const QString &command)
{
    const int exitCode = fail(ExitCode::BadInput, QStringLiteral("UsageError"), message);
    if (!m_json) {
        const QString help = command.isEmpty() ? QStringLiteral("gls-exporter-cli --help")
                                               : QStringLiteral("gls-exporter-cli help ") + command;
        writeErr(QStringLiteral("Run '%1' for usage.\n").arg(help));
    }
    return exitCode;
}

int Output::report(ExitCode exitCode, const aws::AwsError &error)
{
    const QString type = error.type.isEmpty() ? aws::AwsError::kindName(error.kind) : error.type;
    if (m_json) {
        const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
        const QJsonObject e{
            {QStringLiteral("type"), type},
            {QStringLiteral("message"), error.message},
            {QStringLiteral("operation"), orNull(error.operation)},
            {QStringLiteral("httpStatus"), error.httpStatus > 0 ? QJsonValue(error.httpStatus) : QJsonValue()},
            {QStringLiteral("requestId"), orNull(QString::fromLatin1(error.requestId))},
            {QStringLiteral("exitCode"), code(exitCode)},
        };
        writeErr(
            QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Compact))
            + QLatin1Char('\n'));
        return code(exitCode);
    }
    QString text;
    if (error.kind == aws::AwsError::Kind::Client || error.kind == aws::AwsError::Kind::Validation) {
        // Our own messages already name the field and the rule.
        text = error.operation.isEmpty() ? error.message : error.operation + QStringLiteral(": ") + error.message;
    } else {
        text = error.toString();
    }
    writeErr(QStringLiteral("gls-exporter-cli: ") + text + QLatin1Char('\n'));
    return code(exitCode);
}

} // namespace gls::cli
