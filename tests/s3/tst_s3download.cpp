// Downloads against the real gls-emulator over TLS: streamed into a .part
// file, renamed when complete and verified (against the CRC64NVME S3 keeps,
// or the ETag's MD5 for objects without one); resumed with Range and If-Match
// after truncated bodies and resets; started again when the object changes;
// existing files never silently replaced; nothing left behind on failure.

#include "S3Fixture.h"

#include "s3/Crc64Nvme.h"
#include "s3/S3Client.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;
using namespace gls::test;
using gls::aws::AwsError;

namespace {

const QString kBucket = QStringLiteral("gls-exports");
const QString kKey = QStringLiteral("qa/archive.zip");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject oneShot(const QString &kind, const QString &operation, int count = 1, int delayMs = 0)
{
    QJsonObject shot{
        {QStringLiteral("kind"), kind}, {QStringLiteral("count"), count}, {QStringLiteral("operation"), operation}};
    if (delayMs > 0)
        shot.insert(QStringLiteral("delayMs"), delayMs);
    return QJsonObject{{QStringLiteral("next"), QJsonArray{shot}}};
}

} // namespace

class TestS3Download : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<S3Fixture> m_fx;
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_expected; // the object as the harness reads it
    int m_n = 0;

    QString target() { return m_dir->filePath(QStringLiteral("download-%1.zip").arg(++m_n)); }

    s3::DownloadJob *download(const QString &destination, bool overwrite = false, int maxResumes = 5)
    {
        return m_fx->client()->download({kBucket, kKey, destination, overwrite, maxResumes});
    }

    QStringList partFiles() const
    {
        return QDir(m_dir->path()).entryList({QStringLiteral("*.part")}, QDir::Files | QDir::Hidden);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fx = std::make_unique<S3Fixture>(QStringList{QStringLiteral("--archive-size"), QStringLiteral("2000000")});
        QVERIFY2(m_fx->ok(), qPrintable(m_fx->errorText()));
        m_fx->exportArchive(kBucket, kKey);
        QVERIFY(!QTest::currentTestFailed());
        m_expected = m_fx->harnessGet(kBucket, kKey).body;
        QVERIFY(m_expected.size() > 1000000);
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void init()
    {
        m_fx->emulator().control("DELETE", "faults");
        m_fx->resetStats();
    }

    void downloadIsByteIdentical()
    {
        const QString path = target();
        auto *job = download(path);
        QSignalSpy progress(job, &s3::DownloadJob::progress);
        QSignalSpy ok(job, &s3::DownloadJob::succeeded);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(ok.count(), 1);
        QCOMPARE(ok.at(0).at(0).toString(), path);
        QCOMPARE(readFile(path), m_expected);
        QCOMPARE(job->info().size, m_expected.size());
        QVERIFY(progress.count() >= 2);
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(m_expected.size()));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(m_expected.size()));
        qint64 previous = -1;
        for (const QList<QVariant> &p : progress) {
            QVERIFY(p.at(0).toLongLong() >= previous);
            previous = p.at(0).toLongLong();
        }
        QCOMPARE(job->resumes(), 0);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject")), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.HeadObject")), 1);
    }

    void checksTheBytesAgainstTheCrc64NvmeS3Keeps()
    {
        // HeadObject asks for the flexible checksum; the emulator computed it
        // with its own byte-at-a-time code when it stored the archive.
        auto *job = download(target());
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(job->check(), s3::ObjectInfo::Check::Crc64Nvme);
        QVERIFY(job->info().crc64Nvme.has_value());
        QCOMPARE(*job->info().crc64Nvme, s3::Crc64Nvme::of(m_expected));
        QCOMPARE(job->info().checksumType, QByteArray("FULL_OBJECT"));
    }

    void aCorruptedBodyIsCaughtAndNothingIsKept_data()
    {
        QTest::addColumn<bool>("defaultChecksums");
        QTest::addColumn<bool>("afterAResume");
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("CRC64NVME") << true << false << "CRC64NVME";
        QTest::newRow("CRC64NVME, flipped after a resume") << true << true << "CRC64NVME";
        QTest::newRow("MD5 (an object stored without a checksum)") << false << false << "MD5";
        QTest::newRow("MD5, flipped after a resume") << false << true << "MD5";
    }

    void aCorruptedBodyIsCaughtAndNothingIsKept()
    {
        // One bit of the body flipped on the way (the emulator's corrupt
        // fault): the download fails naming the checksum, and leaves neither
        // the file nor its .part behind.
        QFETCH(bool, defaultChecksums);
        QFETCH(bool, afterAResume);
        QFETCH(QString, algorithm);
        std::unique_ptr<S3Fixture> withoutChecksums;
        S3Fixture *fx = m_fx.get();
        if (!defaultChecksums) {
            withoutChecksums = std::make_unique<S3Fixture>(QStringList{QStringLiteral("--archive-size"),
                QStringLiteral("300000"), QStringLiteral("--no-default-checksums")});
            QVERIFY2(withoutChecksums->ok(), qPrintable(withoutChecksums->errorText()));
            withoutChecksums->exportArchive(kBucket, kKey);
            QVERIFY(!QTest::currentTestFailed());
            fx = withoutChecksums.get();
        }
        QJsonArray shots;
        for (const QString &kind : afterAResume ? QStringList{QStringLiteral("truncate"), QStringLiteral("corrupt")}
                                                : QStringList{QStringLiteral("corrupt")})
            shots.append(QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("count"), 1},
                {QStringLiteral("operation"), QStringLiteral("S3.GetObject")}});
        QVERIFY(fx->setFaults(QJsonObject{{QStringLiteral("next"), shots}}));
        const QString path = target();
        auto *job = fx->client()->download({kBucket, kKey, path});
        QSignalSpy ok(job, &s3::DownloadJob::succeeded);
        QVERIFY(runJob(job));
        QCOMPARE(ok.count(), 0);
        QCOMPARE(job->check(),
            defaultChecksums ? s3::ObjectInfo::Check::Crc64Nvme : s3::ObjectInfo::Check::Md5);
        QCOMPARE(job->resumes(), afterAResume ? 1 : 0);
        QCOMPARE(job->error().type, QStringLiteral("ChecksumMismatch"));
        QVERIFY2(job->error().message.contains(QStringLiteral("the %1 of the downloaded bytes").arg(algorithm)),
            qPrintable(job->error().toString()));
        QVERIFY2(job->error().message.contains(QStringLiteral("s3://%1/%2").arg(kBucket, kKey)),
            qPrintable(job->error().toString()));
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY2(partFiles().isEmpty(), qPrintable(partFiles().join(QLatin1Char(' '))));

        // The same download, not corrupted, succeeds with the same check.
        auto *again = fx->client()->download({kBucket, kKey, path});
        QVERIFY(runJob(again));
        QVERIFY2(!again->error().isError(), qPrintable(again->error().toString()));
        QCOMPARE(again->check(), job->check());
        QCOMPARE(readFile(path), fx->harnessGet(kBucket, kKey).body);
    }

    void sha256IsComputedAsTheBytesArriveAcrossResumes()
    {
        // Asked for, the SHA-256 comes with the file (the export store records
        // it without reading the file again), right across two resumes; not
        // asked for, there is none.
        QVERIFY(m_fx->setFaults(oneShot(QStringLiteral("truncate"), QStringLiteral("S3.GetObject"), 2)));
        const QString path = target();
        s3::DownloadRequest request{kBucket, kKey, path};
        request.sha256 = true;
        auto *job = m_fx->client()->download(request);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(job->resumes(), 2);
        QCOMPARE(readFile(path), m_expected);
        const QString expected
            = QString::fromLatin1(QCryptographicHash::hash(m_expected, QCryptographicHash::Sha256).toHex());
        QCOMPARE(job->sha256Hex(), expected);
        QCOMPARE(s3::StreamDigest::sha256OfFile(path), expected);

        auto *plain = download(target());
        QVERIFY(runJob(plain));
        QVERIFY2(!plain->error().isError(), qPrintable(plain->error().toString()));
        QVERIFY(plain->sha256Hex().isEmpty());
    }

    void noPartFileIsLeftAfterSuccess()
    {
        const QString path = target();
        QVERIFY(runJob(download(path)));
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(s3::DownloadJob::partPath(path)));
        QVERIFY2(partFiles().isEmpty(), qPrintable(partFiles().join(QLatin1Char(' '))));
    }

    void resumesWithRangeAfterTruncatedBodies_data()
    {
        QTest::addColumn<int>("truncations");
        QTest::newRow("once") << 1;
        QTest::newRow("three times") << 3;
    }

    void resumesWithRangeAfterTruncatedBodies()
    {
        // Each GET is cut in the middle of its body; the next asks for the rest
        // (Range: bytes=N-, If-Match) and the file ends byte-identical.
        QFETCH(int, truncations);
        QVERIFY(m_fx->setFaults(oneShot(QStringLiteral("truncate"), QStringLiteral("S3.GetObject"), truncations)));
        const QString path = target();
        auto *job = download(path);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(readFile(path), m_expected);
        QCOMPARE(job->resumes(), truncations);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject")), truncations + 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 200), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 206), truncations);
        QVERIFY(partFiles().isEmpty());
    }

    void recoversFromAConnectionReset()
    {
        QVERIFY(m_fx->setFaults(oneShot(QStringLiteral("reset"), QStringLiteral("S3.GetObject"))));
        const QString path = target();
        auto *job = download(path);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(readFile(path), m_expected);
        // The reset came before any byte: sent again whole, once.
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject")), 2);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 0), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 200), 1);
    }

    void resumeSurvivesAResetOfTheRangeRequest()
    {
        // Cut in the middle, then the resuming GET is reset: it is sent again
        // with the same Range, and the file still ends byte-identical.
        QJsonArray shots;
        for (const QString &kind : {QStringLiteral("truncate"), QStringLiteral("reset")})
            shots.append(QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("count"), 1},
                {QStringLiteral("operation"), QStringLiteral("S3.GetObject")}});
        QVERIFY(m_fx->setFaults(QJsonObject{{QStringLiteral("next"), shots}}));
        const QString path = target();
        auto *job = download(path);
        QVERIFY(runJob(job));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QCOMPARE(readFile(path), m_expected);
        QCOMPARE(job->resumes(), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject")), 3);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 0), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 206), 1);
    }

    void givesUpAfterBoundedResumesAndCleansUp()
    {
        QVERIFY(m_fx->setFaults(oneShot(QStringLiteral("truncate"), QStringLiteral("S3.GetObject"), 50)));
        const QString path = target();
        auto *job = download(path, false, 2);
        QSignalSpy ok(job, &s3::DownloadJob::succeeded);
        QVERIFY(runJob(job));
        QCOMPARE(ok.count(), 0);
        QCOMPARE(job->error().kind, AwsError::Kind::Network);
        QVERIFY2(job->error().message.contains(QLatin1String("gave up after 2 resumes")),
            qPrintable(job->error().toString()));
        QCOMPARE(job->resumes(), 2);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject")), 3);
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY2(partFiles().isEmpty(), qPrintable(partFiles().join(QLatin1Char(' '))));
    }

    void existingFileIsNeverSilentlyOverwritten()
    {
        const QString path = target();
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("precious");
        }
        auto *job = download(path);
        QVERIFY(runJob(job));
        QCOMPARE(job->error().kind, AwsError::Kind::Validation);
        QVERIFY2(job->error().message.contains(QLatin1String("already exists")), qPrintable(job->error().message));
        QVERIFY(job->error().message.contains(path));
        QCOMPARE(readFile(path), QByteArray("precious"));
        QCOMPARE(m_fx->emulator().control("GET", "stats").json().value(QStringLiteral("total")).toInt(), 0);
        QVERIFY(partFiles().isEmpty());

        // Asked to overwrite: replaced.
        auto *again = download(path, true);
        QVERIFY(runJob(again));
        QVERIFY2(!again->error().isError(), qPrintable(again->error().toString()));
        QCOMPARE(readFile(path), m_expected);
        QVERIFY(partFiles().isEmpty());
    }

    void folderAsDestinationIsRefused()
    {
        auto *job = download(m_dir->path(), true);
        QVERIFY(runJob(job));
        QCOMPARE(job->error().kind, AwsError::Kind::Validation);
        QVERIFY2(job->error().message.contains(QLatin1String("is a folder")), qPrintable(job->error().message));
    }

    void unwritableDestinationFails()
    {
        auto *job = download(m_dir->filePath(QStringLiteral("no/such/folder/a.zip")));
        QVERIFY(runJob(job));
        QCOMPARE(job->error().kind, AwsError::Kind::Client);
        QCOMPARE(job->error().type, QStringLiteral("FileError"));
        QVERIFY2(job->error().message.contains(QLatin1String("cannot write")), qPrintable(job->error().message));
    }

    void missingObjectIsNamedAndLeavesNothing()
    {
        s3::DownloadRequest r;
        r.bucket = kBucket;
        r.key = QStringLiteral("qa/missing.zip");
        r.destination = target();
        auto *job = m_fx->client()->download(r);
        QVERIFY(runJob(job));
        QCOMPARE(job->error().type, QStringLiteral("NoSuchKey"));
        QCOMPARE(job->error().httpStatus, 404);
        r.bucket = QStringLiteral("no-such-bucket-here");
        auto *bucket = m_fx->client()->download(r);
        QVERIFY(runJob(bucket));
        QCOMPARE(bucket->error().type, QStringLiteral("NoSuchBucket"));
        QVERIFY(!QFileInfo::exists(r.destination));
        QVERIFY(partFiles().isEmpty());
    }

    void cancelRemovesThePartFile()
    {
        const QString path = target();
        auto *job = download(path);
        QSignalSpy failed(job, &s3::S3Job::failed);
        connect(job, &s3::DownloadJob::progress, job, [job](qint64 bytes) {
            if (bytes > 0)
                job->cancel();
        });
        QVERIFY(runJob(job));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(job->error().kind, AwsError::Kind::Cancelled);
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(partFiles().isEmpty());
    }

    void startsAgainWhenTheObjectChanges()
    {
        // HeadObject's answer is held back while the object is replaced by a
        // new export to the same key: the GET's If-Match then fails (412) and
        // the download starts again from zero with the new version.
        const QByteArray before = m_fx->emulator().s3("HEAD", S3Fixture::objectPath(kBucket, kKey)).header("etag");
        m_fx->resetStats();
        QVERIFY(m_fx->setFaults(oneShot(QStringLiteral("delay"), QStringLiteral("S3.HeadObject"), 1, 4000)));
        const QString path = target();
        s3::DownloadRequest request{kBucket, kKey, path};
        request.sha256 = true; // of the new version's bytes only
        auto *job = m_fx->client()->download(request);
        QSignalSpy finished(job, &s3::S3Job::finished);
        job->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_fx->requests(QStringLiteral("S3.HeadObject")), 1, 10000);
        m_fx->exportArchive(kBucket, kKey);
        QVERIFY(!QTest::currentTestFailed());
        if (m_fx->requests(QStringLiteral("S3.GetObject")) > 0)
            QSKIP("the new export took longer than HeadObject's delay");
        QVERIFY(finished.wait(30000));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        QVERIFY(job->restarted());
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 412), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.GetObject"), 200), 1);
        QCOMPARE(m_fx->requests(QStringLiteral("S3.HeadObject")), 2);
        const HttpResult now = m_fx->harnessGet(kBucket, kKey);
        QVERIFY(now.header("etag") != before);
        QCOMPARE(job->info().etag, now.header("etag"));
        QCOMPARE(readFile(path), now.body);
        QCOMPARE(job->sha256Hex(), QString::fromLatin1(QCryptographicHash::hash(now.body, QCryptographicHash::Sha256).toHex()));
        m_expected = now.body;
    }
};

QTEST_GUILESS_MAIN(TestS3Download)
#include "tst_s3download.moc"
