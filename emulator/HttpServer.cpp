#include "HttpServer.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QLoggingCategory>
#include <QSet>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace gls::emu {

namespace {

// Connection-level events only: never a header, a target or a body (they carry signatures).
Q_LOGGING_CATEGORY(lcHttp, "gls.emulator.http", QtInfoMsg)

constexpr qint64 kFileChunkBytes = 256 * 1024;
constexpr qint64 kWriteHighWaterBytes = 1024 * 1024; // refill a file body below this much queued
constexpr int kLingerMs = 2000;                      // drain a rejected client's input at most this long
constexpr qsizetype kMaxChunkSizeLine = 4096;
constexpr int kListenBacklog = 1024;

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

QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases{
        {100, "Continue"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {204, "No Content"},
        {206, "Partial Content"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
        {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"},
        {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
        {412, "Precondition Failed"}, {413, "Content Too Large"}, {414, "URI Too Long"},
        {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
        {422, "Unprocessable Content"}, {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"}};
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

struct Rejection {
    int status = 400;
    QByteArray code = "BadRequest";
    QString message;
};

// Parses a header section (request line, fields, blank line) into `request`.
bool parseHead(const QByteArray &block, HttpRequest *request, bool *http10, Rejection *why)
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

// Accepts connections itself so a TLS socket can be set up before anything reads from it.
class Listener : public QTcpServer {
public:
    explicit Listener(std::function<void(qintptr)> onConnection) : m_onConnection(std::move(onConnection)) {}

protected:
    void incomingConnection(qintptr descriptor) override { m_onConnection(descriptor); }

private:
    std::function<void(qintptr)> m_onConnection;
};

} // namespace

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
    headers.erase(std::remove_if(it + 1, headers.end(), [&](const auto &h) { return sameName(h.first, name); }),
                  headers.end());
}

struct HttpServer::Private {
    Handler handler;
    ErrorFactory errors;
    Limits limits;
    std::unique_ptr<Listener> listener;
    QHostAddress address;
    std::optional<QSslConfiguration> tls;
    QSet<Connection *> connections;

    void accept(HttpServer *server, qintptr descriptor);
    // A server-made error response; it always closes the connection.
    HttpResponse error(int status, const QByteArray &code, const QString &message) const;
};

// One client connection: reads requests one at a time, answers them in order.
class HttpServer::Connection : public QObject {
public:
    Connection(HttpServer *server, QTcpSocket *socket);
    ~Connection() override;
    void shutdown(); // the server is closing: drop at once

private:
    enum class Phase { Headers, Body, Chunked, Responding, Closing, Lingering, Closed };
    enum class ChunkPart { Size, Data, DataEnd, Trailers };

    const Limits &limits() const { return m_server->d->limits; }
    qint64 pendingWrite() const;
    void processInput();
    bool parseHeaders();
    bool beginRequest(const QByteArray &block);
    bool readBody();
    bool readChunked();
    void dispatch();
    void reject(int status, const QByteArray &code, const QString &message);
    void send(HttpResponse response, bool keepAlive, bool isError);
    bool openFile(const HttpResponse &response);
    void pumpFile();
    void finishResponse();
    void onBytesWritten();
    void onTimeout();
    void closeGracefully();
    void drainAndClose();
    void halfCloseWhenFlushed();
    void reset();
    void release();

    HttpServer *m_server;
    QTcpSocket *m_socket;
    QSslSocket *m_ssl;
    QHostAddress m_peer;
    QTimer m_idle;
    QTimer m_delay;
    Phase m_phase = Phase::Headers;
    bool m_processing = false;

    QByteArray m_in; // received, not yet consumed
    qsizetype m_scanFrom = 0;
    HttpRequest m_request;
    bool m_keepAlive = true;
    qint64 m_bodyRemaining = 0;
    ChunkPart m_chunkPart = ChunkPart::Size;
    qint64 m_trailerBytes = 0;

    HttpResponse m_delayed;
    bool m_delayedKeepAlive = false;
    std::unique_ptr<QFile> m_file;
    qint64 m_fileRemaining = 0;
    bool m_closeAfter = false;
    bool m_isError = false;
    bool m_halfClosed = false;
};

HttpServer::Connection::Connection(HttpServer *server, QTcpSocket *socket)
    : QObject(server), m_server(server), m_socket(socket), m_ssl(qobject_cast<QSslSocket *>(socket)),
      m_peer(socket->peerAddress())
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idle.setSingleShot(true);
    m_idle.setInterval(limits().idleTimeoutMs);
    m_delay.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] { onTimeout(); });
    connect(&m_delay, &QTimer::timeout, this, [this] { send(std::exchange(m_delayed, {}), m_delayedKeepAlive, false); });
    connect(socket, &QIODevice::readyRead, this, [this] {
        // Input waits in the socket while we answer; a client far ahead of us is dropped.
        const bool answering = m_phase == Phase::Responding || m_phase == Phase::Closing;
        if (answering && m_socket->bytesAvailable() > limits().maxHeaderBytes + limits().maxBodyBytes) {
            qCDebug(lcHttp) << "dropping connection from" << m_peer << "that sends too far ahead";
            m_socket->abort();
            release();
            return;
        }
        processInput();
    });
    connect(socket, &QIODevice::bytesWritten, this, [this] { onBytesWritten(); });
    if (m_ssl)
        connect(m_ssl, &QSslSocket::encryptedBytesWritten, this, [this] { onBytesWritten(); });
    connect(socket, &QAbstractSocket::disconnected, this, [this] { release(); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        qCDebug(lcHttp) << "connection from" << m_peer << "error" << error;
        if (error != QAbstractSocket::RemoteHostClosedError) { // that one is followed by disconnected()
            m_socket->abort();
            release();
        }
    });
    m_idle.start();
    qCDebug(lcHttp) << "connection from" << m_peer;
}

HttpServer::Connection::~Connection()
{
    m_socket->disconnect(this); // the socket, our child, outlives this body
}

void HttpServer::Connection::shutdown()
{
    m_phase = Phase::Closed;
    m_idle.stop();
    m_delay.stop();
    m_file.reset();
    m_socket->abort();
    deleteLater();
}

qint64 HttpServer::Connection::pendingWrite() const
{
    return m_socket->bytesToWrite() + (m_ssl ? m_ssl->encryptedBytesToWrite() : 0);
}

// Reads what the socket holds and handles every complete request in it, one at a
// time: while a response is delayed or streaming, further input stays in the socket.
void HttpServer::Connection::processInput()
{
    if (m_processing)
        return;
    m_processing = true;
    for (;;) {
        const bool reading = m_phase == Phase::Headers || m_phase == Phase::Body || m_phase == Phase::Chunked;
        if (!reading && m_phase != Phase::Lingering)
            break;
        if (m_socket->bytesAvailable() > 0) {
            m_in.append(m_socket->readAll());
            if (reading)
                m_idle.start();
        }
        if (m_phase == Phase::Lingering) {
            m_in.clear();
            break;
        }
        const bool progressed = m_phase == Phase::Headers ? parseHeaders()
            : m_phase == Phase::Body                     ? readBody()
                                                         : readChunked();
        if (!progressed)
            break;
    }
    m_processing = false;
}

bool HttpServer::Connection::parseHeaders()
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
        return false;

    const qsizetype end = findHeaderEnd(m_in, m_scanFrom);
    if (end < 0 ? m_in.size() > limits().maxHeaderBytes : end > limits().maxHeaderBytes) {
        reject(431, "RequestHeaderFieldsTooLarge", QStringLiteral("The request's header section is too large."));
        return true;
    }
    if (end < 0) {
        // Refuse at once what cannot become a request line (a TLS hello on a plain port, say).
        qsizetype i = 0;
        while (i < m_in.size() && isTchar(m_in[i]))
            ++i;
        if (i < m_in.size() && m_in[i] != ' ') {
            reject(400, "BadRequest", QStringLiteral("The request line is malformed."));
            return true;
        }
        m_scanFrom = qMax<qsizetype>(0, m_in.size() - 2);
        return false;
    }
    const QByteArray block = m_in.first(end);
    m_in.remove(0, end);
    m_scanFrom = 0;
    return beginRequest(block);
}

bool HttpServer::Connection::beginRequest(const QByteArray &block)
{
    HttpRequest request;
    bool http10 = false;
    if (Rejection why; !parseHead(block, &request, &http10, &why)) {
        reject(why.status, why.code, why.message);
        return true;
    }
    request.peer = m_peer;

    const QList<QByteArray> connection = elements(request.headers, "Connection");
    const auto listed = [&](QByteArrayView option) {
        return std::any_of(connection.begin(), connection.end(), [option](const QByteArray &c) { return sameName(c, option); });
    };
    m_keepAlive = !listed("close") && (!http10 || listed("keep-alive"));

    const QList<QByteArray> encodings = elements(request.headers, "Transfer-Encoding");
    const QList<QByteArray> lengths = elements(request.headers, "Content-Length");
    const bool chunked = !encodings.isEmpty();
    qint64 length = 0;
    if (chunked && request.hasHeader("Content-Length")) {
        reject(400, "BadRequest", QStringLiteral("Content-Length and Transfer-Encoding are both present."));
        return true;
    }
    if (chunked && (encodings.size() != 1 || !sameName(encodings.first(), "chunked"))) {
        reject(501, "NotImplemented", QStringLiteral("Only the chunked transfer coding is supported."));
        return true;
    }
    if (!chunked && request.hasHeader("Content-Length")) {
        const auto valid = [&](const QByteArray &v) {
            return !v.isEmpty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), [](char c) { return isdigit(uchar(c)); })
                && v.toLongLong() == lengths.first().toLongLong();
        };
        if (lengths.isEmpty() || !std::all_of(lengths.begin(), lengths.end(), valid)) {
            reject(400, "BadRequest", QStringLiteral("The Content-Length header is invalid."));
            return true;
        }
        length = lengths.first().toLongLong();
    } else if (!chunked && (request.method == "POST" || request.method == "PUT" || request.method == "PATCH")) {
        reject(411, "MissingContentLength", QStringLiteral("You must provide the Content-Length HTTP header."));
        return true;
    }
    if (length > limits().maxBodyBytes) {
        reject(413, "RequestEntityTooLarge", QStringLiteral("The request body is too large."));
        return true;
    }
    const bool expects = request.hasHeader("Expect");
    if (expects && !sameName(request.header("Expect"), "100-continue")) {
        reject(417, "ExpectationFailed", QStringLiteral("Only the 100-continue expectation is supported."));
        return true;
    }

