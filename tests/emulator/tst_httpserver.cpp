// HttpServer over real sockets: raw QTcpSocket clients that control every byte,
// QNetworkAccessManager as an ordinary client, and TLS with a throwaway certificate.

#include "HttpServer.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>
#include <optional>
#include <stdexcept>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define GLS_UNDER_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GLS_UNDER_ASAN
#endif
#endif

using namespace gls::emu;

namespace {

constexpr qint64 kLargeFileBytes = 64 * 1024 * 1024;
constexpr int kSlowMs = 1000;
const QByteArray kArnTarget = "/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-"
                              "1AB2C3De4?NextToken=a%2Bb%2F%3D";

struct Reply {
    QByteArray statusLine;
    int status = 0;
    gls::sigv4::HeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[n, v] : headers) {
            if (name.compare(n, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    qsizetype count(QByteArrayView name) const
    {
        return std::count_if(headers.begin(), headers.end(),
                             [name](const auto &h) { return name.compare(h.first, Qt::CaseInsensitive) == 0; });
    }
};

// Takes one complete response off the front of `buffer`, if there is one.
std::optional<Reply> takeReply(QByteArray *buffer, bool headOnly)
{
    const qsizetype end = buffer->indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    Reply r;
    const QList<QByteArray> lines = buffer->first(end).split('\n');
    r.statusLine = lines.first().trimmed();
    r.status = r.statusLine.split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.append({lines[i].first(colon), lines[i].sliced(colon + 1).trimmed()});
    }
    const bool noBody = headOnly || r.status < 200 || r.status == 204 || r.status == 304;
    const qint64 length = noBody ? 0 : r.header("Content-Length").toLongLong();
    if (buffer->size() < end + 4 + length)
        return std::nullopt;
    r.body = buffer->mid(end + 4, length);
    buffer->remove(0, end + 4 + length);
    return r;
}

// A client that sends exact bytes and parses the answers itself.
struct RawClient {
    explicit RawClient(std::unique_ptr<QTcpSocket> s = std::make_unique<QTcpSocket>()) : socket(std::move(s)) {}

    bool connectTo(quint16 port)
    {
        socket->connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return socket->state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    void send(const QByteArray &bytes)
    {
        socket->write(bytes);
        socket->flush();
    }
    std::optional<Reply> read(bool headOnly = false, int timeoutMs = 5000)
    {
        std::optional<Reply> reply;
        (void)QTest::qWaitFor([&] {
            buffer += socket->readAll();
            reply = takeReply(&buffer, headOnly);
            return reply.has_value();
        }, timeoutMs);
        return reply;
    }
    bool waitClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] {
            buffer += socket->readAll();
            return socket->state() == QAbstractSocket::UnconnectedState;
        }, timeoutMs);
    }

    std::unique_ptr<QTcpSocket> socket;
    QByteArray buffer;
};

HttpResponse errorResponse(int status, const QByteArray &code, const QString &message)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("x-amzn-ErrorType", code);
    r.setHeader("Content-Type", "application/json");
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("message"), message}}).toJson(QJsonDocument::Compact);
    return r;
}

qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void listensOnAFreePort();
    void ipv6BaseUrlUsesBrackets();
    void keepsTargetAndHeadersAsSent();
    void qnamEncodedPathArrivesUnchanged();
    void keepAliveServesSeveralRequests();
    void pipelinedRequestsAnsweredInOrder();
    void connectionPersistence_data();
    void connectionPersistence();
    void expectContinue();
    void chunkedBodyIsDecoded_data();
    void chunkedBodyIsDecoded();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void bodyAtTheLimitIsAccepted();
    void idleAndStalledConnectionsClose();
    void responseHeaders();
    void headAnswersWithHeadersOnly();
    void fileRangeIsServed();
    void largeFileStreamsWithFlatMemory();
    void faultResetSendsTcpReset();
    void faultTruncateSendsHalfTheBody();
    void delayDoesNotBlockOtherConnections();
    void handlerExceptionAnswers500();
    void qnamRoundTrips();
    void tlsServesHttp11();
    void manyConcurrentKeepAliveConnections();
    void closeAndDestroyWithOpenConnections();

