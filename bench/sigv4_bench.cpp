// gls-bench-sigv4: SigV4 signatures per second on one core (issue 8), for the
// requests the app sends, through the code path AwsTransport signs with, and
// what each part of a signature costs. Measures, never asserts.
//
//   gls-bench-sigv4 scenarios                 the requests, as JSON lines (for botocore_sigv4.py)
//   gls-bench-sigv4 check --botocore FILE     our Authorization == botocore's for the same inputs?
//   gls-bench-sigv4 run [--seconds S] [--rep N]   rates, one JSON line per scenario and figure
//   gls-bench-sigv4 report --input RAW --markdown MD --json JSON
//
// Single-threaded. Each figure is a loop run for about S seconds of this
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID); rates are per CPU-second (what
// one core sustains, steady on a shared machine) and per wall-second.

#include "Sha256Floor.h"
#include "Sigv4BenchReport.h"
#include "Sigv4Scenarios.h"

#include "sigv4/SigV4.h"
#include "sigv4/SigningKeyCache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace gls;
using gls::bench::Sigv4Scenario;

namespace {

void printLine(const QJsonObject &line)
{
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Keeps results observable so the compiler cannot drop the work.
volatile unsigned char g_sink = 0;
void consume(const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        g_sink = g_sink ^ static_cast<unsigned char>(bytes.back());
}

struct Rate {
    qint64 iterations = 0;
    double cpuSeconds = 0;
    double wallSeconds = 0;
};

// Runs `step` in batches until `seconds` of this thread's CPU time have passed.
Rate measure(double seconds, const std::function<void()> &step)
{
    for (int i = 0; i < 200; ++i) // warm caches, the key cache, OpenSSL's lazy set-up
        step();
    Rate r;
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = threadCpuSeconds();
    qint64 batch = 256;
    for (;;) {
        for (qint64 i = 0; i < batch; ++i)
            step();
        r.iterations += batch;
        r.cpuSeconds = threadCpuSeconds() - cpu0;
        if (r.cpuSeconds >= seconds)
            break;
        if (r.cpuSeconds < seconds / 20)
            batch *= 2;
    }
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return r;
}

// The SigningRequest AwsTransport builds for this request (minus its own URL work).
sigv4::SigningRequest signingRequest(const Sigv4Scenario &s)
{
    sigv4::SigningRequest sr;
    sr.method = s.method;
    sr.wirePath = s.wirePath;
    sr.wireQuery = s.wireQuery;
    static const QByteArray host = bench::kSigv4Host.toByteArray();
    sr.host = host;
    sr.headers = s.headers;
    return sr;
}

// The scope AwsTransport signs with: views of its endpoint's region and
// service, the date left for signHeaders to take from the x-amz-date it writes.
sigv4::ScopeView transportScope()
{
    static const QByteArray region = bench::kSigv4Region.toByteArray();
    static const QByteArray service = bench::kSigv4Service.toByteArray();
    return sigv4::ScopeView({}, region, service);
}

// The same scope dated, for the parts measured on their own.
sigv4::Scope scopeAt(const QDateTime &now)
{
    const sigv4::ScopeView view = transportScope();
    return sigv4::Scope{sigv4::amzDate(now).left(8), view.region.toByteArray(), view.service.toByteArray()};
}

// What AwsCall::sendWithCredentials does to sign one attempt: hash the body,
// sign with the transport's key cache.
sigv4::SignedHeaders signLikeTransport(const Sigv4Scenario &s, const sigv4::Credentials &creds, const QDateTime &now,
    sigv4::SigningKeyCache &keys, bool keepTexts = false)
{
    sigv4::SigningRequest sr = signingRequest(s);
    sr.payloadHash = sigv4::sha256Hex(s.body);
    sr.keepTexts = keepTexts; // the transport keeps them for --debug only
    return sigv4::signHeaders(sr, creds, transportScope(), now, keys);
}

// The same without a key cache: the key is derived for every signature.
sigv4::SignedHeaders signUncached(const Sigv4Scenario &s, const sigv4::Credentials &creds, const QDateTime &now)
{
    sigv4::SigningRequest sr = signingRequest(s);
    sr.payloadHash = sigv4::sha256Hex(s.body);
    sr.keepTexts = false;
    return sigv4::signHeaders(sr, creds, transportScope(), now);
}

QByteArray headerOf(const sigv4::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

int scenarios()
{
    for (const Sigv4Scenario &s : bench::sigv4Scenarios())
        printLine(s.toJson());
    return 0;
}

// Compares our Authorization with botocore's (from botocore_sigv4.py check)
// for every scenario at the fixed time, both with and without the key cache.
int check(const QString &botocoreFile)
{
    QFile f(botocoreFile);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "gls-bench-sigv4: cannot read %s\n", qPrintable(botocoreFile));
        return 2;
    }
    QHash<QString, QJsonObject> theirs;
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        if (!o.isEmpty())
            theirs.insert(o.value(QStringLiteral("name")).toString(), o);
    }
    const QDateTime at = bench::sigv4CheckTime();
    sigv4::SigningKeyCache keys;
    int failures = 0;
    for (const Sigv4Scenario &s : bench::sigv4Scenarios()) {
        const QString name = QString::fromLatin1(s.name);
        const sigv4::Credentials creds = bench::sigv4ExampleCredentials(s.sessionToken);
        const sigv4::SignedHeaders cached = signLikeTransport(s, creds, at, keys, true);
        const sigv4::SignedHeaders uncached = signUncached(s, creds, at);
        const QByteArray ours = headerOf(cached.headers, "authorization");
        const QJsonObject boto = theirs.value(name);
        const QByteArray botoAuth = boto.value(QStringLiteral("authorization")).toString().toLatin1();
        const bool cacheAgrees = ours == headerOf(uncached.headers, "authorization");
        const bool match = !boto.isEmpty() && ours == botoAuth && cacheAgrees;
        printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("check")}, {QStringLiteral("scenario"), name},
            {QStringLiteral("match"), match}, {QStringLiteral("authorization"), QString::fromLatin1(ours)}});
        if (match)
            continue;
        ++failures;
        std::fprintf(stderr, "MISMATCH %s%s\n  ours:     %s\n  botocore: %s\n", s.name.constData(),
            cacheAgrees ? "" : " (cached and uncached signatures differ)", ours.constData(),
            boto.isEmpty() ? "(missing)" : botoAuth.constData());
        std::fprintf(stderr, "-- our canonical request --\n%s\n-- botocore's --\n%s\n",
            cached.canonicalRequest.constData(), qPrintable(boto.value(QStringLiteral("canonicalRequest")).toString()));
    }
    return failures ? 1 : 0;
}

