// gls-exporter-cli, the real executable, against the real gls-emulator over
// HTTPS: help and version, groups and sessions (every page of 1,100 sessions,
// tables and --json), one session's details, each service error by name with
// exit 3, bad input with exit 2 naming the option, the emulator's certificate
// refused without --ca-bundle (exit 5), AWS_MAX_ATTEMPTS, and --debug never
// showing the secret key or the session token.

#include "CliRunner.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QSet>
#include <QTest>

using namespace gls::test;

namespace {

const QString kTokenKeyId = QStringLiteral("AKIDTESTSESSIONTOKEN");
const QString kTokenSecret = QStringLiteral("cli-test-secret-with-token-Zq81");
const QString kToken = QStringLiteral("FwoGZXIvYXdzEBcliTestSessionToken0123456789+/=");

QStringList args(std::initializer_list<QString> list, const QStringList &more = {})
{
    return QStringList(list) + more;
}

} // namespace

class TestCliListing : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    std::unique_ptr<CliRunner> m_cli;

    // Every item of a raw listing, following NextToken.
    QJsonArray rawListing(const QByteArray &path, const QByteArray &filter = {})
    {
        QJsonArray all;
        QByteArray token;
        do {
            QByteArray query = "MaxResults=100" + (filter.isEmpty() ? QByteArray() : '&' + filter);
            if (!token.isEmpty())
                query += "&NextToken=" + gls::sigv4::uriEncode(token, true);
            const QJsonObject page = m_emu->gamelift("GET", path, query).json();
            for (const QJsonValue &v : page.value(QStringLiteral("Items")).toArray())
                all.append(v);
            token = page.value(QStringLiteral("NextToken")).toString().toUtf8();
        } while (!token.isEmpty());
        return all;
    }

    QStringList cli(std::initializer_list<QString> list) const { return QStringList(list) + m_cli->endpoint(); }

    // The emulator's sessions change status as time passes: a listing compared
    // with the CLI's, a moment later, can differ by a session or two. Slowed a
    // millionfold until the guard goes, they stay as they are.
    auto emulatorClockHeld()
    {
        const double scale = holdClock(*m_emu);
        return qScopeGuard([this, scale] { setTimeScale(*m_emu, scale); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("1100"),
            QStringLiteral("--groups"), QStringLiteral("4"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0"), QStringLiteral("--access-key"),
            kTokenKeyId + u':' + kTokenSecret + u':' + kToken});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_cli = std::make_unique<CliRunner>(m_emu.get());
    }

    void versionAndHelp()
    {
        const CliResult version = m_cli->run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QByteArray("gls-exporter-cli " GLS_VERSION));

        const CliResult help = m_cli->run({QStringLiteral("help"), QStringLiteral("export")});
        QCOMPARE(help.exitCode, 0);
        const CliResult flag = m_cli->run({QStringLiteral("export"), QStringLiteral("--help")});
        QCOMPARE(flag.exitCode, 0);
        QCOMPARE(flag.out, help.out);
        for (const char *expected : {"Usage: gls-exporter-cli export", "--timeout SECONDS", "--download DIR",
                 "--endpoint-url URL", "Exit codes:", "4    the export ended FAILED"})
            QVERIFY2(help.out.contains(expected), expected);

        const CliResult general = m_cli->run({QStringLiteral("--help")});
        QCOMPARE(general.exitCode, 0);
        for (const char *command : {"groups", "sessions", "session", "export", "download", "presign", "terminate"})
            QVERIFY2(general.out.contains(QByteArray("\n  ") + command + ' '), command);

        const CliResult nothing = m_cli->run({});
        QCOMPARE(nothing.exitCode, 2);
        QVERIFY(nothing.err.contains("Usage:"));
    }

    void groupsAsTableAndJson()
    {
        const QJsonArray raw = rawListing("/streamgroups");
        QVERIFY(!raw.isEmpty());

        const CliResult json = m_cli->run(cli({QStringLiteral("groups"), QStringLiteral("--json")}));
        QVERIFY2(json.exitCode == 0, json.describe());
        const QJsonArray groups = json.json().value(QStringLiteral("streamGroups")).toArray();
        QCOMPARE(json.json().value(QStringLiteral("count")).toInt(), raw.size());
        QCOMPARE(groups.size(), raw.size());
        QSet<QString> rawIds;
        for (const QJsonValue &g : raw)
            rawIds.insert(g.toObject().value(QStringLiteral("Id")).toString());
        for (const QJsonValue &g : groups) {
            const QJsonObject o = g.toObject();
            QVERIFY(rawIds.contains(o.value(QStringLiteral("id")).toString()));
            for (const char *key : {"arn", "description", "status", "streamClass", "defaultApplication", "createdAt",
                     "lastUpdatedAt", "expiresAt"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
        }

        const CliResult table = m_cli->run(cli({QStringLiteral("groups")}));
        QVERIFY2(table.exitCode == 0, table.describe());
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), raw.size() + 1);
        QVERIFY(lines.first().startsWith("Id"));
        QVERIFY(lines.first().contains("Stream class"));
        QVERIFY2(!table.out.contains('\x1b'), "no colours when stdout is not a terminal");
        for (const QString &id : std::as_const(rawIds))
            QVERIFY(table.out.contains(id.toUtf8()));
        QVERIFY(table.err.isEmpty());
    }

    void sessionsAcrossTheAccount()
    {
        const QJsonArray raw = rawListing("/streamsessions");
        QVERIFY(raw.size() >= 1000);

        const CliResult json = m_cli->run(cli({QStringLiteral("sessions"), QStringLiteral("--json")}));
        QVERIFY2(json.exitCode == 0, json.describe());
        const QJsonArray sessions = json.json().value(QStringLiteral("streamSessions")).toArray();
        QCOMPARE(sessions.size(), raw.size());
        QCOMPARE(json.json().value(QStringLiteral("count")).toInt(), raw.size());
        QSet<QString> ids;
        for (const QJsonValue &s : sessions)
            ids.insert(s.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(ids.size(), raw.size());
        // Newest first, whatever order the groups' pages came in. (The same
        // second is not the same time: the order within it is not visible here.)
        for (qsizetype i = 1; i < sessions.size(); ++i) {
            // ISO 8601 in UTC: sorts as text.
            const QString a = sessions.at(i - 1).toObject().value(QStringLiteral("createdAt")).toString();
            const QString b = sessions.at(i).toObject().value(QStringLiteral("createdAt")).toString();
            QVERIFY2(a >= b, qPrintable(QStringLiteral("session %1 (%2) before %3 (%4)").arg(i - 1).arg(a).arg(i).arg(b)));
        }
        QVERIFY2(json.err.isEmpty(), json.err.constData()); // no progress when stderr is not a terminal

        const CliResult table = m_cli->run(cli({QStringLiteral("sessions")}));
        QVERIFY2(table.exitCode == 0, table.describe());
        const QList<QByteArray> lines = table.out.trimmed().split('\n');
        QCOMPARE(lines.size(), raw.size() + 1);
        for (const char *column : {"Session ID", "Group", "Status", "User", "Location", "Created", "Export"})
            QVERIFY2(lines.first().contains(column), column);
    }

    void sessionsAsJsonWhenTheGroupRouteIsRefusedMidway()
    {
        // A policy that takes ListStreamSessions away while the listing is under
        // way (ListStreamSessionsByAccount still allowed): the groups' first pages
        // have been written when the next ones are refused, the listing starts over
        // account-wide, and the document holds each session once, not those pages
        // twice. Every ListStreamSessions answer (and refusal) takes 1 s, so the
        // first pages are in before any refusal.
        const QJsonArray raw = rawListing("/streamsessions");
        const auto restore = qScopeGuard([this] {
            deny(*m_emu);
            m_emu->control("DELETE", "faults");
        });
        QCOMPARE(m_emu->control("DELETE", "stats").status, 200);
        const QString list = QStringLiteral("ListStreamSessions");
        QVERIFY(delayAnswers(*m_emu, list, 1000));
        const std::unique_ptr<QProcess> process
            = m_cli->start(cli({QStringLiteral("sessions"), QStringLiteral("--json")}));
        QTRY_VERIFY_WITH_TIMEOUT(answered(*m_emu, list, 200) >= 1, 30000);
        QVERIFY(deny(*m_emu, {QStringLiteral("gameliftstreams:ListStreamSessions")}));
        const CliResult json = CliRunner::collect(process.get());
        QVERIFY2(json.exitCode == 0, json.describe());
        // The route was refused midway and the account-wide listing used.
        QVERIFY(answered(*m_emu, list, 403) >= 1);
        QVERIFY(m_emu->requestCount(QStringLiteral("ListStreamSessionsByAccount")) >= 1);

        const QJsonArray sessions = json.json().value(QStringLiteral("streamSessions")).toArray();
        QCOMPARE(json.json().value(QStringLiteral("count")).toInt(), raw.size());
        QCOMPARE(sessions.size(), raw.size());
        QSet<QString> listed;
        for (const QJsonValue &s : sessions)
            listed.insert(s.toObject().value(QStringLiteral("arn")).toString());
        QSet<QString> expected;
        for (const QJsonValue &s : raw)
            expected.insert(s.toObject().value(QStringLiteral("Arn")).toString());
        QCOMPARE(listed, expected);
    }

    void sessionsOfOneGroupFiltered()
    {
        const auto held = emulatorClockHeld();
        const QString group = firstStreamGroupId(*m_emu);
        const QJsonArray raw = rawListing("/streamgroups/" + label(group) + "/streamsessions", "Status=CONNECTED");
        const CliResult r = m_cli->run(cli({QStringLiteral("sessions"), QStringLiteral("--group"), group,
            QStringLiteral("--status"), QStringLiteral("CONNECTED"), QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonArray sessions = r.json().value(QStringLiteral("streamSessions")).toArray();
        QCOMPARE(sessions.size(), raw.size());
        for (const QJsonValue &s : sessions) {
            QCOMPARE(s.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("CONNECTED"));
            QCOMPARE(s.toObject().value(QStringLiteral("streamGroupId")).toString(), group);
        }

        const CliResult exported = m_cli->run(cli({QStringLiteral("sessions"), QStringLiteral("--export-status"),
            QStringLiteral("SUCCEEDED"), QStringLiteral("--json")}));
        QVERIFY2(exported.exitCode == 0, exported.describe());
        QCOMPARE(exported.json().value(QStringLiteral("count")).toInt(),
            rawListing("/streamsessions", "ExportFilesStatus=SUCCEEDED").size());
    }

    void sessionDetailsWithItsExport()
    {
        // A session with a finished export, made through the emulator.
        const QString group = firstStreamGroupId(*m_emu);
        const QString id = newSession(*m_emu, group);
        const QByteArray path = sessionPath(group, id);
        QCOMPARE(
            m_emu->gamelift("PUT", path + "/exportfiles", {}, "{\"OutputUri\": \"s3://gls-exports/details/\"}").status,
            200);
        QVERIFY(endSession(*m_emu, id));
        QTRY_COMPARE_WITH_TIMEOUT(exportStatus(*m_emu, group, id), QStringLiteral("SUCCEEDED"), 30000);
        const QJsonObject raw = m_emu->gamelift("GET", path).json();
        const QString arn = raw.value(QStringLiteral("Arn")).toString();
        const QString outputUri
            = raw.value(QStringLiteral("ExportFilesMetadata")).toObject().value(QStringLiteral("OutputUri")).toString();
        QVERIFY(!outputUri.isEmpty());

        const CliResult json = m_cli->run(cli({QStringLiteral("session"), QStringLiteral("--group"), group,
            QStringLiteral("--session"), id, QStringLiteral("--json")}));
        QVERIFY2(json.exitCode == 0, json.describe());
        const QJsonObject s = json.json();
        QCOMPARE(s.value(QStringLiteral("arn")).toString(), arn);
        QCOMPARE(s.value(QStringLiteral("status")).toString(), raw.value(QStringLiteral("Status")).toString());
        const QJsonObject exp = s.value(QStringLiteral("export")).toObject();
        QCOMPARE(exp.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QCOMPARE(exp.value(QStringLiteral("outputUri")).toString(), outputUri);

        // With the session ARN alone (it names the group), as text for people.
        const CliResult text = m_cli->run(cli({QStringLiteral("session"), QStringLiteral("--session"), arn}));
        QVERIFY2(text.exitCode == 0, text.describe());
        QVERIFY(text.out.contains("Export status         SUCCEEDED") || text.out.contains("SUCCEEDED"));
        QVERIFY(text.out.contains(outputUri.toUtf8()));

        // The sensitive members never appear, whatever the service sent.
        for (const char *member : {"SignalRequest", "SignalResponse", "RoleArn"}) {
            const QString value = raw.value(QLatin1String(member)).toString();
            for (const QByteArray &out : {json.out, json.err, text.out, text.err}) {
                QVERIFY(!out.contains(member));
                if (!value.isEmpty())
                    QVERIFY2(!out.contains(value.toUtf8()), member);
            }
        }
        QVERIFY(!json.out.contains("signal") && !json.out.contains("roleArn"));
    }

    void serviceErrorsByName()
    {
        const QString group = firstStreamGroupId(*m_emu);
        const CliResult missing = m_cli->run(cli({QStringLiteral("session"), QStringLiteral("--group"), group,
            QStringLiteral("--session"), QStringLiteral("NoSuchSession1")}));
        QCOMPARE(missing.exitCode, 3);
        QVERIFY2(missing.err.contains("GetStreamSession failed: ResourceNotFoundException (HTTP 404)"), missing.err);
        QVERIFY(missing.err.contains("[request id "));

        QVERIFY(deny(*m_emu, {QStringLiteral("gameliftstreams:ListStreamGroups")}));
        const CliResult denied = m_cli->run(cli({QStringLiteral("groups"), QStringLiteral("--json")}));
        QVERIFY(deny(*m_emu));
        QCOMPARE(denied.exitCode, 3);
        QVERIFY(denied.out.isEmpty());
        const QJsonObject e = denied.errorJson().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("AccessDeniedException"));
        QCOMPARE(e.value(QStringLiteral("operation")).toString(), QStringLiteral("ListStreamGroups"));
        QCOMPARE(e.value(QStringLiteral("httpStatus")).toInt(), 403);
        QCOMPARE(e.value(QStringLiteral("exitCode")).toInt(), 3);
        QVERIFY(!e.value(QStringLiteral("requestId")).toString().isEmpty());
        QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
    }

    void wrongSecretIsInvalidSignature()
    {
        QProcessEnvironment env = m_cli->environment();
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("not-the-right-secret"));
        const CliResult r = m_cli->run(cli({QStringLiteral("groups")}), env);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("InvalidSignatureException"), r.err);
        QVERIFY(!r.err.contains("not-the-right-secret"));
    }

    void untrustedCertificateIsRefused()
    {
        const CliResult r = m_cli->run(args({QStringLiteral("groups")}, m_cli->endpoint(false)));
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains("TlsError") && r.err.contains("--ca-bundle"), r.err);

        // AWS_CA_BUNDLE does what --ca-bundle does.
        QProcessEnvironment env = m_cli->environment();
        env.insert(QStringLiteral("AWS_CA_BUNDLE"), m_emu->caPath());
        QCOMPARE(m_cli->run(args({QStringLiteral("groups")}, m_cli->endpoint(false)), env).exitCode, 0);
    }

    void badInputNamesTheOption_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("named");
        const auto row = [](const char *name, QStringList a, const char *named) {
            QTest::newRow(name) << a << QString::fromLatin1(named);
        };
        row("identifier",
            {QStringLiteral("session"), QStringLiteral("--group"), QStringLiteral("sg 1"), QStringLiteral("--session"),
                QStringLiteral("ABC")},
            "--group");
        row("session arn", {QStringLiteral("session"), QStringLiteral("--session"), QStringLiteral("arn:aws:s3:::x")},
            "--session");
        row("no group", {QStringLiteral("session"), QStringLiteral("--session"), QStringLiteral("ABC123")}, "--group");
        row("status", {QStringLiteral("sessions"), QStringLiteral("--status"), QStringLiteral("RUNNING")}, "--status");
        row("export status", {QStringLiteral("sessions"), QStringLiteral("--export-status"), QStringLiteral("done")},
            "--export-status");
        row("expires zero",
            {QStringLiteral("presign"), QStringLiteral("s3://gls-exports/a.zip"), QStringLiteral("--expires"),
                QStringLiteral("0")},
            "--expires");
        row("expires too long",
            {QStringLiteral("presign"), QStringLiteral("s3://gls-exports/a.zip"), QStringLiteral("--expires"),
                QStringLiteral("604801")},
            "--expires");
        row("expires text",
            {QStringLiteral("presign"), QStringLiteral("s3://gls-exports/a.zip"), QStringLiteral("--expires=soon")},
            "--expires");
        row("presign folder", {QStringLiteral("presign"), QStringLiteral("s3://gls-exports/qa/")}, "S3 URI");
        row("bucket", {QStringLiteral("download"), QStringLiteral("s3://Bad_Bucket/a.zip")}, "bucket name");
        row("unknown option", {QStringLiteral("groups"), QStringLiteral("--colour")}, "--colour");
        row("option of another command", {QStringLiteral("groups"), QStringLiteral("--yes")}, "--yes");
        row("unknown command", {QStringLiteral("sesions")}, "sesions");
        row("profile", {QStringLiteral("groups"), QStringLiteral("--profile"), QStringLiteral("qa")},
            "--profile: No profile named \"qa\"");
        row("ca bundle",
            {QStringLiteral("groups"), QStringLiteral("--ca-bundle"), QStringLiteral("/nonexistent/ca.pem")},
            "--ca-bundle");
        row("fips with endpoint", {QStringLiteral("groups"), QStringLiteral("--fips")}, "FIPS");
    }

    void badInputNamesTheOption()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, named);
        // The endpoint is the emulator's: nothing may reach it, but if it did the test would see a 2xx.
        QStringList all = arguments;
        if (!arguments.contains(QStringLiteral("--ca-bundle")))
            all += m_cli->endpoint();
        else
            all += {QStringLiteral("--endpoint-url"), m_emu->gameliftUrl()};
        const CliResult r = m_cli->run(all);
        QVERIFY2(r.exitCode == 2, r.describe());
        QVERIFY2(r.err.contains(named.toUtf8()), r.describe());
        QVERIFY(r.out.isEmpty());

        const CliResult json = m_cli->run(all + QStringList{QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 2);
        QCOMPARE(
            json.errorJson().value(QStringLiteral("error")).toObject().value(QStringLiteral("exitCode")).toInt(), 2);
    }

    void configurationProblemsAreBadInput()
    {
        QProcessEnvironment noRegion = m_cli->environment();
        noRegion.remove(QStringLiteral("AWS_DEFAULT_REGION"));
        const CliResult region = m_cli->run(cli({QStringLiteral("groups")}), noRegion);
        QCOMPARE(region.exitCode, 2);
        QVERIFY2(region.err.contains("--region"), region.err);
        // --region and AWS_REGION count too.
        QCOMPARE(m_cli
                     ->run(cli({QStringLiteral("groups"), QStringLiteral("--region"), QStringLiteral("us-west-2")}),
                         noRegion)
                     .exitCode,
            0);

        QProcessEnvironment noKeys = m_cli->environment();
        noKeys.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        const CliResult keys = m_cli->run(cli({QStringLiteral("groups")}), noKeys);
        QCOMPARE(keys.exitCode, 2);
        QVERIFY2(keys.err.contains("AWS_SECRET_ACCESS_KEY"), keys.err);
    }

    void maxAttemptsIsRespected()
    {
        const QJsonObject oneShot{{QStringLiteral("next"),
            QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("503")}, {QStringLiteral("count"), 1},
                {QStringLiteral("operation"), QStringLiteral("ListStreamGroups")}}}}};
        QCOMPARE(m_emu->control("PUT", "faults", oneShot).status, 200);
        const CliResult retried = m_cli->run(cli({QStringLiteral("groups")}));
        QVERIFY2(retried.exitCode == 0, retried.describe());

        QCOMPARE(m_emu->control("PUT", "faults", oneShot).status, 200);
        QProcessEnvironment once = m_cli->environment();
        once.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("1"));
        const CliResult single = m_cli->run(cli({QStringLiteral("groups")}), once);
        m_emu->control("DELETE", "faults");
        QCOMPARE(single.exitCode, 3);
        QVERIFY2(single.err.contains("HTTP 503"), single.err);
    }

    void debugNeverShowsSecrets()
    {
        QProcessEnvironment env = m_cli->environment();
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), kTokenKeyId);
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), kTokenSecret);
        env.insert(QStringLiteral("AWS_SESSION_TOKEN"), kToken);
        const QJsonObject first = rawListing("/streamsessions").at(0).toObject();
        const QString arn = first.value(QStringLiteral("Arn")).toString();
        const QString group = firstStreamGroupId(*m_emu);
        const QString fresh = newSession(*m_emu, group);
        const QList<QStringList> runs{
            cli({QStringLiteral("groups"), QStringLiteral("--debug")}),
            cli({QStringLiteral("sessions"), QStringLiteral("--debug"), QStringLiteral("--json")}),
            cli({QStringLiteral("session"), QStringLiteral("--session"), arn, QStringLiteral("--debug")}),
            cli({QStringLiteral("session"), QStringLiteral("--session"), arn + QStringLiteral("x"),
                QStringLiteral("--debug")}),
            cli({QStringLiteral("export"), QStringLiteral("--group"), group, QStringLiteral("--session"), fresh,
                QStringLiteral("--output"), QStringLiteral("s3://gls-exports/debug/"), QStringLiteral("--debug")}),
        };
        for (const QStringList &a : runs) {
            const CliResult r = m_cli->run(a, env);
            QVERIFY2(r.exitCode == 0 || r.exitCode == 3, r.describe());
            QVERIFY2(r.err.contains("-- canonical request --") && r.err.contains("-- string to sign --"), r.describe());
            QVERIFY(r.err.contains("x-amz-security-token:<redacted>"));
            for (const QByteArray &text : {r.out, r.err}) {
                QVERIFY2(!text.contains(kTokenSecret.toUtf8()), qPrintable(a.join(u' ')));
                QVERIFY2(!text.contains(kToken.toUtf8()), qPrintable(a.join(u' ')));
                QVERIFY(!text.contains("Signature="));
            }
        }

        // A presigned URL carries its signature and token by nature (stdout); --debug shows neither.
        const CliResult presign = m_cli->run(
            {QStringLiteral("presign"), QStringLiteral("s3://gls-exports/any.zip"), QStringLiteral("--debug"),
                QStringLiteral("--endpoint-url"), m_emu->s3Url(), QStringLiteral("--ca-bundle"), m_emu->caPath()},
            env);
        QVERIFY2(presign.exitCode == 0, presign.describe());
        QVERIFY(presign.out.contains("X-Amz-Signature="));
        const QByteArray signature = presign.out.mid(presign.out.indexOf("X-Amz-Signature=") + 16, 64);
        QVERIFY(!presign.err.contains(signature));
        QVERIFY(!presign.err.contains(kTokenSecret.toUtf8()));
        QVERIFY(!presign.err.contains(kToken.toUtf8()));
        QVERIFY(!presign.err.contains(QUrl::toPercentEncoding(kToken)));
    }
};

QTEST_GUILESS_MAIN(TestCliListing)
#include "tst_cli_listing.moc"
