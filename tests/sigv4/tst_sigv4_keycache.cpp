// Unit tests for sigv4::SigningKeyCache: signing through the cache must give
// exactly what signing without it gives (which tst_sigv4 checks against the
// AWS test suite and botocore), whatever changes between two requests: the
// day, the Region, the service, the credentials. And a cache must never hand
// one secret's key to another.
//
// The credentials here are AWS's published example values and made-up ones,
// not secrets; still, headers are compared with QVERIFY so that a failure
// prints no header value.

#include "sigv4/SigV4.h"
#include "sigv4/SigningKeyCache.h"

#include <QTest>

using namespace gls::sigv4;

namespace {

const QByteArray kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// Same length as the example secret, one byte apart: a rotated key.
const QByteArray kRotatedSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ";
const QDateTime kMonday(QDate(2024, 11, 4), QTime(23, 59, 59), Qt::UTC);
const QDateTime kTuesday(QDate(2024, 11, 5), QTime(0, 0, 1), Qt::UTC);

SigningRequest gameLiftRequest()
{
    SigningRequest req;
    req.method = "PUT";
    req.wirePath = "/streamgroups/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1"
                   "/streamsessions/arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamsession"
                   "%2Fsg-1%2FABC/exportfiles";
    req.wireQuery = "Status=ACTIVE&MaxResults=100&NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D";
    req.host = "gameliftstreams.us-west-2.amazonaws.com";
    req.headers = {{"content-type", "application/json"}};
    req.payloadHash = sha256Hex("{\"OutputUri\":\"s3://bucket/key.zip\"}");
    return req;
}

Scope scopeOf(const QDateTime &when, const QByteArray &region, const QByteArray &service)
{
    return Scope{amzDate(when).left(8), region, service};
}

bool sameResult(const SignedHeaders &a, const SignedHeaders &b)
{
    return a.headers == b.headers && a.canonicalRequest == b.canonicalRequest && a.stringToSign == b.stringToSign;
}

QByteArray authorizationOf(const SignedHeaders &s)
{
    return s.headers.isEmpty() ? QByteArray() : s.headers.last().second;
}

} // namespace

class TestSigningKeyCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameAsUncachedAcrossScopes_data();
    void sameAsUncachedAcrossScopes();
    void reusesTheKeyWithinAScope();
    void newDayDerivesAgain();
    void rotatedSecretIsAMiss();
    void evictionKeepsSignaturesRight();
    void clearForgetsEveryKey();
    void scopeDateFromTheSigningTime();
    void presignThroughTheCache();
    void publishedSigningKeyExample();
    void withoutTheTextsTheHeadersAreTheSame();
};

void TestSigningKeyCache::sameAsUncachedAcrossScopes_data()
{
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QByteArray>("region");
    QTest::addColumn<QByteArray>("service");
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("gamelift, Monday") << kMonday << QByteArray("us-west-2") << QByteArray("gameliftstreams")
                                      << QByteArray();
    QTest::newRow("gamelift, Tuesday, token")
        << kTuesday << QByteArray("us-west-2") << QByteArray("gameliftstreams") << QByteArray("IQoJb3JpZ2luX2Vj+/==");
    QTest::newRow("other Region") << kTuesday << QByteArray("eu-central-1") << QByteArray("gameliftstreams")
                                  << QByteArray();
    QTest::newRow("s3") << kTuesday << QByteArray("us-west-2") << QByteArray("s3") << QByteArray("tok");
}

void TestSigningKeyCache::sameAsUncachedAcrossScopes()
{
    QFETCH(QDateTime, when);
    QFETCH(QByteArray, region);
    QFETCH(QByteArray, service);
    QFETCH(QByteArray, token);
    // One cache through every row's scope in turn, as a long-running app
    // would see them: each signature must still be the uncached one.
    static SigningKeyCache keys;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, token};
    const SigningRequest req = gameLiftRequest();
    const Scope scope = scopeOf(when, region, service);
    for (int i = 0; i < 2; ++i) // a miss, then a hit
        QVERIFY(sameResult(signHeaders(req, creds, scope, when, keys), signHeaders(req, creds, scope, when)));
}

