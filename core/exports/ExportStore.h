#pragma once

// The export history: a SQLite file (through Qt SQL) shared by the desktop app
// and the CLI, possibly both at once. WAL journal, a 5 s busy timeout, every
// write in one BEGIN IMMEDIATE transaction. A row is committed before the
// export request is sent (beginRequest), so a crash between request and
// answer leaves a REQUESTING row that the next start turns into UNKNOWN
// (recoverInterrupted) and reconciles with GetStreamSession (Reconcile.h).
//
// Each store owns one database connection with a name of its own; use a
// store from the thread that created it. Calls are synchronous (local I/O).
// Another process's writes show up as a new dataVersion(); this store's own
// writes emit changed().

#include "ExportRecord.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace gls::exports {

// Which rows list() returns; empty members do not filter.
struct ExportFilter {
    QSet<ExportStatus> statuses;
    QString profile;
    QString region;
    std::optional<ExportSource> source;
    int limit = -1; // no limit when negative
};

// A partial update: only the members that are set are written.
struct ExportUpdate {
    std::optional<ExportStatus> status;
    std::optional<QString> statusReason;
    std::optional<QString> outputUri;
    std::optional<QDateTime> finishedAt;
    std::optional<QDateTime> lastCheckedAt;
    std::optional<QString> sessionStatus;
    std::optional<QString> sessionArn;
    std::optional<QString> downloadPath;
    std::optional<QString> downloadSha256;
    std::optional<qint64> downloadedBytes;
    std::optional<DownloadState> downloadState;
    std::optional<QString> downloadError;
};

class ExportStore : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;

    static constexpr int kSchemaVersion = 2; // ExportSchema::kVersion
    static constexpr std::chrono::seconds kDefaultInterruptedAge{10};

    // ~/.local/share/gls-exporter/exports.sqlite (AppDataLocation of "gls-exporter").
    static QString defaultPath();

    explicit ExportStore(QString path = defaultPath(), QObject *parent = nullptr);
    ~ExportStore() override;

    // Creates the file (and its folder) or migrates it to kSchemaVersion. On
    // failure, *error says which file and what to do.
    bool open(QString *error = nullptr);
    bool isOpen() const { return m_open; }
    void close();
    QString path() const { return m_path; }
    // The last failure, with the file's path.
    QString lastError() const { return m_lastError; }
    // For tests: the time written as requestedAt/finishedAt and used by recoverInterrupted().
    void setClock(Clock clock);

    // PRAGMA user_version, -1 when not open.
    int schemaVersion();
    // PRAGMA data_version: changes when another connection (another process)
    // commits. Cheap; a GUI polls it. -1 when not open.
    qint64 dataVersion();

    // Inserts the record as REQUESTING with a new attempt key (and requestedAt
    // = now when unset), committed before returning. Returns the new id.
    std::optional<qint64> beginRequest(ExportRecord record);
    // The request's answer: PENDING when error is empty, FAILED with error as
    // the reason otherwise. Applies to REQUESTING and UNKNOWN rows (a row
    // another process marked UNKNOWN while the request was still out).
    bool markRequested(qint64 id, const QString &error = QString());
    // The request's answer was lost (requestMayHaveArrived()): a REQUESTING row
    // becomes UNKNOWN with `why`, to be settled from GetStreamSession.
    bool markAnswerLost(qint64 id, const QString &why);
    bool update(qint64 id, const ExportUpdate &changes);
    // Writes every member; inserts when record.id is 0 (and sets it).
    bool save(ExportRecord &record);
    bool remove(qint64 id);

    std::optional<ExportRecord> find(qint64 id);
    // The latest export of that session (by requestedAt, then id).
    std::optional<ExportRecord> findBySession(const QString &sessionArn);
    // Newest first. *ok (when given) is false when the history could not be
    // read, and lastError() says why: the empty list is then not "no exports".
    QList<ExportRecord> list(const ExportFilter &filter = {}, bool *ok = nullptr);
    // REQUESTING, PENDING and UNKNOWN rows: the ones a tracker follows.
    QList<ExportRecord> pending(bool *ok = nullptr);

    // An export found on the service (ListStreamSessions/GetStreamSession):
    // updates the row of the same session and OutputUri (or requestedAt, or
    // the session's only row when the listing gave no OutputUri), whatever its
    // source, or inserts a new ELSEWHERE row. Returns the row's id.
    std::optional<qint64> recordElsewhere(const ExportRecord &found);

    // REQUESTING rows older than minAge become UNKNOWN. Returns their ids;
    // the caller reconciles each with GetStreamSession (decide()).
    QList<qint64> recoverInterrupted(std::chrono::seconds minAge = kDefaultInterruptedAge);

Q_SIGNALS:
    // This store committed a change.
    void changed();

private:
    // PRAGMA `name`'s value; nothing (and lastError() says `what` failed) when it cannot be read.
    std::optional<qint64> pragma(const QString &name, const QString &what);
    QSqlDatabase database() const;
    QDateTime now() const;
    bool fail(const QString &what, const QString &detail);
    // fail() with SQLite's error; a damaged file gets damagedMessage() instead.
    bool failSql(const QString &what, const QSqlError &error);
    QString damagedMessage(const QString &detail) const;
    bool exec(QSqlQuery &query, const QString &what);
    // Runs a changing statement inside the open write transaction: the rows it
    // changed, the query finished; nothing, and the transaction rolled back, when it fails.
    std::optional<int> execChange(QSqlQuery &query, const QString &what);
    bool beginWrite(const QString &what);
    bool commit(const QString &what);
    void rollback();
    std::optional<qint64> insertRow(QSqlDatabase &db, const ExportRecord &record, const QString &what);
    QList<ExportRecord> select(
        const QString &where, const QVariantList &values, const QString &tail, bool *ok = nullptr);

    QString m_path;
    QString m_connectionName;
    QString m_lastError;
    Clock m_clock;
    bool m_open = false;
};

} // namespace gls::exports
