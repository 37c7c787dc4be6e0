// tst_sigv4: parsing the signature a request arrived with.

#include "TestSigV4.h"
#include "sigv4/SigV4.h"

#include <QTest>

using namespace gls::sigv4;
using gls::sigv4::test::kExampleKeyId;

namespace {

const QByteArray kSignatureHex = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const QByteArray kAlgorithmSp = "AWS4-HMAC-SHA256 ";
const QByteArray kCredential = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
const QByteArray kSignedHeaders = "SignedHeaders=host;x-amz-date";
const QByteArray kSignature = "Signature=" + kSignatureHex;

// "AWS4-HMAC-SHA256 " followed by the components joined with ", ".
QByteArray authorization(const QList<QByteArray> &components)
{
    QByteArray out = kAlgorithmSp;
    for (qsizetype i = 0; i < components.size(); ++i)
        out.append(i ? ", " : "").append(components[i]);
    return out;
}

void addRow(const char *name, const QByteArray &input, const QByteArray &reasonMentions)
{
    QTest::newRow(name) << input << reasonMentions;
}

const QByteArray kPresigned = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                              "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
                              "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
                              "&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d";

QByteArray presignedWith(QByteArrayView from, QByteArrayView to)
{
    return QByteArray(kPresigned).replace(from, to);
}

} // namespace

void TestSigV4::parseAuthorizationGood_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("usual") << authorization({kCredential, kSignedHeaders, kSignature});
    QTest::newRow("no spaces after commas") << kAlgorithmSp + kCredential + ',' + kSignedHeaders + ',' + kSignature;
    QTest::newRow("other order, extra blanks")
        << "  AWS4-HMAC-SHA256   " + kSignature + " ,  " + kSignedHeaders + " ," + kCredential + "  ";
}

void TestSigV4::parseAuthorizationGood()
{
    QFETCH(QByteArray, value);
    AuthorizationHeader parsed;
    QByteArray error;
    QVERIFY2(parseAuthorization(value, &parsed, &error), error.constData());
    QCOMPARE(parsed.accessKeyId, kExampleKeyId);
    QCOMPARE(parsed.scope.date, QByteArray("20150830"));
    QCOMPARE(parsed.scope.region, QByteArray("us-east-1"));
    QCOMPARE(parsed.scope.service, QByteArray("service"));
    QCOMPARE(parsed.signedNames, (QList<QByteArray>{"host", "x-amz-date"}));
    QCOMPARE(parsed.signature, kSignatureHex);
}

void TestSigV4::parseAuthorizationMalformed_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("reasonMentions");
    const QByteArray mustStart = "must start with AWS4-HMAC-SHA256";
    addRow("empty", "  ", "is empty");
    addRow("other scheme", "Bearer abc", mustStart);
    addRow("sigv2", "AWS AKIDEXAMPLE:c2lnbmF0dXJl", mustStart);
    addRow("no space after algorithm", "AWS4-HMAC-SHA256" + kCredential, "space after");
    addRow("nothing after algorithm", "AWS4-HMAC-SHA256", "nothing after");
    addRow("missing Signature", authorization({kCredential, kSignedHeaders}), "missing Signature");
    addRow("missing Credential", authorization({kSignedHeaders, kSignature}), "missing Credential");
    addRow("missing SignedHeaders", authorization({kCredential, kSignature}), "missing SignedHeaders");
    addRow("repeated", authorization({kCredential, kCredential, kSignedHeaders, kSignature}), "repeats Credential");
    addRow("unknown component", authorization({kCredential, kSignedHeaders, kSignature, "Foo=bar"}),
           "unknown component 'Foo'");
    addRow("stray comma", authorization({kCredential, "", kSignedHeaders, kSignature}), "empty component");
    addRow("not name=value", authorization({kCredential, kSignedHeaders, kSignature, "junk"}), "Name=Value");
    addRow("space separated", kAlgorithmSp + kCredential + ' ' + kSignedHeaders + ' ' + kSignature,
           "separated by commas");
    addRow("credential parts",
           authorization({"Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request", kSignedHeaders, kSignature}),
           "ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request");
    addRow("credential date",
           authorization({"Credential=AKIDEXAMPLE/2015-08-30/us-east-1/service/aws4_request", kSignedHeaders,
                          kSignature}),
           "is not YYYYMMDD");
    addRow("credential terminator",
           authorization({"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4", kSignedHeaders, kSignature}),
           "must end in aws4_request");
    addRow("empty key id",
           authorization({"Credential=/20150830/us-east-1/service/aws4_request", kSignedHeaders, kSignature}),
           "empty access key id");
    addRow("empty value", authorization({kCredential, "SignedHeaders=", kSignature}), "SignedHeaders is empty");
    addRow("uppercase header", authorization({kCredential, "SignedHeaders=Host;x-amz-date", kSignature}),
           "lowercase");
    addRow("empty header name", authorization({kCredential, "SignedHeaders=host;;x-amz-date", kSignature}),
           "empty header name");
    addRow("short signature", authorization({kCredential, kSignedHeaders, "Signature=abc123"}),
           "64 lowercase hexadecimal");
    addRow("uppercase signature", authorization({kCredential, kSignedHeaders, "Signature=" + kSignatureHex.toUpper()}),
           "64 lowercase hexadecimal");
}

