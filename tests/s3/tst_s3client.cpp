// The S3 client against the real gls-emulator over TLS: HeadObject,
// ListObjectsV2 across pages, presigned URLs, bucket Region discovery and
// redirects, and S3's errors by name.

#include "S3Fixture.h"

#include "s3/S3Client.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace gls;
using namespace gls::test;
using gls::aws::AwsError;

namespace {

const QString kBucket = QStringLiteral("gls-exports");
const QString kEast = QStringLiteral("east-bucket");
const QString kFirst = QStringLiteral("qa/first.zip");
const QString kSecond = QStringLiteral("qa/second.zip");
const QString kOdd = QStringLiteral("odd/run 2+b (\u00e9t\u00e9)~.zip"); // encoded on the wire
const QString kEastKey = QStringLiteral("east/a.zip");

// Credentials that expire at a given time, to check presign limits.
class ExpiringCredentials final : public aws::CredentialsProvider {
public:
    explicit ExpiringCredentials(QDateTime expiration)
        : m_expiration(std::move(expiration))
    {
    }
    void fetch(QObject *context, Callback done) override
    {
        aws::CredentialsResult r;
        r.credentials = Emulator::defaultCredentials();
        r.expiration = m_expiration;
        r.source = QStringLiteral("test");
        QTimer::singleShot(0, context, [done, r] { done(r); });
    }

private:
    QDateTime m_expiration;
};

} // namespace

