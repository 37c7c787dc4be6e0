#include "BenchReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QMap>

#include <algorithm>

namespace gls::bench {

namespace {

using gls::bench::spreadOf; // the QList overload, beside this one

Spread spreadOf(const QJsonArray &rows, const QString &field, double scale = 1)
{
    QList<double> values;
    for (const QJsonValue &row : rows)
        values.append(row.toObject().value(field).toDouble(-1) * scale);
    return spreadOf(values);
}

QString operationName(const QString &scenario)
{
    if (scenario == QLatin1String("get-session"))
        return QStringLiteral("GetStreamSession");
    if (scenario == QLatin1String("list-sessions"))
        return QStringLiteral("ListStreamSessionsByAccount, MaxResults=100");
    return scenario;
}

} // namespace

bool BenchReport::read(const QString &jsonLinesPath, QString *error)
{
    return readJsonLines(jsonLinesPath, &m_raw, &m_meta, error);
}

QJsonArray BenchReport::select(const QString &kind) const
{
    QJsonArray out;
    for (const QJsonValue &v : m_raw) {
        if (v.toObject().value(QStringLiteral("kind")).toString() == kind)
            out.append(v);
    }
    return out;
}

QString BenchReport::loadSection(QJsonObject *summary) const
{
    // Keyed by scenario then connections, in the order they first ran.
    QList<QPair<QString, int>> order;
    QMap<QPair<QString, int>, QJsonArray> groups;
    QJsonObject walk;
    for (const QJsonValue &v : select(QStringLiteral("load"))) {
        const QJsonObject o = v.toObject();
        const QPair<QString, int> key{o.value(QStringLiteral("scenario")).toString(),
                                      o.value(QStringLiteral("connections")).toInt()};
        if (!groups.contains(key))
            order.append(key);
        groups[key].append(o);
        if (o.contains(QStringLiteral("listingWalk")))
            walk = o.value(QStringLiteral("listingWalk")).toObject();
    }
    std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second;
    });

    QString md = QStringLiteral(
        "## Request load\n\n"
        "GameLift Streams API over TLS, keep-alive HTTP/1.1, one request in flight per connection, every request "
        "SigV4-signed; the emulator's throttling is off (`--rate-limit 0`).\n\n"
        "| Operation | Connections | Requests/s | p50 latency (ms) | p99 latency (ms) | Max latency (ms) | Errors | "
        "Emulator CPU | Emulator CPU per request (µs) | Client CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    QJsonArray rows;
    for (const auto &key : std::as_const(order)) {
        const QJsonArray runs = groups.value(key);
        const Spread rps = spreadOf(runs, QStringLiteral("requestsPerSecond"));
        const Spread p50 = spreadOf(runs, QStringLiteral("p50Ms"));
        const Spread p99 = spreadOf(runs, QStringLiteral("p99Ms"));
        const Spread worst = spreadOf(runs, QStringLiteral("maxMs"));
        const Spread emu = spreadOf(runs, QStringLiteral("emulatorCpuPercent"));
        const Spread client = spreadOf(runs, QStringLiteral("clientCpuPercent"));
        const Spread cost = spreadOf(runs, QStringLiteral("emulatorCpuMicrosPerRequest"));
        qint64 errors = 0;
        for (const QJsonValue &r : runs)
            errors += r.toObject().value(QStringLiteral("errors")).toInteger();
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 |\n")
                  .arg(operationName(key.first))
                  .arg(key.second)
                  .arg(cell(rps, 0), cell(p50, 2), cell(p99, 2), cell(worst, 0), QString::number(errors),
                       cell(emu, 0, QStringLiteral("%")), cell(cost, 0), cell(client, 0, QStringLiteral("%")));
        rows.append(QJsonObject{{QStringLiteral("scenario"), key.first},
                                {QStringLiteral("connections"), key.second},
                                {QStringLiteral("requestsPerSecond"), rps.toJson()},
                                {QStringLiteral("p50Ms"), p50.toJson()},
                                {QStringLiteral("p99Ms"), p99.toJson()},
                                {QStringLiteral("maxMs"), worst.toJson()},
                                {QStringLiteral("emulatorCpuPercent"), emu.toJson()},
                                {QStringLiteral("clientCpuPercent"), client.toJson()},
                                {QStringLiteral("emulatorCpuMicrosPerRequest"), cost.toJson()},
                                {QStringLiteral("errors"), errors}});
    }
    summary->insert(QStringLiteral("load"), rows);
    md += QStringLiteral("\nCPU is the share of one core used during the measured window (the emulator serves "
                         "requests on one thread; so does the load client). The emulator's CPU per request is its cost, "
                         "which a busy machine disturbs far less than the rate: 1,000,000 / µs is the rate one free core "
                         "would sustain.\n");
    if (!walk.isEmpty()) {
        md += QStringLiteral("The GetStreamSession IDs come from one walk through every ListStreamSessionsByAccount page "
                             "(%1 pages, %2 sessions, %3 ms): the first 10 pages took %4 ms each on average, the last 10 "
                             "%5 ms.\n")
                  .arg(walk.value(QStringLiteral("pages")).toInt())
                  .arg(walk.value(QStringLiteral("sessions")).toInt())
                  .arg(number(walk.value(QStringLiteral("totalMs")).toDouble(), 0),
                       number(walk.value(QStringLiteral("firstPagesMeanMs")).toDouble(), 2),
                       number(walk.value(QStringLiteral("lastPagesMeanMs")).toDouble(), 2));
        summary->insert(QStringLiteral("listingWalk"), walk);
    }
    return md;
}

