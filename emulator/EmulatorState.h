#pragma once

// The emulated account: stream groups and stream sessions in several Regions,
// each session moving through its lifecycle on a clock that can be sped up,
// and the export of its files, written when the session ends. Lives in one
// thread; kept in the data dir so a restart continues where it stopped.

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QFuture>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace gls::emu {

class ObjectStore;

struct LocationState {
    QString name;
    QString status = QStringLiteral("ACTIVE");
    int alwaysOn = 0;
    int targetIdle = 0;
    int maximum = 0;
    int requested = 0;
    int allocated = 0;
    int idle = 0;
};

struct StreamGroup {
    QString id;          // "sg-1AB2C3De4"
    QString region;
    QString description;
    QString status;
    QString statusReason;
    QString streamClass;
    QString defaultApplicationId;
    QStringList associatedApplicationIds;
    QList<LocationState> locations;
    QDateTime createdAt;
    QDateTime lastUpdatedAt;
    QDateTime expiresAt; // may be invalid
};

struct ExportState {
    QString status;       // PENDING, SUCCEEDED, FAILED
    QString statusReason;
    QString requestedUri; // as the caller gave it
    QString outputUri;    // final: the object written, once SUCCEEDED
    QDateTime requestedAt;
    bool archiveInProgress = false;
};

struct StreamSession {
    quint64 ordinal = 0;  // creation order; the listing order and cursor
    QString id;           // 13 characters, e.g. "ABC123def4567"
    QString groupId;
    QString region;
    QString description;
    QString userId;
    QString status;
    QString statusReason;
    QString location;
    QString applicationId;
    int connectionTimeoutSeconds = 120;
    int sessionLengthSeconds = 43200;
    QStringList launchArgs;
    QMap<QString, QString> environment;
    bool statsSharedWithClient = false;
    int width = 1920;
    int height = 1080;
    QDateTime createdAt;
    QDateTime lastUpdatedAt;
    QDateTime endedAt;
    std::optional<ExportState> exportState;
    // Lifecycle plan: the next status, the reason it will carry and when
    // (wall-clock, already divided by the time scale). Invalid: final.
    QString nextStatus;
    QString nextReason;
    QDateTime nextAt;
    QDateTime plannedEndAt; // when a CONNECTED session will end by itself
    QString plannedEndReason;
    quint64 seed = 0;
    // The listings' JSON for this session (SessionJson.h), written when first
    // listed; EmulatorState empties it whenever the session changes.
    mutable QByteArray summaryJson;
};

struct SeedConfig {
    quint64 seed = 42;
    int groups = 6;
    int sessions = 60;
    QStringList regions = {QStringLiteral("us-west-2"), QStringLiteral("us-east-2")};
    QString account = QStringLiteral("111122223333");
    QString exportBucket = QStringLiteral("gls-exports"); // where seeded exports point
    // The seeded exports of sessions that have already ended are written at
    // once instead of 2-20 s after start-up (gls-emulator --settle).
    bool archiveSeededNow = false;
};

class EmulatorState : public QObject {
    Q_OBJECT
public:
    EmulatorState(ObjectStore *store, QString dataDir, double timeScale, qint64 archiveSize, QObject *parent = nullptr);
    ~EmulatorState() override;

    // Loads state.json from the data dir, or seeds afresh when there is none.
    bool loadOrSeed(const SeedConfig &seed, QString *error);
    // Writes state.json now (waiting for a background save in progress first).
    bool save(QString *error);

    QString account() const { return m_account; }
    QStringList regions() const { return m_regions; }
    double timeScale() const { return m_timeScale; }
    void setTimeScale(double scale);
    // New players: this many sessions per emulated hour start (ACTIVATING) in
    // the Regions' active stream groups, as on a live account. 0: none.
    void setArrivalsPerHour(double perHour);

    // Look-ups in a Region. Identifiers are IDs or ARNs; ARNs must name this
    // account and Region.
    const StreamGroup *findGroup(const QString &region, const QString &identifier) const;
    StreamSession *findSession(const QString &region, const QString &groupIdentifier, const QString &sessionIdentifier);
    StreamSession *findSessionById(const QString &sessionId);

    QList<const StreamGroup *> groups(const QString &region) const;
    // One page of sessions in listing order after `afterOrdinal`: those of the
    // Region (and group, when given) that `accept` takes, at most `limit`;
    // *more says whether another one follows. Walks only as far as it must.
    QList<const StreamSession *> sessionsAfter(const QString &region, const QString &groupId, quint64 afterOrdinal,
                                               const std::function<bool(const StreamSession &)> &accept, int limit,
                                               bool *more) const;
    int sessionCount() const { return int(m_sessions.size()); }

    QString groupArn(const StreamGroup &g) const;
    QString sessionArn(const StreamSession &s) const;
    QString applicationArn(const QString &region, const QString &appId) const;

    // ExportStreamSessionFiles once validated: marks the export PENDING.
    void requestExport(StreamSession &s, const QString &outputUri);
    // TerminateStreamSession: the session moves to TERMINATING (apiTerminated).
    void terminate(StreamSession &s);
    // Control endpoint: ends the session now (TERMINATED with reason).
    void endNow(StreamSession &s, const QString &reason);
    // Control endpoint: a new session in a group, in the given status.
    StreamSession *createSession(const StreamGroup &g, const QString &status, const QString &location);

    // Runs every transition that is due; called by a timer, and by tests.
    void advance();

    QJsonObject summary() const;
    // Archives being written plus those due: exports PENDING on sessions that
    // have ended. Zero once the start-up archives are all written.
    int archivesOutstanding() const;

Q_SIGNALS:
    void sessionChanged(const QString &sessionId);

private:
    void scheduleSave();
    void schedule(StreamSession &s, const QString &next, const QString &reason, double virtualSeconds);
    void transition(StreamSession &s);
    void changed(StreamSession &s); // after any change a client can see: cache, signal, save
    void enter(StreamSession &s, const QString &status, const QString &reason);
    void planAfterEntering(StreamSession &s);
    void onSessionEnded(StreamSession &s);
    void startArchive(StreamSession &s);
    void finishArchive(const QString &sessionId, bool ok, const QString &bucket, const QString &key, const QString &error);
    void rearmTimer();
    void armArrival();
    void arrive();
    double draw(StreamSession &s, double lo, double hi); // deterministic per session
    void indexSession(StreamSession *s);
    struct Snapshot;
    std::shared_ptr<const Snapshot> snapshot() const;
    static QByteArray encode(const Snapshot &snapshot);                     // state.json's bytes
    static QString write(const QString &dataDir, const Snapshot &snapshot); // error text, empty when written
    void saveInBackground();
    bool fromJson(const QJsonObject &root, QString *error);

    ObjectStore *m_store;
    QString m_dataDir;
    double m_timeScale;
    qint64 m_archiveSize;
    QString m_account;
    QStringList m_regions;
    quint64 m_nextOrdinal = 1;
    quint64 m_seed = 42;
    std::map<QString, StreamGroup> m_groups;                 // by id
    std::map<quint64, std::unique_ptr<StreamSession>> m_sessions; // by ordinal
    QHash<QString, StreamSession *> m_sessionsById;
    // "region/group id" -> its sessions by ordinal (sessions are never removed, so the pointers stay valid)
    std::map<QString, std::map<quint64, const StreamSession *>> m_sessionsByGroup;
    static QString groupKey(const QString &region, const QString &groupId) { return region + u'/' + groupId; }
    std::multimap<qint64, quint64> m_due;                    // wall ms -> ordinal
    QTimer m_tick;
    QTimer m_saveTimer;
    QTimer m_arrivals;
    double m_arrivalsPerHour = 0;
    quint64 m_arrivalCount = 0;
    QFuture<QString> m_saveFuture; // the background save in progress
    bool m_saveAgain = false;      // something changed while it ran
    int m_archivesRunning = 0;
};

// Shared with the services: the model's patterns and enum sets.
namespace model {
extern const QStringList kSessionStatuses;
extern const QStringList kExportStatuses;
extern const QStringList kExportableStatuses;
bool isIdentifier(const QString &value);
bool isOutputUri(const QString &value);
} // namespace model

} // namespace gls::emu
