#include "HttpServer.h"

#include "HttpCodec.h"

#include <QFile>
#include <QLoggingCategory>
#include <QSet>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

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
constexpr int kListenBacklog = 1024;

// Accepts connections itself so a TLS socket can be set up before anything reads from it.
class Listener : public QTcpServer {
public:
    explicit Listener(std::function<void(qintptr)> onConnection)
        : m_onConnection(std::move(onConnection))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_onConnection(descriptor); }

private:
    std::function<void(qintptr)> m_onConnection;
};

} // namespace

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
    enum class Phase { Reading, Responding, Closing, Lingering, Closed };

    const Limits &limits() const { return m_server->d->limits; }
    qint64 pendingWrite() const;
    void processInput();
    bool decodeInput();
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
    Phase m_phase = Phase::Reading;
    bool m_processing = false;

    HttpCodec m_codec;

    HttpResponse m_delayed;
    bool m_delayedKeepAlive = false;
    std::unique_ptr<QFile> m_file;
    qint64 m_fileRemaining = 0;
    qint64 m_corruptIn = -1; // Fault::Corrupt: how many more file bytes before the one to flip
    bool m_closeAfter = false;
    bool m_isError = false;
    bool m_halfClosed = false;
};

HttpServer::Connection::Connection(HttpServer *server, QTcpSocket *socket)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_ssl(qobject_cast<QSslSocket *>(socket))
    , m_peer(socket->peerAddress())
    , m_codec(server->d->limits)
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idle.setSingleShot(true);
    m_idle.setInterval(limits().idleTimeoutMs);
    m_delay.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] { onTimeout(); });
    connect(
        &m_delay, &QTimer::timeout, this, [this] { send(std::exchange(m_delayed, {}), m_delayedKeepAlive, false); });
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
        const bool reading = m_phase == Phase::Reading;
        if (!reading && m_phase != Phase::Lingering)
            break;
        if (m_socket->bytesAvailable() > 0) {
            m_codec.append(m_socket->readAll());
            if (reading)
                m_idle.start();
        }
        if (m_phase == Phase::Lingering) {
            m_codec.clearInput();
            break;
        }
        if (!decodeInput())
            break;
    }
    m_processing = false;
}

// One step of the decoder; false when it needs more input.
bool HttpServer::Connection::decodeInput()
{
    switch (m_codec.decode()) {
    case HttpCodec::Step::NeedMore:
        return false;
    case HttpCodec::Step::Progressed:
        return true;
    case HttpCodec::Step::SendContinue:
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return true;
    case HttpCodec::Step::Complete:
        dispatch();
        return true;
    case HttpCodec::Step::Rejected: {
        const HttpCodec::Rejection &why = m_codec.rejection();
        reject(why.status, why.code, why.message);
        return true;
    }
    }
    return false;
}

void HttpServer::Connection::dispatch()
{
    m_phase = Phase::Responding;
    m_idle.stop();
    HttpRequest request = m_codec.takeRequest();
    request.peer = m_peer;
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
    const bool keepAlive = m_codec.keepAlive() && !response.closeConnection;
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

    const QByteArray head = HttpCodec::responseHead(r, noBody ? std::nullopt : std::optional(length), &keepAlive);

    const bool truncate = r.fault == HttpResponse::Fault::Truncate;
    m_closeAfter = !keepAlive || truncate;
    m_isError = isError;
    qint64 bodyBytes = r.headOnly || noBody ? 0 : length;
    if (truncate)
        bodyBytes /= 2;
    const bool corrupt = r.fault == HttpResponse::Fault::Corrupt && bodyBytes > 0;
    m_socket->write(head);
    m_idle.start();
    if (m_file) {
        m_fileRemaining = bodyBytes;
        m_corruptIn = corrupt ? bodyBytes / 2 : -1;
        pumpFile();
        return;
    }
    if (corrupt)
        r.body[bodyBytes / 2] = char(r.body[bodyBytes / 2] ^ 0x10);
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
        QByteArray chunk = m_file->read(qMin(kFileChunkBytes, m_fileRemaining));
        if (m_corruptIn >= 0) {
            if (m_corruptIn < chunk.size())
                chunk[m_corruptIn] = char(chunk[m_corruptIn] ^ 0x10);
            m_corruptIn = m_corruptIn < chunk.size() ? -1 : m_corruptIn - chunk.size();
        }
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
    m_phase = Phase::Reading;
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
    case Phase::Reading:
        if (m_codec.isIdle()) {
            qCDebug(lcHttp) << "closing idle connection from" << m_peer;
            closeGracefully();
            return;
        }
        reject(400, "RequestTimeout",
            QStringLiteral(
                "Your socket connection to the server was not read from or written to within the timeout period."));
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
    m_codec.clearInput();
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
    : QObject(parent)
    , d(new Private{std::move(handler), std::move(errors), limits, {}, {}, {}, {}})
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
