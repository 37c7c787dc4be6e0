#include "ProcessCredentialsProvider.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

namespace gls::creds {

namespace {

constexpr qsizetype MaxStderrBytes = 8 * 1024;
const QString Redacted = QStringLiteral("<redacted>");

void wipeString(QString &s)
{
    if (!s.isEmpty()) {
        s.detach();
        OPENSSL_cleanse(s.data(), size_t(s.size()) * sizeof(QChar));
    }
    s.clear();
}

// Appends without ever leaving an unwiped copy behind when the buffer grows.
char *growSecret(QByteArray &buf, qsizetype extra)
{
    const qsizetype old = buf.size();
    if (old + extra > buf.capacity()) {
        QByteArray bigger;
        bigger.reserve(std::max<qsizetype>(old + extra, std::max<qsizetype>(4096, buf.capacity() * 2)));
        bigger.append(buf);
        aws::wipe(buf);
        buf = std::move(bigger);
    }
    buf.resize(old + extra);
    return buf.data() + old;
}

// RFC 3339 / ISO 8601; a time without an offset is taken as UTC.
QDateTime parseExpiration(const QString &text)
{
    QString t = text.trimmed();
    if (t.size() > 10 && (t.at(10) == u' ' || t.at(10) == u't'))
        t[10] = u'T';
    if (t.endsWith(u'z'))
        t[t.size() - 1] = u'Z';
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return {};
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC);
    return dt.toUTC();
}

bool hasUpperLowerDigit(QStringView s)
{
    bool upper = false, lower = false, digit = false;
    for (QChar c : s) {
        upper |= c.isUpper();
        lower |= c.isLower();
        digit |= c.isDigit();
    }
    return upper && lower && digit;
}

} // namespace

ProcessCredentialsProvider::ProcessCredentialsProvider(
    QString command, QString profileName, const aws::Clock *clock, QObject *parent)
    : aws::CredentialsProvider(parent)
    , m_command(std::move(command))
    , m_profileName(std::move(profileName))
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ProcessCredentialsProvider::onTimeout);
}

ProcessCredentialsProvider::~ProcessCredentialsProvider()
{
    if (m_process) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->kill();
        m_process->waitForFinished(2000); // SIGKILL: the child is gone at once
        delete m_process;
        m_process = nullptr;
    }
    aws::wipe(m_stdout);
    aws::wipe(m_stderr);
}

void ProcessCredentialsProvider::setTimeoutMs(int ms)
{
    m_timeoutMs = std::max(1, ms);
}

bool ProcessCredentialsProvider::isRunning() const
{
    return m_running;
}

void ProcessCredentialsProvider::fetch(QObject *context, Callback done)
{
    m_waiters.append(Waiter{context, context != nullptr, std::move(done)});
    if (m_running)
        return; // joins the run under way
    m_running = true;
    // Start on the next turn, so a callback never runs inside fetch().
    QTimer::singleShot(0, this, &ProcessCredentialsProvider::startProcess);
}

QString ProcessCredentialsProvider::describe(const QString &problem, const QString &advice) const
{
    return QStringLiteral("The credential_process of profile '%1' %2. %3").arg(m_profileName, problem, advice);
}

void ProcessCredentialsProvider::startProcess()
{
    aws::CredentialsResult failure;
    QString splitError;
    QStringList argv = splitCommand(m_command, &splitError);
    if (!splitError.isEmpty()) {
        failure.error = describe(QStringLiteral("cannot be split into words (%1)").arg(splitError),
            QStringLiteral("Fix its quoting in the AWS config file."));
        finish(std::move(failure));
        return;
    }
    if (argv.isEmpty()) {
        failure.error = describe(
            QStringLiteral("is empty"), QStringLiteral("Set it to the command that prints the credentials."));
        finish(std::move(failure));
        return;
    }
    m_program = argv.takeFirst();
    const QString resolved = m_program.contains(u'/') ? (QFileInfo(m_program).isFile() ? m_program : QString())
                                                      : QStandardPaths::findExecutable(m_program);
    if (resolved.isEmpty()) {
        failure.error = describe(QStringLiteral("could not be started: '%1' was not found").arg(m_program),
            QStringLiteral("Install it, or give its full path in the AWS config file."));
        finish(std::move(failure));
        return;
    }

    m_stdout.reserve(4096);
    m_process = new QProcess(this);
    m_process->setProgram(resolved);
    m_process->setArguments(argv);
    // Like botocore: the helper may prompt on the terminal we were started from.
    m_process->setInputChannelMode(QProcess::ForwardedInputChannel);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ProcessCredentialsProvider::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        QByteArray chunk = m_process->readAllStandardError();
        if (m_stderr.size() < MaxStderrBytes)
            m_stderr.append(chunk.left(MaxStderrBytes - m_stderr.size()));
        aws::wipe(chunk);
    });
    connect(m_process, &QProcess::finished, this,
        [this](int exitCode, QProcess::ExitStatus status) { onFinished(exitCode, int(status)); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onStartFailed();
    });
    m_timer.start(m_timeoutMs);
    m_process->start();
}

