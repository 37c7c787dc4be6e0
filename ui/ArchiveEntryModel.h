#pragma once

// The entries of an export archive as a tree for the archive browser: a
// "Crash dumps and logs" group first (every crash dump and log, wherever it
// lives), then one group per top folder of the archive (application, profile,
// temp, stats, other) with its files. Columns: name, kind, size, modified.
// Crash dumps and logs carry an icon, a colour and their kind in words (never
// colour alone). Filter with a QSortFilterProxyModel on EntryNameRole with
// recursive filtering; group rows have no entry name.

#include "archive/ArchiveEntry.h"

#include <QStandardItemModel>

namespace gls::ui {

class ArchiveEntryModel : public QStandardItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, SizeColumn, ModifiedColumn, ColumnCount };
    enum Role {
        EntryNameRole = Qt::UserRole + 1, // the entry's full name; empty on group rows
        CategoryRole,                     // archive::Category as int; on entry rows
        GroupKeyRole,                     // "crash-and-logs", "application", ...; on group rows
    };
    static constexpr const char *kCrashGroupKey = "crash-and-logs";

    explicit ArchiveEntryModel(QObject *parent = nullptr);

    // Replaces the tree with these entries (folders are left out: the groups
    // and the relative names show them).
    void setEntries(const QList<archive::ArchiveEntry> &entries);

    // The row of the group with this key (GroupKeyRole), or an invalid index.
    QModelIndex groupIndex(const QString &key) const;

    // "12.3 KiB"
    static QString formatSize(qint64 bytes);
    // "Crash dumps and logs", "application/", ...
    static QString groupTitle(const QString &key);
};

// "1 file" / "3 files": `one` or `many` (both already translated, with %1)
// filled in with n. There is no translation catalogue for %n plurals yet.
inline QString plural(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

} // namespace gls::ui