private:
    HttpServer &start(HttpServer::Limits limits = {});
    HttpResponse handle(const HttpRequest &request);
    QByteArray fileBytes(qint64 offset, qint64 length) const;

    QTemporaryDir m_dir;
    QString m_largeFile;
    QByteArray m_largeFileSha;
    std::unique_ptr<HttpServer> m_server;
    QList<HttpRequest> m_requests;
};

void TestHttpServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_largeFile = m_dir.filePath(QStringLiteral("large.bin"));
    QFile file(m_largeFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QRandomGenerator random(20240601);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 written = 0; written < kLargeFileBytes; written += block.size()) {
        random.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        hash.addData(block);
        QCOMPARE(file.write(block), block.size());
    }
    m_largeFileSha = hash.result();
}

void TestHttpServer::cleanup()
{
    m_server.reset();
    m_requests.clear();
}

HttpServer &TestHttpServer::start(HttpServer::Limits limits)
{
    m_server = std::make_unique<HttpServer>([this](const HttpRequest &r) { return handle(r); }, errorResponse, limits);
    QString error;
    if (!m_server->listen(QHostAddress::LocalHost, 0, &error))
        qFatal("cannot listen: %s", qPrintable(error));
    return *m_server;
}

HttpResponse TestHttpServer::handle(const HttpRequest &request)
{
    m_requests.append(request);
    const QUrlQuery query(QString::fromLatin1(request.query));
    HttpResponse r;
    if (request.path == "/echo") {
        r.body = request.body;
    } else if (request.path == "/slow") {
        r.body = "slow";
        r.delayMs = kSlowMs;
    } else if (request.path == "/reset") {
        r.fault = HttpResponse::Fault::Reset;
    } else if (request.path == "/truncate") {
        r.body = QByteArray(1000, 'x');
        r.fault = HttpResponse::Fault::Truncate;
    } else if (request.path == "/file") {
        r.filePath = m_largeFile;
        r.fileOffset = query.queryItemValue(QStringLiteral("offset")).toLongLong();
        r.fileLength = query.hasQueryItem(QStringLiteral("length")) ? query.queryItemValue(QStringLiteral("length")).toLongLong()
                                                                     : kLargeFileBytes - r.fileOffset;
        if (query.hasQueryItem(QStringLiteral("truncate")))
            r.fault = HttpResponse::Fault::Truncate;
    } else if (request.path == "/status") {
        r.status = query.queryItemValue(QStringLiteral("code")).toInt();
        r.body = "never sent";
    } else if (request.path == "/date") {
        r.setHeader("Date", "Tue, 01 Jan 2030 00:00:00 GMT");
        r.body = "d";
    } else if (request.path == "/close") {
        r.body = "bye";
        r.closeConnection = true;
    } else if (request.path == "/throw") {
        throw std::runtime_error("handler failure");
    } else if (request.path == "/shutdown") {
        m_server->close();
    } else {
        r.body = "ok";
    }
    return r;
}

QByteArray TestHttpServer::fileBytes(qint64 offset, qint64 length) const
{
    QFile file(m_largeFile);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return {};
    return file.read(length);
}

