#pragma once

// The S3 calls the exporter needs, on top of aws::AwsTransport: HeadObject,
// bucket Region discovery, streamed and resumable downloads, presigned GET
// URLs and ListObjectsV2. Each call is a job (see S3Job.h): create it here,
// connect to its signals, start() it.
//
// Regions: a bucket lives in one Region and S3 wants requests signed for it.
// The client remembers each bucket's Region once an answer told it
// (x-amz-bucket-region, or an error naming the Region); until then requests go
// to the client's own Region, and one answered 301 PermanentRedirect or 400
// AuthorizationHeaderMalformed naming another Region is re-sent there once.

#include "DownloadJob.h"
#include "HeadObjectJob.h"
#include "BucketRegionJob.h"
#include "ListObjectsJob.h"
#include "PresignJob.h"

#include "aws/Endpoints.h"

#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcS3)

namespace gls::aws {
class AwsTransport;
}

namespace gls::s3 {

class S3Client : public QObject {
    Q_OBJECT
public:
    // The S3 endpoint for a Region, or an invalid Endpoint and the reason.
    using EndpointResolver = std::function<aws::Endpoint(const QString &region, QString *error)>;

    // `region` is where requests go until a bucket's own Region is known.
    S3Client(aws::AwsTransport *transport, QString region, EndpointResolver endpoints, QObject *parent = nullptr);
    // aws::resolveS3Endpoint with `options` (endpoint URL, environment), the
    // Region taken from options.region.
    S3Client(aws::AwsTransport *transport, const aws::EndpointOptions &options, QObject *parent = nullptr);

    // aws::resolveS3Endpoint for any Region, the rest from `options`.
    static EndpointResolver resolverFor(aws::EndpointOptions options);

    // Jobs are owned by `parent` when given, else by the client; delete them
    // (deleteLater) when done with them.
    HeadObjectJob *headObject(const QString &bucket, const QString &key, QObject *parent = nullptr);
    BucketRegionJob *bucketRegion(const QString &bucket, QObject *parent = nullptr);
    DownloadJob *download(const DownloadRequest &request, QObject *parent = nullptr);
    ListObjectsJob *listObjects(const QString &bucket, const QString &prefix = {}, QObject *parent = nullptr);
    PresignJob *presignGetObject(
        const QString &bucket, const QString &key, qint64 expiresSeconds, QObject *parent = nullptr);

    aws::AwsTransport *transport() const { return m_transport; }
    QString region() const { return m_region; }

    // The bucket's Region when an answer told it; else empty.
    QString knownRegion(const QString &bucket) const { return m_bucketRegions.value(bucket); }
    void rememberRegion(const QString &bucket, const QString &region);
    // The Region to sign a request to `bucket` for: known, else the client's.
    QString regionFor(const QString &bucket) const;
    // The S3 endpoint of `region` (invalid with the reason in *error).
    aws::Endpoint endpoint(const QString &region, QString *error) const;

private:
    QPointer<aws::AwsTransport> m_transport;
    QString m_region;
    EndpointResolver m_endpoints;
    QHash<QString, QString> m_bucketRegions;
};

} // namespace gls::s3
