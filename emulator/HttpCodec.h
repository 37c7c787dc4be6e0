#pragma once

// HttpServer's HTTP/1.1 framing for one connection, with no socket and no timer:
// it decodes the requests that arrive (request line and header fields, checked
// and split as received, then a body by Content-Length or the chunked transfer
// coding, all under the server's limits) and encodes the heads of the responses
// that leave. The connection feeds it bytes and acts on what each step reports.
// HttpRequest's and HttpResponse's header accessors live here too, beside the
// field grammar they share.

#include "HttpServer.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gls::emu {

class HttpCodec {
public:
    enum class Step {
        NeedMore,     // nothing to do until more bytes arrive
        Progressed,   // input was consumed or the state moved on: decode again
        SendContinue, // a head asked for 100-continue and nothing of its body is here yet
        Complete,     // a whole request: takeRequest()
        Rejected,     // not an acceptable request: answer as rejection() says, then close
    };
    struct Rejection {
        int status = 400;
        QByteArray code = "BadRequest";
        QString message;
    };

    explicit HttpCodec(const HttpServerLimits &limits);

    void append(const QByteArray &bytes) { m_in.append(bytes); }
    void clearInput() { m_in.clear(); }
    // Waiting for a request line with nothing received: an idle connection, not a stalled request.
    bool isIdle() const { return m_state == State::Head && m_in.isEmpty(); }

    // Decodes what the buffered input allows, one step at a time.
    Step decode();
    // The request after Complete; the codec then waits for the next request line.
    HttpRequest takeRequest();
    // Whether the last request's head lets the connection stay open (its Connection header and HTTP version).
    bool keepAlive() const { return m_keepAlive; }
    const Rejection &rejection() const { return m_rejection; }

    // The status line and header section of r, through the blank line. Headers that could split the
    // response are dropped; Content-Length (unless contentLength is empty), Date and Connection are
    // added when absent. A Connection header of r that says close clears *keepAlive.
    static QByteArray responseHead(const HttpResponse &r, std::optional<qint64> contentLength, bool *keepAlive);

private:
    enum class State { Head, Body, Chunked };
    enum class ChunkPart { Size, Data, DataEnd, Trailers };

    // Parses a header section (request line, fields, blank line) into `request`.
    static bool parseHead(const QByteArray &block, HttpRequest *request, bool *http10, Rejection *why);

    Step parseHeaders();
    Step beginRequest(const QByteArray &block);
    Step readBody();
    Step readChunked();
    Step reject(int status, const QByteArray &code, const QString &message);
    Step complete();

    HttpServerLimits m_limits;
    State m_state = State::Head;
    QByteArray m_in; // received, not yet consumed
    qsizetype m_scanFrom = 0;
    HttpRequest m_request;
    bool m_keepAlive = true;
    qint64 m_bodyRemaining = 0;
    ChunkPart m_chunkPart = ChunkPart::Size;
    qint64 m_trailerBytes = 0;
    Rejection m_rejection;
};

} // namespace gls::emu
