// ListObjectsV2 XML (as S3 writes it) parsed with QXmlStreamReader, and the
// object details read from HeadObject headers.

#include "s3/ListObjectsV2Page.h"
#include "s3/ObjectInfo.h"

#include <QTest>

using gls::s3::ListObjectsV2Page;
using gls::s3::ObjectInfo;

namespace {

QByteArray page(const QByteArray &inner)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
           "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>gls-exports</Name><Prefix>qa/</Prefix>"
        + inner + "</ListBucketResult>";
}

QByteArray contents(
    const QByteArray &key, const QByteArray &size = "10", const QByteArray &modified = "2025-03-01T10:20:30.000Z")
{
    return "<Contents><Key>" + key + "</Key><LastModified>" + modified
        + "</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>" + size
        + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
}

} // namespace

class TestListObjectsV2Page : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEntries()
    {
        const QByteArray xml = page("<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
            + contents("qa/a.zip", "400000") + contents("qa/b &amp; c.zip", "0"));
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(xml, &p, &error), qPrintable(error));
        QCOMPARE(p.objects.size(), 2);
        QVERIFY(!p.isTruncated);
        QVERIFY(p.nextContinuationToken.isEmpty());
        const ObjectInfo &a = p.objects.at(0);
        QCOMPARE(a.key, QStringLiteral("qa/a.zip"));
        QCOMPARE(a.size, 400000);
        QCOMPARE(a.etag, QByteArray("\"9b2cf535f27731c974343645a3985328\""));
        QVERIFY(a.etagIsMd5());
        QCOMPARE(a.lastModified, QDateTime(QDate(2025, 3, 1), QTime(10, 20, 30), Qt::UTC));
        QVERIFY(a.contentType.isEmpty());
        QCOMPARE(p.objects.at(1).key, QStringLiteral("qa/b & c.zip"));
        QCOMPARE(p.objects.at(1).size, 0);
    }

    void readsTruncatedPagesAndTheirToken()
    {
        // Tokens are opaque and often base64: '+', '/' and '=' must survive.
        const QByteArray xml = page("<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>"
                                    "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=+a"
                                    "</NextContinuationToken>"
            + contents("qa/a.zip"));
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(xml, &p, &error), qPrintable(error));
        QVERIFY(p.isTruncated);
        QCOMPARE(p.nextContinuationToken, QStringLiteral("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=+a"));
        QCOMPARE(p.objects.size(), 1);
    }

    void emptyListing()
    {
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(page("<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"), &p, &error),
            qPrintable(error));
        QVERIFY(p.objects.isEmpty());
    }

    void decodesUrlEncodedKeys()
    {
        // encoding-type=url: S3 writes a space as '+', the emulator as %20; '+' itself is %2B.
        const QByteArray xml = page("<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
            + contents("qa/run+1%20%2B%C3%A9.zip") + "<CommonPrefixes><Prefix>qa/sub+dir/</Prefix></CommonPrefixes>");
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(xml, &p, &error), qPrintable(error));
        QCOMPARE(p.objects.at(0).key, QStringLiteral("qa/run 1 +\u00e9.zip"));
        QCOMPARE(p.commonPrefixes, QStringList{QStringLiteral("qa/sub dir/")});
    }

    void keysAreLiteralWithoutEncodingType()
    {
        const QByteArray xml = page("<IsTruncated>false</IsTruncated>" + contents("qa/a+b%20c.zip"));
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(xml, &p, &error), qPrintable(error));
        QCOMPARE(p.objects.at(0).key, QStringLiteral("qa/a+b%20c.zip"));
    }

    void ignoresUnknownElements()
    {
        const QByteArray xml = page("<IsTruncated>false</IsTruncated><Future><Nested>1</Nested></Future>"
                                    "<Contents><Owner><ID>x</ID></Owner><Key>k</Key><Size>5</Size>"
                                    "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm></Contents>");
        ListObjectsV2Page p;
        QString error;
        QVERIFY2(ListObjectsV2Page::parse(xml, &p, &error), qPrintable(error));
        QCOMPARE(p.objects.size(), 1);
        QCOMPARE(p.objects.at(0).key, QStringLiteral("k"));
        QCOMPARE(p.objects.at(0).size, 5);
    }

    void refusesMalformedAnswers_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("message");
        QTest::newRow("not XML") << QByteArray("{\"json\": true}")
                                 << "unreadable ListObjectsV2 answer: the answer holds no XML element";
        QTest::newRow("empty") << QByteArray() << "unreadable ListObjectsV2 answer: the answer holds no XML element";
        QTest::newRow("an error document") << QByteArray("<Error><Code>NoSuchBucket</Code></Error>")
                                           << "unreadable ListObjectsV2 answer: the answer is <Error>, not "
                                              "<ListBucketResult>";
        QTest::newRow("bad size") << page("<IsTruncated>false</IsTruncated>" + contents("k", "12x"))
                                  << "unreadable ListObjectsV2 answer: <Size> '12x' is not a byte count";
        QTest::newRow("negative size") << page("<IsTruncated>false</IsTruncated>" + contents("k", "-1"))
                                       << "unreadable ListObjectsV2 answer: <Size> '-1' is not a byte count";
        QTest::newRow("bad time") << page("<IsTruncated>false</IsTruncated>" + contents("k", "1", "yesterday"))
                                  << "unreadable ListObjectsV2 answer: <LastModified> 'yesterday' is not an ISO 8601 "
                                     "time";
        QTest::newRow("no key") << page("<IsTruncated>false</IsTruncated><Contents><Size>1</Size></Contents>")
                                << "unreadable ListObjectsV2 answer: an entry of <Contents> lacks <Key> or <Size>";
        QTest::newRow("no IsTruncated") << page(
            contents("k")) << "unreadable ListObjectsV2 answer: <IsTruncated> must be true or false, not ''";
        QTest::newRow("truncated without token")
            << page("<IsTruncated>true</IsTruncated>" + contents("k"))
            << "unreadable ListObjectsV2 answer: the listing is truncated but holds no <NextContinuationToken>";
    }

    void refusesMalformedAnswers()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, message);
        ListObjectsV2Page p;
        QString error;
        QVERIFY(!ListObjectsV2Page::parse(xml, &p, &error));
        QCOMPARE(error, message);
    }

    void refusesCutOffXml()
    {
        const QByteArray xml = page("<IsTruncated>false</IsTruncated>" + contents("k"));
        ListObjectsV2Page p;
        QString error;
        QVERIFY(!ListObjectsV2Page::parse(xml.left(xml.size() - 10), &p, &error));
        QVERIFY2(error.startsWith(QLatin1String("unreadable ListObjectsV2 answer: malformed XML at line 2")),
            qPrintable(error));
    }

    void objectInfoFromHeadObjectHeaders()
    {
        const gls::sigv4::HeaderList headers{{"Content-Type", "application/zip"}, {"Content-Length", "400000"},
            {"ETag", "\"9B2CF535F27731C974343645A3985328\""}, {"Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"}};
        ObjectInfo info;
        QString error;
        QVERIFY2(ObjectInfo::fromHeaders(QStringLiteral("qa/a.zip"), headers, &info, &error), qPrintable(error));
        QCOMPARE(info.key, QStringLiteral("qa/a.zip"));
        QCOMPARE(info.size, 400000);
        QCOMPARE(info.contentType, QStringLiteral("application/zip"));
        QCOMPARE(info.lastModified, QDateTime(QDate(2015, 10, 21), QTime(7, 28), Qt::UTC));
        QVERIFY(info.etagIsMd5());
        QCOMPARE(info.unquotedEtag(), QByteArray("9B2CF535F27731C974343645A3985328"));

        QVERIFY(!ObjectInfo::fromHeaders(QStringLiteral("k"), {{"ETag", "\"x\""}}, &info, &error));
        QCOMPARE(error, QStringLiteral("the answer for 'k' carries no valid Content-Length"));
        QVERIFY(!ObjectInfo::fromHeaders(QStringLiteral("k"), {{"Content-Length", "3"}}, &info, &error));
        QCOMPARE(error, QStringLiteral("the answer for 'k' carries no ETag"));
    }

    void multipartEtagsAreNotMd5()
    {
        ObjectInfo info;
        info.etag = "\"d41d8cd98f00b204e9800998ecf8427e-3\"";
        QVERIFY(!info.etagIsMd5());
        info.etag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
        QVERIFY(info.etagIsMd5());
        info.etag = "W/\"d41d8cd98f00b204e9800998ecf8427e\"";
        QVERIFY(info.etagIsMd5());
        info.etag = "\"zz1d8cd98f00b204e9800998ecf8427e\"";
        QVERIFY(!info.etagIsMd5());
    }

    void encryptedObjectsEtagsAreNotMd5()
    {
        const gls::sigv4::HeaderList plain{{"Content-Length", "3"}, {"ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""}};
        ObjectInfo info;
        QString error;
        QVERIFY(ObjectInfo::fromHeaders(QStringLiteral("k"),
            plain + gls::sigv4::HeaderList{{"x-amz-server-side-encryption", "AES256"}}, &info, &error));
        QCOMPARE(info.encryption, QStringLiteral("AES256"));
        QVERIFY(info.etagIsMd5()); // SSE-S3 keeps the MD5
        QVERIFY(ObjectInfo::fromHeaders(QStringLiteral("k"),
            plain + gls::sigv4::HeaderList{{"x-amz-server-side-encryption", "aws:kms"}}, &info, &error));
        QVERIFY(!info.etagIsMd5());
        QVERIFY(ObjectInfo::fromHeaders(QStringLiteral("k"),
            plain + gls::sigv4::HeaderList{{"x-amz-server-side-encryption", "aws:kms:dsse"}}, &info, &error));
        QVERIFY(!info.etagIsMd5());
        QVERIFY(ObjectInfo::fromHeaders(QStringLiteral("k"),
            plain + gls::sigv4::HeaderList{{"x-amz-server-side-encryption-customer-algorithm", "AES256"}}, &info,
            &error));
        QCOMPARE(info.encryption, QStringLiteral("SSE-C"));
        QVERIFY(!info.etagIsMd5());
    }
};

QTEST_GUILESS_MAIN(TestListObjectsV2Page)
#include "tst_listobjectsv2page.moc"
