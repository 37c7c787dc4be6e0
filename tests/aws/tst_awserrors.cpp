// Error mapping from every form a service uses (X-Amzn-Errortype, __type,
// code, S3 XML, bodiless HEAD), and redaction of what must never be shown.

#include "aws/AwsTransport.h"
#include "aws/Redaction.h"

#include <QTest>

using namespace gls::aws;

class TestAwsErrors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fromErrortypeHeader()
    {
        const AwsError e = parseServiceError(
            404, {{"X-Amzn-Errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.gameliftstreams/"},
                  {"x-amzn-RequestId", "rid-1"}},
            "{\"Message\":\"Stream session 'x' could not be found.\"}", QStringLiteral("GetStreamSession"));
        QCOMPARE(e.kind, AwsError::Kind::Service);
        QCOMPARE(e.type, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(e.message, QStringLiteral("Stream session 'x' could not be found."));
        QCOMPARE(e.httpStatus, 404);
        QCOMPARE(e.requestId, QByteArray("rid-1"));
        QCOMPARE(e.toString(), QStringLiteral("GetStreamSession failed: ResourceNotFoundException (HTTP 404): "
                                              "Stream session 'x' could not be found. [request id rid-1]"));
    }

    void fromTypeOrCodeInBody()
    {
        QCOMPARE(parseServiceError(400, {}, "{\"__type\":\"com.amazonaws.gameliftstreams#ValidationException\",\"message\":\"bad\"}", {}).type,
                 QStringLiteral("ValidationException"));
        QCOMPARE(parseServiceError(400, {}, "{\"__type\":\"com.amazonaws.gameliftstreams#ValidationException\",\"message\":\"bad\"}", {}).message,
                 QStringLiteral("bad"));
        QCOMPARE(parseServiceError(429, {}, "{\"code\":\"ThrottlingException:http://x\"}", {}).type, QStringLiteral("ThrottlingException"));
        QCOMPARE(parseServiceError(500, {}, "not json at all", {}).type, QStringLiteral("InternalError"));
    }

    void fromS3Xml()
    {
        const AwsError e = parseServiceError(
            400, {{"x-amz-request-id", "ABC"}, {"x-amz-bucket-region", "us-east-2"}},
            "<?xml version=\"1.0\"?><Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong region</Message>"
            "<Region>us-east-2</Region><RequestId>ABC</RequestId></Error>",
            QStringLiteral("ListObjectsV2"));
        QCOMPARE(e.type, QStringLiteral("AuthorizationHeaderMalformed"));
        QCOMPARE(e.message, QStringLiteral("wrong region"));
        QCOMPARE(e.region, QStringLiteral("us-east-2"));
        QCOMPARE(e.requestId, QByteArray("ABC"));
    }

    void headErrorsAreNamedFromTheStatus()
    {
        QCOMPARE(parseServiceError(404, {}, {}, {}).type, QStringLiteral("NotFound"));
        QCOMPARE(parseServiceError(403, {}, {}, {}).type, QStringLiteral("Forbidden"));
        QCOMPARE(parseServiceError(301, {{"x-amz-bucket-region", "eu-west-1"}}, {}, {}).region, QStringLiteral("eu-west-1"));
    }

    void redaction()
    {
        const QByteArray auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                                "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        const QByteArray red = redactAuthorization(auth);
        QVERIFY(!red.contains("5fa00fa3"));
        QVERIFY(red.contains("Signature=<redacted>"));
        QVERIFY(red.contains("SignedHeaders=host;x-amz-date"));
        const auto headers = redactHeaders({{"Authorization", auth}, {"X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLE"}, {"Host", "h"}});
        for (const auto &[k, v] : headers)
            QVERIFY(!v.contains("FwoGZXIv") && !v.contains("5fa00fa3"));
        const QByteArray q = redactQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request"
                                         "&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=abcdef0123");
        QVERIFY(!q.contains("SECRETTOKEN"));
        QVERIFY(!q.contains("abcdef0123"));
        QVERIFY(!q.contains("AKIDEXAMPLE"));
        QVERIFY(q.contains("****MPLE%2F20150830"));
        QCOMPARE(redactKeyId("AKIDEXAMPLE"), QStringLiteral("****MPLE"));
    }

    void queryEncoding()
    {
        QCOMPARE(encodeQuery({{"NextToken", "a+b/c=="}, {"Status", "ACTIVE"}, {"k", "a b"}}),
                 QByteArray("NextToken=a%2Bb%2Fc%3D%3D&Status=ACTIVE&k=a%20b"));
    }
};

QTEST_GUILESS_MAIN(TestAwsErrors)
#include "tst_awserrors.moc"
