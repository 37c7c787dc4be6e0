#include "ArchiveWriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <zip.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace gls::emu;

namespace {

const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

ArchiveSpec sampleSpec(quint64 seed = 42, qint64 targetSize = 5 * 1024 * 1024, qint64 durationSecs = 600)
{
    ArchiveSpec spec;
    spec.sessionId = QStringLiteral("Ab3Cd5Ef7");
    spec.streamGroupId = QStringLiteral("sg-1AB2C3De4");
    spec.applicationId = QStringLiteral("a-9ZY8X7Wv6");
    spec.userId = QStringLiteral("qa-tester-7");
    spec.location = QStringLiteral("us-west-2");
    spec.startedAt = kStart;
    spec.endedAt = kStart.addSecs(durationSecs);
    spec.seed = seed;
    spec.targetSize = targetSize;
    return spec;
}

// Our own CRC-32, so the check does not rest on libzip alone.
quint32 crc32(const char *data, qint64 size, quint32 crc = 0)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (qint64 i = 0; i < size; ++i)
        crc = table[(crc ^ quint8(data[i])) & 0xff] ^ (crc >> 8);
    return ~crc;
}

QByteArray sha256(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return hash.result().toHex();
}

qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Every entry name in the folder, hidden ones included (temporary files start with a dot).
QStringList folderContents(const QString &path)
{
    return QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

class ZipArchive {
public:
    explicit ZipArchive(const QString &path)
    {
        int err = 0;
        m_zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    }
    ~ZipArchive()
    {
        if (m_zip)
            zip_discard(m_zip);
    }
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    bool isOpen() const { return m_zip != nullptr; }
    zip_int64_t count() const { return zip_get_num_entries(m_zip, 0); }

    QStringList names() const
    {
        QStringList out;
        for (zip_int64_t i = 0; i < count(); ++i)
            out << QString::fromUtf8(zip_get_name(m_zip, zip_uint64_t(i), 0));
        return out;
    }

    zip_stat_t stat(zip_int64_t index) const
    {
        zip_stat_t st;
        zip_stat_init(&st);
        zip_stat_index(m_zip, zip_uint64_t(index), 0, &st);
        return st;
    }

    zip_int64_t indexOf(const QString &name) const { return zip_name_locate(m_zip, name.toUtf8().constData(), 0); }

    // Reads an entry to its end (libzip checks the stored CRC there) and computes the CRC itself
    // as well. Keeps the bytes only when `out` is given.
    bool read(zip_int64_t index, QByteArray *out, quint64 *size, quint32 *crc, QString *error) const
    {
        zip_file_t *file = zip_fopen_index(m_zip, zip_uint64_t(index), 0);
        if (!file) {
            *error = QString::fromUtf8(zip_strerror(m_zip));
            return false;
        }
        QByteArray buffer(1 << 16, Qt::Uninitialized);
        *size = 0;
        *crc = 0;
        zip_int64_t n = 0;
        while ((n = zip_fread(file, buffer.data(), zip_uint64_t(buffer.size()))) > 0) {
            *crc = crc32(buffer.constData(), n, *crc);
            *size += quint64(n);
            if (out)
                out->append(buffer.constData(), n);
        }
        if (n < 0)
            *error = QString::fromUtf8(zip_file_strerror(file));
        zip_fclose(file);
        return n == 0;
    }

    QByteArray contents(const QString &name) const
    {
        QByteArray out;
        quint64 size = 0;
        quint32 crc = 0;
        QString error;
        const zip_int64_t index = indexOf(name);
        return index >= 0 && read(index, &out, &size, &crc, &error) ? out : QByteArray();
    }

private:
    zip_t *m_zip = nullptr;
};

} // namespace

class TestArchiveWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void containsTheFourFolders();
    void crashFolderHoldsAMinidump();
    void screenshotIsAValidPng();
    void statsHaveOneRowPerSecond_data();
    void statsHaveOneRowPerSecond();
    void logCoversTheSession();
    void everyEntryReadsBackWithItsCrc();
    void bulkFileIsStoredOthersDeflated();
    void modificationTimesFollowTheSession();
    void sameSpecGivesIdenticalBytes();
    void targetSizeIsHonoured_data();
    void targetSizeIsHonoured();
    void existingDestinationIsReplaced();
    void missingFolderFails();
    void unwritableFolderFails();
    void failedRenameLeavesNoTempFile();
    void failureWhileWritingLeavesNoTempFile();
    void systemUnzipAcceptsTheArchive();
    void bigArchiveKeepsMemoryFlat();

private:
    QString write(const ArchiveSpec &spec, const QString &name);

    QTemporaryDir m_dir;
    QString m_archive;
};

QString TestArchiveWriter::write(const ArchiveSpec &spec, const QString &name)
{
    const QString path = m_dir.filePath(name);
    QString error;
    if (!writeSessionArchive(spec, path, &error)) {
        qWarning("writeSessionArchive(%s) failed: %s", qPrintable(path), qPrintable(error));
        return {};
    }
    return path;
}

void TestArchiveWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_archive = write(sampleSpec(), QStringLiteral("session.zip"));
    QVERIFY(!m_archive.isEmpty());
}

void TestArchiveWriter::containsTheFourFolders()
{
    ZipArchive zip(m_archive);
    QVERIFY(zip.isOpen());
    const QStringList names = zip.names();
    const QStringList folders = {
        QStringLiteral("application/"), QStringLiteral("profile/"), QStringLiteral("temp/"), QStringLiteral("stats/")};
    for (const QString &folder : folders) {
        QVERIFY2(names.contains(folder), qPrintable(folder));
        QCOMPARE(zip.stat(zip.indexOf(folder)).size, zip_uint64_t(0));
    }
    for (const QString &name : names) {
        QVERIFY2(std::any_of(folders.begin(), folders.end(), [&](const QString &f) { return name.startsWith(f); }),
            qPrintable(name));
    }
    for (const char *file : {"application/Game/Saved/Logs/Game.log", "application/Game/Saved/Config/Settings.ini",
             "application/Game/Saved/Replays/replay.bin", "profile/AppData/Local/Game/SaveGames/slot1.sav",
             "profile/Documents/Game/user.cfg", "temp/Game/shadercache.log", "temp/crashpad/metadata",
             "stats/perf_stats_v1.csv"})
        QVERIFY2(names.contains(QLatin1String(file)), file);
    QVERIFY(zip.contents(QStringLiteral("profile/AppData/Local/Game/SaveGames/slot1.sav")).startsWith("GVAS"));
}

void TestArchiveWriter::crashFolderHoldsAMinidump()
{
    ZipArchive zip(m_archive);
    const QRegularExpression dumpName(QStringLiteral(
        "^application/Game/Saved/Crashes/(Crash-\\d{4}\\.\\d\\d\\.\\d\\d-\\d\\d\\.\\d\\d\\.\\d\\d)/Minidump\\.dmp$"));
    const QStringList dumps = zip.names().filter(dumpName);
    QCOMPARE(dumps.size(), 1);
    const QByteArray dump = zip.contents(dumps.first());
    QVERIFY(dump.size() > 1024);
    QVERIFY(dump.startsWith("MDMP"));
    QCOMPARE(qFromLittleEndian<quint32>(dump.constData() + 4) & 0xffff, 0xa793U);
    const quint32 streams = qFromLittleEndian<quint32>(dump.constData() + 8);
    const quint32 directory = qFromLittleEndian<quint32>(dump.constData() + 12);
    QVERIFY(streams >= 1);
    QVERIFY(directory + 12 * streams <= quint32(dump.size()));
    for (quint32 i = 0; i < streams; ++i) {
        const char *entry = dump.constData() + directory + 12 * i;
        const quint32 size = qFromLittleEndian<quint32>(entry + 4);
        const quint32 rva = qFromLittleEndian<quint32>(entry + 8);
        QVERIFY2(size > 0 && quint64(rva) + size <= quint64(dump.size()), qPrintable(QString::number(i)));
    }
    const QString folder = dumpName.match(dumps.first()).captured(1);
    const QByteArray context
        = zip.contents(QStringLiteral("application/Game/Saved/Crashes/%1/CrashContext.runtime-xml").arg(folder));
    QVERIFY(context.contains("<FGenericCrashContext>"));
    QVERIFY(context.contains("Ab3Cd5Ef7"));
    QDateTime crashedAt = QDateTime::fromString(folder.mid(6), QStringLiteral("yyyy.MM.dd-HH.mm.ss"));
    crashedAt.setTimeSpec(Qt::UTC);
    QVERIFY(crashedAt >= kStart && crashedAt <= kStart.addSecs(600));
}