    m_request = std::move(request);
    if (chunked) {
        m_phase = Phase::Chunked;
        m_chunkPart = ChunkPart::Size;
        m_trailerBytes = 0;
    } else if (length > 0) {
        m_phase = Phase::Body;
        m_bodyRemaining = length;
    } else {
        dispatch();
        return true;
    }
    if (expects && !http10 && m_in.isEmpty())
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

bool HttpServer::Connection::readBody()
{
    if (m_in.isEmpty())
        return false;
    const qsizetype take = qMin<qint64>(m_in.size(), m_bodyRemaining);
    if (m_request.body.isEmpty() && take == m_in.size()) {
        m_request.body.swap(m_in); // the common case: no copy
    } else {
        m_request.body.append(m_in.constData(), take);
        m_in.remove(0, take);
    }
    m_bodyRemaining -= take;
    if (m_bodyRemaining == 0)
        dispatch();
    return true;
}

bool HttpServer::Connection::readChunked()
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
    const auto fail = [&](int status, const QByteArray &code, const QString &message) {
        reject(status, code, message);
        return true;
    };
    const auto waitForMore = [&] {
        m_in.remove(0, pos);
        return pos > 0;
    };
    for (;;) {
        QByteArrayView line;
        switch (m_chunkPart) {
        case ChunkPart::Size: {
            if (!consumeLine(&line)) {
                if (m_in.size() - pos > kMaxChunkSizeLine)
                    return fail(400, "BadRequest", QStringLiteral("A chunk size line is too long."));
                return waitForMore();
            }
            const QByteArray hex = line.first(line.contains(';') ? line.indexOf(';') : line.size()).toByteArray().trimmed();
            bool ok = false;
            const qint64 size = hex.size() <= 15 ? hex.toLongLong(&ok, 16) : -1;
            if (!ok || !std::all_of(hex.begin(), hex.end(), [](char c) { return isxdigit(uchar(c)); }))
                return fail(400, "BadRequest", QStringLiteral("A chunk size is malformed."));
            if (body.size() + size > limits().maxBodyBytes)
                return fail(413, "RequestEntityTooLarge", QStringLiteral("The request body is too large."));
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
                return fail(400, "BadRequest", QStringLiteral("A chunk is not followed by CRLF."));
            m_chunkPart = ChunkPart::Size;
            break;
        }
        case ChunkPart::Trailers: {
            const qsizetype before = pos;
            if (!consumeLine(&line)) {
                if (m_trailerBytes + m_in.size() - pos > limits().maxHeaderBytes)
                    return fail(431, "RequestHeaderFieldsTooLarge", QStringLiteral("The trailer section is too large."));
                return waitForMore();
            }
            m_trailerBytes += pos - before;
            if (m_trailerBytes > limits().maxHeaderBytes)
                return fail(431, "RequestHeaderFieldsTooLarge", QStringLiteral("The trailer section is too large."));
            if (!line.isEmpty()) { // trailer fields are checked, then dropped
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0 || !isToken(line.first(colon)) || hasControl(line.sliced(colon + 1), true))
                    return fail(400, "BadRequest", QStringLiteral("A trailer field is malformed."));
                break;
            }
            m_in.remove(0, pos);
            dispatch();
            return true;
        }
        }
    }
}

