#include "FaultDrill.h"

#include "DrillReport.h"
#include "DrillWorld.h"
#include "Ledger.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>

#include <optional>

namespace gls::drill {

QJsonObject runFaultDrill(const FaultDrillOptions &o)
{
    QElapsedTimer wall;
    wall.start();
    DrillWorld world(o.workDir, o.seed);
    const QStringList emulatorArgs{
        QStringLiteral("--sessions"), QStringLiteral("0"), QStringLiteral("--groups"), QStringLiteral("2"),
        QStringLiteral("--regions"), QLatin1String(test::kRegion), QStringLiteral("--seed"), QString::number(o.seed),
        QStringLiteral("--time-scale"), QStringLiteral("1"), QStringLiteral("--archive-size"),
        QStringLiteral("65536"), QStringLiteral("--fault-throttle"), QString::number(o.throttle),
        QStringLiteral("--fault-500"), QString::number(o.error500), QStringLiteral("--fault-503"),
        QString::number(o.error503), QStringLiteral("--fault-reset"), QString::number(o.reset),
        QStringLiteral("--fault-truncate"), QString::number(o.truncate), QStringLiteral("--fault-stall"),
        QString::number(o.stall), QStringLiteral("--fault-stall-ms"), QString::number(o.stallMs),
        QStringLiteral("--clock-skew"), QString::number(o.clockSkewSeconds)};
    QJsonObject report{{QStringLiteral("drill"), QStringLiteral("faults")},
                       {QStringLiteral("startedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                       {QStringLiteral("seed"), QString::number(o.seed)},
                       {QStringLiteral("exports"), o.exports},
                       {QStringLiteral("parallel"), o.parallel},
                       {QStringLiteral("timeScale"), o.timeScale},
                       {QStringLiteral("emulatorArguments"), QJsonArray::fromStringList(emulatorArgs)},
                       {QStringLiteral("loadAverageBefore"), loadAverage()}};
    QString error;
    if (!world.start(emulatorArgs, &error)) {
        report.insert(QStringLiteral("error"), error);
        return report;
    }
    world.setClockSkew(o.clockSkewSeconds);
    const QStringList groups = world.streamGroupIds();
    if (groups.isEmpty()) {
        report.insert(QStringLiteral("error"), QStringLiteral("the emulator listed no stream group"));
        return report;
    }
    QList<DrillSession> sessions;
    for (int i = 0; i < o.exports; ++i) {
        const QString group = groups.at(i % groups.size());
        // CONNECTED: a user is playing; at time scale 1 the session lasts 10 minutes at least, so
        // none ends on its own before its `export` runs.
        sessions.append({group, world.newSession(group, QStringLiteral("CONNECTED"))});
    }
    world.emulator().control("DELETE", "stats"); // the drill's own set-up is not counted

    // 1. `export` of every session, a few at a time.
    QList<QStringList> exportArgs;
    for (const DrillSession &s : std::as_const(sessions))
        exportArgs.append({QStringLiteral("export"), QStringLiteral("--group"), s.group, QStringLiteral("--session"),
                           s.id, QStringLiteral("--output"), QStringLiteral("s3://gls-exports/drill/"),
                           QStringLiteral("--json")});
    QElapsedTimer phase;
    phase.start();
    const QList<RunResult> exportRuns = world.runCliMany(exportArgs, o.parallel);
    const qint64 exportMs = phase.elapsed();

    // 2. The sessions end (their users leave): the archives are written, the emulator's clock fast.
    world.emulator().control("PUT", "settings", QJsonObject{{QStringLiteral("timeScale"), o.timeScale}});
    for (const DrillSession &s : std::as_const(sessions))
        world.endSession(s.id);

    // 3. One watch follows them all and downloads the archives; when it ends with an error (an archive
    //    not downloaded), the user runs it again, once.
    phase.restart();
    const QStringList watchArgs{QStringLiteral("exports"), QStringLiteral("watch"), QStringLiteral("--download"),
                                world.downloadDir(), QStringLiteral("--timeout"), QString::number(o.watchTimeoutSeconds)};
    const RunResult watch = world.runCli(watchArgs, (o.watchTimeoutSeconds + 60) * 1000);
    const qint64 watchMs = phase.elapsed();
    std::optional<RunResult> again;
    if (!watch.ok())
        again = world.runCli(watchArgs, (o.watchTimeoutSeconds + 60) * 1000);

    const QJsonObject stats = world.stats();
    const Ledger ledger(world, sessions, true);

    QList<RunResult> runs = exportRuns;
    runs.append(watch);
    if (again)
        runs.append(*again);
    const RunSummary summary(runs);
    report.insert(QStringLiteral("exportRuns"), RunSummary(exportRuns).toJson());
    report.insert(QStringLiteral("watchRun"), RunSummary({watch}).toJson());
    if (again)
        report.insert(QStringLiteral("secondWatchRun"), RunSummary({*again}).toJson());
    report.insert(QStringLiteral("crashes"), summary.crashes);
    report.insert(QStringLiteral("requests"), requestsPerExport(stats, o.exports));
    report.insert(QStringLiteral("outcome"), ledger.toJson());
    report.insert(QStringLiteral("wallSeconds"), double(wall.elapsed()) / 1000);
    report.insert(QStringLiteral("exportPhaseSeconds"), double(exportMs) / 1000);
    report.insert(QStringLiteral("watchPhaseSeconds"), double(watchMs) / 1000);
    report.insert(QStringLiteral("loadAverageAfter"), loadAverage());
    report.insert(QStringLiteral("ok"), summary.crashes == 0 && ledger.lost == 0 && ledger.phantom == 0
                                            && ledger.unsettled == 0 && ledger.duplicateRows == 0
                                            && ledger.halfWritten == 0 && ledger.notDownloaded == 0);
    return report;
}

QString faultDrillMarkdown(const QJsonObject &r)
{
    QString md;
    md += QStringLiteral("# Fault drill\n\n");
    if (r.contains(QStringLiteral("error")))
        return md + QStringLiteral("The drill could not run: %1\n").arg(r.value(QStringLiteral("error")).toString());
    const QJsonObject out = r.value(QStringLiteral("outcome")).toObject();
    const int n = r.value(QStringLiteral("exports")).toInt();
    md += QStringLiteral("Run %1, seed %2, %3 exports (%4 `export` processes at a time); emulator time scale 1 while they are asked for, %5 once the sessions are ended.\n\n")
              .arg(r.value(QStringLiteral("startedAt")).toString(), r.value(QStringLiteral("seed")).toString())
              .arg(n)
              .arg(r.value(QStringLiteral("parallel")).toInt())
              .arg(r.value(QStringLiteral("timeScale")).toDouble());
    md += QStringLiteral("Emulator: `gls-emulator %1`\n\n")
              .arg(r.value(QStringLiteral("emulatorArguments")).toVariant().toStringList().join(QLatin1Char(' ')));
    md += QStringLiteral("| Figure | Value |\n|---|---|\n");
    const auto row = [&md](const QString &name, const QString &value) {
        md += QStringLiteral("| %1 | %2 |\n").arg(name, value);
    };
    row(QStringLiteral("Exports completed (SUCCEEDED, archive downloaded, bytes verified)"),
        QStringLiteral("%1 / %2").arg(out.value(QStringLiteral("downloaded")).toInt()).arg(n));
    row(QStringLiteral("Exports FAILED in the store"), QString::number(out.value(QStringLiteral("failed")).toInt()));
    row(QStringLiteral("... of which the service never got the request"),
        QString::number(out.value(QStringLiteral("requestNeverArrived")).toInt()));
    row(QStringLiteral("Exports lost (exported by the service, not SUCCEEDED in the store)"),
        QString::number(out.value(QStringLiteral("lost")).toInt()));
    row(QStringLiteral("Rows never settled"), QString::number(out.value(QStringLiteral("unsettled")).toInt()));
    row(QStringLiteral("Sessions with more than one row (duplicate rows)"),
        QString::number(out.value(QStringLiteral("duplicateRows")).toInt()));
    row(QStringLiteral("Sessions exported more than once by the service"),
        QString::number(out.value(QStringLiteral("duplicateRequests")).toInt()));
    row(QStringLiteral("Half-written files"), QString::number(out.value(QStringLiteral("halfWritten")).toInt()));
    row(QStringLiteral("Crashes (signal or hang)"), QString::number(r.value(QStringLiteral("crashes")).toInt()));
    row(QStringLiteral("`export` exit codes"), outcomesText(r.value(QStringLiteral("exportRuns")).toObject()));
    row(QStringLiteral("`exports watch --download` exit"), outcomesText(r.value(QStringLiteral("watchRun")).toObject()));
    if (r.contains(QStringLiteral("secondWatchRun")))
        row(QStringLiteral("... run again by the user"), outcomesText(r.value(QStringLiteral("secondWatchRun")).toObject()));
    row(QStringLiteral("Wall time"),
        QStringLiteral("%1 s (export phase %2 s, watch phase %3 s)")
            .arg(r.value(QStringLiteral("wallSeconds")).toDouble(), 0, 'f', 1)
            .arg(r.value(QStringLiteral("exportPhaseSeconds")).toDouble(), 0, 'f', 1)
            .arg(r.value(QStringLiteral("watchPhaseSeconds")).toDouble(), 0, 'f', 1));
    row(QStringLiteral("Load average before / after"),
        QStringLiteral("%1 / %2").arg(r.value(QStringLiteral("loadAverageBefore")).toString(),
                                     r.value(QStringLiteral("loadAverageAfter")).toString()));
    md += QStringLiteral("\n## Requests per export, by operation (the emulator's counters)\n\n");
    md += requestsMarkdown(r.value(QStringLiteral("requests")).toObject());
    md += problemsMarkdown(r, out);
    return md;
}

} // namespace gls::drill
