#include "Table.h"

namespace gls::cli {

Tone toneForStatus(const QString &status)
{
    static const QStringList good{QStringLiteral("ACTIVE"), QStringLiteral("CONNECTED"), QStringLiteral("SUCCEEDED")};
    static const QStringList busy{QStringLiteral("ACTIVATING"), QStringLiteral("PENDING"),
        QStringLiteral("PENDING_CLIENT_RECONNECTION"), QStringLiteral("RECONNECTING"), QStringLiteral("TERMINATING"),
        QStringLiteral("UPDATING_LOCATIONS"), QStringLiteral("DELETING"), QStringLiteral("REMOVING")};
    static const QStringList bad{
        QStringLiteral("ERROR"), QStringLiteral("FAILED"), QStringLiteral("ACTIVE_WITH_ERRORS")};
    static const QStringList dim{QStringLiteral("TERMINATED"), QStringLiteral("EXPIRED")};
    if (good.contains(status))
        return Tone::Good;
    if (busy.contains(status))
        return Tone::Busy;
    if (bad.contains(status))
        return Tone::Bad;
    if (dim.contains(status))
        return Tone::Dim;
    return Tone::Plain;
}

QString coloured(const QString &text, Tone tone)
{
    const char *code = nullptr;
    switch (tone) {
    case Tone::Plain:
        return text;
    case Tone::Good:
        code = "32";
        break;
    case Tone::Busy:
        code = "33";
        break;
    case Tone::Bad:
        code = "31";
        break;
    case Tone::Dim:
        code = "2";
        break;
    }
    return QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + text + QStringLiteral("\x1b[0m");
}

Table::Table(QStringList headers)
    : m_headers(std::move(headers))
{
}

void Table::addRow(const QList<Cell> &cells)
{
    QList<Cell> row = cells;
    row.resize(m_headers.size());
    for (Cell &c : row) {
        if (c.text.isEmpty())
            c.text = QStringLiteral("-");
    }
    m_rows.append(row);
}

QString Table::render(bool colour) const
{
    QList<qsizetype> widths;
    for (const QString &h : m_headers)
        widths.append(h.size());
    for (const QList<Cell> &row : m_rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], row[i].text.size());
    }
    const auto line = [&](const QList<Cell> &cells, bool header) {
        QString out;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const bool last = i + 1 == cells.size();
            const QString &text = cells[i].text;
            QString shown = text;
            if (colour && header)
                shown = QStringLiteral("\x1b[1m") + text + QStringLiteral("\x1b[0m");
            else if (colour)
                shown = coloured(text, cells[i].tone);
            out += shown;
            if (!last)
                out += QString(widths[i] - text.size() + 2, QLatin1Char(' '));
        }
        while (out.endsWith(QLatin1Char(' ')))
            out.chop(1);
        return out + QLatin1Char('\n');
    };
    QList<Cell> header;
    for (const QString &h : m_headers)
        header.append({h, Tone::Plain});
    QString out = line(header, true);
    for (const QList<Cell> &row : m_rows)
        out += line(row, false);
    return out;
}

} // namespace gls::cli
