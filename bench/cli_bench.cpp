// gls-bench-cli: the helpers of the CLI benchmark (scripts/bench.sh, bench_cli).
// The processes themselves are run and measured by gls-bench-run; this reads
// what they printed and writes the report.
//
//   gls-bench-cli check --input FILE [--tag KEY=VALUE]...
//       Reads one command's stdout (gls-exporter-cli --json or the AWS CLI's
//       --output json) and prints one JSON line {"kind":"check", tags...,
//       "sessions": N, "outputBytes": B, "firstGroup", "firstSession"}:
//       N is the length of the streamSessions (ours) or Items (AWS) array,
//       or 1 for a single session's document (an Arn), else 0.
//   gls-bench-cli report --input RAW --markdown FILE.md --json FILE.json
//       Medians and spreads of the "run" and "check" lines of RAW.
//   gls-bench-cli seed-store --path FILE --rows N
//       An export history of N finished exports spread over the last year
//       (20,000: a QA team's 55 a day): SUCCEEDED, one session each. The
//       first is written through ExportStore (which creates the file), the
//       others copied from it in one transaction.

#include "CliBenchReport.h"

#include "exports/ExportStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "gls-bench-cli: %s\n", qPrintable(message));
    return 1;
}

// "arn:aws:gameliftstreams:REGION:ACCOUNT:streamsession/GROUP/SESSION" -> GROUP, SESSION.
void splitArn(const QString &arn, QString *group, QString *session)
{
    const QStringList parts = arn.section(QLatin1Char(':'), 5).split(QLatin1Char('/'));
    if (parts.size() == 3) {
        *group = parts.at(1);
        *session = parts.at(2);
    }
}

QString arnOf(const QJsonObject &o)
{
    const QString arn = o.value(QStringLiteral("Arn")).toString();
    return arn.isEmpty() ? o.value(QStringLiteral("arn")).toString() : arn;
}

int check(const QStringList &args)
{
    QString input;
    QJsonObject line{{QStringLiteral("kind"), QStringLiteral("check")}};
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--input")) {
            input = args.at(i + 1);
        } else if (args.at(i) == QLatin1String("--tag")) {
            const QString tag = args.at(i + 1);
            const QString key = tag.section(QLatin1Char('='), 0, 0);
            const QString value = tag.section(QLatin1Char('='), 1);
            bool number = false;
            const int n = value.toInt(&number);
            line.insert(key, number ? QJsonValue(n) : QJsonValue(value));
        } else {
            return fail(QStringLiteral("check: unknown argument '%1'").arg(args.at(i)));
        }
    }
    QFile f(input);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("check: cannot read %1").arg(input));
    const QByteArray bytes = f.readAll();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    int sessions = 0;
    QString first;
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        const QJsonValue list = o.contains(QStringLiteral("streamSessions")) ? o.value(QStringLiteral("streamSessions"))
                                                                             : o.value(QStringLiteral("Items"));
        if (list.isArray()) {
            sessions = int(list.toArray().size());
            first = arnOf(list.toArray().first().toObject());
        } else if (!arnOf(o).isEmpty()) {
            sessions = 1;
            first = arnOf(o);
        } else if (!arnOf(o.value(QStringLiteral("session")).toObject()).isEmpty()) {
            sessions = 1; // gls-exporter-cli export --json: {"session": {...}}
            first = arnOf(o.value(QStringLiteral("session")).toObject());
        }
    }
    QString group, session;
    splitArn(first, &group, &session);
    line.insert(QStringLiteral("sessions"), sessions);
    line.insert(QStringLiteral("outputBytes"), bytes.size());
    line.insert(QStringLiteral("json"), doc.isObject() || bytes.trimmed().isEmpty());
    line.insert(QStringLiteral("firstGroup"), group);
    line.insert(QStringLiteral("firstSession"), session);
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    return 0;
}