void TestSigningKeyCache::reusesTheKeyWithinAScope()
{
    SigningKeyCache keys;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, {}};
    const SigningRequest req = gameLiftRequest();
    const Scope scope = scopeOf(kMonday, "us-west-2", "gameliftstreams");
    QByteArray previous;
    for (int second = 0; second < 5; ++second) {
        const QDateTime at = kMonday.addSecs(-second);
        const SignedHeaders s = signHeaders(req, creds, scope, at, keys);
        QVERIFY(sameResult(s, signHeaders(req, creds, scope, at)));
        QVERIFY(authorizationOf(s) != previous); // a new time, a new signature
        previous = authorizationOf(s);
    }
    QCOMPARE(keys.derivations(), 1);
    QCOMPARE(keys.size(), 1);
}

void TestSigningKeyCache::newDayDerivesAgain()
{
    SigningKeyCache keys;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, {}};
    const SigningRequest req = gameLiftRequest();
    // One second apart, across midnight: the key of Monday must not sign Tuesday.
    const SignedHeaders monday
        = signHeaders(req, creds, scopeOf(kMonday, "us-west-2", "gameliftstreams"), kMonday, keys);
    const SignedHeaders tuesday
        = signHeaders(req, creds, scopeOf(kTuesday, "us-west-2", "gameliftstreams"), kTuesday, keys);
    QCOMPARE(keys.derivations(), 2);
    QVERIFY(sameResult(tuesday, signHeaders(req, creds, scopeOf(kTuesday, "us-west-2", "gameliftstreams"), kTuesday)));
    QVERIFY(sameResult(monday, signHeaders(req, creds, scopeOf(kMonday, "us-west-2", "gameliftstreams"), kMonday)));
    QVERIFY(authorizationOf(tuesday).contains("/20241105/us-west-2/gameliftstreams/aws4_request"));
}

void TestSigningKeyCache::rotatedSecretIsAMiss()
{
    SigningKeyCache keys;
    const SigningRequest req = gameLiftRequest();
    const Scope scope = scopeOf(kTuesday, "us-west-2", "gameliftstreams");
    const Credentials before{"AKIDEXAMPLE", kExampleSecret, "token-1"};
    // Rotated credentials keep the key id here on purpose: only the secret tells them apart.
    const Credentials after{"AKIDEXAMPLE", kRotatedSecret, "token-2"};

    const SignedHeaders first = signHeaders(req, before, scope, kTuesday, keys);
    const SignedHeaders rotated = signHeaders(req, after, scope, kTuesday, keys);
    QCOMPARE(keys.derivations(), 2);
    QVERIFY(sameResult(rotated, signHeaders(req, after, scope, kTuesday)));
    QVERIFY(authorizationOf(rotated) != authorizationOf(first));
    // The old secret still gets its own key, not the new one.
    QVERIFY(sameResult(signHeaders(req, before, scope, kTuesday, keys), first));
    QCOMPARE(keys.derivations(), 2);
}

void TestSigningKeyCache::evictionKeepsSignaturesRight()
{
    SigningKeyCache keys(2);
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, {}};
    const SigningRequest req = gameLiftRequest();
    const QList<Scope> scopes{scopeOf(kTuesday, "us-west-2", "gameliftstreams"),
        scopeOf(kTuesday, "us-east-1", "gameliftstreams"), scopeOf(kTuesday, "us-west-2", "s3")};
    for (int round = 0; round < 3; ++round) {
        for (const Scope &scope : scopes)
            QVERIFY(
                sameResult(signHeaders(req, creds, scope, kTuesday, keys), signHeaders(req, creds, scope, kTuesday)));
        QCOMPARE(keys.size(), 2);
    }
    // Three scopes through two places, least recently used out: every use misses.
    QCOMPARE(keys.derivations(), 9);
}

void TestSigningKeyCache::clearForgetsEveryKey()
{
    SigningKeyCache keys;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, {}};
    const SigningRequest req = gameLiftRequest();
    const Scope scope = scopeOf(kTuesday, "us-west-2", "gameliftstreams");
    const SignedHeaders before = signHeaders(req, creds, scope, kTuesday, keys);
    keys.clear();
    QCOMPARE(keys.size(), 0);
    QVERIFY(sameResult(signHeaders(req, creds, scope, kTuesday, keys), before));
    QCOMPARE(keys.derivations(), 2);
}

