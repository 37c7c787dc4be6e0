#include "DownloadReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace gls::bench {

namespace {

QString str(const QJsonObject &o, const char *field)
{
    return o.value(QLatin1String(field)).toString();
}

double num(const QJsonObject &o, const char *field)
{
    return o.value(QLatin1String(field)).toDouble(-1);
}

// Rows of `kind` whose `field` is `value` (any when `field` is null).
QList<QJsonObject> rows(const QJsonArray &raw, const QString &kind, const char *field = nullptr,
    const QString &value = {}, const char *field2 = nullptr, const QString &value2 = {})
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : raw) {
        const QJsonObject o = v.toObject();
        if (str(o, "kind") != kind)
            continue;
        if (field && str(o, field) != value)
            continue;
        if (field2 && str(o, field2) != value2)
            continue;
        out.append(o);
    }
    return out;
}

// f(row) for every row.
template <typename F>
Spread over(const QList<QJsonObject> &list, F f)
{
    QList<double> values;
    for (const QJsonObject &o : list)
        values.append(f(o));
    return spreadOf(values);
}

// Per repetition: ourFigure(ours) / peerFigure(peer) for the repetitions both have.
template <typename F, typename G>
Spread ratios(const QList<QJsonObject> &ours, const QList<QJsonObject> &peer, F ourFigure, G peerFigure)
{
    QHash<int, double> peerByRep;
    for (const QJsonObject &o : peer)
        peerByRep.insert(o.value(QStringLiteral("rep")).toInt(), peerFigure(o));
    QList<double> values;
    for (const QJsonObject &o : ours) {
        const int rep = o.value(QStringLiteral("rep")).toInt();
        if (peerByRep.value(rep) > 0 && ourFigure(o) > 0)
            values.append(ourFigure(o) / peerByRep.value(rep));
    }
    return spreadOf(values);
}

double processMBps(const QJsonObject &o)
{
    const double bytes = num(o, "fileBytes");
    const double secs = num(o, "wallMs") / 1000;
    return bytes > 0 && secs > 0 ? bytes / secs / 1e6 : -1;
}

double processCpu(const QJsonObject &o)
{
    return (num(o, "userCpuMs") + num(o, "sysCpuMs")) / 1000;
}

double wallSeconds(const QJsonObject &o)
{
    return num(o, "wallMs") / 1000;
}

double mib(double kib)
{
    return kib < 0 ? -1 : kib / 1024;
}

} // namespace

