#include "SafeExtractor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStorageInfo>

#include <filesystem>
#include <system_error>
#include <utility>

namespace gls::archive {

namespace {

struct Planned {
    const ArchiveEntry *entry = nullptr;
    QString relative;    // cleaned, '/'-separated
    QString destination; // absolute
    bool replace = false;
    bool renamed = false;
};

// Backslashes are folder separators to the Windows tools that write them.
QString normalised(const QString &name)
{
    return QString(name).replace(QLatin1Char('\\'), QLatin1Char('/'));
}

bool hasWildcard(const QString &pattern)
{
    return pattern.contains(QLatin1Char('*')) || pattern.contains(QLatin1Char('?'))
        || pattern.contains(QLatin1Char('['));
}

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

// "name (1).ext", the first such name that is free on disk and not planned.
QString keepBothName(const QString &path, const QSet<QString> &planned)
{
    const QFileInfo info(path);
    const QString file = info.fileName();
    const qsizetype dot = file.lastIndexOf(QLatin1Char('.'));
    const QString stem = dot > 0 ? file.left(dot) : file;
    const QString ext = dot > 0 ? file.mid(dot) : QString();
    for (int n = 1;; ++n) {
        const QString candidate = info.absolutePath() + QLatin1Char('/') + stem + QStringLiteral(" (%1)").arg(n) + ext;
        const QFileInfo c(candidate);
        if (!c.exists() && !c.isSymLink() && !planned.contains(candidate))
            return candidate;
    }
}

QString partName(const QString &destination, const QSet<QString> &planned)
{
    QString candidate = destination + QStringLiteral(".part");
    for (int n = 1; QFileInfo(candidate).exists() || QFileInfo(candidate).isSymLink() || planned.contains(candidate);
         ++n)
        candidate = destination + QStringLiteral(".%1.part").arg(n);
    return candidate;
}

} // namespace

SafeExtractor::SafeExtractor(const ZipArchive &archive, ExtractOptions options)
    : m_archive(archive)
    , m_options(std::move(options))
{
}

QString SafeExtractor::nameProblem(const QString &name, QString *rule)
{
    auto refuse = [&](const char *key, const QString &why) {
        if (rule)
            *rule = QLatin1String(key);
        return QStringLiteral("'%1' is refused: %2").arg(name, why);
    };
    const QString n = normalised(name);
    if (n.isEmpty() || n == QLatin1String("/"))
        return refuse("bad-name", QStringLiteral("the entry has no name"));
    for (const QChar c : n) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return refuse("bad-name", QStringLiteral("its name holds control characters"));
    }
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    if (drive.match(n).hasMatch())
        return refuse("drive-letter", QStringLiteral("it names a Windows drive (%1)").arg(n.left(2)));
    if (n.startsWith(QLatin1Char('/')))
        return refuse("absolute-path", QStringLiteral("it is an absolute path"));
    const QStringList segments = n.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &s : segments) {
        if (s == QLatin1String(".."))
            return refuse("parent-segment",
                QStringLiteral("its path goes up a folder with '..', which could leave the target folder"));
        if (s.contains(QLatin1Char(':')))
            return refuse("bad-name", QStringLiteral("a folder or file name in it holds ':'"));
    }
    if (segments.isEmpty() || (segments.size() == 1 && segments.first() == QLatin1String(".")))
        return refuse("bad-name", QStringLiteral("the entry has no name"));
    return {};
}

bool SafeExtractor::matches(const QString &name, const QStringList &patterns)
{
    if (patterns.isEmpty())
        return true;
    QString path = name;
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    const QStringList segments = path.split(QLatin1Char('/'));
    const QString fileName = segments.last();
    for (const QString &p : patterns) {
        QString pattern = p;
        while (pattern.endsWith(QLatin1Char('/')))
            pattern.chop(1);
        if (pattern.isEmpty())
            continue;
        if (!hasWildcard(pattern)) {
            if (path == pattern || path.startsWith(pattern + QLatin1Char('/')))
                return true;
            continue;
        }
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern));
        if (!pattern.contains(QLatin1Char('/')) && re.match(fileName).hasMatch())
            return true;
        QString prefix;
        for (const QString &s : segments) { // the entry itself or a folder it is in
            prefix += (prefix.isEmpty() ? QString() : QStringLiteral("/")) + s;
            if (re.match(prefix).hasMatch())
                return true;
        }
    }
    return false;
}

