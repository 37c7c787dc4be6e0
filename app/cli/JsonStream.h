#pragma once

// Writes one JSON document piece by piece, byte for byte as
// QJsonDocument::toJson(QJsonDocument::Indented) would write the same
// document: four spaces per level, "key": value, members in the order given
// (give them sorted, as QJsonObject keeps them). For documents too large to
// build as a QJsonObject first: `sessions --json` with 10,000 sessions
// builds no QJsonObject at all. The bytes go to a sink in chunks as they are
// written.

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace gls::cli {

class JsonStream {
public:
    using Sink = std::function<void(const QByteArray &)>;

    explicit JsonStream(Sink sink, qsizetype chunkBytes = 256 * 1024);
    ~JsonStream(); // flushes

    // Containers: as a member (with key()) or as an array element.
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();

    // A member's name; its value follows (a value call or a begin).
    void key(QLatin1StringView name);

    void value(QStringView text); // a string
    void value(qint64 number);
    void value(bool flag);
    void null();
    // A string, or null when empty (JsonFields' text()).
    void textOrNull(QStringView text);

    // Ends the document (the final line break) and hands everything to the sink.
    void finish();
    void flush();

    // The JSON string literal of `text`, as QJsonDocument writes it (quotes included).
    static void appendString(QByteArray *out, QStringView text);

private:
    void beforeValue();
    void indent(int level);
    void maybeFlush();

    struct Level {
        bool object = false;
        bool empty = true;
    };
    Sink m_sink;
    qsizetype m_chunkBytes;
    QByteArray m_buffer;
    QList<Level> m_levels;
    bool m_afterKey = false;
};

} // namespace gls::cli
