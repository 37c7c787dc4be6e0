#include "StoreDamage.h"

#include "exports/ExportStore.h"

#include <QFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>

namespace gls::test {

bool overwriteOldestRows(const QString &path, QString *why)
{
    QSet<qint64> roots; // of the tables and indexes: a small one is a leaf itself
    int pageSize = 0;
    const QString connection = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        QSqlQuery query(db);
        if (db.open() && query.exec(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE rootpage > 0"))) {
            while (query.next())
                roots.insert(query.value(0).toLongLong());
            if (query.exec(QStringLiteral("PRAGMA page_size")) && query.next())
                pageSize = query.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (pageSize <= 0) {
        *why = QStringLiteral("%1 cannot be read as a SQLite file").arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite)) {
        *why = file.errorString();
        return false;
    }
    // A b-tree page's first byte is its kind (13: table leaf); page 1 starts
    // with the file header. Leaves are allocated as rows are appended.
    const QByteArray bytes = file.readAll();
    QList<qint64> tableLeaves;
    for (qint64 at = pageSize; at + pageSize <= bytes.size(); at += pageSize) {
        if (bytes.at(at) == 13 && !roots.contains(at / pageSize + 1))
            tableLeaves.append(at);
    }
    if (tableLeaves.size() < 3) {
        *why = QStringLiteral("%1 has %2 table leaf pages; at least 3 are needed").arg(path).arg(tableLeaves.size());
        return false;
    }
    if (!file.seek(tableLeaves.first()) || file.write(QByteArray(pageSize, '\x5a')) != pageSize) {
        *why = file.errorString();
        return false;
    }
    return true;
}

bool writeDamagedHistory(const QString &path, const QString &group, QString *why)
{
    {
        exports::ExportStore store(path);
        if (!store.open(why))
            return false;
        for (int i = 0; i < 400; ++i) {
            exports::ExportRecord r;
            r.region = QStringLiteral("us-west-2");
            r.streamGroupId = group;
            r.sessionId = QStringLiteral("s-%1").arg(i);
            r.requestedUri = QStringLiteral("s3://gls-exports/d/");
            const std::optional<qint64> id = store.beginRequest(r);
            if (!id || !store.markRequested(*id)) {
                *why = store.lastError();
                return false;
            }
        }
    } // closing moves the log into the file
    return overwriteOldestRows(path, why);
}

} // namespace gls::test
