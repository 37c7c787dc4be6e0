// The export store against real SQLite files: records, filters, the
// upsert of exports found on the service, the migration from schema 1, two
// writer processes at once, a writer killed between request and answer, the
// reconcile decision after such a crash, and files it cannot use.

#include "exports/ExportStore.h"
#include "exports/Reconcile.h"

#include "StoreDamage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <unistd.h>

using namespace gls::exports;
using gls::gamelift::ExportFilesMetadata;
using gls::gamelift::StreamSession;

namespace {

const QString kArnBase = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/");
const QDateTime kT0 = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

ExportRecord makeRecord(const QString &sessionId, const QString &profile = QStringLiteral("default"),
    const QString &region = QStringLiteral("us-west-2"))
{
    ExportRecord r;
    r.profile = profile;
    r.region = region;
    r.streamGroupId = QStringLiteral("sg-1AB2C3De4");
    r.sessionId = sessionId;
    r.sessionArn = kArnBase + sessionId;
    r.requestedUri = QStringLiteral("s3://bucket/exports/");
    return r;
}

QString helperPath()
{
    const QString name = QStringLiteral("exportstore_helper");
    QStringList dirs;
    if (qEnvironmentVariableIsSet("GLS_BIN_DIR"))
        dirs << qEnvironmentVariable("GLS_BIN_DIR");
    dirs << QCoreApplication::applicationDirPath()
         << QCoreApplication::applicationDirPath() + QStringLiteral("/../bin");
    for (const QString &dir : std::as_const(dirs)) {
        const QFileInfo info(QDir(dir).filePath(name));
        if (info.isExecutable())
            return info.absoluteFilePath();
    }
    return {};
}

// Rows in the file, counted through a connection of our own.
int rowCount(const QString &path, const QString &where = QString())
{
    const QString name = QUuid::createUuid().toString();
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM exports") + where) && q.next())
                count = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

} // namespace

class TestExportStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void createsTheFileInWalMode();
    void beginRequestThenAnswer();
    void updateAndSaveRoundTrip();
    void listFiltersNewestFirst();
    void pendingAndFindBySession();
    void elsewhereUpsertIsNotDuplicated();
    void dataVersionSeesOtherConnections();
    void migratesSchema1();
    void refusesNewerSchema();
    void twoProcessesWriteAtOnce();
    void crashBetweenRequestAndAnswer();
    void freshRequestsAreNotRecovered();
    void reconcileDecision_data();
    void reconcileDecision();
    void damagedFileIsExplained();
    void damageFoundLaterIsExplained();
    void unusableLocationIsExplained();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestExportStore::initTestCase()
{
    QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")), "the Qt SQLite driver is missing");
}

void TestExportStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("data/gls-exporter/exports.sqlite"));
}

void TestExportStore::createsTheFileInWalMode()
{
    QCOMPARE(QFileInfo(ExportStore::defaultPath()).fileName(), QStringLiteral("exports.sqlite"));
    QCOMPARE(QFileInfo(ExportStore::defaultPath()).dir().dirName(), QStringLiteral("gls-exporter"));

    ExportStore store(m_path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QVERIFY(QFileInfo::exists(m_path));
    QCOMPARE(store.schemaVersion(), ExportStore::kSchemaVersion);
    QVERIFY(store.list().isEmpty());

    const QString name = QStringLiteral("raw");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    }
    QSqlDatabase::removeDatabase(name);

    // Opening again (a second start) keeps the schema.
    ExportStore again(m_path);
    QVERIFY(again.open());
    QCOMPARE(again.schemaVersion(), 2);
}

