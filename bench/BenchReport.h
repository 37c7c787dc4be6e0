#pragma once

// Turns the raw figures of one run (JSON lines: what gls-bench-emulator
// printed, plus the start-up times, curl's speeds and the run's description
// that scripts/bench.sh added) into a Markdown table with the median and the
// spread over repetitions, and one JSON document with the summary and every
// raw figure.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace gls::bench {

class BenchReport {
public:
    bool read(const QString &jsonLinesPath, QString *error);
    QString markdown() const;
    QJsonObject json() const;

private:
    QJsonArray select(const QString &kind) const;
    QString loadSection(QJsonObject *summary) const;
    QString archiveSection(QJsonObject *summary) const;
    QString emulatorSection(QJsonObject *summary) const;

    QJsonObject m_meta;
    QJsonArray m_raw;
};

} // namespace gls::bench
