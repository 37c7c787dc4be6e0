// Unit tests for the pure SigV4 module (core/sigv4).
//
// Two kinds of expected values:
//  - the AWS SigV4 test suite (awslabs/aws-c-auth, tests/aws-signing-test-suite/v4),
//    kept under vectors/ and read at run time (vectors/README.md says where
//    each file came from; vectors/check_vectors.py re-checks them in Python);
//  - our own vectors for what the suite never covers (encoded ARN labels,
//    base64 NextToken values, S3 paths, presigned S3 URLs). Their expected
//    values were produced offline by botocore 1.43.11 with a fixed clock
//    (botocore.auth.SigV4Auth / S3SigV4Auth / S3SigV4QueryAuth over an
//    AWSRequest): see botocore_witness.py beside this file, which prints them.
//
// The credentials here are AWS's published example values, not secrets.

#include "SuiteVector.h"
#include "TestSigV4.h"
#include "sigv4/SigV4.h"
#include "sigv4/SigningKeyCache.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <cctype>

using namespace gls::sigv4;
using gls::sigv4::test::kExampleKeyId;
using gls::sigv4::test::SuiteCase;

namespace {

const QByteArray kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Our own vectors' fixed clock and session token (botocore_witness.py).
const QDateTime kWitnessTime(QDate(2024, 11, 5), QTime(8, 9, 10), Qt::UTC);
const QByteArray kWitnessToken = "IQoJb3JpZ2luX2VjEXAMPLE/session+token==";
const QByteArray kGameLiftHost = "gameliftstreams.us-west-2.amazonaws.com";
// ARN labels as they travel on the wire: every byte outside the unreserved
// set percent-encoded once, so the ARN's '/' is %2F and stays one segment.
const QByteArray kStreamGroupLabel =
    "arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4";
const QByteArray kStreamSessionLabel = "arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3A"
                                       "streamsession%2Fsg-1AB2C3De4%2FABC123def4567";

const QStringList kHeaderCases = {
    QStringLiteral("get-vanilla"),
    QStringLiteral("get-vanilla-query-order-key-case"),
    QStringLiteral("get-unreserved"),
    QStringLiteral("get-vanilla-query-unreserved"),
    QStringLiteral("get-utf8"),
    QStringLiteral("get-vanilla-utf8-query"),
    QStringLiteral("get-space"),
    QStringLiteral("get-slash"),
    QStringLiteral("get-slashes"),
    QStringLiteral("get-relative"),
    QStringLiteral("get-relative-relative"),
    QStringLiteral("get-slash-dot-slash"),
    QStringLiteral("get-header-key-duplicate"),
    QStringLiteral("get-header-value-order"),
    QStringLiteral("get-header-value-multiline"),
    QStringLiteral("get-header-value-trim"),
    QStringLiteral("post-header-key-case"),
    QStringLiteral("post-header-key-sort"),
    QStringLiteral("post-sts-header-before"),
    QStringLiteral("post-sts-header-after"),
    QStringLiteral("post-x-www-form-urlencoded"),
    QStringLiteral("post-x-www-form-urlencoded-parameters"),
    QStringLiteral("post-vanilla-empty-query-value"),
};

const QStringList kQueryCases = {
    QStringLiteral("get-vanilla"),
    QStringLiteral("get-vanilla-query-order-key-case"),
    QStringLiteral("post-vanilla-empty-query-value"),
};

QByteArray headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (n == name)
            return v;
    }
    return {};
}

QByteArray signatureOf(const QByteArray &authorization)
{
    const qsizetype at = authorization.indexOf("Signature=");
    return at < 0 ? QByteArray() : authorization.mid(at + 10);
}

QByteArray queryOfRequestLine(const QByteArray &requestText)
{
    const QByteArray line = requestText.left(requestText.indexOf('\n'));
    const qsizetype question = line.indexOf('?');
    const qsizetype version = line.lastIndexOf(" HTTP/1.1");
    return question < 0 ? QByteArray() : line.mid(question + 1, version - question - 1);
}

} // namespace

void TestSigV4::emptyPayloadHash()
{
    QCOMPARE(sha256Hex(""), kEmptyPayloadHash.toByteArray());
    QCOMPARE(sha256Hex(QByteArray()), kEmptyPayloadHash.toByteArray());
}

