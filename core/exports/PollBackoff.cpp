#include "PollBackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace gls::exports {

PollBackoff::PollBackoff(Random random)
    : PollBackoff(Settings{}, std::move(random))
{
}

PollBackoff::PollBackoff(Settings settings, Random random)
    : m_settings(settings)
    , m_random(random ? std::move(random) : Random([] { return QRandomGenerator::global()->generateDouble(); }))
    , m_baseMs(settings.firstMs)
{
}

int PollBackoff::nextDelayMs()
{
    const double factor = 1.0 - m_settings.jitter + 2.0 * m_settings.jitter * m_random();
    const int delay = int(std::min(m_baseMs * factor, double(m_settings.maxMs)));
    m_baseMs = std::min(m_baseMs * m_settings.growth, double(m_settings.maxMs));
    return delay;
}

} // namespace gls::exports
