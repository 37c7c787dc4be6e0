#pragma once

// The emulator's S3 storage: buckets with a Region, objects as files in the
// data dir (named by a hash of their key, so no key can escape the folder),
// each with a small JSON sidecar. The index lives in memory.

#include <QDateTime>
#include <QMap>
#include <QString>

namespace gls::emu {

struct StoredObject {
    QString key;
    qint64 size = 0;
    QByteArray etag; // quoted hex MD5
    QByteArray crc64Nvme; // base64, as x-amz-checksum-crc64nvme carries it; empty for objects stored without
    QDateTime lastModified;
    QByteArray contentType = "application/zip";
    QString filePath;
};

struct Bucket {
    QString name;
    QString region;
    QDateTime createdAt;
    QMap<QString, StoredObject> objects; // sorted by key, as ListObjectsV2 needs
};

class ObjectStore {
public:
    explicit ObjectStore(QString rootDir);

    bool load(QString *error);

    // Creates the bucket if missing (same Region kept if it exists).
    bool createBucket(const QString &name, const QString &region, QString *error);
    const Bucket *bucket(const QString &name) const;
    QStringList bucketNames() const;

    // Where a writer should put the bytes of a new object before commit.
    QString stagingPath(const QString &bucket, const QString &key) const;
    // Thread-safe (pure file work): hashes the staged file, moves it into
    // place and writes its sidecar. Returns the object; commit() publishes it.
    // With `crc64Nvme`, the object gets the CRC64NVME checksum S3 adds to every
    // object uploaded without a checksum of its own.
    static bool finalize(const QString &rootDir, const QString &bucket, const QString &key,
                         const QString &stagedPath, bool crc64Nvme, StoredObject *out, QString *error);
    void commit(const QString &bucket, const StoredObject &object);

    QString rootDir() const { return m_root; }
    // Off: new objects are stored as S3 stored them before its default data
    // integrity protections (late 2024), with no CRC64NVME: clients fall back to the ETag.
    void setDefaultChecksums(bool on) { m_defaultChecksums = on; }
    bool defaultChecksums() const { return m_defaultChecksums; }

    static bool isValidBucketName(const QString &name);

private:
    static QString objectBase(const QString &rootDir, const QString &bucket, const QString &key);

    QString m_root;
    bool m_defaultChecksums = true;
    QMap<QString, Bucket> m_buckets;
};

} // namespace gls::emu
