#pragma once

// Turns the JSON lines of one "download" run (gls-bench-download's run and
// inproc lines, the SHA-256 checks and the run's description that
// scripts/bench.sh adds) into Markdown tables (median and min–max over
// repetitions, ratios against curl per repetition) and one JSON document
// with the summary and every raw figure.

#include <QString>

namespace gls::bench {

bool writeDownloadReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error);

} // namespace gls::bench