void TestHttpServer::listensOnAFreePort()
{
    HttpServer &server = start();
    QVERIFY(server.port() != 0);
    QVERIFY(!server.isTls());
    QCOMPARE(server.baseUrl(), QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    QCOMPARE(server.openConnections(), 0);

    HttpServer any([](const HttpRequest &) { return HttpResponse(); }, errorResponse);
    QString error;
    QVERIFY2(any.listen(QHostAddress::AnyIPv4, 0, &error), qPrintable(error));
    QCOMPARE(any.baseUrl(), QStringLiteral("http://127.0.0.1:%1").arg(any.port()));
    QVERIFY(!any.listen(QHostAddress::AnyIPv4, 0, &error)); // already listening
}

void TestHttpServer::ipv6BaseUrlUsesBrackets()
{
    HttpServer server([](const HttpRequest &) { return HttpResponse(); }, errorResponse);
    QString error;
    if (!server.listen(QHostAddress::LocalHostIPv6, 0, &error))
        QSKIP(qPrintable(QStringLiteral("no IPv6 loopback here: %1").arg(error)));
    QCOMPARE(server.baseUrl(), QStringLiteral("http://[::1]:%1").arg(server.port()));
}

void TestHttpServer::keepsTargetAndHeadersAsSent()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("GET " + kArnTarget + " HTTP/1.1\r\n"
                "Host: 127.0.0.1\r\n"
                "X-Amz-Date: 20240101T000000Z\r\n"
                "x-dup: one\r\n"
                "X-Dup:   two  \r\n"
                "X-Tab:\tvalue with  inner  spaces\t\r\n"
                "Empty:\r\n"
                "\r\n");
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(m_requests.size(), 1);
    const HttpRequest &request = m_requests.first();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, kArnTarget);
    QCOMPARE(request.path,
             QByteArray("/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4"));
    QCOMPARE(request.query, QByteArray("NextToken=a%2Bb%2F%3D"));
    const gls::sigv4::HeaderList expected{{"Host", "127.0.0.1"},  {"X-Amz-Date", "20240101T000000Z"},
                                          {"x-dup", "one"},        {"X-Dup", "two"},
                                          {"X-Tab", "value with  inner  spaces"}, {"Empty", ""}};
    QCOMPARE(request.headers, expected);
    QCOMPARE(request.header("X-DUP"), QByteArray("one"));
    QVERIFY(request.hasHeader("empty"));
    QVERIFY(!request.hasHeader("missing"));
    QVERIFY(request.body.isEmpty());
    QCOMPARE(request.peer, QHostAddress(QHostAddress::LocalHost));
}

void TestHttpServer::qnamEncodedPathArrivesUnchanged()
{
    HttpServer &server = start();
    QNetworkAccessManager nam;
    const QUrl url = QUrl::fromEncoded(server.baseUrl().toLatin1() + kArnTarget, QUrl::StrictMode);
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(url)));
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(m_requests.size(), 1);
    QCOMPARE(m_requests.first().target, kArnTarget);
}

void TestHttpServer::keepAliveServesSeveralRequests()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    for (int i = 0; i < 3; ++i) {
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\nrequest");
        const auto reply = client.read();
        QVERIFY(reply);
        QCOMPARE(reply->body, QByteArray("request"));
        QCOMPARE(reply->header("Connection"), QByteArray("keep-alive"));
    }
    QCOMPARE(m_requests.size(), 3);
    QCOMPARE(server.openConnections(), 1);
    QCOMPARE(client.socket->state(), QAbstractSocket::ConnectedState);
}

void TestHttpServer::pipelinedRequestsAnsweredInOrder()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                "GET /status?code=204 HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const QList<QByteArray> bodies{"slow", "hello", "", "ok"};
    for (const QByteArray &body : bodies) {
        const auto reply = client.read();
        QVERIFY(reply);
        QCOMPARE(reply->body, body);
    }
    QCOMPARE(m_requests.size(), 4);
    QCOMPARE(server.openConnections(), 1);
}

void TestHttpServer::connectionPersistence_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::newRow("HTTP/1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << false;
    QTest::newRow("HTTP/1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") << true;
    QTest::newRow("HTTP/1.1 close among options") << QByteArray("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n") << true;
    QTest::newRow("HTTP/1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("HTTP/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << false;
    QTest::newRow("handler closes") << QByteArray("GET /close HTTP/1.1\r\nHost: x\r\n\r\n") << true;
}

void TestHttpServer::connectionPersistence()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send(request);
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(reply->header("Connection"), closes ? QByteArray("close") : QByteArray("keep-alive"));
    if (closes) {
        QVERIFY(client.waitClosed());
        QTRY_COMPARE(server.openConnections(), 0);
    } else {
        client.send(request);
        QVERIFY(client.read());
        QCOMPARE(server.openConnections(), 1);
    }
}