void TestExportStore::beginRequestThenAnswer()
{
    ExportStore store(m_path);
    store.setClock([] { return kT0; });
    QVERIFY(store.open());
    QSignalSpy changed(&store, &ExportStore::changed);

    const auto id = store.beginRequest(makeRecord(QStringLiteral("S1")));
    QVERIFY2(id, qPrintable(store.lastError()));
    QCOMPARE(changed.count(), 1);
    // Committed before the request is sent: another connection sees it.
    QCOMPARE(rowCount(m_path, QStringLiteral(" WHERE status = 'REQUESTING'")), 1);

    auto row = store.find(*id);
    QVERIFY(row);
    QCOMPARE(row->status, ExportStatus::Requesting);
    QCOMPARE(row->source, ExportSource::App);
    QCOMPARE(row->requestedAt, kT0);
    QCOMPARE(row->requestedAt.timeSpec(), Qt::UTC);
    QVERIFY(!row->attemptKey.isNull());
    QCOMPARE(row->sessionArn, kArnBase + QStringLiteral("S1"));

    QVERIFY(store.markRequested(*id));
    QCOMPARE(store.find(*id)->status, ExportStatus::Pending);

    const auto failed = store.beginRequest(makeRecord(QStringLiteral("S2")));
    QVERIFY(failed);
    QVERIFY(store.markRequested(*failed, QStringLiteral("AccessDeniedException: no s3:PutObject")));
    row = store.find(*failed);
    QCOMPARE(row->status, ExportStatus::Failed);
    QCOMPARE(row->statusReason, QStringLiteral("AccessDeniedException: no s3:PutObject"));
    QCOMPARE(row->finishedAt, kT0);
    QVERIFY(store.find(*id)->attemptKey != row->attemptKey);

    QVERIFY(!store.markRequested(9999));
    QVERIFY(store.lastError().contains(m_path));
    QVERIFY(store.remove(*failed));
    QVERIFY(!store.find(*failed));
    QVERIFY(!store.remove(*failed));
    QCOMPARE(changed.count(), 5); // two inserts, two answers, one removal
}

void TestExportStore::updateAndSaveRoundTrip()
{
    ExportStore store(m_path);
    QVERIFY(store.open());
    const auto id = store.beginRequest(makeRecord(QStringLiteral("S1")));
    QVERIFY(id);
    const QString key = store.find(*id)->attemptKey.toString();

    ExportUpdate done;
    done.status = ExportStatus::Succeeded;
    done.outputUri = QStringLiteral("s3://bucket/exports/20260301-120000-a-sg-1AB2C3De4-S1.zip");
    done.finishedAt = kT0.addSecs(600);
    done.lastCheckedAt = kT0.addSecs(601);
    done.sessionStatus = QStringLiteral("TERMINATED");
    done.sessionArn = kArnBase + QStringLiteral("S1-moved"); // not the ARN it was written with
    QVERIFY2(store.update(*id, done), qPrintable(store.lastError()));

    ExportUpdate download;
    download.downloadState = DownloadState::Done;
    download.downloadPath = QStringLiteral("/home/me/Downloads/S1.zip");
    download.downloadSha256 = QStringLiteral("ab").repeated(32);
    download.downloadedBytes = 123456789012LL;
    QVERIFY(store.update(*id, download));

    auto row = store.find(*id);
    QVERIFY(row);
    QCOMPARE(row->status, ExportStatus::Succeeded);
    QCOMPARE(row->outputUri, *done.outputUri);
    QCOMPARE(row->finishedAt, *done.finishedAt);
    QCOMPARE(row->lastCheckedAt, *done.lastCheckedAt);
    QCOMPARE(row->sessionStatus, QStringLiteral("TERMINATED"));
    QCOMPARE(row->sessionArn, *done.sessionArn);
    QCOMPARE(row->downloadState, DownloadState::Done);
    QCOMPARE(row->downloadPath, *download.downloadPath);
    QCOMPARE(row->downloadedBytes, 123456789012LL);
    QCOMPARE(row->requestedUri, QStringLiteral("s3://bucket/exports/"));
    QCOMPARE(row->attemptKey.toString(), key);

    // save(): every member written and read back as it was.
    row->downloadState = DownloadState::Failed;
    row->downloadError = QStringLiteral("connection reset");
    row->statusReason = QStringLiteral("r\u00e9sum\u00e9 \"quoted\" 'x'");
    QVERIFY(store.save(*row));
    QVERIFY(store.find(*id) == *row);

    ExportRecord fresh = makeRecord(QStringLiteral("S9"));
    fresh.status = ExportStatus::Pending;
    QVERIFY(store.save(fresh));
    QVERIFY(fresh.id > *id);
    QVERIFY(store.find(fresh.id) == fresh);

    QVERIFY(!store.update(424242, done));
    QVERIFY(store.lastError().contains(QStringLiteral("no export with id 424242")));
}

