// gls-exporter-cli and the export store: `export` records its export before
// the request is sent; `exports list` shows the store (filtered by status);
// `exports watch` follows pending exports in two stream groups to SUCCEEDED
// and downloads both archives, exits 4 on a FAILED one, and settles rows a
// crash left REQUESTING from GetStreamSession without asking for the export
// again; two CLI processes writing the same store at once leave it whole.
// The real executable against the real gls-emulator over HTTPS, each test
// with its own store file (GLS_EXPORT_STORE).

#include "CliRunner.h"

#include "exports/ExportStore.h"

#include "StoreDamage.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace gls::test;
using gls::exports::ExportRecord;
using gls::exports::ExportStatus;
using gls::exports::ExportStore;

class TestCliExports : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    std::unique_ptr<CliRunner> m_cli;
    QStringList m_groups;
    QTemporaryDir m_tmp;

    QString storePath(const QString &name) const { return m_tmp.filePath(name + QStringLiteral(".sqlite")); }

    QProcessEnvironment storeEnv(const QString &name) const
    {
        QProcessEnvironment env = m_cli->environment();
        env.insert(QStringLiteral("GLS_EXPORT_STORE"), storePath(name));
        return env;
    }

    CliResult exportTo(const QString &store, const QString &group, const QString &session, const QString &output)
    {
        return m_cli->run(QStringList{QStringLiteral("export"), QStringLiteral("--group"), group,
                              QStringLiteral("--session"), session, QStringLiteral("--output"), output}
                + m_cli->endpoint(),
            storeEnv(store));
    }

    QJsonArray listed(const QString &store, const QStringList &more = {})
    {
        const CliResult r = m_cli->run(
            QStringList{QStringLiteral("exports"), QStringLiteral("list"), QStringLiteral("--json")} + more,
            storeEnv(store));
        if (r.exitCode != 0) {
            qWarning().noquote() << r.describe();
            return {};
        }
        const QJsonArray items = r.json().value(QStringLiteral("exports")).toArray();
        if (r.json().value(QStringLiteral("count")).toInt() != items.size())
            return {};
        return items;
    }

    QStringList watchArgs(const QStringList &more = {}) const
    {
        return QStringList{QStringLiteral("exports"), QStringLiteral("watch")} + more + m_cli->endpoint()
            + m_cli->s3Endpoint();
    }

    int requests(const QString &operation) const
    {
        return m_emu->requestCount(operation);
    }

    // PUT /_emulator/faults body: the next `count` ExportStreamSessionFiles get `kind`.
    static QJsonObject oneShot(const QString &kind, int count)
    {
        return QJsonObject{{QStringLiteral("next"),
            QJsonArray{QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("count"), count},
                {QStringLiteral("operation"), QStringLiteral("ExportStreamSessionFiles")}}}}};
    }

    static QString sha256Of(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&f);
        return QString::fromLatin1(hash.result().toHex());
    }

    static QJsonObject bySession(const QJsonArray &items, const QString &session)
    {
        for (const QJsonValue &v : items) {
            if (v.toObject().value(QStringLiteral("sessionId")).toString() == session)
                return v.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("20"),
            QStringLiteral("--groups"), QStringLiteral("2"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0"), QStringLiteral("--time-scale"), QStringLiteral("5"),
            QStringLiteral("--archive-size"), QStringLiteral("200000")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_cli = std::make_unique<CliRunner>(m_emu.get());
        const QJsonArray items
            = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray();
        for (const QJsonValue &v : items)
            m_groups.append(v.toObject().value(QStringLiteral("Id")).toString());
        QCOMPARE(m_groups.size(), 2);
        QVERIFY(m_tmp.isValid());
    }

    void exportWritesAPendingRow()
    {
        const QString id = newSession(*m_emu, m_groups[0]);
        const QString output = QStringLiteral("s3://gls-exports/store/%1.zip").arg(id);
        const CliResult r = exportTo(QStringLiteral("pending"), m_groups[0], id, output);
        QVERIFY2(r.exitCode == 0, r.describe());

        const QJsonArray items = listed(QStringLiteral("pending"));
        QCOMPARE(items.size(), 1);
        const QJsonObject row = items.first().toObject();
        QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
        QCOMPARE(row.value(QStringLiteral("sessionId")).toString(), id);
        QVERIFY(row.value(QStringLiteral("sessionArn")).toString().endsWith(u'/' + id));
        QCOMPARE(row.value(QStringLiteral("streamGroupId")).toString(), m_groups[0]);
        QCOMPARE(row.value(QStringLiteral("requestedUri")).toString(), output);
        QCOMPARE(row.value(QStringLiteral("profile")).toString(), QString()); // the default chain
        QCOMPARE(row.value(QStringLiteral("region")).toString(), QStringLiteral("us-west-2"));
        QCOMPARE(row.value(QStringLiteral("source")).toString(), QStringLiteral("APP"));
        QVERIFY(!row.value(QStringLiteral("requestedAt")).toString().isEmpty());

        // The table for people.
        const CliResult table
            = m_cli->run({QStringLiteral("exports"), QStringLiteral("list")}, storeEnv(QStringLiteral("pending")));
        QVERIFY2(table.exitCode == 0, table.describe());
        QVERIFY2(table.out.contains(id.toUtf8()) && table.out.contains("PENDING") && table.out.contains("app"),
            table.describe());

        // Another Region's view of the same store is empty, unless every profile is asked for.
        QCOMPARE(
            listed(QStringLiteral("pending"), {QStringLiteral("--region"), QStringLiteral("eu-west-1")}).size(), 0);
        QCOMPARE(listed(QStringLiteral("pending"),
                     {QStringLiteral("--region"), QStringLiteral("eu-west-1"), QStringLiteral("--all-profiles")})
                     .size(),
            1);
    }

    void aLostAnswerIsCheckedWithTheService()
    {
        // The service carries the export out but every answer is cut off: 3 tries, each of which Qt may send
        // up to four times, as it resends a request on a connection closed under it up to three times, more
        // or fewer depending on timing (twice each here, three times sometimes under the sanitizers, where
        // the connection opened ahead by `export` is still being set up): 12 resets.
        // `export` asks the session, finds the export PENDING, and says so; the row is PENDING, not FAILED.
        const QString id = newSession(*m_emu, m_groups[0]);
        QCOMPARE(m_emu->control("PUT", "faults", oneShot(QStringLiteral("reset"), 12)).status, 200);
        const CliResult r = exportTo(QStringLiteral("lost-answer"), m_groups[0], id, QStringLiteral("s3://gls-exports/lost-answer/"));
        m_emu->control("DELETE", "faults");
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY2(r.err.contains("asking the service whether it got it"), r.describe());
        QCOMPARE(exportStatus(*m_emu, m_groups[0], id), QStringLiteral("PENDING"));
        QJsonArray items = listed(QStringLiteral("lost-answer"));
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));

        // The first try is carried out and its answer lost, the retries are throttled: the last answer
        // says "Rate exceeded", yet the export is under way. The session says so; the row is PENDING.
        const QString throttled = newSession(*m_emu, m_groups[0]);
        QJsonObject faults = oneShot(QStringLiteral("reset"), 2);
        QJsonArray next = faults.value(QStringLiteral("next")).toArray();
        next.append(oneShot(QStringLiteral("throttle"), 4).value(QStringLiteral("next")).toArray().at(0));
        faults.insert(QStringLiteral("next"), next);
        QCOMPARE(m_emu->control("PUT", "faults", faults).status, 200);
        const CliResult late = exportTo(QStringLiteral("lost-answer"), m_groups[0], throttled, QStringLiteral("s3://gls-exports/lost-answer/"));
        m_emu->control("DELETE", "faults");
        QVERIFY2(late.exitCode == 0, late.describe());
        QCOMPARE(exportStatus(*m_emu, m_groups[0], throttled), QStringLiteral("PENDING"));
        QCOMPARE(bySession(listed(QStringLiteral("lost-answer")), throttled).value(QStringLiteral("status")).toString(),
            QStringLiteral("PENDING"));

        // 503 three times: the service did nothing; the row is FAILED with the service's answer, exit 3.
        const QString other = newSession(*m_emu, m_groups[0]);
        QCOMPARE(m_emu->control("PUT", "faults", oneShot(QStringLiteral("503"), 3)).status, 200);
        const CliResult refused = exportTo(QStringLiteral("lost-answer"), m_groups[0], other, QStringLiteral("s3://gls-exports/lost-answer/"));
        m_emu->control("DELETE", "faults");
        QVERIFY2(refused.exitCode == 3, refused.describe());
        QCOMPARE(exportStatus(*m_emu, m_groups[0], other), QString());
        items = listed(QStringLiteral("lost-answer"));
        QCOMPARE(items.size(), 3);
        QCOMPARE(bySession(items, other).value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
    }

    void statusFiltersTheList()
    {
        const QString pending = newSession(*m_emu, m_groups[0]);
        QVERIFY2(
            exportTo(QStringLiteral("filter"), m_groups[0], pending, QStringLiteral("s3://gls-exports/f/")).exitCode
                == 0,
            "export");
        // An ended session is refused by the service: the row is FAILED with the service's message.
        const QString ended = newSession(*m_emu, m_groups[0]);
        QVERIFY(endSession(*m_emu, ended));
        const CliResult refused
            = exportTo(QStringLiteral("filter"), m_groups[0], ended, QStringLiteral("s3://gls-exports/f/"));
        QCOMPARE(refused.exitCode, 3);

        const QJsonArray failed
            = listed(QStringLiteral("filter"), {QStringLiteral("--status"), QStringLiteral("FAILED")});
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().toObject().value(QStringLiteral("sessionId")).toString(), ended);
        QVERIFY(!failed.first().toObject().value(QStringLiteral("statusReason")).toString().isEmpty());
        const QJsonArray open
            = listed(QStringLiteral("filter"), {QStringLiteral("--status"), QStringLiteral("PENDING")});
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().toObject().value(QStringLiteral("sessionId")).toString(), pending);
        const QJsonArray all = listed(QStringLiteral("filter"));
        QCOMPARE(all.size(), 2);
        // Newest first.
        QCOMPARE(all.first().toObject().value(QStringLiteral("sessionId")).toString(), ended);

        const CliResult bad = m_cli->run(
            {QStringLiteral("exports"), QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("DONE")},
            storeEnv(QStringLiteral("filter")));
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--status: 'DONE' is not an export status; use REQUESTING, PENDING, SUCCEEDED, "
                                  "FAILED or UNKNOWN"),
            bad.describe());
    }

    // A history damaged where opening it does not look: `exports list` says
    // so and exits 1, instead of listing part of it or nothing.
    void aDamagedHistoryIsReportedNotListed()
    {
        const QString path = storePath(QStringLiteral("damaged"));
        QString why;
        QVERIFY2(writeDamagedHistory(path, m_groups[0], &why), qPrintable(why));

        for (const QStringList &more : {QStringList(), QStringList{QStringLiteral("--all-profiles")}}) {
            const CliResult r = m_cli->run(
                QStringList{QStringLiteral("exports"), QStringLiteral("list"), QStringLiteral("--json")} + more,
                storeEnv(QStringLiteral("damaged")));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(
                r.err.contains(path.toUtf8()) && r.err.contains("is damaged") && r.err.contains("move the file aside"),
                qPrintable(r.describe()));
            QVERIFY2(!r.out.contains("\"exports\""), qPrintable(r.describe()));
        }
    }

    void refreshFindsExportsRequestedElsewhere()
    {
        const QString store = QStringLiteral("refresh");
        const QString ours = newSession(*m_emu, m_groups[1]);
        QVERIFY2(exportTo(store, m_groups[1], ours, QStringLiteral("s3://gls-exports/ours/")).exitCode == 0, "export");
        // Asked for with another client (the console, the AWS CLI).
        const QString theirs = newSession(*m_emu, m_groups[1]);
        QCOMPARE(requestExport(*m_emu, m_groups[1], theirs, QStringLiteral("s3://gls-exports/theirs/")), 200);
        QCOMPARE(listed(store).size(), 1);

        const QJsonArray items = listed(store, QStringList{QStringLiteral("--refresh")} + m_cli->endpoint());
        const QJsonObject found = bySession(items, theirs);
        QCOMPARE(found.value(QStringLiteral("source")).toString(), QStringLiteral("ELSEWHERE"));
        QCOMPARE(found.value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
        // Our own export is the same row as before (its session ARN was recorded), not a second one.
        int oursRows = 0;
        for (const QJsonValue &v : items)
            oursRows += v.toObject().value(QStringLiteral("sessionId")).toString() == ours;
        QCOMPARE(oursRows, 1);
        QCOMPARE(bySession(items, ours).value(QStringLiteral("source")).toString(), QStringLiteral("APP"));
    }

    void watchDownloadsExportsOfTwoGroups()
    {
        const QString store = QStringLiteral("watch");
        QStringList sessions;
        for (const QString &group : std::as_const(m_groups)) {
            const QString id = newSession(*m_emu, group);
            sessions.append(id);
            const CliResult r = exportTo(store, group, id, QStringLiteral("s3://gls-exports/watch/%1.zip").arg(id));
            QVERIFY2(r.exitCode == 0, r.describe());
        }
        const QString dir = m_tmp.filePath(QStringLiteral("watched"));
        const int listingsBefore = requests(QStringLiteral("ListStreamSessions"));
        const std::unique_ptr<QProcess> watch = m_cli->start(
            watchArgs({QStringLiteral("--download"), dir, QStringLiteral("--timeout"), QStringLiteral("120")}),
            storeEnv(store));
        // The watch has looked at both groups: the sessions still run, so their exports are PENDING.
        QVERIFY(QTest::qWaitFor(
            [&] { return requests(QStringLiteral("ListStreamSessions")) >= listingsBefore + 2; }, 30000));
        for (const QString &id : std::as_const(sessions))
            QVERIFY(endSession(*m_emu, id));
        const CliResult r = CliRunner::collect(watch.get(), 120000);
        QVERIFY2(r.exitCode == 0, r.describe());
        QCOMPARE(r.out.count("PENDING -> SUCCEEDED s3://gls-exports/watch/"), 2);
        QCOMPARE(r.out.count("Downloaded "), 2);

        const QJsonArray items = listed(store);
        QCOMPARE(items.size(), 2);
        for (const QString &id : std::as_const(sessions)) {
            const QString path = QDir(dir).filePath(id + QStringLiteral(".zip"));
            QVERIFY2(QFileInfo::exists(path), qPrintable(path));
            QVERIFY(!QFileInfo::exists(path + QStringLiteral(".part")));
            const HttpResult head = m_emu->s3("HEAD", "/gls-exports/watch/" + id.toLatin1() + ".zip");
            QCOMPARE(head.status, 200);
            QCOMPARE(QFileInfo(path).size(), head.header("content-length").toLongLong());
            const QJsonObject row = bySession(items, id);
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
            QCOMPARE(row.value(QStringLiteral("outputUri")).toString(),
                QStringLiteral("s3://gls-exports/watch/%1.zip").arg(id));
            QVERIFY(!row.value(QStringLiteral("finishedAt")).toString().isEmpty());
            const QJsonObject download = row.value(QStringLiteral("download")).toObject();
            QCOMPARE(download.value(QStringLiteral("state")).toString(), QStringLiteral("DONE"));
            QCOMPARE(download.value(QStringLiteral("path")).toString(), path);
            QCOMPARE(download.value(QStringLiteral("sha256")).toString(), sha256Of(path));
            QCOMPARE(download.value(QStringLiteral("bytes")).toInteger(), QFileInfo(path).size());
        }

        // Nothing pending any more: a second watch ends at once.
        const CliResult again = m_cli->run(watchArgs({QStringLiteral("--json")}), storeEnv(store));
        QVERIFY2(again.exitCode == 0, again.describe());
        QCOMPARE(again.json().value(QStringLiteral("count")).toInt(), 0);
    }

    void watchExitsFourWhenAnExportFails()
    {
        const QString store = QStringLiteral("failed");
        const QString id = newSession(*m_emu, m_groups[1]);
        const CliResult r = exportTo(store, m_groups[1], id, QStringLiteral("s3://no-such-bucket-here/w/"));
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY(endSession(*m_emu, id));
        const CliResult watch
            = m_cli->run(watchArgs({QStringLiteral("--timeout"), QStringLiteral("90")}), storeEnv(store), 120000);
        QCOMPARE(watch.exitCode, 4);
        QVERIFY2(
            watch.out.contains("PENDING -> FAILED: ") && watch.out.contains("no-such-bucket-here"), watch.describe());
        QVERIFY2(watch.err.contains("1 export(s) ended FAILED"), watch.describe());
        const QJsonObject row = listed(store).first().toObject();
        QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QVERIFY(row.value(QStringLiteral("statusReason")).toString().contains(QLatin1String("no-such-bucket-here")));
    }

    void watchSettlesInterruptedRowsWithoutAskingAgain()
    {
        const QString store = QStringLiteral("interrupted");
        const QString group = m_groups[0];
        // A: the request reached the service before the crash (sent here with the harness's own client).
        const QString reached = newSession(*m_emu, group);
        const QString reachedUri = QStringLiteral("s3://gls-exports/crash/%1.zip").arg(reached);
        QCOMPARE(requestExport(*m_emu, group, reached, reachedUri), 200);
        QVERIFY(endSession(*m_emu, reached));
        // B: the request never left.
        const QString lost = newSession(*m_emu, group);
        {
            ExportStore s(storePath(store));
            QVERIFY2(s.open(), qPrintable(s.lastError()));
            for (const auto &[session, uri] :
                {std::pair{reached, reachedUri}, std::pair{lost, QStringLiteral("s3://gls-exports/crash/lost/")}}) {
                ExportRecord r;
                r.region = QStringLiteral("us-west-2");
                r.streamGroupId = group;
                r.sessionId = session;
                r.requestedUri = uri;
                r.requestedAt = QDateTime::currentDateTimeUtc().addSecs(-3600);
                QVERIFY(s.beginRequest(r).has_value());
            }
            QCOMPARE(s.pending().size(), 2);
        }
        const int exportsBefore = requests(QStringLiteral("ExportStreamSessionFiles"));
        const int getsBefore = requests(QStringLiteral("GetStreamSession"));
        const CliResult watch
            = m_cli->run(watchArgs({QStringLiteral("--json"), QStringLiteral("--timeout"), QStringLiteral("90")}),
                storeEnv(store), 120000);
        QCOMPARE(watch.exitCode, 4); // the lost request is FAILED: the user may ask again, the CLI never does
        QCOMPARE(requests(QStringLiteral("ExportStreamSessionFiles")), exportsBefore);
        QVERIFY(requests(QStringLiteral("GetStreamSession")) >= getsBefore + 2);

        const QJsonArray items = watch.json().value(QStringLiteral("exports")).toArray();
        QCOMPARE(items.size(), 2);
        const QJsonObject a = bySession(items, reached);
        QCOMPARE(a.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QCOMPARE(a.value(QStringLiteral("outputUri")).toString(), reachedUri);
        const QJsonObject b = bySession(items, lost);
        QCOMPARE(b.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QVERIFY(!b.value(QStringLiteral("statusReason")).toString().isEmpty());
        QCOMPARE(exportStatus(*m_emu, group, lost), QString()); // still never asked for
    }

    void twoProcessesShareOneStore()
    {
        const QString store = QStringLiteral("shared");
        QStringList sessions;
        std::vector<std::unique_ptr<QProcess>> running;
        for (int i = 0; i < 4; ++i) {
            const QString group = m_groups[i % 2];
            const QString id = newSession(*m_emu, group);
            sessions.append(id);
            running.push_back(m_cli->start(
                QStringList{QStringLiteral("export"), QStringLiteral("--group"), group, QStringLiteral("--session"), id,
                    QStringLiteral("--output"), QStringLiteral("s3://gls-exports/shared/")}
                    + m_cli->endpoint(),
                storeEnv(store)));
            running.push_back(m_cli->start(
                {QStringLiteral("exports"), QStringLiteral("list"), QStringLiteral("--json")}, storeEnv(store)));
        }
        for (const std::unique_ptr<QProcess> &p : running) {
            const CliResult r = CliRunner::collect(p.get());
            QVERIFY2(r.exitCode == 0, r.describe());
        }
        const QJsonArray items = listed(store);
        QCOMPARE(items.size(), 4);
        QSet<qint64> ids;
        for (const QString &id : std::as_const(sessions)) {
            const QJsonObject row = bySession(items, id);
            QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("PENDING"));
            ids.insert(row.value(QStringLiteral("id")).toInteger());
        }
        QCOMPARE(ids.size(), 4);

        ExportStore s(storePath(store));
        QVERIFY(s.open());
        QCOMPARE(s.pending().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestCliExports)
#include "tst_cli_exports.moc"