void TestHttpServer::expectContinue()
{
    HttpServer &server = start({64 * 1024, 4096, 60'000});
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    const auto interim = client.read();
    QVERIFY(interim);
    QCOMPARE(interim->statusLine, QByteArray("HTTP/1.1 100 Continue"));
    QVERIFY(m_requests.isEmpty());
    client.send("hello");
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(reply->body, QByteArray("hello"));

    // Too large: refused before the client sends the body, with no 100 first.
    RawClient refused;
    QVERIFY(refused.connectTo(server.port()));
    refused.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    const auto tooLarge = refused.read();
    QVERIFY(tooLarge);
    QCOMPARE(tooLarge->status, 413);
    QVERIFY(refused.waitClosed());
}

void TestHttpServer::chunkedBodyIsDecoded_data()
{
    QTest::addColumn<bool>("bytewise");
    QTest::newRow("one write") << false;
    QTest::newRow("byte by byte") << true;
}

void TestHttpServer::chunkedBodyIsDecoded()
{
    QFETCH(bool, bytewise);
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    const QByteArray request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5;name=value\r\nhello\r\n"
                               "19\r\n, a chunked body in three\r\n"
                               "7\n pieces\n"
                               "0\r\nX-Trailer: dropped\r\n\r\n";
    if (bytewise) {
        for (char c : request) {
            client.send(QByteArray(1, c));
            QCoreApplication::processEvents();
        }
    } else {
        client.send(request);
    }
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(reply->body, QByteArray("hello, a chunked body in three pieces"));
    QVERIFY(!m_requests.first().hasHeader("X-Trailer"));
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // the connection is still in step
    const auto next = client.read();
    QVERIFY(next);
    QCOMPARE(next->body, QByteArray("ok"));
}

void TestHttpServer::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    const QByteArray bad = "BadRequest";
    QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400 << bad;
    QTest::newRow("TLS hello on a plain port") << QByteArray::fromHex("160301020001000001fc0303") << 400 << bad;
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400 << bad;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400 << bad;
    QTest::newRow("bad version") << QByteArray("GET / HTTX/1.1\r\n\r\n") << 400 << bad;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505 << QByteArray("HttpVersionNotSupported");
    QTest::newRow("control in target") << QByteArray("GET /a\x01z HTTP/1.1\r\n\r\n") << 400 << bad;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400 << bad;
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << 400 << bad;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n") << 400 << bad;
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nX-A: a") + '\0' + "b\r\n\r\n" << 400 << bad;
    QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n") << 400 << bad;
    QTest::newRow("bad Content-Length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n") << 400 << bad;
    QTest::newRow("negative Content-Length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400 << bad;
    QTest::newRow("conflicting Content-Lengths")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") << 400 << bad;
    QTest::newRow("Content-Length and chunked")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 400 << bad;
    QTest::newRow("POST without length") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\n\r\n") << 411
                                         << QByteArray("MissingContentLength");
    QTest::newRow("unsupported coding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501
                                        << QByteArray("NotImplemented");
    QTest::newRow("unknown expectation") << QByteArray("PUT / HTTP/1.1\r\nContent-Length: 1\r\nExpect: 200-ok\r\n\r\n")
                                         << 417 << QByteArray("ExpectationFailed");
    QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400 << bad;
    QTest::newRow("chunk without CRLF")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX") << 400 << bad;
    const QByteArray big(1100, 'a');
    QTest::newRow("headers too large, unterminated") << "GET / HTTP/1.1\r\nX-Big: " + big << 431
                                                     << QByteArray("RequestHeaderFieldsTooLarge");
    QTest::newRow("headers too large") << "GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n" << 431
                                       << QByteArray("RequestHeaderFieldsTooLarge");
    QTest::newRow("trailers too large") << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Big: " + big << 431
                                        << QByteArray("RequestHeaderFieldsTooLarge");
    QTest::newRow("body too large") << QByteArray("PUT / HTTP/1.1\r\nContent-Length: 4097\r\n\r\n") << 413
                                    << QByteArray("RequestEntityTooLarge");
    QTest::newRow("chunked body too large")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n") + QByteArray(0x800, 'b') + "\r\n801\r\n"
        << 413 << QByteArray("RequestEntityTooLarge");
}

void TestHttpServer::rejectsBadInput()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    HttpServer &server = start({1024, 4096, 60'000});
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send(request);
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, status);
    QCOMPARE(reply->header("x-amzn-ErrorType"), code);
    QCOMPARE(reply->header("Connection"), QByteArray("close"));
    QVERIFY(reply->body.contains("message"));
    QVERIFY(m_requests.isEmpty());
    QVERIFY(client.waitClosed());
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestHttpServer::bodyAtTheLimitIsAccepted()
{
    HttpServer &server = start({1024, 4096, 60'000});
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    const QByteArray body(4096, 'z');
    client.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + body);
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(reply->body, body);
}

void TestHttpServer::idleAndStalledConnectionsClose()
{
    HttpServer &server = start({64 * 1024, 4096, 300});

    RawClient silent; // never sends a byte: closed without an answer
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(silent.connectTo(server.port()));
    QVERIFY(silent.waitClosed());
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(silent.buffer.isEmpty());

    RawClient idle; // idle after a complete exchange
    QVERIFY(idle.connectTo(server.port()));
    idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(idle.read());
    QVERIFY(idle.waitClosed());
    QVERIFY(idle.buffer.isEmpty());

    const QList<QByteArray> partial{"GET / HTTP/1.1\r\nHost: x\r\n", "PUT /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
                                    "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhe"};
    for (const QByteArray &bytes : partial) {
        RawClient stalled;
        QVERIFY(stalled.connectTo(server.port()));
        stalled.send(bytes);
        const auto reply = stalled.read();
        QVERIFY(reply);
        QCOMPARE(reply->status, 400);
        QCOMPARE(reply->header("x-amzn-ErrorType"), QByteArray("RequestTimeout"));
        QVERIFY(stalled.waitClosed());
    }
    QVERIFY(m_requests.size() == 1);
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestHttpServer::responseHeaders()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /date HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /status?code=204 HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /status?code=304 HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /status?code=404 HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto ok = client.read();
    QVERIFY(ok);
    QCOMPARE(ok->statusLine, QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(ok->header("Content-Length"), QByteArray("2"));
    QCOMPARE(ok->count("Date"), 1);
    static const QRegularExpression imfFixdate(
        QStringLiteral("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                       "\\d\\d:\\d\\d:\\d\\d GMT$"));
    QVERIFY2(imfFixdate.match(QString::fromLatin1(ok->header("Date"))).hasMatch(), ok->header("Date").constData());
    const QDateTime date = QDateTime::fromString(QString::fromLatin1(ok->header("Date")), Qt::RFC2822Date);
    QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    const auto dated = client.read();
    QVERIFY(dated);
    QCOMPARE(dated->count("Date"), 1);
    QCOMPARE(dated->header("Date"), QByteArray("Tue, 01 Jan 2030 00:00:00 GMT"));

    const auto noContent = client.read();
    QVERIFY(noContent);
    QCOMPARE(noContent->statusLine, QByteArray("HTTP/1.1 204 No Content"));
    QCOMPARE(noContent->count("Content-Length"), 0);
    const auto notModified = client.read();
    QVERIFY(notModified);
    QCOMPARE(notModified->statusLine, QByteArray("HTTP/1.1 304 Not Modified"));
    const auto notFound = client.read(); // would be garbled if a body had followed 204 or 304
    QVERIFY(notFound);
    QCOMPARE(notFound->statusLine, QByteArray("HTTP/1.1 404 Not Found"));
    QCOMPARE(notFound->body, QByteArray("never sent"));
}

void TestHttpServer::headAnswersWithHeadersOnly()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /file HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = client.read(true);
    QVERIFY(head);
    QCOMPARE(head->header("Content-Length"), QByteArray("2"));
    const auto fileHead = client.read(true);
    QVERIFY(fileHead);
    QCOMPARE(fileHead->header("Content-Length"), QByteArray::number(kLargeFileBytes));
    const auto get = client.read(); // no stray body bytes before it
    QVERIFY(get);
    QCOMPARE(get->statusLine, QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(get->body, QByteArray("ok"));
}

void TestHttpServer::fileRangeIsServed()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("GET /file?offset=12345&length=1000000 HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /file?offset=5&length=0 HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto range = client.read();
    QVERIFY(range);
    QCOMPARE(range->header("Content-Length"), QByteArray("1000000"));
    QVERIFY(range->body == fileBytes(12345, 1000000));
    const auto empty = client.read();
    QVERIFY(empty);
    QCOMPARE(empty->header("Content-Length"), QByteArray("0"));

    QTest::ignoreMessage(QtWarningMsg, "a response body file could not be read; answering 500");
    client.send("GET /file?offset=67108860&length=10 HTTP/1.1\r\nHost: x\r\n\r\n"); // past the end
    const auto beyond = client.read();
    QVERIFY(beyond);
    QCOMPARE(beyond->status, 500);
    QCOMPARE(beyond->header("x-amzn-ErrorType"), QByteArray("InternalError"));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::largeFileStreamsWithFlatMemory()
{
    HttpServer &server = start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);

    QByteArray head;
    bool inBody = false;
    qint64 received = 0;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 before = rssKiB();
    qint64 peak = before;
    const auto consume = [&] {
        QByteArray data = socket.readAll();
        if (!inBody) {
            head += data;
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            data = head.sliced(end + 4);
            head.truncate(end + 4);
            inBody = true;
        }
        hash.addData(data);
        if ((received >> 22) != ((received + data.size()) >> 22)) // every 4 MiB
            peak = qMax(peak, rssKiB());
        received += data.size();
    };
    connect(&socket, &QIODevice::readyRead, this, consume);
    QSignalSpy closed(&socket, &QAbstractSocket::disconnected);
    socket.write("GET /file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(closed.wait(120'000));
    consume();

    QVERIFY(head.contains("Content-Length: " + QByteArray::number(kLargeFileBytes) + "\r\n"));
    QCOMPARE(received, kLargeFileBytes);
    QCOMPARE(hash.result(), m_largeFileSha);
    const qint64 growthKiB = peak - before;
    qInfo("VmRSS grew by %lld KiB while streaming %lld MiB", growthKiB, kLargeFileBytes >> 20);
#ifdef GLS_UNDER_ASAN
    QSKIP("AddressSanitizer keeps freed memory in quarantine, so VmRSS says nothing here");
#endif
    QVERIFY2(growthKiB < 48 * 1024, qPrintable(QStringLiteral("VmRSS grew by %1 KiB").arg(growthKiB)));
}

void TestHttpServer::faultResetSendsTcpReset()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    client.send("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(client.waitClosed());
    QVERIFY(client.buffer.isEmpty());
    QCOMPARE(client.socket->error(), QAbstractSocket::RemoteHostClosedError);

#ifdef Q_OS_UNIX
    // Qt reports a FIN and a RST alike; a plain socket tells them apart.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    const QByteArray request = "GET /reset HTTP/1.1\r\nHost: x\r\n\r\n";
    QCOMPARE(::send(fd, request.constData(), size_t(request.size()), 0), ssize_t(request.size()));
    ssize_t result = 0;
    int error = 0;
    bool done = false;
    QTRY_VERIFY([&] { // recv only until the first answer: after a reset comes end-of-file
        if (done)
            return true;
        char byte = 0;
        result = ::recv(fd, &byte, 1, MSG_DONTWAIT);
        error = errno;
        done = !(result < 0 && (error == EAGAIN || error == EWOULDBLOCK));
        return done;
    }());
    ::close(fd);
    QCOMPARE(result, ssize_t(-1));
    QCOMPARE(error, ECONNRESET);
#endif
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestHttpServer::faultTruncateSendsHalfTheBody()
{
    HttpServer &server = start();
    RawClient memory;
    QVERIFY(memory.connectTo(server.port()));
    memory.send("GET /truncate HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = memory.read(true);
    QVERIFY(head);
    QCOMPARE(head->header("Content-Length"), QByteArray("1000"));
    QVERIFY(memory.waitClosed());
    QCOMPARE(memory.buffer, QByteArray(500, 'x'));

    RawClient file;
    QVERIFY(file.connectTo(server.port()));
    file.send("GET /file?offset=100&length=3000000&truncate=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto fileHead = file.read(true);
    QVERIFY(fileHead);
    QCOMPARE(fileHead->header("Content-Length"), QByteArray("3000000"));
    QVERIFY(file.waitClosed());
    QVERIFY(file.buffer == fileBytes(100, 1500000));
}

void TestHttpServer::delayDoesNotBlockOtherConnections()
{
    HttpServer &server = start();
    RawClient slow;
    RawClient fast;
    QVERIFY(slow.connectTo(server.port()));
    QVERIFY(fast.connectTo(server.port()));
    QElapsedTimer elapsed;
    elapsed.start();
    slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_requests.size(), 1); // the slow request has reached its handler
    fast.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto fastReply = fast.read();
    QVERIFY(fastReply);
    QCOMPARE(fastReply->body, QByteArray("ok"));
    QVERIFY(elapsed.elapsed() < kSlowMs);
    QVERIFY(slow.buffer.isEmpty() && slow.socket->bytesAvailable() == 0);

    const auto slowReply = slow.read();
    QVERIFY(slowReply);
    QCOMPARE(slowReply->body, QByteArray("slow"));
    QVERIFY(elapsed.elapsed() >= kSlowMs - 50);
}

void TestHttpServer::handlerExceptionAnswers500()
{
    HttpServer &server = start();
    RawClient client;
    QVERIFY(client.connectTo(server.port()));
    QTest::ignoreMessage(QtWarningMsg, "the request handler threw; answering 500");
    client.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->status, 500);
    QCOMPARE(reply->header("x-amzn-ErrorType"), QByteArray("InternalError"));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::qnamRoundTrips()
{
    HttpServer &server = start({64 * 1024, 256 * 1024, 60'000});
    QNetworkAccessManager nam;
    const auto finish = [](QNetworkReply *reply) { // a real event loop: QNAM uploads a piece per iteration
        return reply->isFinished() || QSignalSpy(reply, &QNetworkReply::finished).wait(10'000);
    };

    std::unique_ptr<QNetworkReply> get(nam.get(QNetworkRequest(QUrl(server.baseUrl() + QStringLiteral("/")))));
    QVERIFY(finish(get.get()));
    QCOMPARE(get->readAll(), QByteArray("ok"));

    const QByteArray payload(200 * 1024, 'p');
    QNetworkRequest post(QUrl(server.baseUrl() + QStringLiteral("/echo")));
    post.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/octet-stream"));
    std::unique_ptr<QNetworkReply> echo(nam.post(post, payload));
    QVERIFY(finish(echo.get()));
    QCOMPARE(echo->error(), QNetworkReply::NoError);
    QVERIFY(echo->readAll() == payload);
    QCOMPARE(server.openConnections(), 1); // both went over one kept-alive connection

    std::unique_ptr<QNetworkReply> empty(nam.post(post, QByteArray()));
    QVERIFY(finish(empty.get()));
    QCOMPARE(empty->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    // Refused while the client is still uploading: the 413 must reach it, not a reset.
    std::unique_ptr<QNetworkReply> tooLarge(nam.put(post, QByteArray(4 * 1024 * 1024, 'q')));
    QVERIFY(finish(tooLarge.get()));
    QCOMPARE(tooLarge->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 413);
    QCOMPARE(tooLarge->rawHeader("x-amzn-ErrorType"), QByteArray("RequestEntityTooLarge"));
}

void TestHttpServer::tlsServesHttp11()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("the openssl command-line tool is not installed");
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    const QString certPath = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString keyPath = m_dir.filePath(QStringLiteral("key.pem"));
    QProcess process;
    process.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                            QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                            QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-days"), QStringLiteral("2"),
                            QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath});
    QVERIFY(process.waitForFinished(30'000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath);
    QCOMPARE(chain.size(), 1);
    QFile keyFile(keyPath);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(&keyFile, QSsl::Ec);
    QVERIFY(!key.isNull());

    m_server = std::make_unique<HttpServer>([this](const HttpRequest &r) { return handle(r); }, errorResponse);
    m_server->setTls(chain, key);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(m_server->isTls());
    QCOMPARE(m_server->baseUrl(), QStringLiteral("https://127.0.0.1:%1").arg(m_server->port()));

    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.setCaCertificates(chain);
    trusting.setAllowedNextProtocols({QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1")});

    auto *ssl = new QSslSocket;
    RawClient client{std::unique_ptr<QTcpSocket>(ssl)};
    ssl->setSslConfiguration(trusting);
    QSignalSpy encrypted(ssl, &QSslSocket::encrypted);
    ssl->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->port());
    QVERIFY(encrypted.wait(10'000));
    QCOMPARE(ssl->sslConfiguration().nextNegotiatedProtocol(), QByteArray("http/1.1"));
    QVERIFY(ssl->sessionProtocol() == QSsl::TlsV1_2 || ssl->sessionProtocol() == QSsl::TlsV1_3);
    client.send("GET " + kArnTarget + " HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /file?length=3000000 HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto reply = client.read();
    QVERIFY(reply);
    QCOMPARE(reply->body, QByteArray("ok"));
    QCOMPARE(m_requests.first().target, kArnTarget);
    const auto file = client.read(false, 30'000);
    QVERIFY(file);
    QVERIFY(file->body == fileBytes(0, 3000000));

    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(m_server->baseUrl() + QStringLiteral("/")));
    request.setSslConfiguration(trusting);
    std::unique_ptr<QNetworkReply> qnam(nam.get(request));
    QTRY_VERIFY_WITH_TIMEOUT(qnam->isFinished(), 10'000);
    QCOMPARE(qnam->error(), QNetworkReply::NoError);
    QCOMPARE(qnam->readAll(), QByteArray("ok"));
    QVERIFY(!qnam->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool());

    RawClient plain; // plain HTTP on the TLS port: the handshake fails and the connection goes
    QVERIFY(plain.connectTo(m_server->port()));
    plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(plain.waitClosed());
    QTRY_COMPARE(m_server->openConnections(), 2); // the raw TLS client and QNAM remain
}

void TestHttpServer::manyConcurrentKeepAliveConnections()
{
    constexpr int kClients = 300;
    HttpServer &server = start();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<RawClient>());
        clients.back()->socket->connectToHost(QHostAddress::LocalHost, server.port());
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), kClients, 20'000);
    for (int round = 0; round < 2; ++round) {
        for (const auto &client : clients)
            client->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        for (const auto &client : clients) {
            const auto reply = client->read();
            QVERIFY(reply);
            QCOMPARE(reply->body, QByteArray("ok"));
        }
    }
    QCOMPARE(m_requests.size(), 2 * kClients);
    QCOMPARE(server.openConnections(), kClients);
    server.close();
    QCOMPARE(server.openConnections(), 0);
    for (const auto &client : clients)
        QVERIFY(client->waitClosed());
}

void TestHttpServer::closeAndDestroyWithOpenConnections()
{
    HttpServer &server = start();
    const quint16 port = server.port();
    RawClient idle;
    RawClient delayed;
    RawClient streaming; // never reads, so the server stays mid-file
    QVERIFY(idle.connectTo(port));
    QVERIFY(delayed.connectTo(port));
    QVERIFY(streaming.connectTo(port));
    delayed.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    streaming.send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_COMPARE(m_requests.size(), 2);
    QCOMPARE(server.openConnections(), 3);
    m_server.reset();
    QVERIFY(idle.waitClosed());
    QVERIFY(delayed.waitClosed());
    QVERIFY(delayed.buffer.isEmpty());
    QVERIFY(streaming.waitClosed(10'000));

    HttpServer &again = start();
    const quint16 againPort = again.port();
    RawClient shutdown; // the handler closes the server under its own connection
    QVERIFY(shutdown.connectTo(again.port()));
    shutdown.send("GET /shutdown HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(shutdown.waitClosed());
    QCOMPARE(again.openConnections(), 0);
    QCOMPARE(again.port(), quint16(0));
    QTcpSocket refused;
    QSignalSpy failed(&refused, &QAbstractSocket::errorOccurred);
    refused.connectToHost(QHostAddress::LocalHost, againPort);
    QVERIFY(failed.wait(5000));
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
