#include "RateLimiter.h"

#include <algorithm>

namespace gls::emu {

RateLimiter::RateLimiter(double ratePerSecond)
    : m_rate(ratePerSecond)
{
    m_clock.start();
}

void RateLimiter::setRate(double ratePerSecond)
{
    m_rate = ratePerSecond;
    m_buckets.clear();
}

bool RateLimiter::tryAcquire(const QString &operation)
{
    if (m_rate <= 0)
        return true;
    const qint64 now = m_clock.nsecsElapsed();
    auto it = m_buckets.find(operation);
    if (it == m_buckets.end())
        it = m_buckets.insert(operation, Bucket{m_rate, now});
    Bucket &b = *it;
    b.tokens = std::min(m_rate, b.tokens + (now - b.lastNs) / 1e9 * m_rate);
    b.lastNs = now;
    if (b.tokens < 1.0)
        return false;
    b.tokens -= 1.0;
    return true;
}

} // namespace gls::emu
