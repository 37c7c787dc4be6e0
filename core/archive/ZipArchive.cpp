#include "ZipArchive.h"

#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <zip.h>

namespace gls::archive {

namespace {

constexpr quint32 kTypeMask = 0170000;
constexpr quint32 kTypeSymlink = 0120000;
constexpr quint32 kTypeDir = 0040000;
constexpr quint8 kDosDirectory = 0x10;
constexpr zip_uint16_t kExtendedTimestamp = 0x5455; // "UT"
constexpr qint64 kChunk = 64 * 1024;

bool setError(ArchiveError *error, ArchiveError::Kind kind, const QString &message)
{
    if (error)
        *error = {kind, message};
    return false;
}

QString codeText(int code)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    const QString text = QString::fromLocal8Bit(zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return text;
}

bool startsLikeZip(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("PK\x03\x04", 4);
}

// The exact UTC modification time of the extended timestamp field, when the entry has one.
QDateTime extendedTime(zip_t *za, zip_uint64_t index)
{
    zip_uint16_t length = 0;
    const zip_uint8_t *data = zip_file_extra_field_get_by_id(za, index, kExtendedTimestamp, 0, &length, ZIP_FL_CENTRAL);
    if (!data)
        data = zip_file_extra_field_get_by_id(za, index, kExtendedTimestamp, 0, &length, ZIP_FL_LOCAL);
    if (!data || length < 5 || !(data[0] & 1))
        return {};
    const qint32 seconds
        = qint32(quint32(data[1]) | quint32(data[2]) << 8 | quint32(data[3]) << 16 | quint32(data[4]) << 24);
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

} // namespace

ZipArchive::ZipArchive() = default;

ZipArchive::~ZipArchive()
{
    close();
}

void ZipArchive::close()
{
    if (m_zip)
        zip_discard(m_zip);
    m_zip = nullptr;
    m_entries.clear();
}

bool ZipArchive::open(const QString &path, ArchiveError *error)
{
    close();
    m_path = path;
    const QFileInfo info(path);
    if (!info.exists())
        return setError(error, ArchiveError::LocalFile, QStringLiteral("'%1' does not exist").arg(path));
    if (info.isDir())
        return setError(
            error, ArchiveError::LocalFile, QStringLiteral("'%1' is a folder, not a ZIP archive").arg(path));
    int code = ZIP_ER_OK;
    m_zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &code);
    if (!m_zip) {
        switch (code) {
        case ZIP_ER_NOENT:
            return setError(error, ArchiveError::LocalFile, QStringLiteral("'%1' does not exist").arg(path));
        case ZIP_ER_OPEN:
        case ZIP_ER_READ:
        case ZIP_ER_SEEK:
        case ZIP_ER_MEMORY:
            return setError(
                error, ArchiveError::LocalFile, QStringLiteral("cannot read '%1': %2").arg(path, codeText(code)));
        case ZIP_ER_NOZIP:
            if (info.size() > 0 && startsLikeZip(path)) {
                return setError(error, ArchiveError::BadArchive,
                    QStringLiteral("'%1' is truncated or damaged: it starts like a ZIP archive but its central "
                                   "directory (at the end of the file) is missing")
                        .arg(path));
            }
            return setError(error, ArchiveError::BadArchive, QStringLiteral("'%1' is not a ZIP archive").arg(path));
        case ZIP_ER_INCONS:
            return setError(error, ArchiveError::BadArchive,
                QStringLiteral("'%1' is damaged or truncated: its directory does not match its contents").arg(path));
        default:
            return setError(error, ArchiveError::BadArchive,
                QStringLiteral("'%1' cannot be opened as a ZIP archive: %2").arg(path, codeText(code)));
        }
    }

    const zip_int64_t count = zip_get_num_entries(m_zip, 0);
    m_entries.reserve(qsizetype(qMax<zip_int64_t>(0, qMin<zip_int64_t>(count, 1000000))));
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(m_zip, zip_uint64_t(i), 0, &st) != 0) {
            const QString reason = QString::fromLocal8Bit(zip_strerror(m_zip));
            close();
            return setError(error, ArchiveError::BadArchive,
                QStringLiteral("'%1' is damaged: entry %2 cannot be read (%3)").arg(path, QString::number(i), reason));
        }
        ArchiveEntry e;
        e.index = i;
        e.name = (st.valid & ZIP_STAT_NAME) ? QString::fromUtf8(st.name) : QString();
        e.size = (st.valid & ZIP_STAT_SIZE) ? qint64(st.size) : 0;
        e.compressedSize = (st.valid & ZIP_STAT_COMP_SIZE) ? qint64(st.comp_size) : 0;
        e.crc = (st.valid & ZIP_STAT_CRC) ? st.crc : 0;
        e.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
        e.modified = extendedTime(m_zip, zip_uint64_t(i));
        if (!e.modified.isValid() && (st.valid & ZIP_STAT_MTIME))
            e.modified = QDateTime::fromSecsSinceEpoch(qint64(st.mtime), Qt::UTC);
        e.isDir = e.name.endsWith(QLatin1Char('/'));
        zip_uint8_t opsys = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(m_zip, zip_uint64_t(i), 0, &opsys, &attributes) == 0) {
            const quint32 mode = attributes >> 16;
            if (opsys == ZIP_OPSYS_UNIX) {
                e.isSymlink = (mode & kTypeMask) == kTypeSymlink;
                e.isDir = e.isDir || (mode & kTypeMask) == kTypeDir;
            } else if (opsys == ZIP_OPSYS_DOS) {
                e.isDir = e.isDir || (attributes & kDosDirectory);
            }
        }
        e.isDir = e.isDir && !e.isSymlink;
        e.category = categorise(e.name, e.isDir);
        e.group = groupOf(e.name);
        m_entries.append(e);
    }
    return true;
}

