#pragma once

// One signed GET whose body streams to a callback, sent and read on the
// calling thread straight from a QSslSocket (HTTP/1.1, one connection per
// GET, closed after it).
//
// Why not QNetworkAccessManager: it reads on a thread of its own and hands
// every chunk over to ours through queued events, several copies and wake-ups
// each. For a 1 GiB S3 download that cost about 1.1 CPU-seconds more than
// curl, most of the gap to it (docs/BENCHMARKS.md, "download"). S3 downloads
// are the only bodies that size; every other call keeps the manager.
//
// What it understands: a status line, headers, interim 1xx answers (skipped),
// a body framed by Content-Length, by chunked transfer coding, or by the
// connection's end. TLS is verified as the manager verifies it: the given
// configuration's CA certificates, and the URL's host name. It asks for the
// bytes as stored (Accept-Encoding: identity).

#include "sigv4/SigV4.h"

#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

#include <functional>

class QSslSocket;

namespace gls::aws {

struct WireAnswer {
    enum class Failure {
        None,
        Tls,     // the handshake failed (an untrusted certificate, a wrong name)
        Timeout, // no byte for idleTimeoutMs
        Network, // refused, reset, closed early, or not HTTP
        Refused, // the body's callback returned false
    };
    int status = 0; // 0 when no answer head arrived
    sigv4::HeaderList headers;
    QByteArray body;          // a non-2xx answer's body (2xx bodies go to the callback)
    qint64 streamedBytes = 0; // 2xx body bytes given to the callback
    Failure failure = Failure::None;
    QString errorString;
};

class StreamingGet : public QObject {
    Q_OBJECT
public:
    // `headers`: what was signed, Host included (sent as signed).
    StreamingGet(QUrl url, sigv4::HeaderList headers, QSslConfiguration tls, int idleTimeoutMs,
        std::function<bool(QByteArrayView)> onData, QObject *parent = nullptr);
    ~StreamingGet() override;

    void start();
    void abort(); // closes at once; finished() does not follow
    const WireAnswer &answer() const { return m_answer; }

    // The answer's bytes handed in directly, as if read after the request went
    // out (instead of start()), then the connection's end: for the fuzz target
    // and tests of the reading itself. finished() comes as it would.
    void feed(QByteArrayView bytes);
    void feedEnd();

Q_SIGNALS:
    void finished();

private:
    enum class Phase { Connecting, Head, Body, Done };
    enum class Framing { Length, Chunked, UntilClose, None };

    void sendRequest();
    void onReadable();
    bool consume(const char *data, qsizetype n); // head, then body; false once finished
    void onSocketError();
    void onClosed();
    bool parseHead();                             // false once it failed (or needs more bytes: m_phase stays Head)
    bool takeBody(const char *data, qsizetype n); // false once finished
    bool takeChunked(const char *data, qsizetype n);
    bool deliver(const char *data, qsizetype n);
    bool flush(); // gives m_out to the callback; false once refused
    void fail(WireAnswer::Failure failure, const QString &why);
    void succeed();

    QUrl m_url;
    sigv4::HeaderList m_headers;
    QSslConfiguration m_tls;
    int m_idleTimeoutMs;
    std::function<bool(QByteArrayView)> m_onData;
    QPointer<QSslSocket> m_socket;
    QTimer m_idle;
    Phase m_phase = Phase::Connecting;
    Framing m_framing = Framing::None;
    bool m_streaming = false; // 2xx: the body goes to m_onData
    QByteArray m_pending;     // head bytes, or a chunk-size line, not yet complete
    qint64 m_remaining = 0;   // Length: body bytes to come; Chunked: of the current chunk
    enum class ChunkStep { Size, Data, DataEnd, Trailer } m_chunkStep = ChunkStep::Size;
    QByteArray m_buffer; // reused for every read
    QByteArray m_out;    // 2xx body bytes on their way to the callback
    qsizetype m_outFill = 0;
    WireAnswer m_answer;
};

} // namespace gls::aws
