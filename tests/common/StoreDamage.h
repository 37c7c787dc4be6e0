#pragma once

// Damage to an export store (a SQLite file) where opening it does not look:
// the first leaf page of its largest table, which holds the oldest rows.
// The store must be closed (its write-ahead log moved into the file) and
// hold enough rows for the table to span at least three leaf pages.

#include <QString>

namespace gls::test {

// False with *why when the file cannot be read or is too small for that.
bool overwriteOldestRows(const QString &path, QString *why);

// A new store at `path` holding 400 PENDING exports of stream group `group`
// in us-west-2, closed, then damaged by overwriteOldestRows().
bool writeDamagedHistory(const QString &path, const QString &group, QString *why);

} // namespace gls::test
