#include "CliRunner.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gls::test {

QJsonObject CliResult::json() const
{
    return QJsonDocument::fromJson(out).object();
}

QJsonObject CliResult::errorJson() const
{
    const QList<QByteArray> lines = err.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
}

QByteArray CliResult::describe() const
{
    return "exit " + QByteArray::number(exitCode) + "\n-- stdout --\n" + out.left(4000) + "\n-- stderr --\n"
        + err.left(4000);
}

CliRunner::CliRunner(const Emulator *emulator)
    : m_emu(emulator)
{
}

QString CliRunner::program()
{
    return binDir() + QStringLiteral("/gls-exporter-cli");
}

QStringList CliRunner::endpoint(bool trustEmulator) const
{
    QStringList args{QStringLiteral("--endpoint-url"), m_emu->gameliftUrl()};
    if (trustEmulator)
        args += {QStringLiteral("--ca-bundle"), m_emu->caPath()};
    return args;
}

QStringList CliRunner::s3Endpoint() const
{
    return {QStringLiteral("--s3-endpoint-url"), m_emu->s3Url()};
}

QProcessEnvironment CliRunner::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(QLatin1String("AWS_")) || name == QLatin1String("QT_LOGGING_RULES"))
            env.remove(name);
    }
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QLatin1String(kKeyId));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QLatin1String(kSecret));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QLatin1String(kRegion));
    env.insert(QStringLiteral("GLS_EXPORT_STORE"), m_storeDir.filePath(QStringLiteral("exports.sqlite")));
    return env;
}

std::unique_ptr<QProcess> CliRunner::start(const QStringList &arguments, const QProcessEnvironment &env) const
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(env.isEmpty() ? environment() : env);
    process->setStandardInputFile(QProcess::nullDevice()); // not a terminal, as under a script
    process->start(program(), arguments);
    return process;
}

CliResult CliRunner::collect(QProcess *process, int timeoutMs)
{
    CliResult r;
    if (!process->waitForFinished(timeoutMs)) {
        process->kill();
        process->waitForFinished(5000);
    } else if (process->exitStatus() == QProcess::NormalExit) {
        r.exitCode = process->exitCode();
    }
    r.out = process->readAllStandardOutput();
    r.err = process->readAllStandardError();
    return r;
}

CliResult CliRunner::run(const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs) const
{
    const std::unique_ptr<QProcess> process = start(arguments, env);
    return collect(process.get(), timeoutMs);
}

} // namespace gls::test