void TestSigningKeyCache::scopeDateFromTheSigningTime()
{
    SigningKeyCache keys;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, {}};
    const SigningRequest req = gameLiftRequest();
    const Scope undated{{}, "us-west-2", "gameliftstreams"};
    QVERIFY(sameResult(signHeaders(req, creds, undated, kMonday, keys), signHeaders(req, creds, undated, kMonday)));
    QVERIFY(sameResult(signHeaders(req, creds, undated, kTuesday, keys), signHeaders(req, creds, undated, kTuesday)));
    QCOMPARE(keys.derivations(), 2);
    // What AwsTransport relies on: undated, the signature is the one dated by the signing time.
    for (const QDateTime &at : {kMonday, kTuesday}) {
        const Scope dated = scopeOf(at, "us-west-2", "gameliftstreams");
        QVERIFY(sameResult(signHeaders(req, creds, undated, at, keys), signHeaders(req, creds, dated, at)));
    }
    QCOMPARE(keys.derivations(), 2); // the same two keys
}

void TestSigningKeyCache::presignThroughTheCache()
{
    SigningKeyCache keys;
    SigningRequest req;
    req.method = "GET";
    req.wirePath = "/gls-exports/sessions/export%20%281%29.zip";
    req.host = "s3.us-east-1.amazonaws.com";
    req.pathStyle = PathStyle::S3;
    const Credentials creds{"AKIDEXAMPLE", kExampleSecret, "IQoJb3JpZ2luX2VjEXAMPLE/session+token=="};
    const Scope scope = scopeOf(kTuesday, "us-east-1", "s3");
    const QByteArray cached = presignQuery(req, creds, scope, kTuesday, 86400, keys);
    QVERIFY(cached == presignQuery(req, creds, scope, kTuesday, 86400));
    QVERIFY(cached.contains("&X-Amz-Signature="));
    QCOMPARE(keys.derivations(), 1);
}

void TestSigningKeyCache::publishedSigningKeyExample()
{
    // AWS's documented derivation example (secret above, 20150830/us-east-1/iam):
    // the key is c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9.
    const Scope scope{"20150830", "us-east-1", "iam"};
    QCOMPARE(signingKey(kExampleSecret, scope).toHex(),
        QByteArray("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"));
    const QByteArray toSign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                              "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
    SigningKeyCache keys;
    QByteArray viaCache = "Signature=";
    keys.appendSignature(viaCache, kExampleSecret, scope, toSign);
    QCOMPARE(viaCache, "Signature=" + signature(signingKey(kExampleSecret, scope), toSign));
    // The published signature of this string to sign.
    QCOMPARE(viaCache, QByteArray("Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
}

// The transport signs without keeping the canonical request and the string to
// sign (no --debug): they are written into buffers the cache reuses. Requests
// of very different lengths in turn, with and without a session token, must
// sign exactly as with the texts kept: nothing of a longer request may linger
// into a shorter one.
void TestSigningKeyCache::withoutTheTextsTheHeadersAreTheSame()
{
    SigningKeyCache keys;
    const QByteArray token(760, 'T');
    SigningRequest small;
    small.method = "GET";
    small.wirePath = "/streamgroups";
    small.host = "gameliftstreams.us-west-2.amazonaws.com";
    const QList<SigningRequest> requests{gameLiftRequest(), small, gameLiftRequest(), small};
    const Scope scope = scopeOf(kMonday, "us-west-2", "gameliftstreams");
    for (int round = 0; round < 2; ++round) {
        const Credentials creds{"AKIDEXAMPLE", kExampleSecret, round == 0 ? token : QByteArray()};
        for (SigningRequest req : requests) {
            req.keepTexts = true;
            const SignedHeaders kept = signHeaders(req, creds, scope, kMonday, keys);
            req.keepTexts = false;
            const SignedHeaders bare = signHeaders(req, creds, scope, kMonday, keys);
            QVERIFY(bare.headers == kept.headers);
            QVERIFY(bare.headers == signHeaders(req, creds, scope, kMonday).headers); // without a cache too
            QVERIFY(bare.canonicalRequest.isEmpty());
            QVERIFY(bare.stringToSign.isEmpty());
            QVERIFY(!kept.canonicalRequest.isEmpty());
        }
    }
}

QTEST_GUILESS_MAIN(TestSigningKeyCache)
#include "tst_sigv4_keycache.moc"