void TestExportStore::listFiltersNewestFirst()
{
    ExportStore store(m_path);
    QVERIFY(store.open());
    struct Row {
        const char *session;
        const char *profile;
        const char *region;
        ExportStatus status;
        ExportSource source;
        int minutes;
    };
    const Row rows[] = {
        {"A", "work", "us-west-2", ExportStatus::Succeeded, ExportSource::App, 1},
        {"B", "work", "eu-central-1", ExportStatus::Pending, ExportSource::App, 2},
        {"C", "home", "us-west-2", ExportStatus::Failed, ExportSource::Elsewhere, 3},
        {"D", "work", "us-west-2", ExportStatus::Pending, ExportSource::Elsewhere, 4},
        {"E", "home", "us-west-2", ExportStatus::Unknown, ExportSource::App, 5},
    };
    for (const Row &row : rows) {
        ExportRecord r = makeRecord(
            QString::fromLatin1(row.session), QString::fromLatin1(row.profile), QString::fromLatin1(row.region));
        r.status = row.status;
        r.source = row.source;
        r.requestedAt = kT0.addSecs(60 * row.minutes);
        QVERIFY(store.save(r));
    }
    const auto sessions = [](const QList<ExportRecord> &records) {
        QStringList ids;
        for (const auto &r : records)
            ids << r.sessionId;
        return ids.join(QLatin1Char(','));
    };
    QCOMPARE(sessions(store.list()), QStringLiteral("E,D,C,B,A"));
    ExportFilter filter;
    filter.profile = QStringLiteral("work");
    QCOMPARE(sessions(store.list(filter)), QStringLiteral("D,B,A"));
    filter.region = QStringLiteral("us-west-2");
    QCOMPARE(sessions(store.list(filter)), QStringLiteral("D,A"));
    filter = {};
    filter.statuses = {ExportStatus::Pending, ExportStatus::Failed};
    QCOMPARE(sessions(store.list(filter)), QStringLiteral("D,C,B"));
    filter.source = ExportSource::Elsewhere;
    QCOMPARE(sessions(store.list(filter)), QStringLiteral("D,C"));
    filter = {};
    filter.limit = 2;
    QCOMPARE(sessions(store.list(filter)), QStringLiteral("E,D"));
    filter = {};
    filter.profile = QStringLiteral("nobody");
    QVERIFY(store.list(filter).isEmpty());
}

void TestExportStore::pendingAndFindBySession()
{
    ExportStore store(m_path);
    QVERIFY(store.open());
    const ExportStatus statuses[] = {ExportStatus::Requesting, ExportStatus::Pending, ExportStatus::Succeeded,
        ExportStatus::Failed, ExportStatus::Unknown};
    int minute = 0;
    for (ExportStatus status : statuses) {
        ExportRecord r = makeRecord(statusName(status));
        r.status = status;
        r.requestedAt = kT0.addSecs(60 * ++minute);
        QVERIFY(store.save(r));
    }
    QStringList pending;
    for (const auto &r : store.pending())
        pending << r.sessionId;
    QCOMPARE(
        pending, (QStringList{QStringLiteral("UNKNOWN"), QStringLiteral("PENDING"), QStringLiteral("REQUESTING")}));

    // Two exports of one session: the latest wins, whatever the insert order.
    ExportRecord later = makeRecord(QStringLiteral("TWICE"));
    later.requestedAt = kT0.addSecs(3600);
    later.requestedUri = QStringLiteral("s3://bucket/second.zip");
    QVERIFY(store.save(later));
    ExportRecord earlier = makeRecord(QStringLiteral("TWICE"));
    earlier.requestedAt = kT0;
    earlier.requestedUri = QStringLiteral("s3://bucket/first.zip");
    QVERIFY(store.save(earlier));
    const auto found = store.findBySession(kArnBase + QStringLiteral("TWICE"));
    QVERIFY(found);
    QCOMPARE(found->requestedUri, QStringLiteral("s3://bucket/second.zip"));
    QVERIFY(!store.findBySession(kArnBase + QStringLiteral("NONE")));
}

