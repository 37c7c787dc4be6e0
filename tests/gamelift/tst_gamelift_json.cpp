// JSON decoding of every GameLift Streams output shape: full answers, unknown
// members at every level, unknown enum values, missing optionals and nulls,
// epoch-second timestamps (whole and fractional) and tolerated ISO 8601 text,
// wrongly typed members (an error naming the member, never a crash), bodies
// that are not JSON or not an object, and debug output without secrets.

#include "gamelift/GameLiftJson.h"
#include "gamelift/KnownValues.h"

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gls::gamelift;

namespace {

QJsonObject parse(const char *text)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &pe);
    if (pe.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s at %d", qPrintable(pe.errorString()), pe.offset);
    return doc.object();
}

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    t.setTimeSpec(Qt::UTC);
    return t;
}

const char *const kSessionArn
    = "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567";

} // namespace

class TestGameLiftJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listStreamGroupsOutput()
    {
        const QJsonObject o = parse(R"({
            "Items": [
                {"Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
                 "Id": "sg-1AB2C3De4", "Description": "QA group",
                 "DefaultApplication": {"Id": "a-9ZY8X7Wv6", "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6", "Future": 1},
                 "StreamClass": "gen4n_high", "Status": "ACTIVE",
                 "CreatedAt": 1672179780, "LastUpdatedAt": 1672179780.25, "ExpiresAt": 1703715780,
                 "SomethingNew": {"nested": [1, 2, 3]}},
                {"Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-000000002",
                 "StreamClass": "gen9z_hyper", "Status": "HIBERNATING"}
            ],
            "NextToken": "+/AbC==",
            "ResponseMetadata": {"x": true}
        })");
        Page<StreamGroupSummary> page;
        QString error;
        QVERIFY2(json::decodeStreamGroupPage(o, &page, &error), qPrintable(error));
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(page.nextToken, QStringLiteral("+/AbC=="));
        const StreamGroupSummary &g = page.items.at(0);
        QCOMPARE(g.id, QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(g.description, QStringLiteral("QA group"));
        QVERIFY(g.defaultApplication.has_value());
        QCOMPARE(g.defaultApplication->id, QStringLiteral("a-9ZY8X7Wv6"));
        QVERIFY(g.defaultApplication->arn.endsWith(QLatin1String("application/a-9ZY8X7Wv6")));
        QCOMPARE(g.streamClass, QStringLiteral("gen4n_high"));
        QCOMPARE(g.status, QStringLiteral("ACTIVE"));
        QCOMPARE(g.createdAt, utc("2022-12-27T22:23:00"));
        QCOMPARE(g.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(g.lastUpdatedAt, utc("2022-12-27T22:23:00.250"));
        QCOMPARE(g.expiresAt, utc("2023-12-27T22:23:00"));
        // Unknown enum values are kept as they came; missing members stay empty.
        const StreamGroupSummary &h = page.items.at(1);
        QCOMPARE(h.status, QStringLiteral("HIBERNATING"));
        QCOMPARE(h.streamClass, QStringLiteral("gen9z_hyper"));
        QVERIFY(!knownStreamGroupStatuses().contains(h.status));
        QVERIFY(h.id.isEmpty());
        QCOMPARE(h.idOrFromArn(), QStringLiteral("sg-000000002"));
        QVERIFY(!h.defaultApplication);
        QVERIFY(!h.createdAt.isValid());
    }

    void emptyListing()
    {
        Page<StreamGroupSummary> groups;
        QVERIFY(json::decodeStreamGroupPage(parse("{}"), &groups, nullptr));
        QVERIFY(groups.items.isEmpty());
        QVERIFY(groups.nextToken.isEmpty());
        Page<StreamSessionSummary> sessions;
        QVERIFY(json::decodeStreamSessionPage(parse(R"({"Items": [], "NextToken": null})"), &sessions, nullptr));
        QVERIFY(sessions.items.isEmpty());
        QVERIFY(sessions.nextToken.isEmpty());
    }

    void getStreamGroupOutput()
    {
        const QJsonObject o = parse(R"({
            "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
            "Id": "sg-1AB2C3De4", "Description": "Main", "StreamClass": "gen5n_win2022",
            "Status": "ACTIVE_WITH_ERRORS", "StatusReason": "noAvailableInstances",
            "DefaultApplication": {"Id": "a-9ZY8X7Wv6"},
            "LocationStates": [
                {"LocationName": "us-west-2", "Status": "ACTIVE", "AlwaysOnCapacity": 2, "OnDemandCapacity": 5,
                 "TargetIdleCapacity": 1, "MaximumCapacity": 10, "RequestedCapacity": 3, "AllocatedCapacity": 3,
                 "IdleCapacity": 1, "InternalVpcIpv4CidrBlock": "10.0.0.0/16",
                 "VpcTransitConfiguration": {"VpcId": "vpc-1", "Ipv4CidrBlocks": ["10.1.0.0/16", "10.2.0.0/16"],
                     "TransitGatewayId": "tgw-1", "TransitGatewayResourceShareArn": "arn:aws:ram::1:x", "Later": 0},
                 "Unknown": "x"},
                {"LocationName": "ap-south-9", "Status": "MIGRATING"}
            ],
            "AssociatedApplications": ["arn:aws:gameliftstreams:us-west-2:111122223333:application/a-1",
                                       "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-2"],
            "CreatedAt": 1672179780.5, "LastUpdatedAt": "2022-12-27T22:29:40+00:00", "ExpiresAt": null,
            "Tags": {"team": "qa"}
        })");
        StreamGroup g;
        QString error;
        QVERIFY2(json::decodeStreamGroup(o, &g, &error), qPrintable(error));
        QCOMPARE(g.id, QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(g.status, QStringLiteral("ACTIVE_WITH_ERRORS"));
        QCOMPARE(g.statusReason, QStringLiteral("noAvailableInstances"));
        QCOMPARE(g.defaultApplication->id, QStringLiteral("a-9ZY8X7Wv6"));
        QVERIFY(g.defaultApplication->arn.isEmpty());
        QCOMPARE(g.locationStates.size(), 2);
        const LocationState &l = g.locationStates.at(0);
        QCOMPARE(l.locationName, QStringLiteral("us-west-2"));
        QCOMPARE(l.status, QStringLiteral("ACTIVE"));
        QCOMPARE(l.alwaysOnCapacity, std::optional<qint64>(2));
        QCOMPARE(l.onDemandCapacity, std::optional<qint64>(5));
        QCOMPARE(l.targetIdleCapacity, std::optional<qint64>(1));
        QCOMPARE(l.maximumCapacity, std::optional<qint64>(10));
        QCOMPARE(l.requestedCapacity, std::optional<qint64>(3));
        QCOMPARE(l.allocatedCapacity, std::optional<qint64>(3));
        QCOMPARE(l.idleCapacity, std::optional<qint64>(1));
        QCOMPARE(l.internalVpcIpv4CidrBlock, QStringLiteral("10.0.0.0/16"));
        QVERIFY(l.vpcTransitConfiguration.has_value());
        QCOMPARE(l.vpcTransitConfiguration->vpcId, QStringLiteral("vpc-1"));
        QCOMPARE(l.vpcTransitConfiguration->ipv4CidrBlocks,
            QStringList({QStringLiteral("10.1.0.0/16"), QStringLiteral("10.2.0.0/16")}));
        QCOMPARE(l.vpcTransitConfiguration->transitGatewayId, QStringLiteral("tgw-1"));
        QCOMPARE(l.vpcTransitConfiguration->transitGatewayResourceShareArn, QStringLiteral("arn:aws:ram::1:x"));
        const LocationState &m = g.locationStates.at(1);
        QCOMPARE(m.status, QStringLiteral("MIGRATING"));
        QVERIFY(!m.allocatedCapacity);
        QVERIFY(!m.vpcTransitConfiguration);
        QCOMPARE(g.associatedApplications.size(), 2);
        QCOMPARE(g.createdAt, utc("2022-12-27T22:23:00.500"));
        QCOMPARE(g.lastUpdatedAt, utc("2022-12-27T22:29:40"));
        QVERIFY(!g.expiresAt.isValid());
    }

    void quickPageReader_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("quick"); // read straight from the bytes, or left to QJsonDocument
        const QByteArray item = R"({"ApplicationArn":"arn:aws:gameliftstreams:us-west-2:111122223333:application/a-1",)"
                                R"("Arn":"arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1/S1",)"
                                R"("CreatedAt":1795552852.511,"LastUpdatedAt":1795558627,"Location":"us-west-2",)"
                                R"("Protocol":"WebRTC","Status":"TERMINATED","StatusReason":"idleTimeout",)"
                                R"("UserId":"dev-5879"})";
        QTest::newRow("the emulator's page") << QByteArray(R"({"Items":[)" + item + "," + item
                                                    + R"(],"NextToken":"+/+/nDlz=="})")
                                             << true;
        QTest::newRow("spaces and lines") << QByteArray("\r\n { \"NextToken\" : null ,\n\t\"Items\" : [ " + item
                                                    + " ] } \n")
                                          << true;
        QTest::newRow("no Items, no token") << QByteArray("{}") << true;
        QTest::newRow("Items null") << QByteArray(R"({"Items":null})") << true;
        QTest::newRow("empty Items") << QByteArray(R"({"Items":[ ]})") << true;
        QTest::newRow("export metadata, role, nulls")
            << QByteArray(R"({"Items":[{"Arn":"a/b/c","ExportFilesMetadata":{"Status":"SUCCEEDED",)"
                          R"("StatusReason":null,"OutputUri":"s3://b/k.zip"},"RoleArn":"arn:aws:iam::1:role/r",)"
                          R"("UserId":null,"CreatedAt":null,"LastUpdatedAt":0},{"ExportFilesMetadata":{}},)"
                          R"({"ExportFilesMetadata":null}]})")
            << true;
        QTest::newRow("times with exponents") << QByteArray(R"({"Items":[{"CreatedAt":1.7955e9,"LastUpdatedAt":17E8}]})")
                                              << true;

        QTest::newRow("an escape") << QByteArray("{\"Items\":[{\"UserId\":\"a\\\"b\"}]}") << false;
        QTest::newRow("UTF-8") << QByteArray("{\"Items\":[{\"UserId\":\"J\xc3\xbcrgen\"}]}") << false;
        QTest::newRow("an unknown member") << QByteArray(R"({"Items":[],"Later":1})") << false;
        QTest::newRow("an unknown item member") << QByteArray(R"({"Items":[{"Arn":"a","Later":[1]}]})") << false;
        QTest::newRow("a member twice") << QByteArray(R"({"Items":[{"Status":"ACTIVE","Status":"ERROR"}]})") << false;
        QTest::newRow("an ISO time") << QByteArray(R"({"Items":[{"CreatedAt":"2024-01-01T00:00:00Z"}]})") << false;
        QTest::newRow("a negative time") << QByteArray(R"({"Items":[{"CreatedAt":-1}]})") << false;
        QTest::newRow("a time of 19 digits") << QByteArray(R"({"Items":[{"CreatedAt":1234567890123456789}]})")
                                             << false;
        QTest::newRow("a leading zero") << QByteArray(R"({"Items":[{"CreatedAt":0123}]})") << false;
        QTest::newRow("a time too far") << QByteArray(R"({"Items":[{"CreatedAt":1e300}]})") << false;
        QTest::newRow("a string for the token") << QByteArray(R"({"NextToken":7})") << false;
        QTest::newRow("an item that is not an object") << QByteArray(R"({"Items":[null]})") << false;
        QTest::newRow("a trailing comma") << QByteArray(R"({"Items":[],})") << false;
        QTest::newRow("garbage after") << QByteArray(R"({"Items":[]} x)") << false;
        QTest::newRow("cut short") << QByteArray(R"({"Items":[{"Arn":"a")") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("an array") << QByteArray("[]") << false;
    }

    void quickPageReader()
    {
        // Where the quick reader answers, it answers as QJsonDocument and the page decoder
        // do; everything else is theirs to read, or to refuse with a message.
        QFETCH(QByteArray, body);
        QFETCH(bool, quick);
        Page<StreamSessionSummary> fast;
        QCOMPARE(json::readStreamSessionPageQuickly(body, &fast), quick);
        if (!quick) {
            QVERIFY(fast.items.isEmpty() && fast.nextToken.isEmpty());
            return;
        }
        QJsonObject object;
        QString error;
        QVERIFY2(json::parseObject(body, &object, &error), qPrintable(error));
        Page<StreamSessionSummary> slow;
        QVERIFY2(json::decodeStreamSessionPage(object, &slow, &error), qPrintable(error));
        QCOMPARE(fast.items.size(), slow.items.size());
        for (qsizetype i = 0; i < fast.items.size(); ++i)
            QVERIFY2(fast.items.at(i) == slow.items.at(i), qPrintable(QStringLiteral("item %1 differs").arg(i)));
        QCOMPARE(fast.nextToken, slow.nextToken);
    }

    void quickPageReaderReadsTheTimes()
    {
        Page<StreamSessionSummary> page;
        QVERIFY(json::readStreamSessionPageQuickly(
            R"({"Items":[{"CreatedAt":1700000000.125,"LastUpdatedAt":1700000000,"UserId":"u"}]})", &page));
        QCOMPARE(page.items.size(), 1);
        QCOMPARE(page.items.first().createdAt, utc("2023-11-14T22:13:20.125"));
        QCOMPARE(page.items.first().lastUpdatedAt, utc("2023-11-14T22:13:20"));
        QCOMPARE(page.items.first().userId, QStringLiteral("u"));
    }

    void idsFromArn_data()
    {
        QTest::addColumn<QString>("arn");
        QTest::newRow("a session ARN") << QString::fromLatin1(kSessionArn);
        QTest::newRow("empty") << QString();
        QTest::newRow("no slash") << QStringLiteral("not-an-arn");
        QTest::newRow("one slash") << QStringLiteral("arn:aws:gameliftstreams:us-west-2:1:streamsession/ABC");
        QTest::newRow("leading slash only") << QStringLiteral("/ABC");
        QTest::newRow("trailing slash") << QStringLiteral("a/sg-1/");
        QTest::newRow("empty group segment") << QStringLiteral("a//ABC");
        QTest::newRow("slashes only") << QStringLiteral("//");
        QTest::newRow("deeper path") << QStringLiteral("a/b/sg-1/ABC");
    }

    void idsFromArn()
    {
        // The views the CLI writes without a copy say what QString::section() says.
        QFETCH(QString, arn);
        StreamSessionSummary s;
        s.arn = arn;
        QCOMPARE(s.idFromArn(), arn.section(QLatin1Char('/'), -1));
        QCOMPARE(s.idViewFromArn(), arn.section(QLatin1Char('/'), -1));
        const QString group = arn.count(QLatin1Char('/')) >= 2 ? arn.section(QLatin1Char('/'), -2, -2) : QString();
        QCOMPARE(s.streamGroupIdFromArn(), group);
        QCOMPARE(s.streamGroupIdViewFromArn(), group);
    }

    void streamSessionSummaries()
    {
        // ListStreamSessionsByAccount: ExportFilesMetadata carries only Status.
        const QJsonObject o = parse(R"({"Items": [
            {"Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
             "UserId": "qa-user/1=+", "Status": "CONNECTED", "Protocol": "WebRTC",
             "LastUpdatedAt": 1700000000.125, "CreatedAt": 1699999000,
             "ApplicationArn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-1",
             "ExportFilesMetadata": {"Status": "PENDING", "Later": [1]},
             "Location": "us-west-2", "RoleArn": "arn:aws:iam::111122223333:role/secret-role", "Extra": 1},
            {"Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/XYZ",
             "Status": "PAUSED", "StatusReason": "sunspots", "ExportFilesMetadata": {"Status": "ARCHIVED"}},
            {}
        ]})");
        Page<StreamSessionSummary> page;
        QString error;
        QVERIFY2(json::decodeStreamSessionPage(o, &page, &error), qPrintable(error));
        QCOMPARE(page.items.size(), 3);
        const StreamSessionSummary &s = page.items.at(0);
        QCOMPARE(s.arn, QString::fromLatin1(kSessionArn));
        QCOMPARE(s.idFromArn(), QStringLiteral("ABC123def4567"));
        QCOMPARE(s.streamGroupIdFromArn(), QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(s.userId, QStringLiteral("qa-user/1=+"));
        QCOMPARE(s.status, QStringLiteral("CONNECTED"));
        QVERIFY(s.canExport());
        QCOMPARE(s.protocol, QStringLiteral("WebRTC"));
        QCOMPARE(s.lastUpdatedAt, utc("2023-11-14T22:13:20.125"));
        QCOMPARE(s.createdAt, utc("2023-11-14T21:56:40"));
        QVERIFY(s.applicationArn.endsWith(QLatin1String("application/a-1")));
        QVERIFY(s.exportFilesMetadata.has_value());
        QCOMPARE(s.exportFilesMetadata->status, QStringLiteral("PENDING"));
        QVERIFY(s.exportFilesMetadata->outputUri.isEmpty());
        QVERIFY(s.exportFilesMetadata->statusReason.isEmpty());
        QCOMPARE(s.location, QStringLiteral("us-west-2"));
        QCOMPARE(s.roleArn.reveal(), QStringLiteral("arn:aws:iam::111122223333:role/secret-role"));
        // Unknown status, reason and export status are kept.
        const StreamSessionSummary &u = page.items.at(1);
        QCOMPARE(u.status, QStringLiteral("PAUSED"));
        QVERIFY(!u.canExport());
        QCOMPARE(u.statusReason, QStringLiteral("sunspots"));
        QCOMPARE(u.exportFilesMetadata->status, QStringLiteral("ARCHIVED"));
        // An empty item is an empty summary, not an error.
        const StreamSessionSummary &e = page.items.at(2);
        QVERIFY(e.arn.isEmpty());
        QVERIFY(e.idFromArn().isEmpty());
        QVERIFY(e.streamGroupIdFromArn().isEmpty());
        QVERIFY(!e.exportFilesMetadata);
        QVERIFY(e.roleArn.isEmpty());
    }

    void getStreamSessionOutputEveryMember()
    {
        // "\/" is JSON's escaped '/': it keeps "//" out of the raw string, which moc would read as a comment.
        const QJsonObject o = parse(R"({
            "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
            "Description": "nightly run",
            "StreamGroupId": "sg-1AB2C3De4",
            "UserId": "tester-7",
            "Status": "ACTIVE",
            "StatusReason": "placementTimeout",
            "Protocol": "WebRTC",
            "Location": "us-east-2",
            "SignalRequest": "SIGNAL-REQUEST-SECRET",
            "SignalResponse": "SIGNAL-RESPONSE-SECRET",
            "ConnectionTimeoutSeconds": 120,
            "SessionLengthSeconds": 43200,
            "AdditionalLaunchArgs": ["-windowed", "--level=3"],
            "AdditionalEnvironmentVariables": {"GAME_MODE": "qa", "TOKEN_VALUE": "ENV-SECRET-VALUE"},
            "PerformanceStatsConfiguration": {"SharedWithClient": true},
            "LogFileLocationUri": "s3:\/\/logs/sg-1/",
            "WebSdkProtocolUrl": "https:\/\/example.com/websdk",
            "LastUpdatedAt": 1700000000.75,
            "CreatedAt": "2023-11-14T22:00:00.5Z",
            "ApplicationArn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
            "ExportFilesMetadata": {"Status": "FAILED", "StatusReason": "AccessDenied on bucket",
                                    "OutputUri": "s3:\/\/gls-exports/qa/"},
            "RoleArn": "arn:aws:iam::111122223333:role/ROLE-SECRET",
            "DisplayConfiguration": {"Resolution": {"Width": 2560, "Height": 1440, "Hz": 144}, "Hdr": true},
            "Brand": {"new": "member"}
        })");
        StreamSession s;
        QString error;
        QVERIFY2(json::decodeStreamSession(o, &s, &error), qPrintable(error));
        QCOMPARE(s.arn, QString::fromLatin1(kSessionArn));
        QCOMPARE(s.description, QStringLiteral("nightly run"));
        QCOMPARE(s.streamGroupId, QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(s.userId, QStringLiteral("tester-7"));
        QCOMPARE(s.status, QStringLiteral("ACTIVE"));
        QCOMPARE(s.statusReason, QStringLiteral("placementTimeout"));
        QCOMPARE(s.protocol, QStringLiteral("WebRTC"));
        QCOMPARE(s.location, QStringLiteral("us-east-2"));
        QCOMPARE(s.signalRequest.reveal(), QStringLiteral("SIGNAL-REQUEST-SECRET"));
        QCOMPARE(s.signalResponse.reveal(), QStringLiteral("SIGNAL-RESPONSE-SECRET"));
        QCOMPARE(s.connectionTimeoutSeconds, std::optional<int>(120));
        QCOMPARE(s.sessionLengthSeconds, std::optional<int>(43200));
        QCOMPARE(s.additionalLaunchArgs, QStringList({QStringLiteral("-windowed"), QStringLiteral("--level=3")}));
        QCOMPARE(s.additionalEnvironmentVariables.value(QStringLiteral("GAME_MODE")), QStringLiteral("qa"));
        QCOMPARE(s.additionalEnvironmentVariables.size(), 2);
        QVERIFY(s.performanceStatsConfiguration.has_value());
        QCOMPARE(s.performanceStatsConfiguration->sharedWithClient, std::optional<bool>(true));
        QCOMPARE(s.logFileLocationUri, QStringLiteral("s3://logs/sg-1/"));
        QCOMPARE(s.webSdkProtocolUrl, QStringLiteral("https://example.com/websdk"));
        QCOMPARE(s.lastUpdatedAt, utc("2023-11-14T22:13:20.750"));
        QCOMPARE(s.createdAt, utc("2023-11-14T22:00:00.500"));
        QVERIFY(s.applicationArn.endsWith(QLatin1String("a-9ZY8X7Wv6")));
        QCOMPARE(s.exportFilesMetadata->status, QStringLiteral("FAILED"));
        QCOMPARE(s.exportFilesMetadata->statusReason, QStringLiteral("AccessDenied on bucket"));
        QCOMPARE(s.exportFilesMetadata->outputUri, QStringLiteral("s3://gls-exports/qa/"));
        QCOMPARE(s.roleArn.reveal(), QStringLiteral("arn:aws:iam::111122223333:role/ROLE-SECRET"));
        QVERIFY(s.displayConfiguration && s.displayConfiguration->resolution);
        QCOMPARE(s.displayConfiguration->resolution->width, 2560);
        QCOMPARE(s.displayConfiguration->resolution->height, 1440);

        // The debug helper shows the session but none of its sensitive members.
        QString text;
        QDebug(&text) << s;
        QVERIFY2(text.contains(QLatin1String("ABC123def4567")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("2560x1440")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("GAME_MODE")), qPrintable(text));
        for (const char *secret :
            {"SIGNAL-REQUEST-SECRET", "SIGNAL-RESPONSE-SECRET", "ROLE-SECRET", "ENV-SECRET-VALUE"})
            QVERIFY2(!text.contains(QLatin1String(secret)), qPrintable(text));
        QString summaryText;
        QDebug(&summaryText) << static_cast<const StreamSessionSummary &>(s);
        QVERIFY(summaryText.contains(QLatin1String("ACTIVE")));
        QVERIFY(!summaryText.contains(QLatin1String("ROLE-SECRET")));
    }

    void missingOptionalsAndNulls()
    {
        StreamSession s;
        QVERIFY(json::decodeStreamSession(parse("{}"), &s, nullptr));
        QCOMPARE(s, StreamSession());
        QVERIFY(!s.connectionTimeoutSeconds && !s.displayConfiguration && !s.performanceStatsConfiguration);

        const QJsonObject nulls = parse(R"({"Arn": null, "Status": null, "SignalRequest": null,
            "ConnectionTimeoutSeconds": null, "AdditionalLaunchArgs": null, "AdditionalEnvironmentVariables": null,
            "PerformanceStatsConfiguration": {}, "DisplayConfiguration": {}, "ExportFilesMetadata": {},
            "CreatedAt": null, "RoleArn": null})");
        QString error;
        QVERIFY2(json::decodeStreamSession(nulls, &s, &error), qPrintable(error));
        QVERIFY(s.arn.isEmpty() && s.status.isEmpty() && s.signalRequest.isEmpty() && s.roleArn.isEmpty());
        QVERIFY(!s.connectionTimeoutSeconds);
        QVERIFY(s.additionalLaunchArgs.isEmpty() && s.additionalEnvironmentVariables.isEmpty());
        QVERIFY(s.performanceStatsConfiguration && !s.performanceStatsConfiguration->sharedWithClient);
        QVERIFY(s.displayConfiguration && !s.displayConfiguration->resolution);
        QVERIFY(s.exportFilesMetadata && s.exportFilesMetadata->status.isEmpty());
        QVERIFY(!s.createdAt.isValid());

        StreamGroup g;
        QVERIFY(
            json::decodeStreamGroup(parse(R"({"LocationStates": null, "AssociatedApplications": []})"), &g, nullptr));
        QCOMPARE(g, StreamGroup());
        ExportFilesMetadata m;
        QVERIFY(json::decodeExportFilesMetadata(parse(R"({"Status": "SUCCEEDED", "x": 1})"), &m, nullptr));
        QCOMPARE(m.status, QStringLiteral("SUCCEEDED"));
        LocationState l;
        QVERIFY(json::decodeLocationState(parse("{}"), &l, nullptr));
        QCOMPARE(l, LocationState());
    }

    void timestamps_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QDateTime>("expected");
        QTest::newRow("epoch seconds") << QJsonValue(1672179780) << utc("2022-12-27T22:23:00");
        QTest::newRow("fractional") << QJsonValue(1672179780.123) << utc("2022-12-27T22:23:00.123");
        QTest::newRow("fraction rounds to ms") << QJsonValue(1672179780.9996) << utc("2022-12-27T22:23:01.000");
        QTest::newRow("epoch zero") << QJsonValue(0) << utc("1970-01-01T00:00:00");
        QTest::newRow("before 1970") << QJsonValue(-1.5) << utc("1969-12-31T23:59:58.500");
        QTest::newRow("numeric string") << QJsonValue(QStringLiteral("1672179780.5")) << utc("2022-12-27T22:23:00.500");
        QTest::newRow("iso +00:00") << QJsonValue(QStringLiteral("2022-12-27T22:29:40+00:00"))
                                    << utc("2022-12-27T22:29:40");
        QTest::newRow("iso Z") << QJsonValue(QStringLiteral("2022-12-27T22:29:40Z")) << utc("2022-12-27T22:29:40");
        QTest::newRow("iso lowercase") << QJsonValue(QStringLiteral("2022-12-27t22:29:40z"))
                                       << utc("2022-12-27T22:29:40");
        QTest::newRow("iso offset") << QJsonValue(QStringLiteral("2022-12-27T14:29:40.250-08:00"))
                                    << utc("2022-12-27T22:29:40.250");
        QTest::newRow("iso compact offset")
            << QJsonValue(QStringLiteral("2022-12-28T00:29:40+0200")) << utc("2022-12-27T22:29:40");
        QTest::newRow("iso micro") << QJsonValue(QStringLiteral("2022-12-27T22:29:40.123456Z"))
                                   << utc("2022-12-27T22:29:40.123");
        QTest::newRow("iso no offset is UTC")
            << QJsonValue(QStringLiteral("2022-12-27T22:29:40")) << utc("2022-12-27T22:29:40");
        QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QDateTime();
        QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << QDateTime();
    }

    void timestamps()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QDateTime, expected);
        QDateTime t;
        QVERIFY(json::decodeTimestamp(value, &t));
        QCOMPARE(t, expected);
        if (t.isValid()) {
            QCOMPARE(t.timeSpec(), Qt::UTC);
            QCOMPARE(t.toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
        }
    }

    void badTimestamps_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("text") << QJsonValue(QStringLiteral("yesterday"));
        QTest::newRow("empty text") << QJsonValue(QString());
        QTest::newRow("bad date") << QJsonValue(QStringLiteral("2022-13-45T99:00:00Z"));
        QTest::newRow("boolean") << QJsonValue(true);
        QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("s"), 1}});
        QTest::newRow("huge") << QJsonValue(1e300);
    }

    void badTimestamps()
    {
        QFETCH(QJsonValue, value);
        QDateTime t;
        QVERIFY(!json::decodeTimestamp(value, &t));
        QVERIFY(!t.isValid());
    }

    void wrongTypesNameTheMember_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("Items not an array")
            << QByteArray(R"({"Items": {"a": 1}})") << QStringLiteral("Items: expected an array, got an object");
        QTest::newRow("item not an object")
            << QByteArray(R"({"Items": [{}, 7]})") << QStringLiteral("Items[1]: expected an object, got a number");
        QTest::newRow("CreatedAt boolean")
            << QByteArray(R"({"Items": [{}, {}, {"CreatedAt": true}]})")
            << QStringLiteral("Items[2].CreatedAt: expected epoch seconds or an ISO 8601 "
                              "timestamp, got a boolean");
        QTest::newRow("Status number") << QByteArray(R"({"Items": [{"Status": 3}]})")
                                       << QStringLiteral("Items[0].Status: expected a string, got a number");
        QTest::newRow("export status") << QByteArray(R"({"Items": [{"ExportFilesMetadata": {"Status": ["X"]}}]})")
                                       << QStringLiteral(
                                              "Items[0].ExportFilesMetadata.Status: expected a string, got an array");
        QTest::newRow("metadata not object")
            << QByteArray(R"({"Items": [{"ExportFilesMetadata": "PENDING"}]})")
            << QStringLiteral("Items[0].ExportFilesMetadata: expected an object, got a string");
        QTest::newRow("NextToken number") << QByteArray(R"({"Items": [], "NextToken": 5})")
                                          << QStringLiteral("NextToken: expected a string, got a number");
    }

    void wrongTypesNameTheMember()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QJsonObject o;
        QVERIFY(json::parseObject(body, &o, nullptr));
        Page<StreamSessionSummary> page;
        QString error;
        QVERIFY(!json::decodeStreamSessionPage(o, &page, &error));
        QCOMPARE(error, message);
    }

    void wrongTypesInDetails()
    {
        QString error;
        StreamSession s;
        QVERIFY(!json::decodeStreamSession(parse(R"({"ConnectionTimeoutSeconds": "120"})"), &s, &error));
        QCOMPARE(error, QStringLiteral("ConnectionTimeoutSeconds: expected an integer, got a string"));
        QVERIFY(!json::decodeStreamSession(parse(R"({"SessionLengthSeconds": 1.5})"), &s, &error));
        QCOMPARE(error, QStringLiteral("SessionLengthSeconds: expected an integer, got a number"));
        QVERIFY(!json::decodeStreamSession(parse(R"({"SessionLengthSeconds": 1e12})"), &s, &error));
        QVERIFY(error.startsWith(QLatin1String("SessionLengthSeconds: expected an integer")));
        QVERIFY(!json::decodeStreamSession(parse(R"({"AdditionalLaunchArgs": ["a", 2]})"), &s, &error));
        QCOMPARE(error, QStringLiteral("AdditionalLaunchArgs[1]: expected a string, got a number"));
        QVERIFY(!json::decodeStreamSession(parse(R"({"AdditionalEnvironmentVariables": {"A": 1}})"), &s, &error));
        QCOMPARE(error, QStringLiteral("AdditionalEnvironmentVariables.A: expected a string, got a number"));
        QVERIFY(!json::decodeStreamSession(
            parse(R"({"PerformanceStatsConfiguration": {"SharedWithClient": "yes"}})"), &s, &error));
        QCOMPARE(
            error, QStringLiteral("PerformanceStatsConfiguration.SharedWithClient: expected a boolean, got a string"));
        QVERIFY(!json::decodeStreamSession(
            parse(R"({"DisplayConfiguration": {"Resolution": {"Width": "wide"}}})"), &s, &error));
        QCOMPARE(error, QStringLiteral("DisplayConfiguration.Resolution.Width: expected an integer, got a string"));
        QVERIFY(!json::decodeStreamSession(parse(R"({"RoleArn": {"a": 1}})"), &s, &error));
        QCOMPARE(error, QStringLiteral("RoleArn: expected a string, got an object"));

        StreamGroup g;
        QVERIFY(!json::decodeStreamGroup(
            parse(R"({"LocationStates": [{"LocationName": "x", "VpcTransitConfiguration": {"Ipv4CidrBlocks": [1]}}]})"),
            &g, &error));
        QCOMPARE(error,
            QStringLiteral("LocationStates[0].VpcTransitConfiguration.Ipv4CidrBlocks[0]: expected a string, "
                           "got a number"));
        QVERIFY(!json::decodeStreamGroup(parse(R"({"LocationStates": [{"IdleCapacity": -0.5}]})"), &g, &error));
        QCOMPARE(error, QStringLiteral("LocationStates[0].IdleCapacity: expected an integer, got a number"));
        QVERIFY(!json::decodeStreamGroup(parse(R"({"DefaultApplication": {"Id": false}})"), &g, &error));
        QCOMPARE(error, QStringLiteral("DefaultApplication.Id: expected a string, got a boolean"));
        // The first problem is the one reported; what could be read is kept.
        QVERIFY(!json::decodeStreamGroup(parse(R"({"Id": "sg-1", "Status": 1, "ExpiresAt": "x"})"), &g, &error));
        QCOMPARE(error, QStringLiteral("Status: expected a string, got a number"));
        QCOMPARE(g.id, QStringLiteral("sg-1"));
        // A path prefix is carried into the message.
        StreamGroupSummary summary;
        QVERIFY(!json::decodeStreamGroupSummary(
            parse(R"({"ExpiresAt": "soon"})"), &summary, &error, QStringLiteral("Items[4]")));
        QVERIFY(error.startsWith(QLatin1String("Items[4].ExpiresAt: expected epoch seconds")));
    }

    void bodiesThatAreNotObjects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("allowEmpty");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("message");
        QTest::newRow("html") << QByteArray("<html><body>502 Bad Gateway</body></html>") << false << false
                              << QStringLiteral("the response is not JSON");
        QTest::newRow("truncated") << QByteArray("{\"Items\": [{\"Arn\": \"a") << false << false
                                   << QStringLiteral("the response is not JSON");
        QTest::newRow("array") << QByteArray(R"([{"Arn": "a"}])") << false << false
                               << QStringLiteral("the response is JSON but not an object (got an array)");
        QTest::newRow("scalar") << QByteArray("42") << false << false
                                << QStringLiteral("the response is JSON but not an object (got a scalar)");
        QTest::newRow("string") << QByteArray("\"hello\"") << false << false << QStringLiteral("not an object");
        QTest::newRow("null") << QByteArray("null") << false << false << QStringLiteral("not an object");
        QTest::newRow("empty refused") << QByteArray() << false << false
                                       << QStringLiteral("the response body is empty");
        QTest::newRow("blank refused") << QByteArray(" \r\n") << false << false
                                       << QStringLiteral("the response body is empty");
        QTest::newRow("empty allowed") << QByteArray() << true << true << QString();
        QTest::newRow("empty object") << QByteArray("{}") << false << true << QString();
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe", 3) << false << false
                                << QStringLiteral("the response is not JSON");
    }

    void bodiesThatAreNotObjects()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, allowEmpty);
        QFETCH(bool, ok);
        QFETCH(QString, message);
        QJsonObject o{{QStringLiteral("stale"), 1}};
        QString error;
        QCOMPARE(json::parseObject(body, &o, &error, allowEmpty), ok);
        QVERIFY(o.isEmpty());
        if (!ok)
            QVERIFY2(error.contains(message), qPrintable(error));
    }

    // The NextToken read from a page's bytes, so the next page can be asked
    // for before the items are decoded: found wherever it stands at the top
    // level, never inside the items, never guessed when escaped or absent.
    void peekNextToken_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("found");
        QTest::addColumn<QString>("token");
        QTest::newRow("last") << QByteArray("{\"Items\":[{\"Arn\":\"a\",\"Status\":\"ACTIVE\"}],\"NextToken\":\"t+/=\"}") << true
                              << QStringLiteral("t+/=");
        QTest::newRow("first, spaced") << QByteArray(" {\n \"NextToken\" : \"abc\" , \"Items\" : [ ] }\n") << true
                                       << QStringLiteral("abc");
        QTest::newRow("after nested values")
            << QByteArray("{\"Items\":[{\"A\":{\"B\":[1,2.5e3,true,null,\"x]}\"]},\"C\":false}],\"N\":-1,\"NextToken\":\"z\"}") << true
            << QStringLiteral("z");
        QTest::newRow("quoted key inside an item")
            << QByteArray("{\"Items\":[{\"UserId\":\"\\\"NextToken\\\":\\\"fake\\\"\",\"NextToken\":\"inner\"}]}") << false << QString();
        QTest::newRow("escaped quote before it")
            << QByteArray("{\"Items\":[{\"S\":\"a\\\\\"}],\"NextToken\":\"real\"}") << true << QStringLiteral("real");
        QTest::newRow("none") << QByteArray("{\"Items\":[]}") << false << QString();
        QTest::newRow("null") << QByteArray("{\"Items\":[],\"NextToken\":null}") << false << QString();
        QTest::newRow("escaped token") << QByteArray("{\"NextToken\":\"a\\/b\"}") << false << QString();
        QTest::newRow("empty object") << QByteArray("{}") << false << QString();
        QTest::newRow("array") << QByteArray("[{\"NextToken\":\"t\"}]") << false << QString();
        QTest::newRow("truncated") << QByteArray("{\"Items\":[{\"Arn\":\"a") << false << QString();
        QTest::newRow("empty") << QByteArray() << false << QString();
    }

    void peekNextToken()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, found);
        QFETCH(QString, token);
        QString got;
        QCOMPARE(json::peekNextToken(body, &got), found);
        if (found) {
            QCOMPARE(got, token);
            // The same token the decoder reads from the parsed page.
            QJsonObject object;
            QVERIFY(json::parseObject(body, &object, nullptr));
            QCOMPARE(object.value(QLatin1String("NextToken")).toString(), token);
        }
    }

    void knownValuesAndCanExport()
    {
        QCOMPARE(knownStreamSessionStatuses().size(), 8);
        QCOMPARE(knownStreamSessionStatusReasons().size(), 11);
        QCOMPARE(knownExportFilesStatuses(),
            QStringList({QStringLiteral("SUCCEEDED"), QStringLiteral("FAILED"), QStringLiteral("PENDING")}));
        QCOMPARE(knownStreamGroupStatuses().size(), 7);
        QCOMPARE(knownStreamGroupStatusReasons().size(), 2);
        QCOMPARE(knownStreamGroupLocationStatuses().size(), 4);
        QCOMPARE(knownProtocols(), QStringList(QStringLiteral("WebRTC")));
        QCOMPARE(knownStreamClasses().size(), 17);
        QVERIFY(knownStreamSessionStatusReasons().contains(QStringLiteral("applicationLogS3DestinationError")));

        QStringList exportable;
        for (const QString &s : knownStreamSessionStatuses()) {
            if (canExport(s))
                exportable << s;
        }
        QCOMPARE(exportable,
            QStringList({QStringLiteral("ACTIVE"), QStringLiteral("CONNECTED"),
                QStringLiteral("PENDING_CLIENT_RECONNECTION"), QStringLiteral("RECONNECTING")}));
        QVERIFY(!canExport(QStringLiteral("active")));
        QVERIFY(!canExport(QStringLiteral("SOMETHING_NEW")));
        QVERIFY(!canExport(QString()));
        QVERIFY(isEndedStatus(QStringLiteral("TERMINATED")));
        QVERIFY(isEndedStatus(QStringLiteral("ERROR")));
        QVERIFY(!isEndedStatus(QStringLiteral("TERMINATING")));
    }

    void groupDebugOutput()
    {
        StreamGroup g;
        QVERIFY(json::decodeStreamGroup(parse(R"({"Id": "sg-1", "Status": "ACTIVE",
            "LocationStates": [{"LocationName": "us-west-2", "Status": "ACTIVE", "AllocatedCapacity": 4}]})"),
            &g, nullptr));
        QString text;
        QDebug(&text) << g;
        QVERIFY2(text.contains(QLatin1String("sg-1")) && text.contains(QLatin1String("us-west-2")), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestGameLiftJson)
#include "tst_gamelift_json.moc"
