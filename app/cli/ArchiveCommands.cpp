#include "ArchiveCommands.h"

#include "Format.h"
#include "JsonFields.h"
#include "Output.h"
#include "Table.h"

#include "archive/SafeExtractor.h"
#include "archive/ZipArchive.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace gls::cli {

namespace {

using archive::ArchiveEntry;
using archive::Category;

QString kindOf(const ArchiveEntry &e)
{
    if (e.isSymlink)
        return QStringLiteral("symlink");
    if (e.isDir)
        return QStringLiteral("folder");
    return archive::categoryKey(e.category);
}

QString kindLabel(const ArchiveEntry &e)
{
    if (e.isSymlink)
        return QStringLiteral("Symbolic link");
    if (e.isDir)
        return QStringLiteral("Folder");
    return archive::categoryLabel(e.category);
}

Tone toneOf(const ArchiveEntry &e)
{
    if (e.isSymlink || e.category == Category::CrashDump)
        return Tone::Bad;
    if (e.category == Category::Log)
        return Tone::Busy;
    return e.isDir ? Tone::Dim : Tone::Plain;
}

QString plural(int n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(QString::number(n), QLatin1String(n == 1 ? one : many));
}

QString summaryLine(const archive::ArchiveSummary &s)
{
    QStringList kinds;
    const std::pair<Category, std::pair<const char *, const char *>> names[]
        = {{Category::CrashDump, {"crash dump", "crash dumps"}}, {Category::Log, {"log", "logs"}},
            {Category::Image, {"image", "images"}}, {Category::PerfStats, {"perf stats", "perf stats"}},
            {Category::Text, {"text file", "text files"}}, {Category::Other, {"other", "others"}}};
    for (const auto &[category, words] : names) {
        if (const int n = s.perCategory.value(category))
            kinds.append(plural(n, words.first, words.second));
    }
    QString line = plural(s.files, "file", "files");
    if (!kinds.isEmpty())
        line += QStringLiteral(" (") + kinds.join(QStringLiteral(", ")) + QLatin1Char(')');
    line += QStringLiteral(", ") + plural(s.folders, "folder", "folders");
    line += QStringLiteral("; %1 (%2 compressed)").arg(displayBytes(s.totalSize), displayBytes(s.compressedSize));
    return line;
}

QJsonObject summaryJson(const archive::ArchiveSummary &s)
{
    QJsonObject categories, groups;
    for (auto it = s.perCategory.cbegin(); it != s.perCategory.cend(); ++it)
        categories.insert(archive::categoryKey(it.key()), it.value());
    for (auto it = s.perGroup.cbegin(); it != s.perGroup.cend(); ++it)
        groups.insert(it.key(), it.value());
    return {{QStringLiteral("files"), s.files}, {QStringLiteral("folders"), s.folders},
        {QStringLiteral("symlinks"), s.symlinks}, {QStringLiteral("totalSize"), s.totalSize},
        {QStringLiteral("compressedSize"), s.compressedSize}, {QStringLiteral("categories"), categories},
        {QStringLiteral("groups"), groups}};
}

QJsonObject entryJson(const ArchiveEntry &e)
{
    return {{QStringLiteral("name"), e.name}, {QStringLiteral("size"), e.size},
        {QStringLiteral("compressedSize"), e.compressedSize}, {QStringLiteral("modified"), json::time(e.modified)},
        {QStringLiteral("kind"), kindOf(e)}, {QStringLiteral("group"), e.group}, {QStringLiteral("isDir"), e.isDir},
        {QStringLiteral("isSymlink"), e.isSymlink}, {QStringLiteral("encrypted"), e.encrypted}};
}

} // namespace

void ArchiveCommand::start()
{
    const QString action = args().positionals.value(0);
    const QString file = args().positionals.value(1);
    if (action == QLatin1String("ls") || action == QLatin1String("list")) {
        for (const char *option : {"to", "only", "overwrite", "keep-both"}) {
            if (args().isSet(QLatin1String(option))) {
                usage(QStringLiteral("--%1 belongs to 'archive extract', not 'archive ls'").arg(QLatin1String(option)));
                return;
            }
        }
        list(file);
    } else if (action == QLatin1String("extract")) {
        extract(file);
    } else {
        usage(QStringLiteral("unknown archive action '%1'; use ls or extract").arg(action));
    }
}

void ArchiveCommand::list(const QString &file)
{
    archive::ZipArchive zip;
    archive::ArchiveError error;
    if (!zip.open(file, &error)) {
        const bool local = error.kind == archive::ArchiveError::LocalFile;
        finish(out()->fail(local ? ExitCode::Failure : ExitCode::BadInput,
            local ? QStringLiteral("FileError") : QStringLiteral("BadArchive"), error.message));
        return;
    }
    QList<ArchiveEntry> entries = zip.entries();
    archive::sortForDisplay(&entries);
    const archive::ArchiveSummary summary = archive::summarise(entries);
    if (out()->json()) {
        QJsonArray array;
        for (const ArchiveEntry &e : entries)
            array.append(entryJson(e));
        out()->writeJson({{QStringLiteral("archive"), QFileInfo(file).absoluteFilePath()},
            {QStringLiteral("entries"), array}, {QStringLiteral("summary"), summaryJson(summary)}});
    } else {
        Table table(
            {QStringLiteral("Entry"), QStringLiteral("Size"), QStringLiteral("Modified"), QStringLiteral("Kind")});
        for (const ArchiveEntry &e : entries) {
            table.addRow({{e.name}, {e.isDir ? QString() : displayBytes(e.size)}, {displayTime(e.modified)},
                {kindLabel(e), toneOf(e)}});
        }
        out()->write(table.render(out()->colour()) + summaryLine(summary) + QLatin1Char('\n'));
    }
    finish(code(ExitCode::Ok));
}

