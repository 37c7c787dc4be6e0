#pragma once

// Follows many PENDING exports cheaply, across profiles and Regions.
//
// Per (profile, Region, stream group) one ListStreamSessions with
// ExportFilesStatus=PENDING (every page) says which sessions still have a
// pending export, and their session status. A tracked export whose session
// is missing from that list has left PENDING: only then one GetStreamSession
// reads SUCCEEDED/FAILED, the reason and the final OutputUri. So the cost of a
// round is one listing per group, whatever the number of exports, plus about
// one GetStreamSession per export over its whole life.
// ListStreamSessionsByAccount (costly, per the service) is never used.
//
// When: a group whose tracked sessions all still run (their export cannot
// finish before the session ends) is looked at rarely (runningIntervalMs);
// once one has ended (TERMINATING, TERMINATED, ERROR) it is looked at often,
// endedFirstMs growing to endedMaxMs, until its archives land. Every delay is
// moved by +-jitter at random. Throttling and 5xx (after the transport's own
// retries) double that group's delay up to errorMaxMs; the export is kept and
// checkFailed() says why. Requests are paced to requestsPerSecond per
// operation across all groups (the service allows 20).
//
// Offline: setOnline(false) sends nothing until setOnline(true), which looks
// at every group at once (paced). Network errors in a row switch to an
// offline mode of its own: one group is probed every offlineProbeMs, and the
// first answer brings everything back (onlineChanged()).
//
// Finished exports (SUCCEEDED/FAILED) are reported with exportFinished() and
// then forgotten: the caller keeps them.

#include "TrackedExport.h"

#include "aws/AwsError.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

class QTimer;

namespace gls::gamelift {
class GameLiftClient;
struct StreamSession;
struct StreamSessionSummary;
} // namespace gls::gamelift

namespace gls::exports {

class ExportTracker : public QObject {
    Q_OBJECT
public:
    using ClientLookup = std::function<gamelift::GameLiftClient *(const QString &profile, const QString &region)>;
    using Random = std::function<double()>; // uniform in [0, 1)

    struct Settings {
        int runningIntervalMs = 300'000; // a group whose sessions all still run
        int endedFirstMs = 10'000;       // a group with an ended session: first delay ...
        int endedMaxMs = 60'000;         // ... growing up to this
        double endedGrowth = 1.5;
        int errorMaxMs = 600'000;        // cap of the doubling after throttling / 5xx
        int offlineProbeMs = 60'000;     // offline by itself: one group probed this often
        int networkErrorsForOffline = 2; // network failures in a row before that
        double jitter = 0.2;             // each delay times 1 +- jitter
        double requestsPerSecond = 5;    // per operation, across all groups
        int firstCheckDelayMs = 0;       // a group seen for the first time
    };

    // What it sent and met (for diagnostics and the figures in the tests).
    struct Stats {
        int listRequests = 0; // ListStreamSessions pages sent
        int getRequests = 0;  // GetStreamSession sent
        int rounds = 0;       // listings completed (one per group looked at)
        int throttled = 0;    // calls that ended in throttling
        int serverErrors = 0; // calls that ended in 5xx
        int networkErrors = 0;
        int otherErrors = 0;
    };

    explicit ExportTracker(ClientLookup lookup, QObject *parent = nullptr);
    ExportTracker(ClientLookup lookup, Settings settings, Random random = {}, QObject *parent = nullptr);
    ~ExportTracker() override;

    const Settings &settings() const { return m_settings; }

    // Starts following a PENDING export (a finished one is ignored). An
    // export with the same id is replaced. A known ended session status
    // brings its group's next look forward.
    void add(const TrackedExport &exportInfo);
    void add(const QList<TrackedExport> &exports);
    // Same as add() for a known id; false when the id is not tracked.
    bool update(const TrackedExport &exportInfo);
    bool remove(const QString &id);
    void clear();

    int pendingCount() const { return int(m_exports.size()); }
    bool contains(const QString &id) const { return m_exports.contains(id); }
    std::optional<TrackedExport> find(const QString &id) const;
    QList<TrackedExport> exports() const { return m_exports.values(); }
    // Stream groups being followed.
    int groupCount() const { return int(m_groups.size()); }

    // Looks at every group now (paced), whatever their schedule.
    void checkNow();

    // false: send nothing until true again, which catches up at once.
    void setOnline(bool online);
    bool isOnline() const { return m_online; }
    // The network looked down (errors in a row): probing one group slowly.
    bool isNetworkDown() const { return m_networkDown; }

    // Requests sent and not answered yet.
    int requestsInFlight() const { return m_inFlight; }
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    // The export's status, session status, reason or OutputUri changed.
    void exportChanged(const gls::exports::TrackedExport &exportInfo);
    // SUCCEEDED or FAILED; the export is no longer tracked.
    void exportFinished(const QString &id, const gls::exports::TrackedExport &exportInfo);
    // A look failed; the exports stay tracked and are looked at again later.
    void checkFailed(
        const QString &profile, const QString &region, const QString &streamGroupId, const gls::aws::AwsError &error);
    // Nothing is pending any more.
    void idle();
    // The network went down or came back (not emitted for setOnline()).
    void networkStateChanged(bool reachable);

private:
    struct Group {
        QString profile;
        QString region;
        QString streamGroupId;
        QSet<QString> exportIds;
        qint64 dueAt = 0;     // monotonic ms
        int endedDelayMs = 0; // 0: no ended session seen
        int errorDelayMs = 0; // 0: last look fine
        bool listing = false;
    };

    static QString groupKey(const QString &profile, const QString &region, const QString &streamGroupId);
    Group *groupOf(const TrackedExport &e);
    void detach(const TrackedExport &e);

    void schedulePump(qint64 delayMs = 0);
    void pump();
    bool acquire(const QString &operation, qint64 now, qint64 *wakeAt);
    void startListing(const QString &key);
    void onListing(const QString &key, const QList<gamelift::StreamSessionSummary> &sessions, int pages);
    void startGet(const QString &exportId);
    void onSession(const QString &exportId, const gamelift::StreamSession &session);
    void onFailure(const QString &key, const aws::AwsError &error);
    void onAnswer();
    void planNext(Group &group);
    void finish(TrackedExport e);
    void setNetworkDown(bool down);
    int jittered(int ms);
    qint64 now() const { return m_clock.elapsed(); }

    ClientLookup m_lookup;
    Settings m_settings;
    Random m_random;
    QHash<QString, TrackedExport> m_exports;
    QMap<QString, Group> m_groups;
    QList<QString> m_getQueue;         // export ids whose session left the PENDING listing
    QSet<QString> m_getQueued;         // ... and those with a GetStreamSession in flight
    QHash<QString, qint64> m_nextSlot; // per operation: earliest next send (monotonic ms)
    QElapsedTimer m_clock;
    QTimer *m_timer;
    bool m_online = true;
    bool m_networkDown = false;
    int m_networkErrorsInRow = 0;
    QString m_probeKey;
    int m_inFlight = 0;
    Stats m_stats;
};

} // namespace gls::exports