void TestSigV4::sha256AndHmac()
{
    QCOMPARE(sha256Hex("abc"), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    // RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
    QCOMPARE(hmacSha256(QByteArray(20, '\x0b'), "Hi There").toHex(),
             QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    QCOMPARE(hmacSha256("Jefe", "what do ya want for nothing?").toHex(),
             QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    QCOMPARE(hmacSha256(QByteArray(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First").toHex(),
             QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

// The signer pads the last block itself (Sha256Engine::finishWith): every
// message length across the first blocks' edges (55/56, 63/64, 119/120 bytes
// with the HMAC's 64-byte pad before them), against Qt's own SHA-256 and HMAC,
// through the plain functions and through a key cache's prepared key.
void TestSigV4::digestsAtEveryLengthAroundTheBlocks()
{
    QByteArray message;
    for (int i = 0; i < 300; ++i)
        message.append(char((i * 131 + 7) & 0xFF));
    const Scope scope{"20241105", "us-west-2", "gameliftstreams"};
    SigningKeyCache keys;
    for (qsizetype n = 0; n <= message.size(); ++n) {
        const QByteArray m = message.first(n);
        QCOMPARE(sha256Hex(m), QCryptographicHash::hash(m, QCryptographicHash::Sha256).toHex());
        for (const qsizetype keyLength : {0, 1, 32, 64, 65, 131}) {
            const QByteArray key = message.right(keyLength);
            QCOMPARE(hmacSha256(key, m), QMessageAuthenticationCode::hash(m, key, QCryptographicHash::Sha256));
        }
        const QByteArray signingKeyBytes = signingKey(kExampleSecret, scope);
        QByteArray cached;
        keys.appendSignature(cached, kExampleSecret, scope, m);
        QCOMPARE(cached, QMessageAuthenticationCode::hash(m, signingKeyBytes, QCryptographicHash::Sha256).toHex());
    }
}

void TestSigV4::signingKeyDerivation()
{
    // The worked example in AWS's "Deriving the signing key" documentation.
    const QByteArray key = signingKey(kExampleSecret, {"20120215", "us-east-1", "iam"});
    QCOMPARE(key.toHex(), QByteArray("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"));
    QCOMPARE((Scope{"20150830", "us-east-1", "service"}.toString()),
             QByteArray("20150830/us-east-1/service/aws4_request"));
}

void TestSigV4::uriEncoding()
{
    QCOMPARE(uriEncode("AZaz09-._~"), QByteArray("AZaz09-._~"));
    QCOMPARE(uriEncode("a b+c=d/e:f"), QByteArray("a%20b%2Bc%3Dd%2Fe%3Af"));
    QCOMPARE(uriEncode("/a b/c", false), QByteArray("/a%20b/c"));
    QCOMPARE(uriEncode("%"), QByteArray("%25"));
    QCOMPARE(uriEncode("\xe1\x88\xb4"), QByteArray("%E1%88%B4"));
    QCOMPARE(uriEncode(QByteArray("\0", 1)), QByteArray("%00"));
    QCOMPARE(uriEncode(""), QByteArray(""));
}

// The encoder copies clean 16-byte runs whole and encodes the rest four bytes
// at a time: every length around those steps, every byte value, each escape
// at every position, against the rule written out byte by byte.
void TestSigV4::uriEncodingAtEveryLength()
{
    const auto reference = [](QByteArrayView in, bool encodeSlash) {
        QByteArray out;
        for (const char c : in) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || (!encodeSlash && c == '/'))
                out.append(c);
            else
                out.append('%').append("0123456789ABCDEF"[u >> 4]).append("0123456789ABCDEF"[u & 0xF]);
        }
        return out;
    };
    QByteArray everyByte;
    for (int b = 0; b < 256; ++b)
        everyByte.append(char(b));
    QCOMPARE(uriEncode(everyByte), reference(everyByte, true));
    QCOMPARE(uriEncode(everyByte, false), reference(everyByte, false));

    quint32 x = 1;
    for (int length = 0; length <= 70; ++length) {
        for (int at = 0; at < qMax(1, length); ++at) {
            // Unreserved filler with one byte to escape at `at`, and a mix.
            QByteArray one(length, 'a');
            QByteArray mixed(length, Qt::Uninitialized);
            for (int i = 0; i < length; ++i) {
                one[i] = "AZaz09-._~"[(i + at) % 10];
                x = x * 1664525u + 1013904223u;
                mixed[i] = (x >> 28) < 3 ? "%/ :"[(x >> 8) & 3] : char('a' + (x >> 16) % 26);
            }
            if (length > 0)
                one[at] = "%/ \xff"[at % 4];
            for (const bool slash : {true, false}) {
                QCOMPARE(uriEncode(one, slash), reference(one, slash));
                QCOMPARE(uriEncode(mixed, slash), reference(mixed, slash));
            }
        }
    }
}

void TestSigV4::percentDecoding()
{
    QCOMPARE(percentDecode("a%20b%2Bc%2fd"), QByteArray("a b+c/d"));
    QCOMPARE(percentDecode("a+b"), QByteArray("a+b")); // '+' is not a space in SigV4
    QCOMPARE(percentDecode("%E1%88%B4"), QByteArray("\xe1\x88\xb4"));
    // Malformed escapes stay as they are.
    QCOMPARE(percentDecode("%"), QByteArray("%"));
    QCOMPARE(percentDecode("%4"), QByteArray("%4"));
    QCOMPARE(percentDecode("%zz%41"), QByteArray("%zzA"));
    QCOMPARE(percentDecode("100%"), QByteArray("100%"));
}

void TestSigV4::amzDates()
{
    const QDateTime t(QDate(2015, 8, 30), QTime(12, 36, 0), Qt::UTC);
    QCOMPARE(amzDate(t), QByteArray("20150830T123600Z"));
    QCOMPARE(amzDate(t.toOffsetFromUtc(2 * 3600)), QByteArray("20150830T123600Z"));
    QCOMPARE(amzDate(QDateTime()), QByteArray());
    QCOMPARE(amzDate(QDateTime(QDate(2015, 8, 30), QTime(12, 36, 0, 999), Qt::UTC)), QByteArray("20150830T123600Z"));
    QCOMPARE(amzDate(QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 500), Qt::UTC)), QByteArray("19691231T235959Z"));
    QCOMPARE(amzDate(QDateTime(QDate(2024, 2, 29), QTime(0, 0), Qt::UTC)), QByteArray("20240229T000000Z"));
    // The epoch arithmetic agrees with Qt's calendar across two centuries.
    for (qint64 s = QDateTime(QDate(1901, 1, 1), QTime(0, 0), Qt::UTC).toSecsSinceEpoch(); s < 4102444800;
         s += 86400 * 13 + 3607) {
        const QDateTime t = QDateTime::fromSecsSinceEpoch(s, Qt::UTC);
        QCOMPARE(amzDate(t), t.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1());
    }
    QCOMPARE(parseAmzDate("20150830T123600Z"), t);
    QCOMPARE(parseAmzDate("20150830T123600Z").timeSpec(), Qt::UTC);
    QVERIFY(!parseAmzDate("20151330T123600Z").isValid());
    QVERIFY(!parseAmzDate("20150830T253600Z").isValid());
    QVERIFY(!parseAmzDate("2015-08-30T12:36:00Z").isValid());
    QVERIFY(!parseAmzDate("20150830T123600").isValid());
    QVERIFY(!parseAmzDate("").isValid());
}

void TestSigV4::canonicalPathRules_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("s3");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray() << false << QByteArray("/");
    QTest::newRow("root") << QByteArray("/") << false << QByteArray("/");
    QTest::newRow("double slash") << QByteArray("//") << false << QByteArray("/");
    QTest::newRow("dots") << QByteArray("/a/./b/../c") << false << QByteArray("/a/c");
    QTest::newRow("dotdot at end") << QByteArray("/a/b/..") << false << QByteArray("/a");
    QTest::newRow("dotdot then slash") << QByteArray("/a/b/../") << false << QByteArray("/a/");
    QTest::newRow("dotdot above root") << QByteArray("/../a") << false << QByteArray("/a");
    QTest::newRow("trailing slash kept") << QByteArray("/a//b//") << false << QByteArray("/a/b/");
    QTest::newRow("percent re-encoded") << QByteArray("/a%3Ab%2Fc") << false << QByteArray("/a%253Ab%252Fc");
    QTest::newRow("dot-like label") << QByteArray("/.../a.b") << false << QByteArray("/.../a.b");
    QTest::newRow("s3 empty") << QByteArray() << true << QByteArray("/");
    QTest::newRow("s3 as sent") << QByteArray("/b/a%20b//./c") << true << QByteArray("/b/a%20b//./c");
}

void TestSigV4::canonicalPathRules()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, s3);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonicalPath(wire, s3 ? PathStyle::S3 : PathStyle::Normalized), expected);
}

