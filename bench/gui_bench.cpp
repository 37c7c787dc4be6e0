// gls-bench-gui: how long the desktop app takes to show the account's
// sessions, and whether its GUI thread stalls meanwhile (issue 4). Measures,
// never asserts.
//
// It starts gls-emulator (next to this executable) on a temporary data dir,
// then, N times: builds the real MainWindow on the offscreen platform, wired
// as gls-exporter's main wires it (GuiContext, the emulator's endpoint and CA,
// the emulator's demo key in memory), waits for the table to hold every
// session, then triggers Refresh a few times. A 5 ms timer on the GUI thread,
// started once the window is shown, records how late each of its ticks is:
// that is how long the thread could not serve events. Beside it, the AWS CLI
// lists the same sessions (`aws gameliftstreams
// list-stream-sessions-by-account`, every page).
// One JSON line per figure goes to stdout; `report` turns them into tables.

#include "GuiBenchReport.h"
#include "GuiContext.h"
#include "GuiStallProbe.h"

#include "MainWindow.h"
#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "aws/Endpoints.h"
#include "gamelift/GameLiftClient.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

#include <csignal>
#include <sys/prctl.h>

using namespace gls;

namespace {

constexpr auto kDemoKeyId = "AKIAGLSEMULATORDEMO1";
constexpr auto kDemoSecret = "gls-emulator-demo-secret-not-an-aws-key";

void printLine(const QJsonObject &line)
{
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void note(const QString &text)
{
    std::fprintf(stderr, "  %s\n", qPrintable(text));
}

qint64 statusKiB(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Runs the event loop until `done` returns true or `ms` pass; false on timeout.
template <typename Done>
bool waitFor(Done done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > ms)
            return false;
        QEventLoop loop;
        QTimer::singleShot(1, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// gls-emulator as a child process; its JSON line read from stdout.
class Emulator {
public:
    bool start(const QString &binDir, const QStringList &args, QString *error)
    {
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary folder: %1").arg(m_dir.errorString());
            return false;
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // The key the emulator accepts: its demo key, through the environment.
        env.insert(QStringLiteral("GLS_EMULATOR_ACCESS_KEYS"),
            QStringLiteral("%1:%2").arg(QLatin1String(kDemoKeyId), QLatin1String(kDemoSecret)));
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        QElapsedTimer clock;
        clock.start();
        m_process.start(QDir(binDir).filePath(QStringLiteral("gls-emulator")),
            QStringList{
                QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--host"), QStringLiteral("127.0.0.1")}
                + args);
        QByteArray buffer;
        while (!buffer.contains('\n')) {
            if (!m_process.waitForReadyRead(120000)) {
                *error = QStringLiteral("gls-emulator printed no endpoints (%1)").arg(m_process.errorString());
                return false;
            }
            buffer += m_process.readAllStandardOutput();
        }
        m_startupMs = clock.elapsed();
        m_endpoints = QJsonDocument::fromJson(buffer.left(buffer.indexOf('\n'))).object();
        if (gameliftUrl().isEmpty()) {
            *error = QStringLiteral("gls-emulator printed no endpoints: %1").arg(QString::fromUtf8(buffer));
            return false;
        }
        return true;
    }

    ~Emulator()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    QString gameliftUrl() const { return m_endpoints.value(QStringLiteral("gameliftstreams")).toString(); }
    QString caPath() const { return m_endpoints.value(QStringLiteral("caCertificate")).toString(); }
    qint64 startupMs() const { return m_startupMs; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QJsonObject m_endpoints;
    qint64 m_startupMs = 0;
};

struct Options {
    int reps = 3;
    int refreshes = 3;
    int expected = 10000;
    QString aws = QStringLiteral("aws");
    bool unpaced = true;
    QStringList emulatorArgs;
};

// One repetition of the window: launch to a full table, then the refreshes.
bool measureWindow(
    const Options &options, const Emulator &emulator, const QList<QSslCertificate> &ca, int rep, bool paced)
{
    const QString wiring = paced ? QStringLiteral("app") : QStringLiteral("unpaced");
    const QStringList regions{QStringLiteral("us-east-2"), QStringLiteral("us-west-2"),
        QStringLiteral("ap-northeast-1"), QStringLiteral("eu-central-1")};
    bench::GuiStallProbe probe;

    // Declared before the window: its loader's signals write them until it is gone.
    qint64 firstPageMs = -1;
    qint64 finishedMs = -1;
    int finishedSessions = -1;
    QString failure;
    QElapsedTimer clock;
    clock.start();
    // As gls-exporter's main does with --demo: the context, then the window.
    // The diagnostic window is the same wiring with the transport's client-side
    // pacing off: it shows how much of the time to a full table is that pacing.
    gui::GuiSettings settings;
    QTemporaryDir storeDir; // the benchmark's exports stay out of the user's store
    settings.exportStorePath = storeDir.filePath(QStringLiteral("exports.sqlite"));
    settings.endpointUrl = emulator.gameliftUrl();
    settings.extraCaCertificates = ca;
    settings.requestsPerSecondPerOperation = paced ? gui::GuiSettings{}.requestsPerSecondPerOperation : -1;
    sigv4::Credentials creds;
    creds.accessKeyId = QByteArray(kDemoKeyId);
    creds.secretAccessKey = QByteArray(kDemoSecret);
    auto context = std::make_unique<gui::GuiContext>(settings);
    context->useProvider(new aws::StaticCredentialsProvider(creds, QStringLiteral("bench")), QStringLiteral("bench"));
    aws::wipe(creds);
    const ui::MainWindow::ClientFactory factory
        = [c = context.get()](const QString &r, QString *error) { return c->gameLift(r, error); };
    auto window = std::make_unique<ui::MainWindow>(factory, context->exports(), regions,
                                                   QStringList{QStringLiteral("us-west-2")});
    window->setAutoRefreshMs(0); // only the refreshes below
    const qint64 builtMs = clock.elapsed();
    window->show();
    const qint64 shownMs = clock.elapsed();
    // The stall timer starts where gls-exporter's event loop does: after
    // show(). Building the context and the window comes before it, with no
    // window on screen to freeze; that time is builtMs, part of the launch.
    probe.start();

    ui::SessionLoader *loader = window->loader();
    ui::SessionTableModel *model = window->sessionModel();
    QObject::connect(loader, &ui::SessionLoader::progress, loader, [&](int pages, int) {
        if (pages == 1 && firstPageMs < 0)
            firstPageMs = clock.elapsed();
    });
    QObject::connect(loader, &ui::SessionLoader::finished, loader, [&](int sessions) {
        finishedMs = clock.elapsed();
        finishedSessions = sessions;
    });
    QObject::connect(loader, &ui::SessionLoader::failed, loader,
        [&](const QString &, const aws::AwsError &error) { failure = error.message; });

    const bool loaded = waitFor([&] { return finishedMs >= 0 || !failure.isEmpty(); }, 120000);
    const bench::StallStats load = probe.take();
    if (!loaded || !failure.isEmpty() || model->rowCount() != options.expected) {
        note(QStringLiteral("rep %1: the load did not finish with %2 rows (rows %3, error: %4)")
                 .arg(rep)
                 .arg(options.expected)
                 .arg(model->rowCount())
                 .arg(failure.isEmpty() ? QStringLiteral("timeout") : failure));
        return false;
    }
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("guiLoad")}, {QStringLiteral("wiring"), wiring},
        {QStringLiteral("rep"), rep}, {QStringLiteral("builtMs"), builtMs}, {QStringLiteral("windowShownMs"), shownMs},
        {QStringLiteral("firstPageMs"), firstPageMs}, {QStringLiteral("populatedMs"), finishedMs},
        {QStringLiteral("rows"), model->rowCount()}, {QStringLiteral("sessions"), finishedSessions},
        {QStringLiteral("stall"), load.toJson()}});
    note(wiring
        + QStringLiteral(" rep %1: built %2 ms, shown %3 ms, first page %4 ms, %5 rows at %6 ms; longest stall %7 ms")
              .arg(rep)
              .arg(builtMs)
              .arg(shownMs)
              .arg(firstPageMs)
              .arg(model->rowCount())
              .arg(finishedMs)
              .arg(load.maxMs, 0, 'f', 1));

    for (int refresh = 1; refresh <= options.refreshes; ++refresh) {
        probe.take();
        finishedMs = -1;
        clock.restart();
        window->refreshAction()->trigger();
        const bool done = waitFor([&] { return finishedMs >= 0 || !failure.isEmpty(); }, 120000);
        const bench::StallStats stats = probe.take();
        if (!done || !failure.isEmpty()) {
            note(QStringLiteral("rep %1: refresh %2 failed: %3")
                     .arg(rep)
                     .arg(refresh)
                     .arg(failure.isEmpty() ? QStringLiteral("timeout") : failure));
            return false;
        }
        printLine(
            QJsonObject{{QStringLiteral("kind"), QStringLiteral("guiRefresh")}, {QStringLiteral("wiring"), wiring},
                {QStringLiteral("rep"), rep}, {QStringLiteral("refresh"), refresh}, {QStringLiteral("ms"), finishedMs},
                {QStringLiteral("rows"), model->rowCount()}, {QStringLiteral("stall"), stats.toJson()}});
        note(wiring
            + QStringLiteral(" rep %1: refresh %2 in %3 ms; longest stall %4 ms")
                  .arg(rep)
                  .arg(refresh)
                  .arg(finishedMs)
                  .arg(stats.maxMs, 0, 'f', 1));
    }
    probe.stop();
    window.reset();
    context.reset();
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("guiMemory")}, {QStringLiteral("wiring"), wiring},
        {QStringLiteral("rep"), rep}, {QStringLiteral("vmHwmKiB"), statusKiB("VmHWM")},
        {QStringLiteral("vmRssKiB"), statusKiB("VmRSS")}});
    return true;
}

