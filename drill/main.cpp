// gls-drill: the fault drill and the crash drill of docs/RELIABILITY.md.
// Runs gls-emulator, gls-exporter-cli and gls-exporter from --bin, works in
// --work (emptied first), writes faults.{json,md} or crash.{json,md} to --out.
// Exit code 0 when the drill found nothing, 1 when it found something, 2 when
// it could not run.

#include "CrashDrill.h"
#include "FaultDrill.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

using namespace gls::drill;

namespace {

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-drill"));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The fault drill and the crash drill (scripts/drill.sh runs them)."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("drill"), QStringLiteral("faults or crash"));
    const QCommandLineOption bin(QStringLiteral("bin"), QStringLiteral("Folder of the programs under test."),
                                 QStringLiteral("dir"), QCoreApplication::applicationDirPath());
    const QCommandLineOption work(QStringLiteral("work"), QStringLiteral("Scratch folder (emptied first)."),
                                  QStringLiteral("dir"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Where the report goes."), QStringLiteral("dir"),
                                 QStringLiteral("."));
    const QCommandLineOption exports(QStringLiteral("exports"), QStringLiteral("Fault drill: exports (default 100)."),
                                     QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption parallel(QStringLiteral("parallel"),
                                      QStringLiteral("Fault drill: `export` processes at a time (default 4)."),
                                      QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption kills(QStringLiteral("kills"), QStringLiteral("Crash drill: SIGKILLs (default 50)."),
                                   QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed (default 1)."), QStringLiteral("n"),
                                  QStringLiteral("1"));
    const QCommandLineOption timeScale(QStringLiteral("time-scale"),
                                       QStringLiteral("The emulator's time scale (default 60)."), QStringLiteral("x"),
                                       QStringLiteral("60"));
    const QCommandLineOption maxSeconds(QStringLiteral("max-seconds"),
                                        QStringLiteral("Crash drill: stop killing after this long (default 270)."),
                                        QStringLiteral("s"), QStringLiteral("270"));
    p.addOptions({bin, work, out, exports, parallel, kills, seed, timeScale, maxSeconds});
    p.process(app);

    const QString drill = p.positionalArguments().value(0);
    if (drill != QLatin1String("faults") && drill != QLatin1String("crash")) {
        std::fprintf(stderr, "gls-drill: say which drill: faults or crash\n");
        return 2;
    }
    qputenv("GLS_BIN_DIR", QDir(p.value(bin)).absolutePath().toLocal8Bit()); // where the harness finds gls-emulator
    const QString workDir = p.isSet(work) ? p.value(work) : QDir::temp().filePath(QStringLiteral("gls-drill-") + drill);
    const quint64 seedValue = p.value(seed).toULongLong();

    QJsonObject report;
    QString markdown;
    if (drill == QLatin1String("faults")) {
        FaultDrillOptions o;
        o.workDir = workDir;
        o.exports = qMax(1, p.value(exports).toInt());
        o.parallel = qMax(1, p.value(parallel).toInt());
        o.seed = seedValue;
        o.timeScale = p.value(timeScale).toDouble();
        report = runFaultDrill(o);
        markdown = faultDrillMarkdown(report);
    } else {
        CrashDrillOptions o;
        o.workDir = workDir;
        o.kills = qMax(1, p.value(kills).toInt());
        o.seed = seedValue;
        o.timeScale = p.value(timeScale).toDouble();
        o.maxSeconds = qMax(10, p.value(maxSeconds).toInt());
        report = runCrashDrill(o);
        markdown = crashDrillMarkdown(report);
    }
    QDir().mkpath(p.value(out));
    const QString base = QDir(p.value(out)).filePath(drill == QLatin1String("faults") ? QStringLiteral("faults")
                                                                                      : QStringLiteral("crash"));
    if (!write(base + QStringLiteral(".json"), QJsonDocument(report).toJson(QJsonDocument::Indented))
        || !write(base + QStringLiteral(".md"), markdown.toUtf8())) {
        std::fprintf(stderr, "gls-drill: cannot write %s.json/.md\n", qPrintable(base));
        return 2;
    }
    std::fprintf(stdout, "%s", markdown.toUtf8().constData());
    if (report.contains(QStringLiteral("error")))
        return 2;
    return report.value(QStringLiteral("ok")).toBool() ? 0 : 1;
}