void TestArchiveWriter::screenshotIsAValidPng()
{
    ZipArchive zip(m_archive);
    const QStringList pngs
        = zip.names().filter(QRegularExpression(QStringLiteral("^application/Game/Saved/Screenshots/[^/]+\\.png$")));
    QCOMPARE(pngs.size(), 1);
    const QByteArray png = zip.contents(pngs.first());
    QVERIFY(png.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
    quint32 width = 0, height = 0;
    QByteArray idat;
    bool sawEnd = false;
    for (qsizetype at = 8; at + 12 <= png.size() && !sawEnd;) {
        const quint32 length = qFromBigEndian<quint32>(png.constData() + at);
        QVERIFY(at + 12 + qsizetype(length) <= png.size());
        const QByteArray type = png.mid(at + 4, 4);
        const QByteArray body = png.mid(at + 8, length);
        QCOMPARE(
            qFromBigEndian<quint32>(png.constData() + at + 8 + length), crc32(png.constData() + at + 4, 4 + length));
        if (type == "IHDR") {
            width = qFromBigEndian<quint32>(body.constData());
            height = qFromBigEndian<quint32>(body.constData() + 4);
            QCOMPARE(body.mid(8, 5), QByteArray("\x08\x02\x00\x00\x00", 5));
        } else if (type == "IDAT") {
            idat += body;
        }
        sawEnd = type == "IEND";
        at += 12 + length;
    }
    QVERIFY(sawEnd);
    QVERIFY(width > 0 && height > 0);
    // qUncompress takes a zlib stream behind a big-endian expected size; zlib checks the Adler-32.
    const quint32 rawSize = height * (1 + width * 3);
    QByteArray framed(4, '\0');
    qToBigEndian(rawSize, framed.data());
    QCOMPARE(qUncompress(framed + idat).size(), qsizetype(rawSize));
}

void TestArchiveWriter::statsHaveOneRowPerSecond_data()
{
    QTest::addColumn<qint64>("durationSecs");
    QTest::addColumn<qint64>("rows");
    QTest::newRow("ten minutes") << qint64(600) << qint64(600);
    QTest::newRow("capped at four hours") << qint64(5 * 3600) << qint64(4 * 3600);
}

void TestArchiveWriter::statsHaveOneRowPerSecond()
{
    QFETCH(qint64, durationSecs);
    QFETCH(qint64, rows);
    const QString path
        = durationSecs == 600 ? m_archive : write(sampleSpec(3, 0, durationSecs), QStringLiteral("long.zip"));
    QVERIFY(!path.isEmpty());
    ZipArchive zip(path);
    const QList<QByteArray> lines = zip.contents(QStringLiteral("stats/perf_stats_v1.csv")).split('\n');
    QCOMPARE(lines.value(0), QByteArray("timestamp,cpu_percent,memory_mb,gpu_percent,vram_mb"));
    QCOMPARE(lines.last(), QByteArray()); // ends with a newline
    QCOMPARE(lines.size() - 2, rows);
    for (qsizetype i = 1; i < lines.size() - 1; ++i) {
        const QList<QByteArray> cols = lines.at(i).split(',');
        QCOMPARE(cols.size(), 5);
        QCOMPARE(QDateTime::fromString(QString::fromLatin1(cols.at(0)), Qt::ISODate), kStart.addSecs(i - 1));
        QVERIFY(cols.at(0).endsWith('Z'));
        bool ok[4] = {};
        const double cpu = cols.at(1).toDouble(&ok[0]);
        const int memory = cols.at(2).toInt(&ok[1]);
        const double gpu = cols.at(3).toDouble(&ok[2]);
        const int vram = cols.at(4).toInt(&ok[3]);
        QVERIFY2(ok[0] && ok[1] && ok[2] && ok[3], lines.at(i).constData());
        QVERIFY(cpu >= 0 && cpu <= 100 && gpu >= 0 && gpu <= 100);
        QVERIFY(memory > 1000 && memory < 16384 && vram > 1000 && vram < 24576);
    }
}

void TestArchiveWriter::logCoversTheSession()
{
    ZipArchive zip(m_archive);
    const QList<QByteArray> lines
        = zip.contents(QStringLiteral("application/Game/Saved/Logs/Game.log")).trimmed().split('\n');
    QVERIFY(lines.size() > 20);
    QCOMPARE(lines.first().trimmed(), QByteArray("Log file open, 05/01/24 12:00:00"));
    QCOMPARE(lines.last().trimmed(), QByteArray("Log file closed, 05/01/24 12:10:00"));
    const QRegularExpression stamp(
        QStringLiteral("^\\[(\\d{4}\\.\\d\\d\\.\\d\\d-\\d\\d\\.\\d\\d\\.\\d\\d:\\d{3})\\]\\[[ \\d]{3}\\]Log\\w+: "));
    QDateTime previous = kStart;
    for (qsizetype i = 1; i < lines.size() - 1; ++i) {
        const QRegularExpressionMatch m = stamp.match(QString::fromUtf8(lines.at(i)));
        QVERIFY2(m.hasMatch(), lines.at(i).constData());
        QDateTime at = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy.MM.dd-HH.mm.ss:zzz"));
        at.setTimeSpec(Qt::UTC);
        QVERIFY2(at >= previous && at <= kStart.addSecs(600), lines.at(i).constData());
        previous = at;
    }
    QVERIFY(previous > kStart.addSecs(590)); // the last lines are written at the end of the session
    const QByteArray all = lines.join('\n');
    for (const char *id : {"Ab3Cd5Ef7", "sg-1AB2C3De4", "a-9ZY8X7Wv6", "qa-tester-7", "us-west-2", "Handled ensure"})
        QVERIFY2(all.contains(id), id);
}

void TestArchiveWriter::everyEntryReadsBackWithItsCrc()
{
    ZipArchive zip(m_archive);
    QVERIFY(zip.count() >= 15);
    for (zip_int64_t i = 0; i < zip.count(); ++i) {
        const zip_stat_t st = zip.stat(i);
        quint64 size = 0;
        quint32 crc = 0;
        QString error;
        QVERIFY2(zip.read(i, nullptr, &size, &crc, &error),
            qPrintable(QStringLiteral("%1: %2").arg(QString::fromUtf8(st.name), error)));
        QCOMPARE(size, quint64(st.size));
        QCOMPARE(crc, quint32(st.crc));
    }
}

void TestArchiveWriter::bulkFileIsStoredOthersDeflated()
{
    ZipArchive zip(m_archive);
    for (zip_int64_t i = 0; i < zip.count(); ++i) {
        const zip_stat_t st = zip.stat(i);
        const QString name = QString::fromUtf8(st.name);
        if (name.endsWith(QLatin1Char('/')))
            continue;
        if (name.endsWith(QLatin1String("replay.bin"))) {
            QCOMPARE(st.comp_method, zip_uint16_t(ZIP_CM_STORE));
            QCOMPARE(st.comp_size, st.size);
        } else {
            QVERIFY2(st.comp_method == ZIP_CM_DEFLATE, qPrintable(name));
        }
    }
}

void TestArchiveWriter::modificationTimesFollowTheSession()
{
    // The DOS fields hold the UTC wall clock of the streaming host; libzip reads them as local time.
    auto wallClock = [](time_t t) {
        const QDateTime local = QDateTime::fromSecsSinceEpoch(t, Qt::LocalTime);
        return QDateTime(local.date(), local.time(), Qt::UTC);
    };
    ZipArchive zip(m_archive);
    for (zip_int64_t i = 0; i < zip.count(); ++i) {
        const zip_stat_t st = zip.stat(i);
        QVERIFY(st.valid & ZIP_STAT_MTIME);
        const QDateTime at = wallClock(st.mtime);
        QVERIFY2(at >= kStart.addSecs(-2) && at <= kStart.addSecs(602), st.name); // DOS times have 2 s steps
    }
    const zip_stat_t log = zip.stat(zip.indexOf(QStringLiteral("application/Game/Saved/Logs/Game.log")));
    QCOMPARE(wallClock(log.mtime), kStart.addSecs(600));
}

void TestArchiveWriter::sameSpecGivesIdenticalBytes()
{
    const QString again = write(sampleSpec(), QStringLiteral("again.zip"));
    const QString otherSeed = write(sampleSpec(43), QStringLiteral("other-seed.zip"));
    QVERIFY(!again.isEmpty() && !otherSeed.isEmpty());
    const QByteArray hash = sha256(m_archive);
    QCOMPARE(hash.size(), 64);
    QCOMPARE(sha256(again), hash);
    QVERIFY(sha256(otherSeed) != hash);
}

void TestArchiveWriter::targetSizeIsHonoured_data()
{
    QTest::addColumn<qint64>("targetSize");
    QTest::newRow("default 256 KiB") << ArchiveSpec().targetSize;
    QTest::newRow("5 MiB") << qint64(5 * 1024 * 1024);
    QTest::newRow("20 MiB") << qint64(20 * 1024 * 1024);
}

void TestArchiveWriter::targetSizeIsHonoured()
{
    QFETCH(qint64, targetSize);
    const QString path = write(sampleSpec(9, targetSize), QStringLiteral("sized.zip"));
    QVERIFY(!path.isEmpty());
    ZipArchive zip(path);
    qint64 uncompressed = 0;
    for (zip_int64_t i = 0; i < zip.count(); ++i)
        uncompressed += qint64(zip.stat(i).size);
    const qint64 fileSize = QFileInfo(path).size();
    qInfo("target %lld, uncompressed %lld, archive %lld bytes", targetSize, uncompressed, fileSize);
    QVERIFY(qAbs(uncompressed - targetSize) <= 4096);
    QVERIFY(fileSize <= targetSize + 4096);
    QVERIFY(fileSize >= targetSize - 64 * 1024); // what deflate saves on the small files
}

void TestArchiveWriter::existingDestinationIsReplaced()
{
    const QString path = m_dir.filePath(QStringLiteral("replaced.zip"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("not a zip");
    old.close();
    QString error;
    QVERIFY2(writeSessionArchive(sampleSpec(), path, &error), qPrintable(error));
    QCOMPARE(sha256(path), sha256(m_archive));
}

void TestArchiveWriter::missingFolderFails()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!writeSessionArchive(sampleSpec(), dir.filePath(QStringLiteral("missing/session.zip")), &error));
    QVERIFY(error.contains(QLatin1String("does not exist")));
    QVERIFY(folderContents(dir.path()).isEmpty());

    QFile file(dir.filePath(QStringLiteral("plain-file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    error.clear();
    QVERIFY(!writeSessionArchive(sampleSpec(), dir.filePath(QStringLiteral("plain-file/session.zip")), &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(folderContents(dir.path()), QStringList{QStringLiteral("plain-file")});
}

void TestArchiveWriter::unwritableFolderFails()
{
    if (geteuid() == 0)
        QSKIP("running as root: folder permissions do not stop root from writing");
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QString error;
    const bool ok = writeSessionArchive(sampleSpec(), dir.filePath(QStringLiteral("session.zip")), &error);
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!ok);
    QVERIFY(!error.isEmpty());
    QVERIFY(folderContents(dir.path()).isEmpty());
}

void TestArchiveWriter::failedRenameLeavesNoTempFile()
{
    // The archive is written completely, then cannot replace a non-empty folder of the same name.
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("session.zip/inside")));
    QString error;
    QVERIFY(!writeSessionArchive(sampleSpec(), dir.filePath(QStringLiteral("session.zip")), &error));
    QVERIFY(error.contains(QLatin1String("cannot move")));
    QCOMPARE(folderContents(dir.path()), QStringList{QStringLiteral("session.zip")});
}

void TestArchiveWriter::failureWhileWritingLeavesNoTempFile()
{
    // A file size limit makes writes fail half-way through the bulk file (EFBIG), as a full disk would.
    QTemporaryDir dir;
    rlimit saved{};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    rlimit limited = saved;
    limited.rlim_cur = 1024 * 1024;
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    QVERIFY(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    QString error;
    const bool ok = writeSessionArchive(sampleSpec(), dir.filePath(QStringLiteral("session.zip")), &error);
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previousHandler);
    QVERIFY(!ok);
    QVERIFY(!error.isEmpty());
    qInfo("reported: %s", qPrintable(error));
    QVERIFY2(folderContents(dir.path()).isEmpty(), qPrintable(folderContents(dir.path()).join(QLatin1Char(' '))));
}

void TestArchiveWriter::systemUnzipAcceptsTheArchive()
{
    const QString unzip = QStandardPaths::findExecutable(QStringLiteral("unzip"));
    if (unzip.isEmpty())
        QSKIP("the unzip program is not installed");
    QProcess process;
    process.start(unzip, {QStringLiteral("-t"), m_archive});
    QVERIFY(process.waitForFinished(60000));
    const QByteArray output = process.readAllStandardOutput();
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, output.constData());
    QVERIFY2(output.contains("No errors detected"), output.constData());
}

void TestArchiveWriter::bigArchiveKeepsMemoryFlat()
{
    if (qEnvironmentVariable("GLS_BIG_ARCHIVE_TEST") != QLatin1String("1"))
        QSKIP("writes 5 GiB; set GLS_BIG_ARCHIVE_TEST=1 to run it");
    constexpr qint64 kSize = 5LL * 1024 * 1024 * 1024;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.zip"));
    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY2(writeSessionArchive(sampleSpec(5, kSize, 2 * 3600), path, &error), qPrintable(error));
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 peakKiB = peakRssKiB();
    qInfo("wrote %lld bytes in %.1f s (%.0f MB/s); peak RSS (VmHWM) %lld KiB", QFileInfo(path).size(), seconds,
        double(QFileInfo(path).size()) / seconds / 1e6, peakKiB);
    QVERIFY(peakKiB > 0);
    QVERIFY(peakKiB < 64 * 1024);

    ZipArchive zip(path); // ZIP_CHECKCONS also checks the ZIP64 end of central directory
    QVERIFY(zip.isOpen());
    const zip_stat_t replay = zip.stat(zip.indexOf(QStringLiteral("application/Game/Saved/Replays/replay.bin")));
    QVERIFY(replay.size > 0xffffffffULL);
    // Entries after the bulk file sit beyond 4 GiB and need ZIP64 offsets; read them all back.
    for (zip_int64_t i = 0; i < zip.count(); ++i) {
        quint64 size = 0;
        quint32 crc = 0;
        const zip_stat_t st = zip.stat(i);
        QVERIFY2(zip.read(i, nullptr, &size, &crc, &error), qPrintable(error));
        QCOMPARE(size, quint64(st.size));
        QCOMPARE(crc, quint32(st.crc));
    }
    const QByteArray csv = zip.contents(QStringLiteral("stats/perf_stats_v1.csv"));
    QCOMPARE(csv.count('\n'), 2 * 3600 + 1);
}

QTEST_GUILESS_MAIN(TestArchiveWriter)
#include "tst_archivewriter.moc"
