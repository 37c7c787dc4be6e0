#pragma once

// How long to wait between two looks at an export that is still PENDING:
// 2 s at first, growing by half each time up to 30 s, each delay moved by up
// to ±20 % at random so many waiting clients do not ask in step. Pure: the
// random source is injected.

#include <functional>

namespace gls::exports {

class PollBackoff {
public:
    using Random = std::function<double()>; // uniform in [0, 1)

    struct Settings {
        int firstMs = 2000;
        int maxMs = 30000;
        double growth = 1.5;
        double jitter = 0.2;
    };

    explicit PollBackoff(Random random = {});
    PollBackoff(Settings settings, Random random);

    // The next delay; never above maxMs.
    int nextDelayMs();
    void reset() { m_baseMs = m_settings.firstMs; }

private:
    Settings m_settings;
    Random m_random;
    double m_baseMs;
};

} // namespace gls::exports
