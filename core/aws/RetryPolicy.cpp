#include "RetryPolicy.h"

#include "AwsError.h"

#include <QRandomGenerator>
#include <QSet>

#include <algorithm>

namespace gls::aws {

RetryPolicy::RetryPolicy(RetrySettings settings, Random random)
    : m_settings(settings)
    , m_random(random ? std::move(random) : Random([] { return QRandomGenerator::global()->generateDouble(); }))
    , m_quota(settings.quotaCapacity)
{
}

RetryPolicy::Class RetryPolicy::classify(const AwsError &error, QByteArrayView method)
{
    static const QSet<QString> throttling = {
        QStringLiteral("ThrottlingException"), QStringLiteral("Throttling"), QStringLiteral("ThrottledException"),
        QStringLiteral("TooManyRequestsException"), QStringLiteral("RequestLimitExceeded"),
        QStringLiteral("RequestThrottled"), QStringLiteral("RequestThrottledException"), QStringLiteral("SlowDown"),
        QStringLiteral("ProvisionedThroughputExceededException"), QStringLiteral("BandwidthLimitExceeded"),
        QStringLiteral("LimitExceededException"), QStringLiteral("PriorRequestNotComplete"),
        QStringLiteral("EC2ThrottledException"),
    };
    static const QSet<QString> transient = {
        QStringLiteral("InternalServerException"), QStringLiteral("InternalError"), QStringLiteral("InternalFailure"),
        QStringLiteral("ServiceUnavailable"), QStringLiteral("ServiceUnavailableException"),
        QStringLiteral("RequestTimeout"), QStringLiteral("RequestTimeoutException"),
        QStringLiteral("IDPCommunicationError"),
    };
    static const QSet<QString> skew = {
        QStringLiteral("InvalidSignatureException"), QStringLiteral("SignatureDoesNotMatch"),
        QStringLiteral("RequestTimeTooSkewed"), QStringLiteral("RequestExpired"),
        QStringLiteral("RequestInTheFuture"), QStringLiteral("AuthFailure"),
    };
    switch (error.kind) {
    case AwsError::Kind::Timeout:
        return Class::Timeout;
    case AwsError::Kind::Network:
        return Class::Transient;
    case AwsError::Kind::Service:
        if (throttling.contains(error.type) || error.httpStatus == 429)
            return Class::Throttling;
        if (skew.contains(error.type) || (error.httpStatus == 403 && method == "HEAD"))
            return Class::ClockSkew;
        if (transient.contains(error.type) || error.httpStatus == 500 || error.httpStatus == 502
            || error.httpStatus == 503 || error.httpStatus == 504)
            return Class::Transient;
        return Class::NotRetryable;
    default:
        return Class::NotRetryable;
    }
}

bool RetryPolicy::acquireRetry(const AwsError &error, int attempt)
{
    const Class c = classify(error);
    if (c == Class::NotRetryable || c == Class::ClockSkew || attempt >= m_settings.maxAttempts)
        return false;
    const int cost = c == Class::Timeout ? m_settings.timeoutRetryCost : m_settings.retryCost;
    if (m_quota < cost)
        return false; // the quota is spent: fail fast rather than hammer a failing service
    m_quota -= cost;
    return true;
}

int RetryPolicy::backoffMs(int attempt)
{
    const qint64 exp = qint64(1000) << std::clamp(attempt - 1, 0, 20);
    const qint64 cap = std::min<qint64>(exp, m_settings.maxBackoffMs);
    return int(m_random() * double(cap));
}

void RetryPolicy::recordSuccess(int attempts, bool lastRetryWasTimeout)
{
    const int refund = attempts <= 1 ? 1 : (lastRetryWasTimeout ? m_settings.timeoutRetryCost : m_settings.retryCost);
    m_quota = std::min(m_settings.quotaCapacity, m_quota + refund);
}

RetrySettings RetryPolicy::fromEnvironment(const QString &maxAttemptsValue, QString *warning)
{
    RetrySettings s;
    if (maxAttemptsValue.isEmpty())
        return s;
    bool ok = false;
    const int n = maxAttemptsValue.toInt(&ok);
    if (!ok || n < 1 || n > 20) {
        if (warning)
            *warning = QStringLiteral("AWS_MAX_ATTEMPTS must be a whole number from 1 to 20; using %1")
                           .arg(s.maxAttempts);
        return s;
    }
    s.maxAttempts = n;
    return s;
}

} // namespace gls::aws
