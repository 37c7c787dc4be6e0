#include "HeadObjectJob.h"

#include "S3Client.h"

namespace gls::s3 {

HeadObjectJob::HeadObjectJob(S3Client *client, QString bucket, QString key, QObject *parent)
    : S3Job(client, QStringLiteral("HeadObject"), parent)
    , m_bucket(std::move(bucket))
    , m_key(std::move(key))
{
}

void HeadObjectJob::run()
{
    if (!checkObject(m_bucket, m_key))
        return;
    aws::AwsRequest request;
    request.method = "HEAD";
    // Ask for the object's flexible checksum too (S3 answers with it only when asked).
    request.headers.append({QByteArrayLiteral("x-amz-checksum-mode"), QByteArrayLiteral("ENABLED")});
    send(
        m_bucket, m_key, request,
        [this](const aws::AwsResponse &r) {
            QString problem;
            if (!ObjectInfo::fromHeaders(m_key, r.headers, &m_info, &problem)) {
                failWith(aws::AwsError::Kind::Client, QStringLiteral("UnreadableAnswer"), problem);
                return;
            }
            Q_EMIT succeeded(m_info);
            complete();
        },
        [this](const aws::AwsError &e) {
            if (e.httpStatus == 404)
                nameNotFound(e);
            else
                fail(e);
        });
}

void HeadObjectJob::nameNotFound(const aws::AwsError &error)
{
    aws::AwsRequest request;
    request.method = "HEAD";
    request.operation = QStringLiteral("HeadBucket");
    auto named = [this, error](bool bucketExists) {
        fail(bucketExists ? renamed(error, QStringLiteral("NoSuchKey"),
                 QStringLiteral("The specified key does not exist: s3://%1/%2").arg(m_bucket, m_key))
                          : noSuchBucket(error, m_bucket));
    };
    // Any answer but 404 (200, 403, a Region redirect) means the bucket is there.
    send(
        m_bucket, {}, request, [named](const aws::AwsResponse &) { named(true); },
        [named](const aws::AwsError &e) { named(e.httpStatus != 404); });
}

} // namespace gls::s3
