#pragma once

// Test support: a tiny HTTP/1.1 server on 127.0.0.1 that records each request
// and answers with whatever the test's handler says (or holds the connection
// open without answering). It lets the client's tests control the bytes of a
// response in ways the emulator, which is faithful to the service, never
// produces: unknown members, bodies that are not JSON, repeated tokens.

#include "sigv4/SigV4.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace gls::test {

struct RecordedRequest {
    QByteArray method;
    QByteArray target; // path and query exactly as received
    sigv4::HeaderList headers;
    QByteArray body;

    QByteArray path() const { return target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')); }
    QByteArray query() const { return target.contains('?') ? target.mid(target.indexOf('?') + 1) : QByteArray(); }
    QByteArray header(QByteArrayView name) const;
    // The decoded value of a query parameter ('+' stays '+': only %XX are decoded).
    QByteArray queryValue(QByteArrayView key) const;
};

struct CannedResponse {
    int status = 200;
    sigv4::HeaderList headers;
    QByteArray body;
    bool hold = false; // never answer

    static CannedResponse json(const QByteArray &body, int status = 200);
    static CannedResponse serviceError(int status, const QByteArray &type, const QString &message);
};

class CannedHttpServer : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<CannedResponse(const RecordedRequest &)>;

    explicit CannedHttpServer(QObject *parent = nullptr);
    bool listen();
    QString baseUrl() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    const QList<RecordedRequest> &requests() const { return m_requests; }
    void clear() { m_requests.clear(); }

private:
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QList<RecordedRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace gls::test
