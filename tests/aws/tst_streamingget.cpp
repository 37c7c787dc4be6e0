// StreamingGet, the HTTP/1.1 GET that S3 downloads are read with. The framing
// cases S3 and the emulator never send (chunked bodies, bodies that end with
// the connection, interim 1xx answers, broken answers) come from a scripted
// server in this test: a real QTcpServer on loopback writing the exact bytes
// each case needs, since no real server here can be made to send them. TLS
// trust is tested against the real gls-emulator.

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/StreamingGet.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace gls;
using gls::aws::StreamingGet;
using gls::aws::WireAnswer;

namespace {

// Answers the first connection with `pieces`, written one by one (no
// coalescing on our side), then closes it or keeps it open.
class ScriptedServer : public QObject {
public:
    explicit ScriptedServer(QList<QByteArray> pieces, bool closeAfter = true)
        : m_pieces(std::move(pieces))
        , m_closeAfter(closeAfter)
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            connect(m_socket, &QTcpSocket::readyRead, this, [this] {
                m_request += m_socket->readAll();
                if (!m_answered && m_request.contains("\r\n\r\n")) {
                    m_answered = true;
                    for (const QByteArray &piece : std::as_const(m_pieces)) {
                        m_socket->write(piece);
                        m_socket->flush();
                    }
                    if (m_closeAfter)
                        m_socket->disconnectFromHost();
                }
            });
        });
    }
    QUrl url(const QByteArray &pathAndQuery = "/bucket/key") const
    {
        return QUrl::fromEncoded("http://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + pathAndQuery);
    }
    QByteArray request() const { return m_request; }

private:
    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QList<QByteArray> m_pieces;
    bool m_closeAfter;
    bool m_answered = false;
    QByteArray m_request;
};

struct Run {
    WireAnswer answer;
    QByteArray streamed;
    QList<qsizetype> pieces; // the size of each call of the callback
    bool finished = false;
};

// `refuseAfter`: the callback says no once this many bytes came (-1: never).
Run get(const QUrl &url, const QSslConfiguration &tls = {}, int idleTimeoutMs = 10000, qsizetype refuseAfter = -1)
{
    Run run;
    StreamingGet get(url, {{"Host", url.authority().toLatin1()}, {"x-amz-date", "20261129T000000Z"}}, tls,
        idleTimeoutMs, [&run, refuseAfter](QByteArrayView bytes) {
            run.streamed += bytes;
            run.pieces.append(bytes.size());
            return refuseAfter < 0 || run.streamed.size() < refuseAfter;
        });
    QSignalSpy finished(&get, &StreamingGet::finished);
    get.start();
    run.finished = finished.wait(30000);
    run.answer = get.answer();
    return run;
}

QByteArray body(qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char('a' + i % 26);
    return b;
}

