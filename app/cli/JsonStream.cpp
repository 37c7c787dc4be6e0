#include "JsonStream.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gls::cli {

JsonStream::JsonStream(Sink sink, qsizetype chunkBytes)
    : m_sink(std::move(sink))
    , m_chunkBytes(chunkBytes)
{
    m_buffer.resize(m_chunkBytes + 4096);
}

JsonStream::JsonStream(Sink sink, ElementsAt at, qsizetype chunkBytes)
    : JsonStream(std::move(sink), chunkBytes)
{
    Q_ASSERT(at.depth > 0);
    m_bareDepth = at.depth;
    // The levels above: their kind does not matter, only how deep they are.
    m_levels.resize(at.depth);
}

JsonStream::~JsonStream()
{
    flush();
}

char *JsonStream::room(qsizetype n)
{
    if (m_used + n > m_buffer.size())
        m_buffer.resize(qMax(2 * m_buffer.size(), m_used + n));
    return m_buffer.data() + m_used;
}

void JsonStream::put(const char *s, qsizetype n)
{
    std::memcpy(room(n), s, size_t(n));
    m_used += n;
}

void JsonStream::indent(int level)
{
    const qsizetype n = qsizetype(4) * level;
    std::memset(room(n), ' ', size_t(n));
    m_used += n;
}

void JsonStream::beforeValue()
{
    if (m_afterKey) { // the key wrote the separator and the indentation
        m_afterKey = false;
        return;
    }
    if (m_levels.size() == m_bareDepth) { // the document itself, or an element apart
        indent(m_bareDepth);
        return;
    }
    Level &level = m_levels.last();
    if (!level.empty)
        put(",\n");
    level.empty = false;
    indent(int(m_levels.size()));
}

void JsonStream::key(QLatin1StringView name)
{
    Level &level = m_levels.last();
    if (!level.empty)
        put(",\n");
    level.empty = false;
    indent(int(m_levels.size()));
    put('"');
    put(name.data(), name.size()); // member names are plain ASCII here
    put("\": ");
    m_afterKey = true;
}

void JsonStream::beginObject()
{
    beforeValue();
    put("{\n");
    m_levels.append({true, true});
}

void JsonStream::beginArray()
{
    beforeValue();
    put("[\n");
    m_levels.append({false, true});
}

void JsonStream::endObject()
{
    close('}');
}

void JsonStream::endArray()
{
    close(']');
}

void JsonStream::close(char bracket)
{
    const Level level = m_levels.takeLast();
    if (!level.empty)
        put('\n');
    indent(int(m_levels.size()));
    put(bracket);
    maybeFlush();
}

void JsonStream::value(QStringView text)
{
    beforeValue();
    char *const at = room(6 * text.size() + 2);
    m_used += writeString(at, text) - at;
}

void JsonStream::value(qint64 number)
{
    beforeValue();
    const QByteArray digits = QByteArray::number(number);
    put(digits.constData(), digits.size());
}

void JsonStream::value(bool flag)
{
    beforeValue();
    if (flag)
        put("true");
    else
        put("false");
}

void JsonStream::null()
{
    beforeValue();
    put("null");
}

void JsonStream::textOrNull(QStringView text)
{
    if (text.isEmpty())
        null();
    else
        value(text);
}

void JsonStream::element(QByteArrayView bytes)
{
    Q_ASSERT(!m_afterKey && !m_levels.isEmpty() && !m_levels.last().object);
    Level &level = m_levels.last();
    if (!level.empty)
        put(",\n");
    level.empty = false;
    put(bytes.data(), bytes.size());
    maybeFlush();
}

void JsonStream::finish()
{
    put('\n');
    flush();
}

void JsonStream::maybeFlush()
{
    if (m_used >= m_chunkBytes)
        flush();
}

void JsonStream::flush()
{
    if (m_used == 0)
        return;
    const qsizetype room = m_buffer.size();
    m_buffer.resize(m_used); // shrinking keeps the capacity
    m_sink(m_buffer);
    m_buffer.resize(room);
    m_used = 0;
}

void JsonStream::appendString(QByteArray *out, QStringView text)
{
    const qsizetype start = out->size();
    out->resize(start + 6 * text.size() + 2); // the longest: every character \uxxxx
    char *const end = writeString(out->data() + start, text);
    out->truncate(end - out->constData());
}

char *JsonStream::writeString(char *cursor, QStringView text)
{
    // As Qt's JSON writer: '"', '\\' and control characters escaped (\b \f \n
    // \r \t, else \u00xx), everything else UTF-8, a lone surrogate as \uxxxx.
    static constexpr char hex[] = "0123456789abcdef";
    *cursor++ = '"';
    const char16_t *p = reinterpret_cast<const char16_t *>(text.utf16());
    const char16_t *const end = p + text.size();
    while (p != end) {
#if defined(__SSE2__)
        // Eight characters at a time while they need no escape and are ASCII
        // (ARNs, IDs, statuses: nearly everything here): a fifth of the time
        // of one at a time, which was a third of writing 10,000 sessions.
        if (end - p >= 8) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const __m128i notAscii = _mm_and_si128(v, _mm_set1_epi16(short(0xff80)));
            const __m128i escaped = _mm_or_si128(_mm_cmplt_epi16(v, _mm_set1_epi16(0x20)), // and >= 0x8000
                _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('"')), _mm_cmpeq_epi16(v, _mm_set1_epi16('\\'))));
            if (_mm_movemask_epi8(escaped) == 0
                && _mm_movemask_epi8(_mm_cmpeq_epi16(notAscii, _mm_setzero_si128())) == 0xffff) {
                _mm_storel_epi64(reinterpret_cast<__m128i *>(cursor), _mm_packus_epi16(v, v));
                cursor += 8;
                p += 8;
                continue;
            }
        }
#endif
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
    return cursor;
}

} // namespace gls::cli
