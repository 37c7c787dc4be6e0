#include "ObjectInfo.h"

#include "aws/HttpDate.h"

#include <QtEndian>

namespace gls::s3 {

namespace {

QByteArray headerValue(const sigv4::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v.trimmed();
    }
    return {};
}

} // namespace

QByteArray ObjectInfo::unquotedEtag() const
{
    QByteArray e = etag.trimmed();
    if (e.startsWith("W/"))
        e = e.mid(2);
    if (e.size() >= 2 && e.startsWith('"') && e.endsWith('"'))
        e = e.mid(1, e.size() - 2);
    return e;
}

bool ObjectInfo::etagIsMd5() const
{
    if (encryption.startsWith(QLatin1String("aws:kms")) || encryption == QLatin1String("SSE-C"))
        return false;
    const QByteArray e = unquotedEtag();
    if (e.size() != 32)
        return false;
    for (const char c : e) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

ObjectInfo::Check ObjectInfo::integrityCheck() const
{
    // CRC64NVME checksums are always of the full object; a COMPOSITE one
    // would be a checksum of part checksums, which the bytes alone cannot give.
    if (crc64Nvme && checksumType != "COMPOSITE")
        return Check::Crc64Nvme;
    return etagIsMd5() ? Check::Md5 : Check::SizeOnly;
}

QString ObjectInfo::checkName(Check check)
{
    switch (check) {
    case Check::Crc64Nvme: return QStringLiteral("CRC64NVME");
    case Check::Md5: return QStringLiteral("MD5");
    case Check::SizeOnly: break;
    }
    return QStringLiteral("size");
}

bool ObjectInfo::fromHeaders(const QString &key, const sigv4::HeaderList &headers, ObjectInfo *out, QString *error)
{
    ObjectInfo info;
    info.key = key;
    bool ok = false;
    info.size = headerValue(headers, "content-length").toLongLong(&ok);
    if (!ok || info.size < 0) {
        *error = QStringLiteral("the answer for '%1' carries no valid Content-Length").arg(key);
        return false;
    }
    info.etag = headerValue(headers, "etag");
    if (info.etag.isEmpty()) {
        *error = QStringLiteral("the answer for '%1' carries no ETag").arg(key);
        return false;
    }
    info.lastModified = aws::parseHttpDate(headerValue(headers, "last-modified"));
    info.contentType = QString::fromLatin1(headerValue(headers, "content-type"));
    info.encryption = QString::fromLatin1(headerValue(headers, "x-amz-server-side-encryption"));
    if (!headerValue(headers, "x-amz-server-side-encryption-customer-algorithm").isEmpty())
        info.encryption = QStringLiteral("SSE-C");
    if (const QByteArray crc = headerValue(headers, "x-amz-checksum-crc64nvme"); !crc.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(crc, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.size() != 8) {
            *error = QStringLiteral("the answer for '%1' carries an x-amz-checksum-crc64nvme that is not 8 bytes "
                                    "of base64: '%2'")
                         .arg(key, QString::fromLatin1(crc.left(64)));
            return false;
        }
        info.crc64Nvme = qFromBigEndian<quint64>(decoded.decoded.constData());
    }
    info.checksumType = headerValue(headers, "x-amz-checksum-type");
    *out = info;
    return true;
}

} // namespace gls::s3
