#pragma once

// A small HTTP/1.1 server over TCP or TLS that hands the emulator's services
// the request exactly as it arrived on the wire (raw path and query bytes,
// headers in order), so signatures can be recomputed from what was received.
// Single-threaded: it lives in the thread that created it and calls the
// handler there.

#include "sigv4/SigV4.h"

#include <QHostAddress>
#include <QMultiMap>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>

class QTcpServer;

namespace gls::emu {

struct HttpRequest {
    QByteArray method;  // "GET"
    QByteArray target;  // request-target as sent: "/a%2Fb?x=1"
    QByteArray path;    // target up to '?', raw bytes
    QByteArray query;   // target after '?', raw bytes, empty when none
    sigv4::HeaderList headers; // as received, in order, names as sent
    QByteArray body;
    QHostAddress peer;

    // Query parameters, percent-decoded ('+' stays '+'), in a multi-map.
    QMultiMap<QString, QString> queryItems() const;
    // First value of a header, matched case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};

struct HttpResponse {
    enum class Fault {
        None,
        Reset,    // drop the connection (TCP RST) instead of answering
        Truncate, // send the headers and half the body, then drop the connection
        Corrupt,  // send it all, with one bit of the body's middle byte flipped (what a checksum must catch)
    };

    int status = 200;
    sigv4::HeaderList headers; // Content-Length, Connection and Date are added when absent
    QByteArray body;
    // When filePath is set, the body is that file's bytes [fileOffset, fileOffset + fileLength),
    // streamed from disk in chunks and never held whole in memory.
    QString filePath;
    qint64 fileOffset = 0;
    qint64 fileLength = 0;
    bool headOnly = false; // HEAD: Content-Length of the body or file range, no body bytes
    Fault fault = Fault::None;
    int delayMs = 0;       // wait this long before answering
    bool closeConnection = false;

    void setHeader(QByteArray name, QByteArray value);
};

// HttpServer::Limits. Defined outside the class so that `Limits limits = {}` can be a
// default argument there (a nested struct's member initialisers are not usable yet).
struct HttpServerLimits {
    qint64 maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 8 * 1024 * 1024;
    int idleTimeoutMs = 60'000; // a connection idle (or a request stalled) this long is closed
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    using Limits = HttpServerLimits;
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    // Builds the response for a request the server itself rejects before any
    // handler sees it (bad request line, headers too large, body too large,
    // unsupported transfer encoding); status is the HTTP status to use.
    using ErrorFactory = std::function<HttpResponse(int status, const QByteArray &code, const QString &message)>;

    HttpServer(Handler handler, ErrorFactory errors, Limits limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Serve HTTPS with this certificate (leaf first, then chain) and key. Call before listen().
    void setTls(const QList<QSslCertificate> &chain, const QSslKey &key);
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();

    quint16 port() const;
    bool isTls() const;
    QString baseUrl() const; // "https://127.0.0.1:PORT"
    int openConnections() const;

private:
    class Connection;
    friend class Connection;
    struct Private;
    Private *d;
};

} // namespace gls::emu
