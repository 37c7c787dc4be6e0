// The perf-stats CSV of an export archive (archive/PerfStats).
// Invariants: every series has one value per kept row, the times are valid
// UTC with matching milliseconds and elapsed seconds from the first row, and
// a header without "timestamp" is the only outright failure.

#include "FuzzSupport.h"

#include "archive/PerfStats.h"

#include <cmath>

using namespace gls::archive;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls::fuzz::quietQt();
    const QByteArray csv(reinterpret_cast<const char *>(data), qsizetype(size));
    PerfStats stats;
    QString error;
    if (!parsePerfStats(csv, &stats, &error)) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    const int rows = stats.rowCount();
    FUZZ_CHECK(stats.timesMs.size() == rows && stats.elapsedSeconds.size() == rows);
    for (const PerfSeries *s : stats.allSeries())
        FUZZ_CHECK(s->values.size() == rows);
    // The known columns hold numbers; extra columns may hold text (NaN).
    for (const PerfSeries *s : {&stats.cpu, &stats.memory, &stats.gpu, &stats.vram}) {
        for (const double v : s->values)
            FUZZ_CHECK(std::isfinite(v));
    }
    for (int i = 0; i < rows; ++i) {
        FUZZ_CHECK(stats.times.at(i).isValid());
        FUZZ_CHECK(stats.times.at(i).toMSecsSinceEpoch() == stats.timesMs.at(i));
        FUZZ_CHECK(std::isfinite(stats.elapsedSeconds.at(i)));
    }
    for (const PerfStatsProblem &p : stats.problems)
        FUZZ_CHECK(p.line >= 1 && !p.message.isEmpty());
    return 0;
}
