// Validation before any request: every rule of the model for identifiers,
// OutputUri, MaxResults and the status filters, each refusal's message naming
// the field and the rule, and the edges (exact limits, the line feed inside
// [^:\n], characters counted as code points).

#include "gamelift/KnownValues.h"
#include "gamelift/Validation.h"

#include <QTest>

using namespace gls::gamelift;

namespace {

const QString kField = QStringLiteral("--stream-session");
const QString kGroupArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4");
const QString kSessionArn
    = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567");

} // namespace

class TestGameLiftValidation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validIdentifiers_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("group id") << QStringLiteral("sg-1AB2C3De4");
        QTest::newRow("session id") << QStringLiteral("ABC123def4567");
        QTest::newRow("one char") << QStringLiteral("a");
        QTest::newRow("hyphens") << QStringLiteral("---");
        QTest::newRow("group arn") << kGroupArn;
        QTest::newRow("session arn") << kSessionArn;
        // [^:\n] excludes ':' and a line feed, not the letter 'n' nor a backslash.
        QTest::newRow("arn with n") << QStringLiteral(
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-nnn");
        QTest::newRow("arn with backslash") << QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:a\\b");
        QTest::newRow("arn empty region") << QStringLiteral("arn:aws:gameliftstreams::111122223333:streamgroup/sg-1");
        QTest::newRow("arn empty resource") << QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:");
        QTest::newRow("128 characters") << QString(128, QLatin1Char('x'));
        // 128 code points, 130 UTF-16 units: Smithy counts characters.
        QTest::newRow("128 code points") << QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:")
                + QString::fromUtf8("\xF0\x9F\x8E\xAE\xF0\x9F\x8E\xAE") + QString(128 - 47 - 2, QLatin1Char('r'));
    }

    void validIdentifiers()
    {
        QFETCH(QString, value);
        QCOMPARE(identifierProblem(value, kField), QString());
    }

    void invalidIdentifiers_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << QString() << QStringLiteral("must not be empty");
        QTest::newRow("129 characters") << QString(129, QLatin1Char('x')) << QStringLiteral("at most 128 characters");
        QTest::newRow("long arn") << kSessionArn + QString(60, QLatin1Char('z'))
                                  << QStringLiteral("at most 128 characters");
        QTest::newRow("space") << QStringLiteral("sg 1") << QStringLiteral("neither an ID");
        QTest::newRow("underscore") << QStringLiteral("sg_1") << QStringLiteral("letters, digits and '-'");
        QTest::newRow("trailing line feed") << QStringLiteral("sg-1\n") << QStringLiteral("'sg-1\\n' is neither an ID");
        QTest::newRow("leading space") << QStringLiteral(" sg-1") << QStringLiteral("leading or trailing white space");
        QTest::newRow("arn line feed") << QStringLiteral(
            "arn:aws:gameliftstreams:us-west-2:111122223333:stream\ngroup/sg-1")
                                       << QStringLiteral("no ':' or line feed");
        QTest::newRow("arn trailing line feed") << kGroupArn + u'\n' << QStringLiteral("neither an ID");
        QTest::newRow("arn colon in resource") << kGroupArn + QStringLiteral(":x") << QStringLiteral("neither an ID");
        QTest::newRow("arn 11-digit account")
            << QStringLiteral("arn:aws:gameliftstreams:us-west-2:11112222333:sg") << QStringLiteral("12-digit ACCOUNT");
        QTest::newRow("arn other service")
            << QStringLiteral("arn:aws:s3:::my-bucket") << QStringLiteral("starts with arn:aws:gameliftstreams:");
        QTest::newRow("arn other partition")
            << QStringLiteral("arn:aws-cn:gameliftstreams:cn-north-1:111122223333:streamgroup/sg-1")
            << QStringLiteral("starts with arn:aws:gameliftstreams:");
        QTest::newRow("uppercase ARN prefix")
            << QStringLiteral("ARN:aws:gameliftstreams:us-west-2:111122223333:x") << QStringLiteral("neither an ID");
        QTest::newRow("slash in id") << QStringLiteral("sg-1/ABC") << QStringLiteral("neither an ID");
        QTest::newRow("control char") << QStringLiteral("sg-1\x01") << QStringLiteral("'sg-1\\u0001'");
    }

    void invalidIdentifiers()
    {
        QFETCH(QString, value);
        QFETCH(QString, rule);
        const QString problem = identifierProblem(value, kField);
        QVERIFY2(problem.startsWith(kField + QStringLiteral(": ")), qPrintable(problem));
        QVERIFY2(problem.contains(rule), qPrintable(problem));
        QVERIFY2(!problem.contains(u'\n'), "messages stay on one line");
    }

    void longValuesAreCutInMessages()
    {
        const QString problem = identifierProblem(QString(5000, QLatin1Char('q')), QStringLiteral("Identifier"));
        QVERIFY(problem.startsWith(QLatin1String("Identifier: must be at most 128 characters")));
        QVERIFY(problem.contains(QLatin1String("has 5000")));
        QVERIFY(problem.size() < 300);
    }

    void percentSignsInLongValuesStayAsTyped()
    {
        // A chained QString::arg() replaced "%4" inside the value with the length too.
        const QString value = QStringLiteral("%4") + QString(200, QLatin1Char('q'));
        const QString problem = identifierProblem(value, QStringLiteral("Identifier"));
        QVERIFY2(problem.contains(QLatin1String("'%4qqq")), qPrintable(problem));
        QVERIFY2(problem.endsWith(QLatin1String("has 202")), qPrintable(problem));
    }

    void validOutputUris_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("bucket root") << QStringLiteral("s3://gls-exports/");
        QTest::newRow("folder") << QStringLiteral("s3://gls-exports/qa/nightly/");
        QTest::newRow("zip") << QStringLiteral("s3://gls-exports/MyGame_Session1.zip");
        QTest::newRow("ZIP") << QStringLiteral("s3://gls-exports/qa/run-1.ZIP");
        QTest::newRow("dotted bucket") << QStringLiteral("s3://my.exports.bucket/x/");
        QTest::newRow("spaces in key") << QStringLiteral("s3://gls-exports/with space/");
        QTest::newRow("1024 characters") << QStringLiteral("s3://gls-exports/")
                + QString(1024 - 17 - 4, QLatin1Char('k')) + QStringLiteral(".zip");
    }

    void validOutputUris()
    {
        QFETCH(QString, value);
        QCOMPARE(outputUriProblem(value), QString());
    }

    void invalidOutputUris_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("rule");
        QTest::newRow("empty") << QString() << QStringLiteral("must not be empty");
        QTest::newRow("1025 characters") << QStringLiteral("s3://gls-exports/")
                + QString(1025 - 17 - 4, QLatin1Char('k'))
                + QStringLiteral(".zip") << QStringLiteral("at most 1,024 characters");
        QTest::newRow("https") << QStringLiteral("https://gls-exports/x.zip")
                               << QStringLiteral("must start with s3://");
        QTest::newRow("uppercase scheme")
            << QStringLiteral("S3://gls-exports/") << QStringLiteral("must start with s3://");
        QTest::newRow("no scheme") << QStringLiteral("gls-exports/x/") << QStringLiteral("must start with s3://");
        QTest::newRow("no bucket") << QStringLiteral("s3:///x/") << QStringLiteral("names no bucket");
        QTest::newRow("only scheme") << QStringLiteral("s3://") << QStringLiteral("names no bucket");
        QTest::newRow("bad bucket case") << QStringLiteral("s3://My_Bucket/x/")
                                         << QStringLiteral("the bucket name 'My_Bucket'");
        QTest::newRow("short bucket") << QStringLiteral("s3://ab/x.zip") << QStringLiteral("the bucket name 'ab'");
        QTest::newRow("ip bucket") << QStringLiteral("s3://192.168.1.1/x/")
                                   << QStringLiteral("the bucket name '192.168.1.1'");
        QTest::newRow("tar") << QStringLiteral("s3://gls-exports/x.tar") << QStringLiteral("must end with '/'");
        QTest::newRow("mixed case zip") << QStringLiteral("s3://gls-exports/x.Zip")
                                        << QStringLiteral("'.zip' or '.ZIP'");
        QTest::newRow("no ending") << QStringLiteral("s3://gls-exports") << QStringLiteral("must end with '/'");
        QTest::newRow("bucket only zip") << QStringLiteral("s3://gls-exports.zip")
                                         << QStringLiteral("names a bucket but no file");
        QTest::newRow("line feed") << QStringLiteral("s3://gls-exports/a\nb/")
                                   << QStringLiteral("must not contain a line break");
        QTest::newRow("carriage return") << QStringLiteral("s3://gls-exports/a\r/") << QStringLiteral("line break");
        QTest::newRow("line separator") << QStringLiteral("s3://gls-exports/a") + QChar(0x2028) + QStringLiteral("/")
                                        << QStringLiteral("line break");
    }

    void invalidOutputUris()
    {
        QFETCH(QString, value);
        QFETCH(QString, rule);
        const QString problem = outputUriProblem(value);
        QVERIFY2(problem.startsWith(QLatin1String("OutputUri: ")), qPrintable(problem));
        QVERIFY2(problem.contains(rule), qPrintable(problem));
        const QString named = outputUriProblem(value, QStringLiteral("--output"));
        QVERIFY2(named.startsWith(QLatin1String("--output: ")), qPrintable(named));
    }

    void maxResults_data()
    {
        QTest::addColumn<int>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("0") << 0 << false;
        QTest::newRow("1") << 1 << true;
        QTest::newRow("25") << 25 << true;
        QTest::newRow("100") << 100 << true;
        QTest::newRow("101") << 101 << false;
        QTest::newRow("-1") << -1 << false;
    }

    void maxResults()
    {
        QFETCH(int, value);
        QFETCH(bool, ok);
        const QString problem = maxResultsProblem(value);
        QCOMPARE(problem.isEmpty(), ok);
        if (!ok) {
            QVERIFY2(problem.startsWith(QLatin1String("MaxResults: must be from 1 to 100")), qPrintable(problem));
            QVERIFY(problem.contains(QString::number(value)));
            QVERIFY(maxResultsProblem(value, QStringLiteral("--page-size")).startsWith(QLatin1String("--page-size: ")));
        }
    }

    void statusFilters()
    {
        QCOMPARE(streamSessionStatusFilterProblem(QString()), QString());
        for (const QString &s : knownStreamSessionStatuses())
            QCOMPARE(streamSessionStatusFilterProblem(s), QString());
        for (const QString &s : knownExportFilesStatuses())
            QCOMPARE(exportFilesStatusFilterProblem(s), QString());

        const QString unknown = streamSessionStatusFilterProblem(QStringLiteral("FINISHED"));
        QVERIFY2(unknown.startsWith(QLatin1String("Status: 'FINISHED' is not a known stream session status")),
            qPrintable(unknown));
        QVERIFY2(
            unknown.contains(QLatin1String("known values: ACTIVATING, ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION, "
                                           "RECONNECTING, TERMINATING, TERMINATED, ERROR")),
            qPrintable(unknown));
        const QString lower = streamSessionStatusFilterProblem(QStringLiteral("active"));
        QVERIFY2(lower.contains(QLatin1String("did you mean ACTIVE?")), qPrintable(lower));

        const QString exportUnknown = exportFilesStatusFilterProblem(QStringLiteral("DONE"));
        QVERIFY2(
            exportUnknown.startsWith(QLatin1String("ExportFilesStatus: 'DONE' is not a known export files status")),
            qPrintable(exportUnknown));
        QVERIFY(exportUnknown.contains(QLatin1String("SUCCEEDED, FAILED, PENDING")));
        QVERIFY(
            exportFilesStatusFilterProblem(QStringLiteral("pending")).contains(QLatin1String("did you mean PENDING?")));

        // The caller may let a value this build does not know through...
        QCOMPARE(streamSessionStatusFilterProblem(QStringLiteral("HIBERNATING"), UnknownValues::Allow), QString());
        QCOMPARE(exportFilesStatusFilterProblem(QStringLiteral("ARCHIVED"), UnknownValues::Allow), QString());
        // ...but never a control character.
        const QString control = streamSessionStatusFilterProblem(QStringLiteral("ACTIVE\n"), UnknownValues::Allow);
        QVERIFY2(
            control.startsWith(QLatin1String("Status: 'ACTIVE\\n' holds a control character")), qPrintable(control));
        QVERIFY(exportFilesStatusFilterProblem(
            QStringLiteral("A\tB"), UnknownValues::Allow, QStringLiteral("--export-status"))
                    .startsWith(QLatin1String("--export-status: ")));
    }
};

QTEST_GUILESS_MAIN(TestGameLiftValidation)
#include "tst_gamelift_validation.moc"
