// Where S3 requests go: virtual-hosted on AWS unless the bucket has dots,
// path-style for custom endpoints, keys encoded once and never normalised;
// and the presign expiry rule.

#include "s3/PresignJob.h"
#include "s3/S3Address.h"
#include "s3/S3Client.h"

#include <QTest>

using gls::aws::Endpoint;
using gls::s3::S3Address;

class TestS3Address : public QObject {
    Q_OBJECT

private:
    static Endpoint aws(const QString &region = QStringLiteral("us-west-2"))
    {
        gls::aws::EndpointOptions o;
        o.region = region;
        o.env = QProcessEnvironment(); // no AWS_ENDPOINT_URL from the machine
        QString error;
        const Endpoint e = gls::aws::resolveS3Endpoint(o, &error);
        [&] { QVERIFY2(e.isValid(), qPrintable(error)); }();
        return e;
    }

    static Endpoint custom(const QString &url)
    {
        gls::aws::EndpointOptions o;
        o.region = QStringLiteral("us-west-2");
        o.endpointUrl = url;
        o.env = QProcessEnvironment();
        QString error;
        const Endpoint e = gls::aws::resolveS3Endpoint(o, &error);
        [&] { QVERIFY2(e.isValid(), qPrintable(error)); }();
        return e;
    }

private Q_SLOTS:
    void awsEndpointsAreVirtualHosted()
    {
        const S3Address a = S3Address::resolve(aws(), QStringLiteral("gls-exports"), QStringLiteral("qa/run 1.zip"));
        QCOMPARE(a.endpoint.baseUrl.host(), QStringLiteral("gls-exports.s3.us-west-2.amazonaws.com"));
        QVERIFY(!a.endpoint.pathStyle);
        QCOMPARE(a.path, QByteArray("/qa/run%201.zip"));
        QCOMPARE(a.endpoint.hostHeader(), QByteArray("gls-exports.s3.us-west-2.amazonaws.com"));
        QCOMPARE(a.encodedUrl(), QByteArray("https://gls-exports.s3.us-west-2.amazonaws.com/qa/run%201.zip"));
        QCOMPARE(a.endpoint.signingRegion, QByteArray("us-west-2"));
    }

    void bucketItselfOnAws()
    {
        const S3Address a = S3Address::resolve(aws(QStringLiteral("eu-west-1")), QStringLiteral("gls-exports"));
        QCOMPARE(a.endpoint.baseUrl.host(), QStringLiteral("gls-exports.s3.eu-west-1.amazonaws.com"));
        QCOMPARE(a.path, QByteArray("/"));
        QCOMPARE(
            a.encodedUrl("list-type=2"), QByteArray("https://gls-exports.s3.eu-west-1.amazonaws.com/?list-type=2"));
    }

    void dottedBucketsArePathStyleOnAws()
    {
        // *.s3.region.amazonaws.com does not cover "my.bucket.s3...": TLS would fail.
        const S3Address a = S3Address::resolve(aws(), QStringLiteral("my.bucket"), QStringLiteral("a.zip"));
        QCOMPARE(a.endpoint.baseUrl.host(), QStringLiteral("s3.us-west-2.amazonaws.com"));
        QVERIFY(a.endpoint.pathStyle);
        QCOMPARE(a.path, QByteArray("/my.bucket/a.zip"));
    }

    void customEndpointsArePathStyle()
    {
        const S3Address a = S3Address::resolve(custom(QStringLiteral("https://127.0.0.1:4443")),
            QStringLiteral("gls-exports"), QStringLiteral("qa/a.zip"));
        QCOMPARE(a.endpoint.baseUrl.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(a.endpoint.pathStyle);
        QCOMPARE(a.path, QByteArray("/gls-exports/qa/a.zip"));
        QCOMPARE(a.endpoint.hostHeader(), QByteArray("127.0.0.1:4443"));
        QCOMPARE(a.encodedUrl("x=1"), QByteArray("https://127.0.0.1:4443/gls-exports/qa/a.zip?x=1"));
        const S3Address bucket = S3Address::resolve(a.endpoint, QStringLiteral("gls-exports"));
        QCOMPARE(bucket.path, QByteArray("/gls-exports"));
    }

    void customEndpointBasePathIsKept()
    {
        const S3Address a = S3Address::resolve(custom(QStringLiteral("https://proxy.example/s3/")),
            QStringLiteral("gls-exports"), QStringLiteral("a.zip"));
        QCOMPARE(a.path, QByteArray("/gls-exports/a.zip"));
        QCOMPARE(a.fullPath(), QByteArray("/s3/gls-exports/a.zip"));
        QCOMPARE(a.encodedUrl(), QByteArray("https://proxy.example/s3/gls-exports/a.zip"));
    }

    void keysAreEncodedOnceSlashesKept_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("space") << "a b.zip" << QByteArray("/b-1/a%20b.zip");
        QTest::newRow("plus") << "a+b.zip" << QByteArray("/b-1/a%2Bb.zip");
        QTest::newRow("already encoded looking") << "a%20b" << QByteArray("/b-1/a%2520b");
        QTest::newRow("colon and equals") << "t=1:2" << QByteArray("/b-1/t%3D1%3A2");
        QTest::newRow("unreserved") << "A-z_0.9~" << QByteArray("/b-1/A-z_0.9~");
        QTest::newRow("double slash kept") << "a//b" << QByteArray("/b-1/a//b");
        QTest::newRow("trailing slash") << "dir/" << QByteArray("/b-1/dir/");
        QTest::newRow("UTF-8") << QStringLiteral("d\u00e9j\u00e0") << QByteArray("/b-1/d%C3%A9j%C3%A0");
        QTest::newRow("query-like") << "a?b#c&d" << QByteArray("/b-1/a%3Fb%23c%26d");
    }

