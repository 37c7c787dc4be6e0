// gls-bench-tracker: the "tracker" benchmark. It starts nothing: give it the
// endpoint JSON line a running gls-emulator printed and the key in
// GLS_EMULATOR_ACCESS_KEYS. scripts/bench.sh (bench_tracker) starts one
// emulator per stream-group count and runs:
//
//   run --endpoint JSON --exports N [--speedup K] [--running-intervals R] [--store DIR] [--tag K=V]...
//       follows N pending exports with the app's ExportCoordinator and
//       ExportTracker (see TrackerBench.h); prints one JSON line
//   report --input RAW.jsonl --markdown OUT.md --json OUT.json

#include "BenchTarget.h"
#include "JsonLines.h"
#include "TrackerBench.h"
#include "TrackerReport.h"

#include "exports/TrackedExport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace gls::bench;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "gls-bench-tracker: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-bench-tracker"));
    qRegisterMetaType<gls::exports::TrackedExport>();
    // The app's info lines (one per finished export, the store's schema) would drown the figures.
    QLoggingCategory::setFilterRules(QStringLiteral("gls.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Requests sent to follow pending exports, counted by a running gls-emulator.\n\nCommands: run, report"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("run or report."));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"), QStringLiteral("The emulator's endpoint JSON."),
        QStringLiteral("file"), QStringLiteral("-"));
    const QCommandLineOption exportsOption(QStringLiteral("exports"), QStringLiteral("Pending exports (default 200)."),
        QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption speedup(QStringLiteral("speedup"),
        QStringLiteral("Tracker time runs this much faster (default 100)."), QStringLiteral("k"),
        QStringLiteral("100"));
    const QCommandLineOption intervals(QStringLiteral("running-intervals"),
        QStringLiteral("Running window, in running intervals (default 2)."), QStringLiteral("r"), QStringLiteral("2"));
    const QCommandLineOption store(
        QStringLiteral("store"), QStringLiteral("Folder for the export store."), QStringLiteral("dir"));
    const QCommandLineOption tag(
        QStringLiteral("tag"), QStringLiteral("NAME=VALUE copied into the output."), QStringLiteral("tag"));
    const QCommandLineOption input(
        QStringLiteral("input"), QStringLiteral("report: raw JSON lines."), QStringLiteral("file"));
    const QCommandLineOption markdown(
        QStringLiteral("markdown"), QStringLiteral("report: Markdown out."), QStringLiteral("file"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("report: JSON out."), QStringLiteral("file"));
    p.addOptions({endpoint, exportsOption, speedup, intervals, store, tag, input, markdown, json});
    p.process(app);

    const QString command = p.positionalArguments().value(0);
    QString error;
    if (command == QLatin1String("report")) {
        if (!p.isSet(input) || !p.isSet(markdown) || !p.isSet(json))
            return fail(QStringLiteral("report needs --input, --markdown and --json"));
        return writeTrackerReport(p.value(input), p.value(markdown), p.value(json), &error) ? 0 : fail(error);
    }
    if (command != QLatin1String("run"))
        return fail(command.isEmpty() ? QStringLiteral("give a command (--help)")
                                      : QStringLiteral("unknown command '%1' (--help)").arg(command));

    BenchTarget target;
    if (!BenchTarget::load(p.value(endpoint), &target, &error))
        return fail(error);
    TrackerRunOptions options;
    bool ok1 = false, ok2 = false, ok3 = false;
    options.exports = p.value(exportsOption).toInt(&ok1);
    options.speedup = p.value(speedup).toDouble(&ok2);
    options.runningIntervals = p.value(intervals).toDouble(&ok3);
    if (!ok1 || !ok2 || !ok3 || options.exports < 1 || options.speedup < 1 || options.speedup > 1000
        || options.runningIntervals <= 0)
        return fail(QStringLiteral("--exports (1 or more), --speedup (1 to 1000) and --running-intervals (> 0) take "
                                   "numbers"));
    QTemporaryDir temporary;
    options.storeFolder = p.isSet(store) ? p.value(store) : temporary.path();

    QJsonObject out;
    if (!runTrackerScenario(target, options, &out, &error))
        return fail(error);
    if (!addTags(p.values(tag), &out))
        return fail(QStringLiteral("--tag takes NAME=VALUE"));
    auto perMinute = [&out](const char *phase, const char *figure) {
        return out.value(QLatin1String(phase)).toObject().value(QLatin1String(figure)).toDouble();
    };
    std::fprintf(stderr,
        "  %d exports in %d groups: %.2f requests/min while running, %.1f while ending, %.1f over the whole "
        "life (naive, every 10 s: %.0f)\n",
        options.exports, out.value(QStringLiteral("groups")).toInt(), perMinute("running", "requestsPerMinute"),
        perMinute("ending", "requestsPerMinute"), perMinute("life", "requestsPerMinute"),
        perMinute("life", "naive10sPerMinute"));
    std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return 0;
}
