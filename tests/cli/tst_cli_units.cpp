// gls-exporter-cli's library in-process: the command line, the table, the
// poll backoff, exit codes, the --json field names (never a sensitive member)
// and runCli's answers that need no network (help, version, usage errors).

#include "ByteArena.h"
#include "CliApp.h"
#include "CommandLine.h"
#include "ExitCode.h"
#include "JsonFields.h"
#include "JsonStream.h"
#include "Output.h"
#include "PollBackoff.h"
#include "Table.h"

#include "aws/AwsError.h"
#include "gamelift/StreamSession.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gls::cli;

class TestCliUnits : public QObject {
    Q_OBJECT

private:
    struct Run {
        int exitCode;
        QByteArray out;
        QByteArray err;
    };

    static Run run(const QStringList &arguments)
    {
        QBuffer out, err;
        out.open(QIODevice::WriteOnly);
        err.open(QIODevice::WriteOnly);
        const int code = runCli(arguments, &out, &err, Terminal{});
        return {code, out.data(), err.data()};
    }

private Q_SLOTS:
    void optionsBeforeAndAfterTheCommand()
    {
        const ParsedCommandLine p = parseCommandLine({QStringLiteral("--region"), QStringLiteral("eu-west-1"),
            QStringLiteral("export"), QStringLiteral("--group=sg-1"), QStringLiteral("--session"), QStringLiteral("S1"),
            QStringLiteral("--json"), QStringLiteral("--wait")});
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.command, QStringLiteral("export"));
        QCOMPARE(p.global.region, QStringLiteral("eu-west-1"));
        QVERIFY(p.global.json);
        QCOMPARE(p.value(QStringLiteral("group")), QStringLiteral("sg-1"));
        QCOMPARE(p.value(QStringLiteral("session")), QStringLiteral("S1"));
        QVERIFY(p.isSet(QStringLiteral("wait")));
        QVERIFY(!p.isSet(QStringLiteral("download")));

        // A command's value option before the command name is still read as one.
        const ParsedCommandLine early
            = parseCommandLine({QStringLiteral("--group"), QStringLiteral("sg-1"), QStringLiteral("sessions")});
        QVERIFY2(early.error.isEmpty(), qPrintable(early.error));
        QCOMPARE(early.command, QStringLiteral("sessions"));