void ProcessCredentialsProvider::onStdout()
{
    if (!m_process)
        return;
    m_process->setReadChannel(QProcess::StandardOutput);
    const qint64 available = m_process->bytesAvailable();
    if (available <= 0)
        return;
    if (m_tooMuchOutput || m_stdout.size() + available > MaxOutputBytes) {
        m_tooMuchOutput = true;
        m_process->skip(available);
        m_process->kill();
        return;
    }
    char *tail = growSecret(m_stdout, qsizetype(available));
    const qint64 got = m_process->read(tail, available);
    if (got < available) {
        OPENSSL_cleanse(tail, size_t(available));
        m_stdout.resize(m_stdout.size() - qsizetype(available) + qsizetype(std::max<qint64>(got, 0)));
    }
}

void ProcessCredentialsProvider::onStartFailed()
{
    aws::CredentialsResult failure;
    failure.error = describe(QStringLiteral("could not be started: '%1' (%2)").arg(m_program, m_process->errorString()),
        QStringLiteral("Check that the command exists and is executable."));
    finish(std::move(failure));
}

void ProcessCredentialsProvider::onTimeout()
{
    if (!m_process)
        return;
    aws::CredentialsResult failure;
    const QString seconds = QString::number(double(m_timeoutMs) / 1000.0, 'g', 3);
    failure.error = describe(QStringLiteral("did not finish within %1 s and was stopped").arg(seconds),
        QStringLiteral("Run the command in a terminal to see whether it waits for input "
                       "or cannot reach its service."));
    finish(std::move(failure));
}

void ProcessCredentialsProvider::onFinished(int exitCode, int exitStatus)
{
    m_timer.stop();
    onStdout();
    QByteArray rest = m_process->readAllStandardError();
    if (m_stderr.size() < MaxStderrBytes)
        m_stderr.append(rest.left(MaxStderrBytes - m_stderr.size()));
    aws::wipe(rest);

    aws::CredentialsResult result;
    const auto withStderr = [this](const QString &problem) {
        const QString excerpt = stderrExcerpt(m_stderr, m_stdout);
        return excerpt.isEmpty() ? problem + QStringLiteral(" and printed no error message")
                                 : QStringLiteral("%1: %2").arg(problem, excerpt);
    };
    if (m_tooMuchOutput) {
        result.error = describe(QStringLiteral("printed more than %1 KiB").arg(MaxOutputBytes / 1024),
            QStringLiteral("It must print only the credentials JSON on standard output."));
    } else if (exitStatus == QProcess::CrashExit) {
        result.error = describe(
            withStderr(QStringLiteral("crashed")), QStringLiteral("Run the command in a terminal to see why."));
    } else if (exitCode != 0) {
        result.error = describe(withStderr(QStringLiteral("failed with exit code %1").arg(exitCode)),
            QStringLiteral("Run the command in a terminal to see why."));
    } else {
        result = parseOutput();
    }
    finish(std::move(result));
}

aws::CredentialsResult ProcessCredentialsProvider::parseOutput()
{
    return parseCredentialOutput(&m_stdout, m_clock->nowUtc(),
        [this](const QString &problem, const QString &advice) { return describe(problem, advice); });
}