void TestSigV4::parseAuthorizationMalformed()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, reasonMentions);
    AuthorizationHeader parsed;
    parsed.accessKeyId = "untouched";
    QByteArray error;
    QVERIFY(!parseAuthorization(value, &parsed, &error));
    QVERIFY2(error.contains(reasonMentions), error.constData());
    QCOMPARE(parsed.accessKeyId, QByteArray("untouched"));
    QVERIFY(!parseAuthorization(value, nullptr, nullptr)); // error is optional
}

void TestSigV4::parsePresignedMalformed_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("reasonMentions");
    const QByteArray wholeNumber = "X-Amz-Expires must be a whole number";
    addRow("no signature at all", "a=1", "X-Amz-Algorithm is missing");
    addRow("missing signature", kPresigned.left(kPresigned.indexOf("&X-Amz-Signature")), "missing X-Amz-Signature");
    addRow("wrong algorithm", presignedWith("HMAC-SHA256", "HMAC-SHA1"), "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
    addRow("expires not a number", presignedWith("Expires=3600", "Expires=1h"), wholeNumber);
    addRow("expires empty", presignedWith("Expires=3600", "Expires="), wholeNumber);
    addRow("bad date", presignedWith("20150830T123600Z", "2015-08-30"), "X-Amz-Date");
    addRow("bad credential", presignedWith("%2Faws4_request", ""), "X-Amz-Credential");
    addRow("bad signature", presignedWith("Signature=e93c", "Signature=E93C"), "X-Amz-Signature");
    addRow("repeated", kPresigned + "&X-Amz-Date=20150830T123600Z", "repeats X-Amz-Date");
}

void TestSigV4::parsePresignedMalformed()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, reasonMentions);
    QByteArray error;
    QVERIFY(!parsePresignedQuery(value, nullptr, &error));
    QVERIFY2(error.contains(reasonMentions), error.constData());
}

void TestSigV4::presignedExpiresRange()
{
    // Out-of-range lifetimes parse; the verifier answers them as S3 does.
    for (const qint64 seconds : {qint64(0), qint64(-5), qint64(604801)}) {
        PresignedQuery parsed;
        QByteArray error;
        const QByteArray query = presignedWith("Expires=3600", "Expires=" + QByteArray::number(seconds));
        QVERIFY2(parsePresignedQuery(query, &parsed, &error), error.constData());
        QCOMPARE(parsed.expiresSeconds, seconds);
        QCOMPARE(parsed.signedNames, QList<QByteArray>{"host"});
    }
}
