#pragma once

// Where one S3 request goes. AWS endpoints are virtual-hosted
// (bucket.s3.region.amazonaws.com/key) unless the bucket name holds a dot,
// which the wildcard certificate does not cover; custom endpoints
// (--endpoint-url, the emulator) are always path-style (host/bucket/key).
// Keys are encoded once, '/' kept, and never normalised.

#include "aws/Endpoints.h"

#include <QByteArray>
#include <QString>

namespace gls::s3 {

struct S3Address {
    aws::Endpoint endpoint; // host carries the bucket when virtual-hosted
    QByteArray path;        // wire path after the endpoint's base path ("/bucket/a%20b.zip" or "/a%20b.zip")

    // `regional` is the S3 endpoint for the bucket's Region; `key` empty
    // addresses the bucket itself.
    static S3Address resolve(const aws::Endpoint &regional, const QString &bucket, const QString &key = {});

    // Empty when `key` can be sent as it is; else the rule it breaks. Keys
    // with "." or ".." segments are refused: HTTP stacks rewrite them.
    static QString keyProblem(const QString &key);

    // scheme://host[:port][/base]/path[?query], every byte as it goes on the wire.
    QByteArray encodedUrl(const QByteArray &encodedQuery = {}) const;
    // The endpoint's base path plus `path`: what is signed.
    QByteArray fullPath() const;
};

} // namespace gls::s3
