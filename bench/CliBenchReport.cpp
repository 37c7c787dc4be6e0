#include "CliBenchReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <tuple>

namespace gls::bench {

namespace {

constexpr double kGoal = 0.10; // ours at most a tenth of the AWS CLI's time (issue 8)

QList<double> field(const QJsonArray &rows, const QString &name, double scale = 1)
{
    QList<double> values;
    for (const QJsonValue &row : rows)
        values.append(row.toObject().value(name).toDouble() * scale);
    return values;
}

// The measured lines (rep 0 is the warm-up) of one kind, scenario and tool, in repetition order.
QJsonArray rowsOf(const QJsonArray &raw, const QString &kind, const QString &scenario, const QString &tool)
{
    QList<QJsonObject> rows;
    for (const QJsonValue &v : raw) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("kind")).toString() == kind
            && o.value(QStringLiteral("scenario")).toString() == scenario
            && o.value(QStringLiteral("tool")).toString() == tool && o.value(QStringLiteral("rep")).toInt() > 0)
            rows.append(o);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("rep")).toInt() < b.value(QStringLiteral("rep")).toInt();
    });
    QJsonArray out;
    for (const QJsonObject &o : rows)
        out.append(o);
    return out;
}

struct Scenario {
    QString name;
    QString label;
    bool goal = true; // one of issue 8's goals (<= 0.10x); else a figure beside them
    QString awsScenario = {}; // whose AWS CLI runs are the peer's (default: this one's)
};

} // namespace