// The AWS CLI listing every page, the peer figure.
bool measureAwsCli(const Options &options, const Emulator &emulator, int rep)
{
    QProcess aws;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(kDemoKeyId));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(kDemoSecret));
    env.remove(QStringLiteral("AWS_SESSION_TOKEN"));
    env.remove(QStringLiteral("AWS_PROFILE"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-west-2"));
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("AWS_PAGER"), QString());
    aws.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    aws.start(options.aws,
        {QStringLiteral("gameliftstreams"), QStringLiteral("list-stream-sessions-by-account"),
            QStringLiteral("--page-size"), QStringLiteral("100"), QStringLiteral("--endpoint-url"),
            emulator.gameliftUrl(), QStringLiteral("--ca-bundle"), emulator.caPath(), QStringLiteral("--output"),
            QStringLiteral("json")});
    QByteArray output;
    if (!aws.waitForStarted(30000)) {
        note(QStringLiteral("aws could not be started: %1").arg(aws.errorString()));
        return false;
    }
    while (aws.state() != QProcess::NotRunning) {
        aws.waitForReadyRead(1000);
        output += aws.readAllStandardOutput();
    }
    output += aws.readAllStandardOutput();
    const qint64 ms = clock.elapsed();
    const int sessions = int(QJsonDocument::fromJson(output).object().value(QStringLiteral("Items")).toArray().size());
    if (aws.exitCode() != 0 || sessions != options.expected) {
        note(QStringLiteral("aws exited with %1 and listed %2 sessions: %3")
                 .arg(aws.exitCode())
                 .arg(sessions)
                 .arg(QString::fromUtf8(aws.readAllStandardError().left(500))));
        return false;
    }
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("awsCli")}, {QStringLiteral("rep"), rep},
        {QStringLiteral("ms"), ms}, {QStringLiteral("sessions"), sessions}});
    note(QStringLiteral("rep %1: aws cli listed %2 sessions in %3 ms").arg(rep).arg(sessions).arg(ms));
    return true;
}

