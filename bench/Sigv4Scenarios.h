#pragma once

// The requests the SigV4 benchmark signs: what the app sends to GameLift
// Streams (GetStreamSession, a ListStreamSessions page, ExportStreamSessionFiles),
// each with and without a session token, as AwsTransport builds them before
// signing. gls-bench-sigv4 prints them as JSON (`scenarios`) for
// bench/botocore_sigv4.py, so both signers get the same bytes. The key is
// AWS's published example key, not a credential.

#include "sigv4/SigV4.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace gls::bench {

struct Sigv4Scenario {
    QByteArray name; // "get-session", "list-sessions-token", ...
    QByteArray method;
    QByteArray wirePath; // as AwsTransport puts it on the wire
    QByteArray wireQuery;
    QByteArray body;
    sigv4::HeaderList headers; // the request's own headers (content-type)
    bool sessionToken = false;

    QJsonObject toJson() const; // with the full URL, for botocore
};

inline constexpr QByteArrayView kSigv4Host = "gameliftstreams.us-west-2.amazonaws.com";
inline constexpr QByteArrayView kSigv4Region = "us-west-2";
inline constexpr QByteArrayView kSigv4Service = "gameliftstreams";

QList<Sigv4Scenario> sigv4Scenarios();
// AKIDEXAMPLE and the example secret; with a 760-byte STS-like token when asked.
sigv4::Credentials sigv4ExampleCredentials(bool withSessionToken);
// The fixed signing time of the cross-check: 2024-11-05T08:09:10Z.
QDateTime sigv4CheckTime();

} // namespace gls::bench
