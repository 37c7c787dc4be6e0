#include "S3Job.h"

#include "S3Address.h"
#include "S3Client.h"
#include "S3Uri.h"

#include <QRegularExpression>
#include <QTimer>

namespace gls::s3 {

QString regionFromErrorAnswer(const aws::AwsError &error)
{
    if (error.httpStatus != 301 && error.httpStatus != 400)
        return {};
    if (!error.region.isEmpty())
        return error.region;
    static const QRegularExpression expecting(QStringLiteral("expecting '([a-z0-9-]+)'"));
    return expecting.match(error.message).captured(1);
}

S3Job::S3Job(S3Client *client, QString operation, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_operation(std::move(operation))
{
}

S3Job::~S3Job() = default;

void S3Job::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_timeoutMs > 0) {
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
        connect(m_deadline, &QTimer::timeout, this, &S3Job::onTimeout);
        m_deadline->start(m_timeoutMs);
    }
    QTimer::singleShot(0, this, [this] {
        if (m_finished)
            return;
        if (!m_client || !m_client->transport()) {
            failWith(aws::AwsError::Kind::Client, QStringLiteral("ClientGone"),
                QStringLiteral("the S3 client was destroyed before the job ran"));
            return;
        }
        run();
    });
}

void S3Job::cancel()
{
    if (m_finished)
        return;
    failWith(aws::AwsError::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("cancelled"));
}

void S3Job::onTimeout()
{
    failWith(aws::AwsError::Kind::Timeout, QStringLiteral("Timeout"),
        QStringLiteral("no result within %1 ms").arg(m_timeoutMs));
}

void S3Job::failWith(aws::AwsError::Kind kind, const QString &type, const QString &message)
{
    aws::AwsError e;
    e.kind = kind;
    e.type = type;
    e.message = message;
    fail(e);
}

bool S3Job::checkBucket(const QString &bucket)
{
    const QString problem = bucketNameProblem(bucket);
    if (!problem.isEmpty())
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidBucketName"), problem);
    return problem.isEmpty();
}

bool S3Job::checkObject(const QString &bucket, const QString &key)
{
    if (!checkBucket(bucket))
        return false;
    const QString problem = S3Address::keyProblem(key);
    if (!problem.isEmpty())
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidKey"), problem);
    return problem.isEmpty();
}

aws::AwsError S3Job::renamed(aws::AwsError error, const QString &type, const QString &message)
{
    error.type = type;
    error.message = message;
    return error;
}

aws::AwsError S3Job::noSuchBucket(aws::AwsError error, const QString &bucket)
{
    return renamed(std::move(error), QStringLiteral("NoSuchBucket"),
        QStringLiteral("The specified bucket does not exist: %1").arg(bucket));
}

void S3Job::fail(aws::AwsError error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_deadline)
        m_deadline->stop();
    if (m_call) {
        aws::AwsCall *call = m_call;
        m_call = nullptr;
        call->disconnect(this);
        if (!call->isFinished())
            call->abort();
        call->deleteLater();
    }
    if (error.operation.isEmpty())
        error.operation = m_operation;
    m_error = error;
    cleanUp();
    qCDebug(lcS3).noquote() << error.toString();
    Q_EMIT failed(m_error);
    Q_EMIT finished();
}

void S3Job::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_deadline)
        m_deadline->stop();
    Q_EMIT finished();
}

void S3Job::send(
    const QString &bucket, const QString &key, aws::AwsRequest request, OnResponse onResponse, OnError onError)
{
    sendTo(
        bucket, key, m_client->regionFor(bucket), std::move(request), std::move(onResponse), std::move(onError), false);
}

void S3Job::sendTo(const QString &bucket, const QString &key, const QString &region, aws::AwsRequest request,
    OnResponse onResponse, OnError onError, bool redirected)
{
    if (m_finished)
        return;
    QString problem;
    const aws::Endpoint regional = m_client->endpoint(region, &problem);
    if (!regional.isValid()) {
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidEndpoint"), problem);
        return;
    }
    const S3Address address = S3Address::resolve(regional, bucket, key);
    request.path = address.path;
    if (request.operation.isEmpty())
        request.operation = m_operation;
    aws::AwsCall *call = m_client->transport()->send(address.endpoint, request, this);
    m_call = call;
    connect(call, &aws::AwsCall::succeeded, this, [this, call, bucket, onResponse](const aws::AwsResponse &r) {
        if (m_call == call)
            m_call = nullptr;
        call->deleteLater();
        if (const QByteArray reported = r.header("x-amz-bucket-region"); !reported.isEmpty())
            m_client->rememberRegion(bucket, QString::fromLatin1(reported));
        if (!m_finished)
            onResponse(r);
    });
    connect(call, &aws::AwsCall::failed, this,
        [this, call, bucket, key, region, request, onResponse, onError, redirected](const aws::AwsError &e) {
            if (m_call == call)
                m_call = nullptr;
            call->deleteLater();
            if (m_finished)
                return;
            // HeadBucket reports the Region on 403 too: worth keeping.
            m_client->rememberRegion(bucket, e.region);
            const QString named = regionFromErrorAnswer(e);
            if (!named.isEmpty() && named != region) {
                m_client->rememberRegion(bucket, named);
                if (!redirected) {
                    qCInfo(lcS3).noquote()
                        << "bucket" << bucket << "is in" << named << "- sending" << request.operation << "there";
                    sendTo(bucket, key, named, request, onResponse, onError, true);
                    return;
                }
            }
            if (onError)
                onError(e);
            else
                fail(e);
        });
}

} // namespace gls::s3
