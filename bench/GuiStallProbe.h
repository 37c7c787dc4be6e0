#pragma once

// A 5 ms timer on the GUI thread that records how late each tick is: the
// time the thread spent on something else (a stall) beyond the interval.
// take() returns the figures since the last take() and starts afresh.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>

class QTimer;

namespace gls::bench {

struct StallStats {
    int ticks = 0;
    double maxMs = 0;    // the longest lateness of one tick
    double maxAtMs = 0;  // when that tick came, from the start of the window
    double p99Ms = 0;    // nearest rank over the ticks
    double over16Ms = 0; // ticks later than 16 ms (a missed 60 Hz frame)
    double over50Ms = 0; // ticks later than 50 ms (the goal)
    double windowMs = 0; // how long the figures cover
    // Of the longest stall: the CPU time the GUI thread used in it, and how
    // often it was preempted (involuntary context switches). CPU close to the
    // stall: the thread was busy; far below: it waited or was not scheduled.
    double maxCpuMs = 0;
    double maxPreempted = 0;

    QJsonObject toJson() const;
};

class GuiStallProbe : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 5;

    explicit GuiStallProbe(QObject *parent = nullptr);

    void start();
    void stop();
    StallStats take();

private:
    void onTick();

    QTimer *m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_lastCpuNs = 0;
    long m_lastPreempted = 0;
    qint64 m_windowStartNs = 0;
    QList<double> m_lateMs;
    double m_maxAtMs = 0;
    double m_maxMs = -1;
    double m_maxCpuMs = 0;
    double m_maxPreempted = 0;
};

} // namespace gls::bench
