// The GameLift Streams client against the real gls-emulator over TLS, through
// the real transport: every operation, pagination over 1,200 sessions to the
// end, IDs and ARNs as identifiers, exports with either, termination, and
// every error class surfaced by name (ResourceNotFoundException,
// ValidationException, AccessDeniedException, ThrottlingException,
// InvalidSignatureException), enum values the model does not know yet, and
// local validation that sends nothing. AccountSessionsJob: the account's
// sessions group by group are the account-wide listing's, and it falls back
// to that listing when a policy refuses the per-group one.

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "gamelift/AccountSessionsJob.h"
#include "gamelift/ExportStreamSessionFilesJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/GetStreamGroupJob.h"
#include "gamelift/GetStreamSessionJob.h"
#include "gamelift/ListStreamGroupsJob.h"
#include "gamelift/ListStreamSessionsJob.h"
#include "gamelift/TerminateStreamSessionJob.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gls;
using namespace gls::gamelift;
using gls::test::Emulator;

namespace {

constexpr int kSessions = 1200;
constexpr auto kAccountPrefix = "arn:aws:gameliftstreams:us-west-2:111122223333:";

QString groupArn(const QString &id)
{
    return QLatin1String(kAccountPrefix) + QStringLiteral("streamgroup/") + id;
}

} // namespace