const ArchiveEntry *ZipArchive::find(const QString &name) const
{
    for (const ArchiveEntry &e : m_entries) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

bool ZipArchive::readChunks(const ArchiveEntry &entry, const ChunkSink &sink, ArchiveError *error) const
{
    if (!m_zip)
        return setError(error, ArchiveError::LocalFile, QStringLiteral("no archive is open"));
    if (entry.encrypted) {
        return setError(error, ArchiveError::BadArchive,
            QStringLiteral("'%1' in '%2' is encrypted; encrypted entries are not supported").arg(entry.name, m_path));
    }
    zip_file_t *file = zip_fopen_index(m_zip, zip_uint64_t(entry.index), 0);
    auto readFailure = [&](int code) {
        switch (code) {
        case ZIP_ER_CRC:
            return QStringLiteral("'%1' in '%2' is damaged: its CRC does not match its contents")
                .arg(entry.name, m_path);
        case ZIP_ER_NOPASSWD:
        case ZIP_ER_WRONGPASSWD:
        case ZIP_ER_ENCRNOTSUPP:
            return QStringLiteral("'%1' in '%2' is encrypted; encrypted entries are not supported")
                .arg(entry.name, m_path);
        case ZIP_ER_COMPNOTSUPP:
            return QStringLiteral("'%1' in '%2' uses a compression method that is not supported")
                .arg(entry.name, m_path);
        case ZIP_ER_ZLIB:
        case ZIP_ER_INCONS:
            return QStringLiteral("'%1' in '%2' is damaged: its compressed data is not valid").arg(entry.name, m_path);
        case ZIP_ER_EOF:
        case ZIP_ER_READ:
        case ZIP_ER_SEEK:
            return QStringLiteral("'%1' in '%2' cannot be read: the archive ends early (truncated?)")
                .arg(entry.name, m_path);
        default:
            return QStringLiteral("'%1' in '%2' cannot be read: %3").arg(entry.name, m_path, codeText(code));
        }
    };
    if (!file)
        return setError(error, ArchiveError::BadArchive, readFailure(zip_error_code_zip(zip_get_error(m_zip))));
    QByteArray buffer(kChunk, Qt::Uninitialized);
    for (;;) {
        const zip_int64_t n = zip_fread(file, buffer.data(), zip_uint64_t(buffer.size()));
        if (n < 0) {
            const QString message = readFailure(zip_error_code_zip(zip_file_get_error(file)));
            zip_fclose(file);
            return setError(error, ArchiveError::BadArchive, message);
        }
        if (n == 0)
            break;
        if (!sink(buffer.constData(), qint64(n))) {
            zip_fclose(file);
            return setError(error, ArchiveError::Aborted, QString());
        }
    }
    const int closed = zip_fclose(file);
    if (closed != 0)
        return setError(error, ArchiveError::BadArchive, readFailure(closed));
    return true;
}

bool ZipArchive::readEntry(const QString &name, QByteArray *out, ArchiveError *error, qint64 maxBytes) const
{
    const ArchiveEntry *entry = find(name);
    if (!entry)
        return setError(error, ArchiveError::BadArchive, QStringLiteral("'%1' has no entry '%2'").arg(m_path, name));
    auto tooLarge = [&] {
        return QStringLiteral("'%1' in '%2' is larger than %3 bytes, the most read at once")
            .arg(name, m_path, QString::number(maxBytes));
    };
    if (maxBytes >= 0 && entry->size > maxBytes)
        return setError(error, ArchiveError::TooLarge, tooLarge());
    QByteArray data;
    data.reserve(qsizetype(entry->size));
    ArchiveError failure;
    const bool ok = readChunks(
        *entry,
        [&](const char *chunk, qint64 size) {
            if (maxBytes >= 0 && data.size() + size > maxBytes)
                return false;
            data.append(chunk, qsizetype(size));
            return true;
        },
        &failure);
    if (!ok) {
        if (failure.kind == ArchiveError::Aborted)
            failure = {ArchiveError::TooLarge, tooLarge()};
        if (error)
            *error = failure;
        return false;
    }
    *out = data;
    return true;
}

bool ZipArchive::copyEntry(const QString &name, QIODevice *device, ArchiveError *error, qint64 maxBytes) const
{
    const ArchiveEntry *entry = find(name);
    if (!entry)
        return setError(error, ArchiveError::BadArchive, QStringLiteral("'%1' has no entry '%2'").arg(m_path, name));
    if (maxBytes >= 0 && entry->size > maxBytes) {
        return setError(error, ArchiveError::TooLarge,
            QStringLiteral("'%1' in '%2' is larger than %3 bytes").arg(name, m_path, QString::number(maxBytes)));
    }
    qint64 total = 0;
    ArchiveError failure;
    QString sinkProblem;
    const bool ok = readChunks(
        *entry,
        [&](const char *chunk, qint64 size) {
            total += size;
            if (maxBytes >= 0 && total > maxBytes) {
                failure = {ArchiveError::TooLarge,
                    QStringLiteral("'%1' in '%2' is larger than %3 bytes")
                        .arg(name, m_path, QString::number(maxBytes))};
                return false;
            }
            if (device->write(chunk, size) != size) {
                failure = {
                    ArchiveError::LocalFile, QStringLiteral("cannot write '%1': %2").arg(name, device->errorString())};
                return false;
            }
            return true;
        },
        error);
    if (!ok && failure.isError() && error)
        *error = failure;
    return ok;
}

} // namespace gls::archive