void HttpServer::Connection::dispatch()
{
    m_phase = Phase::Responding;
    m_idle.stop();
    const HttpRequest request = std::exchange(m_request, {});
    HttpResponse response;
    try {
        response = m_server->d->handler(request);
    } catch (...) {
        qCWarning(lcHttp) << "the request handler threw; answering 500";
        response = m_server->d->error(500, "InternalError", QStringLiteral("The server failed to handle the request."));
    }
    if (m_phase != Phase::Responding)
        return; // the server was closed from inside the handler
    if (request.method == "HEAD")
        response.headOnly = true;
    const bool keepAlive = m_keepAlive && !response.closeConnection;
    if (response.delayMs > 0) {
        m_delayedKeepAlive = keepAlive;
        m_delay.start(response.delayMs);
        m_delayed = std::move(response);
        return;
    }
    send(std::move(response), keepAlive, false);
}

void HttpServer::Connection::reject(int status, const QByteArray &code, const QString &message)
{
    qCDebug(lcHttp) << "rejecting a request from" << m_peer << "with" << status << code;
    m_phase = Phase::Responding;
    m_idle.stop();
    send(m_server->d->error(status, code, message), false, true);
}

void HttpServer::Connection::send(HttpResponse r, bool keepAlive, bool isError)
{
    if (m_phase != Phase::Responding)
        return;
    if (r.fault == HttpResponse::Fault::Reset) {
        reset();
        return;
    }
    const bool noBody = (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
    qint64 length = r.filePath.isEmpty() ? r.body.size() : r.fileLength;
    if (!r.filePath.isEmpty() && !r.headOnly && !noBody && !openFile(r)) {
        qCWarning(lcHttp) << "a response body file could not be read; answering 500";
        r = m_server->d->error(500, "InternalError", QStringLiteral("The response body could not be read."));
        keepAlive = false;
        isError = true;
        length = r.body.size();
    }

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
            keepAlive = keepAlive && !value.toLower().contains("close");
        }
        head += name + ": " + value + "\r\n";
    }
    if (!hasLength && !noBody)
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    if (!hasDate)
        head += "Date: " + imfDate() + "\r\n";
    if (!hasConnection)
        head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    head += "\r\n";

    const bool truncate = r.fault == HttpResponse::Fault::Truncate;
    m_closeAfter = !keepAlive || truncate;
    m_isError = isError;
    qint64 bodyBytes = r.headOnly || noBody ? 0 : length;
    if (truncate)
        bodyBytes /= 2;
    m_socket->write(head);
    m_idle.start();
    if (m_file) {
        m_fileRemaining = bodyBytes;
        pumpFile();
        return;
    }
    if (bodyBytes > 0)
        m_socket->write(bodyBytes == r.body.size() ? r.body : r.body.first(bodyBytes));
    finishResponse();
}

