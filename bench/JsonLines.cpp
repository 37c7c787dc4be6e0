#include "JsonLines.h"

#include <QFile>
#include <QJsonDocument>

namespace gls::bench {

bool readJsonLines(const QString &path, QJsonArray *raw, QJsonObject *meta, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    int lineNumber = 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(line, &pe).object();
        if (pe.error != QJsonParseError::NoError) {
            *error = QStringLiteral("%1:%2: not JSON (%3)").arg(path, QString::number(lineNumber), pe.errorString());
            return false;
        }
        if (o.value(QStringLiteral("kind")).toString() == QLatin1String("meta")) {
            for (auto it = o.begin(); it != o.end(); ++it)
                meta->insert(it.key(), it.value());
        }
        raw->append(o);
    }
    return true;
}

bool addTags(const QStringList &tags, QJsonObject *o)
{
    for (const QString &tag : tags) {
        const qsizetype eq = tag.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return false;
        bool isNumber = false;
        const double n = tag.mid(eq + 1).toDouble(&isNumber);
        o->insert(tag.left(eq), isNumber ? QJsonValue(n) : QJsonValue(tag.mid(eq + 1)));
    }
    return true;
}

} // namespace gls::bench
