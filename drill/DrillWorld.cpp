#include "DrillWorld.h"

#include "exports/ExportStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QTimer>

#include <csignal>
#include <vector>
#include <sys/prctl.h>

namespace gls::drill {

QString RunResult::outcome() const
{
    if (killed)
        return QStringLiteral("killed");
    if (timedOut)
        return QStringLiteral("timeout");
    if (crashed)
        return QStringLiteral("signal");
    return QStringLiteral("exit %1").arg(exitCode);
}

DrillWorld::DrillWorld(QString workDir, quint64 seed)
    : m_workDir(std::move(workDir))
    , m_random(quint32(seed ^ (seed >> 32)))
{
    QDir(m_workDir).removeRecursively();
    for (const char *sub : {"home/.local/share", "home/.config/gls-exporter", "runtime", "downloads", "emulator"})
        QDir().mkpath(QDir(m_workDir).filePath(QLatin1String(sub)));
    QFile::setPermissions(QDir(m_workDir).filePath(QStringLiteral("runtime")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // The desktop app's download folder, as a user sets it (profiles.conf, every profile).
    QFile conf(QDir(m_workDir).filePath(QStringLiteral("home/.config/gls-exporter/profiles.conf")));
    if (conf.open(QIODevice::WriteOnly))
        conf.write("[defaults]\ndownload_folder=" + downloadDir().toUtf8() + "\n");
}

DrillWorld::~DrillWorld() = default;

bool DrillWorld::start(const QStringList &emulatorArgs, QString *error)
{
    m_emulator = std::make_unique<test::Emulator>(emulatorArgs, QDir(m_workDir).filePath(QStringLiteral("emulator")));
    if (!m_emulator->ok()) {
        *error = m_emulator->errorText();
        return false;
    }
    return true;
}

QString DrillWorld::storePath() const
{
    // The default store of both programs under this HOME (XDG_DATA_HOME/gls-exporter/exports.sqlite).
    return QDir(m_workDir).filePath(QStringLiteral("home/.local/share/gls-exporter/exports.sqlite"));
}

QString DrillWorld::downloadDir() const
{
    return QDir(m_workDir).filePath(QStringLiteral("downloads"));
}

QProcessEnvironment DrillWorld::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("AWS_")) || key.startsWith(QLatin1String("GLS_")))
            env.remove(key);
    }
    const QString home = QDir(m_workDir).filePath(QStringLiteral("home"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), QDir(m_workDir).filePath(QStringLiteral("runtime")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // The same store for both programs: the CLI's by GLS_EXPORT_STORE, the desktop app's by default under HOME.
    env.insert(QStringLiteral("GLS_EXPORT_STORE"), storePath());
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QLatin1String(test::kKeyId));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QLatin1String(test::kSecret));
    env.insert(QStringLiteral("AWS_REGION"), QLatin1String(test::kRegion));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QLatin1String(test::kRegion));
    env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_emulator->caPath());
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_GAMELIFTSTREAMS"), m_emulator->gameliftUrl());
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_S3"), m_emulator->s3Url());
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    return env;
}

test::HttpResult DrillWorld::gameLiftGet(const QByteArray &path, const QByteArray &query, int tries) const
{
    test::HttpResult r;
    for (int i = 0; i < tries; ++i) {
        r = m_emulator->gamelift("GET", path, query, {}, test::Emulator::defaultCredentials(), test::kRegion,
                                 QDateTime::currentDateTimeUtc().addSecs(m_skew));
        if (r.status / 100 == 2 && r.complete)
            return r;
    }
    return r;
}

QStringList DrillWorld::streamGroupIds() const
{
    QStringList ids;
    const QJsonArray items = gameLiftGet("/streamgroups").json().value(QStringLiteral("Items")).toArray();
    for (const QJsonValue &v : items)
        ids.append(v.toObject().value(QStringLiteral("Id")).toString());
    return ids;
}

