#pragma once

// A text table for people: aligned columns, a header row, and, on a terminal,
// colours that only ever add to the text (the status words are always there,
// so nothing is lost without colour or when piped).

#include <QList>
#include <QString>
#include <QStringList>

namespace gls::cli {

// How a cell is shown on a colour terminal.
enum class Tone { Plain, Good, Busy, Bad, Dim };

// The tone of a status word (stream group, stream session or export):
// ACTIVE/CONNECTED/SUCCEEDED are Good, the in-between states Busy,
// ERROR/FAILED Bad, TERMINATED/EXPIRED Dim; unknown values Plain.
Tone toneForStatus(const QString &status);

// `text` wrapped in the tone's ANSI colour (unchanged for Plain).
QString coloured(const QString &text, Tone tone);

class Table {
public:
    struct Cell {
        QString text;
        Tone tone = Tone::Plain;
    };

    explicit Table(QStringList headers);

    void addRow(const QList<Cell> &cells);
    int rowCount() const { return int(m_rows.size()); }

    // Columns separated by two spaces, no trailing white space, one line per
    // row, each ending in '\n'. Empty cells show as "-".
    QString render(bool colour) const;

private:
    QStringList m_headers;
    QList<QList<Cell>> m_rows;
};

} // namespace gls::cli