int report(const QStringList &args)
{
    QString input, markdown, json;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--input"))
            input = args.at(i + 1);
        else if (args.at(i) == QLatin1String("--markdown"))
            markdown = args.at(i + 1);
        else if (args.at(i) == QLatin1String("--json"))
            json = args.at(i + 1);
        else
            return fail(QStringLiteral("report: unknown argument '%1'").arg(args.at(i)));
    }
    if (input.isEmpty() || markdown.isEmpty() || json.isEmpty())
        return fail(QStringLiteral("report needs --input, --markdown and --json"));
    QString error;
    if (!gls::bench::writeCliReport(input, markdown, json, &error))
        return fail(error);
    return 0;
}

int seedStore(const QStringList &args)
{
    QString path;
    int rows = 0;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--path"))
            path = args.at(i + 1);
        else if (args.at(i) == QLatin1String("--rows"))
            rows = args.at(i + 1).toInt();
        else
            return fail(QStringLiteral("seed-store: unknown argument '%1'").arg(args.at(i)));
    }
    if (path.isEmpty() || rows < 1)
        return fail(QStringLiteral("seed-store needs --path and --rows (1 or more)"));
    QString error;
    {
        using namespace gls::exports;
        ExportStore store(path);
        if (!store.open(&error))
            return fail(error);
        ExportRecord r;
        r.region = QStringLiteral("us-west-2");
        r.streamGroupId = QStringLiteral("sg-history");
        r.sessionId = QStringLiteral("history");
        r.sessionArn
            = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-history/history");
        r.requestedUri = QStringLiteral("s3://gls-exports/history/");
        r.requestedAt = QDateTime::currentDateTimeUtc().addDays(-365);
        const std::optional<qint64> id = store.beginRequest(r);
        ExportUpdate done;
        done.status = ExportStatus::Succeeded;
        done.outputUri = QStringLiteral("s3://gls-exports/history/history.zip");
        done.finishedAt = r.requestedAt.addSecs(600);
        if (!id || !store.markRequested(*id) || !store.update(*id, done))
            return fail(store.lastError());
    }
    // The copies differ in their key, session and day.
    const QString connection = QStringLiteral("seed");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        QSqlQuery q(db);
        QStringList columns, values;
        ok = db.open() && q.exec(QStringLiteral("PRAGMA table_info(exports)"));
        while (ok && q.next()) {
            const QString c = q.value(1).toString();
            if (c == QLatin1String("id"))
                continue;
            columns.append(c);
            if (c == QLatin1String("attempt_key") || c == QLatin1String("session_id")
                || c == QLatin1String("session_arn"))
                values.append(QStringLiteral("%1 || '-' || n.i").arg(c));
            else if (c == QLatin1String("output_uri"))
                values.append(QStringLiteral("replace(%1, '.zip', '-' || n.i || '.zip')").arg(c));
            else if (c == QLatin1String("requested_at") || c == QLatin1String("finished_at"))
                values.append(QStringLiteral("%1 + n.i * %2").arg(c).arg(365LL * 86'400'000 / rows));
            else
                values.append(c);
        }
        ok = ok && db.transaction()
            && q.exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                                     "INSERT INTO exports (%2) SELECT %3 FROM exports, n WHERE exports.id = 1")
                          .arg(rows - 1)
                          .arg(columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", "))))
            && db.commit();
        if (!ok)
            error = q.lastError().isValid() ? q.lastError().text() : db.lastError().text();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!ok)
        return fail(QStringLiteral("seed-store: %1").arg(error));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    const QString command = args.isEmpty() ? QString() : args.takeFirst();
    if (command == QLatin1String("check"))
        return check(args);
    if (command == QLatin1String("report"))
        return report(args);
    if (command == QLatin1String("seed-store"))
        return seedStore(args);
    std::fputs("usage: gls-bench-cli check --input FILE [--tag KEY=VALUE]...\n"
               "       gls-bench-cli report --input RAW --markdown FILE.md --json FILE.json\n"
               "       gls-bench-cli seed-store --path FILE --rows N\n",
        stderr);
    return 2;
}
