#include "ExportStore.h"

#include "ExportSchema.h"
#include "ExportTask.h" // lcExports

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringList>
#include <QUuid>

namespace gls::exports {

static_assert(ExportStore::kSchemaVersion == ExportSchema::kVersion);

QString ExportStore::defaultPath()
{
    // AppDataLocation of the application "gls-exporter", whatever this process's name is.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral("gls-exporter/exports.sqlite"));
}

ExportStore::ExportStore(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_connectionName(QStringLiteral("gls-exports-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

ExportStore::~ExportStore()
{
    close();
}

void ExportStore::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

QDateTime ExportStore::now() const
{
    return m_clock().toUTC();
}

QSqlDatabase ExportStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

void ExportStore::close()
{
    m_open = false;
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = database();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString ExportStore::damagedMessage(const QString &detail) const
{
    return QStringLiteral("The export history %1 is damaged or is not a SQLite database (%2). Quit the app and the "
                          "CLI, move the file aside (for example to %1.broken) and start again: a new, empty history "
                          "will be created.")
        .arg(m_path, detail);
}

bool ExportStore::fail(const QString &what, const QString &detail)
{
    m_lastError = QStringLiteral("Export history %1: %2 failed: %3").arg(m_path, what, detail);
    qCWarning(lcExports).noquote() << m_lastError;
    return false;
}

bool ExportStore::failSql(const QString &what, const QSqlError &error)
{
    const QString detail = ExportSchema::sqliteText(error);
    switch (ExportSchema::sqliteCode(error)) {
    case 11: // SQLITE_CORRUPT: met where it is, since open() reads only what it needs
    case 26: // SQLITE_NOTADB
        m_lastError = damagedMessage(detail);
        qCWarning(lcExports).noquote() << m_lastError;
        return false;
    default:
        return fail(what, detail);
    }
}

bool ExportStore::exec(QSqlQuery &query, const QString &what)
{
    if (query.exec())
        return true;
    return failSql(what, query.lastError());
}

std::optional<int> ExportStore::execChange(QSqlQuery &query, const QString &what)
{
    if (!exec(query, what)) {
        rollback();
        return std::nullopt;
    }
    const int rows = query.numRowsAffected();
    query.finish();
    return rows;
}

bool ExportStore::beginWrite(const QString &what)
{
    if (!m_open)
        return fail(what, QStringLiteral("the store is not open"));
    // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so
    // a read inside the transaction cannot turn into a failing lock upgrade.
    QSqlQuery query(database());
    if (query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return true;
    return failSql(what, query.lastError());
}

bool ExportStore::commit(const QString &what)
{
    QSqlQuery query(database());
    if (query.exec(QStringLiteral("COMMIT")))
        return true;
    failSql(what, query.lastError());
    rollback();
    return false;
}

void ExportStore::rollback()
{
    QSqlQuery query(database());
    query.exec(QStringLiteral("ROLLBACK"));
}

bool ExportStore::open(QString *error)
{
    close();
    const auto refuse = [&](const QString &message) {
        m_lastError = message;
        qCWarning(lcExports).noquote() << message;
        if (error)
            *error = message;
        close();
        return false;
    };
    const auto explain = [&](const QSqlError &sqlError) {
        const QString detail = ExportSchema::sqliteText(sqlError);
        switch (ExportSchema::sqliteCode(sqlError)) {
        case 26: // SQLITE_NOTADB
        case 11: // SQLITE_CORRUPT
            return refuse(damagedMessage(detail));
        case 5: // SQLITE_BUSY
        case 6: // SQLITE_LOCKED
            return refuse(QStringLiteral("The export history %1 stayed locked by another program (%2). Close other "
                                         "copies of the app or the CLI and try again.")
                              .arg(m_path, detail));
        case 8:  // SQLITE_READONLY
        case 14: // SQLITE_CANTOPEN
        case 23: // SQLITE_AUTH
            return refuse(QStringLiteral("The export history %1 cannot be written (%2). Check that you can write "
                                         "to the file and to its folder, or move it aside to start a new one.")
                              .arg(m_path, detail));
        default:
            return refuse(QStringLiteral("The export history %1 cannot be opened (%2). Check the file and its "
                                         "folder, or move the file aside to start a new history.")
                              .arg(m_path, detail));
        }
    };

    const QFileInfo info(m_path);
    if (info.isDir()) {
        return refuse(QStringLiteral("The export history %1 is a folder, not a file. Move it aside or choose "
                                     "another location.")
                          .arg(m_path));
    }
    if (!QDir().mkpath(info.absolutePath())) {
        return refuse(QStringLiteral("Cannot create the folder %1 for the export history %2. Check that its parent "
                                     "can be written and that no file has its name.")
                          .arg(info.absolutePath(), m_path));
    }
    if (info.exists() && !info.isWritable()) {
        return refuse(QStringLiteral("The export history %1 cannot be written (it is read-only). Check its "
                                     "permissions, or move it aside to start a new one.")
                          .arg(m_path));
    }

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            return explain(db.lastError());
    }
    m_open = true;

    QSqlQuery query(database());
    for (const char *pragma : {"PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON"}) {
        if (!query.exec(QString::fromLatin1(pragma)))
            return explain(query.lastError());
    }
    // The first statement that reads the file: a damaged one fails here.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
        return explain(query.lastError());
    if (query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        return refuse(QStringLiteral("The export history %1 cannot use a write-ahead log (journal mode %2); it "
                                     "must be on a local disk that you can write.")
                          .arg(m_path, query.value(0).toString()));
    }
    query.finish();
    // FULL: the REQUESTING row must survive a power cut as well as a crash.
    if (!query.exec(QStringLiteral("PRAGMA synchronous = FULL")))
        return explain(query.lastError());

    // Create or migrate under the write lock: two processes opening at once
    // migrate once.
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return explain(query.lastError());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        const QSqlError sqlError = query.lastError();
        rollback();
        return explain(sqlError);
    }
    const int version = query.value(0).toInt();
    query.finish();
    if (version > kSchemaVersion) {
        rollback();
        return refuse(QStringLiteral("The export history %1 was written by a newer version of GameLift Streams "
                                     "Exporter (schema %2; this version reads up to %3). Update the app, or move "
                                     "the file aside to start a new history.")
                          .arg(m_path, QString::number(version), QString::number(kSchemaVersion)));
    }
    QString why;
    QSqlDatabase db = database();
    if (version < kSchemaVersion && !ExportSchema::migrate(db, version, &why)) {
        rollback();
        return refuse(QStringLiteral("The export history %1 could not be upgraded to schema %2 (%3). It was left "
                                     "as it was; make sure you can write to it and try again.")
                          .arg(m_path, QString::number(kSchemaVersion), why));
    }
    if (!query.exec(QStringLiteral("COMMIT"))) {
        const QSqlError sqlError = query.lastError();
        rollback();
        return explain(sqlError);
    }
    // What every use reads first: the schema and the table's last page. Not
    // PRAGMA quick_check, which reads every page: 17 ms for a history of
    // 20,000 exports with the file in memory, 190 ms from the disk, at every
    // start of the app and every CLI command. Damage elsewhere is met where
    // it is and explained the same way (failSql).
    if (!query.exec(QStringLiteral("SELECT max(id) FROM exports")) || !query.next())
        return explain(query.lastError());
    query.finish();
    if (version < kSchemaVersion)
        qCInfo(lcExports).noquote() << "export history" << m_path << "now at schema" << kSchemaVersion;
    m_lastError.clear();
    return true;
}

std::optional<qint64> ExportStore::pragma(const QString &name, const QString &what)
{
    if (!m_open)
        return std::nullopt;
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("PRAGMA ") + name) || !query.next()) {
        failSql(what, query.lastError());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

int ExportStore::schemaVersion()
{
    return int(pragma(QStringLiteral("user_version"), QStringLiteral("reading the schema version")).value_or(-1));
}

qint64 ExportStore::dataVersion()
{
    return pragma(QStringLiteral("data_version"), QStringLiteral("reading the data version")).value_or(-1);
}

std::optional<qint64> ExportStore::insertRow(QSqlDatabase &db, const ExportRecord &record, const QString &what)
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO exports (%1) VALUES (?%2)")
                       .arg(ExportSchema::dataColumns().join(QStringLiteral(", ")),
                           QStringLiteral(", ?").repeated(ExportSchema::dataColumns().size() - 1)));
    ExportSchema::bind(insert, record);
    if (!exec(insert, what))
        return std::nullopt;
    return insert.lastInsertId().toLongLong();
}

std::optional<qint64> ExportStore::beginRequest(ExportRecord record)
{
    const QString what = QStringLiteral("recording the export request");
    record.id = 0;
    record.status = ExportStatus::Requesting;
    record.source = ExportSource::App;
    record.attemptKey = QUuid::createUuid();
    if (!record.requestedAt.isValid())
        record.requestedAt = now();
    if (!beginWrite(what))
        return std::nullopt;
    QSqlDatabase db = database();
    const auto id = insertRow(db, record, what);
    if (!id) {
        rollback();
        return std::nullopt;
    }
    if (!commit(what))
        return std::nullopt;
    Q_EMIT changed();
    return id;
}

bool ExportStore::markRequested(qint64 id, const QString &error)
{
    const QString what = QStringLiteral("recording the answer to export request %1").arg(id);
    if (!beginWrite(what))
        return false;
    QSqlQuery query(database());
    if (error.isEmpty()) {
        query.prepare(QStringLiteral("UPDATE exports SET status = 'PENDING', status_reason = '' "
                                     "WHERE id = ? AND status IN ('REQUESTING', 'UNKNOWN')"));
        query.addBindValue(id);
    } else {
        query.prepare(QStringLiteral("UPDATE exports SET status = 'FAILED', status_reason = ?, finished_at = ? "
                                     "WHERE id = ? AND status IN ('REQUESTING', 'UNKNOWN')"));
        query.addBindValue(error);
        query.addBindValue(ExportSchema::timeToDb(now()));
        query.addBindValue(id);
    }
    const std::optional<int> rows = execChange(query, what);
    if (!rows)
        return false;
    if (*rows == 0) {
        // Already moved on (a tracker saw it on the service): nothing to do, if the row exists.
        QSqlQuery exists(database());
        exists.prepare(QStringLiteral("SELECT 1 FROM exports WHERE id = ?"));
        exists.addBindValue(id);
        const bool found = exists.exec() && exists.next();
        const QSqlError readError = exists.lastError();
        exists.finish();
        rollback();
        if (readError.isValid())
            return failSql(what, readError);
        return found ? true : fail(what, QStringLiteral("no export with id %1").arg(id));
    }
    if (!commit(what))
        return false;
    Q_EMIT changed();
    return true;
}

bool ExportStore::markAnswerLost(qint64 id, const QString &why)
{
    const QString what = QStringLiteral("recording that export request %1 got no answer").arg(id);
    if (!beginWrite(what))
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("UPDATE exports SET status = 'UNKNOWN', status_reason = ? "
                                 "WHERE id = ? AND status = 'REQUESTING'"));
    query.addBindValue(ExportSchema::text(why));
    query.addBindValue(id);
    const std::optional<int> rows = execChange(query, what);
    if (!rows)
        return false;
    if (*rows == 0) {
        rollback(); // already settled elsewhere (or UNKNOWN already): nothing to do
        return true;
    }
    if (!commit(what))
        return false;
    Q_EMIT changed();
    return true;
}

bool ExportStore::update(qint64 id, const ExportUpdate &c)
{
    const QString what = QStringLiteral("updating export %1").arg(id);
    QStringList sets;
    QVariantList values;
    const auto set = [&](const char *column, const QVariant &value) {
        sets.append(QString::fromLatin1(column) + QStringLiteral(" = ?"));
        values.append(value);
    };
    if (c.status)
        set("status", statusName(*c.status));
    if (c.statusReason)
        set("status_reason", ExportSchema::text(*c.statusReason));
    if (c.outputUri)
        set("output_uri", ExportSchema::text(*c.outputUri));
    if (c.finishedAt)
        set("finished_at", ExportSchema::timeToDb(*c.finishedAt));
    if (c.lastCheckedAt)
        set("last_checked_at", ExportSchema::timeToDb(*c.lastCheckedAt));
    if (c.sessionStatus)
        set("session_status", ExportSchema::text(*c.sessionStatus));
    if (c.sessionArn)
        set("session_arn", ExportSchema::text(*c.sessionArn));
    if (c.downloadPath)
        set("download_path", ExportSchema::text(*c.downloadPath));
    if (c.downloadSha256)
        set("download_sha256", ExportSchema::text(*c.downloadSha256));
    if (c.downloadedBytes)
        set("downloaded_bytes", *c.downloadedBytes);
    if (c.downloadState)
        set("download_state", downloadStateName(*c.downloadState));
    if (c.downloadError)
        set("download_error", ExportSchema::text(*c.downloadError));
    if (sets.isEmpty())
        return true;

    if (!beginWrite(what))
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("UPDATE exports SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))));
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    query.addBindValue(id);
    const std::optional<int> rows = execChange(query, what);
    if (!rows)
        return false;
    if (*rows == 0) {
        rollback();
        return fail(what, QStringLiteral("no export with id %1").arg(id));
    }
    query.finish();
    if (!commit(what))
        return false;
    Q_EMIT changed();
    return true;
}

bool ExportStore::save(ExportRecord &record)
{
    const QString what = QStringLiteral("saving export %1").arg(record.id);
    if (record.attemptKey.isNull())
        record.attemptKey = QUuid::createUuid();
    if (!record.requestedAt.isValid())
        record.requestedAt = now();
    if (!beginWrite(what))
        return false;
    QSqlDatabase db = database();
    if (record.id == 0) {
        const auto id = insertRow(db, record, what);
        if (!id) {
            rollback();
            return false;
        }
        record.id = *id;
    } else {
        // Every member but the id and the attempt key, which never change.
        QStringList columns = ExportSchema::dataColumns().mid(1);
        for (QString &column : columns)
            column += QStringLiteral(" = ?");
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE exports SET %1 WHERE id = ?").arg(columns.join(QStringLiteral(", "))));
        ExportSchema::bind(update, record, ExportSchema::Key::Skip);
        update.addBindValue(record.id);
        const std::optional<int> rows = execChange(update, what);
        if (!rows)
            return false;
        if (*rows == 0) {
            rollback();
            return fail(what, QStringLiteral("no export with id %1").arg(record.id));
        }
        update.finish();
    }
    if (!commit(what))
        return false;
    Q_EMIT changed();
    return true;
}

bool ExportStore::remove(qint64 id)
{
    const QString what = QStringLiteral("removing export %1").arg(id);
    if (!beginWrite(what))
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("DELETE FROM exports WHERE id = ?"));
    query.addBindValue(id);
    const std::optional<int> rows = execChange(query, what);
    if (!rows)
        return false;
    const bool removed = *rows > 0;
    if (!commit(what))
        return false;
    if (removed)
        Q_EMIT changed();
    return removed;
}

QList<ExportRecord> ExportStore::select(const QString &where, const QVariantList &values, const QString &tail, bool *ok)
{
    if (ok)
        *ok = false;
    QList<ExportRecord> records;
    if (!m_open) {
        fail(QStringLiteral("reading"), QStringLiteral("the store is not open"));
        return records;
    }
    QSqlQuery query(database());
    query.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT %1 FROM exports").arg(ExportSchema::selectColumns());
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    sql += QStringLiteral(" ORDER BY requested_at DESC, id DESC") + tail;
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!exec(query, QStringLiteral("reading exports")))
        return records;
    while (query.next())
        records.append(ExportSchema::read(query));
    if (query.lastError().isValid()) { // a page that cannot be read, met while stepping
        failSql(QStringLiteral("reading exports"), query.lastError());
        return {};
    }
    if (ok)
        *ok = true;
    return records;
}

