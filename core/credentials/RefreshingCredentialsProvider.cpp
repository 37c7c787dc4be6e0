#include "RefreshingCredentialsProvider.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace gls::creds {

namespace {

Q_LOGGING_CATEGORY(lcRefresh, "gls.creds.refresh", QtWarningMsg)

aws::CredentialsResult detachedCopy(const aws::CredentialsResult &r)
{
    aws::CredentialsResult copy = r;
    copy.credentials.secretAccessKey.detach();
    copy.credentials.sessionToken.detach();
    return copy;
}

} // namespace

RefreshingCredentialsProvider::RefreshingCredentialsProvider(
    aws::CredentialsProvider *source, const aws::Clock *clock, QObject *parent)
    : aws::CredentialsProvider(parent)
    , m_source(source)
    , m_clock(clock)
{
}

RefreshingCredentialsProvider::~RefreshingCredentialsProvider()
{
    dropCache();
}

void RefreshingCredentialsProvider::setRefreshWindows(
    std::chrono::milliseconds advisory, std::chrono::milliseconds mandatory)
{
    m_advisory = std::max(advisory, std::chrono::milliseconds(0));
    m_mandatory = std::clamp(mandatory, std::chrono::milliseconds(0), m_advisory);
}

QDateTime RefreshingCredentialsProvider::expiration() const
{
    return m_hasCache ? m_cache.expiration : QDateTime();
}

void RefreshingCredentialsProvider::fetch(QObject *context, Callback done)
{
    const QDateTime now = m_clock->nowUtc();
    if (m_hasCache) {
        if (!m_cache.expiration.isValid()) {
            serveCached(context, std::move(done));
            return;
        }
        const qint64 left = now.msecsTo(m_cache.expiration);
        if (left >= m_advisory.count() && left > 0) {
            serveCached(context, std::move(done));
            return;
        }
        if (left >= m_mandatory.count() && left > 0) {
            // Advisory window: serve what we have, refresh behind it.
            serveCached(context, std::move(done));
            const bool backingOff
                = m_lastAdvisoryFailure.isValid() && m_lastAdvisoryFailure.msecsTo(now) < m_advisoryRetryDelay.count();
            if (!m_run && !backingOff) {
                m_run = std::make_shared<Run>();
                startRefresh();
            }
            return;
        }
    }
    // Nothing cached, mandatory window or expired: wait for the refresh.
    const bool start = !m_run;
    if (start)
        m_run = std::make_shared<Run>();
    m_run->waiters.append(Waiter{context, context != nullptr, std::move(done)});
    if (start)
        startRefresh();
}

void RefreshingCredentialsProvider::startRefresh()
{
    const std::shared_ptr<Run> run = m_run;
    if (!m_source) {
        aws::CredentialsResult gone;
        gone.error = QStringLiteral("The credential source is gone; reopen the profile.");
        onSourceResult(run, gone);
        return;
    }
    // `this` guards the callback: it is dropped if we are destroyed first.
    m_source->fetch(this, [this, run](const aws::CredentialsResult &r) { onSourceResult(run, r); });
}

void RefreshingCredentialsProvider::onSourceResult(
    const std::shared_ptr<Run> &run, const aws::CredentialsResult &result)
{
    const bool current = m_run == run;
    if (current)
        m_run.reset();

    aws::CredentialsResult r = detachedCopy(result);
    const QDateTime now = m_clock->nowUtc();
    if (r.ok() && r.expiration.isValid() && r.expiration <= now) {
        aws::wipe(r.credentials);
        r.credentials.accessKeyId.clear();
        r.error = QStringLiteral("Credentials from %1 were refreshed but had already expired (at %2, now %3). "
                                 "Renew the source's session and check this computer's clock.")
                      .arg(r.source, r.expiration.toString(Qt::ISODate), now.toString(Qt::ISODate));
    }
    if (!r.ok() && r.error.isEmpty())
        r.error = QStringLiteral("The credential source %1 returned no credentials.").arg(r.source);

    if (current) {
        if (r.ok()) {
            dropCache();
            m_cache = detachedCopy(r);
            m_hasCache = true;
            m_lastAdvisoryFailure = QDateTime();
        } else {
            m_lastAdvisoryFailure = now;
            qCWarning(lcRefresh).noquote() << "credential refresh failed:" << r.error;
        }
    }

    const QList<Waiter> waiters = std::exchange(run->waiters, {});
    const QString error = r.error;
    // From here on nothing touches `this`: a slot or callback may delete it.
    if (current) {
        if (error.isEmpty())
            Q_EMIT refreshed();
        else
            Q_EMIT refreshFailed(error);
    }
    for (const Waiter &w : waiters) {
        if (w.guarded && !w.context)
            continue;
        w.done(r);
    }
    aws::wipe(r.credentials);
}

void RefreshingCredentialsProvider::serveCached(QObject *context, Callback done)
{
    QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    // Next event-loop turn, like the other providers: callers never re-enter.
    QTimer::singleShot(
        0, guarded ? context : this, [guard, guarded, done = std::move(done), r = detachedCopy(m_cache)]() mutable {
            if (!guarded || guard)
                done(r);
            aws::wipe(r.credentials);
        });
}

void RefreshingCredentialsProvider::invalidate()
{
    dropCache();
    m_lastAdvisoryFailure = QDateTime();
    m_run.reset(); // a refresh under way answers its callers but is not cached
    if (m_source)
        m_source->invalidate();
}

void RefreshingCredentialsProvider::dropCache()
{
    aws::wipe(m_cache.credentials);
    m_cache = aws::CredentialsResult();
    m_hasCache = false;
}

} // namespace gls::creds
