#include "BucketRegionJob.h"

#include "S3Client.h"

namespace gls::s3 {

BucketRegionJob::BucketRegionJob(S3Client *client, QString bucket, QObject *parent)
    : S3Job(client, QStringLiteral("HeadBucket"), parent)
    , m_bucket(std::move(bucket))
{
}

void BucketRegionJob::run()
{
    if (!checkBucket(m_bucket))
        return;
    if (const QString known = client()->knownRegion(m_bucket); !known.isEmpty()) {
        found(known);
        return;
    }
    aws::AwsRequest request;
    request.method = "HEAD";
    send(
        m_bucket, {}, request,
        [this](const aws::AwsResponse &) {
            // An answer without x-amz-bucket-region: the Region it was signed for worked.
            const QString known = client()->knownRegion(m_bucket);
            found(known.isEmpty() ? client()->region() : known);
        },
        [this](const aws::AwsError &e) {
            if (const QString known = client()->knownRegion(m_bucket); !known.isEmpty() && e.httpStatus != 404) {
                found(known);
                return;
            }
            fail(e.httpStatus == 404 ? noSuchBucket(e, m_bucket) : e);
        });
}

void BucketRegionJob::found(const QString &region)
{
    m_region = region;
    client()->rememberRegion(m_bucket, region);
    Q_EMIT succeeded(region);
    complete();
}

} // namespace gls::s3
