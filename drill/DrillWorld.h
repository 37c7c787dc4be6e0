#pragma once

// The world a drill runs in: a gls-emulator (the test harness's, over TLS), a
// private HOME holding the export store, the profile settings and the download
// folder that gls-exporter-cli and gls-exporter share, the environment both get,
// and ways to run them and to read what came out (the store, the emulator's
// counters and sessions).

#include "EmulatorHarness.h"

#include "exports/ExportRecord.h"

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <memory>

namespace gls::drill {

// How one run of a program ended.
struct RunResult {
    QStringList arguments;
    int exitCode = -1;
    bool crashed = false;  // ended by a signal the drill did not send
    bool killed = false;   // SIGKILLed by the drill
    bool timedOut = false; // still running at the deadline (then killed)
    qint64 elapsedMs = 0;
    QByteArray out;
    QByteArray err;

    bool ok() const { return !crashed && !killed && !timedOut && exitCode == 0; }
    // "exit 0", "exit 5", "signal", "killed", "timeout".
    QString outcome() const;
};

class DrillWorld {
public:
    // `workDir` is emptied and filled: home/, downloads/, emulator/.
    DrillWorld(QString workDir, quint64 seed);
    ~DrillWorld();

    // Starts the emulator with these arguments (after --data-dir).
    bool start(const QStringList &emulatorArgs, QString *error);
    test::Emulator &emulator() const { return *m_emulator; }

    QString workDir() const { return m_workDir; }
    QString storePath() const;
    QString downloadDir() const;
    QRandomGenerator &random() { return m_random; }

    // The emulator's clock offset, so that the drill's own signed calls get through a skewed clock.
    void setClockSkew(qint64 seconds) { m_skew = seconds; }
    // A signed GameLift Streams GET, tried until a complete 2xx (or `tries` are spent).
    test::HttpResult gameLiftGet(const QByteArray &path, const QByteArray &query = {}, int tries = 60) const;
    QStringList streamGroupIds() const;
    // A new session through the control endpoint (never faulted); its ID.
    QString newSession(const QString &group, const QString &status = QStringLiteral("ACTIVE")) const;
    bool endSession(const QString &session) const;
    QJsonObject stats() const;
    QJsonObject state() const;
    bool setFaults(const QJsonObject &faults) const;
    bool clearFaults() const;

    // Every row of the shared export store (opened and closed for this read).
    QList<exports::ExportRecord> storeRows() const;

    // gls-exporter-cli / gls-exporter with this world's environment.
    std::unique_ptr<QProcess> startCli(const QStringList &arguments) const;
    std::unique_ptr<QProcess> startGui() const;
    RunResult runCli(const QStringList &arguments, int timeoutMs) const;
    // Runs every argument list, at most `parallel` at a time; results in the same order.
    // Each run is bounded by its own arguments (--timeout).
    QList<RunResult> runCliMany(const QList<QStringList> &argumentLists, int parallel) const;
    // Waits for the end (SIGKILL at the deadline) and reads the outputs.
    static RunResult collect(QProcess *process, int timeoutMs);
    // SIGKILL now (when still running); then collect().
    static RunResult kill(QProcess *process);

private:
    QProcessEnvironment environment() const;

    QString m_workDir;
    QRandomGenerator m_random;
    mutable qint64 m_skew = 0; // clearFaults() puts the emulator's clock right again
    std::unique_ptr<test::Emulator> m_emulator;
};

} // namespace gls::drill
