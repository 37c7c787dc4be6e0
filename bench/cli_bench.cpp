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

#include "CliBenchReport.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    std::fputs("usage: gls-bench-cli check --input FILE [--tag KEY=VALUE]...\n"
               "       gls-bench-cli report --input RAW --markdown FILE.md --json FILE.json\n",
               stderr);
    return 2;
}