        const ParsedCommandLine positional = parseCommandLine({QStringLiteral("download"), QStringLiteral("--to"),
            QStringLiteral("d"), QStringLiteral("--"), QStringLiteral("s3://b-b-b/-k")});
        QVERIFY2(positional.error.isEmpty(), qPrintable(positional.error));
        QCOMPARE(positional.positionals, QStringList{QStringLiteral("s3://b-b-b/-k")});
    }

    void helpForms()
    {
        for (const QStringList &a : {QStringList{QStringLiteral("help"), QStringLiteral("export")},
                 QStringList{QStringLiteral("export"), QStringLiteral("--help")},
                 QStringList{QStringLiteral("export"), QStringLiteral("-h")}}) {
            const ParsedCommandLine p = parseCommandLine(a);
            QVERIFY(p.error.isEmpty());
            QVERIFY(p.help);
            QCOMPARE(p.command, QStringLiteral("export"));
        }
        QVERIFY(parseCommandLine({QStringLiteral("--version")}).version);
        QVERIFY(!parseCommandLine({QStringLiteral("help"), QStringLiteral("nope")}).error.isEmpty());
        for (const CommandSpec &c : commandSpecs()) {
            const QString text = helpText(&c);
            QVERIFY(text.startsWith(QStringLiteral("Usage: gls-exporter-cli ") + c.name));
            QVERIFY(text.contains(QLatin1String("Exit codes:")));
            for (const OptionSpec &o : c.options)
                QVERIFY2(text.contains(QStringLiteral("--") + o.name), qPrintable(o.name));
        }
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("groups"), QStringLiteral("--nope")}
                                        << "unknown option '--nope'";
        QTest::newRow("missing value") << QStringList{QStringLiteral("sessions"), QStringLiteral("--group")}
                                       << "--group needs a value";
        QTest::newRow("flag with value") << QStringList{QStringLiteral("groups"), QStringLiteral("--json=yes")}
                                         << "--json takes no value";
        QTest::newRow("twice") << QStringList{QStringLiteral("groups"), QStringLiteral("--region"), QStringLiteral("a"),
            QStringLiteral("--region"), QStringLiteral("b")}
                               << "--region is given more than once";
        QTest::newRow("other command's option") << QStringList{QStringLiteral("groups"), QStringLiteral("--wait")}
                                                << "the groups command has no option --wait";
        QTest::newRow("missing argument") << QStringList{QStringLiteral("presign")} << "presign needs s3://BUCKET/KEY";
        QTest::newRow("extra argument") << QStringList{QStringLiteral("groups"), QStringLiteral("x")}
                                        << "groups takes no argument";
        QTest::newRow("short option") << QStringList{QStringLiteral("groups"), QStringLiteral("-j")}
                                      << "'-j' is not an option";
        QTest::newRow("unknown command") << QStringList{QStringLiteral("grops")} << "unknown command 'grops'";
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QCOMPARE(parseCommandLine(arguments).error.left(message.size()), message);
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }

    void runCliWithoutNetwork()
    {
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out, QByteArray("gls-exporter-cli " GLS_VERSION "\n"));

        const Run help = run({QStringLiteral("help"), QStringLiteral("terminate")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--yes"));

        const Run profile = run(
            {QStringLiteral("groups"), QStringLiteral("--profile"), QStringLiteral("qa"), QStringLiteral("--json")});
        QCOMPARE(profile.exitCode, 2);
        const QJsonObject e = QJsonDocument::fromJson(profile.err).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("InvalidConfiguration"));
        QVERIFY(e.value(QStringLiteral("message")).toString().contains(QLatin1String("No profile named \"qa\"")));
        for (const char *key : {"type", "message", "operation", "httpStatus", "requestId", "exitCode"})
            QVERIFY2(e.contains(QLatin1String(key)), key);
    }

    void tableAlignsAndColoursOnlyWhenAsked()
    {
        Table t({QStringLiteral("Id"), QStringLiteral("Status"), QStringLiteral("Note")});
        t.addRow({{QStringLiteral("sg-1")}, {QStringLiteral("ACTIVE"), Tone::Good}, {}});
        t.addRow({{QStringLiteral("sg-12345")}, {QStringLiteral("ERROR"), Tone::Bad}, {QStringLiteral("x")}});
        QCOMPARE(t.render(false),
            QStringLiteral("Id        Status  Note\n"
                           "sg-1      ACTIVE  -\n"
                           "sg-12345  ERROR   x\n"));
        const QString colour = t.render(true);
        QVERIFY(colour.contains(QStringLiteral("\x1b[32mACTIVE\x1b[0m")));
        QVERIFY(colour.contains(QStringLiteral("\x1b[31mERROR\x1b[0m")));
        QCOMPARE(toneForStatus(QStringLiteral("PENDING")), Tone::Busy);
        QCOMPARE(toneForStatus(QStringLiteral("TERMINATED")), Tone::Dim);
        QCOMPARE(toneForStatus(QStringLiteral("SOMETHING_NEW")), Tone::Plain);
    }

    void backoffGrowsFromTwoToThirtySeconds()
    {
        PollBackoff fixed([] { return 0.5; }); // no jitter at the middle of the range
        QList<int> delays;
        for (int i = 0; i < 12; ++i)
            delays.append(fixed.nextDelayMs());
        QCOMPARE(delays.first(), 2000);
        QCOMPARE(delays.at(1), 3000);
        QCOMPARE(delays.last(), 30000);
        QVERIFY(std::is_sorted(delays.begin(), delays.end()));

        PollBackoff low([] { return 0.0; });
        PollBackoff high([] { return 0.999; });
        QCOMPARE(low.nextDelayMs(), 1600);
        QVERIFY(high.nextDelayMs() >= 2390);
        for (int i = 0; i < 20; ++i)
            QVERIFY(high.nextDelayMs() <= 30000);
    }

    void exitCodes()
    {
        using Kind = gls::aws::AwsError::Kind;
        const auto codeOf = [](Kind k) {
            gls::aws::AwsError e;
            e.kind = k;
            return code(exitCodeFor(e));
        };
        QCOMPARE(codeOf(Kind::Validation), 2);
        QCOMPARE(codeOf(Kind::Credentials), 2);
        QCOMPARE(codeOf(Kind::Service), 3);
        QCOMPARE(codeOf(Kind::Network), 5);
        QCOMPARE(codeOf(Kind::Timeout), 5);
        QCOMPARE(codeOf(Kind::Tls), 5);
        QCOMPARE(codeOf(Kind::Client), 1);
        QCOMPARE(codeOf(Kind::Cancelled), 130);
    }

    void sessionJsonNeverHoldsSensitiveMembers()
    {
        gls::gamelift::StreamSession s;
        s.arn
            = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567");
        s.status = QStringLiteral("CONNECTED");
        s.signalRequest = gls::gamelift::SensitiveString(QStringLiteral("offer-sdp-secret"));
        s.signalResponse = gls::gamelift::SensitiveString(QStringLiteral("answer-sdp-secret"));
        s.roleArn = gls::gamelift::SensitiveString(QStringLiteral("arn:aws:iam::111122223333:role/secret-role"));
        s.exportFilesMetadata = gls::gamelift::ExportFilesMetadata{QStringLiteral("PENDING"), {}, {}};
        const QJsonObject o = json::streamSession(s);
        const QByteArray text = QJsonDocument(o).toJson();
        QVERIFY(!text.contains("secret"));
        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("ABC123def4567"));
        QCOMPARE(o.value(QStringLiteral("streamGroupId")).toString(), QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(o.value(QStringLiteral("export")).toObject().value(QStringLiteral("status")).toString(),
            QStringLiteral("PENDING"));
        QVERIFY(o.value(QStringLiteral("export")).toObject().value(QStringLiteral("outputUri")).isNull());
        QVERIFY(o.value(QStringLiteral("createdAt")).isNull());
        for (const char *key :
            {"id", "arn", "streamGroupId", "status", "statusReason", "userId", "location", "protocol", "applicationArn",
                "createdAt", "lastUpdatedAt", "export", "description", "connectionTimeoutSeconds",
                "sessionLengthSeconds", "additionalLaunchArgs", "additionalEnvironmentVariables",
                "performanceStatsConfiguration", "logFileLocationUri", "webSdkProtocolUrl", "displayConfiguration"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
    }

    // `sessions --json` streams its document (no QJsonObject per session): a
    // script must get the very bytes QJsonDocument wrote before, for every
    // shape of summary and every kind of character.
    void stringsAreWhatQJsonDocumentWritesAtEveryPosition()
    {
        // JsonStream reads plain ASCII eight characters at a time: put each kind of
        // character that needs care at every place in and around such a block.
        const QList<QString> odd{QStringLiteral("\""), QStringLiteral("\\"), QStringLiteral("\n"), QString(QChar(0x1f)),
            QString(QChar(0x7f)), QString(QChar(0x80)), QStringLiteral("\u00e9"), QStringLiteral("\u20ac"),
            QStringLiteral("\U0001F3AE"), QString(QChar(0xd800)), QString(QChar(0xdfff)), QString(QChar(0xffff)),
            QString(QChar(0x7fff)), QString(QChar(0x8000))};
        for (const QString &c : odd) {
            for (int length = 0; length <= 19; ++length) {
                for (int at = 0; at <= length; ++at) {
                    QString text = QString(length, QLatin1Char('a'));
                    text.insert(at, c);
                    QByteArray ours;
                    gls::cli::JsonStream::appendString(&ours, text);
                    QByteArray theirs = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
                    theirs = theirs.mid(1, theirs.size() - 2); // ["..."] -> "..."
                    QVERIFY2(ours == theirs,
                        qPrintable(QStringLiteral("U+%1 at %2 of %3: %4 against %5")
                                       .arg(c.at(0).unicode(), 4, 16, QLatin1Char('0'))
                                       .arg(at)
                                       .arg(length)
                                       .arg(QString::fromLatin1(ours.toHex()), QString::fromLatin1(theirs.toHex()))));
                }
            }
        }
    }

    void streamedSessionListingIsWhatQJsonDocumentWrites()
    {
        using gls::gamelift::StreamSessionSummary;
        QList<StreamSessionSummary> sessions;
        StreamSessionSummary full;
        full.arn
            = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567");
        full.userId = QStringLiteral("qa \"lead\" \\ tab\there\nline\x01 caf\u00e9 \u20ac \U0001F3AE");
        full.status = QStringLiteral("TERMINATED");
        full.statusReason = QStringLiteral("apiTerminated");
        full.protocol = QStringLiteral("WebRTC");
        full.createdAt = QDateTime(QDate(2025, 5, 1), QTime(12, 34, 56, 789), Qt::UTC);
        full.lastUpdatedAt = QDateTime(QDate(2025, 5, 1), QTime(14, 4, 5), Qt::OffsetFromUTC, 2 * 3600);
        full.applicationArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6");
        full.exportFilesMetadata = gls::gamelift::ExportFilesMetadata{
            QStringLiteral("FAILED"), QStringLiteral("the bucket / is gone"), QStringLiteral("s3://b/k.zip")};
        full.location = QStringLiteral("us-west-2");
        sessions.append(full);
        StreamSessionSummary sparse; // every member absent: nulls
        sessions.append(sparse);
        StreamSessionSummary lone;
        lone.arn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1/X");
        lone.userId = QString(QChar(0xd800)) + QStringLiteral("a"); // a lone surrogate
        lone.exportFilesMetadata = gls::gamelift::ExportFilesMetadata{QStringLiteral("PENDING"), {}, {}};
        sessions.append(lone);

        for (qsizetype n : {qsizetype(0), qsizetype(1), sessions.size()}) {
            QJsonArray array;
            for (qsizetype i = 0; i < n; ++i)
                array.append(json::streamSessionSummary(sessions.at(i)));
            const QByteArray expected
                = QJsonDocument(QJsonObject{{QStringLiteral("streamSessions"), array}, {QStringLiteral("count"), n}})
                      .toJson(QJsonDocument::Indented);
            // Tiny chunk sizes: the document arrives in many pieces, cut anywhere (a
            // closing bracket included).
            for (const qsizetype chunkBytes : {qsizetype(1), qsizetype(7), qsizetype(64), qsizetype(256 * 1024)}) {
                QByteArray streamed;
                {
                    gls::cli::JsonStream stream(
                        [&streamed](const QByteArray &chunk) { streamed += chunk; }, chunkBytes);
                    stream.beginObject();
                    stream.key(QLatin1StringView("count"));
                    stream.value(qint64(n));
                    stream.key(QLatin1StringView("streamSessions"));
                    stream.beginArray();
                    for (qsizetype i = 0; i < n; ++i)
                        json::writeStreamSessionSummary(&stream, sessions.at(i));
                    stream.endArray();
                    stream.endObject();
                    stream.finish();
                }
                QCOMPARE(streamed, expected);
            }
        }
        QCOMPARE(json::isoTime(full.createdAt), QStringLiteral("2025-05-01T12:34:56Z"));
        QCOMPARE(json::isoTime(full.lastUpdatedAt), QStringLiteral("2025-05-01T12:04:05Z"));
        QCOMPARE(json::isoTime(QDateTime()), QString());
    }

    // `sessions --json` writes each page as it arrives and sorts at the end: the
    // document must be what QJsonDocument writes for the sessions sorted newest
    // first by QDateTime's order (an invalid time last), the same time by ARN,
    // the same session twice in the order its pages came.
    void sessionListDocumentIsWhatQJsonDocumentWrites()
    {
        using gls::gamelift::StreamSessionSummary;
        const QDateTime base(QDate(2025, 5, 1), QTime(12, 0), Qt::UTC);
        QList<StreamSessionSummary> sessions;
        for (int i = 0; i < 60; ++i) {
            StreamSessionSummary s;
            // 23 sessions in 60 summaries: the same session more than once (a
            // later page sees it again, its status changed).
            const int k = (i * 7) % 23;
            s.arn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-%1/S%2")
                        .arg(k % 3)
                        .arg(k);
            s.status = i % 2 ? QStringLiteral("ACTIVE") : QStringLiteral("TERMINATED");
            if (k % 5 != 0) // every fifth without a time; the rest on 4 distinct ones, one before 1970
                s.createdAt = k % 4 == 3 ? QDateTime(QDate(1969, 12, 31), QTime(23, 0), Qt::UTC)
                                         : base.addSecs(60 * (k % 4));
            s.lastUpdatedAt = base.addMSecs(i);
            s.userId = i % 6 == 1 ? QStringLiteral("caf\u00e9 \"qa\"\n") : QString();
            if (i % 4 == 2)
                s.exportFilesMetadata = gls::gamelift::ExportFilesMetadata{
                    QStringLiteral("SUCCEEDED"), {}, QStringLiteral("s3://b/%1.zip").arg(i)};
            sessions.append(s);
        }
        const auto expectedFor = [](QList<StreamSessionSummary> added) {
            std::stable_sort(added.begin(), added.end(), [](const auto &a, const auto &b) {
                return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.arn < b.arn;
            });
            QJsonArray array;
            for (const StreamSessionSummary &s : std::as_const(added))
                array.append(json::streamSessionSummary(s));
            return QJsonDocument(
                QJsonObject{{QStringLiteral("streamSessions"), array}, {QStringLiteral("count"), added.size()}})
                .toJson(QJsonDocument::Indented);
        };
        const auto written = [](const json::SessionListDocument &document) {
            QByteArray bytes;
            document.write([&bytes](const QByteArray &chunk) { bytes += chunk; });
            return bytes;
        };

        json::SessionListDocument document;
        QCOMPARE(written(document), expectedFor({}));

        // Pages of 1 to 7 sessions, added out of order (groups' pages interleave).
        QList<QList<StreamSessionSummary>> pages;
        for (qsizetype at = 0, size = 1; at < sessions.size(); at += size, size = size % 7 + 1)
            pages.append(sessions.mid(at, size));
        QList<StreamSessionSummary> added;
        for (qsizetype i = 0; i < pages.size(); ++i) {
            const qsizetype page = (i * 5) % pages.size(); // 5 and the page count share no factor
            document.add(pages.at(page));
            added += pages.at(page);
        }
        QCOMPARE(pages.size() % 5 != 0, true);
        QCOMPARE(document.count(), sessions.size());
        QCOMPARE(added.size(), sessions.size());
        QCOMPARE(written(document), expectedFor(added));

        // Started over: cleared, then everything at once.
        document.clear();
        QCOMPARE(document.count(), 0);
        document.add(sessions);
        QCOMPARE(written(document), expectedFor(sessions));
    }

    // The bytes SessionListDocument keeps: every copy stays whole and in place
    // while later ones fill the first block, the next ones, and one larger
    // than a block; clear() lets them go and the arena starts again.
    void byteArenaKeepsEveryCopyInPlace()
    {
        ByteArena arena;
        QCOMPARE(arena.append(QByteArrayView()).size(), 0);
        QList<QByteArray> originals;
        QList<QByteArrayView> copies;
        qsizetype total = 0;
        for (int i = 0; total < (qsizetype(30) << 20); ++i) {
            // 1 byte to 190 KiB, and once 9 MiB (more than the second block)
            const qsizetype size = i == 40 ? (qsizetype(9) << 20) : 1 + (qsizetype(i) * 7919) % (190 * 1024);
            QByteArray bytes(size, Qt::Uninitialized);
            for (qsizetype j = 0; j < size; ++j)
                bytes[j] = char((i * 31 + j) & 0xff);
            copies.append(arena.append(bytes));
            QVERIFY(copies.constLast().data() != bytes.constData());
            originals.append(bytes);
            total += size;
        }
        for (qsizetype i = 0; i < copies.size(); ++i)
            QVERIFY2(copies.at(i) == QByteArrayView(originals.at(i)), qPrintable(QString::number(i)));
        arena.clear();
        const QByteArrayView again = arena.append("after clear()");
        QCOMPARE(again, QByteArrayView("after clear()"));
    }
};

QTEST_GUILESS_MAIN(TestCliUnits)
#include "tst_cli_units.moc"
