#pragma once

// Turns the JSON lines of one CLI benchmark run (gls-bench-run's "run" lines,
// gls-bench-cli's "check" lines and the run's "meta" description that
// scripts/bench.sh writes) into Markdown tables (median and min–max over the
// repetitions, ours over the AWS CLI's per repetition) and one JSON document
// with the summary and every raw figure.

#include <QString>

namespace gls::bench {

bool writeCliReport(const QString &input, const QString &markdownPath, const QString &jsonPath, QString *error);

} // namespace gls::bench
