#pragma once

// Extracts an archive (all of it, or the entries chosen by exact names or
// glob patterns) into a target folder, refusing what could harm the machine:
// names that climb out of the target ("..", absolute paths, drive letters,
// backslash tricks), symbolic-link entries, paths through a symbolic link
// already in the target, files that would be overwritten (unless the policy
// says Replace or KeepBoth) and ZIP bombs (too large in total, too high a
// compression ratio, too many entries; checked on the declared sizes first and
// again on the bytes actually inflated, so a lying header does not get
// through). Everything is checked before the first byte is written; nothing
// is ever written outside the target. Each file goes to NAME.part and takes
// its final name only when complete; a failure removes the .part.
//
// Synchronous: run it on a worker thread from a GUI. The progress callback is
// called on that thread.

#include "ZipArchive.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace gls::archive {

enum class OverwritePolicy {
    Refuse,   // an existing file is refused (the default)
    Replace,  // an existing file is replaced
    KeepBoth, // the new file is written as "name (1).ext"
};

struct ExtractOptions {
    // Exact entry names or glob patterns (* ? [...]); empty: every entry. A
    // pattern without '/' also matches file names in any folder; a pattern
    // matching a folder takes everything in it.
    QStringList only;
    OverwritePolicy overwrite = OverwritePolicy::Refuse;
    qint64 maxTotalBytes = qint64(4) * 1024 * 1024 * 1024; // uncompressed, of what is extracted
    double maxRatio = 200;                                 // uncompressed / compressed, per entry...
    qint64 ratioMinSize = 1024 * 1024;                     // ...for entries larger than this
    qint64 maxEntries = 100000;                            // in the archive
    bool checkFreeSpace = true;
    // Bytes written so far of `total` (the declared sizes); return false to cancel.
    std::function<bool(qint64 done, qint64 total, const QString &entry)> progress;
};

struct ExtractedFile {
    QString entry; // the archive's name
    QString path;  // absolute, where it was written
    qint64 size = 0;
    bool replaced = false; // an existing file was replaced
    bool renamed = false;  // KeepBoth gave it another name
};

struct ExtractResult {
    enum Status {
        Ok,
        Refused,   // hostile or conflicting input: nothing (or, for a lie found while inflating, no more) written
        Failed,    // a local file error: cannot create, write, rename; no free space; unreadable archive file
        Cancelled, // the progress callback said stop
    };
    Status status = Ok;
    QString message; // plain words, naming the entry and the rule
    QString entry;   // the entry at fault, when one is
    QString rule;    // "parent-segment", "absolute-path", "drive-letter", "symlink-entry", "outside-target",
                     // "through-symlink", "exists", "in-the-way", "bad-name", "duplicate", "no-match",
                     // "encrypted", "ratio", "total-size", "entry-count", "size-mismatch", "bad-archive",
                     // "disk-space", "write", "cancelled"
    QString target;  // the canonical target folder
    QList<ExtractedFile> written;
    QStringList foldersCreated; // absolute
    qint64 bytesWritten = 0;

    bool ok() const { return status == Ok; }
};

class SafeExtractor {
public:
    SafeExtractor(const ZipArchive &archive, ExtractOptions options = {});

    // Extracts into `targetFolder` (created if missing).
    ExtractResult extractTo(const QString &targetFolder);

    // Why an entry name may not be extracted anywhere (empty when it may),
    // with the rule's key in *rule. Checks the name alone.
    static QString nameProblem(const QString &name, QString *rule = nullptr);
    // Whether `name` is chosen by one of `patterns` (see ExtractOptions::only).
    static bool matches(const QString &name, const QStringList &patterns);

private:
    const ZipArchive &m_archive;
    ExtractOptions m_options;
};

} // namespace gls::archive
