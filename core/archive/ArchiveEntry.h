#pragma once

// One entry of an exported session archive as a value, what kind of file it is
// (crash dump, log, image, the perf-stats CSV), which of the archive's top
// folders it lives in, the order people want to see them in (crash dumps and
// logs first) and a summary of the whole.

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

namespace gls::archive {

enum class Category { CrashDump, Log, Image, PerfStats, Text, Other };

struct ArchiveEntry {
    QString name; // as stored, '/'-separated; folders end in '/'
    qint64 size = 0;
    qint64 compressedSize = 0;
    QDateTime modified; // UTC
    bool isDir = false;
    bool isSymlink = false;
    Category category = Category::Other;
    QString group; // application, profile, temp, stats, other

    qint64 index = -1; // in the ZIP's central directory
    quint32 crc = 0;
    bool encrypted = false;

    // The last segment of the name ("Minidump.dmp"; "Logs" for "a/Logs/").
    QString fileName() const;
};

// The category of a file by its name: crash dumps (.dmp, .mdmp, .crash, core,
// core.<digits>), logs (.log, .out, .txt under a Logs folder), images (.png,
// .jpg, .jpeg, .bmp), stats/perf_stats_v1.csv, other text (.txt, .ini, .cfg,
// .xml, .json, .csv, ...), else Other. Folders are Other.
Category categorise(const QString &name, bool isDir = false);
// The first folder of the name when it is one of the archive's own
// (application, profile, temp, stats), else "other".
QString groupOf(const QString &name);
// "crash-dump", "log", "image", "perf-stats", "text", "other".
QString categoryKey(Category category);
// "Crash dump", "Log", "Image", "Perf stats", "Text", "Other".
QString categoryLabel(Category category);

// The path of the perf-stats CSV inside an export archive.
inline constexpr const char *kPerfStatsPath = "stats/perf_stats_v1.csv";

// Crash dumps first, then logs, then by group (application, profile, temp,
// stats, other), then by name. Stable.
void sortForDisplay(QList<ArchiveEntry> *entries);
bool displayOrderLess(const ArchiveEntry &a, const ArchiveEntry &b);

struct ArchiveSummary {
    int files = 0;
    int folders = 0;
    int symlinks = 0;
    qint64 totalSize = 0; // uncompressed, files only
    qint64 compressedSize = 0;
    QMap<Category, int> perCategory; // files only
    QMap<QString, int> perGroup;     // files only
};

ArchiveSummary summarise(const QList<ArchiveEntry> &entries);

} // namespace gls::archive