    void keysAreEncodedOnceSlashesKept()
    {
        QFETCH(QString, key);
        QFETCH(QByteArray, path);
        const S3Address a
            = S3Address::resolve(custom(QStringLiteral("https://127.0.0.1:4443")), QStringLiteral("b-1"), key);
        QCOMPARE(a.path, path);
        // Qt carries the bytes unchanged.
        const QUrl url = QUrl::fromEncoded(a.encodedUrl(), QUrl::StrictMode);
        QCOMPARE(url.toEncoded(QUrl::FullyEncoded | QUrl::NormalizePathSegments), a.encodedUrl());
    }

    void keyProblems_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("problem");
        QTest::newRow("fine") << "qa/a.zip"
                              << "";
        QTest::newRow("dots inside a name") << "qa/..a/b..zip"
                                            << "";
        QTest::newRow("empty") << ""
                               << "the object key is empty";
        QTest::newRow("dot segment") << "qa/./a.zip"
                                     << "the object key 'qa/./a.zip' holds a '.' or '..' segment, which HTTP clients "
                                        "rewrite; it cannot be fetched as it is named";
        QTest::newRow("dot-dot segment") << "../a.zip"
                                         << "the object key '../a.zip' holds a '.' or '..' segment, which HTTP "
                                            "clients rewrite; it cannot be fetched as it is named";
        QTest::newRow("trailing dot") << "qa/."
                                      << "the object key 'qa/.' holds a '.' or '..' segment, which HTTP clients "
                                         "rewrite; it cannot be fetched as it is named";
        QTest::newRow("too long") << QString(1025, QLatin1Char('k'))
                                  << "the object key must be at most 1024 bytes long in UTF-8 (it has 1025)";
    }

    void keyProblems()
    {
        QFETCH(QString, key);
        QFETCH(QString, problem);
        QCOMPARE(S3Address::keyProblem(key), problem);
    }

    void presignExpiryRule_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<bool>("ok");
        QTest::newRow("zero") << qint64(0) << false;
        QTest::newRow("negative") << qint64(-5) << false;
        QTest::newRow("one second") << qint64(1) << true;
        QTest::newRow("an hour") << qint64(3600) << true;
        QTest::newRow("seven days") << qint64(604800) << true;
        QTest::newRow("seven days and a second") << qint64(604801) << false;
    }

    void presignExpiryRule()
    {
        QFETCH(qint64, seconds);
        QFETCH(bool, ok);
        const QString problem = gls::s3::PresignJob::expiryProblem(seconds);
        QCOMPARE(problem.isEmpty(), ok);
        if (!ok)
            QCOMPARE(problem,
                QStringLiteral("expiry: a presigned URL must expire in 1 second to 7 days (604800 "
                               "seconds); %1 seconds was asked")
                    .arg(seconds));
    }

    void resolverTakesTheRegionAsked()
    {
        gls::aws::EndpointOptions o;
        o.region = QStringLiteral("us-west-2");
        o.env = QProcessEnvironment();
        const auto resolve = gls::s3::S3Client::resolverFor(o);
        QString error;
        const Endpoint e = resolve(QStringLiteral("us-east-2"), &error);
        QCOMPARE(e.baseUrl.host(), QStringLiteral("s3.us-east-2.amazonaws.com"));
        QCOMPARE(e.signingRegion, QByteArray("us-east-2"));
        QVERIFY(!resolve(QStringLiteral("Not A Region"), &error).isValid());
        QVERIFY(!error.isEmpty());
    }

    void regionFromErrorAnswers()
    {
        gls::aws::AwsError e;
        e.kind = gls::aws::AwsError::Kind::Service;
        e.httpStatus = 400;
        e.type = QStringLiteral("AuthorizationHeaderMalformed");
        e.message = QStringLiteral("The authorization header is malformed; the region 'us-west-2' is wrong; "
                                   "expecting 'us-east-2'");
        QCOMPARE(gls::s3::regionFromErrorAnswer(e), QStringLiteral("us-east-2"));
        e.region = QStringLiteral("eu-west-1"); // the header or <Region> wins
        QCOMPARE(gls::s3::regionFromErrorAnswer(e), QStringLiteral("eu-west-1"));
        e.httpStatus = 301;
        e.type = QStringLiteral("PermanentRedirect");
        QCOMPARE(gls::s3::regionFromErrorAnswer(e), QStringLiteral("eu-west-1"));
        e.httpStatus = 403; // not a Region problem
        QCOMPARE(gls::s3::regionFromErrorAnswer(e), QString());
        e.httpStatus = 400;
        e.region.clear();
        e.message = QStringLiteral("Bad request");
        QCOMPARE(gls::s3::regionFromErrorAnswer(e), QString());
    }
};

QTEST_GUILESS_MAIN(TestS3Address)
#include "tst_s3address.moc"
