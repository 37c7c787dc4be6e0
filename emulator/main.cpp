// gls-emulator: a local Amazon GameLift Streams + S3 (+ STS and the SSO
// portal on the GameLift Streams port) for tests and the demo.
// Prints its endpoints as one JSON line on stdout once listening, and stops
// cleanly (state saved) on SIGTERM or SIGINT.

#include "AccessPolicy.h"
#include "Emulator.h"
#include "EmulatorState.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace gls::emu;

namespace {

int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[1], &c, 1);
}

// The demo account's key. Not an AWS credential: it opens only this emulator.
constexpr auto kDemoKeyId = "AKIAGLSEMULATORDEMO1";
constexpr auto kDemoSecret = "gls-emulator-demo-secret-not-an-aws-key";

bool parseKey(const QString &text, AccessKey *out)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() < 2 || parts.size() > 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return false;
    out->id = parts.at(0).toUtf8();
    out->secret = parts.at(1).toUtf8();
    out->sessionToken = parts.value(2).toUtf8();
    return true;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "gls-emulator: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-emulator"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GLS_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "A local Amazon GameLift Streams and S3 that speaks the real protocol, for tests and demos.\n"
        "Prints its endpoints as one JSON line on stdout once listening."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Folder for state, objects and TLS files."),
                                     QStringLiteral("dir"));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("GameLift Streams port; 0 picks a free one."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption s3Port(QStringLiteral("s3-port"), QStringLiteral("S3 port; 0 picks a free one."),
                                    QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption noTls(QStringLiteral("no-tls"), QStringLiteral("Plain HTTP (loopback only)."));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"), QStringLiteral("PEM certificate (chain) to serve."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"), QStringLiteral("PEM private key of --tls-cert."),
                                    QStringLiteral("file"));
    const QCommandLineOption tlsHost(QStringLiteral("tls-host"),
                                     QStringLiteral("Extra host name or IP for the generated certificate (repeatable)."),
                                     QStringLiteral("name"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the generated account (default 42)."),
                                  QStringLiteral("n"), QStringLiteral("42"));
    const QCommandLineOption groups(QStringLiteral("groups"), QStringLiteral("Stream groups to create (default 6)."),
                                    QStringLiteral("n"), QStringLiteral("6"));
    const QCommandLineOption sessions(QStringLiteral("sessions"), QStringLiteral("Stream sessions to create (default 60)."),
                                      QStringLiteral("n"), QStringLiteral("60"));
    const QCommandLineOption regions(QStringLiteral("regions"),
                                     QStringLiteral("Comma-separated Regions (default us-west-2,us-east-2)."),
                                     QStringLiteral("list"), QStringLiteral("us-west-2,us-east-2"));
    const QCommandLineOption account(QStringLiteral("account"), QStringLiteral("12-digit account id."),
                                     QStringLiteral("id"), QStringLiteral("111122223333"));
    const QCommandLineOption timeScale(QStringLiteral("time-scale"),
                                       QStringLiteral("Emulated seconds per real second (default 1)."),
                                       QStringLiteral("x"), QStringLiteral("1"));
    const QCommandLineOption arrivals(QStringLiteral("arrivals-per-hour"),
                                      QStringLiteral("New sessions starting per emulated hour, as players arrive (default 0)."),
                                      QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption archiveSize(QStringLiteral("archive-size"),
                                         QStringLiteral("Approximate bytes per exported archive (default 262144)."),
                                         QStringLiteral("bytes"), QStringLiteral("262144"));
    const QCommandLineOption accessKey(QStringLiteral("access-key"),
                                       QStringLiteral("Accepted key ID:SECRET[:TOKEN] (repeatable). Also read from "
                                                      "GLS_EMULATOR_ACCESS_KEYS (comma-separated). Default: the demo key."),
                                       QStringLiteral("key"));
    const QCommandLineOption bucket(QStringLiteral("bucket"),
                                    QStringLiteral("Bucket NAME[:REGION] to create (repeatable; default gls-exports)."),
                                    QStringLiteral("bucket"));
    const QCommandLineOption rate(QStringLiteral("rate-limit"),
                                  QStringLiteral("Requests per second per operation before ThrottlingException "
                                                 "(default 20; 0 turns it off)."),
                                  QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption fThrottle(QStringLiteral("fault-throttle"), QStringLiteral("Fraction answered 429."),
                                       QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption f500(QStringLiteral("fault-500"), QStringLiteral("Fraction answered 500."),
                                  QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption f503(QStringLiteral("fault-503"), QStringLiteral("Fraction answered 503."),
                                  QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption fReset(QStringLiteral("fault-reset"), QStringLiteral("Fraction of connections reset."),
                                    QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption fTruncate(QStringLiteral("fault-truncate"), QStringLiteral("Fraction of bodies cut short."),
                                       QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption fDelay(QStringLiteral("fault-delay-ms"), QStringLiteral("Delay every answer by ms."),
                                    QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption fStall(QStringLiteral("fault-stall"),
                                    QStringLiteral("Fraction of answers stalled for --fault-stall-ms before they are sent."),
                                    QStringLiteral("f"), QStringLiteral("0"));
    const QCommandLineOption fStallMs(QStringLiteral("fault-stall-ms"),
                                      QStringLiteral("How long a stalled answer waits (default 2000)."),
                                      QStringLiteral("ms"), QStringLiteral("2000"));
    const QCommandLineOption skew(QStringLiteral("clock-skew"), QStringLiteral("Server clock offset in seconds."),
                                  QStringLiteral("s"), QStringLiteral("0"));
    const QCommandLineOption deny(QStringLiteral("deny"),
                                  QStringLiteral("IAM action to refuse with AccessDenied, e.g. "
                                                 "gameliftstreams:ExportStreamSessionFiles, s3:GetObject or "
                                                 "sts:AssumeRole (repeatable)."),
                                  QStringLiteral("action"));
    const QCommandLineOption role(QStringLiteral("role"),
                                  QStringLiteral("A role STS can assume besides GlsExporterQA (repeatable): "
                                                 "ARN[,mfa-serial=ARN][,mfa-code=NNNNNN][,external-id=X][,max-duration=S]."),
                                  QStringLiteral("spec"));
    const QCommandLineOption noChecksums(QStringLiteral("no-default-checksums"),
                                         QStringLiteral("Store archives without the CRC64NVME checksum S3 adds to new "
                                                        "objects (as objects from before late 2024 are)."));
    const QCommandLineOption idle(QStringLiteral("idle-timeout-ms"),
                                  QStringLiteral("Close connections idle or stalled this long (default 60000)."),
                                  QStringLiteral("ms"), QStringLiteral("60000"));
    const QCommandLineOption settle(QStringLiteral("settle"),
        QStringLiteral("Write the seeded exports of sessions that have already ended at "
                       "start-up, and print the endpoints once they are written, so no "
                       "archive is being written when the first client connects "
                       "(benchmarks). Without it they are written 2-20 s after start-up."));
    p.addOptions({dataDir, host, port, s3Port, noTls, tlsCert, tlsKey, tlsHost, seed, groups, sessions, regions,
        account, timeScale, arrivals, archiveSize, accessKey, bucket, rate, fThrottle, f500, f503, fReset, fTruncate,
        fDelay, fStall, fStallMs, skew, deny, role, idle, noChecksums, settle});
    p.process(app);

    EmulatorConfig c;
    c.dataDir = p.isSet(dataDir) ? p.value(dataDir)
                                 : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                                       + QStringLiteral("/gls-emulator");
    if (!c.host.setAddress(p.value(host)))
        return fail(QStringLiteral("--host: '%1' is not an IP address").arg(p.value(host)));
    bool ok = false;
    auto number = [&](const QCommandLineOption &o, double lo, double hi, double *out) {
        *out = p.value(o).toDouble(&ok);
        if (!ok || *out < lo || *out > hi) {
            fail(QStringLiteral("--%1: '%2' must be a number from %3 to %4")
                     .arg(o.names().first(), p.value(o), QString::number(lo), QString::number(hi)));
            return false;
        }
        return true;
    };
    double v = 0;
    if (!number(port, 0, 65535, &v)) return 2;
    c.gameliftPort = quint16(v);
    if (!number(s3Port, 0, 65535, &v)) return 2;
    c.s3Port = quint16(v);
    c.tls = !p.isSet(noTls);
    c.tlsCertificate = p.value(tlsCert);
    c.tlsKey = p.value(tlsKey);
    if (c.tlsCertificate.isEmpty() != c.tlsKey.isEmpty())
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    c.tlsHosts = p.values(tlsHost);
    c.seed = p.value(seed).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed: '%1' must be a whole number").arg(p.value(seed)));
    if (!number(groups, 1, 10000, &v)) return 2;
    c.groups = int(v);
    if (!number(sessions, 0, 1000000, &v)) return 2;
    c.sessions = int(v);
    c.regions = p.value(regions).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (c.regions.isEmpty())
        return fail(QStringLiteral("--regions: give at least one Region"));
    c.account = p.value(account);
    if (c.account.size() != 12 || !std::all_of(c.account.cbegin(), c.account.cend(), [](QChar ch) { return ch.isDigit(); }))
        return fail(QStringLiteral("--account: '%1' must be 12 digits").arg(c.account));
    if (!number(timeScale, 0.001, 1e6, &c.timeScale)) return 2;
    if (!number(arrivals, 0, 1e6, &c.arrivalsPerHour)) return 2;
    if (!number(archiveSize, 0, 64.0 * 1024 * 1024 * 1024, &v)) return 2;
    c.archiveSize = qint64(v);
    c.defaultChecksums = !p.isSet(noChecksums);
    c.settle = p.isSet(settle);
    QStringList keys = p.values(accessKey);
    keys += qEnvironmentVariable("GLS_EMULATOR_ACCESS_KEYS").split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &k : keys) {
        AccessKey key;
        if (!parseKey(k, &key))
            return fail(QStringLiteral("--access-key: expected ID:SECRET or ID:SECRET:TOKEN"));
        c.accessKeys.append(key);
    }
    if (c.accessKeys.isEmpty())
        c.accessKeys.append(AccessKey{kDemoKeyId, kDemoSecret, {}});
    const QStringList buckets = p.isSet(bucket) ? p.values(bucket) : QStringList{QStringLiteral("gls-exports")};
    for (const QString &b : buckets) {
        const qsizetype colon = b.indexOf(QLatin1Char(':'));
        c.buckets.append({colon < 0 ? b : b.left(colon), colon < 0 ? QString() : b.mid(colon + 1)});
    }
    if (!number(rate, 0, 1e9, &c.rateLimit)) return 2;
    if (!number(fThrottle, 0, 1, &c.faults.throttle)) return 2;
    if (!number(f500, 0, 1, &c.faults.error500)) return 2;
    if (!number(f503, 0, 1, &c.faults.error503)) return 2;
    if (!number(fReset, 0, 1, &c.faults.reset)) return 2;
    if (!number(fTruncate, 0, 1, &c.faults.truncate)) return 2;
    if (!number(fDelay, 0, 600000, &v)) return 2;
    c.faults.delayMs = int(v);
    if (p.isSet(fStall) || p.isSet(fStallMs)) {
        if (p.isSet(fDelay))
            return fail(QStringLiteral("--fault-delay-ms delays every answer; --fault-stall and --fault-stall-ms delay a "
                                       "fraction of them: give one or the other"));
        if (!number(fStall, 0, 1, &c.faults.delayFraction)) return 2;
        if (!number(fStallMs, 0, 600000, &v)) return 2;
        c.faults.delayMs = c.faults.delayFraction > 0 ? int(v) : 0;
    }
    if (!number(skew, -1e9, 1e9, &v)) return 2;
    c.faults.clockSkewSeconds = qint64(v);
    for (const QString &action : p.values(deny)) {
        if (!AccessPolicy::isValidAction(action))
            return fail(QStringLiteral("--deny: '%1' is not an IAM action such as s3:GetObject").arg(action));
        c.deniedActions.append(action);
    }
    for (const QString &spec : p.values(role)) {
        Role r;
        QString why;
        if (!IdentityStore::parseRoleSpec(spec, &r, &why))
            return fail(QStringLiteral("--role: %1").arg(why));
        c.roles.append(r);
    }
    if (!number(idle, 100, 3600000, &v)) return 2;
    c.idleTimeoutMs = int(v);

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return fail(QStringLiteral("cannot create the signal pipe"));
    QSocketNotifier notifier(g_signalFd[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(g_signalFd[0], &c, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    Emulator emulator(c);
    QString error;
    if (!emulator.start(&error))
        return fail(error);
    if (c.settle && emulator.state()->archivesOutstanding() > 0) {
        // The archives start on the state's timer and finish on worker
        // threads; their count is looked at between events, every 20 ms.
        QEventLoop settling;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &settling, [&] {
            if (emulator.state()->archivesOutstanding() == 0)
                settling.quit();
        });
        QObject::connect(&notifier, &QSocketNotifier::activated, &settling, &QEventLoop::quit);
        poll.start(20);
        settling.exec();
        if (emulator.state()->archivesOutstanding() > 0) { // stopped by a signal first
            emulator.stop();
            return 0;
        }
    }
    const QByteArray line = QJsonDocument(emulator.endpoints()).toJson(QJsonDocument::Compact);
    std::fprintf(stdout, "%s\n", line.constData());
    std::fflush(stdout);
    const int rc = app.exec();
    emulator.stop();
    return rc;
}
