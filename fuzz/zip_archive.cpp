// A ZIP as it arrives from S3: the bytes are written to a private temporary
// folder and opened with ZipArchive (libzip); every entry is classified,
// checked by SafeExtractor::nameProblem and read (capped); then SafeExtractor
// extracts the whole hostile listing into a target folder inside that
// temporary folder.
// Invariants: nothing is ever written beside the target (the temporary
// folder holds only the archive and the target afterwards), nothing inside
// the target is a symbolic link or a file the result does not report, every written file is inside the target and
// came from an entry whose name passes nameProblem, and the bytes written
// stay under the size cap.

#include "FuzzSupport.h"

#include "archive/SafeExtractor.h"
#include "archive/ZipArchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>

using namespace gls::archive;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls::fuzz::quietQt();
    static QTemporaryDir root;
    FUZZ_CHECK(root.isValid());
    const QString zipPath = root.filePath(QStringLiteral("archive.zip"));
    {
        QFile f(zipPath);
        FUZZ_CHECK(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }

    ZipArchive zip;
    ArchiveError error;
    if (!zip.open(zipPath, &error)) {
        FUZZ_CHECK(error.isError() && !error.message.isEmpty());
        return 0;
    }
    QList<ArchiveEntry> entries = zip.entries();
    for (const ArchiveEntry &e : std::as_const(entries)) {
        FUZZ_CHECK(zip.find(e.name) != nullptr);
        (void)e.fileName();
        (void)categorise(e.name, e.isDir);
        (void)groupOf(e.name);
        QString rule;
        const QString problem = SafeExtractor::nameProblem(e.name, &rule);
        FUZZ_CHECK(problem.isEmpty() == rule.isEmpty());
        if (!e.isDir) {
            QByteArray bytes;
            ArchiveError readError;
            if (zip.readEntry(e.name, &bytes, &readError, 256 * 1024))
                FUZZ_CHECK(bytes.size() <= 256 * 1024);
            else
                FUZZ_CHECK(readError.isError());
        }
    }
    sortForDisplay(&entries);
    const ArchiveSummary summary = summarise(entries);
    FUZZ_CHECK(summary.files + summary.folders <= entries.size());

    ExtractOptions options;
    options.maxTotalBytes = 4 * 1024 * 1024;
    options.ratioMinSize = 64 * 1024;
    options.maxEntries = 2000;
    options.checkFreeSpace = false;
    const QString target = root.filePath(QStringLiteral("target"));
    const ExtractResult result = SafeExtractor(zip, options).extractTo(target);
    FUZZ_CHECK(result.ok() || !result.message.isEmpty());
    FUZZ_CHECK(result.bytesWritten <= options.maxTotalBytes);

    const QString canonicalTarget = QFileInfo(target).canonicalFilePath();
    for (const ExtractedFile &f : result.written) {
        FUZZ_CHECK(SafeExtractor::nameProblem(f.entry).isEmpty());
        FUZZ_CHECK(QFileInfo(f.path).canonicalFilePath().startsWith(canonicalTarget + QLatin1Char('/')));
    }
    const QStringList beside
        = QDir(root.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    FUZZ_CHECK(beside.size() <= 2);
    for (const QString &name : beside)
        FUZZ_CHECK(name == QLatin1String("archive.zip") || name == QLatin1String("target"));
    // Every file left in the target is one the result reports (no stray NAME.part).
    QSet<QString> reported;
    for (const ExtractedFile &f : result.written)
        reported.insert(QFileInfo(f.path).absoluteFilePath());
    QDirIterator it(
        target, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        FUZZ_CHECK(!it.fileInfo().isSymLink());
        if (!it.fileInfo().isDir())
            FUZZ_CHECK(reported.contains(it.fileInfo().absoluteFilePath()));
    }
    QDir(target).removeRecursively();
    return 0;
}