// canonicalPath takes a shortcut for a path with nothing to drop (no empty,
// "." or ".." segment): it encodes it whole. Thousands of generated paths,
// plain and not, short and past the encoder's 32-byte steps, must come out as
// the segment rules written out plainly here would have them.
void TestSigV4::canonicalPathMatchesSegmentRules()
{
    const auto encode = [](QByteArrayView in) {
        QByteArray out;
        for (const char c : in) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~')
                out.append(c);
            else
                out.append('%').append("0123456789ABCDEF"[u >> 4]).append("0123456789ABCDEF"[u & 0xF]);
        }
        return out;
    };
    const auto reference = [&](const QByteArray &path) {
        QList<QByteArray> kept;
        for (const QByteArray &segment : path.split('/')) {
            if (segment.isEmpty() || segment == ".")
                continue;
            if (segment == "..") {
                if (!kept.isEmpty())
                    kept.removeLast();
                continue;
            }
            kept.append(encode(segment));
        }
        QByteArray out;
        for (const QByteArray &segment : kept)
            out += '/' + segment;
        if (out.isEmpty() || path.endsWith('/'))
            out += '/';
        return out;
    };
    const QByteArrayList pieces{"", ".", "..", ".config", "a.", "...", "streamgroups",
        "arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4", "a b", "~x_y-z",
        "\xe2\x82\xac", "%", "x"};
    quint32 x = 7;
    const auto next = [&x](quint32 n) {
        x = x * 1664525u + 1013904223u;
        return (x >> 8) % n;
    };
    int plain = 0;
    for (int i = 0; i < 5000; ++i) {
        QByteArray path = next(8) ? "/" : "";
        const quint32 segments = next(7);
        for (quint32 k = 0; k < segments; ++k) {
            // Mostly ordinary segments, so that plain paths are common too.
            path += next(3) ? pieces[6 + qsizetype(next(pieces.size() - 6))] : pieces[qsizetype(next(6))];
            if (k + 1 < segments || next(4) == 0)
                path += '/';
        }
        const bool isPlain = path.startsWith('/') && !path.contains("//") && !path.contains("/.");
        plain += isPlain ? 1 : 0;
        QCOMPARE(canonicalPath(path, PathStyle::Normalized), reference(path));
    }
    QVERIFY2(plain > 1000 && plain < 4000, qPrintable(QString::number(plain) + " plain paths of 5000"));
}

