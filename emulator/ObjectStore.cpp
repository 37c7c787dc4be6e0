#include "ObjectStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

namespace gls::emu {

namespace {

bool writeJson(const QString &path, const QJsonObject &o, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    if (!f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// CRC-64/NVME from the CRC catalogue's parameters (polynomial 0xad93d23594c93659,
// reflected, initial value and final XOR all ones), a byte at a time. Written
// here from the definition, not shared with the client, which folds with
// carry-less multiplication: the two must agree without sharing a mistake.
class Crc64Nvme {
public:
    Crc64Nvme()
    {
        quint64 reversed = 0;
        for (int i = 0; i < 64; ++i)
            reversed |= ((0xad93d23594c93659ull >> i) & 1u) << (63 - i);
        for (quint64 b = 0; b < 256; ++b) {
            quint64 crc = b;
            for (int bit = 0; bit < 8; ++bit)
                crc = (crc >> 1) ^ ((crc & 1u) ? reversed : 0);
            m_table[b] = crc;
        }
    }
    void add(QByteArrayView bytes)
    {
        for (const char c : bytes)
            m_crc = m_table[(m_crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (m_crc >> 8);
    }
    QByteArray base64() const
    {
        QByteArray be(8, Qt::Uninitialized);
        for (int i = 0; i < 8; ++i)
            be[i] = char((~m_crc >> (56 - 8 * i)) & 0xFF);
        return be.toBase64();
    }

private:
    quint64 m_table[256];
    quint64 m_crc = ~quint64(0);
};

} // namespace

ObjectStore::ObjectStore(QString rootDir)
    : m_root(std::move(rootDir))
{
}

bool ObjectStore::isValidBucketName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    static const QRegularExpression ip(QStringLiteral("^\\d+\\.\\d+\\.\\d+\\.\\d+$"));
    return re.match(name).hasMatch() && !name.contains(QLatin1String("..")) && !ip.match(name).hasMatch();
}

QString ObjectStore::objectBase(const QString &rootDir, const QString &bucket, const QString &key)
{
    const QByteArray h = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex();
    return rootDir + QLatin1Char('/') + bucket + QStringLiteral("/objects/") + QString::fromLatin1(h);
}

bool ObjectStore::load(QString *error)
{
    m_buckets.clear();
    if (!QDir().mkpath(m_root)) {
        *error = QStringLiteral("cannot create %1").arg(m_root);
        return false;
    }
    const QStringList names = QDir(m_root).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const QJsonObject meta = readJson(m_root + QLatin1Char('/') + name + QStringLiteral("/bucket.json"));
        if (meta.isEmpty())
            continue;
        Bucket b;
        b.name = name;
        b.region = meta.value(QStringLiteral("region")).toString();
        b.createdAt = QDateTime::fromMSecsSinceEpoch(qint64(meta.value(QStringLiteral("createdAt")).toDouble()), Qt::UTC);
        QDirIterator it(m_root + QLatin1Char('/') + name + QStringLiteral("/objects"), {QStringLiteral("*.json")}, QDir::Files);
        while (it.hasNext()) {
            const QString metaPath = it.next();
            const QJsonObject o = readJson(metaPath);
            StoredObject obj;
            obj.key = o.value(QStringLiteral("key")).toString();
            obj.size = qint64(o.value(QStringLiteral("size")).toDouble());
            obj.etag = o.value(QStringLiteral("etag")).toString().toLatin1();
            obj.crc64Nvme = o.value(QStringLiteral("crc64nvme")).toString().toLatin1();
            obj.lastModified = QDateTime::fromMSecsSinceEpoch(qint64(o.value(QStringLiteral("lastModified")).toDouble()), Qt::UTC);
            obj.contentType = o.value(QStringLiteral("contentType")).toString().toLatin1();
            obj.filePath = metaPath.chopped(5) + QStringLiteral(".bin");
            if (obj.key.isEmpty() || QFileInfo(obj.filePath).size() != obj.size)
                continue; // a half-written object from a crash is not published
            b.objects.insert(obj.key, obj);
        }
        m_buckets.insert(name, b);
    }
    return true;
}

bool ObjectStore::createBucket(const QString &name, const QString &region, QString *error)
{
    if (!isValidBucketName(name)) {
        *error = QStringLiteral("'%1' is not a valid bucket name: 3 to 63 lowercase letters, digits, dots and "
                                "hyphens, starting and ending with a letter or digit").arg(name);
        return false;
    }
    if (m_buckets.contains(name))
        return true;
    const QString dir = m_root + QLatin1Char('/') + name;
    if (!QDir().mkpath(dir + QStringLiteral("/objects"))) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    Bucket b;
    b.name = name;
    b.region = region;
    b.createdAt = QDateTime::currentDateTimeUtc();
    if (!writeJson(dir + QStringLiteral("/bucket.json"),
                   QJsonObject{{QStringLiteral("region"), region},
                               {QStringLiteral("createdAt"), double(b.createdAt.toMSecsSinceEpoch())}},
                   error))
        return false;
    m_buckets.insert(name, b);
    return true;
}

const Bucket *ObjectStore::bucket(const QString &name) const
{
    const auto it = m_buckets.constFind(name);
    return it == m_buckets.constEnd() ? nullptr : &*it;
}

QStringList ObjectStore::bucketNames() const
{
    return m_buckets.keys();
}

QString ObjectStore::stagingPath(const QString &bucket, const QString &key) const
{
    return objectBase(m_root, bucket, key) + QStringLiteral(".staging.zip");
}

bool ObjectStore::finalize(const QString &rootDir, const QString &bucket, const QString &key,
                           const QString &stagedPath, bool crc64Nvme, StoredObject *out, QString *error)
{
    QFile f(stagedPath);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(stagedPath, f.errorString());
        return false;
    }
    QCryptographicHash md5(QCryptographicHash::Md5);
    Crc64Nvme crc;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) {
            *error = QStringLiteral("cannot hash %1: %2").arg(stagedPath, f.errorString());
            return false;
        }
        if (n == 0)
            break;
        const QByteArrayView bytes(buffer.constData(), n);
        md5.addData(bytes);
        if (crc64Nvme)
            crc.add(bytes);
    }
    f.close();
    const QString base = objectBase(rootDir, bucket, key);
    const QString finalPath = base + QStringLiteral(".bin");
    QFile::remove(finalPath);
    if (!QFile::rename(stagedPath, finalPath)) {
        *error = QStringLiteral("cannot move %1 into place").arg(stagedPath);
        return false;
    }
    out->key = key;
    out->size = QFileInfo(finalPath).size();
    out->etag = '"' + md5.result().toHex() + '"';
    out->crc64Nvme = crc64Nvme ? crc.base64() : QByteArray();
    out->lastModified = QDateTime::currentDateTimeUtc();
    out->filePath = finalPath;
    return writeJson(base + QStringLiteral(".json"),
                     QJsonObject{{QStringLiteral("key"), key},
                                 {QStringLiteral("size"), double(out->size)},
                                 {QStringLiteral("etag"), QString::fromLatin1(out->etag)},
                                 {QStringLiteral("crc64nvme"), QString::fromLatin1(out->crc64Nvme)},
                                 {QStringLiteral("lastModified"), double(out->lastModified.toMSecsSinceEpoch())},
                                 {QStringLiteral("contentType"), QString::fromLatin1(out->contentType)}},
                     error);
}

void ObjectStore::commit(const QString &bucket, const StoredObject &object)
{
    auto it = m_buckets.find(bucket);
    if (it != m_buckets.end())
        it->objects.insert(object.key, object);
}

} // namespace gls::emu
