#include "PerfChart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace gls::ui {

PerfChart::PerfChart(QWidget *parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(tr("Performance chart"));
    setToolTip(tr("CPU and GPU use in percent (left axis), memory and VRAM in MB (right axis)"));
    setMinimumSize(320, 240);
}

void PerfChart::setStats(const archive::PerfStats &stats)
{
    auto *chart = new QChart;
    m_series.clear();
    QString title = tr("Performance over the session");
    if (!stats.problems.isEmpty())
        title = tr("Performance over the session (rows left out, unreadable: %1)").arg(stats.problems.size());
    chart->setTitle(title);
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);

    auto *timeAxis = new QValueAxis(chart);
    const QString start = stats.times.isEmpty()
        ? QString()
        : stats.times.first().toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    timeAxis->setTitleText(tr("Seconds since %1 UTC").arg(start));
    timeAxis->setLabelFormat(QStringLiteral("%d"));
    const double seconds = std::max(1.0, stats.elapsedSeconds.isEmpty() ? 1.0 : stats.elapsedSeconds.last());
    timeAxis->setRange(0, seconds);
    // Ticks on round numbers of seconds (1, 2, 5 x 10^k), about six of them.
    double step = std::pow(10.0, std::floor(std::log10(seconds / 6)));
    for (double factor : {2.0, 5.0, 10.0}) {
        if (seconds / step <= 8)
            break;
        step = std::pow(10.0, std::floor(std::log10(seconds / 6))) * factor;
    }
    timeAxis->setTickType(QValueAxis::TicksDynamic);
    timeAxis->setTickAnchor(0);
    timeAxis->setTickInterval(std::max(1.0, step));
    auto *percentAxis = new QValueAxis(chart);
    percentAxis->setTitleText(tr("Percent (%)"));
    percentAxis->setRange(0, 100);
    percentAxis->setLabelFormat(QStringLiteral("%d"));
    auto *mbAxis = new QValueAxis(chart);
    mbAxis->setTitleText(tr("Megabytes (MB)"));
    mbAxis->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(timeAxis, Qt::AlignBottom);
    chart->addAxis(percentAxis, Qt::AlignLeft);
    chart->addAxis(mbAxis, Qt::AlignRight);

    struct Shown {
        const archive::PerfSeries *series;
        QValueAxis *axis;
        QColor colour;
        Qt::PenStyle style;
    };
    // Percent series solid, MB series dashed, so the two axes read apart
    // without relying on colour.
    const QList<Shown> shown{
        {&stats.cpu, percentAxis, QColor(0x1a, 0x5f, 0xb4), Qt::SolidLine},
        {&stats.memory, mbAxis, QColor(0x2e, 0x8b, 0x57), Qt::DashLine},
        {&stats.gpu, percentAxis, QColor(0xc0, 0x39, 0x2b), Qt::SolidLine},
        {&stats.vram, mbAxis, QColor(0x8e, 0x44, 0xad), Qt::DashLine},
    };
    double mbMax = 0;
    for (const Shown &s : shown) {
        if (s.series->isEmpty())
            continue;
        auto *line = new QLineSeries(chart);
        const QString unit = s.series->unit.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.series->unit);
        line->setName(s.series->label + unit);
        QList<QPointF> points;
        points.reserve(s.series->values.size());
        for (qsizetype i = 0; i < s.series->values.size() && i < stats.elapsedSeconds.size(); ++i) {
            points.append({stats.elapsedSeconds.at(i), s.series->values.at(i)});
            if (s.axis == mbAxis)
                mbMax = std::max(mbMax, s.series->values.at(i));
        }
        line->replace(points);
        QPen pen(s.colour);
        pen.setWidthF(1.5);
        pen.setStyle(s.style);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(timeAxis);
        line->attachAxis(s.axis);
        m_series.append(line);
    }
    mbAxis->setRange(0, mbMax > 0 ? mbMax * 1.1 : 1);
    mbAxis->applyNiceNumbers();

    QChart *old = this->chart();
    setChart(chart);
    delete old;
}

} // namespace gls::ui