QStringList g_figures; // run --figure: only these (for profiling)

bool wanted(const char *figure)
{
    return g_figures.isEmpty() || g_figures.contains(QLatin1String(figure));
}

void record(const QByteArray &scenario, const char *figure, int rep, const Rate &r)
{
    printLine(QJsonObject{{QStringLiteral("kind"), QStringLiteral("rate")},
        {QStringLiteral("impl"), QStringLiteral("gls")}, {QStringLiteral("scenario"), QString::fromLatin1(scenario)},
        {QStringLiteral("figure"), QString::fromLatin1(figure)}, {QStringLiteral("rep"), rep},
        {QStringLiteral("iterations"), r.iterations}, {QStringLiteral("cpuSeconds"), r.cpuSeconds},
        {QStringLiteral("wallSeconds"), r.wallSeconds},
        {QStringLiteral("perCpuSecond"), double(r.iterations) / r.cpuSeconds},
        {QStringLiteral("perWallSecond"), double(r.iterations) / r.wallSeconds}});
}

int run(double seconds, int rep, const QStringList &only)
{
    // Signing at one fixed instant: the transport reads its clock, which is
    // not signing. The key cache always hits within a day, as it does here.
    const QDateTime now = bench::sigv4CheckTime();
    for (const Sigv4Scenario &s : bench::sigv4Scenarios()) {
        if (!only.isEmpty() && !only.contains(QString::fromLatin1(s.name)))
            continue;
        const sigv4::Credentials creds = bench::sigv4ExampleCredentials(s.sessionToken);
        sigv4::SigningKeyCache keys;
        if (wanted("transport")) {
            const Rate r
                = measure(seconds, [&] { consume(signLikeTransport(s, creds, now, keys).headers.last().second); });
            record(s.name, "transport", rep, r);
            std::fprintf(stderr, "  rep %d %-20s gls %9.0f signatures per CPU-second\n", rep, s.name.constData(),
                double(r.iterations) / r.cpuSeconds);
        }
        if (wanted("uncached"))
            record(s.name, "uncached", rep,
                measure(seconds, [&] { consume(signUncached(s, creds, now).headers.last().second); }));

        // The parts, on the inputs signHeaders builds.
        const sigv4::SignedHeaders signedHeaders = signLikeTransport(s, creds, now, keys, true);
        const QByteArray amz = sigv4::amzDate(now);
        const sigv4::Scope scope = scopeAt(now);
        sigv4::CanonicalRequestInput in;
        in.method = s.method;
        in.wirePath = s.wirePath;
        in.wireQuery = s.wireQuery;
        in.headers = signedHeaders.headers;
        in.headers.removeLast(); // authorization
        for (const auto &h : in.headers)
            in.signedNames.append(h.first);
        in.payloadHash = sigv4::sha256Hex(s.body);
        const QByteArray canonical = sigv4::canonicalRequest(in);
        if (canonical != signedHeaders.canonicalRequest)
            std::fprintf(
                stderr, "gls-bench-sigv4: %s: the component inputs differ from signHeaders'\n", s.name.constData());
        const QByteArray toSign = sigv4::stringToSign(amz, scope, canonical);
        const QByteArray key = sigv4::signingKey(creds.secretAccessKey, scope);

        if (wanted("payload-hash"))

            record(s.name, "payload-hash", rep, measure(seconds, [&] { consume(sigv4::sha256Hex(s.body)); }));
        if (wanted("canonical-request"))
            record(s.name, "canonical-request", rep, measure(seconds, [&] { consume(sigv4::canonicalRequest(in)); }));
        if (wanted("string-to-sign"))
            record(s.name, "string-to-sign", rep,
                measure(seconds, [&] { consume(sigv4::stringToSign(amz, scope, canonical)); }));
        if (wanted("hmac-cached-key"))
            record(s.name, "hmac-cached-key", rep, measure(seconds, [&] {
                QByteArray sig;
                keys.appendSignature(sig, creds.secretAccessKey, scope, toSign);
                consume(sig);
            }));
        if (wanted("hmac"))
            record(s.name, "hmac", rep, measure(seconds, [&] { consume(sigv4::signature(key, toSign)); }));
        if (wanted("sha256-floor")) {
            bench::Sha256Floor floor(key, s.body, canonical, toSign);
            record(s.name, "sha256-floor", rep, measure(seconds, [&] { g_sink = g_sink ^ floor.run(); }));
        }
        if (wanted("signing-key"))
            record(s.name, "signing-key", rep,
                measure(seconds, [&] { consume(sigv4::signingKey(creds.secretAccessKey, scope)); }));
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("SigV4 signing rates (issue 8). Commands: scenarios, check, run, report."));
    parser.addHelpOption();
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("run: CPU seconds per figure (1)."),
        QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption rep(QStringLiteral("rep"), QStringLiteral("run: repetition number to record."),
        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"), QStringLiteral("run: only this scenario (repeatable)."), QStringLiteral("NAME"));
    const QCommandLineOption figure(
        QStringLiteral("figure"), QStringLiteral("run: only this figure (repeatable)."), QStringLiteral("NAME"));
    const QCommandLineOption botocore(
        QStringLiteral("botocore"), QStringLiteral("check: botocore_sigv4.py's output."), QStringLiteral("FILE"));
    const QCommandLineOption input(
        QStringLiteral("input"), QStringLiteral("report: raw JSON lines."), QStringLiteral("FILE"));
    const QCommandLineOption markdown(
        QStringLiteral("markdown"), QStringLiteral("report: tables."), QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("report: summary."), QStringLiteral("FILE"));
    parser.addOptions({seconds, rep, scenario, figure, botocore, input, markdown, json});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("scenarios, check, run or report"));
    parser.process(app);

    const QString command = parser.positionalArguments().value(0);
    if (command == QLatin1String("scenarios"))
        return scenarios();
    if (command == QLatin1String("check"))
        return check(parser.value(botocore));
    g_figures = parser.values(figure);
    if (command == QLatin1String("run"))
        return run(parser.value(seconds).toDouble(), parser.value(rep).toInt(), parser.values(scenario));
    if (command == QLatin1String("report")) {
        bench::Sigv4BenchReport report;
        QString error;
        if (!report.read(parser.value(input), &error)
            || !report.write(parser.value(markdown), parser.value(json), &error)) {
            std::fprintf(stderr, "gls-bench-sigv4: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    parser.showHelp(2);
}
