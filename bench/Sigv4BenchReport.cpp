#include "Sigv4BenchReport.h"

#include "JsonLines.h"
#include "ReportStats.h"

#include <QFile>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>

namespace gls::bench {

namespace {

constexpr double kGoalPerSecond = 600'000;

// Nanoseconds per operation from a rate spread (the slowest rate gives the largest time).
Spread nanosOf(const Spread &rate)
{
    Spread s;
    if (rate.count == 0)
        return s;
    s.median = 1e9 / rate.median;
    s.min = 1e9 / rate.max;
    s.max = 1e9 / rate.min;
    s.count = rate.count;
    return s;
}

QString scenarioLabel(const QString &name)
{
    QString base = name;
    const bool token = base.endsWith(QLatin1String("-token"));
    if (token)
        base.chop(6);
    QString label = base == QLatin1String("get-session") ? QStringLiteral("GetStreamSession (GET, ARN path)")
        : base == QLatin1String("list-sessions")
        ? QStringLiteral("ListStreamSessions page (GET, Status, MaxResults, 160-byte NextToken)")
        : base == QLatin1String("export") ? QStringLiteral("ExportStreamSessionFiles (PUT, JSON body)")
                                          : base;
    return token ? label + QStringLiteral(", 760-byte session token") : label;
}

} // namespace

bool Sigv4BenchReport::read(const QString &jsonLinesPath, QString *error)
{
    return readJsonLines(jsonLinesPath, &m_raw, &m_meta, error);
}

bool Sigv4BenchReport::write(const QString &markdownPath, const QString &jsonPath, QString *error) const
{
    // rates[impl][scenario][figure] = per-CPU-second samples (and wall ones).
    QHash<QString, QList<double>> cpuRates;
    QHash<QString, QList<double>> wallRates;
    QStringList scenarios;
    QStringList checks;
    bool checkFailed = false;
    QJsonObject peer;
    for (const QJsonValue &v : m_raw) {
        const QJsonObject o = v.toObject();
        const QString kind = o.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("rate")) {
            const QString scenario = o.value(QStringLiteral("scenario")).toString();
            const QString key = o.value(QStringLiteral("impl")).toString() + QLatin1Char('|') + scenario
                + QLatin1Char('|') + o.value(QStringLiteral("figure")).toString();
            cpuRates[key].append(o.value(QStringLiteral("perCpuSecond")).toDouble());
            wallRates[key].append(o.value(QStringLiteral("perWallSecond")).toDouble());
            if (!scenarios.contains(scenario))
                scenarios.append(scenario);
        } else if (kind == QLatin1String("check")) {
            const bool match = o.value(QStringLiteral("match")).toBool();
            checkFailed = checkFailed || !match;
            checks.append(
                o.value(QStringLiteral("scenario")).toString() + (match ? QString() : QStringLiteral(" (MISMATCH)")));
        } else if (kind == QLatin1String("peer")) {
            peer = o;
        }
    }
    const auto rate = [&](const QString &impl, const QString &scenario, const QString &figure, bool wall = false) {
        const QString key = impl + QLatin1Char('|') + scenario + QLatin1Char('|') + figure;
        return spreadOf(wall ? wallRates.value(key) : cpuRates.value(key));
    };
    // The transport path's rate over the SHA-256 floor's, repetition by
    // repetition (both ran in the same process, one after the other), so a
    // slow hour slows both and the ratio keeps.
    const auto shareOfFloor = [&](const QString &scenario) {
        const QList<double> ours = cpuRates.value(QStringLiteral("gls|") + scenario + QStringLiteral("|transport"));
        const QList<double> floor = cpuRates.value(QStringLiteral("gls|") + scenario + QStringLiteral("|sha256-floor"));
        QList<double> ratios;
        for (qsizetype i = 0; i < std::min(ours.size(), floor.size()); ++i) {
            if (floor[i] > 0)
                ratios.append(ours[i] / floor[i]);
        }
        return spreadOf(ratios);
    };
    // A share as a percentage cell, through the report's usual cell().
    const auto percent = [](Spread r) {
        r.median *= 100;
        r.min *= 100;
        r.max *= 100;
        return cell(r, 0, QStringLiteral("%"));
    };
    const bool havePeer = peer.value(QStringLiteral("available")).toBool();
    const QJsonObject &m = m_meta;

    QString md = QStringLiteral("# SigV4 signing benchmark\n\n");
    md += runParagraph(m);
    md += QStringLiteral("One thread. Each cell is the median over %1 repetitions (ours and botocore's alternating), "
                         "with the spread (min–max) in parentheses; a figure is a loop run for %2 s of the thread's "
                         "CPU time, and rates are per CPU-second: what one core sustains.\n\n")
              .arg(m.value(QStringLiteral("repetitions")).toInt())
              .arg(m.value(QStringLiteral("secondsPerFigure")).toDouble());
    md += havePeer
        ? QStringLiteral("Peer: botocore %1 (`SigV4Auth.add_auth` on an `AWSRequest`), Python %2.\n\n")
              .arg(peer.value(QStringLiteral("version")).toString(), peer.value(QStringLiteral("python")).toString())
        : QStringLiteral("Peer: **botocore missing** (%1); its columns are n/a.\n\n")
              .arg(peer.value(QStringLiteral("reason")).toString(QStringLiteral("not run")));
    if (!checks.isEmpty()) {
        md += checkFailed ? QStringLiteral("**Cross-check FAILED**: ") : QStringLiteral("Cross-check: ");
        md += QStringLiteral("our Authorization header, with and without the key cache, equals botocore's for the "
                             "same request, key and time (2024-11-05T08:09:10Z): %1.\n\n")
                  .arg(checks.join(QStringLiteral(", ")));
    }

