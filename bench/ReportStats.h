#pragma once

// What every benchmark report does with repeated figures: the median and the
// spread (min–max) over repetitions, and a table cell that shows them; and how
// it writes its two files.

#include <QJsonObject>
#include <QList>
#include <QString>

namespace gls::bench {

struct Spread {
    double median = 0;
    double min = 0;
    double max = 0;
    int count = 0;

    QJsonObject toJson() const; // {median, min, max, samples}
};

// Median, min and max of `values`; values below 0 ("not measured") are left out.
Spread spreadOf(QList<double> values);

// `v` with `decimals` decimals and thousands separators ("1,234.5").
QString number(double v, int decimals);

// "1,234 (1,200–1,250)": just the median when there is one value or all agree;
// "n/a" when there is none. `unit` follows the median.
QString cell(const Spread &s, int decimals = 0, const QString &unit = {});

// The report's first paragraph, from the run's "meta" lines: when, which
// commit and build, the machine, and the load average at the start and end.
QString runParagraph(const QJsonObject &meta);

// Writes the Markdown table and the JSON figures, each whole or not at all
// (QSaveFile); false with *error naming the file that could not be written.
bool writeReportFiles(const QString &markdownPath, const QString &markdown, const QString &jsonPath,
    const QJsonObject &json, QString *error);

} // namespace gls::bench
