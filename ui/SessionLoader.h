#pragma once

// Fetches every session in the background, one listing per Region (each
// through that Region's client, all at once; within a Region group by group,
// see gamelift::AccountSessionsJob), and merges each page into a
// SessionTableModel as it arrives (a refresh scoped to the Region). On demand (refresh()) and every interval
// (setAutoRefreshMs). A refresh asked while a Region's listing runs skips
// that Region; a failed one leaves that Region's rows as they were.

#include "aws/AwsError.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

class QTimer;

namespace gls::gamelift {
class GameLiftClient;
class AccountSessionsJob;
} // namespace gls::gamelift

namespace gls::ui {

class SessionTableModel;

class SessionLoader : public QObject {
    Q_OBJECT
public:
    SessionLoader(SessionTableModel *model, QObject *parent = nullptr);
    ~SessionLoader() override;

    // Lists this Region through `client` from now on (replacing its client).
    void addRegion(const QString &region, gamelift::GameLiftClient *client);
    // Stops listing `region` and removes its rows (rows removed, no reset).
    void removeRegion(const QString &region);
    QStringList regions() const { return m_clients.keys(); }

    void setAutoRefreshMs(int ms); // 0: off
    bool isLoading() const { return !m_jobs.isEmpty(); }
    bool isLoading(const QString &region) const { return m_jobs.contains(region); }

    // Lists every Region again. A Region already listing lists once more when
    // that listing ends (it may have begun before what the caller wants to
    // see: a session just started or ended), and finished waits for it.
    void refresh();
    void refreshRegion(const QString &region);

Q_SIGNALS:
    // A round starts (nothing was listing), its pages and sessions so far, and
    // its end (every listing done or failed) with the sessions listed.
    void started();
    void progress(int pages, int sessions);
    void finished(int sessions);
    void regionFinished(const QString &region, int sessions);
    // The error's operation names the Region.
    void failed(const QString &region, const gls::aws::AwsError &error);

private:
    void startListing(const QString &region, gamelift::GameLiftClient *client);
    void refreshIdle(); // the timer's: only the Regions not listing
    void jobEnded();

    SessionTableModel *m_model;
    QMap<QString, QPointer<gamelift::GameLiftClient>> m_clients;
    QMap<QString, QPointer<gamelift::AccountSessionsJob>> m_jobs;
    QMap<QString, int> m_regionSessions;
    QSet<QString> m_again; // asked to list again while listing
    QTimer *m_timer;
    int m_pages = 0;
    int m_sessions = 0;
};

} // namespace gls::ui
