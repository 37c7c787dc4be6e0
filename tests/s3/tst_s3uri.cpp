// s3://bucket/key parsing and Amazon S3's bucket naming rules: each rule
// refuses with a message naming the field and the rule.

#include "s3/S3Uri.h"

#include <QTest>

using gls::s3::bucketNameProblem;
using gls::s3::parseS3Uri;
using gls::s3::S3Uri;

class TestS3Uri : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesBucketAndKey_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("folder");
        QTest::newRow("object") << "s3://gls-exports/qa/run 1.zip"
                                << "gls-exports"
                                << "qa/run 1.zip" << false;
        QTest::newRow("folder") << "s3://gls-exports/qa/"
                                << "gls-exports"
                                << "qa/" << true;
        QTest::newRow("bucket only") << "s3://gls-exports"
                                     << "gls-exports"
                                     << "" << true;
        QTest::newRow("bucket slash") << "s3://gls-exports/"
                                      << "gls-exports"
                                      << "" << true;
        QTest::newRow("dotted bucket") << "s3://my.bucket.example/a"
                                       << "my.bucket.example"
                                       << "a" << false;
        QTest::newRow("key keeps every character") << "s3://b-1/a//b/./c?d#e+%20"
                                                   << "b-1"
                                                   << "a//b/./c?d#e+%20" << false;
        QTest::newRow("unicode key") << QStringLiteral("s3://b-1/d\u00e9j\u00e0 vu.zip") << "b-1"
                                     << QStringLiteral("d\u00e9j\u00e0 vu.zip") << false;
    }

    void parsesBucketAndKey()
    {
        QFETCH(QString, text);
        QFETCH(QString, bucket);
        QFETCH(QString, key);
        QFETCH(bool, folder);
        S3Uri uri;
        QString error = QStringLiteral("stale");
        QVERIFY2(parseS3Uri(text, &uri, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(uri.bucket, bucket);
        QCOMPARE(uri.key, key);
        QCOMPARE(uri.isFolder(), folder);
        QCOMPARE(uri.toString(), QStringLiteral("s3://%1/%2").arg(bucket, key));
        S3Uri again;
        QVERIFY(parseS3Uri(uri.toString(), &again, &error));
        QCOMPARE(again.bucket, uri.bucket);
        QCOMPARE(again.key, uri.key);
    }

    void refusesWithTheFieldAndTheRule_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("no scheme") << "gls-exports/a.zip"
                                   << "--output: 'gls-exports/a.zip' is not an S3 URI; it must start with s3:// "
                                      "(s3://bucket/key)";
        QTest::newRow("other scheme") << "https://gls-exports/a.zip"
                                      << "--output: 'https://gls-exports/a.zip' is not an S3 URI; it must start "
                                         "with s3:// (s3://bucket/key)";
        QTest::newRow("upper-case scheme") << "S3://gls-exports/a.zip"
                                           << "--output: 'S3://gls-exports/a.zip' is not an S3 URI; it must start "
                                              "with s3:// (s3://bucket/key)";
        QTest::newRow("empty") << ""
                               << "--output: '' is not an S3 URI; it must start with s3:// (s3://bucket/key)";
        QTest::newRow("no bucket") << "s3://"
                                   << "--output: 's3://' names no bucket; write s3://bucket/key";
        QTest::newRow("no bucket, key") << "s3:///a.zip"
                                        << "--output: 's3:///a.zip' names no bucket; write s3://bucket/key";
        QTest::newRow("bad bucket") << "s3://My_Bucket/a.zip"
                                    << "--output: the bucket name 'My_Bucket' may only hold lowercase letters, digits, "
                                       "dots and hyphens";
        QTest::newRow("key too long")
            << "s3://gls-exports/" + QString(1025, QLatin1Char('k'))
            << "--output: the object key must be at most 1024 bytes long in UTF-8 (it has 1025)";
        QTest::newRow("key too long in UTF-8") << "s3://gls-exports/" + QString(513, QChar(0xe9))
                                               << "--output: the object key must be at most 1024 bytes long in UTF-8 "
                                                  "(it has 1026)";
    }

    void refusesWithTheFieldAndTheRule()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        S3Uri uri{QStringLiteral("untouched"), QStringLiteral("k")};
        QString error;
        QVERIFY(!parseS3Uri(text, &uri, &error, QStringLiteral("--output")));
        QCOMPARE(error, message);
        QCOMPARE(uri.bucket, QStringLiteral("untouched"));
    }

    void defaultFieldName()
    {
        QString error;
        QVERIFY(!parseS3Uri(QStringLiteral("s3://ab/x"), nullptr, &error));
        QCOMPARE(error, QStringLiteral("S3 URI: the bucket name 'ab' must be 3 to 63 characters long (it has 2)"));
    }

    void keyOfExactly1024BytesIsAccepted()
    {
        S3Uri uri;
        QString error;
        QVERIFY2(parseS3Uri("s3://gls-exports/" + QString(1024, QLatin1Char('k')), &uri, &error), qPrintable(error));
        QCOMPARE(uri.key.size(), 1024);
    }

    void validBucketNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("shortest") << "abc";
        QTest::newRow("longest") << QString(63, QLatin1Char('a'));
        QTest::newRow("digits") << "123";
        QTest::newRow("hyphens and dots") << "my-bucket.v2-logs";
        QTest::newRow("looks almost like an IP") << "192.168.5.4a";
        QTest::newRow("five numbers") << "1.2.3.4.5";
        QTest::newRow("xn-- inside") << "axn--b";
        QTest::newRow("s3alias not at the end") << "a-s3alias-b";
    }

    void validBucketNames()
    {
        QFETCH(QString, name);
        QCOMPARE(bucketNameProblem(name), QString());
    }

    void eachBucketRuleHasItsMessage_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");
        QTest::newRow("too short") << "ab"
                                   << "the bucket name 'ab' must be 3 to 63 characters long (it has 2)";
        QTest::newRow("empty") << ""
                               << "the bucket name '' must be 3 to 63 characters long (it has 0)";
        QTest::newRow("too long") << QString(64, QLatin1Char('a'))
                                  << "the bucket name '" + QString(64, QLatin1Char('a'))
                + "' must be 3 to 63 characters long (it has 64)";
        QTest::newRow("upper case") << "MyBucket"
                                    << "the bucket name 'MyBucket' may only hold lowercase letters, digits, dots and "
                                       "hyphens";
        QTest::newRow("underscore") << "my_bucket"
                                    << "the bucket name 'my_bucket' may only hold lowercase letters, digits, dots and "
                                       "hyphens";
        QTest::newRow("space") << "my bucket"
                               << "the bucket name 'my bucket' may only hold lowercase letters, digits, dots and "
                                  "hyphens";
        QTest::newRow("non-ASCII") << QStringLiteral("b\u00fccket")
                                   << QStringLiteral("the bucket name 'b\u00fccket' may only hold lowercase letters, "
                                                     "digits, dots and hyphens");
        QTest::newRow("starts with hyphen") << "-bucket"
                                            << "the bucket name '-bucket' must start and end with a lowercase letter "
                                               "or digit";
        QTest::newRow("ends with dot") << "bucket."
                                       << "the bucket name 'bucket.' must start and end with a lowercase letter or "
                                          "digit";
        QTest::newRow("adjacent dots") << "my..bucket"
                                       << "the bucket name 'my..bucket' must not hold two adjacent dots";
        QTest::newRow("IP address") << "192.168.5.4"
                                    << "the bucket name '192.168.5.4' must not be formatted as an IP address";
        QTest::newRow("IP-shaped") << "999.1.1.1"
                                   << "the bucket name '999.1.1.1' must not be formatted as an IP address";
        QTest::newRow("xn-- prefix") << "xn--bucket"
                                     << "the bucket name 'xn--bucket' must not start with 'xn--'";
        QTest::newRow("sthree- prefix") << "sthree-bucket"
                                        << "the bucket name 'sthree-bucket' must not start with 'sthree-'";
        QTest::newRow("sthree-configurator") << "sthree-configurator"
                                             << "the bucket name 'sthree-configurator' must not start with 'sthree-'";
        QTest::newRow("-s3alias suffix") << "bucket-s3alias"
                                         << "the bucket name 'bucket-s3alias' must not end with '-s3alias'";
        QTest::newRow("--ol-s3 suffix") << "bucket--ol-s3"
                                        << "the bucket name 'bucket--ol-s3' must not end with '--ol-s3'";
        // Found by fuzz_identifiers (fuzz/corpus/identifiers/regress-bucket-name-percent-arg): a chained
        // QString::arg() put the length into the name too ("the bucket name '2' ... (it has 2)").
        QTest::newRow("percent sign (fuzz)") << "%2"
                                             << "the bucket name '%2' must be 3 to 63 characters long (it has 2)";
    }

    void eachBucketRuleHasItsMessage()
    {
        QFETCH(QString, name);
        QFETCH(QString, message);
        QCOMPARE(bucketNameProblem(name), message);
    }
};

QTEST_GUILESS_MAIN(TestS3Uri)
#include "tst_s3uri.moc"