aws::CredentialsResult ProcessCredentialsProvider::parseCredentialOutput(
    QByteArray *stdoutBytes, const QDateTime &now, const Describe &describe)
{
    aws::CredentialsResult r;
    const QString expected = QStringLiteral("It must print {\"Version\": 1, \"AccessKeyId\": ..., "
                                            "\"SecretAccessKey\": ...} on standard output.");
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(*stdoutBytes, &parseError);
    aws::wipe(*stdoutBytes);
    if (parseError.error != QJsonParseError::NoError) {
        r.error = describe(QStringLiteral("did not print JSON (%1 at offset %2)")
                               .arg(parseError.errorString(), QString::number(parseError.offset)),
            expected);
        return r;
    }
    if (!doc.isObject()) {
        r.error = describe(QStringLiteral("did not print a JSON object"), expected);
        return r;
    }
    const QJsonObject o = doc.object();

    const QJsonValue version = o.value(QLatin1String("Version"));
    if (version.isUndefined()) {
        r.error = describe(QStringLiteral("printed no Version"), expected);
        return r;
    }
    if (!version.isDouble() || version.toDouble() != 1.0) {
        QString shown = version.isDouble() ? QString::number(version.toDouble())
            : version.isString()           ? QStringLiteral("\"%1\"").arg(version.toString().left(8))
                                           : QStringLiteral("of the wrong type");
        r.error = describe(QStringLiteral("printed Version %1; only Version 1 (a number) is supported").arg(shown),
            QStringLiteral("Update the credential helper or ask its author for Version 1 output."));
        return r;
    }
    for (const char *key : {"AccessKeyId", "SecretAccessKey"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString() || v.toString().isEmpty()) {
            r.error = describe(QStringLiteral("printed no %1").arg(QLatin1String(key)), expected);
            return r;
        }
    }
    const QJsonValue tokenValue = o.value(QLatin1String("SessionToken"));
    if (!tokenValue.isUndefined() && !tokenValue.isNull() && !tokenValue.isString()) {
        r.error = describe(QStringLiteral("printed a SessionToken that is not a string"), expected);
        return r;
    }
    const QJsonValue expirationValue = o.value(QLatin1String("Expiration"));
    if (!expirationValue.isUndefined() && !expirationValue.isNull()) {
        const QString text = expirationValue.toString();
        r.expiration = parseExpiration(text);
        if (!r.expiration.isValid()) {
            static const QRegularExpression dateLike(QStringLiteral("^[0-9TtZz:.+\\- ]{1,40}$"));
            const QString shown = dateLike.match(text).hasMatch() ? QStringLiteral(" ('%1')").arg(text) : QString();
            r.error = describe(QStringLiteral("printed an Expiration that is not an RFC 3339 time%1").arg(shown),
                QStringLiteral("Expiration must look like 2025-01-31T12:00:00Z."));
            return r;
        }
        if (r.expiration <= now) {
            r.error = describe(
                QStringLiteral("returned credentials that expired at %1").arg(r.expiration.toString(Qt::ISODate)),
                QStringLiteral("Renew the helper's session (for example sign in again), and check this computer's "
                               "clock (now %1).")
                    .arg(now.toString(Qt::ISODate)));
            r.expiration = {};
            return r;
        }
    }

    QString accessKeyId = o.value(QLatin1String("AccessKeyId")).toString();
    QString secret = o.value(QLatin1String("SecretAccessKey")).toString();
    QString token = tokenValue.toString();
    r.credentials.accessKeyId = accessKeyId.toUtf8();
    r.credentials.secretAccessKey = secret.toUtf8();
    r.credentials.sessionToken = token.toUtf8();
    wipeString(accessKeyId);
    wipeString(secret);
    wipeString(token);
    return r;
}

void ProcessCredentialsProvider::detachProcess()
{
    m_timer.stop();
    if (!m_process)
        return;
    QProcess *p = std::exchange(m_process, nullptr);
    disconnect(p, nullptr, this, nullptr);
    // Outlives us if need be: a callback may delete this provider while the
    // process object is still inside its own signal.
    p->setParent(nullptr);
    if (p->state() == QProcess::NotRunning) {
        p->deleteLater();
    } else {
        connect(p, &QProcess::finished, p, &QObject::deleteLater);
        p->kill();
    }
}

void ProcessCredentialsProvider::finish(aws::CredentialsResult result)
{
    detachProcess();
    aws::wipe(m_stdout);
    aws::wipe(m_stderr);
    m_tooMuchOutput = false;
    m_running = false;
    result.source = QStringLiteral("process:%1").arg(m_profileName);
    if (!result.error.isEmpty()) {
        aws::wipe(result.credentials);
        result.credentials.accessKeyId.clear();
    }
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    // Nothing below touches `this`: a callback may delete the provider.
    for (const Waiter &w : waiters) {
        if (w.guarded && !w.context)
            continue;
        w.done(result);
    }
    aws::wipe(result.credentials);
}

