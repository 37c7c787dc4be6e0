// Caching and refresh-ahead of expiring credentials, as botocore does it:
// advisory window (refresh behind the cached credentials), mandatory window
// (callers wait), coalescing and invalidation. Time is a ManualClock.

#include "aws/Clock.h"
#include "credentials/ProcessCredentialsProvider.h"
#include "credentials/RefreshingCredentialsProvider.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gls;
using gls::creds::RefreshingCredentialsProvider;
using namespace std::chrono_literals;

namespace {

const QDateTime T0 = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);

// A fake source, on purpose: the refresh rules are about when the source is
// asked and what callers get meanwhile, so the test holds each source fetch
// until it answers it. The end-to-end case below uses the real
// ProcessCredentialsProvider instead.
class CountingSource final : public aws::CredentialsProvider {
public:
    int fetches = 0;
    int invalidations = 0;
    QList<std::pair<QPointer<QObject>, Callback>> pending;

    void fetch(QObject *context, Callback done) override
    {
        ++fetches;
        pending.append({QPointer<QObject>(context), std::move(done)});
    }
    void invalidate() override { ++invalidations; }
    // Answers every fetch waiting so far.
    void answer(const aws::CredentialsResult &r)
    {
        const auto waiting = std::exchange(pending, {});
        for (const auto &[context, done] : waiting) {
            if (context)
                done(r);
        }
    }
};

aws::CredentialsResult made(int n, const QDateTime &expiration = QDateTime())
{
    aws::CredentialsResult r;
    r.credentials.accessKeyId = "AKIDREFRESH" + QByteArray::number(n);
    r.credentials.secretAccessKey = "secret-number-" + QByteArray::number(n);
    r.credentials.sessionToken = "token-number-" + QByteArray::number(n);
    r.expiration = expiration;
    r.source = QStringLiteral("fake");
    return r;
}

aws::CredentialsResult failure(const QString &error)
{
    aws::CredentialsResult r;
    r.error = error;
    r.source = QStringLiteral("fake");
    return r;
}

struct Got {
    bool called = false;
    int calls = 0;
    aws::CredentialsResult result;
};

std::shared_ptr<Got> fetchInto(aws::CredentialsProvider &provider, QObject *context)
{
    auto got = std::make_shared<Got>();
    provider.fetch(context, [got](const aws::CredentialsResult &r) {
        got->called = true;
        ++got->calls;
        got->result = r;
    });
    return got;
}

} // namespace

class TestRefreshingCredentials : public QObject {
    Q_OBJECT

    std::unique_ptr<aws::ManualClock> m_clock;
    std::unique_ptr<CountingSource> m_source;
    std::unique_ptr<RefreshingCredentialsProvider> m_provider;

