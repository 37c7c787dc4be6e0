#include "ArchiveWriter.h"

#include "ArchiveContent.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QtEndian>

#include <zip.h>

#include <filesystem>
#include <system_error>
#include <vector>

namespace gls::emu {
namespace {

using Entry = ArchiveContent::Entry;

// Streams the incompressible bulk file into libzip in whatever chunks it asks for; the bytes are
// ArchiveContent::replayWord()'s, so only the position needs to be kept.
class ReplaySource {
public:
    ReplaySource(quint64 key, quint64 size)
        : m_key(key)
        , m_size(size)
    {
        zip_error_init(&m_error);
    }
    ~ReplaySource() { zip_error_fini(&m_error); }

    static zip_int64_t callback(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
    {
        auto *self = static_cast<ReplaySource *>(userdata);
        switch (cmd) {
        case ZIP_SOURCE_OPEN:
            self->m_pos = 0;
            return 0;
        case ZIP_SOURCE_READ:
            return self->read(static_cast<quint8 *>(data), len);
        case ZIP_SOURCE_CLOSE:
            return 0;
        case ZIP_SOURCE_STAT: {
            if (len < sizeof(zip_stat_t)) {
                zip_error_set(&self->m_error, ZIP_ER_INVAL, 0);
                return -1;
            }
            auto *st = static_cast<zip_stat_t *>(data);
            zip_stat_init(st);
            st->size = self->m_size; // known up front, so libzip picks ZIP64 before writing the header
            st->valid |= ZIP_STAT_SIZE;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&self->m_error, data, len);
        case ZIP_SOURCE_FREE:
            delete self;
            return 0;
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default:
            zip_error_set(&self->m_error, ZIP_ER_OPNOTSUPP, 0);
            return -1;
        }
    }

private:
    quint64 word(quint64 index) const { return ArchiveContent::replayWord(m_key, index); }

    zip_int64_t read(quint8 *out, quint64 len)
    {
        len = qMin(len, m_size - m_pos);
        for (quint64 done = 0; done < len;) {
            if ((m_pos & 7) == 0 && len - done >= 8) {
                qToLittleEndian(word(m_pos >> 3), out + done);
                done += 8;
                m_pos += 8;
            } else {
                out[done++] = quint8(word(m_pos >> 3) >> (8 * (m_pos & 7)));
                ++m_pos;
            }
        }
        return zip_int64_t(len);
    }

    quint64 m_key = 0;
    quint64 m_size = 0;
    quint64 m_pos = 0;
    zip_error_t m_error;
};

QString zipError(zip_t *za)
{
    return QString::fromLocal8Bit(zip_error_strerror(zip_get_error(za)));
}

bool addEntry(zip_t *za, const Entry &e, quint64 replayKey, quint64 replaySize, QString *reason)
{
    const QByteArray name = e.name.toUtf8();
    zip_int64_t index = -1;
    if (e.kind == Entry::Folder) {
        index = zip_dir_add(za, name.chopped(1).constData(), ZIP_FL_ENC_UTF_8);
    } else {
        zip_source_t *src = nullptr;
        if (e.kind == Entry::Replay) {
            auto *replay = new ReplaySource(replayKey, replaySize);
            if (!(src = zip_source_function(za, &ReplaySource::callback, replay)))
                delete replay;
        } else {
            src = zip_source_buffer(za, e.data.constData(), zip_uint64_t(e.data.size()), 0);
        }
        if (src && (index = zip_file_add(za, name.constData(), src, ZIP_FL_ENC_UTF_8)) < 0)
            zip_source_free(src);
        const bool bulk = e.kind == Entry::Replay; // incompressible: stored, everything else deflated
        const zip_int32_t method = bulk ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
        if (index >= 0 && zip_set_file_compression(za, zip_uint64_t(index), method, bulk ? 0 : 9) != 0)
            index = -1;
    }
    // The DOS date and time hold the wall clock of the (UTC) streaming host, as the service's own
    // archives do; libzip converts with localtime(), so hand it the local instant with those
    // fields. This also keeps the bytes independent of our time zone. The extended timestamp
    // ("UT") field carries the exact UTC time for tools that read it.
    const time_t dosTime = time_t(QDateTime(e.mtime.date(), e.mtime.time(), Qt::LocalTime).toSecsSinceEpoch());
    const time_t mtime = time_t(e.mtime.toSecsSinceEpoch());
    const quint8 ut[5] = {1, quint8(mtime), quint8(mtime >> 8), quint8(mtime >> 16), quint8(mtime >> 24)};
    const zip_flags_t both = ZIP_FL_LOCAL | ZIP_FL_CENTRAL;
    if (index < 0 || zip_file_set_mtime(za, zip_uint64_t(index), dosTime, 0) != 0
        || zip_file_extra_field_set(za, zip_uint64_t(index), 0x5455, ZIP_EXTRA_FIELD_NEW, ut, sizeof ut, both) != 0) {
        *reason = QStringLiteral("cannot add %1: %2").arg(e.name, zipError(za));
        return false;
    }
    return true;
}

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

} // namespace

bool writeSessionArchive(const ArchiveSpec &spec, const QString &destPath, QString *error)
{
    auto fail = [error](const QString &reason) {
        if (error)
            *error = reason;
        return false;
    };
    if (!spec.startedAt.isValid())
        return fail(QStringLiteral("the session start time is not valid"));
    const QFileInfo dest(destPath);
    const QString folder = dest.absolutePath();
    if (dest.fileName().isEmpty())
        return fail(QStringLiteral("no archive file name in %1").arg(destPath));
    if (!QFileInfo(folder).isDir())
        return fail(QStringLiteral("destination folder %1 does not exist").arg(folder));

    const ArchiveContent content(spec);
    const std::vector<Entry> entries = content.entries(); // buffers must outlive zip_close
    qint64 fixedSize = 0;
    for (const Entry &e : entries)
        fixedSize += e.data.size();
    const quint64 replaySize = quint64(qMax<qint64>(0, spec.targetSize - fixedSize));

    const QString tmpPath
        = QStringLiteral("%1/.%2.%3.part")
              .arg(folder, dest.fileName(), QString::number(QRandomGenerator::global()->generate64(), 36));
    int zerr = ZIP_ER_OK;
    zip_t *za = zip_open(QFile::encodeName(tmpPath).constData(), ZIP_CREATE | ZIP_EXCL, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        const QString reason = QString::fromLocal8Bit(zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return fail(QStringLiteral("cannot create %1: %2").arg(tmpPath, reason));
    }
    QString reason;
    for (const Entry &e : entries) {
        if (!addEntry(za, e, content.replayKey(), replaySize, &reason)) {
            zip_discard(za);
            QFile::remove(tmpPath);
            return fail(reason);
        }
    }
    // libzip writes everything here, into its own temporary file next to tmpPath.
    if (zip_close(za) != 0) {
        reason = zipError(za);
        zip_discard(za);
        QFile::remove(tmpPath);
        return fail(QStringLiteral("cannot write %1: %2").arg(destPath, reason));
    }
    std::error_code ec;
    std::filesystem::rename(nativePath(tmpPath), nativePath(dest.absoluteFilePath()), ec);
    if (ec) {
        QFile::remove(tmpPath);
        return fail(
            QStringLiteral("cannot move the archive to %1: %2").arg(destPath, QString::fromStdString(ec.message())));
    }
    return true;
}

} // namespace gls::emu
