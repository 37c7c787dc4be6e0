// The client's jobs against a canned HTTP server whose answers the test
// controls: the exact request bytes of every operation (ARN labels as %3A and
// %2F, NextToken encoded, the export body and its signed content-type),
// pagination to the end with per-page signals, unknown members and enum values
// end to end, answers that cannot be read, service errors, validation that
// sends nothing, the deadline, abort, and ownership (auto-delete, a client
// destroyed mid-call).

#include "CannedHttpServer.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "gamelift/ExportStreamSessionFilesJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamGroupJob.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/ListStreamGroupsJob.h"
#include "gamelift/ListStreamSessionsJob.h"
#include "gamelift/TerminateStreamSessionJob.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace gls;
using namespace gls::gamelift;
using gls::test::CannedHttpServer;
using gls::test::CannedResponse;
using gls::test::RecordedRequest;

namespace {

const QString kGroupArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4");
const QString kSessionArn
    = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567");

QByteArray sessionItems(int from, int count)
{
    QJsonArray items;
    for (int i = from; i < from + count; ++i) {
        items.append(QJsonObject{
            {QStringLiteral("Arn"),
                QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1/S%1").arg(i)},
            {QStringLiteral("Status"), QStringLiteral("ACTIVE")}, {QStringLiteral("CreatedAt"), 1700000000.5 + i}});
    }
    return QJsonDocument(items).toJson(QJsonDocument::Compact);
}

CannedResponse neverAnswer(const RecordedRequest &)
{
    CannedResponse r;
    r.hold = true;
    return r;
}

} // namespace

class TestGameLiftJobs : public QObject {
    Q_OBJECT

private:
    CannedHttpServer *m_server = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    aws::StaticCredentialsProvider *m_credentials = nullptr;
    aws::SystemClock m_clock;
    aws::AwsTransport *m_transport = nullptr;
    GameLiftClient *m_client = nullptr;

    // Waits for the job's end; returns its failure (Kind::None on success).
    static aws::AwsError waitFor(ApiJob *job, int timeoutMs = 10000)
    {
        job->setAutoDelete(false);
        QSignalSpy finished(job, &ApiJob::finished);
        if (!job->isStarted())
            job->start();
        if (!job->isFinished() && !finished.wait(timeoutMs))
            qWarning() << job->operation() << "did not finish in time";
        return job->error();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = new CannedHttpServer(this);
        QVERIFY(m_server->listen());
        m_network = new QNetworkAccessManager(this);
        m_credentials = new aws::StaticCredentialsProvider(
            {"AKIDCANNEDTEST000001", "canned-secret", {}}, QStringLiteral("test"), this);
        aws::TransportSettings settings;
        settings.requestsPerSecondPerOperation = 0;
        settings.retry.maxAttempts = 1; // each test sees exactly the requests it caused
        m_transport = new aws::AwsTransport(
            m_network, m_credentials, &m_clock, settings, [] { return 0.0; }, this);
    }

    void init()
    {
        m_server->clear();
        m_server->setHandler({});
        m_client = new GameLiftClient(
            m_transport, aws::Endpoint{QUrl(m_server->baseUrl()), "us-west-2", "gameliftstreams"}, this);
    }

    void cleanup()
    {
        delete m_client;
        m_client = nullptr;
    }

    void validationFailsWithoutSending_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("field");
        QTest::newRow("list groups MaxResults") << 0 << QStringLiteral("MaxResults: must be from 1 to 100");
        QTest::newRow("get group") << 1 << QStringLiteral("stream group identifier: ");
        QTest::newRow("list sessions group") << 2 << QStringLiteral("stream group identifier: ");
        QTest::newRow("list sessions status") << 3 << QStringLiteral("Status: 'FINISHED' is not a known");
        QTest::newRow("list sessions export status") << 4 << QStringLiteral("ExportFilesStatus: 'done' is not a known");
        QTest::newRow("list sessions MaxResults") << 5 << QStringLiteral("MaxResults: ");
        QTest::newRow("get session") << 6 << QStringLiteral("stream session identifier: ");
        QTest::newRow("export uri") << 7 << QStringLiteral("OutputUri: ");
        QTest::newRow("export session") << 8 << QStringLiteral("stream session identifier: ");
        QTest::newRow("terminate group") << 9 << QStringLiteral("stream group identifier: ");
    }

