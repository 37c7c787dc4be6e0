#include "HttpConnection.h"

#include <QEventLoop>
#include <QSslConfiguration>
#include <QTimer>

namespace gls::bench {

namespace {

constexpr qsizetype kScratchBytes = 1024 * 1024;

} // namespace

QByteArray HttpReply::header(QByteArrayView name) const
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && QByteArrayView(line).first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

HttpConnection::HttpConnection(const QUrl &base, const QList<QSslCertificate> &caCertificates, QObject *parent)
    : QObject(parent)
    , m_base(base)
    , m_scratch(kScratchBytes)
{
    if (m_base.scheme() == QLatin1String("https")) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setCaCertificates(caCertificates);
        m_socket.setSslConfiguration(conf);
        connect(&m_socket, &QSslSocket::encrypted, this, &HttpConnection::onReady);
    } else {
        connect(&m_socket, &QAbstractSocket::connected, this, &HttpConnection::onReady);
    }
    connect(&m_socket, &QIODevice::readyRead, this, &HttpConnection::onReadable);
    connect(&m_socket, &QAbstractSocket::errorOccurred, this, [this] { onDropped(m_socket.errorString()); });
    connect(&m_socket, &QAbstractSocket::disconnected, this,
            [this] { onDropped(QStringLiteral("the server closed the connection")); });
}

QByteArray HttpConnection::hostHeader() const
{
    return m_base.authority().toLatin1();
}

void HttpConnection::open()
{
    if (m_state == State::Connecting)
        return;
    if (m_socket.state() != QAbstractSocket::UnconnectedState) {
        m_state = State::Closed; // so the abort's signals are not taken for a failure
        m_socket.abort();
    }
    m_state = State::Connecting;
    m_in.clear();
    const quint16 port = quint16(m_base.port());
    if (m_base.scheme() == QLatin1String("https"))
        m_socket.connectToHostEncrypted(m_base.host(), port);
    else
        m_socket.connectToHost(m_base.host(), port);
}

void HttpConnection::onReady()
{
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_state = State::Idle;
    if (m_everOpened)
        ++m_reconnects;
    m_everOpened = true;
    if (!m_pending.isEmpty()) {
        send(std::exchange(m_pending, {}), m_pendingKeepBody);
        return;
    }
    Q_EMIT opened();
}

void HttpConnection::send(QByteArray request, bool keepBody)
{
    if (m_state != State::Idle) {
        m_pending = std::move(request);
        m_pendingKeepBody = keepBody;
        if (m_state == State::Closed)
            open();
        return;
    }
    m_state = State::Head;
    m_keepBody = keepBody;
    m_reply = {};
    m_in.clear();
    m_socket.write(request);
}

void HttpConnection::onReadable()
{
    if (m_state == State::Head) {
        const qsizetype before = m_in.size();
        m_in += m_socket.readAll();
        const qsizetype end = m_in.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
        if (end < 0)
            return;
        if (!parseHead(end))
            return;
    }
    if (m_state == State::Body) {
        consumeBody();
        return;
    }
    if (m_state == State::Idle || m_state == State::Closed)
        m_socket.readAll(); // nothing is expected outside a request
}

bool HttpConnection::parseHead(qsizetype end)
{
    m_reply.head = m_in.left(end);
    m_in.remove(0, end + 4);
    const qsizetype sp = m_reply.head.indexOf(' ');
    m_reply.status = sp < 0 ? 0 : m_reply.head.mid(sp + 1, 3).toInt();
    if (m_reply.status < 100) {
        onDropped(QStringLiteral("malformed status line"));
        return false;
    }
    m_reply.closeAfter = m_reply.header("connection").toLower().contains("close");
    const QByteArray length = m_reply.header("content-length");
    const bool noBody = m_reply.status < 200 || m_reply.status == 204 || m_reply.status == 304;
    if (length.isEmpty() && !noBody) {
        onDropped(QStringLiteral("a response without Content-Length"));
        return false;
    }
    m_remaining = noBody ? 0 : length.toLongLong();
    if (m_keepBody)
        m_reply.body.reserve(m_remaining);
    m_state = State::Body;
    return true;
}

void HttpConnection::consumeBody()
{
    if (!m_in.isEmpty()) {
        const qsizetype take = qsizetype(qMin<qint64>(m_in.size(), m_remaining));
        if (m_keepBody)
            m_reply.body.append(m_in.constData(), take);
        m_reply.bodyBytes += take;
        m_remaining -= take;
        m_in.clear();
    }
    while (m_remaining > 0 && m_socket.bytesAvailable() > 0) {
        const qint64 n = m_socket.read(m_scratch.data(), qMin<qint64>(qint64(m_scratch.size()), m_remaining));
        if (n <= 0)
            break;
        if (m_keepBody)
            m_reply.body.append(m_scratch.data(), n);
        m_reply.bodyBytes += n;
        m_remaining -= n;
    }
    if (m_remaining == 0)
        complete();
}

void HttpConnection::complete()
{
    HttpReply reply = std::exchange(m_reply, {});
    m_state = reply.closeAfter ? State::Closed : State::Idle;
    if (reply.closeAfter)
        m_socket.abort();
    Q_EMIT finished(reply); // a handler may send() the next request from here
}

void HttpConnection::onDropped(const QString &reason)
{
    const State was = m_state;
    if (was == State::Closed)
        return;
    m_state = State::Closed;
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    if (was == State::Idle)
        return; // an idle keep-alive connection the server closed: reopened on the next send()
    m_pending.clear();
    Q_EMIT failed(reason);
}

bool HttpConnection::exchange(const QByteArray &request, HttpReply *reply, QString *error, int timeoutMs,
                              bool keepBody)
{
    QEventLoop loop;
    bool ok = false;
    const auto onFinished = connect(this, &HttpConnection::finished, &loop, [&](const HttpReply &r) {
        *reply = r;
        ok = true;
        loop.quit();
    });
    const auto onFailed = connect(this, &HttpConnection::failed, &loop, [&](const QString &why) {
        *error = why;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, [&] {
        *error = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
        loop.quit();
    });
    send(request, keepBody);
    loop.exec();
    disconnect(onFinished);
    disconnect(onFailed);
    if (!ok && m_state != State::Closed && m_state != State::Idle)
        onDropped(*error); // a late answer must not land in the next exchange
    return ok;
}

} // namespace gls::bench
