#pragma once

// Turns the JSON lines of one gls-bench-gui run (plus the run's description
// that scripts/bench.sh adds) into Markdown tables (median and min–max over
// repetitions) and one JSON document with the summary and every raw figure.

#include <QString>

namespace gls::bench {

bool writeGuiReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error);

} // namespace gls::bench