ExtractResult SafeExtractor::extractTo(const QString &targetFolder)
{
    ExtractResult result;
    auto stop
        = [&result](ExtractResult::Status status, const char *rule, const QString &message, const QString &entry = {}) {
              result.status = status;
              result.rule = QLatin1String(rule);
              result.message = message;
              result.entry = entry;
              return result;
          };
    const auto Refused = ExtractResult::Refused;
    const auto Failed = ExtractResult::Failed;

    if (!m_archive.isOpen())
        return stop(Failed, "bad-archive", QStringLiteral("no archive is open"));
    const QList<ArchiveEntry> &all = m_archive.entries();
    if (all.size() > m_options.maxEntries) {
        return stop(Refused, "entry-count",
            QStringLiteral("'%1' is refused as a ZIP bomb: it has %2 entries, over the limit of %3")
                .arg(m_archive.path(), QString::number(all.size()), QString::number(m_options.maxEntries)));
    }

    // The entries chosen, and every pattern must choose something.
    QList<const ArchiveEntry *> chosen;
    for (const ArchiveEntry &e : all) {
        if (matches(e.name, m_options.only))
            chosen.append(&e);
    }
    for (const QString &pattern : m_options.only) {
        bool used = false;
        for (const ArchiveEntry &e : all)
            used = used || matches(e.name, {pattern});
        if (!used) {
            return stop(
                Refused, "no-match", QStringLiteral("'%1' matches no entry of '%2'").arg(pattern, m_archive.path()));
        }
    }

    // The names alone, the declared sizes, and the archive's own flags.
    qint64 declaredTotal = 0;
    QSet<QString> seen;
    for (const ArchiveEntry *e : chosen) {
        QString rule;
        if (const QString problem = nameProblem(e->name, &rule); !problem.isEmpty())
            return stop(Refused, rule.toLatin1().constData(), problem, e->name);
        if (e->isSymlink) {
            return stop(Refused, "symlink-entry",
                QStringLiteral("'%1' is refused: it is a symbolic link, and links are never extracted").arg(e->name),
                e->name);
        }
        if (e->encrypted) {
            return stop(Refused, "encrypted",
                QStringLiteral("'%1' is refused: it is encrypted, and encrypted entries are not supported")
                    .arg(e->name),
                e->name);
        }
        const QString key = QDir::cleanPath(normalised(e->name));
        if (seen.contains(key)) {
            return stop(Refused, "duplicate",
                QStringLiteral("'%1' is refused: the archive holds more than one entry of that name").arg(e->name),
                e->name);
        }
        seen.insert(key);
        if (e->isDir)
            continue;
        if (e->size > m_options.ratioMinSize
            && (e->compressedSize <= 0 || double(e->size) / double(e->compressedSize) > m_options.maxRatio)) {
            return stop(Refused, "ratio",
                QStringLiteral("'%1' is refused as a ZIP bomb: it declares %2 bytes from %3 compressed, a ratio over "
                               "the limit of %4")
                    .arg(e->name, QString::number(e->size), QString::number(e->compressedSize),
                        QString::number(m_options.maxRatio)),
                e->name);
        }
        declaredTotal += e->size;
        if (declaredTotal > m_options.maxTotalBytes) {
            return stop(Refused, "total-size",
                QStringLiteral("'%1' is refused as a ZIP bomb: its entries declare more than %2 bytes in total, "
                               "the limit")
                    .arg(m_archive.path(), QString::number(m_options.maxTotalBytes)),
                e->name);
        }
    }

    // The target, and where each entry would land in it.
    if (!QDir().mkpath(targetFolder))
        return stop(Failed, "write", QStringLiteral("the folder '%1' cannot be created").arg(targetFolder));
    const QString target = QFileInfo(targetFolder).canonicalFilePath();
    if (target.isEmpty() || !QFileInfo(target).isDir())
        return stop(Failed, "write", QStringLiteral("'%1' is not a folder").arg(targetFolder));
    result.target = target;
    const QString targetPrefix = target.endsWith(QLatin1Char('/')) ? target : target + QLatin1Char('/');

    QList<Planned> plan;
    QSet<QString> planned;
    for (const ArchiveEntry *e : chosen) {
        Planned p;
        p.entry = e;
        p.relative = QDir::cleanPath(normalised(e->name));
        p.destination = QDir::cleanPath(targetPrefix + p.relative);
        if (!p.destination.startsWith(targetPrefix)) {
            return stop(Refused, "outside-target",
                QStringLiteral("'%1' is refused: it resolves to '%2', outside the target folder '%3'")
                    .arg(e->name, p.destination, target),
                e->name);
        }
        // Every folder on the way must be a real folder (or not exist yet), never a link.
        const QStringList segments = p.relative.split(QLatin1Char('/'));
        QString walk = target;
        for (qsizetype i = 0; i < segments.size(); ++i) {
            walk += QLatin1Char('/') + segments.at(i);
            const QFileInfo info(walk);
            const bool last = i == segments.size() - 1;
            if (info.isSymLink()) {
                return stop(Refused, "through-symlink",
                    QStringLiteral(
                        "'%1' is refused: its path passes through '%2', a symbolic link in the target folder")
                        .arg(e->name, walk),
                    e->name);
            }
            if (!info.exists())
                break;
            if ((!last || e->isDir) && !info.isDir()) {
                return stop(Refused, "in-the-way",
                    QStringLiteral("'%1' is refused: '%2' is a file where a folder is needed").arg(e->name, walk),
                    e->name);
            }
            if (last && !e->isDir) {
                if (info.isDir()) {
                    return stop(Refused, "in-the-way",
                        QStringLiteral("'%1' is refused: '%2' is a folder").arg(e->name, walk), e->name);
                }
                if (m_options.overwrite == OverwritePolicy::Refuse) {
                    return stop(Refused, "exists",
                        QStringLiteral("'%1' is refused: '%2' already exists (replace it, or keep both)")
                            .arg(e->name, walk),
                        e->name);
                }
                if (m_options.overwrite == OverwritePolicy::Replace) {
                    p.replace = true;
                } else {
                    p.destination = keepBothName(p.destination, planned);
                    p.renamed = true;
                }
            }
        }
        planned.insert(p.destination);
        plan.append(p);
    }

    if (m_options.checkFreeSpace) {
        const QStorageInfo storage(target);
        if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < declaredTotal) {
            return stop(Failed, "disk-space",
                QStringLiteral("not enough free space in '%1': %2 bytes are needed, %3 are free")
                    .arg(target, QString::number(declaredTotal), QString::number(storage.bytesAvailable())));
        }
    }

    // Folders one segment at a time, checking each is not (or has not become) a link.
    auto makeFolders = [&](const Planned &p, const QString &relativeFolder) {
        if (relativeFolder.isEmpty() || relativeFolder == QLatin1String("."))
            return true;
        QString walk = target;
        for (const QString &s : relativeFolder.split(QLatin1Char('/'))) {
            walk += QLatin1Char('/') + s;
            const QFileInfo info(walk);
            if (info.isSymLink()) {
                stop(Refused, "through-symlink",
                    QStringLiteral(
                        "'%1' is refused: its path passes through '%2', a symbolic link in the target folder")
                        .arg(p.entry->name, walk),
                    p.entry->name);
                return false;
            }
            if (info.isDir())
                continue;
            if (info.exists() || !QDir().mkdir(walk)) {
                stop(Failed, "write", QStringLiteral("the folder '%1' cannot be created").arg(walk), p.entry->name);
                return false;
            }
            result.foldersCreated.append(walk);
        }
        return true;
    };

    qint64 done = 0;
    for (const Planned &p : plan) {
        const ArchiveEntry &e = *p.entry;
        if (e.isDir) {
            if (!makeFolders(p, p.relative))
                return result;
            continue;
        }
        const qsizetype slash = p.relative.lastIndexOf(QLatin1Char('/'));
        if (!makeFolders(p, slash < 0 ? QString() : p.relative.left(slash)))
            return result;

        const QString part = partName(p.destination, planned);
        QFile file(part);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            return stop(
                Failed, "write", QStringLiteral("cannot create '%1': %2").arg(part, file.errorString()), e.name);
        }
        qint64 written = 0;
        bool cancelled = false;
        ArchiveError readError;
        const bool ok = m_archive.readChunks(
            e,
            [&](const char *data, qint64 size) {
                written += size;
                if (written > e.size) {
                    stop(Refused, "size-mismatch",
                        QStringLiteral("'%1' is refused: it inflates to more than the %2 bytes its header declares "
                                       "(a lying header, as ZIP bombs have)")
                            .arg(e.name, QString::number(e.size)),
                        e.name);
                    return false;
                }
                if (done + size > m_options.maxTotalBytes) {
                    stop(Refused, "total-size",
                        QStringLiteral("'%1' is refused as a ZIP bomb: more than %2 bytes inflated in total")
                            .arg(e.name, QString::number(m_options.maxTotalBytes)),
                        e.name);
                    return false;
                }
                if (written > m_options.ratioMinSize
                    && (e.compressedSize <= 0 || double(written) / double(e.compressedSize) > m_options.maxRatio)) {
                    stop(Refused, "ratio",
                        QStringLiteral("'%1' is refused as a ZIP bomb: it inflated to %2 bytes from %3 compressed, "
                                       "a ratio over the limit of %4")
                            .arg(e.name, QString::number(written), QString::number(e.compressedSize),
                                QString::number(m_options.maxRatio)),
                        e.name);
                    return false;
                }
                if (file.write(data, size) != size) {
                    stop(
                        Failed, "write", QStringLiteral("cannot write '%1': %2").arg(part, file.errorString()), e.name);
                    return false;
                }
                done += size;
                result.bytesWritten = done;
                if (m_options.progress && !m_options.progress(done, declaredTotal, e.name)) {
                    cancelled = true;
                    stop(ExtractResult::Cancelled, "cancelled", QStringLiteral("extraction cancelled"), e.name);
                    return false;
                }
                return true;
            },
            &readError);
        auto discard = [&] {
            file.close();
            QFile::remove(part);
        };
        if (!ok) {
            discard();
            if (readError.kind != ArchiveError::Aborted && !cancelled) {
                stop(readError.kind == ArchiveError::LocalFile ? Failed : Refused, "bad-archive", readError.message,
                    e.name);
            }
            return result;
        }
        if (written != e.size) {
            discard();
            return stop(Refused, "size-mismatch",
                QStringLiteral("'%1' is refused: it inflates to %2 bytes, not the %3 its header declares")
                    .arg(e.name, QString::number(written), QString::number(e.size)),
                e.name);
        }
        if (!file.flush()) {
            const QString why = file.errorString();
            discard();
            return stop(Failed, "write", QStringLiteral("cannot write '%1': %2").arg(part, why), e.name);
        }
        file.close();
        if (e.modified.isValid() && file.open(QIODevice::Append)) {
            file.setFileTime(e.modified, QFileDevice::FileModificationTime);
            file.close();
        }

        // Never over a file that appeared meanwhile, unless replacing was asked for.
        bool renamed = false;
        if (p.replace) {
            std::error_code ec;
            std::filesystem::rename(nativePath(part), nativePath(p.destination), ec);
            renamed = !ec;
        } else {
            renamed = QFile::rename(part, p.destination);
        }
        if (!renamed) {
            QFile::remove(part);
            return stop(Failed, "write", QStringLiteral("cannot move '%1' to '%2'").arg(part, p.destination), e.name);
        }
        result.written.append({e.name, p.destination, written, p.replace, p.renamed});
    }
    result.status = ExtractResult::Ok;
    return result;
}

} // namespace gls::archive
