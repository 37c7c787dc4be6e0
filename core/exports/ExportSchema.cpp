#include "ExportSchema.h"

#include "ExportTask.h" // lcExports

#include "gamelift/StreamSession.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace gls::exports {

namespace {

// Version 2: the full schema. Times are milliseconds since the epoch, UTC.
const char *const kCreateV2[] = {
    "CREATE TABLE exports ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " attempt_key TEXT NOT NULL UNIQUE,"
    " profile TEXT NOT NULL DEFAULT '',"
    " region TEXT NOT NULL DEFAULT '',"
    " stream_group_id TEXT NOT NULL DEFAULT '',"
    " session_arn TEXT NOT NULL,"
    " session_id TEXT NOT NULL DEFAULT '',"
    " requested_uri TEXT NOT NULL DEFAULT '',"
    " output_uri TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL,"
    " status_reason TEXT NOT NULL DEFAULT '',"
    " source TEXT NOT NULL DEFAULT 'APP',"
    " requested_at INTEGER NOT NULL,"
    " finished_at INTEGER,"
    " last_checked_at INTEGER,"
    " session_status TEXT NOT NULL DEFAULT '',"
    " download_path TEXT NOT NULL DEFAULT '',"
    " download_sha256 TEXT NOT NULL DEFAULT '',"
    " downloaded_bytes INTEGER NOT NULL DEFAULT 0,"
    " download_state TEXT NOT NULL DEFAULT 'NONE',"
    " download_error TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX exports_by_session ON exports (session_arn, requested_at)",
    "CREATE INDEX exports_by_status ON exports (status)",
    "CREATE INDEX exports_by_time ON exports (requested_at)",
};

bool failWith(QString *error, const QString &what, const QString &detail)
{
    *error = QStringLiteral("%1: %2").arg(what, detail);
    return false;
}

} // namespace

// Every column of the version 2 table but id, in the order bindRecord() binds them.
const QStringList &ExportSchema::dataColumns()
{
    static const QStringList columns{
        QStringLiteral("attempt_key"),
        QStringLiteral("profile"),
        QStringLiteral("region"),
        QStringLiteral("stream_group_id"),
        QStringLiteral("session_arn"),
        QStringLiteral("session_id"),
        QStringLiteral("requested_uri"),
        QStringLiteral("output_uri"),
        QStringLiteral("status"),
        QStringLiteral("status_reason"),
        QStringLiteral("source"),
        QStringLiteral("requested_at"),
        QStringLiteral("finished_at"),
        QStringLiteral("last_checked_at"),
        QStringLiteral("session_status"),
        QStringLiteral("download_path"),
        QStringLiteral("download_sha256"),
        QStringLiteral("downloaded_bytes"),
        QStringLiteral("download_state"),
        QStringLiteral("download_error"),
    };
    return columns;
}

const QString &ExportSchema::selectColumns()
{
    static const QString columns = QStringLiteral("id, ") + dataColumns().join(QStringLiteral(", "));
    return columns;
}