bool HttpServer::Connection::openFile(const HttpResponse &r)
{
    auto file = std::make_unique<QFile>(r.filePath);
    if (r.fileOffset < 0 || r.fileLength < 0 || !file->open(QIODevice::ReadOnly)
        || file->size() < r.fileOffset + r.fileLength || !file->seek(r.fileOffset))
        return false;
    m_file = std::move(file);
    return true;
}

// Queues the next pieces of a file body, keeping the socket's buffer under the high-water mark.
void HttpServer::Connection::pumpFile()
{
    while (m_fileRemaining > 0 && pendingWrite() < kWriteHighWaterBytes) {
        const QByteArray chunk = m_file->read(qMin(kFileChunkBytes, m_fileRemaining));
        if (chunk.isEmpty()) {
            qCWarning(lcHttp) << "a response body file ended early; dropping the connection";
            m_socket->abort();
            release();
            return;
        }
        m_fileRemaining -= chunk.size();
        m_socket->write(chunk);
    }
    if (m_fileRemaining == 0) {
        m_file.reset();
        finishResponse();
    }
}

void HttpServer::Connection::finishResponse()
{
    if (m_closeAfter) {
        if (m_isError)
            drainAndClose();
        else
            closeGracefully();
        return;
    }
    m_phase = Phase::Headers;
    m_idle.start(limits().idleTimeoutMs);
    processInput(); // requests that were pipelined behind this one
}