void TestExportStore::elsewhereUpsertIsNotDuplicated()
{
    ExportStore store(m_path);
    store.setClock([] { return kT0; });
    QVERIFY(store.open());

    // Found by the listing (status only), then with GetStreamSession's OutputUri, then finished.
    ExportRecord found = makeRecord(QStringLiteral("CONSOLE"));
    found.requestedUri.clear();
    found.status = ExportStatus::Pending;
    found.sessionStatus = QStringLiteral("ACTIVE");
    const auto id = store.recordElsewhere(found);
    QVERIFY2(id, qPrintable(store.lastError()));
    found.outputUri = QStringLiteral("s3://other-bucket/console.zip");
    QCOMPARE(store.recordElsewhere(found), id);
    found.status = ExportStatus::Succeeded;
    found.sessionStatus = QStringLiteral("TERMINATED");
    QCOMPARE(store.recordElsewhere(found), id);
    QCOMPARE(store.recordElsewhere(found), id);
    QCOMPARE(store.list().size(), 1);
    auto row = store.find(*id);
    QCOMPARE(row->source, ExportSource::Elsewhere);
    QCOMPARE(row->status, ExportStatus::Succeeded);
    QCOMPARE(row->outputUri, found.outputUri);
    QCOMPARE(row->sessionStatus, QStringLiteral("TERMINATED"));
    QCOMPARE(row->finishedAt, kT0);

    // The app's own export seen in the listing: the APP row is updated, not doubled.
    const auto own = store.beginRequest(makeRecord(QStringLiteral("MINE")));
    QVERIFY(own && store.markRequested(*own));
    ExportRecord seen = makeRecord(QStringLiteral("MINE"));
    seen.status = ExportStatus::Succeeded;
    seen.outputUri = QStringLiteral("s3://bucket/exports/20260301-120000-a-sg-1AB2C3De4-MINE.zip");
    QCOMPARE(store.recordElsewhere(seen), own);
    QCOMPARE(store.list().size(), 2);
    row = store.find(*own);
    QCOMPARE(row->source, ExportSource::App);
    QCOMPARE(row->status, ExportStatus::Succeeded);
    QCOMPARE(row->outputUri, seen.outputUri);

    // A second export of the same session to another place is another row.
    ExportRecord second = found;
    second.outputUri = QStringLiteral("s3://other-bucket/console-2.zip");
    const auto secondId = store.recordElsewhere(second);
    QVERIFY(secondId && *secondId != *id);
    QCOMPARE(store.list().size(), 3);

    // The CLI's row for a session given by ID (killed before its first look filled in the ARN),
    // then found in a listing by ARN: the same row, now with the ARN; found again: still one.
    ExportRecord byId = makeRecord(QStringLiteral("BYID"));
    byId.sessionArn.clear();
    const auto cliRow = store.beginRequest(byId);
    QVERIFY(cliRow);
    ExportRecord listed = makeRecord(QStringLiteral("BYID"));
    listed.status = ExportStatus::Pending;
    QCOMPARE(store.recordElsewhere(listed), cliRow);
    QCOMPARE(store.find(*cliRow)->sessionArn, listed.sessionArn);
    QCOMPARE(store.find(*cliRow)->source, ExportSource::App);
    QCOMPARE(store.recordElsewhere(listed), cliRow);
    QCOMPARE(store.list().size(), 4);
    // Another profile's session with that ID is not it.
    ExportRecord otherProfile = makeRecord(QStringLiteral("BYID2"), QStringLiteral("other"));
    otherProfile.sessionArn.clear();
    QVERIFY(store.beginRequest(otherProfile));
    ExportRecord listed2 = makeRecord(QStringLiteral("BYID2"));
    listed2.status = ExportStatus::Pending;
    QVERIFY(store.recordElsewhere(listed2));
    QCOMPARE(store.list().size(), 6);
}

void TestExportStore::dataVersionSeesOtherConnections()
{
    ExportStore gui(m_path);
    ExportStore cli(m_path);
    QVERIFY(gui.open());
    QVERIFY(cli.open());
    QSignalSpy guiChanged(&gui, &ExportStore::changed);
    const qint64 before = gui.dataVersion();
    QVERIFY(before >= 0);
    QCOMPARE(gui.dataVersion(), before);
    QVERIFY(cli.beginRequest(makeRecord(QStringLiteral("FROM-CLI"))));
    QVERIFY(gui.dataVersion() != before);
    QCOMPARE(guiChanged.count(), 0); // only its own writes signal
    QCOMPARE(gui.list().size(), 1);
}