std::optional<ExportRecord> ExportStore::find(qint64 id)
{
    const auto records = select(QStringLiteral("id = ?"), {id}, {});
    if (records.isEmpty())
        return std::nullopt;
    return records.first();
}

std::optional<ExportRecord> ExportStore::findBySession(const QString &sessionArn)
{
    const auto records = select(QStringLiteral("session_arn = ?"), {sessionArn}, QStringLiteral(" LIMIT 1"));
    if (records.isEmpty())
        return std::nullopt;
    return records.first();
}

QList<ExportRecord> ExportStore::list(const ExportFilter &filter, bool *ok)
{
    QStringList where;
    QVariantList values;
    if (!filter.statuses.isEmpty()) {
        QStringList marks;
        for (ExportStatus status : filter.statuses) {
            marks.append(QStringLiteral("?"));
            values.append(statusName(status));
        }
        where.append(QStringLiteral("status IN (%1)").arg(marks.join(QStringLiteral(", "))));
    }
    if (!filter.profile.isEmpty()) {
        where.append(QStringLiteral("profile = ?"));
        values.append(filter.profile);
    }
    if (!filter.region.isEmpty()) {
        where.append(QStringLiteral("region = ?"));
        values.append(filter.region);
    }
    if (filter.source) {
        where.append(QStringLiteral("source = ?"));
        values.append(sourceName(*filter.source));
    }
    const QString tail = filter.limit >= 0 ? QStringLiteral(" LIMIT %1").arg(filter.limit) : QString();
    return select(where.join(QStringLiteral(" AND ")), values, tail, ok);
}