// A query value already in canonical form (uppercase escapes of bytes that
// need them, nothing else escaped) is used as it is; any other is decoded and
// encoded again. The check looks at 16 bytes at a time: values of every length
// up to 70, with well-formed and malformed escapes at every position, must
// come out as decoding and encoding them would.
void TestSigV4::canonicalQueryValueAtEveryLength()
{
    const QByteArrayList pieces{
        "a", "Z", "0", "-", "~", "%2B", "%2F", "%3D", "%2b", "%41", "%7E", "%", "%4", "+", "=", "/", " "};
    quint32 x = 3;
    const auto next = [&x](quint32 n) {
        x = x * 1664525u + 1013904223u;
        return (x >> 8) % n;
    };
    int asIs = 0;
    for (int length = 0; length <= 70; ++length) {
        for (int round = 0; round < 40; ++round) {
            QByteArray value;
            while (value.size() < length) {
                // Mostly unreserved bytes and canonical escapes; now and then one that is not.
                const quint32 pick = next(20);
                value += pick < 8 ? pieces[qsizetype(pick % 4)]
                    : pick < 16   ? pieces[qsizetype(4 + pick % 4)]
                                  : pieces[qsizetype(8 + next(quint32(pieces.size() - 8)))];
            }
            const QByteArray expected = "k=" + uriEncode(percentDecode(value));
            asIs += expected == "k=" + value ? 1 : 0;
            QCOMPARE(canonicalQuery("k=" + value), expected);
        }
    }
    QVERIFY2(asIs > 300 && asIs < 2500, qPrintable(QString::number(asIs) + " values of 2840 canonical as they were"));
}

void TestSigV4::canonicalQueryRules_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("excludeSignature");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty") << QByteArray() << true << QByteArray();
    QTest::newRow("sorted by key") << QByteArray("b=2&a=1") << true << QByteArray("a=1&b=2");
    QTest::newRow("then by value") << QByteArray("a=2&a=10&a=1") << true << QByteArray("a=1&a=10&a=2");
    QTest::newRow("upper before lower") << QByteArray("a=1&B=1&A=1") << true << QByteArray("A=1&B=1&a=1");
    // Sorting the joined "k=v" strings would put "a-b=1" first ('-' < '=').
    QTest::newRow("pairs not strings") << QByteArray("a-b=1&a=z") << true << QByteArray("a=z&a-b=1");
    QTest::newRow("no value") << QByteArray("key") << true << QByteArray("key=");
    QTest::newRow("empty value") << QByteArray("key=") << true << QByteArray("key=");
    QTest::newRow("empty pairs skipped") << QByteArray("a=1&&b=2&") << true << QByteArray("a=1&b=2");
    QTest::newRow("value with '='") << QByteArray("a=b=c") << true << QByteArray("a=b%3Dc");
    QTest::newRow("re-encoded") << QByteArray("sp=a b&plus=a+b&t=%7e&u=%2f") << true
                                << QByteArray("plus=a%2Bb&sp=a%20b&t=~&u=%2F");
    QTest::newRow("lowercase hex") << QByteArray("a=%2b") << true << QByteArray("a=%2B");
    QTest::newRow("malformed escape") << QByteArray("a=%zz") << true << QByteArray("a=%25zz");
    QTest::newRow("signature dropped") << QByteArray("X-Amz-Signature=abc&a=1") << true << QByteArray("a=1");
    QTest::newRow("signature kept") << QByteArray("X-Amz-Signature=abc&a=1") << false
                                    << QByteArray("X-Amz-Signature=abc&a=1");
}

void TestSigV4::canonicalQueryRules()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, excludeSignature);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonicalQuery(wire, excludeSignature), expected);
}