void TestExportStore::migratesSchema1()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
    const QString name = QStringLiteral("v1");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        // Schema 1 as the first release wrote it.
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE exports ("
                                      " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                      " profile TEXT NOT NULL,"
                                      " region TEXT NOT NULL,"
                                      " session_arn TEXT NOT NULL,"
                                      " output_uri TEXT NOT NULL,"
                                      " status TEXT NOT NULL,"
                                      " status_reason TEXT,"
                                      " requested_at TEXT NOT NULL,"
                                      " finished_at TEXT,"
                                      " download_path TEXT)")));
        QVERIFY(q.exec(QStringLiteral("CREATE INDEX exports_session ON exports (session_arn)")));
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO exports VALUES"
                                  " (3, 'work', 'us-west-2', '%1OLD1', 's3://b/old1.zip', 'SUCCEEDED', NULL,"
                                  "  '2025-01-02T03:04:05Z', '2025-01-02T04:00:00Z', '/tmp/old1.zip'),"
                                  " (7, 'work', 'us-east-2', '%1OLD2', 's3://b/prefix/', 'FAILED', 'bucket not found',"
                                  "  '2025-02-03T10:00:00Z', '2025-02-03T10:05:00Z', NULL),"
                                  " (8, 'home', 'us-west-2', '%1OLD3', 's3://b/old3.zip', 'PENDING', NULL,"
                                  "  '2025-03-04T10:00:00Z', NULL, NULL)")
                       .arg(kArnBase)));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
    }
    QSqlDatabase::removeDatabase(name);

    ExportStore store(m_path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(store.schemaVersion(), 2);
    const auto rows = store.list();
    QCOMPARE(rows.size(), 3);

    const auto old1 = store.find(3);
    QVERIFY(old1);
    QCOMPARE(old1->profile, QStringLiteral("work"));
    QCOMPARE(old1->sessionArn, kArnBase + QStringLiteral("OLD1"));
    QCOMPARE(old1->sessionId, QStringLiteral("OLD1"));
    QCOMPARE(old1->streamGroupId, QStringLiteral("sg-1AB2C3De4"));
    QCOMPARE(old1->requestedUri, QStringLiteral("s3://b/old1.zip"));
    QCOMPARE(old1->outputUri, QStringLiteral("s3://b/old1.zip"));
    QCOMPARE(old1->status, ExportStatus::Succeeded);
    QCOMPARE(old1->requestedAt, QDateTime(QDate(2025, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QCOMPARE(old1->finishedAt, QDateTime(QDate(2025, 1, 2), QTime(4, 0), Qt::UTC));
    QCOMPARE(old1->downloadPath, QStringLiteral("/tmp/old1.zip"));
    QCOMPARE(old1->downloadState, DownloadState::Done);
    QCOMPARE(old1->source, ExportSource::App);

    const auto old2 = store.find(7);
    QVERIFY(old2);
    QCOMPARE(old2->status, ExportStatus::Failed);
    QCOMPARE(old2->statusReason, QStringLiteral("bucket not found"));
    QCOMPARE(old2->requestedUri, QStringLiteral("s3://b/prefix/"));
    QVERIFY(old2->outputUri.isEmpty()); // schema 1 never knew the final name under a prefix
    QCOMPARE(old2->downloadState, DownloadState::None);
    QCOMPARE(old2->downloadedBytes, 0);
    QVERIFY(!old2->lastCheckedAt.isValid());

    QCOMPARE(store.pending().size(), 1);
    QSet<QUuid> keys;
    for (const auto &r : rows)
        keys.insert(r.attemptKey);
    QCOMPARE(keys.size(), 3);
    QVERIFY(!keys.contains(QUuid()));

    // New rows continue after the old ids.
    const auto id = store.beginRequest(makeRecord(QStringLiteral("NEW")));
    QVERIFY(id && *id > 8);
}

void TestExportStore::refusesNewerSchema()
{
    {
        ExportStore store(m_path);
        QVERIFY(store.open());
    }
    const QString name = QStringLiteral("future");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 3")));
    }
    QSqlDatabase::removeDatabase(name);
    ExportStore store(m_path);
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.contains(m_path) && error.contains(QStringLiteral("newer version")), qPrintable(error));
    QVERIFY(!store.isOpen());
    QVERIFY(store.list().isEmpty());
    QVERIFY(!store.beginRequest(makeRecord(QStringLiteral("X"))));
}

void TestExportStore::twoProcessesWriteAtOnce()
{
    const QString helper = helperPath();
    QVERIFY2(!helper.isEmpty(), "exportstore_helper not found (GLS_BIN_DIR or next to the test)");
    ExportStore reader(m_path);
    QVERIFY(reader.open());

    constexpr int kEach = 200;
    QProcess a;
    QProcess b;
    for (auto [process, tag] : {std::pair{&a, "A"}, std::pair{&b, "B"}}) {
        process->start(helper, {m_path, QStringLiteral("write"), QString::fromLatin1(tag), QString::number(kEach)});
        QVERIFY2(process->waitForStarted(), qPrintable(process->errorString()));
    }
    for (QProcess *process : {&a, &b}) {
        while (!process->canReadLine())
            QVERIFY2(
                process->waitForReadyRead(10000), qPrintable(QString::fromLocal8Bit(process->readAllStandardError())));
        QCOMPARE(process->readLine().trimmed(), QByteArray("ready"));
    }
    a.write("go\n");
    b.write("go\n");

    // Read while they write: counts only grow, reads never fail.
    int lastSeen = 0;
    int reads = 0;
    while (a.state() != QProcess::NotRunning || b.state() != QProcess::NotRunning) {
        const int seen = int(reader.list().size());
        QVERIFY2(reader.lastError().isEmpty(), qPrintable(reader.lastError()));
        QVERIFY(seen >= lastSeen);
        lastSeen = seen;
        ++reads;
        (a.state() != QProcess::NotRunning ? a : b).waitForFinished(20);
    }
    for (QProcess *process : {&a, &b}) {
        const QByteArray err = process->readAllStandardError();
        QVERIFY2(!err.contains("locked"), err.constData());
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(process->exitCode() == 0, err.constData());
        QVERIFY(process->readAllStandardOutput().contains("done 200"));
    }
    QVERIFY(reads > 0);

    const auto all = reader.list();
    QCOMPARE(all.size(), 2 * kEach);
    QSet<QString> sessions;
    QSet<QUuid> keys;
    QSet<qint64> ids;
    for (const auto &r : all) {
        sessions.insert(r.sessionId);
        keys.insert(r.attemptKey);
        ids.insert(r.id);
        QCOMPARE(r.status, ExportStatus::Pending);
    }
    QCOMPARE(sessions.size(), 2 * kEach);
    QCOMPARE(keys.size(), 2 * kEach);
    QCOMPARE(ids.size(), 2 * kEach);
    for (int i = 0; i < kEach; ++i) {
        QVERIFY(sessions.contains(QStringLiteral("A-%1").arg(i)));
        QVERIFY(sessions.contains(QStringLiteral("B-%1").arg(i)));
    }
}

void TestExportStore::crashBetweenRequestAndAnswer()
{
    const QString helper = helperPath();
    QVERIFY2(!helper.isEmpty(), "exportstore_helper not found (GLS_BIN_DIR or next to the test)");
    const QString arn = kArnBase + QStringLiteral("CRASHED");
    const QString uri = QStringLiteral("s3://bucket/crash.zip");

    QProcess process;
    process.start(helper, {m_path, QStringLiteral("crash"), arn, uri});
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    while (!process.canReadLine())
        QVERIFY2(process.waitForReadyRead(10000), qPrintable(QString::fromLocal8Bit(process.readAllStandardError())));
    const QByteArray line = process.readLine().trimmed();
    QVERIFY2(line.startsWith("requested "), line.constData());
    const qint64 id = line.mid(10).toLongLong();
    process.kill(); // SIGKILL: no destructor, no cleanup
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);

    // The next start.
    ExportStore store(m_path);
    store.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(60); });
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    auto row = store.find(id);
    QVERIFY(row);
    QCOMPARE(row->status, ExportStatus::Requesting);
    QCOMPARE(store.pending().size(), 1);

    QSignalSpy changed(&store, &ExportStore::changed);
    QCOMPARE(store.recoverInterrupted(), QList<qint64>{id});
    QCOMPARE(changed.count(), 1);
    row = store.find(id);
    QCOMPARE(row->status, ExportStatus::Unknown);
    QVERIFY(!row->statusReason.isEmpty());
    QCOMPARE(store.list().size(), 1);
    QCOMPARE(rowCount(m_path), 1);
    QVERIFY(store.recoverInterrupted().isEmpty());

    // The service says the request got through: reconcile, with no second request.
    StreamSession session;
    session.arn = arn;
    session.status = QStringLiteral("ACTIVE");
    session.exportFilesMetadata = ExportFilesMetadata{QStringLiteral("PENDING"), {}, uri};
    const Reconcile decision = decide(*row, session);
    QCOMPARE(decision.action, Reconcile::Action::MarkPending);
    ExportUpdate change;
    change.status = ExportStatus::Pending;
    change.statusReason = decision.reason;
    QVERIFY(store.update(id, change));
    QCOMPARE(store.find(id)->status, ExportStatus::Pending);
    QCOMPARE(rowCount(m_path), 1);

    // The answer arriving late (the process lived on) still lands.
    const auto other = store.beginRequest(makeRecord(QStringLiteral("SLOW")));
    QVERIFY(other);
    QCOMPARE(store.recoverInterrupted(std::chrono::seconds(0)), QList<qint64>{*other});
    QVERIFY(store.markRequested(*other));
    QCOMPARE(store.find(*other)->status, ExportStatus::Pending);
}

