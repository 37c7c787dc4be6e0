#include "GuiBenchReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

namespace gls::bench {

namespace {

using gls::bench::spreadOf; // the QList overload, beside this one

// A field of each row; "stall.maxMs" reads a nested one.
Spread spreadOf(const QJsonArray &rows, const QString &field, double scale = 1)
{
    QList<double> values;
    const QStringList path = field.split(QLatin1Char('.'));
    for (const QJsonValue &row : rows) {
        QJsonValue v = row;
        for (const QString &key : path)
            v = v.toObject().value(key);
        values.append(v.toDouble(-1) * scale);
    }
    return spreadOf(values);
}

QJsonArray select(const QJsonArray &raw, const QString &kind, bool skipRepZero = false)
{
    QJsonArray out;
    for (const QJsonValue &v : raw) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("kind")).toString() == kind
            && !(skipRepZero && o.value(QStringLiteral("rep")).toInt() == 0))
            out.append(o);
    }
    return out;
}

QJsonArray ofWiring(const QJsonArray &rows, const QString &wiring)
{
    QJsonArray out;
    for (const QJsonValue &v : rows) {
        if (v.toObject().value(QStringLiteral("wiring")).toString() == wiring)
            out.append(v);
    }
    return out;
}

QString stallRow(const QString &label, const QJsonArray &rows, const QString &lengthField)
{
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
        .arg(label, cell(spreadOf(rows, QStringLiteral("stall.maxMs")), 1),
            cell(spreadOf(rows, QStringLiteral("stall.p99Ms")), 1),
            cell(spreadOf(rows, QStringLiteral("stall.over16Ms")), 0),
            cell(spreadOf(rows, QStringLiteral("stall.over50Ms")), 0), cell(spreadOf(rows, lengthField), 0));
}

} // namespace

