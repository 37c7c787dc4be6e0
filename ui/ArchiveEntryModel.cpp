#include "ArchiveEntryModel.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QStyle>

#include <algorithm>
#include <utility>

namespace gls::ui {

using archive::ArchiveEntry;
using archive::Category;

ArchiveEntryModel::ArchiveEntryModel(QObject *parent)
    : QStandardItemModel(0, ColumnCount, parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Kind"), tr("Size"), tr("Modified (UTC)")});
}

QString ArchiveEntryModel::formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString ArchiveEntryModel::groupTitle(const QString &key)
{
    if (key == QLatin1String(kCrashGroupKey))
        return tr("Crash dumps and logs");
    if (key == QLatin1String("other"))
        return tr("Other files");
    return key + QLatin1Char('/');
}

QModelIndex ArchiveEntryModel::groupIndex(const QString &key) const
{
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex i = index(row, NameColumn);
        if (i.data(GroupKeyRole).toString() == key)
            return i;
    }
    return {};
}

namespace {

bool flagged(Category c)
{
    return c == Category::CrashDump || c == Category::Log;
}

QList<QStandardItem *> entryRow(const ArchiveEntry &e, const QString &shownName)
{
    auto *name = new QStandardItem(shownName);
    name->setData(e.name, ArchiveEntryModel::EntryNameRole);
    name->setData(int(e.category), ArchiveEntryModel::CategoryRole);
    name->setToolTip(e.name);
    auto *kind = new QStandardItem(archive::categoryLabel(e.category));
    auto *size = new QStandardItem(ArchiveEntryModel::formatSize(e.size));
    size->setData(e.size, Qt::UserRole);
    size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *modified = new QStandardItem(
        e.modified.isValid() ? e.modified.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString());
    QStyle *style = QApplication::style();
    if (e.category == Category::CrashDump) {
        name->setIcon(style->standardIcon(QStyle::SP_MessageBoxCritical));
        kind->setText(QObject::tr("Crash dump"));
        for (QStandardItem *item : {name, kind})
            item->setForeground(QBrush(QColor(0xb0, 0x20, 0x20)));
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        kind->setFont(bold);
    } else if (e.category == Category::Log) {
        name->setIcon(style->standardIcon(QStyle::SP_FileDialogDetailedView));
        for (QStandardItem *item : {name, kind})
            item->setForeground(QBrush(QColor(0x1a, 0x5f, 0xb4)));
    } else {
        name->setIcon(style->standardIcon(QStyle::SP_FileIcon));
    }
    QList<QStandardItem *> row{name, kind, size, modified};
    for (QStandardItem *item : row)
        item->setEditable(false);
    return row;
}

QList<QStandardItem *> groupRow(const QString &key, int files, qint64 bytes)
{
    auto *name = new QStandardItem(ArchiveEntryModel::groupTitle(key));
    name->setData(key, ArchiveEntryModel::GroupKeyRole);
    QFont bold = name->font();
    bold.setBold(true);
    name->setFont(bold);
    const bool crash = key == QLatin1String(ArchiveEntryModel::kCrashGroupKey);
    name->setIcon(QApplication::style()->standardIcon(crash ? QStyle::SP_MessageBoxWarning : QStyle::SP_DirIcon));
    auto *kind = new QStandardItem(plural(files, QObject::tr("%1 file"), QObject::tr("%1 files")));
    auto *size = new QStandardItem(ArchiveEntryModel::formatSize(bytes));
    size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QList<QStandardItem *> row{name, kind, size, new QStandardItem};
    for (QStandardItem *item : row)
        item->setEditable(false);
    return row;
}

} // namespace

void ArchiveEntryModel::setEntries(const QList<ArchiveEntry> &entries)
{
    removeRows(0, rowCount());
    QList<ArchiveEntry> sorted = entries;
    archive::sortForDisplay(&sorted);

    QList<const ArchiveEntry *> crash;
    QStringList groupOrder;
    QMap<QString, QList<const ArchiveEntry *>> perGroup;
    for (const ArchiveEntry &e : sorted) {
        if (e.isDir)
            continue;
        if (flagged(e.category))
            crash.append(&e);
        if (!perGroup.contains(e.group))
            groupOrder.append(e.group);
        perGroup[e.group].append(&e);
    }
    const QStringList known{QStringLiteral("application"), QStringLiteral("profile"), QStringLiteral("temp"),
        QStringLiteral("stats"), QStringLiteral("other")};
    std::stable_sort(groupOrder.begin(), groupOrder.end(),
        [&known](const QString &a, const QString &b) { return known.indexOf(a) < known.indexOf(b); });

    auto addGroup = [this](const QString &key, const QList<const ArchiveEntry *> &list, bool fullNames) {
        qint64 bytes = 0;
        for (const ArchiveEntry *e : list)
            bytes += e->size;
        QList<QStandardItem *> row = groupRow(key, int(list.size()), bytes);
        for (const ArchiveEntry *e : list) {
            QString shown = e->name;
            if (!fullNames && e->group != QLatin1String("other"))
                shown = e->name.section(QLatin1Char('/'), 1);
            row.first()->appendRow(entryRow(*e, shown));
        }
        appendRow(row);
    };
    if (!crash.isEmpty())
        addGroup(QLatin1String(kCrashGroupKey), crash, true);
    for (const QString &key : std::as_const(groupOrder))
        addGroup(key, perGroup.value(key), false);
}

} // namespace gls::ui