void TestSigV4::canonicalHeaderRules()
{
    const HeaderList headers = {
        {"Host", "example.com"},  {"X-Amz-Date", "20150830T123600Z"},
        {"My-Header", "  a   b\tc "}, {"my-header", "d"},
        {"Folded", "one\r\n   two \n\tthree"}, {"Unsigned", "x"}, {"Lead", "\n  x  "}, {"Empty", ""},
    };
    QCOMPARE(canonicalHeaders(headers, {"my-header", "HOST", "folded", "x-amz-date", "lead", "empty"}),
             QByteArray("empty:\nfolded:one,two,three\nhost:example.com\nlead:x\nmy-header:a b c,d\n"
                        "x-amz-date:20150830T123600Z\n"));
    QCOMPARE(signedHeadersList({"X-Amz-Date", "host", "Content-Type", "host"}),
             QByteArray("content-type;host;x-amz-date"));

    // Values of 16 bytes and more are copied and checked 16 at a time: a blank
    // in any position of a long value, or a line break in its last byte, still
    // takes the trimming path.
    for (const int length : {15, 16, 17, 31, 32, 33, 760}) {
        for (const int at : {0, 1, length / 2, length - 2, length - 1}) {
            QByteArray value(length, 'v');
            QCOMPARE(canonicalHeaders({{"long", value}}, {"long"}), "long:" + value + '\n');
            value[at] = at % 2 ? '\n' : ' ';
            QByteArray expected;
            const QByteArray before = value.left(at);
            const QByteArray after = value.mid(at + 1);
            if (value[at] == ' ')
                expected = before.isEmpty() || after.isEmpty() ? before + after : before + ' ' + after;
            else
                expected = before.isEmpty() || after.isEmpty() ? before + after : before + ',' + after;
            QCOMPARE(canonicalHeaders({{"long", value}}, {"long"}), "long:" + expected + '\n');
        }
    }
}

void TestSigV4::suiteHeaderForm_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : kHeaderCases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestSigV4::suiteHeaderForm()
{
    QFETCH(QString, name);
    SuiteCase c;
    QString error;
    QVERIFY2(gls::sigv4::test::loadSuiteCase(name, &c, &error), qPrintable(error));
    bool ok = false;
    const QByteArray expectedCanonical = gls::sigv4::test::readVectorFile(name, "header-canonical-request.txt", &ok);
    QVERIFY(ok);
    const QByteArray expectedStringToSign = gls::sigv4::test::readVectorFile(name, "header-string-to-sign.txt", &ok);
    QVERIFY(ok);
    const QByteArray expectedSignature = gls::sigv4::test::readVectorFile(name, "header-signature.txt", &ok).trimmed();
    QVERIFY(ok);

    // request.txt's path goes in as the wire path unchanged (see SuiteRequest
    // in SuiteVector.h): aws-c-auth, with the double-URI-encode flag it uses
    // for every service but S3, encodes those bytes once, as canonicalPath()
    // encodes a wire path once more. So get-utf8's raw path comes out as
    // /%E1%88%B4 and get-space's as /example%20space/. Pre-encoding the path
    // with uriEncode(path, false) would give /example%2520space/, the right
    // answer for a server that received "%20" but not the suite's.
    SigningRequest req;
    req.method = c.request.method;
    req.wirePath = c.request.path;
    req.wireQuery = c.request.query;
    req.host = c.request.host;
    req.headers = c.request.headers;
    // S3 signs the path as sent; so does a case with "normalize": false (the
    // suite's *-unnormalized cases, not in this list, would also need the
    // extra encoding pass that PathStyle::S3 leaves out).
    const bool s3Path = !c.context.normalize || c.context.scope.service == "s3";
    req.pathStyle = s3Path ? PathStyle::S3 : PathStyle::Normalized;
    req.payloadHash = kEmptyPayloadHash.toByteArray();
    if (c.context.signBody) {
        // sign_body: aws-c-auth sends and signs x-amz-content-sha256 = SHA-256 of the body.
        req.payloadHash = sha256Hex(c.request.body);
        req.headers.append({"x-amz-content-sha256", req.payloadHash});
    }
    Credentials creds = c.context.credentials;
    if (c.context.omitSessionToken)
        creds.sessionToken.clear(); // the token is added after signing, unsigned

    const SignedHeaders signedHeaders = signHeaders(req, creds, c.context.scope, c.context.time);
    QCOMPARE(signedHeaders.canonicalRequest, expectedCanonical);
    QCOMPARE(signedHeaders.stringToSign, expectedStringToSign);
    const QByteArray authorization = headerValue(signedHeaders.headers, "authorization");
    QCOMPARE(signatureOf(authorization), expectedSignature);

    // The verifier's path: every header that arrived, the names it lists.
    AuthorizationHeader parsed;
    QByteArray authError;
    QVERIFY2(parseAuthorization(authorization, &parsed, &authError), authError.constData());
    CanonicalRequestInput in;
    in.method = c.request.method;
    in.wirePath = c.request.path;
    in.wireQuery = c.request.query;
    in.headers = signedHeaders.headers;
    in.signedNames = parsed.signedNames;
    in.payloadHash = req.payloadHash;
    in.pathStyle = req.pathStyle;
    const QByteArray canonical = canonicalRequest(in);
    QCOMPARE(canonical, expectedCanonical);
    const QByteArray toSign = stringToSign("20150830T123600Z", parsed.scope, canonical);
    QCOMPARE(toSign, expectedStringToSign);
    QCOMPARE(signature(signingKey(c.context.credentials.secretAccessKey, parsed.scope), toSign),
             expectedSignature);

    // A pre-encoded query canonicalises the same as the suite's raw one.
    QByteArray encodedQuery;
    for (const QByteArray &pair : c.request.query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (!encodedQuery.isEmpty())
            encodedQuery.append('&');
        encodedQuery.append(uriEncode(eq < 0 ? pair : pair.left(eq)));
        if (eq >= 0)
            encodedQuery.append('=').append(uriEncode(pair.mid(eq + 1)));
    }
    QCOMPARE(canonicalQuery(encodedQuery), canonicalQuery(c.request.query));
}