QString BenchReport::archiveSection(QJsonObject *summary) const
{
    const QJsonArray gets = select(QStringLiteral("archiveGet"));
    if (gets.isEmpty())
        return {};
    QJsonArray ours;
    QJsonArray peer;
    for (const QJsonValue &v : gets)
        (v.toObject().value(QStringLiteral("client")).toString() == QLatin1String("curl") ? peer : ours).append(v);
    const Spread oursMBps = spreadOf(ours, QStringLiteral("bytesPerSecond"), 1e-6);
    const Spread peerMBps = spreadOf(peer, QStringLiteral("bytesPerSecond"), 1e-6);
    const Spread oursCpu = spreadOf(ours, QStringLiteral("emulatorCpuPercent"));
    const Spread peerCpu = spreadOf(peer, QStringLiteral("emulatorCpuPercent"));
    const double ratio = peerMBps.median > 0 ? oursMBps.median / peerMBps.median : 0;
    // MB the emulator sends per second of its CPU time: its cost, steadier than the rate.
    const auto perCpuSecond = [](const QJsonArray &rows) {
        QList<double> values;
        for (const QJsonValue &v : rows) {
            const QJsonObject o = v.toObject();
            const double cpu = o.value(QStringLiteral("emulatorCpuPercent")).toDouble(-1) / 100.0
                             * o.value(QStringLiteral("seconds")).toDouble();
            values.append(cpu > 0 ? o.value(QStringLiteral("bytes")).toDouble() / cpu / 1e6 : -1);
        }
        return spreadOf(values);
    };
    const Spread oursPerCpu = perCpuSecond(ours);
    const Spread peerPerCpu = perCpuSecond(peer);
    const Spread exportSeconds = spreadOf(select(QStringLiteral("archivePrepare")), QStringLiteral("exportSeconds"));
    const double bytes = gets.first().toObject().value(QStringLiteral("bytes")).toDouble();

    QString md = QStringLiteral(
        "## Archive download\n\n"
        "One %1-byte archive (exported with ExportStreamSessionFiles, ready %2 s after the session ended), "
        "downloaded whole over TLS on a fresh connection per download, alternating the two clients. "
        "MB = 1,000,000 bytes; time counts from connecting to the last byte, as curl's `speed_download` does.\n\n"
        "| Client | MB/s | vs curl | Emulator CPU | MB per emulator CPU-second |\n|---|---:|---:|---:|---:|\n")
                     .arg(number(bytes, 0), cell(exportSeconds, 1));
    md += QStringLiteral("| gls-bench-emulator: signed GetObject, QSslSocket, body discarded | %1 | %2× | %3 | %4 |\n")
              .arg(cell(oursMBps, 0), number(ratio, 2), cell(oursCpu, 0, QStringLiteral("%")), cell(oursPerCpu, 0));
    md += QStringLiteral("| curl (peer): presigned URL, `-o /dev/null` | %1 | 1.00× | %2 | %3 |\n")
              .arg(cell(peerMBps, 0), cell(peerCpu, 0, QStringLiteral("%")), cell(peerPerCpu, 0));
    summary->insert(QStringLiteral("archive"),
                    QJsonObject{{QStringLiteral("bytes"), bytes},
                                {QStringLiteral("exportSeconds"), exportSeconds.toJson()},
                                {QStringLiteral("glsMBps"), oursMBps.toJson()},
                                {QStringLiteral("curlMBps"), peerMBps.toJson()},
                                {QStringLiteral("glsVsCurl"), ratio},
                                {QStringLiteral("emulatorCpuPercentGls"), oursCpu.toJson()},
                                {QStringLiteral("emulatorCpuPercentCurl"), peerCpu.toJson()},
                                {QStringLiteral("emulatorMBPerCpuSecondGls"), oursPerCpu.toJson()},
                                {QStringLiteral("emulatorMBPerCpuSecondCurl"), peerPerCpu.toJson()}});
    return md;
}

