#include "PerfStats.h"

#include <algorithm>
#include <cmath>

namespace gls::archive {

namespace {

struct Known {
    const char *column;
    const char *label;
    const char *unit;
    PerfSeries PerfStats::*member;
};

const Known kKnown[] = {
    {"cpu_percent", "CPU", "%", &PerfStats::cpu},
    {"memory_mb", "Memory", "MB", &PerfStats::memory},
    {"gpu_percent", "GPU", "%", &PerfStats::gpu},
    {"vram_mb", "VRAM", "MB", &PerfStats::vram},
};

QDateTime parseTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (t.isValid()) {
        if (t.timeSpec() == Qt::LocalTime) // no offset given: the service writes UTC
            t.setTimeSpec(Qt::UTC);
        return t.toUTC();
    }
    bool ok = false;
    const double seconds = text.toDouble(&ok); // epoch seconds
    // Up to the year 9999 either way: beyond, seconds * 1000 need not fit in qint64.
    constexpr double kMaxSeconds = 253402300799.0;
    if (ok && std::isfinite(seconds) && std::fabs(seconds) <= kMaxSeconds)
        return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000), Qt::UTC);
    return {};
}

} // namespace

QList<const PerfSeries *> PerfStats::allSeries() const
{
    QList<const PerfSeries *> out;
    for (const Known &k : kKnown) {
        const PerfSeries &s = this->*k.member;
        if (!s.column.isEmpty())
            out.append(&s);
    }
    for (const PerfSeries &s : extra)
        out.append(&s);
    return out;
}

bool parsePerfStats(const QByteArray &csv, PerfStats *out, QString *error)
{
    PerfStats stats;
    QByteArray text = csv;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    const QList<QByteArray> lines = text.split('\n');

    int timeColumn = -1;
    qsizetype columnCount = 0;
    QList<std::pair<int, PerfSeries *>> columns; // CSV column -> series
    int lineNo = 0;
    bool haveHeader = false;
    for (QByteArray line : lines) {
        ++lineNo;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        const QList<QByteArray> cells = line.split(',');
        if (!haveHeader) {
            haveHeader = true;
            columnCount = cells.size();
            QList<QString> names;
            for (const QByteArray &c : cells)
                names.append(QString::fromUtf8(c.trimmed()).remove(QLatin1Char('"')).toLower());
            timeColumn = int(names.indexOf(QStringLiteral("timestamp")));
            if (timeColumn < 0) {
                if (error) {
                    *error = QStringLiteral("line %1: the perf-stats header has no \"timestamp\" column").arg(lineNo);
                }
                return false;
            }
            stats.extra.reserve(names.size()); // pointers into it stay valid
            for (const Known &k : kKnown) {
                const qsizetype at = names.indexOf(QLatin1String(k.column));
                PerfSeries &s = stats.*k.member;
                if (at < 0) {
                    stats.missingColumns.append(QLatin1String(k.column));
                    continue;
                }
                s.column = QLatin1String(k.column);
                s.label = QLatin1String(k.label);
                s.unit = QLatin1String(k.unit);
                columns.append({int(at), &s});
            }
            for (int i = 0; i < names.size(); ++i) {
                bool known = i == timeColumn;
                for (const auto &c : columns)
                    known = known || c.first == i;
                if (known || names.at(i).isEmpty())
                    continue;
                stats.extra.append({names.at(i), names.at(i), QString(), {}});
                columns.append({i, &stats.extra.last()});
            }
            continue;
        }
        if (cells.size() < columnCount) {
            stats.problems.append({lineNo,
                QStringLiteral("line %1: %2 values where the header has %3")
                    .arg(QString::number(lineNo), QString::number(cells.size()), QString::number(columnCount))});
            continue;
        }
        const QString timeText = QString::fromUtf8(cells.at(timeColumn).trimmed());
        const QDateTime time = parseTime(timeText);
        if (!time.isValid()) {
            stats.problems.append(
                {lineNo, QStringLiteral("line %1: '%2' is not a timestamp").arg(QString::number(lineNo), timeText)});
            continue;
        }
        QList<double> values;
        QString bad;
        for (const auto &[at, series] : columns) {
            bool ok = false;
            const double v = cells.at(at).trimmed().toDouble(&ok);
            if (!ok || !std::isfinite(v)) {
                if (series->unit.isEmpty()) { // an extra column: text there is not a fault
                    values.append(qQNaN());
                    continue;
                }
                bad = QStringLiteral("line %1: %2 '%3' is not a number")
                          .arg(QString::number(lineNo), series->column, QString::fromUtf8(cells.at(at).trimmed()));
                break;
            }
            values.append(v);
        }
        if (!bad.isEmpty()) {
            stats.problems.append({lineNo, bad});
            continue;
        }
        stats.times.append(time);
        stats.timesMs.append(time.toMSecsSinceEpoch());
        stats.elapsedSeconds.append(double(stats.timesMs.last() - stats.timesMs.first()) / 1000.0);
        for (qsizetype i = 0; i < columns.size(); ++i)
            columns[i].second->values.append(values.at(i));
    }
    if (!haveHeader) {
        if (error)
            *error = QStringLiteral("the perf-stats file is empty");
        return false;
    }
    // Extra columns that held no number at all (names, notes) are not series.
    stats.extra.removeIf([](const PerfSeries &s) {
        return std::all_of(s.values.cbegin(), s.values.cend(), [](double v) { return std::isnan(v); });
    });
    *out = stats;
    return true;
}

} // namespace gls::archive