void TestSigV4::suiteQueryForm_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : kQueryCases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestSigV4::suiteQueryForm()
{
    // The presigned form of the suite's cases, checked from the verifier's
    // side: the published signed URL goes in, X-Amz-Signature is left out of
    // the canonical query, and the signature must come out again. aws-c-auth
    // presigns non-S3 services with the empty-body hash, not UNSIGNED-PAYLOAD.
    QFETCH(QString, name);
    SuiteCase c;
    QString error;
    QVERIFY2(gls::sigv4::test::loadSuiteCase(name, &c, &error), qPrintable(error));
    bool ok = false;
    const QByteArray signedRequest = gls::sigv4::test::readVectorFile(name, "query-signed-request.txt", &ok);
    QVERIFY(ok);
    const QByteArray expectedCanonical = gls::sigv4::test::readVectorFile(name, "query-canonical-request.txt", &ok);
    QVERIFY(ok);
    const QByteArray expectedStringToSign = gls::sigv4::test::readVectorFile(name, "query-string-to-sign.txt", &ok);
    QVERIFY(ok);
    const QByteArray expectedSignature = gls::sigv4::test::readVectorFile(name, "query-signature.txt", &ok).trimmed();
    QVERIFY(ok);

    const QByteArray wireQuery = queryOfRequestLine(signedRequest);
    PresignedQuery presigned;
    QByteArray parseError;
    QVERIFY2(parsePresignedQuery(wireQuery, &presigned, &parseError), parseError.constData());
    QCOMPARE(presigned.accessKeyId, kExampleKeyId);
    QCOMPARE(presigned.scope.toString(), QByteArray("20150830/us-east-1/service/aws4_request"));
    QCOMPARE(presigned.amzDate, QByteArray("20150830T123600Z"));
    QCOMPARE(presigned.expiresSeconds, c.context.expiresSeconds);
    QCOMPARE(presigned.signedNames, QList<QByteArray>{"host"});
    QCOMPARE(presigned.signature, expectedSignature);
    QVERIFY(presigned.securityToken.isEmpty());

    CanonicalRequestInput in;
    in.method = c.request.method;
    in.wirePath = c.request.path;
    in.wireQuery = wireQuery;
    in.headers = {{"Host", c.request.host}};
    in.signedNames = presigned.signedNames;
    in.payloadHash = kEmptyPayloadHash.toByteArray();
    const QByteArray canonical = canonicalRequest(in);
    QCOMPARE(canonical, expectedCanonical);
    const QByteArray toSign = stringToSign(presigned.amzDate, presigned.scope, canonical);
    QCOMPARE(toSign, expectedStringToSign);
    QCOMPARE(signature(signingKey(c.context.credentials.secretAccessKey, presigned.scope), toSign),
             expectedSignature);
}

