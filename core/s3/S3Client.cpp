#include "S3Client.h"

#include "aws/AwsTransport.h"

Q_LOGGING_CATEGORY(lcS3, "gls.s3", QtWarningMsg)

namespace gls::s3 {

S3Client::S3Client(aws::AwsTransport *transport, QString region, EndpointResolver endpoints, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_region(std::move(region))
    , m_endpoints(std::move(endpoints))
{
    qRegisterMetaType<gls::s3::ObjectInfo>();
    qRegisterMetaType<gls::aws::AwsError>();
}

S3Client::S3Client(aws::AwsTransport *transport, const aws::EndpointOptions &options, QObject *parent)
    : S3Client(transport, options.region, resolverFor(options), parent)
{
}

S3Client::EndpointResolver S3Client::resolverFor(aws::EndpointOptions options)
{
    return [options = std::move(options)](const QString &region, QString *error) {
        aws::EndpointOptions forRegion = options;
        forRegion.region = region;
        return aws::resolveS3Endpoint(forRegion, error);
    };
}

void S3Client::rememberRegion(const QString &bucket, const QString &region)
{
    if (bucket.isEmpty() || region.isEmpty() || m_bucketRegions.value(bucket) == region)
        return;
    qCDebug(lcS3).noquote() << "bucket" << bucket << "is in" << region;
    m_bucketRegions.insert(bucket, region);
}

QString S3Client::regionFor(const QString &bucket) const
{
    const QString known = m_bucketRegions.value(bucket);
    return known.isEmpty() ? m_region : known;
}

aws::Endpoint S3Client::endpoint(const QString &region, QString *error) const
{
    if (!m_endpoints) {
        *error = QStringLiteral("no S3 endpoint resolver was given");
        return {};
    }
    return m_endpoints(region, error);
}

HeadObjectJob *S3Client::headObject(const QString &bucket, const QString &key, QObject *parent)
{
    return new HeadObjectJob(this, bucket, key, parent ? parent : this);
}

BucketRegionJob *S3Client::bucketRegion(const QString &bucket, QObject *parent)
{
    return new BucketRegionJob(this, bucket, parent ? parent : this);
}

DownloadJob *S3Client::download(const DownloadRequest &request, QObject *parent)
{
    return new DownloadJob(this, request, parent ? parent : this);
}

ListObjectsJob *S3Client::listObjects(const QString &bucket, const QString &prefix, QObject *parent)
{
    return new ListObjectsJob(this, bucket, prefix, parent ? parent : this);
}

PresignJob *S3Client::presignGetObject(
    const QString &bucket, const QString &key, qint64 expiresSeconds, QObject *parent)
{
    return new PresignJob(this, bucket, key, expiresSeconds, parent ? parent : this);
}

} // namespace gls::s3
