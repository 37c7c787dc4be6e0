#pragma once

// Test support: ZIP archives built with libzip, hostile ones included (names
// that climb out, symbolic links, bombs), and a header patcher that makes an
// entry lie about its size. Header-only; link PkgConfig::LIBZIP.

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <QtEndian>

#include <zip.h>

#include <deque>

namespace gls::test {

struct ZipItem {
    enum Kind { File, Folder, Symlink };
    QByteArray name;
    QByteArray data; // a symlink's target
    Kind kind = File;
    bool store = false; // stored, not deflated
};

// Writes `items` to `path`; false with libzip's reason in *error.
inline bool makeZip(const QString &path, const QList<ZipItem> &items, QString *error = nullptr)
{
    int code = 0;
    zip_t *za = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!za) {
        if (error)
            *error = QStringLiteral("zip_open failed: %1").arg(code);
        return false;
    }
    std::deque<QByteArray> keep; // buffers must outlive zip_close
    for (const ZipItem &item : items) {
        zip_int64_t index = -1;
        if (item.kind == ZipItem::Folder) {
            index = zip_dir_add(za, item.name.constData(), ZIP_FL_ENC_RAW);
        } else {
            keep.push_back(item.data);
            zip_source_t *src = zip_source_buffer(za, keep.back().constData(), zip_uint64_t(keep.back().size()), 0);
            index = src ? zip_file_add(za, item.name.constData(), src, ZIP_FL_ENC_RAW) : -1;
            if (index < 0 && src)
                zip_source_free(src);
            if (index >= 0)
                zip_set_file_compression(za, zip_uint64_t(index), item.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
            if (index >= 0 && item.kind == ZipItem::Symlink)
                zip_file_set_external_attributes(za, zip_uint64_t(index), 0, ZIP_OPSYS_UNIX, (0120777u) << 16);
        }
        if (index < 0) {
            if (error)
                *error = QString::fromUtf8(zip_strerror(za));
            zip_discard(za);
            return false;
        }
    }
    if (zip_close(za) != 0) {
        if (error)
            *error = QString::fromUtf8(zip_strerror(za));
        zip_discard(za);
        return false;
    }
    return true;
}

// Rewrites the uncompressed size that `name`'s local header and central
// directory record declare (32-bit fields; entries without ZIP64). Returns how
// many headers were patched (2 when both were found).
inline int patchDeclaredSize(const QString &path, const QByteArray &name, quint32 declared)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return 0;
    QByteArray bytes = file.readAll();
    int patched = 0;
    const QByteArray local("PK\x03\x04", 4), central("PK\x01\x02", 4);
    for (qsizetype at = bytes.indexOf(local); at >= 0; at = bytes.indexOf(local, at + 4)) {
        const quint16 nameLength = qFromLittleEndian<quint16>(bytes.constData() + at + 26);
        if (bytes.mid(at + 30, nameLength) == name) {
            qToLittleEndian<quint32>(declared, bytes.data() + at + 22);
            ++patched;
        }
    }
    for (qsizetype at = bytes.indexOf(central); at >= 0; at = bytes.indexOf(central, at + 4)) {
        const quint16 nameLength = qFromLittleEndian<quint16>(bytes.constData() + at + 28);
        if (bytes.mid(at + 46, nameLength) == name) {
            qToLittleEndian<quint32>(declared, bytes.data() + at + 24);
            ++patched;
        }
    }
    file.seek(0);
    file.write(bytes);
    return patched;
}

// Bytes that deflate only a little (ratio about 2): hex of a simple generator.
inline QByteArray lowRatioBytes(qsizetype size)
{
    QByteArray out;
    out.reserve(size * 2 + 16);
    quint64 x = 0x9e3779b97f4a7c15ULL;
    while (out.size() < size) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out += QByteArray::number(x, 16);
    }
    out.truncate(size);
    return out;
}

} // namespace gls::test
