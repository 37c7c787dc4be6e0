#pragma once

// What may be shown of a request: the Authorization header's signature,
// session tokens and presigned signatures are replaced before any log line,
// error message or --debug output.

#include "sigv4/SigV4.h"

#include <QString>

namespace gls::aws {

// "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/gameliftstreams/aws4_request,
//  SignedHeaders=host;x-amz-date, Signature=<redacted>"
QByteArray redactAuthorization(QByteArrayView value);
// Headers with authorization, x-amz-security-token and SSO bearer token values redacted.
sigv4::HeaderList redactHeaders(const sigv4::HeaderList &headers);
// Query strings with X-Amz-Signature, X-Amz-Security-Token and X-Amz-Credential
// (keeps the key id's last 4 characters) redacted.
QByteArray redactQuery(QByteArrayView query);
// An access key id shown as "****WXYZ".
QString redactKeyId(QByteArrayView keyId);

} // namespace gls::aws