QVariant ExportSchema::text(const QString &value)
{
    // A null QString binds as SQL NULL; the text columns are NOT NULL.
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant ExportSchema::timeToDb(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime ExportSchema::timeFromDb(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

// Binds dataColumns() in order (without attempt_key with Key::Skip).
void ExportSchema::bind(QSqlQuery &query, const ExportRecord &r, Key key)
{
    if (key == Key::Bind)
        query.addBindValue(r.attemptKey.toString(QUuid::WithoutBraces));
    query.addBindValue(text(r.profile));
    query.addBindValue(text(r.region));
    query.addBindValue(text(r.streamGroupId));
    query.addBindValue(text(r.sessionArn));
    query.addBindValue(text(r.sessionId));
    query.addBindValue(text(r.requestedUri));
    query.addBindValue(text(r.outputUri));
    query.addBindValue(statusName(r.status));
    query.addBindValue(text(r.statusReason));
    query.addBindValue(sourceName(r.source));
    query.addBindValue(timeToDb(r.requestedAt));
    query.addBindValue(timeToDb(r.finishedAt));
    query.addBindValue(timeToDb(r.lastCheckedAt));
    query.addBindValue(text(r.sessionStatus));
    query.addBindValue(text(r.downloadPath));
    query.addBindValue(text(r.downloadSha256));
    query.addBindValue(r.downloadedBytes);
    query.addBindValue(downloadStateName(r.downloadState));
    query.addBindValue(text(r.downloadError));
}

ExportRecord ExportSchema::read(const QSqlQuery &q)
{
    ExportRecord r;
    int i = 0;
    r.id = q.value(i++).toLongLong();
    r.attemptKey = QUuid::fromString(q.value(i++).toString());
    r.profile = q.value(i++).toString();
    r.region = q.value(i++).toString();
    r.streamGroupId = q.value(i++).toString();
    r.sessionArn = q.value(i++).toString();
    r.sessionId = q.value(i++).toString();
    r.requestedUri = q.value(i++).toString();
    r.outputUri = q.value(i++).toString();
    r.status = statusFromName(q.value(i++).toString()).value_or(ExportStatus::Unknown);
    r.statusReason = q.value(i++).toString();
    r.source = sourceFromName(q.value(i++).toString()).value_or(ExportSource::Elsewhere);
    r.requestedAt = timeFromDb(q.value(i++));
    r.finishedAt = timeFromDb(q.value(i++));
    r.lastCheckedAt = timeFromDb(q.value(i++));
    r.sessionStatus = q.value(i++).toString();
    r.downloadPath = q.value(i++).toString();
    r.downloadSha256 = q.value(i++).toString();
    r.downloadedBytes = q.value(i++).toLongLong();
    r.downloadState = downloadStateFromName(q.value(i++).toString()).value_or(DownloadState::None);
    r.downloadError = q.value(i++).toString();
    return r;
}

// SQLite's primary result code (the Qt driver reports the extended one).
int ExportSchema::sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

QString ExportSchema::sqliteText(const QSqlError &error)
{
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

bool ExportSchema::migrate(QSqlDatabase &db, int from, QString *error)
{
    const auto fail = [error](const QString &what, const QString &detail) {
        *error = QStringLiteral("%1: %2").arg(what, detail);
        return false;
    };
    if (from == 0) {
        QSqlQuery tables(db);
        if (!tables.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) || !tables.next())
            return fail(QStringLiteral("reading the schema"), sqliteText(tables.lastError()));
        if (tables.value(0).toInt() != 0)
            return fail(QStringLiteral("creating the schema"), QStringLiteral("the file holds other tables"));
        tables.finish();
        // A new file gets the current schema directly.
        if (!createV2(db, error))
            return false;
    } else {
        // Ordered steps; each one leaves the file at its version.
        struct Step {
            int to;
            bool (*run)(QSqlDatabase &, QString *);
        };
        static constexpr Step kSteps[] = {{2, &ExportSchema::migrateV1ToV2}};
        for (const Step &step : kSteps) {
            if (step.to <= from)
                continue;
            if (!step.run(db, error))
                return false;
            QSqlQuery setVersion(db);
            if (!setVersion.exec(QStringLiteral("PRAGMA user_version = %1").arg(step.to)))
                return fail(QStringLiteral("setting the schema version"), sqliteText(setVersion.lastError()));
            qCInfo(lcExports) << "export history migrated to schema" << step.to;
        }
        return true;
    }
    QSqlQuery setVersion(db);
    if (!setVersion.exec(QStringLiteral("PRAGMA user_version = %1").arg(kVersion)))
        return fail(QStringLiteral("setting the schema version"), sqliteText(setVersion.lastError()));
    return true;
}

bool ExportSchema::createV2(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    for (const char *statement : kCreateV2) {
        if (!query.exec(QString::fromLatin1(statement)))
            return failWith(error, QStringLiteral("creating the schema"), sqliteText(query.lastError()));
    }
    return true;
}

// Version 1 (the first release) kept: id, profile, region, session_arn,
// output_uri (the URI requested), status (PENDING/SUCCEEDED/FAILED),
// status_reason, requested_at and finished_at (ISO 8601 UTC text) and
// download_path. Its rows are copied into the version 2 table.
bool ExportSchema::migrateV1ToV2(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("ALTER TABLE exports RENAME TO exports_v1")))
        return failWith(error, QStringLiteral("migrating from schema 1"), sqliteText(query.lastError()));
    if (!createV2(db, error))
        return false;

    QList<ExportRecord> rows;
    if (!query.exec(QStringLiteral("SELECT id, profile, region, session_arn, output_uri, status, status_reason, "
                                   "requested_at, finished_at, download_path FROM exports_v1 ORDER BY id")))
        return failWith(error, QStringLiteral("migrating from schema 1"), sqliteText(query.lastError()));
    while (query.next()) {
        ExportRecord r;
        r.id = query.value(0).toLongLong();
        r.attemptKey = QUuid::createUuid();
        r.profile = query.value(1).toString();
        r.region = query.value(2).toString();
        r.sessionArn = query.value(3).toString();
        gamelift::StreamSessionSummary summary;
        summary.arn = r.sessionArn;
        r.sessionId = summary.idFromArn();
        r.streamGroupId = summary.streamGroupIdFromArn();
        r.requestedUri = query.value(4).toString();
        r.status = statusFromName(query.value(5).toString()).value_or(ExportStatus::Unknown);
        // Version 1 kept only the URI requested; for a ".zip" key it is the final one.
        if (r.status == ExportStatus::Succeeded && !r.requestedUri.endsWith(QLatin1Char('/')))
            r.outputUri = r.requestedUri;
        r.statusReason = query.value(6).toString();
        r.source = ExportSource::App;
        r.requestedAt = QDateTime::fromString(query.value(7).toString(), Qt::ISODateWithMs).toUTC();
        if (!r.requestedAt.isValid())
            r.requestedAt = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
        r.finishedAt = QDateTime::fromString(query.value(8).toString(), Qt::ISODateWithMs).toUTC();
        r.downloadPath = query.value(9).toString();
        r.downloadState = r.downloadPath.isEmpty() ? DownloadState::None : DownloadState::Done;
        rows.append(r);
    }
    query.finish();

    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO exports (id, %1) VALUES (?%2)")
            .arg(dataColumns().join(QStringLiteral(", ")), QStringLiteral(", ?").repeated(dataColumns().size())));
    for (const ExportRecord &r : std::as_const(rows)) {
        insert.addBindValue(r.id);
        bind(insert, r);
        if (!insert.exec())
            return failWith(error, QStringLiteral("copying schema 1 rows"), sqliteText(insert.lastError()));
    }
    if (!query.exec(QStringLiteral("DROP TABLE exports_v1")))
        return failWith(error, QStringLiteral("migrating from schema 1"), sqliteText(query.lastError()));
    return true;
}

} // namespace gls::exports
