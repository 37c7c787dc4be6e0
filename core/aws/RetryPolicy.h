#pragma once

// Retries as the AWS SDKs' "standard" mode: a few attempts, exponential
// backoff with full jitter capped at 20 s, and a retry quota that makes a
// failing service fail fast instead of being hammered. Pure: the random source
// is injected, so tests can pin every delay.

#include <QByteArrayView>
#include <QString>

#include <functional>

namespace gls::aws {

struct AwsError;

struct RetrySettings {
    int maxAttempts = 3;          // AWS_MAX_ATTEMPTS
    int maxBackoffMs = 20'000;
    int quotaCapacity = 500;
    int retryCost = 5;
    int timeoutRetryCost = 10;
};

class RetryPolicy {
public:
    using Random = std::function<double()>; // uniform in [0, 1)

    explicit RetryPolicy(RetrySettings settings = {}, Random random = {});

    enum class Class { NotRetryable, Transient, Throttling, Timeout, ClockSkew };
    // `method` is the request's HTTP method, when known: S3 answers a HEAD
    // signed with a wrong clock with a bare 403 (no body to say
    // RequestTimeTooSkewed), so that is ClockSkew too; the transport corrects
    // its clock only when the answer's Date header is far from its own.
    static Class classify(const AwsError &error, QByteArrayView method = {});

    // Whether attempt `attempt` (1-based, the one that just failed) may be
    // followed by another; takes the retry's cost from the quota when yes.
    bool acquireRetry(const AwsError &error, int attempt);
    // Delay before attempt `attempt + 1`: random(0,1) x min(2^(attempt-1) s, 20 s).
    int backoffMs(int attempt);
    // A request succeeded after `attempts` tries: refund what its retries took
    // (or 1 when it took none).
    void recordSuccess(int attempts, bool lastRetryWasTimeout = false);

    int quota() const { return m_quota; }
    const RetrySettings &settings() const { return m_settings; }

    // Reads AWS_MAX_ATTEMPTS (1..20); invalid values keep the default and say so in *warning.
    static RetrySettings fromEnvironment(const QString &maxAttemptsValue, QString *warning);

private:
    RetrySettings m_settings;
    Random m_random;
    int m_quota;
};

} // namespace gls::aws
