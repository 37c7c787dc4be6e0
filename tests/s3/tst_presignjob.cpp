// Presigned GET URLs without a network: the published example of AWS's
// "Authenticating Requests: Using Query Parameters" page as the witness,
// virtual-hosted and path-style shapes, session tokens, and the limits (1 s
// to 7 days, never past the credentials' expiration).

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "s3/S3Client.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace gls;
using gls::aws::AwsError;

namespace {

const QDateTime kDocTime(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC);

class FixedCredentials final : public aws::CredentialsProvider {
public:
    FixedCredentials(sigv4::Credentials creds, QDateTime expiration)
        : m_creds(std::move(creds))
        , m_expiration(std::move(expiration))
    {
    }
    void fetch(QObject *context, Callback done) override
    {
        ++fetches;
        aws::CredentialsResult r;
        r.credentials = m_creds;
        r.expiration = m_expiration;
        r.source = QStringLiteral("test");
        QTimer::singleShot(0, context, [done, r] { done(r); });
    }
    int fetches = 0;

private:
    sigv4::Credentials m_creds;
    QDateTime m_expiration;
};

// The endpoint the AWS example uses: the legacy global s3.amazonaws.com.
aws::Endpoint globalEndpoint(const QString &region, QString *)
{
    aws::Endpoint e;
    e.baseUrl = QUrl(QStringLiteral("https://s3.amazonaws.com"));
    e.signingRegion = region.toLatin1();
    e.signingName = "s3";
    e.pathStyle = false;
    return e;
}

} // namespace

class TestPresignJob : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_network; // never used: nothing here goes out

    struct Setup {
        std::unique_ptr<FixedCredentials> creds;
        std::unique_ptr<aws::ManualClock> clock;
        std::unique_ptr<aws::AwsTransport> transport;
        std::unique_ptr<s3::S3Client> client;
    };

    Setup setup(const QDateTime &now, const QDateTime &expiration = {}, const QByteArray &token = {},
        s3::S3Client::EndpointResolver resolver = globalEndpoint)
    {
        Setup s;
        s.creds = std::make_unique<FixedCredentials>(
            sigv4::Credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token}, expiration);
        s.clock = std::make_unique<aws::ManualClock>(now);
        s.transport = std::make_unique<aws::AwsTransport>(&m_network, s.creds.get(), s.clock.get());
        s.client = std::make_unique<s3::S3Client>(s.transport.get(), QStringLiteral("us-east-1"), std::move(resolver));
        // Known Region: no HeadBucket is needed.
        s.client->rememberRegion(QStringLiteral("examplebucket"), QStringLiteral("us-east-1"));
        return s;
    }

    static bool run(s3::S3Job *job)
    {
        QSignalSpy finished(job, &s3::S3Job::finished);
        job->start();
        return finished.wait(5000) || !finished.isEmpty();
    }

