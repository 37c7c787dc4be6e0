#include "ListObjectsJob.h"

#include "S3Client.h"

namespace gls::s3 {

ListObjectsJob::ListObjectsJob(S3Client *client, QString bucket, QString prefix, QObject *parent)
    : S3Job(client, QStringLiteral("ListObjectsV2"), parent)
    , m_bucket(std::move(bucket))
    , m_prefix(std::move(prefix))
{
}

void ListObjectsJob::run()
{
    if (!checkBucket(m_bucket))
        return;
    if (m_pageSize < 1 || m_pageSize > 1000) {
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidPageSize"),
            QStringLiteral("the page size must be 1 to 1000 keys (it is %1)").arg(m_pageSize));
        return;
    }
    requestPage({});
}

void ListObjectsJob::requestPage(const QString &token)
{
    aws::AwsRequest request;
    request.query = {{"list-type", "2"}, {"encoding-type", "url"}};
    if (!m_prefix.isEmpty())
        request.query.append({"prefix", m_prefix.toUtf8()});
    if (m_pageSize != 1000)
        request.query.append({"max-keys", QByteArray::number(m_pageSize)});
    if (!token.isEmpty())
        request.query.append({"continuation-token", token.toUtf8()});
    send(m_bucket, {}, request, [this, token](const aws::AwsResponse &r) {
        ListObjectsV2Page page;
        QString problem;
        if (!ListObjectsV2Page::parse(r.body, &page, &problem)) {
            failWith(aws::AwsError::Kind::Client, QStringLiteral("UnreadableAnswer"), problem);
            return;
        }
        ++m_pages;
        m_objects += page.objects;
        Q_EMIT pageReceived(int(m_objects.size()));
        if (!page.isTruncated) {
            Q_EMIT succeeded(m_objects);
            complete();
            return;
        }
        if (page.nextContinuationToken == token) {
            failWith(aws::AwsError::Kind::Client, QStringLiteral("UnreadableAnswer"),
                QStringLiteral("the listing of %1 repeats its continuation token").arg(m_bucket));
            return;
        }
        if (m_maxPages > 0 && m_pages >= m_maxPages) {
            failWith(aws::AwsError::Kind::Client, QStringLiteral("TooManyPages"),
                QStringLiteral("the listing of s3://%1/%2 did not end within %3 pages")
                    .arg(m_bucket, m_prefix)
                    .arg(m_maxPages));
            return;
        }
        requestPage(page.nextContinuationToken);
    });
}

} // namespace gls::s3