    // Fetches through the provider, answering the source with `answer` if it
    // is asked; returns what the caller got.
    aws::CredentialsResult fetchAnswering(const aws::CredentialsResult &answer)
    {
        const auto got = fetchInto(*m_provider, this);
        if (!m_source->pending.isEmpty())
            m_source->answer(answer);
        if (!QTest::qWaitFor([&] { return got->called; }, 5000))
            return failure(QStringLiteral("no answer"));
        return got->result;
    }
    // Caches credentials 1, expiring at T0 + 60 min.
    void primeCache()
    {
        const aws::CredentialsResult r = fetchAnswering(made(1, T0.addSecs(3600)));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(m_source->fetches, 1);
    }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_unique<aws::ManualClock>(T0);
        m_source = std::make_unique<CountingSource>();
        m_provider = std::make_unique<RefreshingCredentialsProvider>(m_source.get(), m_clock.get());
    }
    void cleanup()
    {
        m_provider.reset();
        m_source.reset();
        m_clock.reset();
    }

    void cachedUntilAdvisoryWindow()
    {
        QSignalSpy refreshed(m_provider.get(), &RefreshingCredentialsProvider::refreshed);
        primeCache();
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(m_provider->expiration(), T0.addSecs(3600));

        m_clock->set(T0.addSecs(45 * 60 - 1)); // 15 min + 1 s left
        const auto got = fetchInto(*m_provider, this);
        QTRY_VERIFY(got->called);
        QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QVERIFY(got->result.credentials.secretAccessKey == "secret-number-1");
        QCOMPARE(got->result.expiration, T0.addSecs(3600));
        QCOMPARE(m_source->fetches, 1);
        QVERIFY(!m_provider->isRefreshing());
    }

    void advisoryRefreshServesOldThenNew()
    {
        primeCache();
        QSignalSpy refreshed(m_provider.get(), &RefreshingCredentialsProvider::refreshed);
        m_clock->set(T0.addSecs(46 * 60)); // 14 min left
        const auto during = fetchInto(*m_provider, this);
        const auto alsoDuring = fetchInto(*m_provider, this);
        QTRY_VERIFY(during->called && alsoDuring->called); // not kept waiting for the refresh
        QCOMPARE(during->result.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(alsoDuring->result.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(m_source->fetches, 2); // one background refresh for both
        QVERIFY(m_provider->isRefreshing());

        m_source->answer(made(2, T0.addSecs(2 * 3600)));
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(m_provider->expiration(), T0.addSecs(2 * 3600));
        const aws::CredentialsResult after = fetchAnswering(failure(QStringLiteral("not asked")));
        QCOMPARE(after.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(m_source->fetches, 2);
    }

    void advisoryFailureKeepsOld()
    {
        primeCache();
        QSignalSpy failed(m_provider.get(), &RefreshingCredentialsProvider::refreshFailed);
        m_clock->set(T0.addSecs(46 * 60));
        const auto during = fetchInto(*m_provider, this);
        QTRY_VERIFY(during->called);
        m_source->answer(failure(QStringLiteral("helper is down")));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("helper is down"));

        const aws::CredentialsResult still = fetchAnswering(failure(QStringLiteral("should not be asked")));
        QVERIFY2(still.ok(), qPrintable(still.error));
        QCOMPARE(still.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(m_source->fetches, 2); // a failing source is not re-run on every request
        QCOMPARE(m_provider->expiration(), T0.addSecs(3600));

        m_clock->advanceMs(31 * 1000); // after the retry delay it tries again
        const aws::CredentialsResult retried = fetchAnswering(made(3, T0.addSecs(2 * 3600)));
        QCOMPARE(retried.credentials.accessKeyId, QByteArray("AKIDREFRESH1")); // served while refreshing
        QCOMPARE(m_source->fetches, 3);
        QCOMPARE(m_provider->expiration(), T0.addSecs(2 * 3600));
    }

    void mandatoryWindowWaits()
    {
        primeCache();
        m_clock->set(T0.addSecs(51 * 60)); // 9 min left
        const auto got = fetchInto(*m_provider, this);
        QTRY_COMPARE(m_source->pending.size(), 1);
        QCoreApplication::processEvents();
        QVERIFY(!got->called); // waits for the refresh
        m_source->answer(made(2, T0.addSecs(2 * 3600)));
        QTRY_VERIFY(got->called);
        QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(m_source->fetches, 2);
    }

    void mandatoryFailureReportsError()
    {
        primeCache();
        QSignalSpy failed(m_provider.get(), &RefreshingCredentialsProvider::refreshFailed);
        m_clock->set(T0.addSecs(51 * 60));
        const aws::CredentialsResult r = fetchAnswering(failure(QStringLiteral("sign in again")));
        QVERIFY(!r.ok());
        QVERIFY(r.credentials.accessKeyId.isEmpty());
        QCOMPARE(r.error, QStringLiteral("sign in again"));
        QCOMPARE(failed.count(), 1);
        // The next request tries again at once: no back-off in the mandatory window.
        const aws::CredentialsResult again = fetchAnswering(made(2, T0.addSecs(2 * 3600)));
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(m_source->fetches, 3);
    }

    void expiredCredentialsNeverReturned()
    {
        primeCache();
        m_clock->set(T0.addSecs(61 * 60)); // expired
        const aws::CredentialsResult r = fetchAnswering(failure(QStringLiteral("offline")));
        QVERIFY(!r.ok());
        QVERIFY(r.credentials.accessKeyId.isEmpty());

        // A source handing back credentials that are already expired is an error too.
        QSignalSpy failed(m_provider.get(), &RefreshingCredentialsProvider::refreshFailed);
        const aws::CredentialsResult stale = fetchAnswering(made(2, T0.addSecs(30 * 60)));
        QVERIFY(!stale.ok());
        QVERIFY(stale.credentials.accessKeyId.isEmpty());
        QVERIFY(stale.credentials.secretAccessKey.isEmpty());
        QVERIFY2(stale.error.contains(QStringLiteral("already expired")), qPrintable(stale.error));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m_provider->expiration(), T0.addSecs(3600)); // the stale answer was not cached
    }

    void concurrentFetchesCoalesce()
    {
        const auto a = fetchInto(*m_provider, this);
        const auto b = fetchInto(*m_provider, this);
        const auto c = fetchInto(*m_provider, this);
        QCOMPARE(m_source->fetches, 1);
        m_source->answer(made(1, T0.addSecs(3600)));
        QTRY_VERIFY(a->called && b->called && c->called);
        for (const auto &got : {a, b, c}) {
            QCOMPARE(got->calls, 1);
            QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        }
        // The same in the mandatory window.
        m_clock->set(T0.addSecs(55 * 60));
        const auto d = fetchInto(*m_provider, this);
        const auto e = fetchInto(*m_provider, this);
        QCOMPARE(m_source->fetches, 2);
        m_source->answer(made(2, T0.addSecs(2 * 3600)));
        QTRY_VERIFY(d->called && e->called);
        QCOMPARE(d->result.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(e->result.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
    }

    void withoutExpirationCachedUntilInvalidate()
    {
        QVERIFY(fetchAnswering(made(1)).ok());
        QVERIFY(!m_provider->expiration().isValid());
        m_clock->set(T0.addDays(30));
        QCOMPARE(fetchAnswering(made(9)).credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(m_source->fetches, 1);

        m_provider->invalidate();
        QCOMPARE(m_source->invalidations, 1);
        QVERIFY(!m_provider->hasCachedCredentials());
        QCOMPARE(fetchAnswering(made(2)).credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(m_source->fetches, 2);
    }

    void invalidateDuringRefresh()
    {
        // A refresh started before invalidate() answers its caller, but what it
        // brings is not cached: the next caller gets a fresh fetch.
        const auto before = fetchInto(*m_provider, this);
        m_provider->invalidate();
        const auto after = fetchInto(*m_provider, this);
        QCOMPARE(m_source->fetches, 2);
        const auto waiting = std::exchange(m_source->pending, {});
        waiting.at(0).second(made(1)); // the old fetch
        QTRY_VERIFY(before->called);
        QCOMPARE(before->result.credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QVERIFY(!after->called);
        QVERIFY(!m_provider->hasCachedCredentials());
        waiting.at(1).second(made(2));
        QTRY_VERIFY(after->called);
        QCOMPARE(after->result.credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
        QCOMPARE(fetchAnswering(made(3)).credentials.accessKeyId, QByteArray("AKIDREFRESH2"));
    }

    void shortLivedCredentialsWithShortWindows()
    {
        m_provider->setRefreshWindows(2s, 1s);
        QCOMPARE(m_provider->advisoryWindow(), 2000ms);
        QVERIFY(fetchAnswering(made(1, T0.addSecs(5))).ok());
        m_clock->set(T0.addMSecs(2500)); // 2.5 s left: cached
        QCOMPARE(fetchAnswering(made(9)).credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(m_source->fetches, 1);
        m_clock->set(T0.addMSecs(3500)); // 1.5 s left: advisory
        QCOMPARE(fetchAnswering(made(2, T0.addSecs(10))).credentials.accessKeyId, QByteArray("AKIDREFRESH1"));
        QCOMPARE(m_source->fetches, 2);
        m_clock->set(T0.addMSecs(9500)); // 0.5 s left: mandatory
        QCOMPARE(fetchAnswering(made(3, T0.addSecs(20))).credentials.accessKeyId, QByteArray("AKIDREFRESH3"));
        QCOMPARE(m_source->fetches, 3);
    }

    void endToEndThroughCredentialProcess()
    {
        // A real credential_process: each run bumps a counter, prints
        // AKIDRUN<n> with the expiration the test wrote, and fails while a
        // "fail" file exists.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray d = dir.path().toUtf8();
        const QString helper = dir.filePath(QStringLiteral("helper.sh"));
        QFile f(helper);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n"
                "cd '"
            + d
            + "' || exit 2\n"
              "if [ -f fail ]; then echo 'helper: please sign in again' >&2; exit 4; fi\n"
              "n=$(( $(cat count 2>/dev/null || echo 0) + 1 )); echo $n > count\n"
              "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDRUN%s\", \"SecretAccessKey\": \"s3cretRun%s\", "
              "\"SessionToken\": \"tok%s\", \"Expiration\": \"%s\"}' $n $n $n \"$(cat exp)\"\n");
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const auto writeFile = [&](const char *name, const QByteArray &content) {
            QFile w(dir.filePath(QLatin1String(name)));
            return w.open(QIODevice::WriteOnly) && w.write(content) == content.size();
        };
        const auto runs = [&] {
            QFile c(dir.filePath(QStringLiteral("count")));
            return c.open(QIODevice::ReadOnly) ? c.readAll().trimmed().toInt() : 0;
        };

        creds::ProcessCredentialsProvider process(
            QLatin1Char('\'') + helper + QLatin1Char('\''), QStringLiteral("e2e"), m_clock.get());
        RefreshingCredentialsProvider provider(&process, m_clock.get());
        QSignalSpy refreshed(&provider, &RefreshingCredentialsProvider::refreshed);
        QSignalSpy failed(&provider, &RefreshingCredentialsProvider::refreshFailed);
        QVERIFY(writeFile("exp", "2026-01-01T01:00:00Z"));

        auto got = fetchInto(provider, this);
        QTRY_VERIFY_WITH_TIMEOUT(got->called, 20000);
        QVERIFY2(got->result.ok(), qPrintable(got->result.error));
        QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDRUN1"));
        QVERIFY(got->result.credentials.secretAccessKey == "s3cretRun1");
        QCOMPARE(got->result.source, QStringLiteral("process:e2e"));
        QCOMPARE(provider.expiration(), T0.addSecs(3600));

        got = fetchInto(provider, this); // cached: the helper does not run
        QTRY_VERIFY(got->called);
        QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDRUN1"));
        QCOMPARE(runs(), 1);

        m_clock->set(T0.addSecs(50 * 60)); // advisory: old served, helper runs behind
        QVERIFY(writeFile("exp", "2026-01-01T02:00:00Z"));
        got = fetchInto(provider, this);
        QTRY_VERIFY(got->called);
        QCOMPARE(got->result.credentials.accessKeyId, QByteArray("AKIDRUN1"));
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 20000);
        QCOMPARE(runs(), 2);
        QCOMPARE(provider.expiration(), T0.addSecs(2 * 3600));

        m_clock->set(T0.addSecs(115 * 60)); // mandatory, and the helper now fails
        QVERIFY(writeFile("fail", "1"));
        got = fetchInto(provider, this);
        QTRY_VERIFY_WITH_TIMEOUT(got->called, 20000);
        QVERIFY(!got->result.ok());
        QVERIFY2(got->result.error.contains(QStringLiteral("exit code 4")), qPrintable(got->result.error));
        QVERIFY2(got->result.error.contains(QStringLiteral("please sign in again")), qPrintable(got->result.error));
        QVERIFY(!got->result.error.contains(QStringLiteral("s3cretRun")));
        QCOMPARE(failed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRefreshingCredentials)
#include "tst_refreshingcredentials.moc"
