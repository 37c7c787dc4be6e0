#pragma once

// The Qt Test class of tst_sigv4, whose slots are spread over tst_sigv4.cpp
// (hashing, canonicalisation, the suite's vectors, signing and presigning)
// and tst_sigv4_parsing.cpp (Authorization headers and presigned queries).

#include <QByteArray>
#include <QObject>

namespace gls::sigv4::test {

// AWS's published example access key id (not a secret).
inline const QByteArray kExampleKeyId = "AKIDEXAMPLE";

} // namespace gls::sigv4::test

class TestSigV4 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyPayloadHash();
    void sha256AndHmac();
    void digestsAtEveryLengthAroundTheBlocks();
    void signingKeyDerivation();
    void uriEncoding();
    void uriEncodingAtEveryLength();
    void percentDecoding();
    void amzDates();

    void canonicalPathRules_data();
    void canonicalPathRules();
    void canonicalPathMatchesSegmentRules();
    void canonicalQueryValueAtEveryLength();
    void canonicalQueryRules_data();
    void canonicalQueryRules();
    void canonicalHeaderRules();

    void suiteHeaderForm_data();
    void suiteHeaderForm();
    void suiteQueryForm_data();
    void suiteQueryForm();

    void gameLiftArnPath();
    void nextTokenQuery();
    void s3PathNotNormalised();
    void signHeadersOutput();

    void parseAuthorizationGood_data();
    void parseAuthorizationGood();
    void parseAuthorizationMalformed_data();
    void parseAuthorizationMalformed();
    void parsePresignedMalformed_data();
    void parsePresignedMalformed();

    void presignedExpiresRange();
    void presignRoundTrip();
    void presignMatchesBotocore();
};
