// gls-bench-emulator: load and throughput figures for a running gls-emulator.
// It starts nothing: give it the endpoint JSON line the emulator printed (a
// file, or "-" for stdin) and the key in GLS_EMULATOR_ACCESS_KEYS (the
// emulator's demo key when unset). Each command prints one JSON object on
// stdout; scripts/bench.sh collects them and `report` turns them into tables.

#include "BenchReport.h"
#include "BenchTarget.h"
#include "EmulatorBench.h"
#include "JsonLines.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

using namespace gls::bench;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "gls-bench-emulator: %s\n", qPrintable(message));
    return 1;
}

void print(const QJsonObject &o)
{
    std::fprintf(stdout, "%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-bench-emulator"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GLS_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Measures a running gls-emulator over real sockets and TLS.\n\n"
        "Commands:\n"
        "  load             --scenario get-session|list-sessions --connections N --duration S [--warmup S]\n"
        "  walk             every ListStreamSessionsByAccount page, timed\n"
        "  archive-prepare  --bucket B --key K: export a session there and wait until SUCCEEDED\n"
        "  archive-get      --bucket B --key K: one signed GetObject, body discarded\n"
        "  presign          --bucket B --key K [--expires S]: prints a presigned GET URL\n"
        "  wait-idle        waits until the emulator writes no archive\n"
        "  memory           the emulator's VmHWM and VmRSS\n"
        "  report           --input RAW.jsonl --markdown OUT.md --json OUT.json"));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
    const QCommandLineOption endpoint(QStringLiteral("endpoint"),
                                      QStringLiteral("File with the emulator's endpoint JSON line, or - for stdin."),
                                      QStringLiteral("file"), QStringLiteral("-"));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("get-session or list-sessions."),
                                      QStringLiteral("name"));
    const QCommandLineOption connections(QStringLiteral("connections"), QStringLiteral("Connections (default 1)."),
                                         QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Measured seconds (default 5)."),
                                      QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption warmup(QStringLiteral("warmup"), QStringLiteral("Unmeasured seconds first (default 1)."),
                                    QStringLiteral("s"), QStringLiteral("1"));
    const QCommandLineOption bucket(QStringLiteral("bucket"), QStringLiteral("Bucket (default gls-exports)."),
                                    QStringLiteral("name"), QStringLiteral("gls-exports"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("Object key (default bench/big.zip)."),
                                 QStringLiteral("key"), QStringLiteral("bench/big.zip"));
    const QCommandLineOption expires(QStringLiteral("expires"), QStringLiteral("Presigned URL lifetime (default 3600)."),
                                     QStringLiteral("s"), QStringLiteral("3600"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Give up waiting after (default 300)."),
                                     QStringLiteral("s"), QStringLiteral("300"));
    const QCommandLineOption tag(QStringLiteral("tag"), QStringLiteral("NAME=VALUE copied into the output (repeatable)."),
                                 QStringLiteral("tag"));
    const QCommandLineOption input(QStringLiteral("input"), QStringLiteral("report: the raw JSON lines."),
                                   QStringLiteral("file"));
    const QCommandLineOption markdown(QStringLiteral("markdown"), QStringLiteral("report: the Markdown to write."),
                                      QStringLiteral("file"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("report: the JSON to write."),
                                  QStringLiteral("file"));
    p.addOptions({endpoint, scenario, connections, duration, warmup, bucket, key, expires, timeout, tag, input, markdown,
                  json});
    p.process(app);

    const QString command = p.positionalArguments().value(0);
    QString error;
    if (command == QLatin1String("report")) {
        if (!p.isSet(input) || !p.isSet(markdown) || !p.isSet(json))
            return fail(QStringLiteral("report needs --input, --markdown and --json"));
        BenchReport report;
        if (!report.read(p.value(input), &error)
            || !writeFile(p.value(markdown), report.markdown().toUtf8(), &error)
            || !writeFile(p.value(json), QJsonDocument(report.json()).toJson(QJsonDocument::Indented), &error))
            return fail(error);
        return 0;
    }

    BenchTarget target;
    if (!BenchTarget::load(p.value(endpoint), &target, &error))
        return fail(error);
    EmulatorBench bench(target);
    if (!bench.init(&error))
        return fail(error);

    bool ok = false;
    auto numberOption = [&](const QCommandLineOption &o, double lo, double hi) {
        const double v = p.value(o).toDouble(&ok);
        if (!ok || v < lo || v > hi) {
            ok = false;
            error = QStringLiteral("--%1 must be a number from %2 to %3").arg(o.names().first()).arg(lo).arg(hi);
        }
        return v;
    };
    QJsonObject out;
    if (command == QLatin1String("load")) {
        const int n = int(numberOption(connections, 1, 1024));
        const int measured = ok ? int(numberOption(duration, 0.1, 3600) * 1000) : 0;
        const int unmeasured = ok ? int(numberOption(warmup, 0, 3600) * 1000) : 0;
        ok = ok && bench.runLoad(p.value(scenario), n, unmeasured, measured, &out, &error);
    } else if (command == QLatin1String("walk")) {
        ok = bench.walkListing(&out, &error);
    } else if (command == QLatin1String("archive-prepare")) {
        const int limit = int(numberOption(timeout, 1, 86400));
        ok = ok && bench.prepareArchive(p.value(bucket), p.value(key), limit, &out, &error);
    } else if (command == QLatin1String("archive-get")) {
        ok = bench.getObject(p.value(bucket), p.value(key), &out, &error);
    } else if (command == QLatin1String("presign")) {
        const qint64 lifetime = qint64(numberOption(expires, 1, 604800));
        if (ok)
            std::fprintf(stdout, "%s\n", qPrintable(bench.presignedUrl(p.value(bucket), p.value(key), lifetime)));
        return ok ? 0 : fail(error);
    } else if (command == QLatin1String("wait-idle")) {
        const int limit = int(numberOption(timeout, 1, 86400));
        ok = ok && bench.waitIdle(limit, &out, &error);
    } else if (command == QLatin1String("memory")) {
        out = bench.memory();
        ok = out.value(QStringLiteral("vmHwmKiB")).toInteger() > 0;
        if (!ok)
            error = QStringLiteral("cannot read /proc/%1/status").arg(target.pid);
    } else {
        return fail(command.isEmpty() ? QStringLiteral("give a command (--help lists them)")
                                      : QStringLiteral("unknown command '%1' (--help lists them)").arg(command));
    }
    if (!ok)
        return fail(error);
    if (!addTags(p.values(tag), &out))
        return fail(QStringLiteral("--tag takes NAME=VALUE"));
    print(out);
    return 0;
}
