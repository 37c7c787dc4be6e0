#pragma once

// Loads one case of the AWS SigV4 test suite (awslabs/aws-c-auth,
// tests/aws-signing-test-suite/v4/<case>/) from tests/sigv4/vectors/<case>/.

#include "sigv4/SigV4.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace gls::sigv4::test {

// request.txt, parsed the way aws-c-auth's own test harness parses it.
struct SuiteRequest
{
    QByteArray method;
    // The request target split at the first '?', bytes as written. The suite
    // writes paths unencoded (a raw UTF-8 path in get-utf8, a literal space in
    // get-space) and its signer encodes them once for the canonical request.
    // canonicalPath() does the same with a wire path, so this goes in as the
    // wire path unchanged: encoding it first would make "/example%20space/",
    // whose canonical form is "/example%2520space/", not the suite's
    // "/example%20space/". The query may be used either way, since its
    // components are decoded before they are encoded.
    QByteArray path;
    QByteArray query;
    QByteArray host;  // the Host header's value
    HeaderList headers; // every other header, in order; continuation lines kept with '\n'
    QByteArray body;
};

// context.json
struct SuiteContext
{
    Credentials credentials;
    Scope scope;
    QDateTime time;
    bool normalize = true;
    bool signBody = false;
    bool omitSessionToken = false;
    qint64 expiresSeconds = 0;
};

struct SuiteCase
{
    QString name;
    SuiteRequest request;
    SuiteContext context;
};

// Reads vectors/<name>/<file>; an empty QByteArray and *ok == false when missing.
QByteArray readVectorFile(const QString &name, const QString &file, bool *ok);

// Returns false with a reason in *error when the files are missing or malformed.
bool loadSuiteCase(const QString &name, SuiteCase *out, QString *error);

// Parses request.txt: request line, headers (a line starting with whitespace
// continues the previous header), a blank line, then the body.
bool parseRequestText(const QByteArray &text, SuiteRequest *out, QString *error);

} // namespace gls::sigv4::test