private Q_SLOTS:
    void matchesTheAwsDocumentationExample()
    {
        Setup s = setup(kDocTime);
        auto *job = s.client->presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("test.txt"), 86400);
        QSignalSpy ok(job, &s3::PresignJob::succeeded);
        QVERIFY(run(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        const QUrl url = QUrl::fromEncoded(job->url().toLatin1(), QUrl::StrictMode);
        QCOMPARE(url.host(), QStringLiteral("examplebucket.s3.amazonaws.com"));
        QCOMPARE(url.path(QUrl::FullyEncoded), QStringLiteral("/test.txt"));
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Algorithm")), QStringLiteral("AWS4-HMAC-SHA256"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Credential"), QUrl::FullyEncoded),
            QStringLiteral("AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Date")), QStringLiteral("20130524T000000Z"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Expires")), QStringLiteral("86400"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-SignedHeaders")), QStringLiteral("host"));
        QCOMPARE(q.queryItemValue(QStringLiteral("X-Amz-Signature")),
            QStringLiteral("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
        QCOMPARE(ok.at(0).at(1).toDateTime(), kDocTime.addSecs(86400));
        QCOMPARE(job->expiresAt(), kDocTime.addSecs(86400));
    }

    void urlBytesSurviveQt()
    {
        Setup s = setup(kDocTime, {}, "token/with+and=");
        auto *job = s.client->presignGetObject(
            QStringLiteral("examplebucket"), QStringLiteral("qa/a b+c/\u00e9t\u00e9~(1).zip"), 60);
        QVERIFY(run(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        const QByteArray bytes = job->url().toLatin1();
        QVERIFY2(bytes.startsWith("https://examplebucket.s3.amazonaws.com/qa/a%20b%2Bc/%C3%A9t%C3%A9~%281%29.zip?"),
            bytes.constData());
        QVERIFY(bytes.contains("X-Amz-Security-Token=token%2Fwith%2Band%3D"));
        const QUrl url = QUrl::fromEncoded(bytes, QUrl::StrictMode);
        QCOMPARE(url.toEncoded(QUrl::FullyEncoded), bytes);
        // What the service will check: the signature over these exact bytes.
        sigv4::PresignedQuery parsed;
        QByteArray why;
        QVERIFY2(sigv4::parsePresignedQuery(url.query(QUrl::FullyEncoded).toLatin1(), &parsed, &why), why.constData());
        QCOMPARE(parsed.securityToken, QByteArray("token/with+and="));
        QCOMPARE(parsed.expiresSeconds, 60);
    }

    void dottedBucketsArePathStyle()
    {
        Setup s = setup(kDocTime);
        s.client->rememberRegion(QStringLiteral("my.bucket"), QStringLiteral("eu-west-1"));
        auto *job = s.client->presignGetObject(QStringLiteral("my.bucket"), QStringLiteral("a.zip"), 60);
        QVERIFY(run(job));
        QVERIFY2(
            job->url().startsWith(QLatin1String("https://s3.amazonaws.com/my.bucket/a.zip?")), qPrintable(job->url()));
        QVERIFY(job->url().contains(QLatin1String("%2Feu-west-1%2Fs3%2F")));
    }

    void expiryOutsideOneSecondToSevenDaysIsRefused_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<bool>("ok");
        QTest::newRow("0 s") << qint64(0) << false;
        QTest::newRow("1 s") << qint64(1) << true;
        QTest::newRow("7 days") << qint64(604800) << true;
        QTest::newRow("7 days + 1 s") << qint64(604801) << false;
        QTest::newRow("a year") << qint64(365) * 86400 << false;
    }

    void expiryOutsideOneSecondToSevenDaysIsRefused()
    {
        QFETCH(qint64, seconds);
        QFETCH(bool, ok);
        Setup s = setup(kDocTime);
        auto *job = s.client->presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("test.txt"), seconds);
        QVERIFY(run(job));
        QCOMPARE(job->error().isError(), !ok);
        if (ok)
            return;
        QCOMPARE(job->error().kind, AwsError::Kind::Validation);
        QCOMPARE(job->error().message,
            QStringLiteral("expiry: a presigned URL must expire in 1 second to 7 days "
                           "(604800 seconds); %1 seconds was asked")
                .arg(seconds));
        QCOMPARE(s.creds->fetches, 0); // refused before anything else
    }

    void neverPastTheCredentialsExpiration()
    {
        Setup s = setup(kDocTime, kDocTime.addSecs(900));
        auto *exact = s.client->presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("test.txt"), 900);
        QVERIFY(run(exact));
        QVERIFY2(!exact->error().isError(), qPrintable(exact->error().toString()));
        auto *past = s.client->presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("test.txt"), 901);
        QVERIFY(run(past));
        QCOMPARE(past->error().kind, AwsError::Kind::Validation);
        QCOMPARE(past->error().message,
            QStringLiteral("expiry: a presigned URL must not outlive the credentials that sign it; they expire "
                           "at 2013-05-24T00:15:00Z (in 900 seconds) but 901 seconds was asked"));
        QVERIFY(past->url().isEmpty());
    }

    void invalidBucketOrKeyIsRefused()
    {
        Setup s = setup(kDocTime);
        auto *bucket = s.client->presignGetObject(QStringLiteral("Example_Bucket"), QStringLiteral("a"), 60);
        QVERIFY(run(bucket));
        QCOMPARE(bucket->error().kind, AwsError::Kind::Validation);
        QVERIFY(bucket->error().message.contains(QLatin1String("may only hold lowercase letters")));
        auto *key = s.client->presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("a/../b"), 60);
        QVERIFY(run(key));
        QCOMPARE(key->error().kind, AwsError::Kind::Validation);
        QVERIFY(key->error().message.contains(QLatin1String("'.' or '..' segment")));
    }

    void missingCredentialsAreNamed()
    {
        Setup s = setup(kDocTime);
        s.creds = std::make_unique<FixedCredentials>(sigv4::Credentials{}, QDateTime());
        s.transport = std::make_unique<aws::AwsTransport>(&m_network, s.creds.get(), s.clock.get());
        s3::S3Client client(s.transport.get(), QStringLiteral("us-east-1"), globalEndpoint);
        client.rememberRegion(QStringLiteral("examplebucket"), QStringLiteral("us-east-1"));
        auto *job = client.presignGetObject(QStringLiteral("examplebucket"), QStringLiteral("test.txt"), 60);
        QVERIFY(run(job));
        QCOMPARE(job->error().kind, AwsError::Kind::Credentials);
    }
};

QTEST_GUILESS_MAIN(TestPresignJob)
#include "tst_presignjob.moc"
