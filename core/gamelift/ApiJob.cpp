#include "ApiJob.h"

#include "GameLiftClient.h"
#include "GameLiftJson.h"

#include <QJsonObject>
#include <QTimer>

namespace gls::gamelift {

ApiJob::ApiJob(GameLiftClient *client, QString operation)
    : QObject(client)
    , m_client(client)
    , m_operation(std::move(operation))
    , m_timeoutMs(client ? client->defaultTimeoutMs() : 0)
    , m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &ApiJob::onDeadline);
}

ApiJob::~ApiJob()
{
    stopCall();
}

void ApiJob::setTimeoutMs(int ms)
{
    m_timeoutMs = qMax(0, ms);
}

void ApiJob::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    aws::AwsError error;
    const QString problem = validate();
    if (!problem.isEmpty())
        error = localError(aws::AwsError::Kind::Validation, QStringLiteral("InvalidParameter"), problem);
    else if (!m_client || !m_client->transport())
        error = noTransport();
    // Never emit from inside start(): the caller may still be connecting.
    QTimer::singleShot(0, this, [this, error] {
        if (m_finished)
            return;
        if (error.isError()) {
            qCDebug(lcGameLift) << m_operation << "refused before sending:" << error.message;
            fail(error);
            return;
        }
        run();
    });
}

void ApiJob::abort()
{
    if (m_finished)
        return;
    m_started = true;
    stopCall();
    fail(localError(aws::AwsError::Kind::Cancelled, QStringLiteral("Cancelled"), QStringLiteral("cancelled")));
}

void ApiJob::send(aws::AwsRequest request, std::function<void(const aws::AwsResponse &)> onSuccess)
{
    Q_ASSERT(!m_call);
    if (!m_client || !m_client->transport()) {
        fail(noTransport());
        return;
    }
    request.operation = m_operation;
    qCDebug(lcGameLift).noquote() << m_operation << request.method << request.path;
    m_onSuccess = std::move(onSuccess);
    aws::AwsCall *call = m_client->transport()->send(m_client->endpoint(), std::move(request), this);
    m_call = call;
    connect(call, &aws::AwsCall::finished, this, [this, call] { onCallFinished(call); });
    if (m_timeoutMs > 0)
        m_deadline->start(m_timeoutMs);
    if (call->isFinished()) // it ended before we could connect
        onCallFinished(call);
}

void ApiJob::onCallFinished(aws::AwsCall *call)
{
    if (call != m_call) // already handled, or dropped by abort()/the deadline
        return;
    m_call = nullptr;
    m_deadline->stop();
    call->disconnect(this);
    call->deleteLater();
    if (call->error().isError()) {
        aws::AwsError error = call->error();
        if (error.operation.isEmpty())
            error.operation = m_operation;
        fail(error);
        return;
    }
    const auto onSuccess = std::move(m_onSuccess);
    m_onSuccess = nullptr;
    if (onSuccess)
        onSuccess(call->response());
}

void ApiJob::onDeadline()
{
    if (m_finished || !m_call)
        return;
    stopCall();
    fail(localError(aws::AwsError::Kind::Timeout, QStringLiteral("Timeout"),
        QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000.0)));
}

void ApiJob::stopCall()
{
    m_deadline->stop();
    if (aws::AwsCall *call = m_call) {
        m_call = nullptr;
        call->disconnect(this);
        call->abort();
        call->deleteLater();
    }
    m_onSuccess = nullptr;
}

bool ApiJob::parseBody(const aws::AwsResponse &response, QJsonObject *out, bool allowEmpty)
{
    QString problem;
    if (json::parseObject(response.body, out, &problem, allowEmpty))
        return true;
    failInvalidResponse(response, problem);
    return false;
}

bool ApiJob::decodeBody(
    const aws::AwsResponse &response, const std::function<bool(const QJsonObject &, QString *problem)> &decode)
{
    QJsonObject body;
    if (!parseBody(response, &body))
        return false;
    QString problem;
    if (decode(body, &problem))
        return true;
    failInvalidResponse(response, problem);
    return false;
}

void ApiJob::failInvalidResponse(const aws::AwsResponse &response, const QString &problem)
{
    aws::AwsError error = localError(aws::AwsError::Kind::Client, QStringLiteral("InvalidResponse"),
        QStringLiteral("could not read the service's answer: %1").arg(problem));
    error.httpStatus = response.status;
    error.requestId = response.requestId;
    error.attempts = response.attempts;
    fail(error);
}

void ApiJob::succeed(const std::function<void()> &emitResult)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline->stop();
    qCDebug(lcGameLift) << m_operation << "succeeded";
    QPointer<ApiJob> guard(this);
    emitResult();
    if (guard)
        finish();
}

void ApiJob::fail(aws::AwsError error)
{
    if (m_finished)
        return;
    m_finished = true;
    stopCall(); // a request sent ahead (the next page) is not wanted any more
    m_error = std::move(error);
    qCDebug(lcGameLift).noquote() << m_error.toString();
    QPointer<ApiJob> guard(this);
    Q_EMIT failed(m_error);
    if (guard)
        finish();
}

void ApiJob::finish()
{
    QPointer<ApiJob> guard(this);
    Q_EMIT finished();
    if (guard && m_autoDelete)
        deleteLater();
}

aws::AwsError ApiJob::localError(aws::AwsError::Kind kind, const QString &type, const QString &message) const
{
    aws::AwsError error;
    error.kind = kind;
    error.type = type;
    error.message = message;
    error.operation = m_operation;
    return error;
}

aws::AwsError ApiJob::noTransport() const
{
    return localError(aws::AwsError::Kind::Client, QStringLiteral("NoTransport"),
        QStringLiteral("the GameLift Streams client or its transport is gone"));
}

QByteArray ApiJob::label(const QString &identifier)
{
    return sigv4::uriEncode(identifier.toUtf8(), true);
}

} // namespace gls::gamelift
