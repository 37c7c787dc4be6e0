#pragma once

// A token bucket per operation: `rate` requests per second with a burst of the
// same size, as the service's documented per-operation limit behaves.

#include <QElapsedTimer>
#include <QHash>
#include <QString>

namespace gls::emu {

class RateLimiter {
public:
    explicit RateLimiter(double ratePerSecond = 20); // 0 turns limiting off

    bool tryAcquire(const QString &operation);
    void setRate(double ratePerSecond);
    double rate() const { return m_rate; }

private:
    struct Bucket {
        double tokens = 0;
        qint64 lastNs = 0;
    };
    double m_rate;
    QElapsedTimer m_clock;
    QHash<QString, Bucket> m_buckets;
};

} // namespace gls::emu