int run(const Options &options)
{
    Emulator emulator;
    QString why;
    if (!emulator.start(QCoreApplication::applicationDirPath(), options.emulatorArgs, &why)) {
        note(why);
        return 1;
    }
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("emulator")},
        {QStringLiteral("args"), options.emulatorArgs.join(QLatin1Char(' '))},
        {QStringLiteral("startupMs"), emulator.startupMs()}});
    QList<QSslCertificate> ca;
    if (!aws::AwsTransport::loadCaBundle(emulator.caPath(), &ca, &why)) {
        note(why);
        return 1;
    }
    for (int rep = 1; rep <= options.reps; ++rep) {
        if (!measureWindow(options, emulator, ca, rep, true) || !measureAwsCli(options, emulator, rep)
            || (options.unpaced && !measureWindow(options, emulator, ca, rep, false)))
            return 1;
    }
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("guiMemory")}, {QStringLiteral("rep"), 0},
        {QStringLiteral("vmHwmKiB"), statusKiB("VmHWM")}, {QStringLiteral("vmRssKiB"), statusKiB("VmRSS")}});
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("gls-bench-gui"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times the desktop window from launch to a full session table against a gls-emulator it starts, the "
        "GUI thread's stalls, and the AWS CLI listing the same sessions. JSON lines on stdout.\n"
        "  gls-bench-gui [options]          measure\n"
        "  gls-bench-gui report --input RAW --markdown MD --json JSON"));
    parser.addHelpOption();
    const QCommandLineOption reps(QStringLiteral("reps"), QStringLiteral("Repetitions (3)."), QStringLiteral("N"));
    const QCommandLineOption refreshes(
        QStringLiteral("refreshes"), QStringLiteral("Refreshes per repetition (3)."), QStringLiteral("N"));
    const QCommandLineOption sessions(
        QStringLiteral("sessions"), QStringLiteral("Seeded sessions (10000)."), QStringLiteral("N"));
    const QCommandLineOption aws(QStringLiteral("aws"), QStringLiteral("The AWS CLI (aws)."), QStringLiteral("PATH"));
    const QCommandLineOption noUnpaced(
        QStringLiteral("no-unpaced"), QStringLiteral("Skip the diagnostic window with the transport's pacing off."));
    const QCommandLineOption input(
        QStringLiteral("input"), QStringLiteral("report: raw JSON lines."), QStringLiteral("FILE"));
    const QCommandLineOption markdown(
        QStringLiteral("markdown"), QStringLiteral("report: tables."), QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("report: summary."), QStringLiteral("FILE"));
    parser.addOptions({reps, refreshes, sessions, aws, noUnpaced, input, markdown, json});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("report, or nothing to measure"));
    parser.process(app);

    if (parser.positionalArguments().value(0) == QLatin1String("report")) {
        QString why;
        if (!bench::writeGuiReport(parser.value(input), parser.value(markdown), parser.value(json), &why)) {
            std::fprintf(stderr, "gls-bench-gui: %s\n", qPrintable(why));
            return 1;
        }
        return 0;
    }

    Options options;
    options.reps = parser.isSet(reps) ? parser.value(reps).toInt() : options.reps;
    options.refreshes = parser.isSet(refreshes) ? parser.value(refreshes).toInt() : options.refreshes;
    options.expected = parser.isSet(sessions) ? parser.value(sessions).toInt() : options.expected;
    options.aws = parser.isSet(aws) ? parser.value(aws) : options.aws;
    options.unpaced = !parser.isSet(noUnpaced);
    // --settle: the seeded sessions that ended with an export pending are
    // archived before the emulator prints its endpoints, not on its worker
    // threads 2-20 s later, inside a measurement.
    options.emulatorArgs = {QStringLiteral("--seed"), QStringLiteral("42"), QStringLiteral("--sessions"),
        QString::number(options.expected), QStringLiteral("--groups"), QStringLiteral("20"),
        QStringLiteral("--regions"), QStringLiteral("us-west-2"), QStringLiteral("--rate-limit"), QStringLiteral("0"),
        QStringLiteral("--settle")};
    return run(options);
}
