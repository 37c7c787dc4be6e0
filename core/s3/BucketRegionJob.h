#pragma once

// Which Region a bucket lives in: HeadBucket's x-amz-bucket-region, which S3
// sends on 200, 301, 400 and 403 answers alike, so it works even without
// s3:ListBucket. Cached per bucket by the client: asking again costs nothing.

#include "S3Job.h"

namespace gls::s3 {

class BucketRegionJob : public S3Job {
    Q_OBJECT
public:
    BucketRegionJob(S3Client *client, QString bucket, QObject *parent = nullptr);

    QString bucket() const { return m_bucket; }
    QString region() const { return m_region; }

Q_SIGNALS:
    void succeeded(const QString &region);

protected:
    void run() override;

private:
    void found(const QString &region);

    QString m_bucket;
    QString m_region;
};

} // namespace gls::s3
