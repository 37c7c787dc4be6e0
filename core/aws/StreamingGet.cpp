#include "StreamingGet.h"

#include <QSslSocket>

#include <cstring>

namespace gls::aws {

namespace {

constexpr qsizetype kReadBytes = 64 * 1024; // one read from the socket
// The callback gets the body in pieces of at least this much (but the last):
// the socket hands over a TLS record or two per wake-up, about 4 KiB, and
// passing those on one by one meant a file write() per 4 KiB.
constexpr qsizetype kDeliverBytes = 64 * 1024;
constexpr qsizetype kOutBytes = 2 * kDeliverBytes;
// What the socket may hold, decrypted, before we read it: without a bound a
// fast server fills memory whenever the disk is slower (1 GiB: +20 MiB).
constexpr qint64 kSocketBufferBytes = 64 * 1024;
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxErrorBodyBytes = 1024 * 1024;

QByteArrayView headerOf(const sigv4::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return QByteArrayView(v).trimmed();
    }
    return {};
}

} // namespace

StreamingGet::StreamingGet(QUrl url, sigv4::HeaderList headers, QSslConfiguration tls, int idleTimeoutMs,
    std::function<bool(QByteArrayView)> onData, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_headers(std::move(headers))
    , m_tls(std::move(tls))
    , m_idleTimeoutMs(idleTimeoutMs)
    , m_onData(std::move(onData))
{
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        fail(WireAnswer::Failure::Timeout, QStringLiteral("no byte for %1 s").arg(m_idleTimeoutMs / 1000.0));
    });
}

StreamingGet::~StreamingGet()
{
    abort();
}

void StreamingGet::start()
{
    auto *socket = new QSslSocket(this);
    m_socket = socket;
    socket->setReadBufferSize(kSocketBufferBytes);
    m_buffer.resize(kReadBytes);
    m_out.resize(kOutBytes);
    connect(socket, &QSslSocket::readyRead, this, &StreamingGet::onReadable);
    connect(socket, &QSslSocket::errorOccurred, this, &StreamingGet::onSocketError);
    connect(socket, &QSslSocket::disconnected, this, &StreamingGet::onClosed);
    connect(socket, &QSslSocket::bytesWritten, this, [this] { m_idle.start(); });
    m_idle.start(m_idleTimeoutMs);
    const QString host = m_url.host();
    const bool tls = m_url.scheme() == QLatin1String("https");
    const auto port = quint16(m_url.port(tls ? 443 : 80));
    if (tls) {
        socket->setSslConfiguration(m_tls);
        connect(socket, &QSslSocket::encrypted, this, &StreamingGet::sendRequest);
        socket->connectToHostEncrypted(host, port); // verifies the certificate and this host name
    } else {
        connect(socket, &QSslSocket::connected, this, &StreamingGet::sendRequest);
        socket->connectToHost(host, port);
    }
}

