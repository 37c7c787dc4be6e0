#include "GuiStallProbe.h"

#include <QTimer>

#include <algorithm>
#include <cmath>

#include <sys/resource.h>
#include <time.h>

namespace gls::bench {

namespace {

qint64 threadCpuNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

long threadPreemptions()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}

} // namespace

QJsonObject StallStats::toJson() const
{
    return QJsonObject{{QStringLiteral("ticks"), ticks}, {QStringLiteral("maxMs"), maxMs},
        {QStringLiteral("maxAtMs"), maxAtMs}, {QStringLiteral("p99Ms"), p99Ms}, {QStringLiteral("over16Ms"), over16Ms},
        {QStringLiteral("over50Ms"), over50Ms}, {QStringLiteral("windowMs"), windowMs},
        {QStringLiteral("maxCpuMs"), maxCpuMs}, {QStringLiteral("maxPreempted"), maxPreempted}};
}

GuiStallProbe::GuiStallProbe(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(kIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &GuiStallProbe::onTick);
}

void GuiStallProbe::start()
{
    m_clock.start();
    m_lastNs = 0;
    m_lastCpuNs = threadCpuNs();
    m_lastPreempted = threadPreemptions();
    m_windowStartNs = 0;
    m_lateMs.clear();
    m_maxMs = -1;
    m_timer->start();
}

void GuiStallProbe::stop()
{
    m_timer->stop();
}

void GuiStallProbe::onTick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double late = std::max(0.0, double(now - m_lastNs) / 1e6 - kIntervalMs);
    m_lastNs = now;
    const qint64 cpu = threadCpuNs();
    const long preempted = threadPreemptions();
    m_lateMs.append(late);
    if (late > m_maxMs) {
        m_maxMs = late;
        m_maxCpuMs = double(cpu - m_lastCpuNs) / 1e6;
        m_maxPreempted = double(preempted - m_lastPreempted);
        // The stall began about `late` ms before this tick.
        m_maxAtMs = double(now - m_windowStartNs) / 1e6 - late;
    }
    m_lastCpuNs = cpu;
    m_lastPreempted = preempted;
}

StallStats GuiStallProbe::take()
{
    StallStats s;
    const qint64 now = m_clock.nsecsElapsed();
    // Time since the last tick counts too: a stall still going on at the end.
    const double pending = std::max(0.0, double(now - m_lastNs) / 1e6 - kIntervalMs);
    if (pending > 0 && m_timer->isActive())
        m_lateMs.append(pending);
    s.windowMs = double(now - m_windowStartNs) / 1e6;
    s.ticks = int(m_lateMs.size());
    if (!m_lateMs.isEmpty()) {
        std::sort(m_lateMs.begin(), m_lateMs.end());
        s.maxMs = m_lateMs.last();
        s.maxAtMs = pending >= m_maxMs ? s.windowMs - pending : m_maxAtMs;
        s.maxCpuMs = m_maxCpuMs;
        s.maxPreempted = m_maxPreempted;
        const auto rank = qsizetype(std::ceil(0.99 * double(m_lateMs.size())));
        s.p99Ms = m_lateMs.at(std::clamp<qsizetype>(rank - 1, 0, m_lateMs.size() - 1));
        s.over16Ms = double(std::count_if(m_lateMs.begin(), m_lateMs.end(), [](double v) { return v > 16; }));
        s.over50Ms = double(std::count_if(m_lateMs.begin(), m_lateMs.end(), [](double v) { return v > 50; }));
    }
    m_lateMs.clear();
    m_maxMs = -1;
    m_windowStartNs = now;
    m_lastNs = now;
    m_lastCpuNs = threadCpuNs();
    m_lastPreempted = threadPreemptions();
    return s;
}

} // namespace gls::bench
