#pragma once

// Turns the JSON lines of one "tracker" run (gls-bench-tracker's run lines
// and the run's description that scripts/bench.sh adds) into Markdown tables
// (median and min–max over repetitions): the requests of 200 exports in 5
// stream groups against the naive one-GetStreamSession-per-export polling,
// and how they scale with exports and with groups; and one JSON document with
// the summary and every raw figure.

#include <QString>

namespace gls::bench {

bool writeTrackerReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error);

} // namespace gls::bench