void StreamingGet::abort()
{
    m_idle.stop();
    m_phase = Phase::Done;
    if (m_socket) {
        QSslSocket *s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
}

void StreamingGet::sendRequest()
{
    QByteArray target = m_url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (m_url.hasQuery())
        target += '?' + m_url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray request = "GET " + target + " HTTP/1.1\r\n";
    for (const auto &[name, value] : std::as_const(m_headers))
        request += name + ": " + value + "\r\n";
    request += "Accept-Encoding: identity\r\nConnection: close\r\n\r\n";
    m_phase = Phase::Head;
    m_idle.start();
    m_socket->write(request);
}

void StreamingGet::onReadable()
{
    while (m_socket && m_phase != Phase::Done && m_socket->bytesAvailable() > 0) {
        if (m_phase == Phase::Body && m_framing == Framing::Length && m_streaming) {
            // The common case, a download: straight into the callback's buffer.
            const qint64 n = m_socket->read(m_out.data() + m_outFill, qMin<qint64>(m_remaining, kOutBytes - m_outFill));
            if (n <= 0)
                break;
            m_idle.start();
            m_outFill += n;
            m_remaining -= n;
            if (m_remaining == 0) {
                succeed();
                return;
            }
            if (m_outFill >= kDeliverBytes && !flush())
                return;
            continue;
        }
        const qint64 n = m_socket->read(m_buffer.data(), m_buffer.size());
        if (n <= 0)
            break;
        m_idle.start();
        if (!consume(m_buffer.constData(), n))
            return;
    }
}

bool StreamingGet::consume(const char *data, qsizetype n)
{
    if (m_phase != Phase::Head)
        return takeBody(data, n);
    m_pending.append(data, n);
    if (!parseHead())
        return false;
    if (m_phase != Phase::Body)
        return true; // the head is not complete yet
    // What came after the head is the body's start.
    const QByteArray rest = std::exchange(m_pending, {});
    return rest.isEmpty() || takeBody(rest.constData(), rest.size());
}

void StreamingGet::feed(QByteArrayView bytes)
{
    if (m_phase == Phase::Connecting) {
        m_phase = Phase::Head;
        m_out.resize(kOutBytes);
    }
    if (m_phase != Phase::Done && !bytes.isEmpty())
        consume(bytes.data(), bytes.size());
}

void StreamingGet::feedEnd()
{
    if (m_phase == Phase::Connecting)
        feed({});
    onClosed();
}

bool StreamingGet::parseHead()
{
    for (;;) {
        const qsizetype end = m_pending.indexOf("\r\n\r\n");
        // Over the limit whether it came in one read or many: a head that ends
        // past it, or bytes enough that it cannot end within it.
        if ((end < 0 && m_pending.size() > kMaxHeadBytes + 3) || end > kMaxHeadBytes) {
            fail(WireAnswer::Failure::Network, QStringLiteral("the answer's head is over 64 KiB"));
            return false;
        }
        if (end < 0)
            return true;
        const QList<QByteArray> lines = m_pending.first(end).split('\n');
        const QByteArray statusLine = lines.value(0).trimmed();
        // "HTTP/1.1 200 OK"
        const QList<QByteArray> parts = statusLine.split(' ');
        bool ok = false;
        const int status = parts.value(1).toInt(&ok);
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 599) {
            fail(WireAnswer::Failure::Network,
                QStringLiteral("not an HTTP/1.1 answer: '%1'").arg(QString::fromLatin1(statusLine.left(80))));
            return false;
        }
        m_pending.remove(0, end + 4);
        if (status < 200)
            continue; // 100 Continue and other interim answers
        m_answer.status = status;
        m_answer.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_answer.headers.append({line.first(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        m_streaming = status >= 200 && status < 300 && m_onData;
        const QByteArrayView coding = headerOf(m_answer.headers, "transfer-encoding");
        const QByteArrayView length = headerOf(m_answer.headers, "content-length");
        if (status == 204 || status == 304) {
            m_framing = Framing::None;
        } else if (!coding.isEmpty() && coding.toByteArray().toLower().contains("chunked")) {
            m_framing = Framing::Chunked;
            m_chunkStep = ChunkStep::Size;
        } else if (!length.isEmpty()) {
            m_remaining = length.toLongLong(&ok);
            if (!ok || m_remaining < 0) {
                fail(WireAnswer::Failure::Network,
                    QStringLiteral("the answer's Content-Length '%1' is not a size").arg(QString::fromLatin1(length)));
                return false;
            }
            m_framing = Framing::Length;
        } else {
            m_framing = Framing::UntilClose;
        }
        m_phase = Phase::Body;
        if (m_framing == Framing::None || (m_framing == Framing::Length && m_remaining == 0)) {
            succeed();
            return false;
        }
        return true;
    }
}

bool StreamingGet::deliver(const char *data, qsizetype n)
{
    if (n == 0)
        return true;
    if (m_streaming) {
        while (n > 0) {
            const qsizetype take = qMin(n, kOutBytes - m_outFill);
            std::memcpy(m_out.data() + m_outFill, data, size_t(take));
            m_outFill += take;
            data += take;
            n -= take;
            if (m_outFill >= kDeliverBytes && !flush())
                return false;
        }
        return true;
    }
    if (m_answer.body.size() + n > kMaxErrorBodyBytes) {
        fail(WireAnswer::Failure::Network, QStringLiteral("an error answer's body is over 1 MiB"));
        return false;
    }
    m_answer.body.append(data, n);
    return true;
}

bool StreamingGet::takeBody(const char *data, qsizetype n)
{
    switch (m_framing) {
    case Framing::Length: {
        const qsizetype take = qsizetype(qMin<qint64>(n, m_remaining));
        if (!deliver(data, take))
            return false;
        m_remaining -= take;
        if (m_remaining == 0) {
            succeed(); // anything after the body is ignored: the connection closes
            return false;
        }
        return true;
    }
    case Framing::Chunked:
        return takeChunked(data, n);
    case Framing::UntilClose:
        return deliver(data, n);
    case Framing::None:
        break;
    }
    return true;
}

bool StreamingGet::takeChunked(const char *data, qsizetype n)
{
    qsizetype at = 0;
    while (at < n) {
        switch (m_chunkStep) {
        case ChunkStep::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(n - at, m_remaining));
            if (!deliver(data + at, take))
                return false;
            at += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_chunkStep = ChunkStep::DataEnd;
                m_pending.clear();
            }
            break;
        }
        case ChunkStep::Size:
        case ChunkStep::DataEnd:
        case ChunkStep::Trailer: {
            // Line by line: "1a2b;ext\r\n", the CRLF after data, trailer lines.
            const char *nl = static_cast<const char *>(memchr(data + at, '\n', size_t(n - at)));
            const qsizetype upTo = nl ? (nl - data) + 1 : n;
            m_pending.append(data + at, upTo - at);
            at = upTo;
            if (m_pending.size() > 4096) { // a line so long is no chunk size, whether complete or not
                fail(WireAnswer::Failure::Network, QStringLiteral("a chunked body's framing line is too long"));
                return false;
            }
            if (!nl)
                break;
            const QByteArray line = std::exchange(m_pending, {}).trimmed();
            if (m_chunkStep == ChunkStep::DataEnd) {
                if (!line.isEmpty()) {
                    fail(WireAnswer::Failure::Network, QStringLiteral("a chunk did not end where its size said"));
                    return false;
                }
                m_chunkStep = ChunkStep::Size;
            } else if (m_chunkStep == ChunkStep::Size) {
                bool ok = false;
                const qsizetype semicolon = line.indexOf(';');
                m_remaining = (semicolon < 0 ? line : line.first(semicolon)).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0) {
                    fail(WireAnswer::Failure::Network, QStringLiteral("a chunk's size is not hexadecimal"));
                    return false;
                }
                m_chunkStep = m_remaining == 0 ? ChunkStep::Trailer : ChunkStep::Data;
            } else if (line.isEmpty()) { // the blank line that ends the trailer
                succeed();
                return false;
            }
            break;
        }
        }
    }
    return true;
}