QString DrillWorld::newSession(const QString &group, const QString &status) const
{
    return test::newSession(*m_emulator, group, status);
}

bool DrillWorld::endSession(const QString &session) const
{
    return test::endSession(*m_emulator, session);
}

QJsonObject DrillWorld::stats() const
{
    return m_emulator->control("GET", "stats").json();
}

QJsonObject DrillWorld::state() const
{
    return m_emulator->control("GET", "state").json();
}

bool DrillWorld::setFaults(const QJsonObject &faults) const
{
    return m_emulator->control("PUT", "faults", faults).status == 200;
}

bool DrillWorld::clearFaults() const
{
    m_skew = 0; // the skew is one of the faults
    return m_emulator->control("DELETE", "faults").status == 200;
}

QList<exports::ExportRecord> DrillWorld::storeRows() const
{
    if (!QFile::exists(storePath()))
        return {};
    exports::ExportStore store(storePath());
    QString error;
    if (!store.open(&error)) {
        qWarning("gls-drill: the export store cannot be read: %s", qPrintable(error));
        return {};
    }
    return store.list();
}

std::unique_ptr<QProcess> DrillWorld::startCli(const QStringList &arguments) const
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(environment());
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    p->start(test::binDir() + QStringLiteral("/gls-exporter-cli"), arguments);
    return p;
}

std::unique_ptr<QProcess> DrillWorld::startGui() const
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(environment());
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    p->start(test::binDir() + QStringLiteral("/gls-exporter"), QStringList{});
    return p;
}

RunResult DrillWorld::runCli(const QStringList &arguments, int timeoutMs) const
{
    std::unique_ptr<QProcess> p = startCli(arguments);
    RunResult r = collect(p.get(), timeoutMs);
    r.arguments = arguments;
    return r;
}

QList<RunResult> DrillWorld::runCliMany(const QList<QStringList> &argumentLists, int parallel) const
{
    QList<RunResult> results(argumentLists.size());
    std::vector<std::pair<qsizetype, std::unique_ptr<QProcess>>> running;
    qsizetype next = 0;
    while (next < argumentLists.size() || !running.empty()) {
        while (qsizetype(running.size()) < parallel && next < argumentLists.size()) {
            running.emplace_back(next, startCli(argumentLists.at(next)));
            ++next;
        }
        // Wait for any of them to end (each has its own deadline in collect()).
        QEventLoop loop;
        for (auto &[index, process] : running)
            QObject::connect(process.get(), &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(200, &loop, &QEventLoop::quit);
        loop.exec();
        for (qsizetype i = qsizetype(running.size()) - 1; i >= 0; --i) {
            QProcess *process = running[i].second.get();
            if (process->state() != QProcess::NotRunning)
                continue;
            RunResult r = collect(process, 0);
            r.arguments = argumentLists.at(running[i].first);
            results[running[i].first] = r;
            running.erase(running.begin() + i);
        }
    }
    return results;
}

RunResult DrillWorld::collect(QProcess *process, int timeoutMs)
{
    RunResult r;
    QElapsedTimer t;
    t.start();
    if (process->state() != QProcess::NotRunning && !process->waitForFinished(timeoutMs)) {
        r.timedOut = true;
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished(10000);
    }
    r.elapsedMs = t.elapsed();
    r.out = process->readAllStandardOutput();
    r.err = process->readAllStandardError();
    r.crashed = !r.timedOut && process->exitStatus() == QProcess::CrashExit;
    r.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
    return r;
}

RunResult DrillWorld::kill(QProcess *process)
{
    const bool wasRunning = process->state() != QProcess::NotRunning;
    if (wasRunning)
        ::kill(pid_t(process->processId()), SIGKILL);
    RunResult r = collect(process, 10000);
    if (wasRunning && process->exitStatus() == QProcess::CrashExit) {
        r.killed = true;
        r.crashed = false;
    }
    return r;
}

} // namespace gls::drill