bool writeGuiReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error)
{
    QJsonArray raw;
    QJsonObject m;
    if (!readJsonLines(input, &raw, &m, error))
        return false;

    const QJsonArray loads = ofWiring(select(raw, QStringLiteral("guiLoad")), QStringLiteral("app"));
    const QJsonArray refreshes = ofWiring(select(raw, QStringLiteral("guiRefresh")), QStringLiteral("app"));
    const QJsonArray unpacedLoads = ofWiring(select(raw, QStringLiteral("guiLoad")), QStringLiteral("unpaced"));
    const QJsonArray unpacedRefreshes = ofWiring(select(raw, QStringLiteral("guiRefresh")), QStringLiteral("unpaced"));
    const QJsonArray cli = select(raw, QStringLiteral("awsCli"));
    const QJsonArray memory = ofWiring(select(raw, QStringLiteral("guiMemory"), true), QStringLiteral("app"));
    const QJsonObject emulator = select(raw, QStringLiteral("emulator")).at(0).toObject();
    QJsonArray finalMemory;
    for (const QJsonValue &v : select(raw, QStringLiteral("guiMemory"))) {
        if (v.toObject().value(QStringLiteral("rep")).toInt() == 0)
            finalMemory.append(v);
    }

    const Spread built = spreadOf(loads, QStringLiteral("builtMs"));
    const Spread shown = spreadOf(loads, QStringLiteral("windowShownMs"));
    const Spread firstPage = spreadOf(loads, QStringLiteral("firstPageMs"));
    const Spread populated = spreadOf(loads, QStringLiteral("populatedMs"));
    const Spread cliMs = spreadOf(cli, QStringLiteral("ms"));
    QList<double> ratios;
    for (qsizetype i = 0; i < std::min(loads.size(), cli.size()); ++i) {
        const double gui = loads.at(i).toObject().value(QStringLiteral("populatedMs")).toDouble();
        if (gui > 0)
            ratios.append(cli.at(i).toObject().value(QStringLiteral("ms")).toDouble() / gui);
    }
    const Spread ratio = spreadOf(ratios);
    const Spread refreshMs = spreadOf(refreshes, QStringLiteral("ms"));
    const Spread hwm = spreadOf(memory, QStringLiteral("vmHwmKiB"), 1.0 / 1024);
    const double finalHwm = finalMemory.isEmpty()
        ? -1
        : finalMemory.first().toObject().value(QStringLiteral("vmHwmKiB")).toDouble() / 1024;
    const int rows = loads.isEmpty() ? 0 : loads.first().toObject().value(QStringLiteral("rows")).toInt();

    QString md = QStringLiteral("# GUI benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral("`gls-emulator %1` (ready in %2 ms), QT_QPA_PLATFORM=offscreen. Each cell is the median "
                         "over %3 repetitions (a fresh window each), with the spread (min–max) in parentheses.\n\n")
              .arg(emulator.value(QStringLiteral("args")).toString())
              .arg(emulator.value(QStringLiteral("startupMs")).toInt())
              .arg(loads.size());

    md += QStringLiteral("## Time to a usable list (%1 sessions)\n\n").arg(number(rows, 0));
    md += QStringLiteral("| Figure | ms |\n|---|---:|\n");
    md += QStringLiteral("| Context and window built (before the event loop; nothing on screen yet) | %1 |\n")
              .arg(cell(built, 0));
    md += QStringLiteral("| Window shown | %1 |\n").arg(cell(shown, 0));
    md += QStringLiteral("| First page (100 rows) in the table | %1 |\n").arg(cell(firstPage, 0));
    md += QStringLiteral("| Table populated: loader finished, %1 rows | %2 |\n")
              .arg(number(rows, 0), cell(populated, 0));
    md += QStringLiteral("| AWS CLI: `list-stream-sessions-by-account --page-size 100`, every page | %1 |\n")
              .arg(cell(cliMs, 0));
    md += QStringLiteral("| AWS CLI time / GUI time (per repetition) | %1× |\n").arg(cell(ratio, 2));
    if (!unpacedLoads.isEmpty()) {
        md += QStringLiteral("| Diagnostic, transport pacing off: first page | %1 |\n")
                  .arg(cell(spreadOf(unpacedLoads, QStringLiteral("firstPageMs")), 0));
        md += QStringLiteral("| Diagnostic, transport pacing off: table populated | %1 |\n")
                  .arg(cell(spreadOf(unpacedLoads, QStringLiteral("populatedMs")), 0));
        md += QStringLiteral("| Diagnostic, transport pacing off: refresh | %1 |\n")
                  .arg(cell(spreadOf(unpacedRefreshes, QStringLiteral("ms")), 0));
    }
    md += QStringLiteral("| Refresh of every row, app wiring (%1 refreshes) | %2 |\n\n")
              .arg(refreshes.size())
              .arg(cell(refreshMs, 0));

    md += QStringLiteral("## GUI thread stalls (lateness of a 5 ms timer)\n\n");
    md += QStringLiteral(
        "The timer starts when the window is shown, where gls-exporter enters its event loop. Building the "
        "context and the window comes before that, with no window on screen to freeze: it is the first row "
        "above, and part of every time to the table.\n\n");
    md += QStringLiteral("| Phase | Longest stall (ms) | p99 lateness (ms) | Ticks > 16 ms | Ticks > 50 ms | Phase "
                         "length (ms) |\n|---|---:|---:|---:|---:|---:|\n");
    md += stallRow(QStringLiteral("Launch to populated table (%1 windows)").arg(loads.size()), loads,
        QStringLiteral("stall.windowMs"));
    md += stallRow(
        QStringLiteral("Refresh (%1 refreshes)").arg(refreshes.size()), refreshes, QStringLiteral("stall.windowMs"));
    if (!unpacedLoads.isEmpty()) {
        md += stallRow(QStringLiteral("Pacing off: launch to populated table (%1 windows)").arg(unpacedLoads.size()),
            unpacedLoads, QStringLiteral("stall.windowMs"));
        md += stallRow(QStringLiteral("Pacing off: refresh (%1 refreshes)").arg(unpacedRefreshes.size()),
            unpacedRefreshes, QStringLiteral("stall.windowMs"));
    }
    md += u'\n';
    md += QStringLiteral("Where the longest stall of each launch began (ms after the window was shown): %1.\n\n")
              .arg([&] {
                  QStringList at;
                  for (const QJsonValue &v : loads)
                      at.append(number(v.toObject()
                                           .value(QStringLiteral("stall"))
                                           .toObject()
                                           .value(QStringLiteral("maxAtMs"))
                                           .toDouble(),
                          0));
                  return at.join(QStringLiteral(", "));
              }());

    {
        // The run's longest stall, and whether the GUI thread was working or not running during it.
        QJsonObject worst;
        for (const QJsonArray &rows : {loads, refreshes, unpacedLoads, unpacedRefreshes}) {
            for (const QJsonValue &v : rows) {
                const double ms
                    = v.toObject().value(QStringLiteral("stall")).toObject().value(QStringLiteral("maxMs")).toDouble();
                if (ms > worst.value(QStringLiteral("stall")).toObject().value(QStringLiteral("maxMs")).toDouble(-1))
                    worst = v.toObject();
            }
        }
        const QJsonObject stall = worst.value(QStringLiteral("stall")).toObject();
        if (!worst.isEmpty()) {
            md += QStringLiteral(
                "The run's longest stall: %1 ms (%2 wiring, repetition %3, %4). The GUI thread used %5 ms "
                "of CPU during it and was preempted %6 times: CPU close to the stall means the "
                "thread was working; far below it, the thread was waiting or not scheduled.\n\n")
                      .arg(number(stall.value(QStringLiteral("maxMs")).toDouble(), 1),
                          worst.value(QStringLiteral("wiring")).toString(),
                          QString::number(worst.value(QStringLiteral("rep")).toInt()),
                          worst.value(QStringLiteral("kind")).toString() == QLatin1String("guiLoad")
                              ? QStringLiteral("launch")
                              : QStringLiteral("refresh %1").arg(worst.value(QStringLiteral("refresh")).toInt()),
                          number(stall.value(QStringLiteral("maxCpuMs")).toDouble(), 1),
                          number(stall.value(QStringLiteral("maxPreempted")).toDouble(), 0));
        }
    }

    md += QStringLiteral("## Memory\n\n");
    md += QStringLiteral("Peak RSS of the benchmark process (`VmHWM`: the window, its %1 rows, the network stack; "
                         "the process also holds the QApplication): %2 MiB after the first repetition, %3 MiB at "
                         "the end of the run. After each repetition: %4 MiB.\n")
              .arg(number(rows, 0),
                  number(memory.isEmpty()
                          ? -1
                          : memory.first().toObject().value(QStringLiteral("vmHwmKiB")).toDouble() / 1024,
                      0),
                  number(finalHwm, 0), cell(hwm, 0));

    const QJsonObject summary{{QStringLiteral("builtMs"), built.toJson()},
        {QStringLiteral("windowShownMs"), shown.toJson()}, {QStringLiteral("firstPageMs"), firstPage.toJson()},
        {QStringLiteral("populatedMs"), populated.toJson()}, {QStringLiteral("awsCliMs"), cliMs.toJson()},
        {QStringLiteral("awsCliOverGui"), ratio.toJson()}, {QStringLiteral("refreshMs"), refreshMs.toJson()},
        {QStringLiteral("loadStallMaxMs"), spreadOf(loads, QStringLiteral("stall.maxMs")).toJson()},
        {QStringLiteral("loadStallP99Ms"), spreadOf(loads, QStringLiteral("stall.p99Ms")).toJson()},
        {QStringLiteral("refreshStallMaxMs"), spreadOf(refreshes, QStringLiteral("stall.maxMs")).toJson()},
        {QStringLiteral("refreshStallP99Ms"), spreadOf(refreshes, QStringLiteral("stall.p99Ms")).toJson()},
        {QStringLiteral("unpacedPopulatedMs"), spreadOf(unpacedLoads, QStringLiteral("populatedMs")).toJson()},
        {QStringLiteral("unpacedRefreshMs"), spreadOf(unpacedRefreshes, QStringLiteral("ms")).toJson()},
        {QStringLiteral("unpacedLoadStallMaxMs"), spreadOf(unpacedLoads, QStringLiteral("stall.maxMs")).toJson()},
        {QStringLiteral("unpacedRefreshStallMaxMs"),
            spreadOf(unpacedRefreshes, QStringLiteral("stall.maxMs")).toJson()},
        {QStringLiteral("peakRssMiB"), finalHwm}, {QStringLiteral("rows"), rows}};

    return writeReportFiles(markdownPath, md, jsonPath,
        QJsonObject{{QStringLiteral("meta"), m}, {QStringLiteral("summary"), summary}, {QStringLiteral("raw"), raw}},
        error);
}

} // namespace gls::bench
