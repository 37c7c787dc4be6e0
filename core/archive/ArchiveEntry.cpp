#include "ArchiveEntry.h"

#include <QRegularExpression>

#include <algorithm>

namespace gls::archive {

namespace {

const QStringList &groupOrder()
{
    static const QStringList order{QStringLiteral("application"), QStringLiteral("profile"), QStringLiteral("temp"),
        QStringLiteral("stats"), QStringLiteral("other")};
    return order;
}

int categoryRank(Category c)
{
    switch (c) {
    case Category::CrashDump:
        return 0;
    case Category::Log:
        return 1;
    default:
        return 2;
    }
}

int groupRank(const QString &group)
{
    const qsizetype i = groupOrder().indexOf(group);
    return i < 0 ? int(groupOrder().size()) : int(i);
}

} // namespace

QString ArchiveEntry::fileName() const
{
    QString n = name;
    while (n.endsWith(QLatin1Char('/')))
        n.chop(1);
    return n.mid(n.lastIndexOf(QLatin1Char('/')) + 1);
}

Category categorise(const QString &name, bool isDir)
{
    if (isDir || name.endsWith(QLatin1Char('/')))
        return Category::Other;
    if (name.compare(QLatin1String(kPerfStatsPath), Qt::CaseInsensitive) == 0)
        return Category::PerfStats;
    const QStringList segments = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QString file = segments.value(segments.size() - 1).toLower();
    const qsizetype dot = file.lastIndexOf(QLatin1Char('.'));
    const QString suffix = dot < 0 ? QString() : file.mid(dot + 1);

    static const QRegularExpression core(QStringLiteral("^core(\\.\\d+)?$"));
    if (suffix == QLatin1String("dmp") || suffix == QLatin1String("mdmp") || suffix == QLatin1String("crash")
        || core.match(file).hasMatch())
        return Category::CrashDump;
    if (suffix == QLatin1String("log") || suffix == QLatin1String("out"))
        return Category::Log;
    if (suffix == QLatin1String("txt")) {
        for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
            if (segments.at(i).compare(QLatin1String("logs"), Qt::CaseInsensitive) == 0)
                return Category::Log;
        }
        return Category::Text;
    }
    static const QStringList images{
        QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("bmp")};
    if (images.contains(suffix))
        return Category::Image;
    static const QStringList texts{QStringLiteral("ini"), QStringLiteral("cfg"), QStringLiteral("conf"),
        QStringLiteral("xml"), QStringLiteral("runtime-xml"), QStringLiteral("json"), QStringLiteral("csv"),
        QStringLiteral("md"), QStringLiteral("yaml"), QStringLiteral("yml")};
    if (texts.contains(suffix))
        return Category::Text;
    return Category::Other;
}

QString groupOf(const QString &name)
{
    const QString first = name.section(QLatin1Char('/'), 0, 0);
    if (name.contains(QLatin1Char('/')) && groupOrder().contains(first) && first != QLatin1String("other"))
        return first;
    return QStringLiteral("other");
}

QString categoryKey(Category category)
{
    switch (category) {
    case Category::CrashDump:
        return QStringLiteral("crash-dump");
    case Category::Log:
        return QStringLiteral("log");
    case Category::Image:
        return QStringLiteral("image");
    case Category::PerfStats:
        return QStringLiteral("perf-stats");
    case Category::Text:
        return QStringLiteral("text");
    case Category::Other:
        break;
    }
    return QStringLiteral("other");
}

QString categoryLabel(Category category)
{
    switch (category) {
    case Category::CrashDump:
        return QStringLiteral("Crash dump");
    case Category::Log:
        return QStringLiteral("Log");
    case Category::Image:
        return QStringLiteral("Image");
    case Category::PerfStats:
        return QStringLiteral("Perf stats");
    case Category::Text:
        return QStringLiteral("Text");
    case Category::Other:
        break;
    }
    return QStringLiteral("Other");
}

bool displayOrderLess(const ArchiveEntry &a, const ArchiveEntry &b)
{
    const int ca = categoryRank(a.category), cb = categoryRank(b.category);
    if (ca != cb)
        return ca < cb;
    const int ga = groupRank(a.group), gb = groupRank(b.group);
    if (ga != gb)
        return ga < gb;
    return a.name < b.name;
}

void sortForDisplay(QList<ArchiveEntry> *entries)
{
    std::stable_sort(entries->begin(), entries->end(), displayOrderLess);
}

ArchiveSummary summarise(const QList<ArchiveEntry> &entries)
{
    ArchiveSummary s;
    for (const ArchiveEntry &e : entries) {
        if (e.isDir) {
            ++s.folders;
            continue;
        }
        if (e.isSymlink)
            ++s.symlinks;
        ++s.files;
        s.totalSize += e.size;
        s.compressedSize += e.compressedSize;
        ++s.perCategory[e.category];
        ++s.perGroup[e.group];
    }
    return s;
}

} // namespace gls::archive