void StreamingGet::onSocketError()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onClosed();
        return;
    }
    if (error == QAbstractSocket::SslHandshakeFailedError) {
        fail(WireAnswer::Failure::Tls, m_socket->errorString());
        return;
    }
    fail(WireAnswer::Failure::Network, m_socket->errorString());
}

void StreamingGet::onClosed()
{
    if (m_phase == Phase::Done)
        return;
    if (m_socket && m_socket->bytesAvailable() > 0)
        onReadable(); // what arrived with the close
    if (m_phase == Phase::Done)
        return;
    if (m_phase == Phase::Body && m_framing == Framing::UntilClose) {
        succeed();
        return;
    }
    if (m_phase == Phase::Body && m_framing == Framing::Length) {
        fail(WireAnswer::Failure::Network,
            QStringLiteral("the connection closed %1 bytes before the end of the answer").arg(m_remaining));
        return;
    }
    fail(WireAnswer::Failure::Network,
        m_phase == Phase::Body ? QStringLiteral("the connection closed inside a chunked answer")
                               : QStringLiteral("the connection closed before an answer arrived"));
}

bool StreamingGet::flush()
{
    if (m_outFill == 0)
        return true;
    const qsizetype n = std::exchange(m_outFill, 0);
    m_answer.streamedBytes += n;
    if (!m_onData(QByteArrayView(m_out.constData(), n))) {
        fail(WireAnswer::Failure::Refused, QStringLiteral("the bytes could not be kept"));
        return false;
    }
    return true;
}

void StreamingGet::fail(WireAnswer::Failure failure, const QString &why)
{
    if (m_phase == Phase::Done)
        return;
    // What arrived before a network failure is kept: a download resumes after it.
    if (failure != WireAnswer::Failure::Refused && !flush())
        return;
    m_answer.failure = failure;
    m_answer.errorString = why;
    abort();
    Q_EMIT finished();
}

void StreamingGet::succeed()
{
    if (m_phase == Phase::Done || !flush())
        return;
    abort(); // Connection: close was asked; nothing more is read
    Q_EMIT finished();
}

} // namespace gls::aws