class TestS3Client : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<S3Fixture> m_fx;

    s3::S3Client *client() const { return m_fx->client(); }

    static void expectError(s3::S3Job *job, AwsError::Kind kind, const QString &type, int status = -1)
    {
        QVERIFY(job->isFinished());
        QCOMPARE(job->error().kind, kind);
        QCOMPARE(job->error().type, type);
        if (status >= 0)
            QCOMPARE(job->error().httpStatus, status);
    }

    // Fetches a presigned URL with the harness's own socket.
    HttpResult fetch(const QString &url) const
    {
        const QUrl u = QUrl::fromEncoded(url.toLatin1(), QUrl::StrictMode);
        RawRequest req;
        req.path = u.path(QUrl::FullyEncoded).toLatin1();
        req.query = u.query(QUrl::FullyEncoded).toLatin1();
        return m_fx->emulator().send(m_fx->emulator().s3Url(), req);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fx = std::make_unique<S3Fixture>();
        QVERIFY2(m_fx->ok(), qPrintable(m_fx->errorText()));
        m_fx->exportArchive(kBucket, kFirst);
        QVERIFY(!QTest::currentTestFailed());
        m_fx->exportArchive(kBucket, kSecond);
        QVERIFY(!QTest::currentTestFailed());
        m_fx->exportArchive(kBucket, kOdd);
        QVERIFY(!QTest::currentTestFailed());
        m_fx->exportArchive(kEast, kEastKey);
        QVERIFY(!QTest::currentTestFailed());
    }

    void headObject()
    {
        const HttpResult head = m_fx->emulator().s3("HEAD", S3Fixture::objectPath(kBucket, kFirst));
        QCOMPARE(head.status, 200);
        auto *job = client()->headObject(kBucket, kFirst);
        QSignalSpy ok(job, &s3::HeadObjectJob::succeeded);
        QVERIFY(runJob(job));
        QCOMPARE(ok.count(), 1);
        const auto info = ok.at(0).at(0).value<s3::ObjectInfo>();
        QCOMPARE(info.key, kFirst);
        QCOMPARE(info.size, head.header("content-length").toLongLong());
        QVERIFY(info.size > 0);
        QCOMPARE(info.etag, head.header("etag"));
        QVERIFY(info.etagIsMd5());
        QCOMPARE(info.contentType, QString::fromLatin1(head.header("content-type")));
        QVERIFY(info.lastModified.isValid());
        QVERIFY(qAbs(info.lastModified.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
        // The MD5 the ETag names is the content's.
        const QByteArray body = m_fx->harnessGet(kBucket, kFirst).body;
        QCOMPARE(QCryptographicHash::hash(body, QCryptographicHash::Md5).toHex(), info.unquotedEtag());
    }

    void headObjectWithAnEncodedKey()
    {
        auto *job = client()->headObject(kBucket, kOdd);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(job->info().size, m_fx->harnessGet(kBucket, kOdd).body.size());
    }

    void missingKeyAndBucketAreNamed()
    {
        auto *key = client()->headObject(kBucket, QStringLiteral("qa/missing.zip"));
        QVERIFY(runJob(key));
        expectError(key, AwsError::Kind::Service, QStringLiteral("NoSuchKey"), 404);
        auto *bucket = client()->headObject(QStringLiteral("no-such-bucket-here"), QStringLiteral("a.zip"));
        QVERIFY(runJob(bucket));
        expectError(bucket, AwsError::Kind::Service, QStringLiteral("NoSuchBucket"), 404);
        QVERIFY2(bucket->error().toString().contains(QLatin1String("no-such-bucket-here")),
            qPrintable(bucket->error().toString()));
        // GET errors carry S3's own <Code>.
        auto *list = client()->listObjects(QStringLiteral("no-such-bucket-here"));
        QVERIFY(runJob(list));
        expectError(list, AwsError::Kind::Service, QStringLiteral("NoSuchBucket"), 404);
        QVERIFY(!list->error().requestId.isEmpty());
    }

    void invalidInputIsRefusedBeforeSending()
    {
        m_fx->resetStats();
        auto *badBucket = client()->headObject(QStringLiteral("Bad_Bucket"), QStringLiteral("a.zip"));
        QVERIFY(runJob(badBucket));
        expectError(badBucket, AwsError::Kind::Validation, QStringLiteral("InvalidBucketName"));
        auto *dots = client()->headObject(kBucket, QStringLiteral("qa/../a.zip"));
        QVERIFY(runJob(dots));
        expectError(dots, AwsError::Kind::Validation, QStringLiteral("InvalidKey"));
        auto *list = client()->listObjects(QStringLiteral("ab"));
        QVERIFY(runJob(list));
        expectError(list, AwsError::Kind::Validation, QStringLiteral("InvalidBucketName"));
        QCOMPARE(m_fx->emulator().control("GET", "stats").json().value(QStringLiteral("total")).toInt(), 0);
    }

    void listFollowsContinuationTokens()
    {
        auto *job = client()->listObjects(kBucket, QStringLiteral("qa/"));
        job->setPageSize(1);
        QSignalSpy pages(job, &s3::ListObjectsJob::pageReceived);
        QSignalSpy ok(job, &s3::ListObjectsJob::succeeded);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(ok.count(), 1);
        const auto objects = ok.at(0).at(0).value<QList<s3::ObjectInfo>>();
        QCOMPARE(objects.size(), 2);
        QCOMPARE(job->pages(), 2);
        QCOMPARE(pages.count(), 2);
        QStringList keys;
        for (const s3::ObjectInfo &o : objects)
            keys << o.key;
        QCOMPARE(keys, (QStringList{kFirst, kSecond}));
        auto *head = client()->headObject(kBucket, kFirst);
        QVERIFY(runJob(head));
        QCOMPARE(objects.at(0).size, head->info().size);
        QCOMPARE(objects.at(0).etag, head->info().etag);
        QCOMPARE(objects.at(0).lastModified.toSecsSinceEpoch(), head->info().lastModified.toSecsSinceEpoch());
    }

    void listOnePageAndAnEmptyPrefix()
    {
        auto *all = client()->listObjects(kBucket, QStringLiteral("qa"));
        QVERIFY(runJob(all));
        QCOMPARE(all->objects().size(), 2);
        QCOMPARE(all->pages(), 1);
        auto *none = client()->listObjects(kBucket, QStringLiteral("nothing/"));
        QVERIFY(runJob(none));
        QVERIFY(!none->error().isError());
        QVERIFY(none->objects().isEmpty());
    }

    void listDecodesUrlEncodedKeys()
    {
        // The client asks for encoding-type=url (keys may hold characters XML
        // cannot carry) and decodes what comes back.
        auto *job = client()->listObjects(kBucket, QStringLiteral("odd/"));
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(job->objects().size(), 1);
        QCOMPARE(job->objects().at(0).key, kOdd);
    }

    void presignedUrlIsAccepted()
    {
        auto *job = client()->presignGetObject(kBucket, kOdd, 300);
        QSignalSpy ok(job, &s3::PresignJob::succeeded);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        const QString url = job->url();
        QVERIFY(url.startsWith(
            m_fx->emulator().s3Url() + QStringLiteral("/gls-exports/odd/run%202%2Bb%20%28%C3%A9t%C3%A9%29~.zip?")));
        QVERIFY(url.contains(QLatin1String("X-Amz-Algorithm=AWS4-HMAC-SHA256")));
        QVERIFY(url.contains(QLatin1String("X-Amz-Expires=300")));
        QVERIFY(url.contains(QLatin1String("X-Amz-SignedHeaders=host")));
        QVERIFY(url.contains(QLatin1String("%2Fus-west-2%2Fs3%2Faws4_request")));
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().addSecs(300).secsTo(job->expiresAt())) < 60);
        const HttpResult got = fetch(url);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, m_fx->harnessGet(kBucket, kOdd).body);
    }

    void presignedUrlIsRefusedPastItsExpiry()
    {
        // Signed two minutes ago for one minute: already expired.
        aws::ManualClock past(QDateTime::currentDateTimeUtc().addSecs(-120));
        s3::S3Client *c = m_fx->newClient(&past);
        auto *job = c->presignGetObject(kBucket, kFirst, 60);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        const HttpResult got = fetch(job->url());
        QCOMPARE(got.status, 403);
        QVERIFY2(got.body.contains("<Code>AccessDenied</Code>"), got.body.constData());
        QVERIFY2(got.body.contains("expired"), got.body.constData());
        // The same signature one minute further is still valid.
        auto *fresh = c->presignGetObject(kBucket, kFirst, 180);
        QVERIFY(runJob(fresh));
        QCOMPARE(fetch(fresh->url()).status, 200);
    }

    void presignExpiryOutOfRangeIsRefused_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("zero") << qint64(0);
        QTest::newRow("negative") << qint64(-1);
        QTest::newRow("past seven days") << qint64(7 * 24 * 3600 + 1);
    }

    void presignExpiryOutOfRangeIsRefused()
    {
        QFETCH(qint64, seconds);
        m_fx->resetStats();
        auto *job = client()->presignGetObject(kBucket, kFirst, seconds);
        QSignalSpy ok(job, &s3::PresignJob::succeeded);
        QVERIFY(runJob(job));
        QCOMPARE(ok.count(), 0);
        expectError(job, AwsError::Kind::Validation, QStringLiteral("InvalidPresignRequest"));
        QVERIFY2(job->error().message.contains(QLatin1String("1 second to 7 days")), qPrintable(job->error().message));
        QVERIFY(job->url().isEmpty());
        QCOMPARE(m_fx->emulator().control("GET", "stats").json().value(QStringLiteral("total")).toInt(), 0);
    }

    void presignNeverOutlivesTheCredentials()
    {
        ExpiringCredentials creds(QDateTime::currentDateTimeUtc().addSecs(3600));
        s3::S3Client *c = m_fx->newClient(nullptr, &creds);
        auto *tooLong = c->presignGetObject(kBucket, kFirst, 2 * 3600);
        QVERIFY(runJob(tooLong));
        expectError(tooLong, AwsError::Kind::Validation, QStringLiteral("InvalidPresignRequest"));
        QVERIFY2(tooLong->error().message.contains(QLatin1String("must not outlive the credentials")),
            qPrintable(tooLong->error().message));
        auto *fits = c->presignGetObject(kBucket, kFirst, 1800);
        QVERIFY(runJob(fits));
        QVERIFY2(!fits->error().isError(), qPrintable(fits->error().toString()));
        QCOMPARE(fetch(fits->url()).status, 200);
    }

    void bucketRegionIsDiscoveredAndCached()
    {
        s3::S3Client *c = m_fx->newClient();
        m_fx->resetStats();
        auto *job = c->bucketRegion(kEast);
        QSignalSpy ok(job, &s3::BucketRegionJob::succeeded);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(ok.at(0).at(0).toString(), QStringLiteral("us-east-2"));
        QCOMPARE(c->knownRegion(kEast), QStringLiteral("us-east-2"));
        const int heads = m_fx->requests(QStringLiteral("S3.HeadBucket"));
        QVERIFY(heads >= 1 && heads <= 2);
        // Asked again: from the cache, nothing sent.
        auto *again = c->bucketRegion(kEast);
        QVERIFY(runJob(again));
        QCOMPARE(again->region(), QStringLiteral("us-east-2"));
        QCOMPARE(m_fx->requests(QStringLiteral("S3.HeadBucket")), heads);
        // The home bucket.
        auto *home = c->bucketRegion(kBucket);
        QVERIFY(runJob(home));
        QCOMPARE(home->region(), QStringLiteral("us-west-2"));
        auto *missing = c->bucketRegion(QStringLiteral("no-such-bucket-here"));
        QVERIFY(runJob(missing));
        expectError(missing, AwsError::Kind::Service, QStringLiteral("NoSuchBucket"), 404);
    }

    void requestsToAnotherRegionAreResentThere()
    {
        // A fresh client does not know east-bucket: the first answer (400
        // AuthorizationHeaderMalformed naming us-east-2) sends it there once.
        s3::S3Client *c = m_fx->newClient();
        m_fx->resetStats();
        auto *list = c->listObjects(kEast);
        QVERIFY(runJob(list));
        QVERIFY2(!list->error().isError(), qPrintable(list->error().toString()));
        QCOMPARE(list->objects().size(), 1);
        QCOMPARE(list->objects().at(0).key, kEastKey);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.ListObjectsV2"), 400), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.ListObjectsV2"), 200), 1);
        QCOMPARE(c->knownRegion(kEast), QStringLiteral("us-east-2"));

        // HEAD errors have no body: the Region comes from x-amz-bucket-region.
        s3::S3Client *other = m_fx->newClient();
        m_fx->resetStats();
        auto *head = other->headObject(kEast, kEastKey);
        QVERIFY(runJob(head));
        QVERIFY2(!head->error().isError(), qPrintable(head->error().toString()));
        QCOMPARE(m_fx->requests(QStringLiteral("S3.HeadObject")), 2);
        QCOMPARE(other->knownRegion(kEast), QStringLiteral("us-east-2"));

        // A presigned URL is signed for the bucket's Region.
        s3::S3Client *third = m_fx->newClient();
        auto *presign = third->presignGetObject(kEast, kEastKey, 60);
        QVERIFY(runJob(presign));
        QVERIFY2(presign->url().contains(QLatin1String("%2Fus-east-2%2Fs3%2F")), qPrintable(presign->url()));
        QCOMPARE(fetch(presign->url()).status, 200);
    }

    void overallDeadlineFailsAsTimeout()
    {
        // HeadObject's answer is held back 3 s; the job allows 200 ms.
        QVERIFY(m_fx->setFaults(QJsonObject{{QStringLiteral("next"),
            QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("delay")},
                {QStringLiteral("operation"), QStringLiteral("S3.HeadObject")}, {QStringLiteral("delayMs"), 3000}}}}}));
        auto *job = client()->headObject(kBucket, kFirst);
        job->setTimeoutMs(200);
        QSignalSpy ok(job, &s3::HeadObjectJob::succeeded);
        QVERIFY(runJob(job, 2500));
        QCOMPARE(ok.count(), 0);
        expectError(job, AwsError::Kind::Timeout, QStringLiteral("Timeout"));
        m_fx->emulator().control("DELETE", "faults");
    }

    void cancelledJobsFailAsCancelled()
    {
        auto *job = client()->listObjects(kBucket);
        QSignalSpy failed(job, &s3::S3Job::failed);
        QSignalSpy finished(job, &s3::S3Job::finished);
        job->start();
        job->cancel();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job->error().kind, AwsError::Kind::Cancelled);
        // Nothing more comes once the event loop runs.
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestS3Client)
#include "tst_s3client.moc"
