#pragma once

// Drives N keep-alive connections, one request in flight on each, for a
// warm-up and then a measured window, and collects what the window saw:
// answers by status, transport failures, latencies, and the CPU time the
// emulator and this client spent meanwhile.

#include "BenchTarget.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QUrl>

#include <functional>
#include <vector>

namespace gls::bench {

struct LoadResult {
    int connections = 0;
    double seconds = 0;       // the measured window
    qint64 succeeded = 0;     // 2xx answers received inside the window
    qint64 errors = 0;        // other answers plus transport failures inside the window
    QMap<QString, qint64> outcomes; // "200", "429", "failed" -> count
    qint64 bodyBytes = 0;
    int reconnects = 0;
    double emulatorCpuSeconds = -1;
    double clientCpuSeconds = 0;
    std::vector<qint64> latencyNs; // sorted, every answer inside the window (not failures)

    double requestsPerSecond() const { return seconds > 0 ? double(succeeded) / seconds : 0; }
    double percentileMs(double p) const;
    QJsonObject toJson() const;
};

class LoadRunner : public QObject {
    Q_OBJECT
public:
    using RequestFactory = std::function<QByteArray()>;
    struct Options {
        int connections = 1;
        int warmupMs = 1000;
        int durationMs = 5000;
    };

    LoadRunner(const BenchTarget &target, const QUrl &base, RequestFactory next, Options options,
               QObject *parent = nullptr);

    // Opens the connections, runs warm-up and window, waits for the answers in flight.
    bool run(LoadResult *out, QString *error);

private:
    class Slot;
    void issue(Slot *slot);
    void settle(Slot *slot, qint64 nowNs, const QString &outcome, qint64 bytes);

    const BenchTarget &m_target;
    QUrl m_base;
    RequestFactory m_next;
    Options m_options;
    LoadResult m_result;
    qint64 m_windowStartNs = 0;
    qint64 m_windowEndNs = 0;
    bool m_measuring = false;
    bool m_stopping = false;
    int m_inFlight = 0;
};

} // namespace gls::bench
