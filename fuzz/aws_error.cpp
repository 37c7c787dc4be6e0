// An AWS error response as the transport reads it: the status, the headers
// (X-Amzn-Errortype, request ids, x-amz-bucket-region) and a JSON or XML body,
// through gls::aws::parseServiceError; the same headers through S3's
// ObjectInfo::fromHeaders (HeadObject). Input: "STATUS\nName: value\n...",
// then "\n--\n", then the body.
// Invariants: the error is a service error with a type and the given status,
// its text names the type, and the retry policy can classify it.

#include "FuzzSupport.h"

#include "aws/AwsTransport.h"
#include "aws/RetryPolicy.h"
#include "s3/ObjectInfo.h"

using namespace gls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QList<QByteArray> parts
        = fuzz::splitParts(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), 2);
    const QByteArray body = parts.size() > 1 ? parts.at(1) : QByteArray();

    QList<QByteArray> lines = parts.at(0).split('\n');
    int status = 400;
    if (!lines.isEmpty()) {
        bool ok = false;
        const int given = lines.first().trimmed().toInt(&ok);
        if (ok && given >= 100 && given <= 599) {
            status = given;
            lines.removeFirst();
        }
    }
    sigv4::HeaderList headers;
    for (const QByteArray &line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }

    const aws::AwsError e = aws::parseServiceError(status, headers, body, QStringLiteral("Fuzz"));
    FUZZ_CHECK(e.kind == aws::AwsError::Kind::Service);
    FUZZ_CHECK(e.httpStatus == status);
    FUZZ_CHECK(!e.type.isEmpty());
    FUZZ_CHECK(e.isError());
    FUZZ_CHECK(e.toString().contains(e.type));
    (void)aws::RetryPolicy::classify(e);

    s3::ObjectInfo info;
    QString error;
    if (s3::ObjectInfo::fromHeaders(QStringLiteral("k"), headers, &info, &error)) {
        FUZZ_CHECK(info.size >= 0);
        FUZZ_CHECK(!info.etag.isEmpty());
        (void)info.etagIsMd5();
        (void)info.unquotedEtag();
        FUZZ_CHECK(!info.lastModified.isValid() || info.lastModified.offsetFromUtc() == 0);
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }
    return 0;
}