QByteArray headerOf(const WireAnswer &a, QByteArrayView name)
{
    for (const auto &[k, v] : a.headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

} // namespace

class TestStreamingGet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sendsTheRequestAsSigned()
    {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
        const Run run = get(server.url("/gls-exports/a%20b.zip?x-id=GetObject"));
        QVERIFY(run.finished);
        const QByteArray request = server.request();
        QVERIFY2(request.startsWith("GET /gls-exports/a%20b.zip?x-id=GetObject HTTP/1.1\r\n"), request.constData());
        QVERIFY2(request.contains("\r\nHost: 127.0.0.1:"), request.constData());
        QVERIFY2(request.contains("\r\nx-amz-date: 20261129T000000Z\r\n"), request.constData());
        // The bytes as stored (a gzip-encoded object is not unpacked), one GET per connection.
        QVERIFY2(request.contains("\r\nAccept-Encoding: identity\r\n"), request.constData());
        QVERIFY2(request.contains("\r\nConnection: close\r\n"), request.constData());
        QCOMPARE(run.streamed, QByteArray("ok"));
    }

    void contentLengthBodyInManyPieces()
    {
        const QByteArray expected = body(300000);
        QList<QByteArray> pieces{"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\nETag: \"x\"\r\n\r\n"};
        for (qsizetype at = 0; at < expected.size(); at += 7001)
            pieces.append(expected.mid(at, 7001));
        ScriptedServer server(pieces, false); // the length ends it, not the close
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::None);
        QCOMPARE(run.answer.status, 200);
        QCOMPARE(headerOf(run.answer, "etag"), QByteArray("\"x\""));
        QCOMPARE(run.streamed, expected);
        QCOMPARE(run.answer.streamedBytes, expected.size());
        QVERIFY(run.answer.body.isEmpty());
        // However small the pieces on the wire, the callback (a file write each) gets 64 KiB or more but the last.
        for (qsizetype i = 0; i + 1 < run.pieces.size(); ++i)
            QVERIFY2(
                run.pieces[i] >= 64 * 1024, qPrintable(QStringLiteral("piece %1: %2 bytes").arg(i).arg(run.pieces[i])));
    }

    void chunkedBodyWithExtensionsAndTrailer()
    {
        const QByteArray a = body(5000), b = body(17);
        const QByteArray wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray::number(5000, 16)
            + ";name=value\r\n" + a + "\r\n" + QByteArray::number(17, 16) + "\r\n" + b
            + "\r\n0\r\nx-amz-checksum-crc64nvme: AAAAAAAAAAA=\r\n\r\n";
        // Cut everywhere: inside sizes, inside the CRLFs, inside the trailer.
        QList<QByteArray> pieces;
        for (qsizetype at = 0; at < wire.size(); at += 3)
            pieces.append(wire.mid(at, 3));
        ScriptedServer server(pieces, false);
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::None);
        QCOMPARE(run.streamed, a + b);
    }

    void bodyThatEndsWithTheConnection()
    {
        ScriptedServer server({"HTTP/1.1 200 OK\r\n\r\n", "first half, ", "second half"});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::None);
        QCOMPARE(run.streamed, QByteArray("first half, second half"));
    }

    void interimAnswersAreSkipped()
    {
        ScriptedServer server({"HTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\n"
            "Content-Range: bytes 7-9/10\r\n\r\nxyz"});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.status, 206);
        QCOMPARE(run.streamed, QByteArray("xyz"));
    }

    void anErrorAnswerIsKeptNotStreamed()
    {
        const QByteArray xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>";
        ScriptedServer server({"HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\nContent-Length: "
            + QByteArray::number(xml.size()) + "\r\n\r\n" + xml});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::None);
        QCOMPARE(run.answer.status, 404);
        QCOMPARE(run.answer.body, xml);
        QVERIFY(run.streamed.isEmpty());
    }

    void anAnswerCutShortIsAFailure()
    {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", body(40)});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Network);
        QVERIFY2(run.answer.errorString.contains(QLatin1String("60 bytes before the end")),
            qPrintable(run.answer.errorString));
        QCOMPARE(run.answer.streamedBytes, 40); // what came is kept: the download resumes after it
        QCOMPARE(run.streamed, body(40));
    }

    void aChunkedAnswerCutShortIsAFailure()
    {
        ScriptedServer server({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n", body(10)});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Network);
    }

    void somethingThatIsNotHttp()
    {
        ScriptedServer server({"SSH-2.0-OpenSSH_9.2\r\n\r\n"});
        const Run run = get(server.url());
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Network);
        QVERIFY2(run.answer.errorString.contains(QLatin1String("not an HTTP/1.1 answer")),
            qPrintable(run.answer.errorString));
    }

    void aRefusingCallbackStopsIt()
    {
        const QByteArray expected = body(200000);
        QList<QByteArray> pieces{"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n"};
        for (qsizetype at = 0; at < expected.size(); at += 1000)
            pieces.append(expected.mid(at, 1000));
        ScriptedServer server(pieces, false);
        const Run run = get(server.url(), {}, 10000, 5000);
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Refused);
        QVERIFY(run.streamed.size() < expected.size());
    }

    void silenceIsATimeout()
    {
        ScriptedServer server({}, false); // reads the request, never answers
        const Run run = get(server.url(), {}, 300);
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Timeout);
        QCOMPARE(run.answer.status, 0);
    }

    void aRefusedConnection()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const Run run = get(QUrl(QStringLiteral("http://127.0.0.1:%1/b/k").arg(port)));
        QVERIFY(run.finished);
        QCOMPARE(run.answer.failure, WireAnswer::Failure::Network);
    }

    void limitsHoldHoweverTheBytesArrive_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("why");
        QTest::newRow("a head over 64 KiB") << QByteArray(
            "HTTP/1.1 200 OK\r\nx-amz-meta-big: " + QByteArray(70000, 'a') + "\r\nContent-Length: 0\r\n\r\n")
                                            << "head is over 64 KiB";
        QTest::newRow("a chunk-size line over 4 KiB") << QByteArray(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + QByteArray(5000, 'e') + "\r\nx\r\n0\r\n\r\n")
                                                      << "framing line is too long";
    }

    void limitsHoldHoweverTheBytesArrive()
    {
        // In one read or in many, the same answer is refused the same way (the
        // fuzz target http_answer holds every input to this).
        QFETCH(QByteArray, answer);
        QFETCH(QString, why);
        for (const qsizetype piece : {answer.size(), qsizetype(1000), qsizetype(7)}) {
            StreamingGet get(
                QUrl(QStringLiteral("http://127.0.0.1:1/b/k")), {}, {}, 10000, [](QByteArrayView) { return true; });
            QSignalSpy finished(&get, &StreamingGet::finished);
            for (qsizetype at = 0; at < answer.size(); at += piece)
                get.feed(QByteArrayView(answer).sliced(at, qMin(piece, answer.size() - at)));
            get.feedEnd();
            QCOMPARE(finished.count(), 1);
            QCOMPARE(get.answer().failure, WireAnswer::Failure::Network);
            QVERIFY2(get.answer().errorString.contains(why), qPrintable(get.answer().errorString));
        }
    }

    void tlsIsVerifiedAgainstTheGivenCertificates()
    {
        test::Emulator emu;
        QVERIFY2(emu.ok(), qPrintable(emu.errorText()));
        const QUrl url(emu.s3Url() + QStringLiteral("/gls-exports/nothing.zip"));

        // The system's CAs only: the emulator's certificate is not trusted.
        const Run untrusted = get(url, QSslConfiguration::defaultConfiguration());
        QVERIFY(untrusted.finished);
        QCOMPARE(untrusted.answer.failure, WireAnswer::Failure::Tls);
        QCOMPARE(untrusted.answer.status, 0);

        // With its CA: the handshake passes and S3 answers (an unsigned request: refused, kept as an error body).
        QList<QSslCertificate> ca;
        QString error;
        QVERIFY2(aws::AwsTransport::loadCaBundle(emu.caPath(), &ca, &error), qPrintable(error));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(ca);
        const Run trusted = get(url, tls);
        QVERIFY(trusted.finished);
        QCOMPARE(trusted.answer.failure, WireAnswer::Failure::None);
        QCOMPARE(trusted.answer.status, 403);
        QVERIFY2(trusted.answer.body.contains("<Error>"), trusted.answer.body.constData());
        QVERIFY(trusted.streamed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStreamingGet)
#include "tst_streamingget.moc"