void HttpServer::Connection::onBytesWritten()
{
    if (m_phase == Phase::Lingering) {
        halfCloseWhenFlushed();
        return;
    }
    if (m_idle.isActive())
        m_idle.start(); // the peer is taking our bytes: not stalled
    if (m_phase == Phase::Responding && m_file)
        pumpFile();
}

void HttpServer::Connection::onTimeout()
{
    switch (m_phase) {
    case Phase::Headers:
        if (m_in.isEmpty()) {
            qCDebug(lcHttp) << "closing idle connection from" << m_peer;
            closeGracefully();
            return;
        }
        [[fallthrough]];
    case Phase::Body:
    case Phase::Chunked:
        reject(400, "RequestTimeout",
               QStringLiteral("Your socket connection to the server was not read from or written to within the timeout period."));
        return;
    default: // a peer that stopped reading, or a close that never completed
        qCDebug(lcHttp) << "dropping stalled connection from" << m_peer;
        m_socket->abort();
        release();
    }
}

void HttpServer::Connection::closeGracefully()
{
    m_phase = Phase::Closing;
    m_idle.start(limits().idleTimeoutMs); // backstop if the peer never takes the rest
    m_socket->disconnectFromHost();       // flushes what is queued first
}

// After an error the client may still be sending (a body we refused): closing with
// unread input would reset the connection, and the reset can destroy our answer
// before the client reads it. So end our side once the answer is out, and keep
// reading and discarding until the client closes or kLingerMs pass.
void HttpServer::Connection::drainAndClose()
{
    m_phase = Phase::Lingering;
    m_in.clear();
    m_idle.start(qMin(limits().idleTimeoutMs, kLingerMs));
    halfCloseWhenFlushed();
    processInput();
}