void ArchiveCommand::extract(const QString &file)
{
    if (!args().isSet(QStringLiteral("to"))) {
        usage(QStringLiteral("--to DIR is required: the folder to extract into"));
        return;
    }
    if (args().isSet(QStringLiteral("overwrite")) && args().isSet(QStringLiteral("keep-both"))) {
        usage(QStringLiteral("--overwrite and --keep-both exclude each other"));
        return;
    }
    const QString to = args().value(QStringLiteral("to"));
    if (to.isEmpty() || (QFileInfo::exists(to) && !QFileInfo(to).isDir())) {
        usage(QStringLiteral("--to: '%1' is not a folder").arg(to));
        return;
    }
    archive::ZipArchive zip;
    archive::ArchiveError error;
    if (!zip.open(file, &error)) {
        const bool local = error.kind == archive::ArchiveError::LocalFile;
        finish(out()->fail(local ? ExitCode::Failure : ExitCode::BadInput,
            local ? QStringLiteral("FileError") : QStringLiteral("BadArchive"), error.message));
        return;
    }

    archive::ExtractOptions options;
    if (args().isSet(QStringLiteral("only"))) {
        options.only = args().value(QStringLiteral("only")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (options.only.isEmpty()) {
            usage(QStringLiteral("--only: give one or more names or glob patterns, separated by commas"));
            return;
        }
    }
    if (args().isSet(QStringLiteral("overwrite")))
        options.overwrite = archive::OverwritePolicy::Replace;
    else if (args().isSet(QStringLiteral("keep-both")))
        options.overwrite = archive::OverwritePolicy::KeepBoth;
    options.progress = [this](qint64 done, qint64 total, const QString &entry) {
        if (out()->showsProgress())
            out()->progress(
                QStringLiteral("Extracting %1: %2 of %3").arg(entry, displayBytes(done), displayBytes(total)));
        // Ctrl+C arrives through the event loop; stop between chunks when it did.
        QCoreApplication::processEvents();
        return !isFinished();
    };

    const archive::ExtractResult result = archive::SafeExtractor(zip, options).extractTo(to);
    if (isFinished()) // interrupted: already reported; the .part is gone
        return;
    out()->clearProgress();
    if (!result.ok()) {
        for (const archive::ExtractedFile &f : result.written)
            out()->note(QStringLiteral("written before stopping: %1").arg(f.path));
        const bool refused = result.status == archive::ExtractResult::Refused;
        QString message = result.message;
        if (result.rule == QLatin1String("exists"))
            message += QStringLiteral("; pass --overwrite to replace, or --keep-both");
        finish(out()->fail(refused ? ExitCode::BadInput : ExitCode::Failure,
            refused ? QStringLiteral("Refused") : QStringLiteral("FileError"), message));
        return;
    }
    if (out()->json()) {
        QJsonArray files;
        for (const archive::ExtractedFile &f : result.written) {
            files.append(QJsonObject{{QStringLiteral("entry"), f.entry}, {QStringLiteral("path"), f.path},
                {QStringLiteral("size"), f.size}, {QStringLiteral("replaced"), f.replaced},
                {QStringLiteral("renamed"), f.renamed}});
        }
        out()->writeJson({{QStringLiteral("archive"), QFileInfo(file).absoluteFilePath()},
            {QStringLiteral("target"), result.target}, {QStringLiteral("files"), files},
            {QStringLiteral("count"), files.size()}, {QStringLiteral("bytes"), result.bytesWritten}});
    } else {
        Table table({QStringLiteral("Written"), QStringLiteral("Size"), QStringLiteral("Note")});
        for (const archive::ExtractedFile &f : result.written) {
            const QString note = f.replaced ? QStringLiteral("replaced")
                : f.renamed                 ? QStringLiteral("kept both: %1 already existed").arg(f.entry)
                                            : QString();
            table.addRow({{QDir(result.target).relativeFilePath(f.path)}, {displayBytes(f.size)}, {note, Tone::Dim}});
        }
        QString text = result.written.isEmpty() ? QString() : table.render(out()->colour());
        text += QStringLiteral("Extracted %1 (%2) into %3\n")
                    .arg(plural(int(result.written.size()), "file", "files"), displayBytes(result.bytesWritten),
                        result.target);
        out()->write(text);
    }
    finish(code(ExitCode::Ok));
}

} // namespace gls::cli
