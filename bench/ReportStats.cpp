#include "ReportStats.h"

#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>

#include <algorithm>

namespace gls::bench {

QJsonObject Spread::toJson() const
{
    return QJsonObject{{QStringLiteral("median"), median}, {QStringLiteral("min"), min},
                       {QStringLiteral("max"), max}, {QStringLiteral("samples"), count}};
}

Spread spreadOf(QList<double> values)
{
    Spread s;
    values.removeIf([](double v) { return v < 0; });
    if (values.isEmpty())
        return s;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    s.median = n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
    s.min = values.first();
    s.max = values.last();
    s.count = int(n);
    return s;
}

QString number(double v, int decimals)
{
    return QLocale(QLocale::English).toString(v, 'f', decimals);
}

QString cell(const Spread &s, int decimals, const QString &unit)
{
    if (s.count == 0)
        return QStringLiteral("n/a");
    QString text = number(s.median, decimals) + unit;
    if (s.count > 1 && number(s.min, decimals) != number(s.max, decimals))
        text += QStringLiteral(" (%1–%2)").arg(number(s.min, decimals), number(s.max, decimals));
    return text;
}

QString runParagraph(const QJsonObject &meta)
{
    const auto text = [&meta](const char *key) { return meta.value(QLatin1String(key)).toString(); };
    QString note = text("machineNote").trimmed();
    if (!note.isEmpty() && !note.endsWith(u'.'))
        note += u'.';
    return QStringLiteral("Run %1 at commit %2, %3 build. Machine: %4 cores (%5), %6, Linux %7; %8 "
                          "Load average (1, 5, 15 min) at the start: %9; at the end: %10.\n\n")
        .arg(text("date"), text("commit"), text("buildType"),
            QString::number(meta.value(QLatin1String("cores")).toInt()), text("cpuModel"), text("memory"),
            text("kernel"), note, meta.value(QLatin1String("loadAverage")).toString(QStringLiteral("n/a")),
            meta.value(QLatin1String("loadAverageAtEnd")).toString(QStringLiteral("n/a")));
}

bool writeReportFiles(const QString &markdownPath, const QString &markdown, const QString &jsonPath,
    const QJsonObject &json, QString *error)
{
    const auto write = [error](const QString &path, const QByteArray &bytes) {
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
            return true;
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    };
    return write(markdownPath, markdown.toUtf8()) && write(jsonPath, QJsonDocument(json).toJson());
}

} // namespace gls::bench
