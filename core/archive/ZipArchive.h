#pragma once

// A ZIP archive opened read-only with libzip: its entries as values, one
// entry read whole (up to a cap) or streamed to a device or a callback.
// Errors are in plain words and name the archive and the entry: not a ZIP,
// truncated, an encrypted entry, a CRC mismatch. Not thread-safe: one thread
// uses one ZipArchive at a time.

#include "ArchiveEntry.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

class QIODevice;
struct zip; // libzip's zip_t; libzip stays private to core

namespace gls::archive {

struct ArchiveError {
    enum Kind {
        None,
        LocalFile,  // the archive file cannot be opened or read (missing, permissions)
        BadArchive, // not a ZIP, truncated, damaged, encrypted, CRC mismatch
        TooLarge,   // over the caller's size cap
        Aborted,    // the caller's sink stopped the read
    };
    Kind kind = None;
    QString message;

    bool isError() const { return kind != None; }
};

class ZipArchive {
public:
    ZipArchive();
    ~ZipArchive();
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    // Opens `path` read-only and reads its directory. False with the reason.
    bool open(const QString &path, ArchiveError *error = nullptr);
    void close();
    bool isOpen() const { return m_zip != nullptr; }
    QString path() const { return m_path; }

    // Every entry, in the archive's own order.
    const QList<ArchiveEntry> &entries() const { return m_entries; }
    // The entry of exactly this name, or null.
    const ArchiveEntry *find(const QString &name) const;

    // Called with each inflated chunk, in order; return false to stop (the
    // read then fails with ArchiveError::Aborted).
    using ChunkSink = std::function<bool(const char *data, qint64 size)>;
    // Inflates the entry chunk by chunk; the CRC is checked at the end.
    bool readChunks(const ArchiveEntry &entry, const ChunkSink &sink, ArchiveError *error = nullptr) const;

    // The whole entry, refused (TooLarge) when its declared or actual size is
    // over `maxBytes`.
    bool readEntry(
        const QString &name, QByteArray *out, ArchiveError *error = nullptr, qint64 maxBytes = 64 * 1024 * 1024) const;
    // The entry written to `device` (open for writing); `maxBytes` < 0: no cap.
    bool copyEntry(const QString &name, QIODevice *device, ArchiveError *error = nullptr, qint64 maxBytes = -1) const;

private:
    zip *m_zip = nullptr;
    QString m_path;
    QList<ArchiveEntry> m_entries;
};

} // namespace gls::archive
