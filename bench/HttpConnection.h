#pragma once

// One keep-alive HTTP/1.1 connection over TLS (or plain TCP) with at most one
// request in flight: the load generator's cheap client. Event-driven on a
// QSslSocket, no QNetworkAccessManager. It understands what the emulator
// sends (a status line, headers, a Content-Length body) and can count a
// body's bytes without keeping them.

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslSocket>
#include <QUrl>

#include <vector>

namespace gls::bench {

struct HttpReply {
    int status = 0;
    QByteArray head;       // status line and header lines, as received
    QByteArray body;       // empty when the body was discarded
    qint64 bodyBytes = 0;  // bytes of body received (kept or not)
    bool closeAfter = false;

    QByteArray header(QByteArrayView name) const;
};

class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(const QUrl &base, const QList<QSslCertificate> &caCertificates, QObject *parent = nullptr);

    // Connects (and completes the TLS handshake); opened() or failed() follows.
    void open();
    bool isOpen() const { return m_state == State::Idle; }
    // Sends one complete request. Opens the connection first when it is closed.
    void send(QByteArray request, bool keepBody = true);
    // Sends and waits for the answer in a local event loop (set-up steps only).
    bool exchange(const QByteArray &request, HttpReply *reply, QString *error, int timeoutMs = 30000,
                  bool keepBody = true);

    QByteArray hostHeader() const; // host:port, as the Host header carries it
    int reconnects() const { return m_reconnects; }

Q_SIGNALS:
    void opened();
    void finished(const gls::bench::HttpReply &reply);
    void failed(const QString &reason);

private:
    enum class State { Closed, Connecting, Idle, Head, Body };

    void onReady();
    void onReadable();
    void onDropped(const QString &reason);
    bool parseHead(qsizetype end);
    void consumeBody();
    void complete();

    QUrl m_base;
    QSslSocket m_socket;
    State m_state = State::Closed;
    QByteArray m_pending; // a request waiting for the connection to open
    bool m_pendingKeepBody = true;
    QByteArray m_in;
    HttpReply m_reply;
    qint64 m_remaining = 0;
    bool m_keepBody = true;
    bool m_everOpened = false;
    int m_reconnects = 0;
    std::vector<char> m_scratch;
};

} // namespace gls::bench
