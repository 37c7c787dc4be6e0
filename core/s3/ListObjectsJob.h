#pragma once

// ListObjectsV2 under a prefix, following continuation tokens until the
// listing ends: every object, in S3's (UTF-8 byte) order.

#include "ListObjectsV2Page.h"
#include "S3Job.h"

namespace gls::s3 {

class ListObjectsJob : public S3Job {
    Q_OBJECT
public:
    ListObjectsJob(S3Client *client, QString bucket, QString prefix, QObject *parent = nullptr);

    // Keys per page (1..1000; S3's default 1000).
    void setPageSize(int keys) { m_pageSize = keys; }
    // Stops with an error after this many pages (a guard against a listing
    // that never ends); 0: no limit.
    void setMaxPages(int pages) { m_maxPages = pages; }

    const QList<ObjectInfo> &objects() const { return m_objects; }
    int pages() const { return m_pages; }

Q_SIGNALS:
    void pageReceived(int objectsSoFar);
    void succeeded(const QList<gls::s3::ObjectInfo> &objects);

protected:
    void run() override;

private:
    void requestPage(const QString &token);

    QString m_bucket;
    QString m_prefix;
    int m_pageSize = 1000;
    int m_maxPages = 0;
    int m_pages = 0;
    QList<ObjectInfo> m_objects;
};

} // namespace gls::s3