    void validationFailsWithoutSending()
    {
        QFETCH(int, which);
        QFETCH(QString, field);
        ApiJob *job = nullptr;
        ListStreamSessionsRequest request;
        switch (which) {
        case 0:
            job = m_client->listStreamGroups(0);
            break;
        case 1:
            job = m_client->getStreamGroup(QStringLiteral("sg 1"));
            break;
        case 2:
            request.streamGroup = QStringLiteral("arn:aws:s3:::bucket");
            break;
        case 3:
            request.status = QStringLiteral("FINISHED");
            break;
        case 4:
            request.exportFilesStatus = QStringLiteral("done");
            break;
        case 5:
            request.maxResults = 101;
            break;
        case 6:
            job = m_client->getStreamSession(QStringLiteral("sg-1"), QStringLiteral("ABC\n"));
            break;
        case 7:
            job = m_client->exportStreamSessionFiles(
                QStringLiteral("sg-1"), QStringLiteral("ABC"), QStringLiteral("s3://b/x.tar"));
            break;
        case 8:
            job = m_client->exportStreamSessionFiles(
                QStringLiteral("sg-1"), QString(), QStringLiteral("s3://gls-exports/"));
            break;
        case 9:
            job = m_client->terminateStreamSession(QString(129, QLatin1Char('a')), QStringLiteral("ABC"));
            break;
        }
        if (!job)
            job = m_client->listStreamSessions(request);
        job->setAutoDelete(false);
        job->start();
        // Nothing is emitted from inside start(): connecting afterwards still works.
        QVERIFY(!job->isFinished());
        QSignalSpy failed(job, &ApiJob::failed);
        QSignalSpy finished(job, &ApiJob::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(failed.count(), 1);
        const auto error = failed.at(0).at(0).value<aws::AwsError>();
        QCOMPARE(error.kind, aws::AwsError::Kind::Validation);
        QVERIFY2(error.message.startsWith(field), qPrintable(error.message));
        QCOMPARE(error.operation, job->operation());
        QVERIFY2(error.toString().contains(field), qPrintable(error.toString()));
        QVERIFY(m_server->requests().isEmpty());
        delete job;
    }

    void getStreamSessionSendsArnLabelsEncoded()
    {
        m_server->setHandler(
            [](const RecordedRequest &) { return CannedResponse::json(R"({"Arn": "x", "Status": "CONNECTED"})"); });
        auto *job = m_client->getStreamSession(kGroupArn, kSessionArn);
        QSignalSpy ok(job, &GetStreamSessionJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        QCOMPARE(ok.count(), 1);
        QCOMPARE(job->result().status, QStringLiteral("CONNECTED"));
        QCOMPARE(m_server->requests().size(), 1);
        const RecordedRequest &r = m_server->requests().first();
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.target,
            QByteArray("/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup"
                       "%2Fsg-1AB2C3De4/streamsessions/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333"
                       "%3Astreamsession%2Fsg-1AB2C3De4%2FABC123def4567"));
        QVERIFY(r.header("authorization").contains("/us-west-2/gameliftstreams/aws4_request"));
        QVERIFY(r.header("x-amz-date").size() == 16);
        delete job;
    }

    void getStreamGroupPath()
    {
        auto *job = m_client->getStreamGroup(QStringLiteral("sg-1AB2C3De4"));
        m_server->setHandler([](const RecordedRequest &) {
            return CannedResponse::json(R"({"Arn": "a", "Id": "sg-1AB2C3De4", "Status": "NEW_STATE", "Novel": [1]})");
        });
        QSignalSpy ok(job, &GetStreamGroupJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        QCOMPARE(m_server->requests().first().target, QByteArray("/streamgroups/sg-1AB2C3De4"));
        QCOMPARE(ok.at(0).at(0).value<StreamGroup>().status, QStringLiteral("NEW_STATE"));
        delete job;
    }

    void paginationFollowsEncodedTokens()
    {
        // Tokens with '+', '/', '=' and a space: they must travel encoded and come back intact.
        const QByteArray t1 = "a+b/c==";
        const QByteArray t2 = "x y/+=";
        m_server->setHandler([&](const RecordedRequest &r) {
            const QByteArray token = r.queryValue("NextToken");
            if (token.isEmpty())
                return CannedResponse::json("{\"Items\": " + sessionItems(0, 2) + ", \"NextToken\": \"" + t1 + "\"}");
            if (token == t1)
                return CannedResponse::json("{\"Items\": " + sessionItems(2, 2) + ", \"NextToken\": \"" + t2 + "\"}");
            if (token == t2)
                return CannedResponse::json("{\"Items\": " + sessionItems(4, 1) + ", \"Surprise\": {}}");
            return CannedResponse::serviceError(400, "ValidationException", QStringLiteral("bad token"));
        });
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("ACTIVE");
        request.exportFilesStatus = QStringLiteral("PENDING");
        request.maxResults = 2;
        auto *job = m_client->listStreamSessions(request);
        QCOMPARE(job->operation(), QStringLiteral("ListStreamSessionsByAccount"));
        QSignalSpy pages(job, &ListStreamSessionsJob::page);
        QSignalSpy done(job, &ListStreamSessionsJob::succeeded);
        const aws::AwsError error = waitFor(job);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QCOMPARE(pages.count(), 3);
        QCOMPARE(pages.at(0).at(0).value<QList<StreamSessionSummary>>().size(), 2);
        QCOMPARE(pages.at(2).at(0).value<QList<StreamSessionSummary>>().size(), 1);
        QCOMPARE(done.count(), 1);
        const auto all = done.at(0).at(0).value<QList<StreamSessionSummary>>();
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.at(4).idFromArn(), QStringLiteral("S4"));
        QCOMPARE(job->pageCount(), 3);
        QCOMPARE(job->items(), all);

        const auto &reqs = m_server->requests();
        QCOMPARE(reqs.size(), 3);
        for (const RecordedRequest &r : reqs) {
            QCOMPARE(r.path(), QByteArray("/streamsessions"));
            QVERIFY2(r.query().contains("Status=ACTIVE"), r.query().constData());
            QVERIFY2(r.query().contains("ExportFilesStatus=PENDING"), r.query().constData());
            QVERIFY2(r.query().contains("MaxResults=2"), r.query().constData());
        }
        QVERIFY(!reqs.at(0).query().contains("NextToken"));
        QVERIFY2(reqs.at(1).query().contains("NextToken=a%2Bb%2Fc%3D%3D"), reqs.at(1).query().constData());
        QVERIFY2(reqs.at(2).query().contains("NextToken=x%20y%2F%2B%3D"), reqs.at(2).query().constData());
        delete job;
    }

    void listStreamGroupsPages()
    {
        m_server->setHandler([](const RecordedRequest &r) {
            if (r.queryValue("NextToken").isEmpty())
                return CannedResponse::json(R"({"Items": [{"Arn": "g1", "Id": "sg-1"}], "NextToken": "t=="})");
            return CannedResponse::json(R"({"Items": [{"Arn": "g2", "Id": "sg-2", "Status": "FUTURE"}]})");
        });
        auto *job = m_client->listStreamGroups(1);
        QSignalSpy pages(job, &ListStreamGroupsJob::page);
        QSignalSpy done(job, &ListStreamGroupsJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        QCOMPARE(pages.count(), 2);
        const auto all = done.at(0).at(0).value<QList<StreamGroupSummary>>();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(1).status, QStringLiteral("FUTURE"));
        QCOMPARE(m_server->requests().at(0).target, QByteArray("/streamgroups?MaxResults=1"));
        QVERIFY(m_server->requests().at(1).query().contains("NextToken=t%3D%3D"));
        delete job;
    }

    void listSessionsOfGroupByArn()
    {
        m_server->setHandler([](const RecordedRequest &) { return CannedResponse::json(R"({"Items": []})"); });
        ListStreamSessionsRequest request;
        request.streamGroup = kGroupArn;
        auto *job = m_client->listStreamSessions(request);
        QCOMPARE(job->operation(), QStringLiteral("ListStreamSessions"));
        QSignalSpy done(job, &ListStreamSessionsJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        QCOMPARE(done.count(), 1);
        QCOMPARE(m_server->requests().first().target,
            QByteArray(
                "/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4"
                "/streamsessions?MaxResults=100"));
        delete job;
    }

    void unknownFilterValuesWhenAllowed()
    {
        m_server->setHandler([](const RecordedRequest &) { return CannedResponse::json(R"({"Items": []})"); });
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("HIBERNATING");
        request.unknownFilterValues = UnknownValues::Allow;
        auto *job = m_client->listStreamSessions(request);
        QVERIFY(!waitFor(job).isError());
        QVERIFY(m_server->requests().first().query().contains("Status=HIBERNATING"));
        delete job;
    }

    void repeatedNextTokenFails()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return CannedResponse::json(R"({"Items": [{"Arn": "g"}], "NextToken": "same"})");
        });
        auto *job = m_client->listStreamGroups();
        QSignalSpy pages(job, &ListStreamGroupsJob::page);
        const aws::AwsError error = waitFor(job);
        QCOMPARE(error.kind, aws::AwsError::Kind::Client);
        QCOMPARE(error.type, QStringLiteral("InvalidResponse"));
        QVERIFY2(
            error.message.contains(QLatin1String("returned the NextToken it was given")), qPrintable(error.message));
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(pages.count(), 1);
        delete job;
    }

    void unknownMembersAndValuesEndToEnd()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return CannedResponse::json(R"({
                "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1/ABC",
                "Status": "QUANTUM_SUPERPOSITION", "StatusReason": "cosmicRay", "Protocol": "WebRTC2",
                "ExportFilesMetadata": {"Status": "ARCHIVED", "Checksum": "abc"},
                "CreatedAt": 1700000000.001, "LastUpdatedAt": "2023-11-14T22:13:20Z",
                "BrandNewMember": {"deep": [{"x": 1}]}, "AnotherOne": null,
                "DisplayConfiguration": {"Resolution": {"Width": 1280, "Height": 720}, "Refresh": 60}
            })");
        });
        auto *job = m_client->getStreamSession(QStringLiteral("sg-1"), QStringLiteral("ABC"));
        QSignalSpy ok(job, &GetStreamSessionJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        const StreamSession s = ok.at(0).at(0).value<StreamSession>();
        QCOMPARE(s.status, QStringLiteral("QUANTUM_SUPERPOSITION"));
        QCOMPARE(s.statusReason, QStringLiteral("cosmicRay"));
        QCOMPARE(s.protocol, QStringLiteral("WebRTC2"));
        QCOMPARE(s.exportFilesMetadata->status, QStringLiteral("ARCHIVED"));
        QCOMPARE(s.createdAt.toMSecsSinceEpoch(), Q_INT64_C(1700000000001));
        QCOMPARE(s.lastUpdatedAt.toMSecsSinceEpoch(), Q_INT64_C(1700000000000));
        QCOMPARE(s.displayConfiguration->resolution->width, 1280);
        QVERIFY(!s.canExport());
        delete job;
    }

    void unreadableAnswers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("html") << QByteArray("<html>gateway</html>") << QStringLiteral("the response is not JSON");
        QTest::newRow("array") << QByteArray("[1]") << QStringLiteral("not an object");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the response body is empty");
        QTest::newRow("wrong type") << QByteArray(R"({"Arn": "a", "CreatedAt": [1]})")
                                    << QStringLiteral("CreatedAt: expected epoch seconds");
    }

    void unreadableAnswers()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        m_server->setHandler([body](const RecordedRequest &) { return CannedResponse::json(body); });
        auto *job = m_client->getStreamSession(QStringLiteral("sg-1"), QStringLiteral("ABC"));
        QSignalSpy ok(job, &GetStreamSessionJob::succeeded);
        const aws::AwsError error = waitFor(job);
        QCOMPARE(ok.count(), 0);
        QCOMPARE(error.kind, aws::AwsError::Kind::Client);
        QCOMPARE(error.type, QStringLiteral("InvalidResponse"));
        QCOMPARE(error.operation, QStringLiteral("GetStreamSession"));
        QCOMPARE(error.httpStatus, 200);
        QCOMPARE(error.requestId, QByteArray("canned-request-id"));
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        delete job;
    }

    void exportRequestShape_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("empty body") << QByteArray();
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("future members") << QByteArray(R"({"ExportId": "e-1"})");
    }

    void exportRequestShape()
    {
        QFETCH(QByteArray, answer);
        m_server->setHandler([answer](const RecordedRequest &) { return CannedResponse::json(answer); });
        const QString uri = QStringLiteral("s3://gls-exports/qa/run 1/");
        auto *job = m_client->exportStreamSessionFiles(kGroupArn, QStringLiteral("ABC123def4567"), uri);
        QSignalSpy ok(job, &ExportStreamSessionFilesJob::succeeded);
        const aws::AwsError error = waitFor(job);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QCOMPARE(ok.count(), 1);
        const RecordedRequest &r = m_server->requests().first();
        QCOMPARE(r.method, QByteArray("PUT"));
        QCOMPARE(r.target,
            QByteArray("/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup"
                       "%2Fsg-1AB2C3De4/streamsessions/ABC123def4567/exportfiles"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QVERIFY2(
            r.header("authorization").contains("content-type;host;x-amz-date"), r.header("authorization").constData());
        QCOMPARE(QJsonDocument::fromJson(r.body).object(), QJsonObject({{QStringLiteral("OutputUri"), uri}}));
        delete job;
    }

    void terminateRequestShape()
    {
        m_server->setHandler([](const RecordedRequest &) {
            CannedResponse r;
            r.status = 204;
            return r;
        });
        auto *job = m_client->terminateStreamSession(QStringLiteral("sg-1AB2C3De4"), kSessionArn);
        QSignalSpy ok(job, &TerminateStreamSessionJob::succeeded);
        QVERIFY(!waitFor(job).isError());
        QCOMPARE(ok.count(), 1);
        const RecordedRequest &r = m_server->requests().first();
        QCOMPARE(r.method, QByteArray("DELETE"));
        QVERIFY(r.target.startsWith("/streamgroups/sg-1AB2C3De4/streamsessions/arn%3Aaws%3A"));
        QVERIFY(r.target.endsWith("%2Fsg-1AB2C3De4%2FABC123def4567"));
        QVERIFY(r.body.isEmpty());
        delete job;
    }

    void serviceErrorsSurfaceByName()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return CannedResponse::serviceError(
                404, "ResourceNotFoundException", QStringLiteral("Stream session 'ABC' could not be found."));
        });
        auto *job = m_client->getStreamSession(QStringLiteral("sg-1"), QStringLiteral("ABC"));
        QSignalSpy failed(job, &ApiJob::failed);
        const aws::AwsError error = waitFor(job);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(error.kind, aws::AwsError::Kind::Service);
        QCOMPARE(error.type, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(error.httpStatus, 404);
        QCOMPARE(error.message, QStringLiteral("Stream session 'ABC' could not be found."));
        QCOMPARE(error.operation, QStringLiteral("GetStreamSession"));
        delete job;
    }

    void deadlineFailsWithTimeout()
    {
        m_server->setHandler(neverAnswer);
        auto *job = m_client->getStreamGroup(QStringLiteral("sg-1"));
        job->setTimeoutMs(300);
        QElapsedTimer clock;
        clock.start();
        const aws::AwsError error = waitFor(job);
        QCOMPARE(error.kind, aws::AwsError::Kind::Timeout);
        QCOMPARE(error.operation, QStringLiteral("GetStreamGroup"));
        QVERIFY2(error.message.contains(QLatin1String("0.3 s")), qPrintable(error.message));
        QVERIFY(clock.elapsed() < 5000);
        delete job;
    }

    void abortWhileRunning()
    {
        m_server->setHandler(neverAnswer);
        auto *job = m_client->getStreamGroup(QStringLiteral("sg-1"));
        job->setAutoDelete(false);
        QSignalSpy failed(job, &ApiJob::failed);
        QSignalSpy finished(job, &ApiJob::finished);
        job->start();
        QTRY_COMPARE(m_server->requests().size(), 1);
        job->abort();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job->error().kind, aws::AwsError::Kind::Cancelled);
        job->abort(); // a second abort, and a late start, change nothing
        job->start();
        QTest::qWait(50); // let any stray event run; nothing may arrive
        QCOMPARE(failed.count(), 1);
        QCOMPARE(finished.count(), 1);
        delete job;
    }

    void abortBeforeStart()
    {
        auto *job = m_client->getStreamGroup(QStringLiteral("sg-1"));
        job->setAutoDelete(false);
        QSignalSpy failed(job, &ApiJob::failed);
        job->abort();
        QCOMPARE(failed.count(), 1);
        job->start();
        QTest::qWait(50);
        QVERIFY(m_server->requests().isEmpty());
        delete job;
    }

    void abortFromPageSlotStopsPaging()
    {
        m_server->setHandler([](const RecordedRequest &) {
            return CannedResponse::json(R"({"Items": [{"Arn": "g"}], "NextToken": "more"})");
        });
        auto *job = m_client->listStreamGroups();
        connect(job, &ListStreamGroupsJob::page, job, [job] { job->abort(); });
        QSignalSpy pages(job, &ListStreamGroupsJob::page);
        QSignalSpy done(job, &ListStreamGroupsJob::succeeded);
        const aws::AwsError error = waitFor(job);
        QCOMPARE(error.kind, aws::AwsError::Kind::Cancelled);
        QCOMPARE(done.count(), 0);
        QCOMPARE(pages.count(), 1);
        // The second page's request leaves before the first page is decoded
        // (PagedJob asks ahead), so the server may have seen it; it was aborted.
        QVERIFY(m_server->requests().size() <= 2);
        delete job;
    }

    void unreadablePageStopsTheListing()
    {
        // Page 2 carries a NextToken, so page 3 is asked for before page 2's
        // items turn out unreadable: the job fails on page 2 all the same,
        // after emitting page 1 only.
        m_server->setHandler([](const RecordedRequest &r) {
            const QByteArray token = r.queryValue("NextToken");
            if (token.isEmpty())
                return CannedResponse::json("{\"Items\": " + sessionItems(0, 2) + ", \"NextToken\": \"t2\"}");
            if (token == "t2")
                return CannedResponse::json(R"({"Items": [{"Arn": 42}], "NextToken": "t3"})");
            return CannedResponse::json("{\"Items\": " + sessionItems(4, 2) + "}");
        });
        auto *job = m_client->listStreamSessions({});
        QSignalSpy pages(job, &ListStreamSessionsJob::page);
        QSignalSpy done(job, &ListStreamSessionsJob::succeeded);
        QSignalSpy finished(job, &ListStreamSessionsJob::finished);
        const aws::AwsError error = waitFor(job);
        QCOMPARE(error.kind, aws::AwsError::Kind::Client);
        QCOMPARE(error.type, QStringLiteral("InvalidResponse"));
        QVERIFY2(error.message.contains(QLatin1String("Items[0].Arn")), qPrintable(error.message));
        QCOMPARE(pages.count(), 1);
        QCOMPARE(pages.at(0).at(0).value<QList<StreamSessionSummary>>().size(), 2);
        QCOMPARE(done.count(), 0);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job->pageCount(), 1);
        QVERIFY(m_server->requests().size() <= 3);
        delete job;
    }

    void jobsDeleteThemselves()
    {
        m_server->setHandler([](const RecordedRequest &) { return CannedResponse::json(R"({"Id": "sg-1"})"); });
        QPointer<GetStreamGroupJob> job = m_client->getStreamGroup(QStringLiteral("sg-1"));
        QCOMPARE(job->parent(), m_client);
        QSignalSpy finished(job.data(), &ApiJob::finished);
        job->start();
        QVERIFY(finished.wait(5000));
        QTRY_VERIFY(job.isNull());

        QPointer<GetStreamGroupJob> kept = m_client->getStreamGroup(QStringLiteral("sg-1"));
        kept->setAutoDelete(false);
        QSignalSpy keptFinished(kept.data(), &ApiJob::finished);
        kept->start();
        QVERIFY(keptFinished.wait(5000));
        QTest::qWait(20);
        QVERIFY(!kept.isNull());
        QCOMPARE(kept->result().id, QStringLiteral("sg-1"));
        delete kept;
    }

    void startTwiceSendsOnce()
    {
        m_server->setHandler([](const RecordedRequest &) { return CannedResponse::json("{}"); });
        auto *job = m_client->getStreamGroup(QStringLiteral("sg-1"));
        job->start();
        job->start();
        QVERIFY(!waitFor(job).isError());
        QTest::qWait(50);
        QCOMPARE(m_server->requests().size(), 1);
        delete job;
    }

    void destroyingTheClientAbortsQuietly()
    {
        m_server->setHandler(neverAnswer);
        int signals = 0;
        auto *job = m_client->listStreamGroups();
        connect(job, &ApiJob::failed, this, [&] { ++signals; });
        connect(job, &ApiJob::finished, this, [&] { ++signals; });
        QPointer<ApiJob> guard(job);
        job->start();
        QTRY_COMPARE(m_server->requests().size(), 1);
        delete m_client;
        m_client = nullptr;
        QVERIFY(guard.isNull());
        QTest::qWait(50);
        QCOMPARE(signals, 0);
    }
};

QTEST_GUILESS_MAIN(TestGameLiftJobs)
#include "tst_gamelift_jobs.moc"
