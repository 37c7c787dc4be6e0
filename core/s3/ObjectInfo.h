#pragma once

// What S3 tells about one object: from HeadObject (all fields) or from a
// ListObjectsV2 entry (contentType stays empty there).

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

#include "sigv4/SigV4.h"

namespace gls::s3 {

struct ObjectInfo {
    QString key;
    qint64 size = 0;
    QByteArray etag;        // as S3 sends it, quotes included ("\"9b2cf535f27731c974343645a3985328\"")
    QDateTime lastModified; // UTC
    QString contentType;    // HeadObject only
    QString encryption;     // HeadObject only: "AES256", "aws:kms", "aws:kms:dsse", "SSE-C", or empty
    // HeadObject with x-amz-checksum-mode: ENABLED only: the object's CRC-64/NVME as S3 stores it (decoded
    // from x-amz-checksum-crc64nvme), and x-amz-checksum-type ("FULL_OBJECT", "COMPOSITE" or empty).
    std::optional<quint64> crc64Nvme;
    QByteArray checksumType;

    enum class Check { Crc64Nvme, Md5, SizeOnly };
    // How a download of the whole object can be checked, best first: S3's
    // CRC64NVME of the full object (what the AWS SDKs validate), else the
    // ETag when it is an MD5, else only the size.
    Check integrityCheck() const;
    static QString checkName(Check check); // "CRC64NVME", "MD5", "size"

    // True when the ETag is the MD5 of the content: 32 hex digits from a
    // single-part upload. Multipart ETags hold a '-', and objects encrypted
    // with SSE-KMS or SSE-C have ETags that are not their MD5.
    bool etagIsMd5() const;
    // The hex digits between the quotes.
    QByteArray unquotedEtag() const;

    // From a HeadObject (or GetObject) answer's headers: Content-Length, ETag,
    // Last-Modified (RFC 1123), Content-Type, server-side encryption, flexible checksum. False with the
    // reason when Content-Length or ETag is missing or malformed, or the CRC64NVME is not 8 bytes of base64.
    static bool fromHeaders(const QString &key, const sigv4::HeaderList &headers, ObjectInfo *out, QString *error);
};

} // namespace gls::s3

Q_DECLARE_METATYPE(gls::s3::ObjectInfo)
