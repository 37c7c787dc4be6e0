#pragma once

// HeadObject: an object's size, ETag, Last-Modified and Content-Type. A HEAD
// error has no body, so a 404 is named by asking HeadBucket whether the
// bucket exists: NoSuchBucket or NoSuchKey, as a GET would say.

#include "ObjectInfo.h"
#include "S3Job.h"

namespace gls::s3 {

class HeadObjectJob : public S3Job {
    Q_OBJECT
public:
    HeadObjectJob(S3Client *client, QString bucket, QString key, QObject *parent = nullptr);

    const ObjectInfo &info() const { return m_info; }

Q_SIGNALS:
    void succeeded(const gls::s3::ObjectInfo &info);

protected:
    void run() override;

private:
    void nameNotFound(const aws::AwsError &error);

    QString m_bucket;
    QString m_key;
    ObjectInfo m_info;
};

} // namespace gls::s3