QList<ExportRecord> ExportStore::pending(bool *ok)
{
    ExportFilter filter;
    filter.statuses = {ExportStatus::Requesting, ExportStatus::Pending, ExportStatus::Unknown};
    return list(filter, ok);
}

std::optional<qint64> ExportStore::recordElsewhere(const ExportRecord &found)
{
    const QString what = QStringLiteral("recording the export of %1").arg(found.sessionArn);
    if (found.sessionArn.isEmpty()) {
        fail(what, QStringLiteral("no session ARN"));
        return std::nullopt;
    }
    if (!beginWrite(what))
        return std::nullopt;
    QSqlDatabase db = database();

    QList<ExportRecord> candidates;
    {
        QSqlQuery query(db);
        // A row written with the session's ID only (the CLI given an ID, killed before its first look) is
        // the same session's: found by ID within its profile and Region, not inserted again.
        query.prepare(QStringLiteral("SELECT %1 FROM exports WHERE session_arn = ? OR (session_arn = '' AND "
                                     "session_id = ? AND profile = ? AND region = ?) ORDER BY requested_at DESC, id DESC")
                          .arg(ExportSchema::selectColumns()));
        query.addBindValue(found.sessionArn);
        query.addBindValue(found.sessionId.isEmpty() ? found.sessionArn.section(QLatin1Char('/'), -1) : found.sessionId);
        query.addBindValue(ExportSchema::text(found.profile));
        query.addBindValue(ExportSchema::text(found.region));
        if (!exec(query, what)) {
            rollback();
            return std::nullopt;
        }
        while (query.next())
            candidates.append(ExportSchema::read(query));
        if (query.lastError().isValid()) {
            failSql(what, query.lastError());
            rollback();
            return std::nullopt;
        }
    }
    const ExportRecord *match = nullptr;
    for (const ExportRecord &c : std::as_const(candidates)) {
        const bool sameUri = !found.outputUri.isEmpty()
            && (c.outputUri == found.outputUri
                || (c.outputUri.isEmpty()
                    && (c.requestedUri.isEmpty() || outputUriMatches(c.requestedUri, found.outputUri))));
        const bool sameTime = found.requestedAt.isValid() && c.requestedAt == found.requestedAt;
        if (sameUri || sameTime) {
            match = &c;
            break;
        }
    }
    // A listing carries only the status: it is about the session's latest export.
    if (!match && found.outputUri.isEmpty() && !candidates.isEmpty())
        match = &candidates.first();

    std::optional<qint64> id;
    if (match) {
        QStringList sets{QStringLiteral("last_checked_at = ?")};
        QVariantList values{ExportSchema::timeToDb(found.lastCheckedAt.isValid() ? found.lastCheckedAt : now())};
        if (match->sessionArn.isEmpty()) {
            sets << QStringLiteral("session_arn = ?");
            values << found.sessionArn;
        }
        const bool serviceStatus = found.status != ExportStatus::Requesting && found.status != ExportStatus::Unknown;
        if (serviceStatus) {
            sets << QStringLiteral("status = ?") << QStringLiteral("status_reason = ?");
            values << statusName(found.status) << ExportSchema::text(found.statusReason);
            if (found.isFinished() && !match->finishedAt.isValid()) {
                sets << QStringLiteral("finished_at = ?");
                values << ExportSchema::timeToDb(found.finishedAt.isValid() ? found.finishedAt : now());
            }
        }
        if (!found.outputUri.isEmpty()) {
            sets << QStringLiteral("output_uri = ?");
            values << found.outputUri;
            if (match->requestedUri.isEmpty()) {
                sets << QStringLiteral("requested_uri = ?");
                values << found.outputUri;
            }
        }
        if (!found.sessionStatus.isEmpty()) {
            sets << QStringLiteral("session_status = ?");
            values << found.sessionStatus;
        }
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE exports SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))));
        for (const QVariant &value : std::as_const(values))
            update.addBindValue(value);
        update.addBindValue(match->id);
        if (!execChange(update, what))
            return std::nullopt;
        id = match->id;
    } else {
        ExportRecord record = found;
        record.id = 0;
        record.source = ExportSource::Elsewhere;
        record.attemptKey = QUuid::createUuid();
        if (record.requestedUri.isEmpty())
            record.requestedUri = record.outputUri;
        if (!record.requestedAt.isValid())
            record.requestedAt = now();
        if (!record.lastCheckedAt.isValid())
            record.lastCheckedAt = now();
        if (record.isFinished() && !record.finishedAt.isValid())
            record.finishedAt = now();
        id = insertRow(db, record, what);
        if (!id) {
            rollback();
            return std::nullopt;
        }
    }
    if (!commit(what))
        return std::nullopt;
    Q_EMIT changed();
    return id;
}

