#include "LoadRunner.h"

#include "HttpConnection.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <memory>

namespace gls::bench {

namespace {

constexpr int kOpenTimeoutMs = 30000;
constexpr int kDrainTimeoutMs = 10000;

QElapsedTimer &monotonic()
{
    static QElapsedTimer c = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return c;
}

} // namespace

class LoadRunner::Slot {
public:
    std::unique_ptr<HttpConnection> connection;
    qint64 sentAtNs = 0;
};

double LoadResult::percentileMs(double p) const
{
    if (latencyNs.empty())
        return 0;
    // Nearest rank.
    const auto rank = std::clamp<qsizetype>(qsizetype(std::ceil(p / 100.0 * double(latencyNs.size()))), 1,
                                            qsizetype(latencyNs.size()));
    return double(latencyNs[size_t(rank - 1)]) / 1e6;
}

QJsonObject LoadResult::toJson() const
{
    QJsonObject outcomesJson;
    for (auto it = outcomes.cbegin(); it != outcomes.cend(); ++it)
        outcomesJson.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("connections"), connections},
        {QStringLiteral("seconds"), seconds},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("outcomes"), outcomesJson},
        {QStringLiteral("requestsPerSecond"), requestsPerSecond()},
        {QStringLiteral("p50Ms"), percentileMs(50)},
        {QStringLiteral("p90Ms"), percentileMs(90)},
        {QStringLiteral("p99Ms"), percentileMs(99)},
        {QStringLiteral("maxMs"), latencyNs.empty() ? 0.0 : double(latencyNs.back()) / 1e6},
        {QStringLiteral("bodyBytes"), bodyBytes},
        {QStringLiteral("reconnects"), reconnects},
        // Percent of one core over the window.
        {QStringLiteral("emulatorCpuPercent"), emulatorCpuSeconds < 0 ? -1.0 : 100.0 * emulatorCpuSeconds / seconds},
        {QStringLiteral("clientCpuPercent"), 100.0 * clientCpuSeconds / seconds},
        // The emulator's cost per answer: steadier than the rate on a shared machine.
        {QStringLiteral("emulatorCpuMicrosPerRequest"),
         emulatorCpuSeconds < 0 || succeeded + errors == 0 ? -1.0 : 1e6 * emulatorCpuSeconds / double(succeeded + errors)},
    };
}

LoadRunner::LoadRunner(const BenchTarget &target, const QUrl &base, RequestFactory next, Options options,
                       QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_base(base)
    , m_next(std::move(next))
    , m_options(options)
{
}

void LoadRunner::issue(Slot *slot)
{
    ++m_inFlight;
    QByteArray request = m_next(); // signed before the clock starts: latency is the wire and the server
    slot->sentAtNs = monotonic().nsecsElapsed();
    slot->connection->send(std::move(request), false); // bodies are counted, not kept
}

void LoadRunner::settle(Slot *slot, qint64 nowNs, const QString &outcome, qint64 bytes)
{
    --m_inFlight;
    if (m_measuring) {
        ++m_result.outcomes[outcome];
        const bool failed = outcome == QLatin1String("failed");
        if (!failed)
            m_result.latencyNs.push_back(nowNs - slot->sentAtNs);
        m_result.bodyBytes += bytes;
        if (outcome.startsWith(QLatin1Char('2')))
            ++m_result.succeeded;
        else
            ++m_result.errors;
    }
    if (!m_stopping)
        issue(slot);
}

bool LoadRunner::run(LoadResult *out, QString *error)
{
    std::vector<std::unique_ptr<Slot>> slots;
    QEventLoop loop;
    int opened = 0;
    QString openError;
    for (int i = 0; i < m_options.connections; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->connection = std::make_unique<HttpConnection>(m_base, m_target.caCertificates);
        Slot *raw = slot.get();
        connect(raw->connection.get(), &HttpConnection::opened, &loop, [&] {
            if (++opened == m_options.connections)
                loop.quit();
        });
        connect(raw->connection.get(), &HttpConnection::failed, &loop, [&](const QString &why) {
            openError = why;
            loop.quit();
        });
        slots.push_back(std::move(slot));
    }
    QTimer openTimeout;
    openTimeout.setSingleShot(true);
    connect(&openTimeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    openTimeout.start(kOpenTimeoutMs);
    for (const auto &slot : slots)
        slot->connection->open();
    loop.exec();
    openTimeout.stop();
    for (const auto &slot : slots)
        disconnect(slot->connection.get(), nullptr, &loop, nullptr);
    if (opened != m_options.connections) {
        *error = QStringLiteral("opened %1 of %2 connections: %3")
                     .arg(opened)
                     .arg(m_options.connections)
                     .arg(openError.isEmpty() ? QStringLiteral("timed out") : openError);
        return false;
    }

    m_result = {};
    m_result.connections = m_options.connections;
    m_result.latencyNs.reserve(1 << 20);
    for (const auto &slot : slots) {
        Slot *raw = slot.get();
        connect(raw->connection.get(), &HttpConnection::finished, this, [this, raw](const HttpReply &reply) {
            settle(raw, monotonic().nsecsElapsed(), QString::number(reply.status), reply.bodyBytes);
        });
        connect(raw->connection.get(), &HttpConnection::failed, this,
                [this, raw] { settle(raw, monotonic().nsecsElapsed(), QStringLiteral("failed"), 0); });
    }

    double emulatorCpuAtStart = -1;
    double clientCpuAtStart = 0;
    QTimer windowEnd;
    windowEnd.setSingleShot(true);
    connect(&windowEnd, &QTimer::timeout, this, [&] {
        // The window closes now, however late the timer fired: it counts what it saw.
        m_measuring = false;
        m_stopping = true;
        m_windowEndNs = monotonic().nsecsElapsed();
        const double emulatorCpu = processCpuSeconds(m_target.pid);
        m_result.clientCpuSeconds = selfCpuSeconds() - clientCpuAtStart;
        m_result.emulatorCpuSeconds = emulatorCpuAtStart < 0 || emulatorCpu < 0 ? -1 : emulatorCpu - emulatorCpuAtStart;
        m_result.seconds = double(m_windowEndNs - m_windowStartNs) / 1e9;
        if (m_inFlight == 0)
            loop.quit();
    });
    QTimer::singleShot(m_options.warmupMs, this, [&] {
        m_windowStartNs = monotonic().nsecsElapsed();
        m_measuring = true;
        emulatorCpuAtStart = processCpuSeconds(m_target.pid);
        clientCpuAtStart = selfCpuSeconds();
        windowEnd.start(m_options.durationMs);
    });
    QTimer drain;
    connect(&drain, &QTimer::timeout, &loop, [&] {
        if (m_stopping && (m_inFlight == 0 || monotonic().nsecsElapsed() > m_windowEndNs + qint64(kDrainTimeoutMs) * 1000000))
            loop.quit();
    });
    drain.start(20);
    m_stopping = false;
    m_measuring = false;
    for (const auto &slot : slots)
        issue(slot.get());
    loop.exec();

    for (const auto &slot : slots)
        m_result.reconnects += slot->connection->reconnects();
    std::sort(m_result.latencyNs.begin(), m_result.latencyNs.end());
    *out = std::move(m_result);
    return true;
}

} // namespace gls::bench
