// gls-bench-download: the in-process figures of the "download" benchmark and
// its report. scripts/bench.sh (bench_download) measures gls-exporter-cli and
// curl with gls-bench-run beside it, and `report` turns all the lines into
// tables.
//
//   inproc --endpoint JSON --bucket B --key K --to DIR [--via coordinator|job]
//       one download through the app's code in this process, with its
//       memory sampled (the key in GLS_EMULATOR_ACCESS_KEYS)
//   report --input RAW.jsonl --markdown OUT.md --json OUT.json

#include "BenchTarget.h"
#include "DownloadBench.h"
#include "DownloadReport.h"
#include "JsonLines.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QJsonDocument>

#include <cstdio>

using namespace gls::bench;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "gls-bench-download: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-bench-download"));
    // The app's info lines (one per finished export, the store's schema) would drown the figures.
    QLoggingCategory::setFilterRules(QStringLiteral("gls.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Download figures: an in-process download through the app's code, and the report.\n\n"
                       "Commands: inproc, report"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("inproc or report."));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
        QStringLiteral("inproc: the emulator's endpoint JSON."), QStringLiteral("file"), QStringLiteral("-"));
    const QCommandLineOption bucket(QStringLiteral("bucket"), QStringLiteral("inproc: bucket."), QStringLiteral("name"),
        QStringLiteral("gls-exports"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("inproc: object key."), QStringLiteral("key"),
        QStringLiteral("bench/big.zip"));
    const QCommandLineOption to(
        QStringLiteral("to"), QStringLiteral("inproc: folder to download into."), QStringLiteral("dir"));
    const QCommandLineOption via(QStringLiteral("via"), QStringLiteral("inproc: coordinator (default) or job."),
        QStringLiteral("path"), QStringLiteral("coordinator"));
    const QCommandLineOption tag(
        QStringLiteral("tag"), QStringLiteral("NAME=VALUE copied into the output."), QStringLiteral("tag"));
    const QCommandLineOption input(
        QStringLiteral("input"), QStringLiteral("report: raw JSON lines."), QStringLiteral("file"));
    const QCommandLineOption markdown(
        QStringLiteral("markdown"), QStringLiteral("report: Markdown out."), QStringLiteral("file"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("report: JSON out."), QStringLiteral("file"));
    p.addOptions({endpoint, bucket, key, to, via, tag, input, markdown, json});
    p.process(app);

    const QStringList positional = p.positionalArguments();
    const QString command = positional.value(0);
    QString error;
    QJsonObject out;
    if (command == QLatin1String("report")) {
        if (!p.isSet(input) || !p.isSet(markdown) || !p.isSet(json))
            return fail(QStringLiteral("report needs --input, --markdown and --json"));
        return writeDownloadReport(p.value(input), p.value(markdown), p.value(json), &error) ? 0 : fail(error);
    }
    if (command == QLatin1String("inproc")) {
        if (!p.isSet(to))
            return fail(QStringLiteral("inproc needs --to"));
        BenchTarget target;
        if (!BenchTarget::load(p.value(endpoint), &target, &error))
            return fail(error);
        InProcessOptions options;
        options.via = p.value(via);
        options.bucket = p.value(bucket);
        options.key = p.value(key);
        options.folder = p.value(to);
        if (!downloadInProcess(target, options, &out, &error))
            return fail(error);
        std::fprintf(stderr, "  %s in process: %.2f s, %.0f MB/s, RSS growth %.1f MiB\n", qPrintable(options.via),
            out.value(QStringLiteral("seconds")).toDouble(),
            out.value(QStringLiteral("bytesPerSecond")).toDouble() / 1e6,
            out.value(QStringLiteral("rssGrowthKiB")).toDouble() / 1024);
    } else {
        return fail(command.isEmpty() ? QStringLiteral("give a command (--help)")
                                      : QStringLiteral("unknown command '%1' (--help)").arg(command));
    }
    if (!addTags(p.values(tag), &out))
        return fail(QStringLiteral("--tag takes NAME=VALUE"));
    std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return 0;
}