QList<qint64> ExportStore::recoverInterrupted(std::chrono::seconds minAge)
{
    const QString what = QStringLiteral("recovering interrupted export requests");
    QList<qint64> ids;
    if (!beginWrite(what))
        return ids;
    QSqlDatabase db = database();
    const QVariant cutoff = ExportSchema::timeToDb(now().addSecs(-minAge.count()));
    {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT id FROM exports WHERE status = 'REQUESTING' AND requested_at <= ?"));
        query.addBindValue(cutoff);
        if (!exec(query, what)) {
            rollback();
            return ids;
        }
        while (query.next())
            ids.append(query.value(0).toLongLong());
        if (query.lastError().isValid()) {
            failSql(what, query.lastError());
            rollback();
            return {};
        }
    }
    if (ids.isEmpty()) {
        rollback();
        return ids;
    }
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE exports SET status = 'UNKNOWN', status_reason = ? "
                                  "WHERE status = 'REQUESTING' AND requested_at <= ?"));
    update.addBindValue(QStringLiteral("The app stopped before the service answered the export request; the "
                                       "session's export status will tell whether it got through."));
    update.addBindValue(cutoff);
    if (!execChange(update, what))
        return {};
    if (!commit(what))
        return {};
    qCInfo(lcExports) << ids.size() << "interrupted export request(s) marked UNKNOWN";
    Q_EMIT changed();
    return ids;
}

} // namespace gls::exports
