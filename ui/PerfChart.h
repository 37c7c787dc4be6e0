#pragma once

// The perf-stats CSV of an export archive as a chart: CPU % and GPU % on a
// percent axis (left), memory and VRAM in MB on a second axis (right), time in
// seconds since the first row (the real start time is in the axis title), and
// a legend. Rows the parser left out are counted in the title.

#include "archive/PerfStats.h"

#include <QChartView>

class QLineSeries;

namespace gls::ui {

class PerfChart : public QChartView {
    Q_OBJECT
public:
    explicit PerfChart(QWidget *parent = nullptr);

    void setStats(const archive::PerfStats &stats);
    // The series shown, in the order CPU, memory, GPU, VRAM (those present).
    QList<QLineSeries *> series() const { return m_series; }

private:
    QList<QLineSeries *> m_series;
};

} // namespace gls::ui