QString BenchReport::emulatorSection(QJsonObject *summary) const
{
    QString md = QStringLiteral("## The emulator process\n\n| Figure | Median (min–max) |\n|---|---:|\n");
    QJsonObject out;
    QMap<QString, QJsonArray> startups;
    for (const QJsonValue &v : select(QStringLiteral("startup")))
        startups[v.toObject().value(QStringLiteral("mode")).toString()].append(v);
    const QList<QPair<QString, QString>> modes{
        {QStringLiteral("fresh"), QStringLiteral("Start-up to its JSON line, fresh data dir (seeds %1 sessions, makes the TLS files)")},
        {QStringLiteral("restart"), QStringLiteral("Start-up to its JSON line, restart on the saved data dir")}};
    for (const auto &[mode, label] : modes) {
        if (!startups.contains(mode))
            continue;
        const Spread s = spreadOf(startups.value(mode), QStringLiteral("ms"));
        const QString text = label.contains(QLatin1String("%1"))
            ? label.arg(number(m_meta.value(QStringLiteral("startupSessions")).toDouble(), 0))
            : label;
        md += QStringLiteral("| %1 | %2 |\n").arg(text, cell(s, 0, QStringLiteral(" ms")));
        out.insert(QStringLiteral("startupMs_") + mode, s.toJson());
    }
    QMap<QString, QJsonArray> memory;
    for (const QJsonValue &v : select(QStringLiteral("memory")))
        memory[v.toObject().value(QStringLiteral("phase")).toString()].append(v);
    const QList<QPair<QString, QString>> phases{
        {QStringLiteral("after-load"), QStringLiteral("Peak RSS (VmHWM) after the request load")},
        {QStringLiteral("after-archive"), QStringLiteral("Peak RSS (VmHWM) after exporting and downloading the archive")}};
    for (const auto &[phase, label] : phases) {
        if (!memory.contains(phase))
            continue;
        const Spread s = spreadOf(memory.value(phase), QStringLiteral("vmHwmKiB"), 1.0 / 1024);
        md += QStringLiteral("| %1 | %2 |\n").arg(label, cell(s, 1, QStringLiteral(" MiB")));
        out.insert(QStringLiteral("vmHwmMiB_") + phase, s.toJson());
    }
    summary->insert(QStringLiteral("emulator"), out);
    return md;
}

QString BenchReport::markdown() const
{
    QJsonObject summary;
    const QJsonObject &m = m_meta;
    QString md = QStringLiteral("# gls-emulator benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral("Each cell is the median over %1 repetitions, with the spread (min–max) in parentheses. "
                         "A load repetition is %2 s measured after %3 s of warm-up.\n\n")
              .arg(m.value(QStringLiteral("repetitions")).toInt())
              .arg(m.value(QStringLiteral("loadSeconds")).toDouble())
              .arg(m.value(QStringLiteral("warmupSeconds")).toDouble());
    const QList<QPair<QString, QString>> setups{
        {QStringLiteral("loadEmulatorArgs"), QStringLiteral("Request load")},
        {QStringLiteral("archiveEmulatorArgs"), QStringLiteral("Archive download")},
        {QStringLiteral("startupEmulatorArgs"), QStringLiteral("Start-up")}};
    for (const auto &[key, label] : setups) {
        if (m.contains(key))
            md += QStringLiteral("- %1: `gls-emulator %2`\n").arg(label, m.value(key).toString());
    }
    md += u'\n' + loadSection(&summary);
    if (const QString archive = archiveSection(&summary); !archive.isEmpty())
        md += u'\n' + archive;
    md += u'\n' + emulatorSection(&summary);
    return md;
}

QJsonObject BenchReport::json() const
{
    QJsonObject summary;
    loadSection(&summary);
    archiveSection(&summary);
    emulatorSection(&summary);
    return QJsonObject{{QStringLiteral("meta"), m_meta},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("raw"), m_raw}};
}

} // namespace gls::bench
