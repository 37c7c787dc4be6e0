#include "DrillReport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace gls::drill {

namespace {

QString lastErrorLine(const QByteArray &err)
{
    const QList<QByteArray> lines = err.trimmed().split('\n');
    QString line = QString::fromUtf8(lines.isEmpty() ? QByteArray() : lines.last()).simplified();
    // --json errors: {"error": {"type": ..., "message": ...}}
    const QJsonObject e = QJsonDocument::fromJson(line.toUtf8()).object().value(QStringLiteral("error")).toObject();
    if (!e.isEmpty())
        line = e.value(QStringLiteral("type")).toString() + QStringLiteral(": ") + e.value(QStringLiteral("message")).toString();
    return line.size() > 140 ? line.left(140) + QStringLiteral("...") : line;
}

} // namespace

RunSummary::RunSummary(const QList<RunResult> &list)
{
    for (const RunResult &r : list) {
        ++runs;
        ++outcomes[r.outcome()];
        if (r.crashed || r.timedOut)
            ++crashes;
        if (!r.killed && !r.ok())
            ++errors[lastErrorLine(r.err)];
    }
}

QJsonObject RunSummary::toJson() const
{
    QJsonObject o, e;
    for (auto it = outcomes.cbegin(); it != outcomes.cend(); ++it)
        o.insert(it.key(), it.value());
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        e.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("runs"), runs}, {QStringLiteral("crashes"), crashes},
                       {QStringLiteral("outcomes"), o}, {QStringLiteral("errors"), e}};
}

QJsonObject requestsPerExport(const QJsonObject &stats, int exports)
{
    const QJsonObject counts = stats.value(QStringLiteral("requests")).toObject();
    const QJsonObject statuses = stats.value(QStringLiteral("statuses")).toObject();
    QJsonObject perOperation;
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        perOperation.insert(it.key(), QJsonObject{{QStringLiteral("requests"), it.value().toInt()},
                                                  {QStringLiteral("perExport"), exports > 0 ? it.value().toDouble() / exports : 0},
                                                  {QStringLiteral("statuses"), statuses.value(it.key())}});
    }
    const int total = stats.value(QStringLiteral("total")).toInt();
    return QJsonObject{{QStringLiteral("total"), total},
                       {QStringLiteral("totalPerExport"), exports > 0 ? double(total) / exports : 0},
                       {QStringLiteral("operations"), perOperation}};
}

QString requestsMarkdown(const QJsonObject &requests)
{
    QString md = QStringLiteral("| Operation | Requests | Per export | Answers by status |\n|---|---|---|---|\n");
    const QJsonObject ops = requests.value(QStringLiteral("operations")).toObject();
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        const QJsonObject op = it.value().toObject();
        QStringList byStatus;
        const QJsonObject st = op.value(QStringLiteral("statuses")).toObject();
        for (auto s = st.begin(); s != st.end(); ++s)
            byStatus.append(QStringLiteral("%1: %2").arg(s.key()).arg(s.value().toInt()));
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                  .arg(it.key())
                  .arg(op.value(QStringLiteral("requests")).toInt())
                  .arg(op.value(QStringLiteral("perExport")).toDouble(), 0, 'f', 2)
                  .arg(byStatus.join(QStringLiteral(", ")));
    }
    md += QStringLiteral("| all | %1 | %2 | |\n")
              .arg(requests.value(QStringLiteral("total")).toInt())
              .arg(requests.value(QStringLiteral("totalPerExport")).toDouble(), 0, 'f', 2);
    return md;
}

QString outcomesText(const QJsonObject &runSummary)
{
    QStringList parts;
    const QJsonObject o = runSummary.value(QStringLiteral("outcomes")).toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        parts.append(QStringLiteral("%1: %2").arg(it.key()).arg(it.value().toInt()));
    return parts.join(QStringLiteral(", "));
}

QString problemsMarkdown(const QJsonObject &report, const QJsonObject &outcome)
{
    QString md;
    const QJsonObject reasons = outcome.value(QStringLiteral("failReasons")).toObject();
    if (!reasons.isEmpty()) {
        md += QStringLiteral("\n## Why exports are FAILED in the store\n\n");
        for (auto it = reasons.begin(); it != reasons.end(); ++it)
            md += QStringLiteral("- %1 x %2\n").arg(it.value().toInt()).arg(it.key());
    }
    QStringList errors;
    for (const char *key : {"exportRuns", "watchRun", "secondWatchRun", "runs", "settleRuns"}) {
        const QJsonObject e = report.value(QLatin1String(key)).toObject().value(QStringLiteral("errors")).toObject();
        for (auto it = e.begin(); it != e.end(); ++it)
            errors.append(QStringLiteral("- %1 x `%2`").arg(it.value().toInt()).arg(it.key()));
    }
    if (!errors.isEmpty())
        md += QStringLiteral("\n## Errors the programs reported (last stderr line)\n\n") + errors.join(QLatin1Char('\n'))
            + QLatin1Char('\n');
    const QJsonArray problems = outcome.value(QStringLiteral("problems")).toArray();
    md += QStringLiteral("\n## Findings\n\n");
    if (problems.isEmpty())
        md += QStringLiteral("None: no export lost, duplicated or half-written.\n");
    for (qsizetype i = 0; i < problems.size() && i < 40; ++i)
        md += QStringLiteral("- %1\n").arg(problems.at(i).toString());
    if (problems.size() > 40)
        md += QStringLiteral("- ... and %1 more (see the JSON)\n").arg(problems.size() - 40);
    return md;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

} // namespace gls::drill
