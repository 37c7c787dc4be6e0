#pragma once

// One page of a ListObjectsV2 answer (<ListBucketResult>), parsed with
// QXmlStreamReader. Keys sent with encoding-type=url are decoded.

#include "ObjectInfo.h"

#include <QList>
#include <QStringList>

namespace gls::s3 {

struct ListObjectsV2Page {
    QList<ObjectInfo> objects;
    QStringList commonPrefixes;
    bool isTruncated = false;
    QString nextContinuationToken; // opaque; only when isTruncated

    // False with a reason (line and column for malformed XML) when `xml` is
    // not a well-formed <ListBucketResult> or a value is malformed.
    static bool parse(const QByteArray &xml, ListObjectsV2Page *out, QString *error);
};

} // namespace gls::s3