void TestExportStore::freshRequestsAreNotRecovered()
{
    QDateTime now = kT0;
    ExportStore store(m_path);
    store.setClock([&now] { return now; });
    QVERIFY(store.open());
    const auto id = store.beginRequest(makeRecord(QStringLiteral("INFLIGHT")));
    QVERIFY(id);
    now = kT0.addSecs(2);
    QVERIFY(store.recoverInterrupted().isEmpty());
    QCOMPARE(store.find(*id)->status, ExportStatus::Requesting);
    now = kT0.addSecs(ExportStore::kDefaultInterruptedAge.count());
    QCOMPARE(store.recoverInterrupted(), QList<qint64>{*id});
}

void TestExportStore::reconcileDecision_data()
{
    QTest::addColumn<QString>("requestedUri");
    QTest::addColumn<QString>("sessionStatus");
    QTest::addColumn<bool>("hasMetadata");
    QTest::addColumn<QString>("exportStatus");
    QTest::addColumn<QString>("exportReason");
    QTest::addColumn<QString>("serviceUri");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("reasonHas");

    const QString zip = QStringLiteral("s3://bucket/a.zip");
    const QString prefix = QStringLiteral("s3://bucket/exports/");
    const QString named = prefix + QStringLiteral("20260301-120000-app-sg-1AB2C3De4-S1.zip");
    using A = Reconcile::Action;
    QTest::newRow("no metadata, active") << zip << "ACTIVE" << false << ""
                                         << ""
                                         << "" << int(A::RequestWasLost) << "did not get through";
    QTest::newRow("no metadata, terminated") << zip << "TERMINATED" << false << ""
                                             << ""
                                             << "" << int(A::RequestWasLost) << "TERMINATED";
    QTest::newRow("empty status") << zip << "ACTIVE" << true << ""
                                  << ""
                                  << "" << int(A::RequestWasLost) << "did not get through";
    QTest::newRow("pending, same key") << zip << "ACTIVE" << true << "PENDING"
                                       << "" << zip << int(A::MarkPending) << "pending";
    QTest::newRow("pending, no uri given") << zip << "CONNECTED" << true << "PENDING"
                                           << ""
                                           << "" << int(A::MarkPending) << "CONNECTED";
    QTest::newRow("succeeded, same key") << zip << "TERMINATED" << true << "SUCCEEDED"
                                         << "" << zip << int(A::MarkSucceeded) << zip;
    QTest::newRow("succeeded under prefix") << prefix << "TERMINATED" << true << "SUCCEEDED"
                                            << "" << named << int(A::MarkSucceeded) << named;
    QTest::newRow("failed") << zip << "TERMINATED" << true << "FAILED"
                            << "S3 access denied" << zip << int(A::MarkFailed) << "S3 access denied";
    QTest::newRow("failed, no reason") << zip << "TERMINATED" << true << "FAILED"
                                       << "" << zip << int(A::MarkFailed) << "no reason given";
    QTest::newRow("another uri") << zip << "ACTIVE" << true << "PENDING"
                                 << ""
                                 << "s3://bucket/other.zip" << int(A::RequestWasLost) << "s3://bucket/other.zip";
    QTest::newRow("outside the prefix") << prefix << "TERMINATED" << true << "SUCCEEDED"
                                        << ""
                                        << "s3://bucket/elsewhere/x.zip" << int(A::RequestWasLost) << "replaced";
    QTest::newRow("newer status") << zip << "ACTIVE" << true << "QUEUED"
                                  << "" << zip << int(A::MarkPending) << "QUEUED";
}

