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
    static bool finalize(const QString &rootDir, const QString &bucket, const QString &key,
                         const QString &stagedPath, StoredObject *out, QString *error);
    void commit(const QString &bucket, const StoredObject &object);

    QString rootDir() const { return m_root; }

    static bool isValidBucketName(const QString &name);

private:
    static QString objectBase(const QString &rootDir, const QString &bucket, const QString &key);

    QString m_root;
    QMap<QString, Bucket> m_buckets;
};

} // namespace gls::emu