bool writeDownloadReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error)
{
    QJsonArray raw;
    QJsonObject m;
    if (!readJsonLines(input, &raw, &m, error))
        return false;

    const QList<QJsonObject> cli
        = rows(raw, QStringLiteral("run"), "client", QStringLiteral("cli"), "object", QStringLiteral("big"));
    const QList<QJsonObject> cliTiny
        = rows(raw, QStringLiteral("run"), "client", QStringLiteral("cli"), "object", QStringLiteral("tiny"));
    const QList<QJsonObject> curl
        = rows(raw, QStringLiteral("run"), "client", QStringLiteral("curl"), "object", QStringLiteral("big"));
    const QList<QJsonObject> coordinator = rows(raw, QStringLiteral("inproc"), "via", QStringLiteral("coordinator"));
    const QList<QJsonObject> job = rows(raw, QStringLiteral("inproc"), "via", QStringLiteral("job"));
    const QList<QJsonObject> hashes = rows(raw, QStringLiteral("sha256"));

    auto inprocMBps = [](const QJsonObject &o) { return num(o, "bytesPerSecond") / 1e6; };
    auto inprocLastByteMBps = [](const QJsonObject &o) {
        const double s = num(o, "lastByteSeconds");
        return s > 0 ? num(o, "fileBytes") / s / 1e6 : -1;
    };
    auto inprocCpu = [](const QJsonObject &o) { return num(o, "userSeconds") + num(o, "systemSeconds"); };
    // Per repetition, the CLI's peak RSS with the big object minus with the tiny one.
    QHash<int, double> tinyRss;
    for (const QJsonObject &o : cliTiny)
        tinyRss.insert(o.value(QStringLiteral("rep")).toInt(), num(o, "maxRssKiB"));
    QList<double> cliGrowth;
    for (const QJsonObject &o : cli) {
        const int rep = o.value(QStringLiteral("rep")).toInt();
        if (tinyRss.contains(rep))
            cliGrowth.append(mib(num(o, "maxRssKiB") - tinyRss.value(rep)));
    }

    const Spread cliMBps = over(cli, processMBps);
    const Spread curlMBps = over(curl, processMBps);
    const Spread coordMBps = over(coordinator, inprocMBps);
    const Spread coordLastMBps = over(coordinator, inprocLastByteMBps);
    const Spread jobMBps = over(job, inprocMBps);
    const Spread cliVsCurl = ratios(cli, curl, processMBps, processMBps);
    const Spread coordVsCurl = ratios(coordinator, curl, inprocMBps, processMBps);
    const Spread coordLastVsCurl = ratios(coordinator, curl, inprocLastByteMBps, processMBps);
    const Spread jobVsCurl = ratios(job, curl, inprocMBps, processMBps);
    const Spread cliCpuOverCurl = ratios(cli, curl, processCpu, processCpu);
    const Spread cliGrowthMiB = spreadOf(cliGrowth);
    const Spread coordGrowthMiB = over(coordinator, [](const QJsonObject &o) { return mib(num(o, "rssGrowthKiB")); });
    const Spread jobGrowthMiB = over(job, [](const QJsonObject &o) { return mib(num(o, "rssGrowthKiB")); });

    // Checks: every big file the same size as the object, SHA-256 the same everywhere.
    qint64 objectBytes = -1;
    for (const QJsonObject &o : coordinator + job)
        objectBytes = qint64(num(o, "objectBytes"));
    QStringList sizeProblems;
    int files = 0;
    auto checkSize = [&](const QString &who, const QJsonObject &o, const char *field) {
        ++files;
        const qint64 got = qint64(num(o, field));
        if (objectBytes < 0)
            objectBytes = got;
        if (got != objectBytes)
            sizeProblems.append(QStringLiteral("%1 rep %2: %3 bytes")
                                    .arg(who, QString::number(o.value(QStringLiteral("rep")).toInt()), number(got, 0)));
        if (o.contains(QStringLiteral("exitCode")) && o.value(QStringLiteral("exitCode")).toInt() != 0)
            sizeProblems.append(QStringLiteral("%1 rep %2: exit code %3")
                                    .arg(who, QString::number(o.value(QStringLiteral("rep")).toInt()),
                                        QString::number(o.value(QStringLiteral("exitCode")).toInt())));
    };
    for (const QJsonObject &o : coordinator + job)
        checkSize(QStringLiteral("in process"), o, "fileBytes");
    for (const QJsonObject &o : cli)
        checkSize(QStringLiteral("gls-exporter-cli"), o, "fileBytes");
    for (const QJsonObject &o : curl)
        checkSize(QStringLiteral("curl"), o, "fileBytes");
    QSet<QString> digests;
    QStringList hashedBy;
    for (const QJsonObject &o : hashes) {
        digests.insert(str(o, "sha256"));
        hashedBy.append(str(o, "client"));
    }
    for (const QJsonObject &o : coordinator) {
        if (!str(o, "sha256").isEmpty()) {
            digests.insert(str(o, "sha256"));
            hashedBy.append(
                QStringLiteral("the export store (coordinator, rep %1)").arg(o.value(QStringLiteral("rep")).toInt()));
        }
    }
    const bool sha256Agree = digests.size() == 1 && !hashedBy.isEmpty();

    QString md = QStringLiteral("# Download benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral("One %1-byte archive, `s3://gls-exports/bench/big.zip` on `gls-emulator %2`, downloaded over "
                         "TLS into a temporary folder on the same disk (%3), deleted after each download. Each "
                         "repetition runs the clients one after the other (the order turns each repetition). Each cell "
                         "is the median over %4 repetitions, with the spread (min–max) in parentheses. MB = "
                         "1,000,000 bytes.\n\n")
              .arg(number(double(objectBytes), 0), str(m, "emulatorArgs"), str(m, "disk"))
              .arg(m.value(QStringLiteral("repetitions")).toInt());

    md += QStringLiteral("## Throughput\n\n");
    md += QStringLiteral(
        "| Client | MB/s | vs curl, per repetition (goal ≥ 0.80) | Wall time (s) | CPU time (s, user + "
        "system) |\n|---|---:|---:|---:|---:|\n");
    md += QStringLiteral("| `gls-exporter-cli download`: process start to exit | %1 | %2× | %3 | %4 |\n")
              .arg(cell(cliMBps, 0), cell(cliVsCurl, 2), cell(over(cli, wallSeconds), 2),
                  cell(over(cli, processCpu), 2));
    if (!coordinator.isEmpty()) {
        md += QStringLiteral("| Desktop app's path, `ExportCoordinator::download` in process: to the SHA-256 in the "
                             "store | %1 | %2× | %3 | %4 |\n")
                  .arg(cell(coordMBps, 0), cell(coordVsCurl, 2),
                      cell(over(coordinator, [](const QJsonObject &o) { return num(o, "seconds"); }), 2),
                      cell(over(coordinator, inprocCpu), 2));
        md += QStringLiteral("| … the same, to its last byte on disk | %1 | %2× | %3 | |\n")
                  .arg(cell(coordLastMBps, 0), cell(coordLastVsCurl, 2),
                      cell(over(coordinator, [](const QJsonObject &o) { return num(o, "lastByteSeconds"); }), 2));
    }
    if (!job.isEmpty()) {
        md += QStringLiteral("| `s3::DownloadJob` alone in process (what the CLI runs) | %1 | %2× | %3 | %4 |\n")
                  .arg(cell(jobMBps, 0), cell(jobVsCurl, 2),
                      cell(over(job, [](const QJsonObject &o) { return num(o, "seconds"); }), 2),
                      cell(over(job, inprocCpu), 2));
    }
    md += QStringLiteral(
        "| curl (peer): presigned URL from `gls-exporter-cli presign`, `-o FILE` | %1 | 1.00× | %2 | %3 "
        "|\n\n")
              .arg(cell(curlMBps, 0), cell(over(curl, wallSeconds), 2), cell(over(curl, processCpu), 2));

    md += QStringLiteral("## Memory\n\n| Figure | MiB |\n|---|---:|\n");
    md += QStringLiteral("| `gls-exporter-cli download` peak RSS (ru_maxrss), the 1 GiB object | %1 |\n")
              .arg(cell(over(cli, [](const QJsonObject &o) { return mib(num(o, "maxRssKiB")); }), 1));
    md += QStringLiteral("| `gls-exporter-cli download` peak RSS, a %1-byte object (baseline) | %2 |\n")
              .arg(number(cliTiny.isEmpty() ? 0 : num(cliTiny.first(), "fileBytes"), 0),
                  cell(over(cliTiny, [](const QJsonObject &o) { return mib(num(o, "maxRssKiB")); }), 1));
    md += QStringLiteral("| **CLI growth: 1 GiB minus baseline, per repetition** (goal < 32) | **%1** |\n")
              .arg(cell(cliGrowthMiB, 1));
    if (!coordinator.isEmpty()) {
        md += QStringLiteral("| Coordinator in process: RSS before the download (after a HeadObject warm-up) | %1 |\n")
                  .arg(cell(over(coordinator, [](const QJsonObject &o) { return mib(num(o, "rssBeforeKiB")); }), 1));
        md += QStringLiteral("| **Coordinator growth: peak RSS during minus before** (sampled every 2 ms; goal < 32) | "
                             "**%1** |\n")
                  .arg(cell(coordGrowthMiB, 1));
    }
    if (!job.isEmpty())
        md += QStringLiteral("| DownloadJob alone: peak RSS during minus before | %1 |\n").arg(cell(jobGrowthMiB, 1));
    md += QStringLiteral("| curl peak RSS (ru_maxrss), the 1 GiB object | %1 |\n\n")
              .arg(cell(over(curl, [](const QJsonObject &o) { return mib(num(o, "maxRssKiB")); }), 1));

    if (!coordinator.isEmpty()) {
        // The desktop app downloads on its GUI thread: how long that thread is kept from other events.
        const auto stall = [](const char *field) {
            return [field](const QJsonObject &o) {
                return o.value(QStringLiteral("eventLoopStall")).toObject().value(QLatin1String(field)).toDouble();
            };
        };
        md += QStringLiteral("## The downloading thread (the desktop app's GUI thread)\n\n"
                             "| Figure | ms |\n|---|---:|\n");
        md += QStringLiteral("| Longest lateness of a 5 ms timer during the coordinator's download | %1 |\n")
                  .arg(cell(over(coordinator, stall("maxMs")), 1));
        md += QStringLiteral("| 99th percentile lateness | %1 |\n\n").arg(cell(over(coordinator, stall("p99Ms")), 1));
    }

    md += QStringLiteral("## Checks\n\n");
    md += sizeProblems.isEmpty()
        ? QStringLiteral("- Sizes: all %1 downloaded files hold %2 bytes, the object's size.\n")
              .arg(files)
              .arg(number(double(objectBytes), 0))
        : QStringLiteral("- **Sizes or exit codes wrong**: %1.\n").arg(sizeProblems.join(QStringLiteral("; ")));
    md += sha256Agree
        ? QStringLiteral("- SHA-256 %1 the same from %2.\n").arg(*digests.cbegin(), hashedBy.join(QStringLiteral(", ")))
        : QStringLiteral("- **SHA-256 differ or missing**: %1 digests from %2.\n")
              .arg(digests.size())
              .arg(hashedBy.join(QStringLiteral(", ")));

    md += QStringLiteral("\n## Goals\n\n");
    auto met = [](bool ok) { return ok ? QStringLiteral("met") : QStringLiteral("**not met**"); };
    md += QStringLiteral("- Throughput ≥ 0.8 of curl: CLI %1 (median %2×)")
              .arg(met(cliVsCurl.median >= 0.8), number(cliVsCurl.median, 2));
    if (!coordinator.isEmpty())
        md += QStringLiteral(", desktop app's path %1 (median %2×)")
                  .arg(met(coordVsCurl.median >= 0.8), number(coordVsCurl.median, 2));
    md += QStringLiteral(". (Per repetition, the CLI used %1× curl's CPU time: on a loaded machine the "
                         "wall-time ratio follows it.)")
              .arg(number(cliCpuOverCurl.median, 1));
    md += QStringLiteral("\n- Memory growth < 32 MB: CLI %1 (median %2 MiB)")
              .arg(met(cliGrowthMiB.count > 0 && cliGrowthMiB.max < 32), number(cliGrowthMiB.median, 1));
    if (!coordinator.isEmpty())
        md += QStringLiteral(", desktop app's path %1 (median %2 MiB)")
                  .arg(met(coordGrowthMiB.count > 0 && coordGrowthMiB.max < 32), number(coordGrowthMiB.median, 1));
    md += QStringLiteral(".\n");

    const QJsonObject summary{
        {QStringLiteral("objectBytes"), objectBytes},
        {QStringLiteral("cliMBps"), cliMBps.toJson()},
        {QStringLiteral("curlMBps"), curlMBps.toJson()},
        {QStringLiteral("coordinatorMBps"), coordMBps.toJson()},
        {QStringLiteral("coordinatorLastByteMBps"), coordLastMBps.toJson()},
        {QStringLiteral("jobMBps"), jobMBps.toJson()},
        {QStringLiteral("cliVsCurl"), cliVsCurl.toJson()},
        {QStringLiteral("coordinatorVsCurl"), coordVsCurl.toJson()},
        {QStringLiteral("coordinatorLastByteVsCurl"), coordLastVsCurl.toJson()},
        {QStringLiteral("jobVsCurl"), jobVsCurl.toJson()},
        {QStringLiteral("cliCpuOverCurl"), cliCpuOverCurl.toJson()},
        {QStringLiteral("cliRssGrowthMiB"), cliGrowthMiB.toJson()},
        {QStringLiteral("coordinatorRssGrowthMiB"), coordGrowthMiB.toJson()},
        {QStringLiteral("jobRssGrowthMiB"), jobGrowthMiB.toJson()},
        {QStringLiteral("sizesOk"), sizeProblems.isEmpty()},
        {QStringLiteral("sha256Agree"), sha256Agree},
    };

    return writeReportFiles(markdownPath, md, jsonPath,
        QJsonObject{{QStringLiteral("meta"), m}, {QStringLiteral("summary"), summary}, {QStringLiteral("raw"), raw}},
        error);
}

} // namespace gls::bench
