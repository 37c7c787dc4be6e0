#pragma once

// A presigned GET URL for one object: SigV4 in the query string, signing only
// `host`, UNSIGNED-PAYLOAD, signed for the bucket's Region (discovered first
// when unknown). The expiry must be 1 second to 7 days and must not outlive
// the credentials that sign it; otherwise the job fails with Kind::Validation
// and a message naming the rule, before anything is sent.

#include "S3Job.h"

#include <QDateTime>

namespace gls::s3 {

class PresignJob : public S3Job {
    Q_OBJECT
public:
    static constexpr qint64 kMinExpirySeconds = 1;
    static constexpr qint64 kMaxExpirySeconds = 7 * 24 * 3600;

    PresignJob(S3Client *client, QString bucket, QString key, qint64 expiresSeconds, QObject *parent = nullptr);

    QString url() const { return m_url; }
    QDateTime expiresAt() const { return m_expiresAt; }

    // Empty when `expiresSeconds` is within 1 s..7 days; else the rule.
    static QString expiryProblem(qint64 expiresSeconds);

Q_SIGNALS:
    void succeeded(const QString &url, const QDateTime &expiresAt);

protected:
    void run() override;

private:
    void signFor(const QString &region);

    QString m_bucket;
    QString m_key;
    qint64 m_expiresSeconds;
    QString m_url;
    QDateTime m_expiresAt;
};

} // namespace gls::s3
