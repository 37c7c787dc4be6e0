// aws::parseHttpDate: the three HTTP-date forms of RFC 9110 section 5.6.7, what
// it refuses, and agreement with the text Qt's C locale formats (the emulator's
// Date and Last-Modified headers are written that way).

#include "aws/HttpDate.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTest>

using namespace gls;

class TestHttpDate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEachForm_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QDateTime>("expected");
        const QDateTime rfcExample(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC);
        QTest::newRow("IMF-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << rfcExample;
        QTest::newRow("IMF-fixdate, blanks around") << QByteArray(" \tSun, 06 Nov 1994 08:49:37 GMT  ") << rfcExample;
        QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << rfcExample;
        QTest::newRow("asctime, one-digit day") << QByteArray("Sun Nov  6 08:49:37 1994") << rfcExample;
        QTest::newRow("asctime, zero-padded day") << QByteArray("Sun Nov 06 08:49:37 1994") << rfcExample;
        QTest::newRow("asctime, two-digit day")
            << QByteArray("Sat Nov 28 23:05:09 2026") << QDateTime(QDate(2026, 11, 28), QTime(23, 5, 9), Qt::UTC);
        QTest::newRow("S3's Last-Modified")
            << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << QDateTime(QDate(2015, 10, 21), QTime(7, 28), Qt::UTC);
        QTest::newRow("29 February of a leap year")
            << QByteArray("Thu, 29 Feb 2024 12:00:00 GMT") << QDateTime(QDate(2024, 2, 29), QTime(12, 0), Qt::UTC);
        QTest::newRow("leap second: the next instant")
            << QByteArray("Sat, 31 Dec 2016 23:59:60 GMT") << QDateTime(QDate(2017, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("every month name")
            << QByteArray("Mon, 01 Dec 2025 00:00:00 GMT") << QDateTime(QDate(2025, 12, 1), QTime(0, 0), Qt::UTC);
    }

    void readsEachForm()
    {
        QFETCH(QByteArray, value);
        QFETCH(QDateTime, expected);
        const QDateTime t = aws::parseHttpDate(value, QDate(2026, 11, 29));
        QVERIFY2(t.isValid(), value.constData());
        QCOMPARE(t, expected);
        QCOMPARE(t.timeSpec(), Qt::UTC);
    }

    void twoDigitYearsLookNoMoreThanFiftyYearsAhead_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QDate>("today");
        QTest::addColumn<int>("year");
        QTest::newRow("this century") << QByteArray("Friday, 27-Nov-26 10:00:00 GMT") << QDate(2026, 11, 29) << 2026;
        QTest::newRow("exactly 50 years ahead")
            << QByteArray("Wednesday, 01-Jan-76 10:00:00 GMT") << QDate(2026, 11, 29) << 2076;
        QTest::newRow("51 years ahead: the century before")
            << QByteArray("Saturday, 01-Jan-77 10:00:00 GMT") << QDate(2026, 11, 29) << 1977;
        QTest::newRow("from the 1990s") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << QDate(1999, 1, 1) << 1994;
        QTest::newRow("ahead, across a century")
            << QByteArray("Monday, 01-Jan-01 00:00:00 GMT") << QDate(1999, 1, 1) << 2001;
        QTest::newRow("49 years behind") << QByteArray("Friday, 01-Jan-60 00:00:00 GMT") << QDate(2009, 1, 1) << 1960;
        QTest::newRow("50 years behind: the century after")
            << QByteArray("Friday, 01-Jan-59 00:00:00 GMT") << QDate(2009, 1, 1) << 2059;
    }

    void twoDigitYearsLookNoMoreThanFiftyYearsAhead()
    {
        QFETCH(QByteArray, value);
        QFETCH(QDate, today);
        QFETCH(int, year);
        const QDateTime t = aws::parseHttpDate(value, today);
        QVERIFY2(t.isValid(), value.constData());
        QCOMPARE(t.date().year(), year);
    }

    void refusesWhatIsNotAnHttpDate_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("blanks") << QByteArray("   ");
        QTest::newRow("ISO 8601") << QByteArray("1994-11-06T08:49:37Z");
        QTest::newRow("numeric zone (RFC 2822, not HTTP)") << QByteArray("Sun, 06 Nov 1994 08:49:37 +0000");
        QTest::newRow("no zone") << QByteArray("Sun, 06 Nov 1994 08:49:37");
        QTest::newRow("lowercase names") << QByteArray("sun, 06 nov 1994 08:49:37 gmt");
        QTest::newRow("unknown day name") << QByteArray("Snu, 06 Nov 1994 08:49:37 GMT");
        QTest::newRow("unknown month") << QByteArray("Sun, 06 Nvo 1994 08:49:37 GMT");
        QTest::newRow("31 February") << QByteArray("Sat, 31 Feb 2026 08:49:37 GMT");
        QTest::newRow("29 February, not a leap year") << QByteArray("Sun, 29 Feb 2026 08:49:37 GMT");
        QTest::newRow("day 00") << QByteArray("Sun, 00 Nov 1994 08:49:37 GMT");
        QTest::newRow("hour 24") << QByteArray("Sun, 06 Nov 1994 24:00:00 GMT");
        QTest::newRow("minute 60") << QByteArray("Sun, 06 Nov 1994 08:60:00 GMT");
        QTest::newRow("second 61") << QByteArray("Sun, 06 Nov 1994 08:49:61 GMT");
        QTest::newRow("one-digit day in IMF-fixdate") << QByteArray("Sun, 6 Nov 1994 08:49:37 GMT");
        QTest::newRow("two-digit year in IMF-fixdate") << QByteArray("Sun, 06 Nov 94 08:49:37 GMT");
        QTest::newRow("no seconds") << QByteArray("Sun, 06 Nov 1994 08:49 GMT");
        QTest::newRow("something after GMT") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMTX");
        QTest::newRow("a second date after it") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994");
        QTest::newRow("long day name with IMF-fixdate") << QByteArray("Sunday, 06 Nov 1994 08:49:37 GMT");
        QTest::newRow("short day name with RFC 850") << QByteArray("Sun, 06-Nov-94 08:49:37 GMT");
        QTest::newRow("asctime with GMT") << QByteArray("Sun Nov  6 08:49:37 1994 GMT");
        QTest::newRow("asctime, two blanks before a two-digit day") << QByteArray("Sun Nov  16 08:49:37 1994");
        QTest::newRow("asctime, no year") << QByteArray("Sun Nov  6 08:49:37");
        QTest::newRow("cut short") << QByteArray("Sun, 06 Nov 19");
        QTest::newRow("sign in a number") << QByteArray("Sun, -6 Nov 1994 08:49:37 GMT");
        QTest::newRow("year 0000") << QByteArray("Sun, 06 Nov 0000 08:49:37 GMT");
        // Found by fuzz_http_date: the instant after it is in year 10000, which no HTTP-date can write.
        QTest::newRow("leap second at the end of 9999") << QByteArray("Fri, 31 Dec 9999 23:59:60 GMT");
    }

    void refusesWhatIsNotAnHttpDate()
    {
        QFETCH(QByteArray, value);
        const QDateTime t = aws::parseHttpDate(value, QDate(2026, 11, 29));
        QVERIFY2(!t.isValid(), qPrintable(t.toString(Qt::ISODate)));
    }

    // The emulator writes Date and Last-Modified with QLocale::c() and this
    // format; every instant it can write must read back to itself.
    void readsWhatQtsCLocaleWrites()
    {
        QRandomGenerator random(20261129);
        const qint64 from = QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
        const qint64 to = QDateTime(QDate(2199, 12, 31), QTime(23, 59, 59), Qt::UTC).toSecsSinceEpoch();
        for (int i = 0; i < 5000; ++i) {
            const QDateTime t = QDateTime::fromSecsSinceEpoch(random.bounded(from, to), Qt::UTC);
            const QByteArray text
                = QLocale::c().toString(t, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
            const QDateTime read = aws::parseHttpDate(text);
            if (read != t)
                QFAIL(qPrintable(
                    QStringLiteral("%1 read as %2").arg(QString::fromLatin1(text), read.toString(Qt::ISODate))));
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpDate)
#include "tst_httpdate.moc"
