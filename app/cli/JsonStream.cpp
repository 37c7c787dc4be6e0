#include "JsonStream.h"

namespace gls::cli {

JsonStream::JsonStream(Sink sink, qsizetype chunkBytes)
    : m_sink(std::move(sink))
    , m_chunkBytes(chunkBytes)
{
    m_buffer.reserve(m_chunkBytes + 4096);
}

JsonStream::~JsonStream()
{
    flush();
}

void JsonStream::indent(int level)
{
    m_buffer.append(qsizetype(4) * level, ' ');
}

void JsonStream::beforeValue()
{
    if (m_afterKey) { // the key wrote the separator and the indentation
        m_afterKey = false;
        return;
    }
    if (m_levels.isEmpty())
        return; // the document itself
    Level &level = m_levels.last();
    if (!level.empty)
        m_buffer += ",\n";
    level.empty = false;
    indent(int(m_levels.size()));
}

void JsonStream::key(QLatin1StringView name)
{
    Level &level = m_levels.last();
    if (!level.empty)
        m_buffer += ",\n";
    level.empty = false;
    indent(int(m_levels.size()));
    m_buffer += '"';
    m_buffer.append(name.data(), name.size()); // member names are plain ASCII here
    m_buffer += "\": ";
    m_afterKey = true;
}

void JsonStream::beginObject()
{
    beforeValue();
    m_buffer += "{\n";
    m_levels.append({true, true});
}

void JsonStream::beginArray()
{
    beforeValue();
    m_buffer += "[\n";
    m_levels.append({false, true});
}

void JsonStream::endObject()
{
    const Level level = m_levels.takeLast();
    if (!level.empty)
        m_buffer += '\n';
    indent(int(m_levels.size()));
    m_buffer += '}';
    maybeFlush();
}

void JsonStream::endArray()
{
    endObject(); // the same shape
    m_buffer[m_buffer.size() - 1] = ']';
}

void JsonStream::value(QStringView text)
{
    beforeValue();
    appendString(&m_buffer, text);
}

void JsonStream::value(qint64 number)
{
    beforeValue();
    m_buffer += QByteArray::number(number);
}

void JsonStream::value(bool flag)
{
    beforeValue();
    m_buffer += flag ? "true" : "false";
}

void JsonStream::null()
{
    beforeValue();
    m_buffer += "null";
}

void JsonStream::textOrNull(QStringView text)
{
    if (text.isEmpty())
        null();
    else
        value(text);
}

void JsonStream::finish()
{
    m_buffer += '\n';
    flush();
}

void JsonStream::maybeFlush()
{
    if (m_buffer.size() >= m_chunkBytes)
        flush();
}

void JsonStream::flush()
{
    if (m_buffer.isEmpty())
        return;
    m_sink(m_buffer);
    m_buffer.resize(0); // keeps the capacity
}

void JsonStream::appendString(QByteArray *out, QStringView text)
{
    // As Qt's JSON writer: '"', '\\' and control characters escaped (\b \f \n
    // \r \t, else \u00xx), everything else UTF-8, a lone surrogate as \uxxxx.
    static constexpr char hex[] = "0123456789abcdef";
    const qsizetype start = out->size();
    out->resize(start + 6 * text.size() + 2); // the longest: every character \uxxxx
    char *cursor = out->data() + start;
    *cursor++ = '"';
    const char16_t *p = reinterpret_cast<const char16_t *>(text.utf16());
    const char16_t *const end = p + text.size();
    while (p != end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            if (u >= 0x20 && u != '"' && u != '\\') {
                *cursor++ = char(u);
                continue;
            }
            *cursor++ = '\\';
            switch (u) {
            case '"': *cursor++ = '"'; break;
            case '\\': *cursor++ = '\\'; break;
            case '\b': *cursor++ = 'b'; break;
            case '\f': *cursor++ = 'f'; break;
            case '\n': *cursor++ = 'n'; break;
            case '\r': *cursor++ = 'r'; break;
            case '\t': *cursor++ = 't'; break;
            default:
                *cursor++ = 'u';
                *cursor++ = '0';
                *cursor++ = '0';
                *cursor++ = hex[u >> 4];
                *cursor++ = hex[u & 0xf];
            }
            continue;
        }
        char32_t c = u;
        if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
            c = QChar::surrogateToUcs4(u, *p++);
        } else if (QChar::isSurrogate(u)) {
            *cursor++ = '\\';
            *cursor++ = 'u';
            for (int shift = 12; shift >= 0; shift -= 4)
                *cursor++ = hex[(u >> shift) & 0xf];
            continue;
        }
        if (c < 0x800) {
            *cursor++ = char(0xc0 | (c >> 6));
        } else if (c < 0x10000) {
            *cursor++ = char(0xe0 | (c >> 12));
            *cursor++ = char(0x80 | ((c >> 6) & 0x3f));
        } else {
            *cursor++ = char(0xf0 | (c >> 18));
            *cursor++ = char(0x80 | ((c >> 12) & 0x3f));
            *cursor++ = char(0x80 | ((c >> 6) & 0x3f));
        }
        *cursor++ = char(0x80 | (c & 0x3f));
    }
    *cursor++ = '"';
    out->truncate(cursor - out->constData());
}

} // namespace gls::cli
