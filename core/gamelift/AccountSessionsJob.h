#pragma once

// Every stream session of the account in one Region (what
// ListStreamSessionsByAccount lists), read stream group by stream group:
// ListStreamGroups, then ListStreamSessions of every group at once. The pages
// of different groups travel side by side (10,000 sessions in 20 groups: 20
// chains of 5 pages instead of one chain of 100), and the account-wide
// listing, which the service documents as costly, is left alone.
//
// When the per-group route is refused (AccessDenied on ListStreamGroups or on
// a group's ListStreamSessions: a policy may grant the account-wide listing
// and not these), the job starts over with ListStreamSessionsByAccount and
// says so (usedAccountListing()). A stream group deleted between the two
// calls (ResourceNotFound) has no session left to list and is skipped. The
// request's filters apply to every call and are checked before any is sent.
//
// Signals as a listing job's: page() for each page that arrives (of any
// group), then succeeded() with every session, or failed(); then finished(),
// exactly once. restarted() says the job started over with the account-wide
// listing: the pages emitted before it are listed again after it. Like the
// jobs, it deletes itself after finished() unless setAutoDelete(false);
// destroying it aborts what is under way, silently.

#include "ListStreamSessionsJob.h"
#include "StreamSession.h"

#include "aws/AwsError.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace gls::gamelift {

class AccountSessionsJob : public QObject {
    Q_OBJECT
public:
    // `request.streamGroup` must be empty (a group's sessions: ListStreamSessionsJob).
    AccountSessionsJob(GameLiftClient *client, ListStreamSessionsRequest request, QObject *parent = nullptr);
    ~AccountSessionsJob() override;

    void start();
    // Fails the job with Kind::Cancelled.
    void abort();

    // Every session, once the job has succeeded (empty before: each group's
    // sessions are gathered from its job when it ends). Empty as well when
    // the items are not kept.
    const QList<StreamSessionSummary> &items() const { return m_items; }
    // As a listing job's (PageCollector::setKeepItems): off, each page is let
    // go once page() has been emitted, and succeeded() carries no session.
    // Before start().
    void setKeepItems(bool keep) { m_keepItems = keep; }
    // How many sessions the pages so far held.
    qsizetype itemCount() const { return m_count; }
    // Refused group by group, it listed with ListStreamSessionsByAccount.
    bool usedAccountListing() const { return m_accountListing; }
    bool isFinished() const { return m_finished; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

Q_SIGNALS:
    void page(const QList<gls::gamelift::StreamSessionSummary> &items);
    // Refused group by group: every session is listed again, account-wide.
    void restarted();
    void succeeded(const QList<gls::gamelift::StreamSessionSummary> &items);
    void failed(const gls::aws::AwsError &error);
    void finished();

private:
    void listGroup(const QString &groupId);
    void listAccount();
    // Follows a listing job of this one; `group` empty for the account-wide listing.
    void follow(ListStreamSessionsJob *job, const QString &group);
    // `job` failed; `groupRoute`: it was ListStreamGroups or a group's listing.
    void onFailed(const aws::AwsError &error, QObject *job, bool groupRoute);
    void watchLifetime(QObject *job);
    void stopAll();
    void fail(const aws::AwsError &error);
    void succeedIfDone();

    GameLiftClient *m_client;
    ListStreamSessionsRequest m_request;
    QList<QPointer<QObject>> m_running; // the jobs under way
    QList<StreamSessionSummary> m_items;
    QList<QList<StreamSessionSummary>> m_groupItems; // each finished group's, moved out of its job
    qsizetype m_count = 0;
    bool m_started = false;
    bool m_finished = false;
    bool m_accountListing = false;
    bool m_autoDelete = true;
    bool m_keepItems = true;
};

} // namespace gls::gamelift