void TestSigV4::gameLiftArnPath()
{
    // GetStreamSession with both ARN labels encoded once on the wire; with a
    // session token. Expected values: botocore SigV4Auth (botocore_witness.py).
    SigningRequest req;
    req.method = "GET";
    req.wirePath = "/streamgroups/" + kStreamGroupLabel + "/streamsessions/" + kStreamSessionLabel;
    req.host = kGameLiftHost;
    req.payloadHash = kEmptyPayloadHash.toByteArray();
    const Credentials creds{kExampleKeyId, kExampleSecret, kWitnessToken};
    const SignedHeaders out = signHeaders(req, creds, {"20241105", "us-west-2", "gameliftstreams"}, kWitnessTime);

    QVERIFY(canonicalPath(req.wirePath, PathStyle::Normalized)
                .contains("/streamgroups/arn%253Aaws%253Agameliftstreams%253Aus-west-2%253A111122223333%253A"
                          "streamgroup%252Fsg-1AB2C3De4/streamsessions/"));
    QCOMPARE(out.canonicalRequest,
             QByteArray("GET\n"
                        "/streamgroups/arn%253Aaws%253Agameliftstreams%253Aus-west-2%253A111122223333%253A"
                        "streamgroup%252Fsg-1AB2C3De4/streamsessions/arn%253Aaws%253Agameliftstreams%253A"
                        "us-west-2%253A111122223333%253Astreamsession%252Fsg-1AB2C3De4%252FABC123def4567\n"
                        "\n"
                        "host:gameliftstreams.us-west-2.amazonaws.com\n"
                        "x-amz-date:20241105T080910Z\n"
                        "x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLE/session+token==\n"
                        "\n"
                        "host;x-amz-date;x-amz-security-token\n"
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(out.stringToSign,
             QByteArray("AWS4-HMAC-SHA256\n20241105T080910Z\n20241105/us-west-2/gameliftstreams/aws4_request\n"
                        "d359bcfb6d961d0223a293f4fc78b744e218cb25e3c73a16064bd302e1961d63"));
    QCOMPARE(headerValue(out.headers, "authorization"),
             QByteArray("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241105/us-west-2/gameliftstreams/aws4_request, "
                        "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                        "Signature=cd9553f8e56930581faa138ec3d4f2ba36cd1590f87391e47fe00b22cb5ae3ec"));
}

void TestSigV4::nextTokenQuery()
{
    // ListStreamSessions with an opaque base64 NextToken ("AbC+dEf/GhI=jK==").
    // Expected values: botocore SigV4Auth (botocore_witness.py).
    const QByteArray wireQuery = "Status=ACTIVE&NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D&MaxResults=25";
    const QByteArray expectedQuery = "MaxResults=25&NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D&Status=ACTIVE";
    QCOMPARE(canonicalQuery(wireQuery), expectedQuery);
    // Had '+', '/' and '=' gone out literally, the canonical form is the same.
    QCOMPARE(canonicalQuery("Status=ACTIVE&NextToken=AbC+dEf/GhI=jK==&MaxResults=25"), expectedQuery);
    // Lowercase hex on the wire canonicalises to uppercase.
    QCOMPARE(canonicalQuery("NextToken=AbC%2bdEf%2fGhI%3djK%3d%3d"),
             QByteArray("NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D"));

    SigningRequest req;
    req.method = "GET";
    req.wirePath = "/streamgroups/" + kStreamGroupLabel + "/streamsessions";
    req.wireQuery = wireQuery;
    req.host = kGameLiftHost;
    req.payloadHash = kEmptyPayloadHash.toByteArray();
    const Scope scope{"20241105", "us-west-2", "gameliftstreams"};
    const SignedHeaders out = signHeaders(req, {kExampleKeyId, kExampleSecret, {}}, scope, kWitnessTime);
    QCOMPARE(out.canonicalRequest,
             QByteArray("GET\n"
                        "/streamgroups/arn%253Aaws%253Agameliftstreams%253Aus-west-2%253A111122223333%253A"
                        "streamgroup%252Fsg-1AB2C3De4/streamsessions\n"
                        "MaxResults=25&NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D&Status=ACTIVE\n"
                        "host:gameliftstreams.us-west-2.amazonaws.com\n"
                        "x-amz-date:20241105T080910Z\n"
                        "\n"
                        "host;x-amz-date\n"
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(signatureOf(headerValue(out.headers, "authorization")),
             QByteArray("534e60a20ac66ac5a97af2b290791d9e735a35bccb07777c4c395bc9a1770df4"));
}

void TestSigV4::s3PathNotNormalised()
{
    // Expected values: botocore S3SigV4Auth (botocore_witness.py).
    const QByteArray path = "/bucket/a//b/./c.zip";
    QCOMPARE(canonicalPath(path, PathStyle::S3), path);
    QCOMPARE(canonicalPath(path, PathStyle::Normalized), QByteArray("/bucket/a/b/c.zip"));

    SigningRequest req;
    req.method = "GET";
    req.wirePath = path;
    req.host = "s3.us-east-1.amazonaws.com";
    req.headers = {{"x-amz-content-sha256", kEmptyPayloadHash.toByteArray()}};
    req.payloadHash = kEmptyPayloadHash.toByteArray();
    req.pathStyle = PathStyle::S3;
    const Scope scope{"20241105", "us-east-1", "s3"};
    const SignedHeaders out = signHeaders(req, {kExampleKeyId, kExampleSecret, {}}, scope, kWitnessTime);
    QCOMPARE(out.canonicalRequest,
             QByteArray("GET\n/bucket/a//b/./c.zip\n\n"
                        "host:s3.us-east-1.amazonaws.com\n"
                        "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                        "x-amz-date:20241105T080910Z\n\n"
                        "host;x-amz-content-sha256;x-amz-date\n"
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(signatureOf(headerValue(out.headers, "authorization")),
             QByteArray("47441d9217475f5281a3b95dc0fbef6f51a175d216a43aaa403df773400839b7"));
}

void TestSigV4::signHeadersOutput()
{
    SigningRequest req;
    req.method = "POST";
    req.wirePath = "/";
    req.host = "example.amazonaws.com";
    req.headers = {{"Content-Type", "application/json"}, {"X-Amz-Date", "caller's, dropped"}};
    req.payloadHash = sha256Hex("{}");
    const Credentials creds{kExampleKeyId, kExampleSecret, "token"};
    const QDateTime now(QDate(2015, 8, 30), QTime(12, 36, 0), Qt::UTC);
    const SignedHeaders out = signHeaders(req, creds, {{}, "us-east-1", "service"}, now);

    QStringList names;
    for (const auto &header : out.headers)
        names << QString::fromLatin1(header.first);
    QCOMPARE(names, (QStringList{"host", "x-amz-date", "x-amz-security-token", "Content-Type", "authorization"}));
    QCOMPARE(headerValue(out.headers, "x-amz-date"), QByteArray("20150830T123600Z"));
    QCOMPARE(headerValue(out.headers, "x-amz-security-token"), QByteArray("token"));
    // An empty scope date is taken from the signing time.
    QVERIFY(headerValue(out.headers, "authorization")
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="));
    QVERIFY(out.canonicalRequest.endsWith(req.payloadHash));
    QVERIFY(!out.canonicalRequest.contains(kExampleSecret));
    QVERIFY(!out.stringToSign.contains(kExampleSecret));
}

void TestSigV4::presignRoundTrip()
{
    SigningRequest req;
    req.method = "GET";
    req.wirePath = "/gls-exports/" + uriEncode("sessions/ä b+c.zip", false);
    req.wireQuery = "response-content-disposition=" + uriEncode("attachment; filename=\"x.zip\"");
    req.host = "s3.eu-west-1.amazonaws.com";
    req.pathStyle = PathStyle::S3;
    const Credentials creds{kExampleKeyId, kExampleSecret, kWitnessToken};
    const QByteArray query = presignQuery(req, creds, {"20241105", "eu-west-1", "s3"}, kWitnessTime, 900);

    QVERIFY(query.startsWith(req.wireQuery + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    QVERIFY(query.contains("&X-Amz-Credential=AKIDEXAMPLE%2F20241105%2Feu-west-1%2Fs3%2Faws4_request&"));
    QVERIFY(query.contains("&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2Fsession%2Btoken%3D%3D&"));
    PresignedQuery parsed;
    QByteArray error;
    QVERIFY2(parsePresignedQuery(query, &parsed, &error), error.constData());
    QCOMPARE(parsed.accessKeyId, kExampleKeyId);
    QCOMPARE(parsed.scope.toString(), QByteArray("20241105/eu-west-1/s3/aws4_request"));
    QCOMPARE(parsed.amzDate, QByteArray("20241105T080910Z"));
    QCOMPARE(parsed.expiresSeconds, qint64(900));
    QCOMPARE(parsed.signedNames, QList<QByteArray>{"host"});
    QCOMPARE(parsed.securityToken, kWitnessToken);
    QVERIFY(query.endsWith("&X-Amz-Signature=" + parsed.signature));

    // Recompute as the emulator does, from the URL that would arrive.
    CanonicalRequestInput in;
    in.method = req.method;
    in.wirePath = req.wirePath;
    in.wireQuery = query;
    in.headers = {{"Host", req.host}, {"User-Agent", "unsigned"}};
    in.signedNames = parsed.signedNames;
    in.payloadHash = kUnsignedPayload.toByteArray();
    in.pathStyle = PathStyle::S3;
    const QByteArray canonical = canonicalRequest(in);
    QVERIFY(!canonical.contains("X-Amz-Signature"));
    const QByteArray toSign = stringToSign(parsed.amzDate, parsed.scope, canonical);
    QCOMPARE(signature(signingKey(kExampleSecret, parsed.scope), toSign), parsed.signature);
}

void TestSigV4::presignMatchesBotocore()
{
    // botocore S3SigV4QueryAuth, expires=86400, fixed clock (botocore_witness.py):
    // the whole query string, byte for byte, parameter order included.
    SigningRequest req;
    req.method = "GET";
    req.wirePath = "/gls-exports/sessions/export%20%281%29.zip";
    req.host = "s3.us-east-1.amazonaws.com";
    req.pathStyle = PathStyle::S3;
    const Credentials creds{kExampleKeyId, kExampleSecret, kWitnessToken};
    QCOMPARE(presignQuery(req, creds, {"20241105", "us-east-1", "s3"}, kWitnessTime, 86400),
             QByteArray("X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        "&X-Amz-Credential=AKIDEXAMPLE%2F20241105%2Fus-east-1%2Fs3%2Faws4_request"
                        "&X-Amz-Date=20241105T080910Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                        "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2Fsession%2Btoken%3D%3D"
                        "&X-Amz-Signature=5e05cbad7cdfe488e0be33eaf1d74699b1df68d3b32578c45fdeb53351ab257d"));
}

QTEST_APPLESS_MAIN(TestSigV4)
