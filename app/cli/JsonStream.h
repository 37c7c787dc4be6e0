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
    // A stream of an array's elements, written apart from the array: each is
    // indented as an element `depth` levels down, with nothing between them.
    // A document's stream puts them in with element(), separators and all:
    // `sessions --json` writes each page's sessions while the next pages are
    // on their way, and sorts them into the document at the end.
    struct ElementsAt {
        int depth;
    };
    JsonStream(Sink sink, ElementsAt at, qsizetype chunkBytes = 256 * 1024);
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
    // The next element of the array being written: the bytes of one value
    // from an ElementsAt stream whose depth is this array's.
    void element(QByteArrayView bytes);

    // Ends the document (the final line break) and hands everything to the sink
    // (a chunk handed over is the sink's to copy: it is reused after the call).
    void finish();
    void flush();

    // The JSON string literal of `text`, as QJsonDocument writes it (quotes included).
    static void appendString(QByteArray *out, QStringView text);

private:
    void beforeValue();
    void close(char bracket);
    void indent(int level);
    void maybeFlush();
    // Room for `n` more bytes after those written; m_used moves only when
    // they are. Writing through a pointer: appending piece by piece to a
    // QByteArray checked capacity and sharing on every one of the ~300 pieces
    // of a session.
    char *room(qsizetype n);
    void put(const char *s, qsizetype n);
    void put(char c) { put(&c, 1); }
    template <qsizetype N>
    void put(const char (&s)[N])
    {
        put(s, N - 1);
    }
    // Writes the JSON literal of `text` at `cursor` (room for 6 bytes a
    // character and the quotes); returns the end.
    static char *writeString(char *cursor, QStringView text);

    struct Level {
        bool object = false;
        bool empty = true;
    };
    Sink m_sink;
    qsizetype m_chunkBytes;
    QByteArray m_buffer; // its size is the room; the first m_used bytes are written
    qsizetype m_used = 0;
    QList<Level> m_levels;
    int m_bareDepth = 0; // the depth at which values stand alone: 0, or ElementsAt's
    bool m_afterKey = false;
};

} // namespace gls::cli