QStringList ProcessCredentialsProvider::splitCommand(const QString &command, QString *error)
{
    enum class Quote { None, Single, Double };
    QStringList words;
    QString word;
    bool inWord = false;
    Quote quote = Quote::None;
    const auto isSpace = [](QChar c) { return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n'; };
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return QStringList();
    };
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        switch (quote) {
        case Quote::Single:
            if (c == u'\'')
                quote = Quote::None;
            else
                word += c;
            break;
        case Quote::Double:
            if (c == u'"') {
                quote = Quote::None;
            } else if (c == u'\\') {
                if (i + 1 >= command.size())
                    return fail(QStringLiteral("a backslash ends the command"));
                const QChar next = command.at(++i);
                if (next != u'"' && next != u'\\')
                    word += u'\\';
                word += next;
            } else {
                word += c;
            }
            break;
        case Quote::None:
            if (isSpace(c)) {
                if (inWord)
                    words.append(std::exchange(word, QString()));
                inWord = false;
            } else if (c == u'\\') {
                if (i + 1 >= command.size())
                    return fail(QStringLiteral("a backslash ends the command"));
                word += command.at(++i);
                inWord = true;
            } else if (c == u'\'') {
                quote = Quote::Single;
                inWord = true;
            } else if (c == u'"') {
                quote = Quote::Double;
                inWord = true;
            } else {
                word += c;
                inWord = true;
            }
            break;
        }
    }
    if (quote != Quote::None)
        return fail(QStringLiteral("a quotation mark is not closed"));
    if (inWord)
        words.append(word);
    if (error)
        error->clear();
    return words;
}

QString ProcessCredentialsProvider::stderrExcerpt(
    const QByteArray &stderrBytes, const QByteArray &stdoutBytes, int maxChars)
{
    QString text = QString::fromUtf8(stderrBytes.left(MaxStderrBytes));

    // 1. Any longer word the command also printed on standard output.
    static const QRegularExpression word(QStringLiteral("[A-Za-z0-9/+=_\\-]{8,}"));
    static const QStringList jsonKeys = {QStringLiteral("Version"), QStringLiteral("AccessKeyId"),
        QStringLiteral("SecretAccessKey"), QStringLiteral("SessionToken"), QStringLiteral("Expiration")};
    if (!stdoutBytes.isEmpty()) {
        QString out = QString::fromUtf8(stdoutBytes);
        QStringList printed;
        for (auto it = word.globalMatch(out); it.hasNext();) {
            QString w = it.next().captured();
            if (!jsonKeys.contains(w))
                printed.append(w);
        }
        std::sort(
            printed.begin(), printed.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
        for (QString &w : printed) {
            text.replace(w, Redacted);
            wipeString(w);
        }
        wipeString(out);
    }

    // 2. The value after a word like secret, token, password or key.
    static const QRegularExpression labelled(
        QStringLiteral("((?:secret|token|password|passwd|pwd|credential|session|key)[A-Za-z_\\-]*[\"']?\\s*[:=]\\s*"
                       "[\"']?)([^\\s\"',;}]+)"),
        QRegularExpression::CaseInsensitiveOption);
    text.replace(labelled, QStringLiteral("\\1") + Redacted);

    // 3. Access key ids, and long mixed-case words with digits (keys, tokens, JWT parts).
    static const QRegularExpression keyId(QStringLiteral("\\b(?:AKIA|ASIA|AIDA|AROA|AGPA)[A-Z0-9]{12,}\\b"));
    text.replace(keyId, Redacted);
    static const QRegularExpression longWord(QStringLiteral("[A-Za-z0-9/+=_\\-]{16,}"));
    QList<QRegularExpressionMatch> secretLike;
    for (auto it = longWord.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (hasUpperLowerDigit(m.capturedView()))
            secretLike.append(m);
    }
    for (auto it = secretLike.crbegin(); it != secretLike.crend(); ++it)
        text.replace(it->capturedStart(), it->capturedLength(), Redacted);

    // One line, printable, short.
    QString line;
    line.reserve(std::min<qsizetype>(text.size(), maxChars + 1));
    for (QChar c : std::as_const(text)) {
        line += (c.isPrint() ? c : QChar(u' '));
        if (line.size() > maxChars * 2)
            break;
    }
    wipeString(text);
    line = line.simplified();
    if (line.size() > maxChars)
        line = line.left(maxChars) + QStringLiteral("...");
    return line;
}

} // namespace gls::creds
