#include "PresignJob.h"

#include "BucketRegionJob.h"
#include "S3Address.h"
#include "S3Client.h"

#include "aws/Clock.h"
#include "aws/Credentials.h"

namespace gls::s3 {

PresignJob::PresignJob(S3Client *client, QString bucket, QString key, qint64 expiresSeconds, QObject *parent)
    : S3Job(client, QStringLiteral("PresignGetObject"), parent)
    , m_bucket(std::move(bucket))
    , m_key(std::move(key))
    , m_expiresSeconds(expiresSeconds)
{
}

QString PresignJob::expiryProblem(qint64 expiresSeconds)
{
    if (expiresSeconds >= kMinExpirySeconds && expiresSeconds <= kMaxExpirySeconds)
        return {};
    return QStringLiteral(
        "expiry: a presigned URL must expire in 1 second to 7 days (%1 seconds); %2 seconds was asked")
        .arg(kMaxExpirySeconds)
        .arg(expiresSeconds);
}

void PresignJob::run()
{
    if (!checkObject(m_bucket, m_key))
        return;
    if (const QString problem = expiryProblem(m_expiresSeconds); !problem.isEmpty()) {
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidPresignRequest"), problem);
        return;
    }
    if (const QString known = client()->knownRegion(m_bucket); !known.isEmpty()) {
        signFor(known);
        return;
    }
    // A URL signed for the wrong Region would be refused: ask the bucket first.
    auto *discovery = new BucketRegionJob(client(), m_bucket, this);
    connect(discovery, &BucketRegionJob::succeeded, this, [this](const QString &region) { signFor(region); });
    connect(discovery, &S3Job::failed, this, [this](const aws::AwsError &e) { fail(e); });
    connect(discovery, &S3Job::finished, discovery, &QObject::deleteLater);
    discovery->start();
}

void PresignJob::signFor(const QString &region)
{
    aws::AwsTransport *transport = client()->transport();
    transport->credentials()->fetch(this, [this, region, transport](const aws::CredentialsResult &result) {
        if (isFinished())
            return;
        if (!result.ok()) {
            failWith(aws::AwsError::Kind::Credentials, QStringLiteral("NoCredentials"), result.error);
            return;
        }
        const QDateTime now = transport->clock()->nowUtc().addMSecs(transport->clockOffsetMs());
        const QDateTime expiresAt = now.addSecs(m_expiresSeconds);
        if (result.expiration.isValid() && expiresAt > result.expiration) {
            const qint64 left = qMax<qint64>(0, now.secsTo(result.expiration));
            failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidPresignRequest"),
                QStringLiteral("expiry: a presigned URL must not outlive the credentials that sign it; they "
                               "expire at %1 (in %2 seconds) but %3 seconds was asked")
                    .arg(result.expiration.toUTC().toString(Qt::ISODate))
                    .arg(left)
                    .arg(m_expiresSeconds));
            return;
        }
        QString problem;
        const aws::Endpoint regional = client()->endpoint(region, &problem);
        if (!regional.isValid()) {
            failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidEndpoint"), problem);
            return;
        }
        const S3Address address = S3Address::resolve(regional, m_bucket, m_key);
        sigv4::SigningRequest request;
        request.method = "GET";
        request.wirePath = address.fullPath();
        request.host = address.endpoint.hostHeader();
        request.payloadHash = sigv4::kUnsignedPayload.toByteArray();
        request.pathStyle = sigv4::PathStyle::S3;
        const sigv4::Scope scope{sigv4::amzDate(now).left(8), region.toLatin1(), "s3"};
        const QByteArray query = sigv4::presignQuery(request, result.credentials, scope, now, m_expiresSeconds);
        const QByteArray encoded = address.encodedUrl(query);
        // Qt must carry these bytes unchanged, or the signature breaks.
        const QUrl url = QUrl::fromEncoded(encoded, QUrl::StrictMode);
        if (!url.isValid() || url.toEncoded(QUrl::FullyEncoded | QUrl::NormalizePathSegments) != encoded) {
            failWith(aws::AwsError::Kind::Client, QStringLiteral("InvalidUrl"),
                QStringLiteral("the presigned URL for s3://%1/%2 would not survive Qt's URL handling")
                    .arg(m_bucket, m_key));
            return;
        }
        m_url = QString::fromLatin1(encoded);
        m_expiresAt = expiresAt;
        Q_EMIT succeeded(m_url, m_expiresAt);
        complete();
    });
}

} // namespace gls::s3
