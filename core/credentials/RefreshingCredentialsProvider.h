#pragma once

// Caches another provider's credentials and refreshes them ahead of expiry,
// the way botocore's RefreshableCredentials does:
//  - no expiration: cached until invalidate();
//  - more than the advisory window (15 min) left: served from the cache;
//  - inside the advisory window: served from the cache while one refresh runs
//    in the background; if it fails the cached credentials stay in use;
//  - inside the mandatory window (10 min), or expired: callers wait for the
//    refresh and get its error if it fails. Expired credentials are never served.
// Concurrent fetches share one source fetch. Work already holding older
// credentials is unaffected: AwsTransport fetches credentials per attempt.

#include "aws/Clock.h"
#include "aws/Credentials.h"

#include <QList>
#include <QPointer>

#include <chrono>
#include <memory>

namespace gls::creds {

class RefreshingCredentialsProvider final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultAdvisoryWindow = std::chrono::minutes(15);
    static constexpr std::chrono::milliseconds DefaultMandatoryWindow = std::chrono::minutes(10);
    // After a failed background refresh, the next one waits this long (the
    // mandatory window does not wait), so a failing helper is not re-run on
    // every request.
    static constexpr std::chrono::milliseconds DefaultAdvisoryRetryDelay = std::chrono::seconds(30);

    // `source` and `clock` are not owned; `source` may be a child of this
    // provider. Both must outlive it.
    RefreshingCredentialsProvider(aws::CredentialsProvider *source, const aws::Clock *clock, QObject *parent = nullptr);
    ~RefreshingCredentialsProvider() override;

    // Windows before expiry; `mandatory` is clamped to at most `advisory`.
    void setRefreshWindows(std::chrono::milliseconds advisory, std::chrono::milliseconds mandatory);
    void setAdvisoryRetryDelay(std::chrono::milliseconds delay) { m_advisoryRetryDelay = delay; }
    std::chrono::milliseconds advisoryWindow() const { return m_advisory; }
    std::chrono::milliseconds mandatoryWindow() const { return m_mandatory; }

    // When the cached credentials expire; invalid when nothing is cached or
    // the cached credentials do not expire.
    QDateTime expiration() const;
    bool hasCachedCredentials() const { return m_hasCache; }
    // The cached credentials' source ("process:dev", ...), or empty.
    QString cachedSource() const { return m_hasCache ? m_cache.source : QString(); }
    bool isRefreshing() const { return m_run != nullptr; }

    void fetch(QObject *context, Callback done) override;
    // Drops the cache and invalidates the source. A refresh already under way
    // still answers its callers but is not cached.
    void invalidate() override;

Q_SIGNALS:
    // New credentials are cached (expiration() tells until when).
    void refreshed();
    // A refresh failed; `error` says what to do and holds no secret.
    void refreshFailed(const QString &error);

private:
    struct Waiter {
        QPointer<QObject> context;
        bool guarded = false;
        Callback done;
    };
    struct Run {
        QList<Waiter> waiters;
    };

    void startRefresh();
    void onSourceResult(const std::shared_ptr<Run> &run, const aws::CredentialsResult &result);
    void serveCached(QObject *context, Callback done);
    void dropCache();

    QPointer<aws::CredentialsProvider> m_source;
    const aws::Clock *m_clock;
    std::chrono::milliseconds m_advisory = DefaultAdvisoryWindow;
    std::chrono::milliseconds m_mandatory = DefaultMandatoryWindow;
    std::chrono::milliseconds m_advisoryRetryDelay = DefaultAdvisoryRetryDelay;

    aws::CredentialsResult m_cache;
    bool m_hasCache = false;
    QDateTime m_lastAdvisoryFailure;
    std::shared_ptr<Run> m_run; // the refresh under way, if any
};

} // namespace gls::creds
