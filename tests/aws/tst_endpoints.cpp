// Endpoint resolution: the model's rule-set test vectors, the AWS override
// variables in their order, FIPS, and plain http refused beyond loopback.

#include "aws/Endpoints.h"

#include <QTest>

using namespace gls::aws;

class TestEndpoints : public QObject {
    Q_OBJECT

    static EndpointOptions opts(const QString &region, const QStringList &env = {}, const QString &url = {})
    {
        EndpointOptions o;
        o.region = region;
        o.endpointUrl = url;
        o.env = QProcessEnvironment();
        for (const QString &kv : env)
            o.env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        return o;
    }

private Q_SLOTS:
    void modelVectors()
    {
        QString error;
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("us-east-1")), &error).baseUrl.toString(),
                 QStringLiteral("https://gameliftstreams.us-east-1.api.aws"));
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("cn-northwest-1")), &error).baseUrl.toString(),
                 QStringLiteral("https://gameliftstreams.cn-northwest-1.api.amazonwebservices.com.cn"));
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("us-gov-west-1")), &error).baseUrl.toString(),
                 QStringLiteral("https://gameliftstreams.us-gov-west-1.api.aws"));
        EndpointOptions fips = opts(QStringLiteral("us-east-1"));
        fips.useFips = true;
        QCOMPARE(resolveGameLiftEndpoint(fips, &error).baseUrl.toString(),
                 QStringLiteral("https://gameliftstreams-fips.us-east-1.api.aws"));
        const Endpoint e = resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2")), &error);
        QCOMPARE(e.signingName, QByteArray("gameliftstreams"));
        QCOMPARE(e.signingRegion, QByteArray("us-west-2"));
        QCOMPARE(e.hostHeader(), QByteArray("gameliftstreams.us-west-2.api.aws"));
        const Endpoint s3 = resolveS3Endpoint(opts(QStringLiteral("eu-central-1")), &error);
        QCOMPARE(s3.baseUrl.toString(), QStringLiteral("https://s3.eu-central-1.amazonaws.com"));
        QVERIFY(!s3.pathStyle);
    }

    void missingOrBadRegion()
    {
        QString error;
        QVERIFY(!resolveGameLiftEndpoint(opts(QString()), &error).isValid());
        QVERIFY2(error.contains(QLatin1String("--region")) && error.contains(QLatin1String("AWS_REGION")), qPrintable(error));
        QVERIFY(!resolveGameLiftEndpoint(opts(QStringLiteral("US West 2")), &error).isValid());
        QVERIFY(error.contains(QLatin1String("US West 2")));
    }

    void overridesInTheirOrder()
    {
        QString error;
        const QStringList env = {QStringLiteral("AWS_ENDPOINT_URL=https://all.example.com"),
                                 QStringLiteral("AWS_ENDPOINT_URL_GAMELIFTSTREAMS=https://gl.example.com:8443/")};
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), env), &error).baseUrl.toString(),
                 QStringLiteral("https://gl.example.com:8443"));
        QCOMPARE(resolveS3Endpoint(opts(QStringLiteral("us-west-2"), env), &error).baseUrl.toString(),
                 QStringLiteral("https://all.example.com"));
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), env, QStringLiteral("https://flag.example.com")), &error)
                     .baseUrl.toString(),
                 QStringLiteral("https://flag.example.com"));
        const Endpoint custom = resolveS3Endpoint(opts(QStringLiteral("us-west-2"), env), &error);
        QVERIFY(custom.pathStyle);
        QCOMPARE(custom.signingRegion, QByteArray("us-west-2"));
        QStringList ignored = env;
        ignored << QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true");
        QCOMPARE(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), ignored), &error).baseUrl.host(),
                 QStringLiteral("gameliftstreams.us-west-2.api.aws"));
        EndpointOptions fipsCustom = opts(QStringLiteral("us-west-2"), {}, QStringLiteral("https://x.example.com"));
        fipsCustom.useFips = true;
        QVERIFY(!resolveGameLiftEndpoint(fipsCustom, &error).isValid());
        QVERIFY(error.contains(QLatin1String("FIPS")));
    }

    void plainHttpOnlyToLoopback()
    {
        QString error;
        QVERIFY(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("http://127.0.0.1:4566")), &error).isValid());
        QVERIFY(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("http://localhost:4566")), &error).isValid());
        QVERIFY(resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("http://[::1]:4566")), &error).isValid());
        QVERIFY(!resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("http://10.0.0.5:4566")), &error).isValid());
        QVERIFY2(error.contains(QLatin1String("--endpoint-url")) && error.contains(QLatin1String("https")), qPrintable(error));
        QVERIFY(!resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {QStringLiteral("AWS_ENDPOINT_URL=http://example.com")}), &error).isValid());
        QVERIFY(error.contains(QLatin1String("AWS_ENDPOINT_URL")));
        QVERIFY(!resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("ftp://example.com")), &error).isValid());
        QVERIFY(!resolveGameLiftEndpoint(opts(QStringLiteral("us-west-2"), {}, QStringLiteral("not a url")), &error).isValid());
    }

    void regionPrecedence()
    {
        QProcessEnvironment env;
        QCOMPARE(resolveRegion(QString(), env), QString());
        env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-2"));
        QCOMPARE(resolveRegion(QString(), env), QStringLiteral("us-east-2"));
        env.insert(QStringLiteral("AWS_REGION"), QStringLiteral("eu-central-1"));
        QCOMPARE(resolveRegion(QString(), env), QStringLiteral("eu-central-1"));
        QCOMPARE(resolveRegion(QStringLiteral("ap-northeast-1"), env), QStringLiteral("ap-northeast-1"));
    }
};

QTEST_GUILESS_MAIN(TestEndpoints)
#include "tst_endpoints.moc"