void TestExportStore::reconcileDecision()
{
    QFETCH(QString, requestedUri);
    QFETCH(QString, sessionStatus);
    QFETCH(bool, hasMetadata);
    QFETCH(QString, exportStatus);
    QFETCH(QString, exportReason);
    QFETCH(QString, serviceUri);
    QFETCH(int, action);
    QFETCH(QString, reasonHas);

    ExportRecord record = makeRecord(QStringLiteral("S1"));
    record.status = ExportStatus::Unknown;
    record.requestedUri = requestedUri;
    StreamSession session;
    session.arn = record.sessionArn;
    session.status = sessionStatus;
    if (hasMetadata)
        session.exportFilesMetadata = ExportFilesMetadata{exportStatus, exportReason, serviceUri};

    const Reconcile result = decide(record, session);
    QCOMPARE(Reconcile::actionName(result.action), Reconcile::actionName(Reconcile::Action(action)));
    QVERIFY2(result.reason.contains(reasonHas), qPrintable(result.reason));
    if (result.action == Reconcile::Action::MarkSucceeded)
        QCOMPARE(result.outputUri, serviceUri);
}

void TestExportStore::damagedFileIsExplained()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("this is not a database, it is a shopping list\n").repeated(200));
    }
    ExportStore store(m_path);
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.contains(m_path), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("damaged")) && error.contains(QStringLiteral("move the file aside")),
        qPrintable(error));
    QCOMPARE(store.lastError(), error);
    QVERIFY(!store.isOpen());
    QVERIFY(!store.find(1));
    QCOMPARE(store.schemaVersion(), -1);

    // A real history whose pages were overwritten.
    const QString path2 = m_dir->filePath(QStringLiteral("second.sqlite"));
    {
        ExportStore good(path2);
        QVERIFY(good.open());
        for (int i = 0; i < 50; ++i)
            QVERIFY(good.beginRequest(makeRecord(QStringLiteral("S%1").arg(i))));
    }
    {
        QFile file(path2);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > 4096);
        file.seek(4096);
        file.write(QByteArray(int(file.size() - 4096), '\x5a'));
    }
    QFile::remove(path2 + QStringLiteral("-wal"));
    QFile::remove(path2 + QStringLiteral("-shm"));
    ExportStore broken(path2);
    QVERIFY(!broken.open(&error));
    QVERIFY2(error.contains(path2) && error.contains(QStringLiteral("damaged")), qPrintable(error));
}

