#pragma once

// Turns gls-bench-sigv4's and botocore_sigv4.py's JSON lines (rates per
// scenario, figure and repetition, the cross-check, the run's description)
// into Markdown tables (median and min–max over repetitions, ratio to
// botocore) and one JSON document with the summary and every raw figure.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace gls::bench {

class Sigv4BenchReport {
public:
    bool read(const QString &jsonLinesPath, QString *error);
    bool write(const QString &markdownPath, const QString &jsonPath, QString *error) const;

private:
    QJsonArray m_raw;
    QJsonObject m_meta;
};

} // namespace gls::bench