void HttpServer::Connection::halfCloseWhenFlushed()
{
    if (m_halfClosed || pendingWrite() > 0 || m_phase != Phase::Lingering)
        return;
    m_halfClosed = true;
#ifdef Q_OS_UNIX
    // Plain TCP only: under TLS a raw half-close would cut the record stream
    // (no close_notify, and Qt may still hold encrypted bytes), so TLS closes
    // the Qt way, which flushes first.
    if (const qintptr fd = m_socket->socketDescriptor(); fd >= 0 && !m_ssl) {
        ::shutdown(int(fd), SHUT_WR); // the client sees the end of our answer; we still read
        return;
    }
#endif
    m_socket->disconnectFromHost();
}

void HttpServer::Connection::reset()
{
#ifdef Q_OS_UNIX
    if (const qintptr fd = m_socket->socketDescriptor(); fd >= 0) {
        const ::linger hard{1, 0}; // close() now sends RST
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
#endif
    m_socket->abort();
    release();
}

void HttpServer::Connection::release()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_idle.stop();
    m_delay.stop();
    m_file.reset();
    m_server->d->connections.remove(this);
    qCDebug(lcHttp) << "connection from" << m_peer << "closed";
    deleteLater();
}

void HttpServer::Private::accept(HttpServer *server, qintptr descriptor)
{
    QTcpSocket *socket = tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot adopt an accepted socket:" << socket->errorString();
        delete socket;
#ifdef Q_OS_UNIX
        ::close(int(descriptor));
#endif
        return;
    }
    auto *connection = new Connection(server, socket);
    connections.insert(connection);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        ssl->setSslConfiguration(*tls);
        ssl->startServerEncryption();
    }
}

HttpResponse HttpServer::Private::error(int status, const QByteArray &code, const QString &message) const
{
    HttpResponse r;
    if (errors) {
        r = errors(status, code, message);
    } else {
        r.status = status;
        r.setHeader("Content-Type", "text/plain; charset=utf-8");
        r.body = message.toUtf8();
    }
    r.fault = HttpResponse::Fault::None;
    r.delayMs = 0;
    r.closeConnection = true;
    return r;
}

HttpServer::HttpServer(Handler handler, ErrorFactory errors, Limits limits, QObject *parent)
    : QObject(parent), d(new Private{std::move(handler), std::move(errors), limits, {}, {}, {}, {}})
{
}

HttpServer::~HttpServer()
{
    close();
    delete d; // the connections, our children, are deleted after this and no longer touch d
}

void HttpServer::setTls(const QList<QSslCertificate> &chain, const QSslKey &key)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")}); // HTTP/2 clients fall back
    d->tls = config;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (d->listener) {
        if (error)
            *error = QStringLiteral("The server is already listening.");
        return false;
    }
    auto listener = std::make_unique<Listener>([this](qintptr descriptor) { d->accept(this, descriptor); });
    listener->setListenBacklogSize(kListenBacklog);
    if (!listener->listen(address, port)) {
        if (error)
            *error = listener->errorString();
        return false;
    }
    d->listener = std::move(listener);
    d->address = address;
    qCDebug(lcHttp) << "listening on" << baseUrl();
    return true;
}

void HttpServer::close()
{
    d->listener.reset();
    const QSet<Connection *> connections = std::exchange(d->connections, {});
    for (Connection *connection : connections)
        connection->shutdown();
}

quint16 HttpServer::port() const
{
    return d->listener ? d->listener->serverPort() : 0;
}

bool HttpServer::isTls() const
{
    return d->tls.has_value();
}

QString HttpServer::baseUrl() const
{
    const QHostAddress &a = d->address;
    QString host;
    if (a.isNull() || a == QHostAddress(QHostAddress::Any) || a == QHostAddress(QHostAddress::AnyIPv4))
        host = QStringLiteral("127.0.0.1");
    else if (a == QHostAddress(QHostAddress::AnyIPv6))
        host = QStringLiteral("[::1]");
    else if (a.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + a.toString().replace(u'%', QLatin1String("%25")) + u']';
    else
        host = a.toString();
    return (isTls() ? QStringLiteral("https://") : QStringLiteral("http://")) + host + u':' + QString::number(port());
}

int HttpServer::openConnections() const
{
    return int(d->connections.size());
}

} // namespace gls::emu
