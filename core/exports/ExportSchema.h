#pragma once

// The export history's table (schema version 2), how an ExportRecord maps to
// its columns, and the ordered migrations from older versions. Used by
// ExportStore inside its transactions; not meant for anyone else.

#include "ExportRecord.h"

#include <QString>
#include <QStringList>
#include <QVariant>

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace gls::exports {

class ExportSchema {
public:
    static constexpr int kVersion = 2;

    // Every column but id, in the order bind() binds them (attempt_key first).
    static const QStringList &dataColumns();
    // "id, " followed by dataColumns(), the order read() expects.
    static const QString &selectColumns();

    enum class Key { Bind, Skip };
    // Binds dataColumns() in order; Key::Skip leaves out the attempt key.
    static void bind(QSqlQuery &query, const ExportRecord &record, Key key = Key::Bind);
    static ExportRecord read(const QSqlQuery &query);

    // A text column's value (never NULL) and a time column's (ms since the epoch, or NULL).
    static QVariant text(const QString &value);
    static QVariant timeToDb(const QDateTime &time);
    static QDateTime timeFromDb(const QVariant &value);

    // Brings a file at user_version `from` (0 = new) to kVersion, inside the
    // caller's write transaction. On failure *error says which step failed.
    static bool migrate(QSqlDatabase &db, int from, QString *error);

    // SQLite's primary result code and message from a Qt SQL error.
    static int sqliteCode(const QSqlError &error);
    static QString sqliteText(const QSqlError &error);

private:
    static bool createV2(QSqlDatabase &db, QString *error);
    static bool migrateV1ToV2(QSqlDatabase &db, QString *error);
};

} // namespace gls::exports