// open() reads the schema and the table's last page, not every page (no
// quick_check: it grows with the history). Damage further in is found by the
// statement that reads it, and explained like damage found at open.
void TestExportStore::damageFoundLaterIsExplained()
{
    const QString path = m_dir->filePath(QStringLiteral("later.sqlite"));
    {
        ExportStore good(path);
        QVERIFY(good.open());
        for (int i = 0; i < 400; ++i)
            QVERIFY(good.beginRequest(makeRecord(QStringLiteral("S%1").arg(i))));
    } // closing moves the log into the file
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    QString why;
    QVERIFY2(gls::test::overwriteOldestRows(path, &why), qPrintable(why));

    ExportStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    // The listing that meets the damage says so instead of showing part of
    // the history.
    bool ok = true;
    const QList<ExportRecord> all = store.list({}, &ok);
    QVERIFY2(!ok && all.isEmpty(), qPrintable(QStringLiteral("%1 rows listed from a damaged history").arg(all.size())));
    error = store.lastError();
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("damaged"))
            && error.contains(QStringLiteral("move the file aside")),
        qPrintable(error));
}

void TestExportStore::unusableLocationIsExplained()
{
    // The folder that should hold the file is a file.
    const QString blocker = m_dir->filePath(QStringLiteral("blocker"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const QString underFile = blocker + QStringLiteral("/exports.sqlite");
    ExportStore store(underFile);
    QString error;
    QVERIFY(!store.open(&error));
    QVERIFY2(
        error.contains(underFile) && error.contains(QStringLiteral("Cannot create the folder")), qPrintable(error));

    // The file's path is a folder.
    QVERIFY(QDir().mkpath(m_path));
    ExportStore onFolder(m_path);
    QVERIFY(!onFolder.open(&error));
    QVERIFY2(error.contains(m_path) && error.contains(QStringLiteral("is a folder")), qPrintable(error));
    QVERIFY(QDir(m_path).removeRecursively());

    // A read-only file (root writes anyway, so only as another user).
    if (::geteuid() == 0)
        QSKIP("running as root: permissions do not stop writes");
    {
        ExportStore first(m_path);
        QVERIFY(first.open());
    }
    QVERIFY(QFile::setPermissions(m_path, QFile::ReadOwner | QFile::ReadUser));
    ExportStore readOnly(m_path);
    QVERIFY(!readOnly.open(&error));
    QVERIFY2(error.contains(m_path) && error.contains(QStringLiteral("cannot be written")), qPrintable(error));
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
}

QTEST_GUILESS_MAIN(TestExportStore)
#include "tst_exportstore.moc"