bool writeCliReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error)
{
    QJsonArray raw;
    QJsonObject m;
    if (!readJsonLines(input, &raw, &m, error))
        return false;

    const int sessions = m.value(QStringLiteral("sessions")).toInt();
    const QList<Scenario> scenarios{
        {QStringLiteral("list"),
            QStringLiteral("List every session (%1): `sessions --json` vs `list-stream-sessions-by-account "
                           "--page-size 100`, every page")
                .arg(number(sessions, 0))},
        {QStringLiteral("session"),
            QStringLiteral("One session: `session --json` vs `get-stream-session` (GetStreamSession)")},
        {QStringLiteral("export"),
            QStringLiteral("Export an ACTIVE session: `export --json` vs `export-stream-session-files`")},
        {QStringLiteral("export-history"),
            QStringLiteral("Export as above, with %1 finished exports in our history (the AWS CLI keeps none: "
                           "its figures are its export's above)")
                .arg(number(m.value(QStringLiteral("historyRows")).toInt(), 0)),
            true, QStringLiteral("export")},
        {QStringLiteral("list-latency"),
            QStringLiteral("List every session as above, each answer %1 ms late (`--fault-delay-ms`: a network's "
                           "round trip and the service's time)")
                .arg(m.value(QStringLiteral("latencyMs")).toInt()),
            false},
    };

    QString md = QStringLiteral("# CLI benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral("`gls-emulator %1`; the AWS CLI is %2. Each repetition runs a fresh process of each tool, "
                         "alternating which goes first, after one warm-up run of each that is not counted. Each "
                         "cell is the median over %3 repetitions, with the spread (min–max) in parentheses.\n\n")
              .arg(m.value(QStringLiteral("emulatorArgs")).toString(), m.value(QStringLiteral("awsCli")).toString())
              .arg(m.value(QStringLiteral("repetitions")).toInt());

    md += QStringLiteral("## Wall time: a fresh process, start to exit\n\n");
    md += QStringLiteral("| Command | gls-exporter-cli (ms) | AWS CLI (ms) | ours/AWS CLI | Goal ≤ %1× | CPU "
                         "ours/AWS CLI |\n|---|---:|---:|---:|---|---:|\n")
              .arg(number(kGoal, 2));
    QString details = QStringLiteral("## CPU and memory\n\n| Command | Tool | CPU, user + system (ms) | Peak RSS "
                                     "(MiB) | Output (bytes) |\n|---|---|---:|---:|---:|\n");
    QStringList problems;
    QJsonObject summary;
    for (const Scenario &s : scenarios) {
        const QJsonArray ours = rowsOf(raw, QStringLiteral("run"), s.name, QStringLiteral("ours"));
        const bool ownPeer = s.awsScenario.isEmpty();
        const QJsonArray aws
            = rowsOf(raw, QStringLiteral("run"), ownPeer ? s.name : s.awsScenario, QStringLiteral("aws"));
        if (ours.isEmpty() && aws.isEmpty())
            continue;
        QList<double> ratios, cpuRatios;
        const auto cpuOf = [](const QJsonValue &v) {
            return v.toObject().value(QStringLiteral("userCpuMs")).toDouble()
                + v.toObject().value(QStringLiteral("sysCpuMs")).toDouble();
        };
        for (qsizetype i = 0; i < std::min(ours.size(), aws.size()); ++i) {
            const double a = aws.at(i).toObject().value(QStringLiteral("wallMs")).toDouble();
            if (a > 0)
                ratios.append(ours.at(i).toObject().value(QStringLiteral("wallMs")).toDouble() / a);
            if (cpuOf(aws.at(i)) > 0)
                cpuRatios.append(cpuOf(ours.at(i)) / cpuOf(aws.at(i)));
        }
        const Spread ratio = spreadOf(ratios);
        const Spread cpuRatio = spreadOf(cpuRatios);
        const QString status = !s.goal           ? QStringLiteral("(no goal)")
                             : ratio.count == 0  ? QStringLiteral("n/a")
                             : ratio.max <= kGoal ? QStringLiteral("met")
                             : ratio.median <= kGoal
                                 ? QStringLiteral("met in the median")
                                 : QStringLiteral("**not met**");
        md += QStringLiteral("| %1 | %2 | %3 | %4× | %5 | %6× |\n")
                  .arg(s.label, cell(spreadOf(field(ours, QStringLiteral("wallMs"))), 0),
                      cell(spreadOf(field(aws, QStringLiteral("wallMs"))), 0), cell(ratio, 3), status,
                      cell(cpuRatio, 3));

        QJsonObject perTool;
        for (const auto &[tool, rows, name] :
            {std::tuple{QStringLiteral("ours"), ours, QStringLiteral("gls-exporter-cli")},
                std::tuple{QStringLiteral("aws"), aws, QStringLiteral("AWS CLI")}}) {
            if (tool == QLatin1String("aws") && !ownPeer)
                continue; // reported with its own scenario
            QList<double> cpu;
            for (const QJsonValue &v : rows) {
                const QJsonObject o = v.toObject();
                cpu.append(o.value(QStringLiteral("userCpuMs")).toDouble() + o.value(QStringLiteral("sysCpuMs")).toDouble());
                if (o.value(QStringLiteral("exitCode")).toInt() != 0)
                    problems.append(QStringLiteral("%1 `%2` exited with %3 in repetition %4")
                                        .arg(name, s.name)
                                        .arg(o.value(QStringLiteral("exitCode")).toInt())
                                        .arg(o.value(QStringLiteral("rep")).toInt()));
            }
            const QJsonArray checks = rowsOf(raw, QStringLiteral("check"), s.name, tool);
            for (const QJsonValue &v : checks) {
                const QJsonObject o = v.toObject();
                // A listing holds the seeded sessions plus those the exports before it started.
                const int expected = s.name.startsWith(QLatin1String("list"))
                    ? o.value(QStringLiteral("expect")).toInt(sessions)
                    : 1;
                // The AWS CLI prints nothing but {} for an export: only its exit code says it worked.
                const bool checkable = !(s.name.startsWith(QLatin1String("export")) && tool == QLatin1String("aws"));
                if (checkable && o.value(QStringLiteral("sessions")).toInt() != expected)
                    problems.append(QStringLiteral("%1 `%2` printed %3 sessions in repetition %4, not %5")
                                        .arg(name, s.name)
                                        .arg(o.value(QStringLiteral("sessions")).toInt())
                                        .arg(o.value(QStringLiteral("rep")).toInt())
                                        .arg(expected));
            }
            const Spread wall = spreadOf(field(rows, QStringLiteral("wallMs")));
            const Spread cpuMs = spreadOf(cpu);
            const Spread rss = spreadOf(field(rows, QStringLiteral("maxRssKiB"), 1.0 / 1024));
            const Spread bytes = spreadOf(field(checks, QStringLiteral("outputBytes")));
            details += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                           .arg(s.name, name, cell(cpuMs, 0), cell(rss, 1), cell(bytes, 0));
            perTool.insert(tool,
                QJsonObject{{QStringLiteral("wallMs"), wall.toJson()}, {QStringLiteral("cpuMs"), cpuMs.toJson()},
                    {QStringLiteral("maxRssMiB"), rss.toJson()}, {QStringLiteral("outputBytes"), bytes.toJson()}});
        }
        perTool.insert(QStringLiteral("oursOverAws"), ratio.toJson());
        perTool.insert(QStringLiteral("oursOverAwsCpu"), cpuRatio.toJson());
        perTool.insert(QStringLiteral("goal"), kGoal);
        perTool.insert(QStringLiteral("goalStatus"), status);
        summary.insert(s.name, perTool);
    }
    md += QStringLiteral("\nours/AWS CLI is our wall time over the AWS CLI's in the same repetition (median, min–max); "
                         "the goal is met when every repetition is at or under it. CPU ours/AWS CLI is the same "
                         "ratio of CPU time (user + system), which a busy machine disturbs less than wall time.\n\n");
    md += details;
    md += QStringLiteral("\nCPU is the process's own user + system time (`wait4`), peak RSS its `ru_maxrss`. Output "
                         "is what the command printed on stdout.\n\n");
    if (problems.isEmpty())
        md += QStringLiteral("Checks: every run exited 0; every listing printed every session (the %1 seeded ones "
                             "plus one per export run before it), every `session` and our `export` the session asked "
                             "for.\n")
                  .arg(number(sessions, 0));
    else
        md += QStringLiteral("**Checks failed:** %1.\n").arg(problems.join(QStringLiteral("; ")));
    summary.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));

    return writeReportFiles(markdownPath, md, jsonPath,
        QJsonObject{{QStringLiteral("meta"), m}, {QStringLiteral("summary"), summary}, {QStringLiteral("raw"), raw}},
        error);
}

} // namespace gls::bench