    md += QStringLiteral("## Signatures per second, one core (goal %1)\n\n").arg(number(kGoalPerSecond, 0));
    md += QStringLiteral("| Request | gls: transport path | µs each | vs botocore | gls: key derived every time | "
                         "botocore `add_auth` | botocore µs each | gls per wall-second | SHA-256 alone (the floor) | "
                         "gls / floor |\n");
    md += QStringLiteral("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    QJsonObject summary;
    QList<double> transportMedians;
    for (const QString &s : scenarios) {
        const Spread ours = rate(QStringLiteral("gls"), s, QStringLiteral("transport"));
        const Spread uncached = rate(QStringLiteral("gls"), s, QStringLiteral("uncached"));
        const Spread boto = rate(QStringLiteral("botocore"), s, QStringLiteral("add_auth"));
        const Spread wall = rate(QStringLiteral("gls"), s, QStringLiteral("transport"), true);
        const Spread floor = rate(QStringLiteral("gls"), s, QStringLiteral("sha256-floor"));
        const Spread share = shareOfFloor(s);
        if (ours.count)
            transportMedians.append(ours.median);
        const double ratio = (ours.count && boto.count) ? ours.median / boto.median : 0;
        md += QStringLiteral("| %1 | **%2** | %3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 |\n")
                  .arg(scenarioLabel(s), cell(ours), ours.count ? number(1e6 / ours.median, 2) : QStringLiteral("n/a"),
                      ratio > 0 ? number(ratio, 0) + QStringLiteral("×") : QStringLiteral("n/a"), cell(uncached),
                      cell(boto), boto.count ? number(1e6 / boto.median, 1) : QStringLiteral("n/a"), cell(wall),
                      cell(floor))
                  .arg(percent(share));
        summary.insert(s,
            QJsonObject{{QStringLiteral("glsTransportPerCpuSecond"), ours.toJson()},
                {QStringLiteral("glsUncachedPerCpuSecond"), uncached.toJson()},
                {QStringLiteral("glsTransportPerWallSecond"), wall.toJson()},
                {QStringLiteral("botocorePerCpuSecond"), boto.toJson()}, {QStringLiteral("ratioToBotocore"), ratio},
                {QStringLiteral("sha256FloorPerCpuSecond"), floor.toJson()},
                {QStringLiteral("shareOfFloor"), share.toJson()}});
    }
    const Spread slowest = spreadOf(transportMedians);
    md += QStringLiteral("\n\"Transport path\": what `AwsTransport` does per attempt: the body's SHA-256, then "
                         "`sigv4::signHeaders` with its `SigningKeyCache` (canonical request, string to sign, one "
                         "HMAC from the cached key's precomputed pads, headers). \"Key derived every time\": the "
                         "same without a cache (four more HMACs per signature). \"SHA-256 alone\": only the "
                         "hashing no signer can skip, with OpenSSL's SHA-256 on the same bytes (the body when there "
                         "is one, the canonical request, the HMAC of the string to sign from a prepared key): the "
                         "most any signer of that request can reach on this CPU, measured in the same run; \"gls / "
                         "floor\" is our rate over it, repetition by repetition. Slowest scenario: %1/s, %2 the "
                         "goal of %3/s.\n\n")
              .arg(number(slowest.min, 0),
                  slowest.min >= kGoalPerSecond ? QStringLiteral("meets") : QStringLiteral("below"),
                  number(kGoalPerSecond, 0));

    md += QStringLiteral("## Where the time goes (ns per operation, gls)\n\n");
    const QStringList figures{QStringLiteral("payload-hash"), QStringLiteral("canonical-request"),
        QStringLiteral("string-to-sign"), QStringLiteral("hmac-cached-key"), QStringLiteral("transport"),
        QStringLiteral("hmac"), QStringLiteral("signing-key")};
    md += QStringLiteral("| Request | Body SHA-256 | Canonical request | String to sign (SHA-256 of the canonical "
                         "request) | HMAC, cached key | **Whole signature** | HMAC from a raw key | Signing-key "
                         "derivation |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const QString &s : scenarios) {
        QStringList cells{scenarioLabel(s)};
        QJsonObject parts;
        for (const QString &f : figures) {
            const Spread ns = nanosOf(rate(QStringLiteral("gls"), s, f));
            cells.append(f == QLatin1String("transport") ? QStringLiteral("**%1**").arg(cell(ns)) : cell(ns));
            parts.insert(f, ns.toJson());
        }
        md += QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
        QJsonObject entry = summary.value(s).toObject();
        entry.insert(QStringLiteral("nanosecondsPerOperation"), parts);
        summary.insert(s, entry);
    }
    md += QStringLiteral("\nEach part is timed alone on the inputs `signHeaders` builds (public `gls::sigv4` "
                         "functions, each allocating its result); the whole signature is less than their sum "
                         "where the transport path reuses buffers and skips work (an empty body's hash is a "
                         "constant).\n");

    return writeReportFiles(markdownPath, md, jsonPath,
        QJsonObject{{QStringLiteral("meta"), m_meta}, {QStringLiteral("goalPerSecond"), kGoalPerSecond},
            {QStringLiteral("crossCheckPassed"), !checkFailed && !checks.isEmpty()}, {QStringLiteral("peer"), peer},
            {QStringLiteral("summary"), summary}, {QStringLiteral("raw"), m_raw}},
        error);
}

} // namespace gls::bench
