// A 64 MiB archive downloads with flat memory: the bytes stream to disk as
// they arrive, never the whole object in memory. A behaviour check (resident
// set growth), not a timing one.

#include "S3Fixture.h"

#include "s3/S3Client.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;
using namespace gls::test;

namespace {

const QString kBucket = QStringLiteral("gls-exports");
const QString kKey = QStringLiteral("qa/large.zip");
constexpr qint64 kArchiveSize = 64 * 1024 * 1024;
constexpr qint64 kAllowedGrowth = 32 * 1024 * 1024;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

} // namespace

class TestS3DownloadMemory : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<S3Fixture> m_fx;

private Q_SLOTS:
    void initTestCase()
    {
        if (residentBytes() < 0)
            QSKIP("no /proc/self/status here");
        // Freed memory waits in AddressSanitizer's quarantine (256 MB), so the
        // resident set says nothing about our buffers there. The plain build,
        // which CI also runs, makes this check.
        if (kAddressSanitizer)
            QSKIP("built with AddressSanitizer: resident memory includes its quarantine");
        m_fx
            = std::make_unique<S3Fixture>(QStringList{QStringLiteral("--archive-size"), QString::number(kArchiveSize)});
        QVERIFY2(m_fx->ok(), qPrintable(m_fx->errorText()));
        m_fx->exportArchive(kBucket, kKey);
        QVERIFY(!QTest::currentTestFailed());
    }

    void memoryStaysFlatWhileDownloading()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Warm up the TLS and network stack, so the baseline includes them.
        auto *head = m_fx->client()->headObject(kBucket, kKey);
        QVERIFY(runJob(head));
        QVERIFY2(!head->error().isError(), qPrintable(head->error().toString()));
        QVERIFY2(head->info().size > kArchiveSize * 9 / 10, qPrintable(QString::number(head->info().size)));

        const qint64 baseline = residentBytes();
        qint64 peak = baseline;
        s3::DownloadRequest r{kBucket, kKey, dir.filePath(QStringLiteral("large.zip"))};
        auto *job = m_fx->client()->download(r);
        int samples = 0;
        connect(job, &s3::DownloadJob::progress, job, [&] {
            peak = qMax(peak, residentBytes());
            ++samples;
        });
        QVERIFY(runJob(job, 300000));
        QVERIFY2(!job->error().isError(), qPrintable(job->error().toString()));
        peak = qMax(peak, residentBytes());
        QVERIFY(samples > 10);
        qInfo("resident set: %lld KiB before, %lld KiB at most while downloading %lld KiB", baseline / 1024,
            peak / 1024, head->info().size / 1024);
        QVERIFY2(peak - baseline < kAllowedGrowth,
            qPrintable(QStringLiteral("grew by %1 KiB").arg((peak - baseline) / 1024)));

        // And the file is the object (the job checked the MD5; check it again here).
        QFile f(r.destination);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.size(), head->info().size);
        QCryptographicHash md5(QCryptographicHash::Md5);
        QVERIFY(md5.addData(&f));
        QCOMPARE(md5.result().toHex(), head->info().unquotedEtag());
    }
};

QTEST_GUILESS_MAIN(TestS3DownloadMemory)
#include "tst_s3download_memory.moc"
