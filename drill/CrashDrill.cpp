#include "CrashDrill.h"

#include "DrillReport.h"
#include "DrillWorld.h"
#include "Ledger.h"

#include "exports/ExportRecord.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QThread>

namespace gls::drill {

namespace {

using exports::DownloadState;
using exports::ExportRecord;
using exports::ExportStatus;

enum class Actor { Export, Watch, Gui };

QString actorName(Actor a)
{
    switch (a) {
    case Actor::Export: return QStringLiteral("cli-export");
    case Actor::Watch: return QStringLiteral("cli-watch");
    case Actor::Gui: return QStringLiteral("gui");
    }
    return {};
}

struct Running {
    Actor actor;
    std::unique_ptr<QProcess> process;
    QString session; // the export actor's
    qint64 killAtMs = 0;
    QString phase; // what was under way when the kill struck
    RunResult result;
    bool done = false;
};

int partFiles(const DrillWorld &world)
{
    return int(QDir(world.downloadDir()).entryList({QStringLiteral("*.part")}, QDir::Files).size());
}

// What a follower (watch, desktop app) was doing, seen just before the kill.
QString followerPhase(const DrillWorld &world)
{
    int open = 0, running = 0;
    for (const ExportRecord &r : world.storeRows()) {
        if (!r.isFinished())
            ++open;
        else if (r.status == ExportStatus::Succeeded && r.downloadState == DownloadState::Running)
            ++running;
    }
    if (running > 0 || partFiles(world) > 0)
        return QStringLiteral("downloading");
    if (open > 0)
        return QStringLiteral("tracking");
    return QStringLiteral("idle");
}

// Where an `export` was when killed, from its row and the emulator's counter.
QString exportPhase(const DrillWorld &world, const QString &session)
{
    const int atService = world.stats().value(QStringLiteral("exportRequestsBySession")).toObject().value(session).toInt();
    for (const ExportRecord &r : world.storeRows()) {
        if (r.sessionId != session)
            continue;
        if (r.status == ExportStatus::Requesting || r.status == ExportStatus::Unknown)
            return atService > 0 ? QStringLiteral("row REQUESTING, request carried out, answer not read")
                                 : QStringLiteral("row REQUESTING, request not carried out");
        return QStringLiteral("row %1 (waiting for the first look)").arg(exports::statusName(r.status));
    }
    return atService > 0 ? QStringLiteral("request carried out, no row (!)") : QStringLiteral("before the row was written");
}

void pumpFor(int ms)
{
    QCoreApplication::processEvents(QEventLoop::AllEvents, ms);
    QThread::msleep(ulong(ms));
}

} // namespace

QJsonObject runCrashDrill(const CrashDrillOptions &o)
{
    QElapsedTimer wall;
    wall.start();
    DrillWorld world(o.workDir, o.seed);
    const QStringList emulatorArgs{QStringLiteral("--sessions"), QStringLiteral("0"), QStringLiteral("--groups"),
                                   QStringLiteral("1"), QStringLiteral("--regions"), QLatin1String(test::kRegion),
                                   QStringLiteral("--seed"), QString::number(o.seed), QStringLiteral("--time-scale"),
                                   QString::number(o.timeScale), QStringLiteral("--archive-size"),
                                   QStringLiteral("1048576")};
    QJsonObject report{{QStringLiteral("drill"), QStringLiteral("crash")},
                       {QStringLiteral("startedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                       {QStringLiteral("seed"), QString::number(o.seed)},
                       {QStringLiteral("killsWanted"), o.kills},
                       {QStringLiteral("timeScale"), o.timeScale},
                       {QStringLiteral("emulatorArguments"), QJsonArray::fromStringList(emulatorArgs)},
                       {QStringLiteral("loadAverageBefore"), loadAverage()}};
    QString error;
    if (!world.start(emulatorArgs, &error)) {
        report.insert(QStringLiteral("error"), error);
        return report;
    }
    const QString group = world.streamGroupIds().value(0);
    if (group.isEmpty()) {
        report.insert(QStringLiteral("error"), QStringLiteral("the emulator listed no stream group"));
        return report;
    }
    // Half the export answers and archive downloads are slow, so that kills land inside them too.
    const QJsonObject stalls{{QStringLiteral("delayMs"), o.stallMs},
                             {QStringLiteral("delayFraction"), 0.5},
                             {QStringLiteral("operations"), QJsonArray{QStringLiteral("ExportStreamSessionFiles"),
                                                                       QStringLiteral("S3.GetObject")}}};
    world.setFaults(stalls);
    report.insert(QStringLiteral("faults"), stalls);

    QRandomGenerator &rng = world.random();
    QList<DrillSession> sessions;
    QList<std::pair<QString, int>> live; // sessions not ended yet, with the iteration they began
    QJsonArray events;
    QMap<QString, int> phases;
    QMap<QString, int> killsBy;
    QList<RunResult> results;
    int kills = 0, iteration = 0, finishedBeforeKill = 0;

    while (kills < o.kills && wall.elapsed() < qint64(o.maxSeconds) * 1000) {
        ++iteration;
        std::vector<Running> batch;
        const double pick = rng.generateDouble();
        const auto add = [&](Actor actor, int minMs, int maxMs) {
            Running r{actor, nullptr, {}, 0, {}, {}, false};
            if (actor == Actor::Export) {
                r.session = world.newSession(group, QStringLiteral("CONNECTED")); // ends when the drill says
                sessions.append({group, r.session});
                live.append({r.session, iteration});
                r.process = world.startCli({QStringLiteral("export"), QStringLiteral("--group"), group,
                                            QStringLiteral("--session"), r.session, QStringLiteral("--output"),
                                            QStringLiteral("s3://gls-exports/crash/")});
            } else if (actor == Actor::Watch) {
                r.process = world.startCli({QStringLiteral("exports"), QStringLiteral("watch"),
                                            QStringLiteral("--download"), world.downloadDir()});
            } else {
                r.process = world.startGui();
            }
            r.killAtMs = minMs + rng.bounded(maxMs - minMs);
            batch.push_back(std::move(r));
        };
        if (pick < 0.45) {
            add(Actor::Export, 0, 2500);
        } else if (pick < 0.70) {
            add(Actor::Watch, 100, 5000);
        } else if (pick < 0.90) {
            add(Actor::Gui, 300, 7000);
        } else { // both followers at once, on the same store and folder
            add(Actor::Watch, 100, 5000);
            add(Actor::Gui, 300, 7000);
        }

        QElapsedTimer t;
        t.start();
        for (;;) {
            bool anyRunning = false;
            for (Running &r : batch) {
                if (r.done)
                    continue;
                if (r.process->state() == QProcess::NotRunning) {
                    r.result = DrillWorld::collect(r.process.get(), 0);
                    r.phase = QStringLiteral("finished before the kill");
                    r.done = true;
                    continue;
                }
                if (t.elapsed() >= r.killAtMs) {
                    if (r.actor != Actor::Export)
                        r.phase = followerPhase(world);
                    r.result = DrillWorld::kill(r.process.get());
                    if (r.actor == Actor::Export)
                        r.phase = r.result.killed ? exportPhase(world, r.session) : QStringLiteral("finished before the kill");
                    r.done = true;
                    continue;
                }
                anyRunning = true;
            }
            if (!anyRunning)
                break;
            pumpFor(10);
        }
        for (Running &r : batch) {
            if (r.result.killed) {
                ++kills;
                ++killsBy[actorName(r.actor)];
                ++phases[actorName(r.actor) + QStringLiteral(": ") + r.phase];
            } else {
                ++finishedBeforeKill;
            }
            results.append(r.result);
            events.append(QJsonObject{{QStringLiteral("iteration"), iteration},
                                      {QStringLiteral("actor"), actorName(r.actor)},
                                      {QStringLiteral("session"), r.session},
                                      {QStringLiteral("killAtMs"), r.killAtMs},
                                      {QStringLiteral("outcome"), r.result.outcome()},
                                      {QStringLiteral("phase"), r.phase}});
        }
        // Users leave: most sessions end soon after their export was asked for, the rest a few rounds later.
        for (qsizetype i = live.size() - 1; i >= 0; --i) {
            if (iteration - live[i].second >= 3 || rng.generateDouble() < 0.6) {
                world.endSession(live[i].first);
                live.removeAt(i);
            }
        }
    }
    const qint64 killPhaseMs = wall.elapsed();
    for (const auto &[session, began] : std::as_const(live))
        world.endSession(session);

    // The last run, not killed, settles everything (a second one if the first did not finish cleanly).
    QList<RunResult> settle;
    for (int i = 0; i < 2; ++i) {
        settle.append(world.runCli({QStringLiteral("exports"), QStringLiteral("watch"), QStringLiteral("--download"),
                                    world.downloadDir(), QStringLiteral("--timeout"), QStringLiteral("240")},
                                   300'000));
        if (settle.last().ok())
            break;
    }
    const QJsonObject stats = world.stats();
    const Ledger ledger(world, sessions, true);

    const RunSummary killed(results);
    const RunSummary settled(settle);
    QJsonObject phaseJson, byActor;
    for (auto it = phases.cbegin(); it != phases.cend(); ++it)
        phaseJson.insert(it.key(), it.value());
    for (auto it = killsBy.cbegin(); it != killsBy.cend(); ++it)
        byActor.insert(it.key(), it.value());
    report.insert(QStringLiteral("kills"), kills);
    report.insert(QStringLiteral("killsByProgram"), byActor);
    report.insert(QStringLiteral("phases"), phaseJson);
    report.insert(QStringLiteral("iterations"), iteration);
    report.insert(QStringLiteral("finishedBeforeKill"), finishedBeforeKill);
    report.insert(QStringLiteral("runs"), killed.toJson());
    report.insert(QStringLiteral("settleRuns"), settled.toJson());
    report.insert(QStringLiteral("crashes"), killed.crashes + settled.crashes);
    report.insert(QStringLiteral("events"), events);
    report.insert(QStringLiteral("requests"), requestsPerExport(stats, int(sessions.size())));
    report.insert(QStringLiteral("outcome"), ledger.toJson());
    report.insert(QStringLiteral("killPhaseSeconds"), double(killPhaseMs) / 1000);
    report.insert(QStringLiteral("wallSeconds"), double(wall.elapsed()) / 1000);
    report.insert(QStringLiteral("loadAverageAfter"), loadAverage());
    report.insert(QStringLiteral("ok"), kills >= o.kills && killed.crashes + settled.crashes == 0 && ledger.lost == 0
                                            && ledger.phantom == 0 && ledger.unsettled == 0 && ledger.duplicateRows == 0
                                            && ledger.duplicateRequests == 0 && ledger.halfWritten == 0
                                            && ledger.notDownloaded == 0 && settle.last().ok());
    return report;
}

QString crashDrillMarkdown(const QJsonObject &r)
{
    QString md = QStringLiteral("# Crash drill\n\n");
    if (r.contains(QStringLiteral("error")))
        return md + QStringLiteral("The drill could not run: %1\n").arg(r.value(QStringLiteral("error")).toString());
    const QJsonObject out = r.value(QStringLiteral("outcome")).toObject();
    md += QStringLiteral("Run %1, seed %2, emulator time scale %3. Half the ExportStreamSessionFiles answers and archive "
                         "downloads stall %4 ms, so that kills land inside them.\n\n")
              .arg(r.value(QStringLiteral("startedAt")).toString(), r.value(QStringLiteral("seed")).toString())
              .arg(r.value(QStringLiteral("timeScale")).toDouble())
              .arg(r.value(QStringLiteral("faults")).toObject().value(QStringLiteral("delayMs")).toInt());
    md += QStringLiteral("| Figure | Value |\n|---|---|\n");
    const auto row = [&md](const QString &name, const QString &value) {
        md += QStringLiteral("| %1 | %2 |\n").arg(name, value);
    };
    QStringList byProgram;
    const QJsonObject kp = r.value(QStringLiteral("killsByProgram")).toObject();
    for (auto it = kp.begin(); it != kp.end(); ++it)
        byProgram.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInt()));
    row(QStringLiteral("SIGKILLs"), QStringLiteral("%1 (%2)").arg(r.value(QStringLiteral("kills")).toInt())
                                        .arg(byProgram.join(QStringLiteral(", "))));
    row(QStringLiteral("Runs that ended before their kill"), QString::number(r.value(QStringLiteral("finishedBeforeKill")).toInt()));
    row(QStringLiteral("Sessions asked to export (`export` started)"), QString::number(out.value(QStringLiteral("sessions")).toInt()));
    row(QStringLiteral("... exported by the service"), QString::number(out.value(QStringLiteral("exportedAtService")).toInt()));
    row(QStringLiteral("... SUCCEEDED in the store, archive downloaded and verified"),
        QString::number(out.value(QStringLiteral("downloaded")).toInt()));
    row(QStringLiteral("Rows FAILED because the request never reached the service (killed before it was sent)"),
        QString::number(out.value(QStringLiteral("requestNeverArrived")).toInt()));
    row(QStringLiteral("**Exports lost**"), QString::number(out.value(QStringLiteral("lost")).toInt()));
    row(QStringLiteral("**Exports duplicated** (sessions with two rows)"), QString::number(out.value(QStringLiteral("duplicateRows")).toInt()));
    row(QStringLiteral("**Sessions exported twice by the service**"), QString::number(out.value(QStringLiteral("duplicateRequests")).toInt()));
    row(QStringLiteral("**Half-written files** (not .part, wrong bytes)"), QString::number(out.value(QStringLiteral("halfWritten")).toInt()));
    row(QStringLiteral("Rows never settled / archives not downloaded"),
        QStringLiteral("%1 / %2").arg(out.value(QStringLiteral("unsettled")).toInt()).arg(out.value(QStringLiteral("notDownloaded")).toInt()));
    row(QStringLiteral("Leftover .part files"), QString::number(out.value(QStringLiteral("partFiles")).toInt()));
    row(QStringLiteral("Crashes (a signal the drill did not send, or a hang)"), QString::number(r.value(QStringLiteral("crashes")).toInt()));
    row(QStringLiteral("Final `exports watch`"), outcomesText(r.value(QStringLiteral("settleRuns")).toObject()));
    row(QStringLiteral("Wall time"), QStringLiteral("%1 s (kills %2 s)")
                                        .arg(r.value(QStringLiteral("wallSeconds")).toDouble(), 0, 'f', 1)
                                        .arg(r.value(QStringLiteral("killPhaseSeconds")).toDouble(), 0, 'f', 1));
    row(QStringLiteral("Load average before / after"),
        QStringLiteral("%1 / %2").arg(r.value(QStringLiteral("loadAverageBefore")).toString(),
                                     r.value(QStringLiteral("loadAverageAfter")).toString()));
    md += QStringLiteral("\n## Where the kills struck\n\n| Program: phase | Kills |\n|---|---|\n");
    const QJsonObject ph = r.value(QStringLiteral("phases")).toObject();
    for (auto it = ph.begin(); it != ph.end(); ++it)
        md += QStringLiteral("| %1 | %2 |\n").arg(it.key()).arg(it.value().toInt());
    md += QStringLiteral("\n## Requests, by operation (per session asked to export)\n\n");
    md += requestsMarkdown(r.value(QStringLiteral("requests")).toObject());
    md += problemsMarkdown(r, out);
    return md;
}

} // namespace gls::drill
