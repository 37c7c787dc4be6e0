#pragma once

// The perf-stats CSV of an export archive (stats/perf_stats_v1.csv), as time
// series ready for a chart. The columns the service writes are
//   timestamp,cpu_percent,memory_mb,gpu_percent,vram_mb
// (ISO 8601 UTC time, one row a second). Extra or reordered columns, blank
// lines and CRLF are fine; a row that cannot be read is left out and reported
// with its line number.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace gls::archive {

struct PerfSeries {
    QString column;       // the CSV header, "cpu_percent"
    QString label;        // "CPU", "Memory", ...
    QString unit;         // "%", "MB"; empty when unknown
    QList<double> values; // one per time point

    bool isEmpty() const { return values.isEmpty(); }
};

struct PerfStatsProblem {
    int line = 0; // 1-based line of the CSV
    QString message;
};

struct PerfStats {
    QList<QDateTime> times;           // UTC, one per kept row
    QList<qint64> timesMs;            // ms since the epoch, for a chart's time axis
    QList<double> elapsedSeconds;     // seconds since the first row
    PerfSeries cpu;                   // cpu_percent
    PerfSeries memory;                // memory_mb
    PerfSeries gpu;                   // gpu_percent
    PerfSeries vram;                  // vram_mb
    QList<PerfSeries> extra;          // any other numeric column, in file order
    QStringList missingColumns;       // known columns the header does not have
    QList<PerfStatsProblem> problems; // rows left out, with why

    int rowCount() const { return int(times.size()); }
    // cpu, memory, gpu and vram (those present), then the extras.
    QList<const PerfSeries *> allSeries() const;
};

// False (with the reason) only when there is no usable header: no
// "timestamp" column. Bad rows are left out and listed in `problems`.
bool parsePerfStats(const QByteArray &csv, PerfStats *out, QString *error = nullptr);

} // namespace gls::archive
