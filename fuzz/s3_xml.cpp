// S3's XML: a ListObjectsV2 page (<ListBucketResult>) and an S3 error
// document (<Error><Code>...) read by the transport's parseServiceError.
// Invariants: a page that parsed has sizes >= 0, a continuation token only
// when truncated, and every key it lists is one we could ask for again or is
// refused by S3Address::keyProblem with a reason (never a crash).

#include "FuzzSupport.h"

#include "aws/AwsTransport.h"
#include "s3/ListObjectsV2Page.h"
#include "s3/S3Address.h"

using namespace gls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QByteArray xml(reinterpret_cast<const char *>(data), qsizetype(size));

    s3::ListObjectsV2Page page;
    QString error;
    if (s3::ListObjectsV2Page::parse(xml, &page, &error)) {
        for (const s3::ObjectInfo &o : std::as_const(page.objects)) {
            FUZZ_CHECK(o.size >= 0);
            (void)o.etagIsMd5();
            (void)s3::S3Address::keyProblem(o.key);
        }
        for (const QString &prefix : std::as_const(page.commonPrefixes))
            (void)s3::S3Address::keyProblem(prefix);
    } else {
        FUZZ_CHECK(!error.isEmpty());
    }

    const aws::AwsError e = aws::parseServiceError(404, {}, xml, QStringLiteral("GetObject"));
    FUZZ_CHECK(!e.type.isEmpty());
    return 0;
}
