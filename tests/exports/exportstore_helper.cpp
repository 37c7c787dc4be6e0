// A second process for tst_exportstore: writes into the same export history
// file as the test, at the same time as another helper.
//
//   exportstore_helper DB write TAG COUNT
//       prints "ready", waits for a line on stdin, then records COUNT exports
//       (beginRequest + markRequested each) and prints "done N".
//   exportstore_helper DB crash SESSION_ARN URI
//       records one export request (REQUESTING), prints "requested ID" and
//       waits for stdin to close, as if the request were still out; the test
//       kills it there.
//
// Exit code 0 on success; every failure goes to stderr with exit code 1.

#include "exports/ExportStore.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace gls::exports;

namespace {

int usage()
{
    std::fputs("usage: exportstore_helper DB write TAG COUNT | DB crash SESSION_ARN URI\n", stderr);
    return 2;
}

int failWith(const QString &message)
{
    std::fprintf(stderr, "%s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return usage();

    ExportStore store(args.at(1));
    QString error;
    if (!store.open(&error))
        return failWith(error);

    QTextStream out(stdout);
    QTextStream in(stdin);
    const QString mode = args.at(2);
    if (mode == QLatin1String("write") && args.size() == 5) {
        const QString tag = args.at(3);
        const int count = args.at(4).toInt();
        out << "ready\n" << Qt::flush;
        in.readLine(); // the go signal: both helpers start together
        for (int i = 0; i < count; ++i) {
            ExportRecord record;
            record.profile = tag;
            record.region = QStringLiteral("us-west-2");
            record.streamGroupId = QStringLiteral("sg-1AB2C3De4");
            record.sessionId = QStringLiteral("%1-%2").arg(tag).arg(i);
            record.sessionArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/"
                                               "sg-1AB2C3De4/%1")
                                    .arg(record.sessionId);
            record.requestedUri = QStringLiteral("s3://bucket/%1.zip").arg(record.sessionId);
            const auto id = store.beginRequest(record);
            if (!id)
                return failWith(store.lastError());
            if (!store.markRequested(*id))
                return failWith(store.lastError());
        }
        out << "done " << count << "\n" << Qt::flush;
        return 0;
    }
    if (mode == QLatin1String("crash") && args.size() == 5) {
        ExportRecord record;
        record.profile = QStringLiteral("default");
        record.region = QStringLiteral("us-west-2");
        record.sessionArn = args.at(3);
        record.sessionId = record.sessionArn.section(QLatin1Char('/'), -1);
        record.streamGroupId = record.sessionArn.section(QLatin1Char('/'), -2, -2);
        record.requestedUri = args.at(4);
        const auto id = store.beginRequest(record);
        if (!id)
            return failWith(store.lastError());
        out << "requested " << *id << "\n" << Qt::flush;
        // The request is "on the wire": wait until killed (or stdin closes).
        in.readLine();
        return 0;
    }
    return usage();
}
