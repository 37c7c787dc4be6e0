#include "HttpCodec.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

#include <algorithm>
#include <cctype>
#include <utility>

namespace gls::emu {

namespace {

constexpr qsizetype kMaxChunkSizeLine = 4096;

bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTchar);
}

// True when s holds a control character (horizontal tab allowed only where allowTab).
bool hasControl(QByteArrayView s, bool allowTab)
{
    return std::any_of(s.begin(), s.end(), [allowTab](char c) {
        const auto u = uchar(c);
        return (u < 0x20 && !(allowTab && c == '\t')) || u == 0x7f;
    });
}

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// The comma-separated elements of every `name` header, trimmed, empty ones dropped.
QList<QByteArray> elements(const sigv4::HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> out;
    for (const auto &[n, value] : headers) {
        if (!sameName(n, name))
            continue;
        for (const QByteArray &part : value.split(',')) {
            if (const QByteArray t = part.trimmed(); !t.isEmpty())
                out.append(t);
        }
    }
    return out;
}

// Offset just past the blank line that ends a header section (CRLF or bare LF), or -1.
qsizetype findHeaderEnd(const QByteArray &buffer, qsizetype from)
{
    for (qsizetype i = buffer.indexOf('\n', from); i >= 0; i = buffer.indexOf('\n', i + 1)) {
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n')
            return i + 2;
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

QByteArrayView chompCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases{{100, "Continue"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
        {204, "No Content"}, {206, "Partial Content"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
        {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"},
        {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
        {412, "Precondition Failed"}, {413, "Content Too Large"}, {414, "URI Too Long"},
        {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
        {422, "Unprocessable Content"}, {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"}, {503, "Service Unavailable"},
        {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"}};
    return phrases.value(status); // empty for others: the reason phrase is optional
}

// RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted once a second.
QByteArray imfDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const qint64 second = now.toSecsSinceEpoch(); second != cachedSecond) {
        cached = QLocale::c().toString(now, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'").toLatin1();
        cachedSecond = second;
    }
    return cached;
}

} // namespace

QMultiMap<QString, QString> HttpRequest::queryItems() const
{
    QMultiMap<QString, QString> out;
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        out.insert(QString::fromUtf8(sigv4::percentDecode(eq < 0 ? pair : pair.left(eq))),
                   QString::fromUtf8(sigv4::percentDecode(eq < 0 ? QByteArray() : pair.mid(eq + 1))));
    }
    return out;
}

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[n, value] : headers) {
        if (sameName(n, name))
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    return std::any_of(headers.begin(), headers.end(), [name](const auto &h) { return sameName(h.first, name); });
}

void HttpResponse::setHeader(QByteArray name, QByteArray value)
{
    auto it = std::find_if(headers.begin(), headers.end(), [&](const auto &h) { return sameName(h.first, name); });
    if (it == headers.end()) {
        headers.append({std::move(name), std::move(value)});
        return;
    }
    it->second = std::move(value);
    headers.erase(
        std::remove_if(it + 1, headers.end(), [&](const auto &h) { return sameName(h.first, name); }), headers.end());
}

HttpCodec::HttpCodec(const HttpServerLimits &limits)
    : m_limits(limits)
{
}

bool HttpCodec::parseHead(const QByteArray &block, HttpRequest *request, bool *http10, Rejection *why)
{
    qsizetype pos = 0;
    auto nextLine = [&] {
        const qsizetype nl = block.indexOf('\n', pos);
        const auto line = chompCr(QByteArrayView(block).sliced(pos, nl - pos));
        pos = nl + 1;
        return line;
    };

    const QByteArrayView requestLine = nextLine();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
        why->message = QStringLiteral("The request line is malformed.");
        return false;
    }
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method) || target.isEmpty() || hasControl(target, false)) {
        why->message = QStringLiteral("The request line is malformed.");
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        const bool wellFormed = version.size() == 8 && version.startsWith("HTTP/") && isdigit(uchar(version[5]))
            && version[6] == '.' && isdigit(uchar(version[7]));
        *why = wellFormed ? Rejection{505, "HttpVersionNotSupported", QStringLiteral("Only HTTP/1.x is supported.")}
                          : Rejection{400, "BadRequest", QStringLiteral("The HTTP version is malformed.")};
        return false;
    }
    *http10 = version == "HTTP/1.0";
    request->method = method.toByteArray();
    request->target = target.toByteArray();
    const qsizetype question = target.indexOf('?');
    request->path = question < 0 ? request->target : target.first(question).toByteArray();
    request->query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();

    for (QByteArrayView line = nextLine(); !line.isEmpty(); line = nextLine()) {
        const qsizetype colon = line.indexOf(':');
        // A leading space is obsolete line folding; a space before the colon is forbidden (RFC 9112 5).
        if (colon <= 0 || !isToken(line.first(colon)) || hasControl(line.sliced(colon + 1), true)) {
            why->message = QStringLiteral("A header field is malformed.");
            return false;
        }
        request->headers.append({line.first(colon).toByteArray(), line.sliced(colon + 1).toByteArray().trimmed()});
    }
    return true;
}

HttpCodec::Step HttpCodec::decode()
{
    switch (m_state) {
    case State::Head:
        return parseHeaders();
    case State::Body:
        return readBody();
    case State::Chunked:
        return readChunked();
    }
    return Step::NeedMore;
}

HttpRequest HttpCodec::takeRequest()
{
    return std::exchange(m_request, {});
}

QByteArray HttpCodec::responseHead(const HttpResponse &r, std::optional<qint64> contentLength, bool *keepAlive)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
    bool hasLength = false;
    bool hasDate = false;
    bool hasConnection = false;
    for (const auto &[name, value] : std::as_const(r.headers)) {
        if (!isToken(name) || hasControl(value, true))
            continue; // never let a header value split the response
        hasLength = hasLength || sameName(name, "Content-Length");
        hasDate = hasDate || sameName(name, "Date");
        if (sameName(name, "Connection")) {
            hasConnection = true;
            *keepAlive = *keepAlive && !value.toLower().contains("close");
        }
        head += name + ": " + value + "\r\n";
    }
    if (!hasLength && contentLength)
        head += "Content-Length: " + QByteArray::number(*contentLength) + "\r\n";
    if (!hasDate)
        head += "Date: " + imfDate() + "\r\n";
    if (!hasConnection)
        head += *keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    head += "\r\n";
    return head;
}

HttpCodec::Step HttpCodec::reject(int status, const QByteArray &code, const QString &message)
{
    m_rejection = Rejection{status, code, message};
    return Step::Rejected;
}

HttpCodec::Step HttpCodec::complete()
{
    m_state = State::Head;
    return Step::Complete;
}

HttpCodec::Step HttpCodec::parseHeaders()
{
    // RFC 9112 2.2: empty lines before a request line are ignored.
    qsizetype lead = 0;
    while (lead < m_in.size() && (m_in[lead] == '\r' || m_in[lead] == '\n'))
        ++lead;
    if (lead > 0) {
        m_in.remove(0, lead);
        m_scanFrom = 0;
    }
    if (m_in.isEmpty())
        return Step::NeedMore;

    const qsizetype end = findHeaderEnd(m_in, m_scanFrom);
    if (end < 0 ? m_in.size() > m_limits.maxHeaderBytes : end > m_limits.maxHeaderBytes)
        return reject(431, "RequestHeaderFieldsTooLarge", QStringLiteral("The request's header section is too large."));
    if (end < 0) {
        // Refuse at once what cannot become a request line (a TLS hello on a plain port, say).
        qsizetype i = 0;
        while (i < m_in.size() && isTchar(m_in[i]))
            ++i;
        if (i < m_in.size() && m_in[i] != ' ')
            return reject(400, "BadRequest", QStringLiteral("The request line is malformed."));
        m_scanFrom = qMax<qsizetype>(0, m_in.size() - 2);
        return Step::NeedMore;
    }
    const QByteArray block = m_in.first(end);
    m_in.remove(0, end);
    m_scanFrom = 0;
    return beginRequest(block);
}

HttpCodec::Step HttpCodec::beginRequest(const QByteArray &block)
{
    HttpRequest request;
    bool http10 = false;
    if (Rejection why; !parseHead(block, &request, &http10, &why))
        return reject(why.status, why.code, why.message);

    const QList<QByteArray> connection = elements(request.headers, "Connection");
    const auto listed = [&](QByteArrayView option) {
        return std::any_of(
            connection.begin(), connection.end(), [option](const QByteArray &c) { return sameName(c, option); });
    };
    m_keepAlive = !listed("close") && (!http10 || listed("keep-alive"));

    const QList<QByteArray> encodings = elements(request.headers, "Transfer-Encoding");
    const QList<QByteArray> lengths = elements(request.headers, "Content-Length");
    const bool chunked = !encodings.isEmpty();
    qint64 length = 0;
    if (chunked && request.hasHeader("Content-Length"))
        return reject(400, "BadRequest", QStringLiteral("Content-Length and Transfer-Encoding are both present."));
    if (chunked && (encodings.size() != 1 || !sameName(encodings.first(), "chunked")))
        return reject(501, "NotImplemented", QStringLiteral("Only the chunked transfer coding is supported."));
    if (!chunked && request.hasHeader("Content-Length")) {
        const auto valid = [&](const QByteArray &v) {
            return !v.isEmpty() && v.size() <= 18
                && std::all_of(v.begin(), v.end(), [](char c) { return isdigit(uchar(c)); })
                && v.toLongLong() == lengths.first().toLongLong();
        };
        if (lengths.isEmpty() || !std::all_of(lengths.begin(), lengths.end(), valid))
            return reject(400, "BadRequest", QStringLiteral("The Content-Length header is invalid."));
        length = lengths.first().toLongLong();
    } else if (!chunked && (request.method == "POST" || request.method == "PUT" || request.method == "PATCH")) {
        return reject(411, "MissingContentLength", QStringLiteral("You must provide the Content-Length HTTP header."));
    }
    if (length > m_limits.maxBodyBytes)
        return reject(413, "RequestEntityTooLarge", QStringLiteral("The request body is too large."));
    const bool expects = request.hasHeader("Expect");
    if (expects && !sameName(request.header("Expect"), "100-continue"))
        return reject(417, "ExpectationFailed", QStringLiteral("Only the 100-continue expectation is supported."));

    m_request = std::move(request);
    if (chunked) {
        m_state = State::Chunked;
        m_chunkPart = ChunkPart::Size;
        m_trailerBytes = 0;
    } else if (length > 0) {
        m_state = State::Body;
        m_bodyRemaining = length;
    } else {
        return complete();
    }
    if (expects && !http10 && m_in.isEmpty())
        return Step::SendContinue;
    return Step::Progressed;
}

HttpCodec::Step HttpCodec::readBody()
{
    if (m_in.isEmpty())
        return Step::NeedMore;
    const qsizetype take = qMin<qint64>(m_in.size(), m_bodyRemaining);
    if (m_request.body.isEmpty() && take == m_in.size()) {
        m_request.body.swap(m_in); // the common case: no copy
    } else {
        m_request.body.append(m_in.constData(), take);
        m_in.remove(0, take);
    }
    m_bodyRemaining -= take;
    if (m_bodyRemaining == 0)
        return complete();
    return Step::Progressed;
}

HttpCodec::Step HttpCodec::readChunked()
{
    QByteArray &body = m_request.body;
    qsizetype pos = 0;
    const auto consumeLine = [&](QByteArrayView *line) {
        const qsizetype nl = m_in.indexOf('\n', pos);
        if (nl < 0)
            return false;
        *line = chompCr(QByteArrayView(m_in).sliced(pos, nl - pos));
        pos = nl + 1;
        return true;
    };
    const auto waitForMore = [&] {
        m_in.remove(0, pos);
        return pos > 0 ? Step::Progressed : Step::NeedMore;
    };
    for (;;) {
        QByteArrayView line;
        switch (m_chunkPart) {
        case ChunkPart::Size: {
            if (!consumeLine(&line)) {
                if (m_in.size() - pos > kMaxChunkSizeLine)
                    return reject(400, "BadRequest", QStringLiteral("A chunk size line is too long."));
                return waitForMore();
            }
            const QByteArray hex
                = line.first(line.contains(';') ? line.indexOf(';') : line.size()).toByteArray().trimmed();
            bool ok = false;
            const qint64 size = hex.size() <= 15 ? hex.toLongLong(&ok, 16) : -1;
            if (!ok || !std::all_of(hex.begin(), hex.end(), [](char c) { return isxdigit(uchar(c)); }))
                return reject(400, "BadRequest", QStringLiteral("A chunk size is malformed."));
            if (body.size() + size > m_limits.maxBodyBytes)
                return reject(413, "RequestEntityTooLarge", QStringLiteral("The request body is too large."));
            m_bodyRemaining = size;
            m_chunkPart = size == 0 ? ChunkPart::Trailers : ChunkPart::Data;
            break;
        }
        case ChunkPart::Data: {
            const qsizetype take = qMin<qint64>(m_in.size() - pos, m_bodyRemaining);
            if (take == 0)
                return waitForMore();
            body.append(m_in.constData() + pos, take);
            pos += take;
            m_bodyRemaining -= take;
            if (m_bodyRemaining == 0)
                m_chunkPart = ChunkPart::DataEnd;
            break;
        }
        case ChunkPart::DataEnd: {
            const qsizetype available = m_in.size() - pos;
            if (available == 0 || (available == 1 && m_in[pos] == '\r'))
                return waitForMore();
            if (m_in[pos] == '\n')
                pos += 1;
            else if (m_in[pos] == '\r' && m_in[pos + 1] == '\n')
                pos += 2;
            else
                return reject(400, "BadRequest", QStringLiteral("A chunk is not followed by CRLF."));
            m_chunkPart = ChunkPart::Size;
            break;
        }
        case ChunkPart::Trailers: {
            const qsizetype before = pos;
            if (!consumeLine(&line)) {
                if (m_trailerBytes + m_in.size() - pos > m_limits.maxHeaderBytes)
                    return reject(
                        431, "RequestHeaderFieldsTooLarge", QStringLiteral("The trailer section is too large."));
                return waitForMore();
            }
            m_trailerBytes += pos - before;
            if (m_trailerBytes > m_limits.maxHeaderBytes)
                return reject(431, "RequestHeaderFieldsTooLarge", QStringLiteral("The trailer section is too large."));
            if (!line.isEmpty()) { // trailer fields are checked, then dropped
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0 || !isToken(line.first(colon)) || hasControl(line.sliced(colon + 1), true))
                    return reject(400, "BadRequest", QStringLiteral("A trailer field is malformed."));
                break;
            }
            m_in.remove(0, pos);
            return complete();
        }
        }
    }
}

} // namespace gls::emu
