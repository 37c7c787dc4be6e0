// The SDKs' standard retry mode, with the random source pinned: which errors
// are retried, the backoff curve and its cap, and the retry quota.

#include "aws/AwsError.h"
#include "aws/RetryPolicy.h"

#include <QTest>

using namespace gls::aws;

namespace {
AwsError service(int status, const QString &type)
{
    AwsError e;
    e.kind = AwsError::Kind::Service;
    e.httpStatus = status;
    e.type = type;
    return e;
}
AwsError ofKind(AwsError::Kind kind)
{
    AwsError e;
    e.kind = kind;
    return e;
}
} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classification_data()
    {
        QTest::addColumn<AwsError>("error");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("expected");
        using C = RetryPolicy::Class;
        QTest::newRow("throttling type") << service(400, QStringLiteral("ThrottlingException")) << QByteArray()
                                         << int(C::Throttling);
        QTest::newRow("SlowDown") << service(503, QStringLiteral("SlowDown")) << QByteArray() << int(C::Throttling);
        QTest::newRow("429 any type") << service(429, QStringLiteral("Whatever")) << QByteArray() << int(C::Throttling);
        QTest::newRow("500") << service(500, QStringLiteral("InternalServerException")) << QByteArray()
                             << int(C::Transient);
        QTest::newRow("502") << service(502, QString()) << QByteArray() << int(C::Transient);
        QTest::newRow("503") << service(503, QStringLiteral("ServiceUnavailableException")) << QByteArray()
                             << int(C::Transient);
        QTest::newRow("504") << service(504, QString()) << QByteArray() << int(C::Transient);
        QTest::newRow("skew") << service(403, QStringLiteral("InvalidSignatureException")) << QByteArray()
                              << int(C::ClockSkew);
        QTest::newRow("s3 skew") << service(403, QStringLiteral("RequestTimeTooSkewed")) << QByteArray()
                                 << int(C::ClockSkew);
        QTest::newRow("validation") << service(400, QStringLiteral("ValidationException")) << QByteArray()
                                    << int(C::NotRetryable);
        QTest::newRow("not found") << service(404, QStringLiteral("ResourceNotFoundException")) << QByteArray()
                                   << int(C::NotRetryable);
        QTest::newRow("access denied") << service(403, QStringLiteral("AccessDeniedException")) << QByteArray()
                                       << int(C::NotRetryable);
        QTest::newRow("network") << ofKind(AwsError::Kind::Network) << QByteArray() << int(C::Transient);
        QTest::newRow("timeout") << ofKind(AwsError::Kind::Timeout) << QByteArray() << int(C::Timeout);
        QTest::newRow("tls") << ofKind(AwsError::Kind::Tls) << QByteArray() << int(C::NotRetryable);
        QTest::newRow("credentials") << ofKind(AwsError::Kind::Credentials) << QByteArray() << int(C::NotRetryable);
        QTest::newRow("cancelled") << ofKind(AwsError::Kind::Cancelled) << QByteArray() << int(C::NotRetryable);
        // S3 refuses a HEAD signed with a wrong clock with a bare 403: no body, no error code.
        QTest::newRow("HEAD bare 403") << service(403, QString()) << QByteArray("HEAD") << int(C::ClockSkew);
        QTest::newRow("GET bare 403") << service(403, QString()) << QByteArray("GET") << int(C::NotRetryable);
        QTest::newRow("HEAD 404") << service(404, QString()) << QByteArray("HEAD") << int(C::NotRetryable);
    }
    void classification()
    {
        QFETCH(AwsError, error);
        QFETCH(QByteArray, method);
        QFETCH(int, expected);
        QCOMPARE(int(RetryPolicy::classify(error, method)), expected);
    }

    void backoffIsFullJitterCappedAt20s()
    {
        double r = 0.999999;
        RetryPolicy p({}, [&] { return r; });
        QCOMPARE(p.backoffMs(1), 999);
        QCOMPARE(p.backoffMs(2), 1999);
        QCOMPARE(p.backoffMs(3), 3999);
        QCOMPARE(p.backoffMs(5), 15999);
        QCOMPARE(p.backoffMs(6), 19999); // 32 s capped at 20 s
        QCOMPARE(p.backoffMs(30), 19999);
        r = 0.0;
        QCOMPARE(p.backoffMs(4), 0);
        r = 0.5;
        QCOMPARE(p.backoffMs(3), 2000);
    }

    void attemptsAreBounded()
    {
        RetryPolicy p({}, [] { return 0.5; });
        const AwsError e = service(503, QStringLiteral("ServiceUnavailableException"));
        QVERIFY(p.acquireRetry(e, 1));
        QVERIFY(p.acquireRetry(e, 2));
        QVERIFY(!p.acquireRetry(e, 3)); // 3 attempts in all by default
        QVERIFY(!p.acquireRetry(service(400, QStringLiteral("ValidationException")), 1));
        RetrySettings five;
        five.maxAttempts = 5;
        RetryPolicy q(five, [] { return 0.5; });
        QVERIFY(q.acquireRetry(e, 4));
        QVERIFY(!q.acquireRetry(e, 5));
    }

    void quotaDrainsAndRefills()
    {
        RetryPolicy p({}, [] { return 0.5; });
        const AwsError e = service(500, QStringLiteral("InternalServerException"));
        int granted = 0;
        while (p.acquireRetry(e, 1))
            ++granted;
        QCOMPARE(granted, 100); // 500 tokens at 5 each
        QCOMPARE(p.quota(), 0);
        // With the quota empty, fail fast.
        QVERIFY(!p.acquireRetry(e, 1));
        // A success without retries returns 1 token; after a retry, the retry's cost.
        p.recordSuccess(1);
        QCOMPARE(p.quota(), 1);
        p.recordSuccess(2);
        QCOMPARE(p.quota(), 6);
        QVERIFY(p.acquireRetry(e, 1));
        QCOMPARE(p.quota(), 1);
        // Timeouts cost 10.
        RetryPolicy t({}, [] { return 0.5; });
        QVERIFY(t.acquireRetry(ofKind(AwsError::Kind::Timeout), 1));
        QCOMPARE(t.quota(), 490);
        t.recordSuccess(2, true);
        QCOMPARE(t.quota(), 500); // never above capacity
    }

    void maxAttemptsFromEnvironment()
    {
        QString warning;
        QCOMPARE(RetryPolicy::fromEnvironment(QStringLiteral("5"), &warning).maxAttempts, 5);
        QVERIFY(warning.isEmpty());
        QCOMPARE(RetryPolicy::fromEnvironment(QStringLiteral("zero"), &warning).maxAttempts, 3);
        QVERIFY(warning.contains(QLatin1String("AWS_MAX_ATTEMPTS")));
        QCOMPARE(RetryPolicy::fromEnvironment(QString(), &warning).maxAttempts, 3);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