class TestGameLiftClient : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    aws::SystemClock m_clock;
    QNetworkAccessManager *m_network = nullptr;
    aws::TransportSettings m_settings;
    aws::StaticCredentialsProvider *m_credentials = nullptr;
    aws::AwsTransport *m_transport = nullptr;
    GameLiftClient *m_client = nullptr;
    QList<StreamGroupSummary> m_groups;

    aws::Endpoint endpoint() const
    {
        return aws::Endpoint{QUrl(m_emu->gameliftUrl()), gls::test::kRegion, "gameliftstreams"};
    }

    // Starts the job and waits for its end; returns its failure (Kind::None on success).
    static aws::AwsError run(ApiJob *job, int timeoutMs = 60000)
    {
        job->setAutoDelete(false);
        QSignalSpy finished(job, &ApiJob::finished);
        job->start();
        if (!finished.wait(timeoutMs))
            qWarning() << job->operation() << "did not finish in time";
        return job->error();
    }

    QList<StreamSessionSummary> listSessions(const ListStreamSessionsRequest &request, int *pages = nullptr)
    {
        std::unique_ptr<ListStreamSessionsJob> job(m_client->listStreamSessions(request));
        const aws::AwsError error = run(job.get());
        if (error.isError())
            qWarning().noquote() << error.toString();
        if (pages)
            *pages = job->pageCount();
        return job->items();
    }

    int requestsOf(const QString &operation)
    {
        return m_emu->requestCount(operation);
    }

    static QSet<QString> arnsOf(const QList<StreamSessionSummary> &sessions)
    {
        QSet<QString> arns;
        for (const StreamSessionSummary &s : sessions)
            arns.insert(s.arn);
        return arns;
    }

    // A listing that succeeded holds every page's sessions and only those,
    // gathered once from the group jobs (moved, not copied): itemCount(), the
    // result signal and items() agree, and the pages a slot kept (the spy's
    // copies) are still whole. Empty when so, else what disagrees.
    static QString gatheringProblem(
        const AccountSessionsJob &job, const QSignalSpy &pageSpy, const QSignalSpy &succeeded)
    {
        QStringList paged;
        for (const QList<QVariant> &p : pageSpy) {
            for (const StreamSessionSummary &s : p.first().value<QList<StreamSessionSummary>>())
                paged.append(s.arn);
        }
        QStringList result;
        for (const StreamSessionSummary &s : succeeded.first().first().value<QList<StreamSessionSummary>>())
            result.append(s.arn);
        if (job.itemCount() != paged.size())
            return QStringLiteral("itemCount() %1, pages %2").arg(job.itemCount()).arg(paged.size());
        if (paged.contains(QString()))
            return QStringLiteral("a page kept by a slot lost a session's ARN");
        QStringList items;
        for (const StreamSessionSummary &s : job.items())
            items.append(s.arn);
        if (items != result)
            return QStringLiteral("items() differs from the succeeded() list");
        paged.sort();
        result.sort();
        if (paged != result)
            return QStringLiteral("the result holds %1 sessions, the pages %2 (or other ones)")
                .arg(result.size())
                .arg(paged.size());
        return {};
    }

    // Runs an AccountSessionsJob to its end: its sessions, or its failure in *error.
    QList<StreamSessionSummary> listAccountGroupByGroup(
        const ListStreamSessionsRequest &request, aws::AwsError *error, bool *usedAccountListing = nullptr,
        int *pages = nullptr)
    {
        AccountSessionsJob job(m_client, request);
        job.setAutoDelete(false);
        QSignalSpy finished(&job, &AccountSessionsJob::finished);
        QSignalSpy failed(&job, &AccountSessionsJob::failed);
        QSignalSpy pageSpy(&job, &AccountSessionsJob::page);
        QSignalSpy succeeded(&job, &AccountSessionsJob::succeeded);
        job.start();
        if (!finished.wait(60000))
            qWarning() << "the account listing did not finish in time";
        *error = failed.isEmpty() ? aws::AwsError{} : failed.first().first().value<aws::AwsError>();
        if (usedAccountListing)
            *usedAccountListing = job.usedAccountListing();
        if (pages)
            *pages = int(pageSpy.count());
        if (!succeeded.isEmpty() && !error->isError()) {
            if (const QString problem = gatheringProblem(job, pageSpy, succeeded); !problem.isEmpty()) {
                error->kind = aws::AwsError::Kind::Client;
                error->message = problem;
            }
        }
        return job.items();
    }

    // A fresh session in this status, made through the control endpoint.
    QPair<QString, QString> newSession(const QString &status)
    {
        const auto r = m_emu->control("POST", "sessions",
            QJsonObject{{QStringLiteral("streamGroupId"), m_groups.first().id}, {QStringLiteral("status"), status}});
        const QJsonObject o = r.json();
        return {o.value(QStringLiteral("streamSessionId")).toString(), o.value(QStringLiteral("arn")).toString()};
    }

    static void expectServiceError(
        const aws::AwsError &error, const QString &type, int status, const QString &messagePart = {})
    {
        QVERIFY2(error.kind == aws::AwsError::Kind::Service, qPrintable(error.toString()));
        QCOMPARE(error.type, type);
        QCOMPARE(error.httpStatus, status);
        QVERIFY(!error.requestId.isEmpty());
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
        QVERIFY(error.toString().startsWith(
            QStringLiteral("%1 failed: %2 (HTTP %3)").arg(error.operation, type).arg(status)));
    }

    int requestsSeen() { return m_emu->control("GET", "stats").json().value(QStringLiteral("total")).toInt(); }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(
            QStringList{QStringLiteral("--sessions"), QString::number(kSessions), QStringLiteral("--regions"),
                QStringLiteral("us-west-2"), QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        QVERIFY(m_emu->gameliftUrl().startsWith(QLatin1String("https://")));
        QString error;
        QVERIFY2(aws::AwsTransport::loadCaBundle(m_emu->caPath(), &m_settings.extraCaCertificates, &error),
            qPrintable(error));
        m_settings.requestsPerSecondPerOperation = 0;
        m_network = new QNetworkAccessManager(this);
        m_credentials = new aws::StaticCredentialsProvider(
            {gls::test::kKeyId, gls::test::kSecret, {}}, QStringLiteral("test"), this);
        // Retries without waiting: backoff is random(0,1) x base, and random is 0 here.
        m_transport = new aws::AwsTransport(
            m_network, m_credentials, &m_clock, m_settings, [] { return 0.0; }, this);
        m_client = new GameLiftClient(m_transport, endpoint(), this);

        std::unique_ptr<ListStreamGroupsJob> groups(m_client->listStreamGroups());
        QVERIFY(!run(groups.get()).isError());
        m_groups = groups->items();
        QVERIFY(m_groups.size() >= 2);
    }

    void cleanup()
    {
        m_emu->control("DELETE", "faults");
        test::deny(*m_emu);
    }

    void listStreamGroupsOverPages()
    {
        const int expected = m_emu->control("GET", "state").json().value(QStringLiteral("streamGroups")).toInt();
        QCOMPARE(m_groups.size(), expected);
        std::unique_ptr<ListStreamGroupsJob> job(m_client->listStreamGroups(4));
        QSignalSpy pages(job.get(), &ListStreamGroupsJob::page);
        QSignalSpy done(job.get(), &ListStreamGroupsJob::succeeded);
        QVERIFY(!run(job.get()).isError());
        QCOMPARE(pages.count(), (expected + 3) / 4);
        QCOMPARE(done.count(), 1);
        QCOMPARE(job->items(), m_groups);
        for (const StreamGroupSummary &g : m_groups) {
            QVERIFY(g.id.startsWith(QLatin1String("sg-")));
            QCOMPARE(g.arn, groupArn(g.id));
            QVERIFY(g.createdAt.isValid());
            QCOMPARE(g.createdAt.timeSpec(), Qt::UTC);
            QVERIFY(!g.status.isEmpty());
        }
    }

    void listEverySessionOfTheAccountToTheEnd()
    {
        ListStreamSessionsRequest request; // no group: ListStreamSessionsByAccount, 100 per page
        std::unique_ptr<ListStreamSessionsJob> job(m_client->listStreamSessions(request));
        int progressive = 0;
        connect(job.get(), &ListStreamSessionsJob::page, this,
            [&](const QList<StreamSessionSummary> &items) { progressive += items.size(); });
        QSignalSpy pages(job.get(), &ListStreamSessionsJob::page);
        QSignalSpy done(job.get(), &ListStreamSessionsJob::succeeded);
        const aws::AwsError error = run(job.get());
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        const auto all = done.at(0).at(0).value<QList<StreamSessionSummary>>();
        QVERIFY(all.size() >= kSessions);
        QCOMPARE(pages.count(), (all.size() + 99) / 100);
        QCOMPARE(progressive, all.size());
        QSet<QString> arns;
        for (const StreamSessionSummary &s : all) {
            arns.insert(s.arn);
            QVERIFY(s.arn.startsWith(QLatin1String(kAccountPrefix)));
            QVERIFY(!s.status.isEmpty());
            QVERIFY(s.createdAt.isValid());
        }
        QCOMPARE(arns.size(), all.size()); // none twice, none skipped

        // Odd page sizes reach the same end.
        request.maxResults = 37;
        int pageCount = 0;
        QCOMPARE(listSessions(request, &pageCount).size(), all.size());
        QCOMPARE(pageCount, (all.size() + 36) / 37);
    }

    void everySessionGroupByGroupAsTheAccountListingHasThem()
    {
        ListStreamSessionsRequest request;
        request.maxResults = 50;
        const QList<StreamSessionSummary> byAccount = listSessions(request);
        QVERIFY(byAccount.size() >= kSessions);
        const int accountCalls = requestsOf(QStringLiteral("ListStreamSessionsByAccount"));
        const int groupCalls = requestsOf(QStringLiteral("ListStreamSessions"));

        aws::AwsError error;
        bool fellBack = true;
        int pages = 0;
        const QList<StreamSessionSummary> all = listAccountGroupByGroup(request, &error, &fellBack, &pages);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QCOMPARE(all.size(), byAccount.size());
        QCOMPARE(arnsOf(all), arnsOf(byAccount)); // the same sessions, none twice
        QVERIFY(!fellBack);
        // Group by group, never the costly account-wide listing.
        QCOMPARE(requestsOf(QStringLiteral("ListStreamSessionsByAccount")), accountCalls);
        QVERIFY(requestsOf(QStringLiteral("ListStreamSessions")) - groupCalls >= int(m_groups.size()));
        QCOMPARE(pages, requestsOf(QStringLiteral("ListStreamSessions")) - groupCalls);

        // With a filter: the same as the account-wide listing's.
        for (const auto &[status, exportStatus] :
            {std::pair{QStringLiteral("TERMINATED"), QString()}, std::pair{QString(), QStringLiteral("FAILED")}}) {
            request = {};
            request.status = status;
            request.exportFilesStatus = exportStatus;
            const QList<StreamSessionSummary> filtered = listAccountGroupByGroup(request, &error);
            QVERIFY2(!error.isError(), qPrintable(error.toString()));
            QVERIFY(!filtered.isEmpty());
            QCOMPARE(arnsOf(filtered), arnsOf(listSessions(request)));
        }
    }

    void accountListingWhenTheGroupRouteIsRefused()
    {
        ListStreamSessionsRequest request;
        const QSet<QString> expected = arnsOf(listSessions(request));
        // A policy that allows the account-wide listing but not a group's.
        QVERIFY(test::deny(*m_emu, {QStringLiteral("gameliftstreams:ListStreamSessions")}));
        aws::AwsError error;
        bool fellBack = false;
        QCOMPARE(arnsOf(listAccountGroupByGroup(request, &error, &fellBack)), expected);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(fellBack);

        // Refused both ways: the refusal, by name.
        QVERIFY(test::deny(*m_emu,
            {QStringLiteral("gameliftstreams:ListStreamSessions"),
                QStringLiteral("gameliftstreams:ListStreamSessionsByAccount")}));
        listAccountGroupByGroup(request, &error);
        QCOMPARE(error.type, QStringLiteral("AccessDeniedException"));
        QCOMPARE(error.operation, QStringLiteral("ListStreamSessionsByAccount"));
    }

    void pagesOnlyWhenTheItemsAreNotKept()
    {
        // A caller that uses each page as it comes (the CLI's --json) asks the
        // jobs to keep nothing: every session still comes through page(), once;
        // the result and items() are empty, itemCount() counts them all.
        ListStreamSessionsRequest request;
        request.maxResults = 50;
        const QSet<QString> expected = arnsOf(listSessions(request));
        QVERIFY(expected.size() >= kSessions);

        std::unique_ptr<ListStreamSessionsJob> one(m_client->listStreamSessions(request));
        one->setKeepItems(false);
        QSignalSpy onePages(one.get(), &ListStreamSessionsJob::page);
        QSignalSpy oneDone(one.get(), &ListStreamSessionsJob::succeeded);
        const aws::AwsError oneError = run(one.get());
        QVERIFY2(!oneError.isError(), qPrintable(oneError.toString()));
        QList<StreamSessionSummary> paged;
        for (const QList<QVariant> &args : std::as_const(onePages))
            paged += args.first().value<QList<StreamSessionSummary>>();
        QCOMPARE(paged.size(), expected.size());
        QCOMPARE(arnsOf(paged), expected);
        QCOMPARE(oneDone.count(), 1);
        QVERIFY(oneDone.first().first().value<QList<StreamSessionSummary>>().isEmpty());
        QVERIFY(one->items().isEmpty());
        QCOMPARE(one->itemCount(), expected.size());

        // Group by group, refused midway through: restarted() once, before the
        // account-wide listing's pages, which hold every session once.
        for (const bool refused : {false, true}) {
            if (refused) {
                QVERIFY(test::deny(*m_emu, {QStringLiteral("gameliftstreams:ListStreamSessions")}));
            }
            const auto allow = qScopeGuard([this] { test::deny(*m_emu); });
            AccountSessionsJob job(m_client, request);
            job.setAutoDelete(false);
            job.setKeepItems(false);
            QList<StreamSessionSummary> pages;
            int restarts = 0;
            connect(&job, &AccountSessionsJob::restarted, this, [&] {
                ++restarts;
                pages.clear();
            });
            connect(&job, &AccountSessionsJob::page, this,
                [&](const QList<StreamSessionSummary> &items) { pages += items; });
            QSignalSpy finished(&job, &AccountSessionsJob::finished);
            QSignalSpy succeeded(&job, &AccountSessionsJob::succeeded);
            job.start();
            QVERIFY(finished.wait(60000));
            QCOMPARE(succeeded.count(), 1);
            QVERIFY(succeeded.first().first().value<QList<StreamSessionSummary>>().isEmpty());
            QVERIFY(job.items().isEmpty());
            QCOMPARE(job.usedAccountListing(), refused);
            QCOMPARE(restarts, refused ? 1 : 0);
            QCOMPARE(pages.size(), expected.size());
            QCOMPARE(arnsOf(pages), expected);
            QCOMPARE(job.itemCount(), expected.size());
        }
    }

    void accountListingEndsWhenItsClientGoesAway()
    {
        // A client destroyed mid-listing takes its jobs with it, silently: the listing says so and ends.
        auto *client = new GameLiftClient(m_transport, endpoint(), this);
        AccountSessionsJob job(client, {});
        job.setAutoDelete(false);
        QSignalSpy failed(&job, &AccountSessionsJob::failed);
        QSignalSpy finished(&job, &AccountSessionsJob::finished);
        connect(&job, &AccountSessionsJob::page, client, [client] { client->deleteLater(); });
        job.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(failed.count(), 1);
        const auto error = failed.first().first().value<aws::AwsError>();
        QCOMPARE(int(error.kind), int(aws::AwsError::Kind::Cancelled));
        QVERIFY2(error.message.contains(QLatin1String("client went away")), qPrintable(error.message));
        QCOMPARE(finished.count(), 1);
    }

    void accountListingChecksItsFiltersFirst()
    {
        // Nothing sent, as the transport saw it. The emulator's counter cannot say so here: requests the
        // previous test's listing had on the wire when its client went away may still be counted now.
        QStringList attempts;
        m_transport->setDebugSink([&attempts](const QString &text) { attempts << text.section(u'\n', 0, 0); });
        const auto noSink = qScopeGuard([this] { m_transport->setDebugSink({}); });
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("SLEEPING");
        aws::AwsError error;
        listAccountGroupByGroup(request, &error);
        QCOMPARE(int(error.kind), int(aws::AwsError::Kind::Validation));
        QVERIFY2(error.message.contains(QLatin1String("SLEEPING")), qPrintable(error.message));
        QVERIFY2(attempts.isEmpty(), qPrintable(attempts.join(u'\n')));
    }

    void perGroupListingsAddUp()
    {
        int total = 0;
        for (qsizetype i = 0; i < m_groups.size(); ++i) {
            ListStreamSessionsRequest request;
            // Half by ID, half by ARN: the ARN travels as one %3A/%2F-encoded label.
            request.streamGroup = i % 2 ? m_groups.at(i).arn : m_groups.at(i).id;
            const auto sessions = listSessions(request);
            for (const StreamSessionSummary &s : sessions)
                QCOMPARE(s.streamGroupIdFromArn(), m_groups.at(i).id);
            total += sessions.size();
        }
        QVERIFY(total >= kSessions);
    }

    void filtersByStatusAndExportStatus()
    {
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("TERMINATED");
        const auto terminated = listSessions(request);
        QVERIFY(terminated.size() > 100);
        for (const StreamSessionSummary &s : terminated)
            QCOMPARE(s.status, QStringLiteral("TERMINATED"));

        // By account and by one group (ARN label plus query), small pages.
        for (const QString &group : {QString(), m_groups.first().arn}) {
            request = {};
            request.streamGroup = group;
            request.exportFilesStatus = QStringLiteral("FAILED");
            request.maxResults = 5;
            const auto failed = listSessions(request);
            QVERIFY(group.isEmpty() ? !failed.isEmpty() : true);
            for (const StreamSessionSummary &s : failed) {
                QVERIFY(s.exportFilesMetadata.has_value());
                QCOMPARE(s.exportFilesMetadata->status, QStringLiteral("FAILED"));
                QVERIFY(s.exportFilesMetadata->outputUri.isEmpty()); // the listing carries only Status
            }
        }
    }

    void getStreamGroupByIdAndArn()
    {
        const StreamGroupSummary &first = m_groups.first();
        for (const QString &identifier : {first.id, first.arn}) {
            std::unique_ptr<GetStreamGroupJob> job(m_client->getStreamGroup(identifier));
            QSignalSpy ok(job.get(), &GetStreamGroupJob::succeeded);
            const aws::AwsError error = run(job.get());
            QVERIFY2(!error.isError(), qPrintable(error.toString()));
            const StreamGroup g = ok.at(0).at(0).value<StreamGroup>();
            QCOMPARE(g.id, first.id);
            QCOMPARE(g.arn, first.arn);
            QCOMPARE(g.createdAt, first.createdAt);
            QVERIFY(!g.locationStates.isEmpty());
            QVERIFY(!g.locationStates.first().locationName.isEmpty());
            QVERIFY(g.locationStates.first().allocatedCapacity.has_value());
            QVERIFY(!g.associatedApplications.isEmpty());
            QVERIFY(g.defaultApplication.has_value());
        }
    }

    void getStreamSessionByIdAndArn()
    {
        const auto [id, arn] = newSession(QStringLiteral("CONNECTED"));
        QVERIFY(!id.isEmpty());
        const StreamGroupSummary &group = m_groups.first();
        const QList<QPair<QString, QString>> forms
            = {{group.id, id}, {group.arn, arn}, {group.id, arn}, {group.arn, id}};
        for (const auto &[g, s] : forms) {
            std::unique_ptr<GetStreamSessionJob> job(m_client->getStreamSession(g, s));
            const aws::AwsError error = run(job.get());
            QVERIFY2(!error.isError(), qPrintable(error.toString()));
            const StreamSession &session = job->result();
            QCOMPARE(session.arn, arn);
            QCOMPARE(session.idFromArn(), id);
            QCOMPARE(session.streamGroupId, group.id);
            QCOMPARE(session.status, QStringLiteral("CONNECTED"));
            QCOMPARE(session.protocol, QStringLiteral("WebRTC"));
            QVERIFY(!session.signalRequest.isEmpty()); // kept, never printed
            QVERIFY(session.connectionTimeoutSeconds.has_value());
            QVERIFY(session.displayConfiguration && session.displayConfiguration->resolution);
            QVERIFY(session.lastUpdatedAt >= session.createdAt);
        }
    }

    void exportWithArnsAndWithIds()
    {
        const StreamGroupSummary &group = m_groups.first();
        const auto [id1, arn1] = newSession(QStringLiteral("ACTIVE"));
        const auto [id2, arn2] = newSession(QStringLiteral("PENDING_CLIENT_RECONNECTION"));
        const QString uri1 = QStringLiteral("s3://gls-exports/qa/arn-run/");
        const QString uri2 = QStringLiteral("s3://gls-exports/qa/id-run.zip");
        struct Case {
            QString group, session, id, uri;
        };
        for (const Case &c : {Case{group.arn, arn1, id1, uri1}, Case{group.id, id2, id2, uri2}}) {
            std::unique_ptr<ExportStreamSessionFilesJob> job(
                m_client->exportStreamSessionFiles(c.group, c.session, c.uri));
            QSignalSpy ok(job.get(), &ExportStreamSessionFilesJob::succeeded);
            const aws::AwsError error = run(job.get());
            QVERIFY2(!error.isError(), qPrintable(error.toString()));
            QCOMPARE(ok.count(), 1);
            std::unique_ptr<GetStreamSessionJob> get(m_client->getStreamSession(group.id, c.id));
            QVERIFY(!run(get.get()).isError());
            QVERIFY(get->result().exportFilesMetadata.has_value());
            QCOMPARE(get->result().exportFilesMetadata->status, QStringLiteral("PENDING"));
            QCOMPARE(get->result().exportFilesMetadata->outputUri, c.uri);
        }
        // Idempotent: the same export again is accepted.
        std::unique_ptr<ExportStreamSessionFilesJob> again(m_client->exportStreamSessionFiles(group.arn, arn1, uri1));
        QVERIFY(!run(again.get()).isError());
    }

    void terminate()
    {
        const auto [id, arn] = newSession(QStringLiteral("ACTIVE"));
        std::unique_ptr<TerminateStreamSessionJob> job(m_client->terminateStreamSession(m_groups.first().arn, arn));
        QSignalSpy ok(job.get(), &TerminateStreamSessionJob::succeeded);
        const aws::AwsError error = run(job.get());
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QCOMPARE(ok.count(), 1);
        std::unique_ptr<GetStreamSessionJob> get(m_client->getStreamSession(m_groups.first().id, id));
        QVERIFY(!run(get.get()).isError());
        QVERIFY2(
            get->result().status == QLatin1String("TERMINATING") || get->result().status == QLatin1String("TERMINATED"),
            qPrintable(get->result().status));
    }

    void resourceNotFound()
    {
        std::unique_ptr<GetStreamSessionJob> job(
            m_client->getStreamSession(m_groups.first().id, QStringLiteral("NOSUCHSESSION1")));
        expectServiceError(
            run(job.get()), QStringLiteral("ResourceNotFoundException"), 404, QStringLiteral("NOSUCHSESSION1"));

        std::unique_ptr<GetStreamGroupJob> group(m_client->getStreamGroup(QStringLiteral("sg-000000000")));
        QCOMPARE(run(group.get()).type, QStringLiteral("ResourceNotFoundException"));
        ListStreamSessionsRequest request;
        request.streamGroup = groupArn(QStringLiteral("sg-000000000"));
        std::unique_ptr<ListStreamSessionsJob> list(m_client->listStreamSessions(request));
        QCOMPARE(run(list.get()).type, QStringLiteral("ResourceNotFoundException"));
    }

    void serviceValidationException()
    {
        // The service refuses what local validation cannot know: the session's state.
        const auto [endedId, endedArn] = newSession(QStringLiteral("TERMINATED"));
        std::unique_ptr<ExportStreamSessionFilesJob> job(
            m_client->exportStreamSessionFiles(m_groups.first().id, endedArn, QStringLiteral("s3://gls-exports/qa/")));
        expectServiceError(
            run(job.get()), QStringLiteral("ValidationException"), 400, QStringLiteral("PENDING_CLIENT_RECONNECTION"));

        const auto [activatingId, activatingArn] = newSession(QStringLiteral("ACTIVATING"));
        std::unique_ptr<TerminateStreamSessionJob> terminate(
            m_client->terminateStreamSession(m_groups.first().id, activatingId));
        expectServiceError(
            run(terminate.get()), QStringLiteral("ValidationException"), 400, QStringLiteral("ACTIVATING"));
    }

    void accessDenied()
    {
        QVERIFY(test::deny(*m_emu,
            {QStringLiteral("gameliftstreams:ExportStreamSessionFiles"),
                QStringLiteral("gameliftstreams:ListStreamSessionsByAccount")}));
        const auto [id, arn] = newSession(QStringLiteral("ACTIVE"));
        std::unique_ptr<ExportStreamSessionFilesJob> job(
            m_client->exportStreamSessionFiles(m_groups.first().id, id, QStringLiteral("s3://gls-exports/x/")));
        const aws::AwsError error = run(job.get());
        expectServiceError(error, QStringLiteral("AccessDeniedException"), 403,
            QStringLiteral("gameliftstreams:ExportStreamSessionFiles"));
        QCOMPARE(error.attempts, 1); // not retried

        std::unique_ptr<ListStreamSessionsJob> list(m_client->listStreamSessions({}));
        QCOMPARE(run(list.get()).type, QStringLiteral("AccessDeniedException"));
        // Other operations still work.
        std::unique_ptr<GetStreamSessionJob> get(m_client->getStreamSession(m_groups.first().id, id));
        QVERIFY(!run(get.get()).isError());
    }

    void throttling()
    {
        // Two throttles, then success: the transport retries them away.
        auto shots = [this](int count) {
            const auto r = m_emu->control("PUT", "faults",
                QJsonObject{{QStringLiteral("next"),
                    QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("throttle")},
                        {QStringLiteral("count"), count},
                        {QStringLiteral("operation"), QStringLiteral("GetStreamGroup")}}}}});
            QVERIFY2(r.status == 200, r.body.constData());
        };
        shots(2);
        std::unique_ptr<GetStreamGroupJob> retried(m_client->getStreamGroup(m_groups.first().id));
        const aws::AwsError ok = run(retried.get());
        QVERIFY2(!ok.isError(), qPrintable(ok.toString()));
        QCOMPARE(retried->result().id, m_groups.first().id);

        // More throttles than attempts: ThrottlingException surfaces by name.
        shots(m_settings.retry.maxAttempts + 2);
        std::unique_ptr<GetStreamGroupJob> job(m_client->getStreamGroup(m_groups.first().id));
        const aws::AwsError error = run(job.get());
        expectServiceError(error, QStringLiteral("ThrottlingException"), 429);
        QCOMPARE(error.attempts, m_settings.retry.maxAttempts);
    }

    void invalidSignature()
    {
        aws::StaticCredentialsProvider wrong({gls::test::kKeyId, "not-the-secret", {}}, QStringLiteral("test"));
        aws::AwsTransport transport(m_network, &wrong, &m_clock, m_settings, [] { return 0.0; });
        GameLiftClient client(&transport, endpoint());
        std::unique_ptr<ListStreamGroupsJob> job(client.listStreamGroups());
        const aws::AwsError error = run(job.get());
        expectServiceError(error, QStringLiteral("InvalidSignatureException"), 403);
        QVERIFY(!error.toString().contains(QLatin1String("not-the-secret")));
    }

    void unknownEnumValuesFromTheService()
    {
        // A service newer than this build: values the model does not list yet,
        // written into a stopped emulator's state and served by it on restart.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList args{QStringLiteral("--sessions"), QStringLiteral("3"), QStringLiteral("--groups"),
            QStringLiteral("1"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0")};
        {
            Emulator first(args, dir.path());
            QVERIFY2(first.ok(), qPrintable(first.errorText()));
            QCOMPARE(first.terminate(), 0);
        }
        QFile file(dir.path() + QStringLiteral("/state.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonArray groups = root.value(QStringLiteral("streamGroups")).toArray();
        QJsonObject group = groups.at(0).toObject();
        group.insert(QStringLiteral("status"), QStringLiteral("HIBERNATING"));
        group.insert(QStringLiteral("streamClass"), QStringLiteral("gen9z_hyper"));
        groups.replace(0, group);
        root.insert(QStringLiteral("streamGroups"), groups);
        QJsonArray sessions = root.value(QStringLiteral("sessions")).toArray();
        QJsonObject session = sessions.at(0).toObject();
        session.insert(QStringLiteral("status"), QStringLiteral("PAUSED"));
        session.insert(QStringLiteral("statusReason"), QStringLiteral("sunspots"));
        for (const char *k : {"nextStatus", "nextReason", "plannedEndReason"})
            session.insert(QLatin1String(k), QString());
        for (const char *k : {"nextAt", "plannedEndAt", "endedAt"})
            session.insert(QLatin1String(k), QJsonValue::Null);
        session.insert(QStringLiteral("export"),
            QJsonObject{{QStringLiteral("status"), QStringLiteral("ARCHIVED")},
                {QStringLiteral("statusReason"), QString()},
                {QStringLiteral("requestedUri"), QStringLiteral("s3://gls-exports/x/")},
                {QStringLiteral("outputUri"), QString()}, {QStringLiteral("requestedAt"), QJsonValue::Null},
                {QStringLiteral("archiveInProgress"), false}});
        sessions.replace(0, session);
        root.insert(QStringLiteral("sessions"), sessions);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
        file.close();

        Emulator emu(args, dir.path());
        QVERIFY2(emu.ok(), qPrintable(emu.errorText()));
        QList<QSslCertificate> ca;
        QString error;
        QVERIFY2(aws::AwsTransport::loadCaBundle(emu.caPath(), &ca, &error), qPrintable(error));
        aws::TransportSettings settings = m_settings;
        settings.extraCaCertificates = ca;
        aws::AwsTransport transport(m_network, m_credentials, &m_clock, settings, [] { return 0.0; });
        GameLiftClient client(
            &transport, aws::Endpoint{QUrl(emu.gameliftUrl()), gls::test::kRegion, "gameliftstreams"});

        std::unique_ptr<ListStreamGroupsJob> listGroups(client.listStreamGroups());
        QVERIFY(!run(listGroups.get()).isError());
        QCOMPARE(listGroups->items().size(), 1);
        QCOMPARE(listGroups->items().first().status, QStringLiteral("HIBERNATING"));
        QCOMPARE(listGroups->items().first().streamClass, QStringLiteral("gen9z_hyper"));

        const QString groupId = group.value(QStringLiteral("id")).toString();
        const QString sessionId = session.value(QStringLiteral("id")).toString();
        std::unique_ptr<GetStreamSessionJob> get(client.getStreamSession(groupId, sessionId));
        const aws::AwsError getError = run(get.get());
        QVERIFY2(!getError.isError(), qPrintable(getError.toString()));
        QCOMPARE(get->result().status, QStringLiteral("PAUSED"));
        QCOMPARE(get->result().statusReason, QStringLiteral("sunspots"));
        QCOMPARE(get->result().exportFilesMetadata->status, QStringLiteral("ARCHIVED"));
        QVERIFY(!get->result().canExport());

        std::unique_ptr<ListStreamSessionsJob> listSessions(client.listStreamSessions({}));
        QVERIFY(!run(listSessions.get()).isError());
        QCOMPARE(listSessions->items().size(), 3);

        // Filtering on a value this build does not know: refused here by
        // default, sent when the caller allows it (and this service refuses it).
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("PAUSED");
        std::unique_ptr<ListStreamSessionsJob> refused(client.listStreamSessions(request));
        QCOMPARE(run(refused.get()).kind, aws::AwsError::Kind::Validation);
        request.unknownFilterValues = UnknownValues::Allow;
        std::unique_ptr<ListStreamSessionsJob> sent(client.listStreamSessions(request));
        expectServiceError(run(sent.get()), QStringLiteral("ValidationException"), 400, QStringLiteral("status"));
    }

    void localValidationSendsNothing()
    {
        QCOMPARE(m_emu->control("POST", "stats/reset").status, 200);
        const int before = requestsSeen();
        std::unique_ptr<ExportStreamSessionFilesJob> job(m_client->exportStreamSessionFiles(
            m_groups.first().arn, QStringLiteral("ABC"), QStringLiteral("s3://Not_A_Bucket/x.zip")));
        const aws::AwsError error = run(job.get());
        QCOMPARE(error.kind, aws::AwsError::Kind::Validation);
        QVERIFY2(error.message.startsWith(QLatin1String("OutputUri: the bucket name 'Not_A_Bucket'")),
            qPrintable(error.message));
        ListStreamSessionsRequest request;
        request.status = QStringLiteral("FINISHED");
        std::unique_ptr<ListStreamSessionsJob> list(m_client->listStreamSessions(request));
        QCOMPARE(run(list.get()).kind, aws::AwsError::Kind::Validation);
        QCOMPARE(requestsSeen(), before);
    }
};

QTEST_GUILESS_MAIN(TestGameLiftClient)
#include "tst_gamelift_client.moc"
