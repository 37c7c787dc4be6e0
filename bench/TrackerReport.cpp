#include "TrackerReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMap>

#include <algorithm>

namespace gls::bench {

namespace {

// "running.requestsPerMinute": a nested field.
double field(const QJsonObject &o, const QString &path)
{
    QJsonValue v = o;
    for (const QString &key : path.split(QLatin1Char('.')))
        v = v.toObject().value(key);
    return v.toDouble(-1);
}

Spread over(const QList<QJsonObject> &runs, const QString &path)
{
    QList<double> values;
    for (const QJsonObject &o : runs)
        values.append(field(o, path));
    return spreadOf(values);
}

template <typename F>
Spread overF(const QList<QJsonObject> &runs, F f)
{
    QList<double> values;
    for (const QJsonObject &o : runs)
        values.append(f(o));
    return spreadOf(values);
}

} // namespace

bool writeTrackerReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error)
{
    QJsonArray raw;
    QJsonObject m;
    if (!readJsonLines(input, &raw, &m, error))
        return false;

    // Runs by (exports, groups), in the order of the table.
    QMap<QPair<int, int>, QList<QJsonObject>> configs;
    for (const QJsonValue &v : raw) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("kind")).toString() == QLatin1String("tracker"))
            configs[{o.value(QStringLiteral("groups")).toInt(), o.value(QStringLiteral("exports")).toInt()}].append(o);
    }
    if (configs.isEmpty()) {
        *error = QStringLiteral("%1 holds no tracker run").arg(input);
        return false;
    }
    const QList<QJsonObject> main = configs.value({5, 200});
    const QJsonObject any = configs.first().first();
    const double speedup = any.value(QStringLiteral("speedup")).toDouble();

    // Checks over every run.
    int runs = 0, byAccount = 0, throttled = 0, errors = 0, mismatched = 0, notSucceeded = 0;
    for (const QList<QJsonObject> &list : std::as_const(configs)) {
        for (const QJsonObject &o : list) {
            ++runs;
            byAccount += int(field(o, QStringLiteral("life.listStreamSessionsByAccount")));
            throttled += int(field(o, QStringLiteral("trackerStats.throttled")));
            errors += int(field(o, QStringLiteral("trackerStats.serverErrors"))
                + field(o, QStringLiteral("trackerStats.networkErrors"))
                + field(o, QStringLiteral("trackerStats.otherErrors")));
            if (field(o, QStringLiteral("life.listStreamSessions"))
                    != field(o, QStringLiteral("trackerStats.listRequests"))
                || field(o, QStringLiteral("life.getStreamSession"))
                    != field(o, QStringLiteral("trackerStats.getRequests")))
                ++mismatched;
            if (o.value(QStringLiteral("succeeded")).toInt() != o.value(QStringLiteral("exports")).toInt())
                ++notSucceeded;
        }
    }

    QString md = QStringLiteral("# Tracker benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral(
        "The desktop app's `ExportCoordinator` (after a start: `resume()` follows the store's PENDING exports) "
        "and its `ExportTracker`, with the real transport and GameLift Streams client over TLS, against "
        "`gls-emulator %1` (one per group count; GROUPS stream groups). Requests are counted by the emulator "
        "(`/_emulator/stats`). Production settings (running interval %2 s, an ended session's group %3 s "
        "growing to %4 s, ±20% jitter, 5 requests/s per operation) run **%5× faster** so a run takes seconds; "
        "every figure is given back in production time (requests per minute = requests / (elapsed × %5)). "
        "Phases: **start** (one look per group), **running** (every session runs; a window of %6 running "
        "intervals), **ending** (the sessions end in %7 batches, each once the previous batch's exports are "
        "SUCCEEDED). **Naive**: one GetStreamSession per pending export every %3 s (the promptness the tracker "
        "gives an ended session), or every %2 s. The 200-in-5 cells are the median over %8 repetitions, with "
        "the spread (min–max) in parentheses; the other scaling points are one run each.\n\n")
              .arg(m.value(QStringLiteral("emulatorArgs")).toString(),
                  number(any.value(QStringLiteral("runningIntervalMs")).toDouble() / 1000, 0),
                  number(any.value(QStringLiteral("endedFirstMs")).toDouble() / 1000, 0),
                  number(any.value(QStringLiteral("endedMaxMs")).toDouble() / 1000, 0), number(speedup, 0),
                  number(field(any, QStringLiteral("running.productionMinutes"))
                          / (any.value(QStringLiteral("runningIntervalMs")).toDouble() / 60000),
                      0),
                  QString::number(any.value(QStringLiteral("batches")).toInt()),
                  QString::number(m.value(QStringLiteral("repetitions")).toInt()));

    QJsonObject summary;
    if (!main.isEmpty()) {
        md += QStringLiteral("## 200 pending exports in 5 stream groups\n\n");
        md += QStringLiteral("| Phase | Production time (min) | ListStreamSessions | GetStreamSession | **Tracker "
                             "requests/min** | Naive every 10 s, requests/min | Naive every 5 min, requests/min | "
                             "Naive (10 s) / tracker |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        auto ratio = [](const QJsonObject &o, const QString &phase) {
            const double t = field(o, phase + QStringLiteral(".requestsPerMinute"));
            const double n = field(o, phase + QStringLiteral(".naive10sPerMinute"));
            return t > 0 ? n / t : -1;
        };
        md += QStringLiteral("| Start: `resume()`, one look per group | %1 | %2 | %3 | | | | |\n")
                  .arg(cell(over(main, QStringLiteral("start.productionMinutes")), 2),
                      cell(over(main, QStringLiteral("start.listStreamSessions")), 0),
                      cell(over(main, QStringLiteral("start.getStreamSession")), 0));
        md += QStringLiteral("| Running: every session still runs | %1 | %2 | %3 | **%4** | %5 | %6 | %7× |\n")
                  .arg(cell(over(main, QStringLiteral("running.productionMinutes")), 1),
                      cell(over(main, QStringLiteral("running.listStreamSessions")), 0),
                      cell(over(main, QStringLiteral("running.getStreamSession")), 0),
                      cell(over(main, QStringLiteral("running.requestsPerMinute")), 2),
                      cell(over(main, QStringLiteral("running.naive10sPerMinute")), 0),
                      cell(over(main, QStringLiteral("running.naiveRunningIntervalPerMinute")), 0),
                      cell(overF(main, [&](const QJsonObject &o) { return ratio(o, QStringLiteral("running")); }), 0));
        md += QStringLiteral("| Ending: 4 batches of sessions end, until all SUCCEEDED | %1 | %2 | %3 | **%4** | %5 | "
                             "| %6× |\n")
                  .arg(cell(over(main, QStringLiteral("ending.productionMinutes")), 1),
                      cell(over(main, QStringLiteral("ending.listStreamSessions")), 0),
                      cell(over(main, QStringLiteral("ending.getStreamSession")), 0),
                      cell(over(main, QStringLiteral("ending.requestsPerMinute")), 1),
                      cell(over(main, QStringLiteral("ending.naive10sPerMinute")), 0),
                      cell(overF(main, [&](const QJsonObject &o) { return ratio(o, QStringLiteral("ending")); }), 1));
        md += QStringLiteral("| Whole life, start to the last SUCCEEDED | %1 | %2 | %3 | **%4** | %5 | | %6× |\n\n")
                  .arg(cell(over(main, QStringLiteral("life.productionMinutes")), 1),
                      cell(over(main, QStringLiteral("life.listStreamSessions")), 0),
                      cell(over(main, QStringLiteral("life.getStreamSession")), 0),
                      cell(over(main, QStringLiteral("life.requestsPerMinute")), 1),
                      cell(over(main, QStringLiteral("life.naive10sPerMinute")), 0),
                      cell(overF(main, [&](const QJsonObject &o) { return ratio(o, QStringLiteral("life")); }), 1));
        summary.insert(QStringLiteral("main"),
            QJsonObject{{QStringLiteral("runningRequestsPerMinute"),
                            over(main, QStringLiteral("running.requestsPerMinute")).toJson()},
                {QStringLiteral("endingRequestsPerMinute"),
                    over(main, QStringLiteral("ending.requestsPerMinute")).toJson()},
                {QStringLiteral("lifeRequestsPerMinute"),
                    over(main, QStringLiteral("life.requestsPerMinute")).toJson()},
                {QStringLiteral("lifeNaiveOverTracker"),
                    overF(main, [&](const QJsonObject &o) { return ratio(o, QStringLiteral("life")); }).toJson()}});
    }

    md += QStringLiteral("## Scaling: exports and stream groups\n\n");
    md += QStringLiteral(
        "| Exports | Groups | Running: requests/min | … per group | Ending: requests/min | "
        "ListStreamSessions, whole life | GetStreamSession per export | Requests per export, whole "
        "life | Naive (10 s) / tracker, whole life |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    QJsonArray scaling;
    for (auto it = configs.cbegin(); it != configs.cend(); ++it) {
        const int groups = it.key().first;
        const int exports = it.key().second;
        const QList<QJsonObject> &list = it.value();
        const Spread running = over(list, QStringLiteral("running.requestsPerMinute"));
        const Spread perGroup = overF(
            list, [&](const QJsonObject &o) { return field(o, QStringLiteral("running.requestsPerMinute")) / groups; });
        const Spread getsPerExport = overF(
            list, [&](const QJsonObject &o) { return field(o, QStringLiteral("life.getStreamSession")) / exports; });
        const Spread naiveRatio = overF(list, [&](const QJsonObject &o) {
            const double t = field(o, QStringLiteral("life.requestsPerMinute"));
            return t > 0 ? field(o, QStringLiteral("life.naive10sPerMinute")) / t : -1;
        });
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9× |\n")
                  .arg(QString::number(exports), QString::number(groups), cell(running, 2), cell(perGroup, 2),
                      cell(over(list, QStringLiteral("ending.requestsPerMinute")), 1),
                      cell(over(list, QStringLiteral("life.listStreamSessions")), 0), cell(getsPerExport, 2),
                      cell(over(list, QStringLiteral("life.requestsPerExport")), 2), cell(naiveRatio, 0));
        scaling.append(QJsonObject{{QStringLiteral("exports"), exports}, {QStringLiteral("groups"), groups},
            {QStringLiteral("runs"), int(list.size())}, {QStringLiteral("runningRequestsPerMinute"), running.toJson()},
            {QStringLiteral("runningRequestsPerMinutePerGroup"), perGroup.toJson()},
            {QStringLiteral("endingRequestsPerMinute"),
                over(list, QStringLiteral("ending.requestsPerMinute")).toJson()},
            {QStringLiteral("lifeListStreamSessions"), over(list, QStringLiteral("life.listStreamSessions")).toJson()},
            {QStringLiteral("getStreamSessionPerExport"), getsPerExport.toJson()},
            {QStringLiteral("requestsPerExport"), over(list, QStringLiteral("life.requestsPerExport")).toJson()},
            {QStringLiteral("naiveOverTracker"), naiveRatio.toJson()}});
    }
    summary.insert(QStringLiteral("scaling"), scaling);

    // The goal: while exports are pending, requests follow the groups, not the exports.
    auto runningRate = [&](int groups, int exports) {
        return over(configs.value({groups, exports}), QStringLiteral("running.requestsPerMinute")).median;
    };
    if (configs.contains({5, 50}) && configs.contains({5, 400}) && configs.contains({20, 200})) {
        const double byExports = runningRate(5, 400) / std::max(0.01, runningRate(5, 50));
        const double byGroups = runningRate(20, 200) / std::max(0.01, runningRate(5, 200));
        const bool met = byExports < 2 && byGroups > 2;
        md += QStringLiteral("\n## Goal: requests grow with the number of groups, not exports\n\n");
        md += QStringLiteral("%1. While exports are pending, 8× the exports (50 → 400, 5 groups) changes the rate "
                             "%2×; 4× the groups (5 → 20, 200 exports) changes it %3×. Beyond the listings, each "
                             "export costs one GetStreamSession over its whole life (the outcome and its OutputUri, "
                             "read once when its session leaves the PENDING listing): the ending rows grow with "
                             "the exports by that much and no more.\n")
                  .arg(met ? QStringLiteral("**Met**") : QStringLiteral("**Not met**"), number(byExports, 2),
                      number(byGroups, 2));
        summary.insert(QStringLiteral("goal"),
            QJsonObject{{QStringLiteral("met"), met}, {QStringLiteral("runningRateExports8x"), byExports},
                {QStringLiteral("runningRateGroups4x"), byGroups}});
    }

    md += QStringLiteral("\n## Checks\n\n");
    md += QStringLiteral("- %1 runs: every export SUCCEEDED in %2; the emulator's counts equal the tracker's own in "
                         "%3; ListStreamSessionsByAccount (costly) sent %4 times; throttled %5 times; other failed "
                         "looks %6.\n")
              .arg(QString::number(runs), notSucceeded == 0 ? QStringLiteral("all") : QStringLiteral("**not all**"),
                  mismatched == 0 ? QStringLiteral("all") : QStringLiteral("**%1 differ**").arg(mismatched),
                  QString::number(byAccount), QString::number(throttled), QString::number(errors));
    summary.insert(QStringLiteral("checks"),
        QJsonObject{{QStringLiteral("runs"), runs}, {QStringLiteral("notAllSucceeded"), notSucceeded},
            {QStringLiteral("countsDiffer"), mismatched}, {QStringLiteral("listStreamSessionsByAccount"), byAccount},
            {QStringLiteral("throttled"), throttled}, {QStringLiteral("otherFailures"), errors}});

    return writeReportFiles(markdownPath, md, jsonPath,
        QJsonObject{{QStringLiteral("meta"), m}, {QStringLiteral("summary"), summary}, {QStringLiteral("raw"), raw}},
        error);
}

} // namespace gls::bench
