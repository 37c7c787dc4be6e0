#include "CannedHttpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace gls::test {

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QByteArray RecordedRequest::queryValue(QByteArrayView key) const
{
    for (const QByteArray &pair : query().split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq >= 0 && QByteArrayView(pair).first(eq) == key)
            return sigv4::percentDecode(pair.mid(eq + 1));
    }
    return {};
}

CannedResponse CannedResponse::json(const QByteArray &body, int status)
{
    CannedResponse r;
    r.status = status;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "canned-request-id"}};
    return r;
}

CannedResponse CannedResponse::serviceError(int status, const QByteArray &type, const QString &message)
{
    CannedResponse r
        = json(QJsonDocument(QJsonObject{{QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact), status);
    r.headers.append({"X-Amzn-Errortype", type + ":http://internal.amazon.com/coral/com.amazonaws.gameliftstreams/"});
    return r;
}

CannedHttpServer::CannedHttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

bool CannedHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString CannedHttpServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort());
}

void CannedHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        RecordedRequest req;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        req.method = first.value(0);
        req.target = first.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            req.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return; // the body is still on its way
        req.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        m_requests.append(req);

        const CannedResponse resp = m_handler ? m_handler(req) : CannedResponse::json("{}");
        if (resp.hold)
            return;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(resp.status) + " Canned\r\n";
        for (const auto &[k, v] : resp.headers)
            out += k + ": " + v + "\r\n";
        out += "Content-Length: " + QByteArray::number(resp.body.size()) + "\r\nConnection: close\r\n\r\n";
        out += resp.body;
        socket->write(out);
        socket->disconnectFromHost();
        return;
    }
}

} // namespace gls::test
