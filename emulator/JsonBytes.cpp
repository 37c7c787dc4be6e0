#include "JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace gls::emu {

void appendJsonString(QByteArray &out, const QString &value)
{
    const bool plain = std::all_of(value.cbegin(), value.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return u >= 0x20 && u < 0x7f && u != u'"' && u != u'\\';
    });
    if (plain) {
        out += '"';
        for (const QChar c : value)
            out += char(c.unicode());
        out += '"';
        return;
    }
    const QByteArray quoted = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    out += QByteArrayView(quoted).sliced(1, quoted.size() - 2); // without '[' and ']'
}

} // namespace gls::emu
