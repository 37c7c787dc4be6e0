// CRC-64/NVME, the checksum S3 returns in x-amz-checksum-crc64nvme: the
// catalogue's check value, answers from AWS's own implementation, and a
// bit-at-a-time reference written from the catalogue's parameters, against
// both of our paths (the carry-less multiplication one and the table), fed in
// pieces of every awkward size at every alignment.

#include "Crc64Reference.h"
#include "s3/Crc64Nvme.h"

#include <QRandomGenerator>
#include <QTest>

using gls::s3::Crc64Nvme;
using gls::test::referenceCrc64Nvme;

namespace {

// The same bytes the AWS SDK for JavaScript was given for the answers below.
QByteArray pattern(qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char((i * 31 + (i / 128) * 17 + 5) & 255);
    return b;
}

QByteArray randomBytes(qsizetype n, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray b(n, Qt::Uninitialized);
    for (char &c : b)
        c = char(random.bounded(256));
    return b;
}

} // namespace

class TestCrc64Nvme : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("carry-less multiplication path on this CPU: %s", Crc64Nvme::accelerated() ? "yes" : "no");
    }

    void catalogueCheckValue()
    {
        QCOMPARE(Crc64Nvme::of("123456789"), 0xae8b14860a799888ull);
        QCOMPARE(Crc64Nvme::ofPortable("123456789"), 0xae8b14860a799888ull);
        QCOMPARE(referenceCrc64Nvme("123456789"), 0xae8b14860a799888ull);
    }

    // From @aws-sdk/crc64-nvme 3.972.51 (npm), on pattern(length): its digest's
    // bytes as hex, and base64 as S3's header carries them.
    void agreesWithTheAwsSdk_data()
    {
        QTest::addColumn<qsizetype>("length");
        QTest::addColumn<quint64>("expected");
        QTest::addColumn<QByteArray>("header");
        const struct {
            qsizetype length;
            quint64 crc;
            const char *base64;
        } answers[] = {
            {0, 0x0000000000000000ull, "AAAAAAAAAAA="},
            {1, 0x63d645fc4798b8deull, "Y9ZF/EeYuN4="},
            {8, 0x6ea3b5fc3eb515e5ull, "bqO1/D61FeU="},
            {15, 0xe455b09988bef84aull, "5FWwmYi++Eo="},
            {16, 0x58cc6022a2c4d71eull, "WMxgIqLE1x4="},
            {63, 0xd27f4bf31f1e2d87ull, "0n9L8x8eLYc="},
            {64, 0x5ba721b33dbacf7eull, "W6chsz26z34="},
            {65, 0xe16398ef5112212full, "4WOY71ESIS8="},
            {127, 0x1e6f19c05ba1ea43ull, "Hm8ZwFuh6kM="},
            {128, 0x9209d49296bfc636ull, "kgnUkpa/xjY="},
            {129, 0xbee534cdc04d2e59ull, "vuU0zcBNLlk="},
            {191, 0xa72af998c5d175d5ull, "pyr5mMXRddU="},
            {255, 0x040a3190dd367812ull, "BAoxkN02eBI="},
            {256, 0xdf25f82e101cb57eull, "3yX4LhActX4="},
            {1000, 0xaec7c291a0bf08edull, "rsfCkaC/CO0="},
            {4096, 0xa53c3e4ee91c2f7full, "pTw+TukcL38="},
            {65535, 0x11ab3c14e46874a1ull, "Eas8FORodKE="},
            {65536, 0x42d2c5f980e5c43full, "QtLF+YDlxD8="},
            {65537, 0x04788eea87d13ee8ull, "BHiO6ofRPug="},
            {1048589, 0x9598aaede76f8430ull, "lZiq7edvhDA="},
        };
        for (const auto &a : answers)
            QTest::addRow("%lld bytes", qlonglong(a.length)) << a.length << a.crc << QByteArray(a.base64);
    }

    void agreesWithTheAwsSdk()
    {
        QFETCH(qsizetype, length);
        QFETCH(quint64, expected);
        QFETCH(QByteArray, header);
        const QByteArray bytes = pattern(length);
        QCOMPARE(Crc64Nvme::of(bytes), expected);
        QCOMPARE(Crc64Nvme::ofPortable(bytes), expected);
        Crc64Nvme crc;
        crc.addData(bytes);
        QCOMPARE(crc.result().toBase64(), header);
        QCOMPARE(Crc64Nvme::toHeader(expected), header);
        if (length <= 65537) // the bit-at-a-time reference is slow
            QCOMPARE(referenceCrc64Nvme(bytes), expected);
    }

    // Every length up to a few folds, at every offset within 16 bytes: the
    // tails, the lanes and the start that is not aligned.
    void everyLengthAndAlignmentAgreesWithTheReference()
    {
        const QByteArray buffer = randomBytes(16 + 300, 1);
        for (qsizetype offset = 0; offset < 16; ++offset) {
            for (qsizetype length = 0; length <= 300; ++length) {
                const QByteArrayView bytes(buffer.constData() + offset, length);
                const quint64 expected = referenceCrc64Nvme(bytes);
                if (Crc64Nvme::of(bytes) != expected || Crc64Nvme::ofPortable(bytes) != expected)
                    QFAIL(qPrintable(QStringLiteral("offset %1, length %2: %3 / %4, reference %5")
                                         .arg(offset)
                                         .arg(length)
                                         .arg(Crc64Nvme::of(bytes), 16, 16, QLatin1Char('0'))
                                         .arg(Crc64Nvme::ofPortable(bytes), 16, 16, QLatin1Char('0'))
                                         .arg(expected, 16, 16, QLatin1Char('0'))));
            }
        }
    }

    // As a download feeds it: pieces of any size, the answer that of the whole.
    void piecesGiveTheAnswerOfTheWhole()
    {
        const QByteArray whole = randomBytes(3 * 1024 * 1024 + 77, 2);
        const quint64 expected = Crc64Nvme::ofPortable(whole);
        QCOMPARE(Crc64Nvme::of(whole), expected);
        QRandomGenerator random(3);
        for (int round = 0; round < 20; ++round) {
            Crc64Nvme crc;
            qsizetype at = 0;
            while (at < whole.size()) {
                // Mostly small and odd, sometimes a network-sized chunk.
                const qsizetype most = random.bounded(4) == 0 ? 300000 : 200;
                const qsizetype n = qMin(whole.size() - at, qsizetype(random.bounded(int(most))) + 1);
                crc.addData(QByteArrayView(whole).sliced(at, n));
                at += n;
            }
            QCOMPARE(crc.value(), expected);
        }
    }

    void resetStartsOver()
    {
        Crc64Nvme crc;
        crc.addData("something else first");
        crc.reset();
        crc.addData("123456789");
        QCOMPARE(crc.value(), 0xae8b14860a799888ull);
        QCOMPARE(crc.result().toHex(), QByteArray("ae8b14860a799888"));
    }

    // A CRC-64 detects every error burst of up to 64 bits: one flipped bit
    // anywhere in a megabyte changes the answer.
    void aFlippedBitChangesTheAnswer()
    {
        QByteArray bytes = randomBytes(1024 * 1024, 4);
        const quint64 before = Crc64Nvme::of(bytes);
        QRandomGenerator random(5);
        for (int i = 0; i < 200; ++i) {
            const int at = random.bounded(int(bytes.size()));
            const char bit = char(1 << random.bounded(8));
            bytes[at] = char(bytes[at] ^ bit);
            QVERIFY2(Crc64Nvme::of(bytes) != before, qPrintable(QStringLiteral("byte %1").arg(at)));
            bytes[at] = char(bytes[at] ^ bit);
        }
        QCOMPARE(Crc64Nvme::of(bytes), before);
    }
};

QTEST_GUILESS_MAIN(TestCrc64Nvme)
#include "tst_crc64nvme.moc"
