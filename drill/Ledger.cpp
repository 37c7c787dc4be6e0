#include "Ledger.h"

#include "DrillWorld.h"

#include "exports/ExportRecord.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QUrl>

namespace gls::drill {

namespace {

using exports::DownloadState;
using exports::ExportRecord;
using exports::ExportStatus;

struct Truth {
    int requests = 0;
    QString status; // the export's, empty: none
    QString outputUri;
};

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString fileSha256(const QString &path, qint64 *size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    *size = f.size();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return QString::fromLatin1(hash.result().toHex());
}

QString shortReason(const QString &reason)
{
    QString r = reason.simplified();
    // Session IDs and request IDs make every reason unique: keep the sentence's start.
    return r.size() > 90 ? r.left(90) + QStringLiteral("...") : r;
}

} // namespace

Ledger::Ledger(const DrillWorld &world, const QList<DrillSession> &list, bool expectDownloads)
{
    test::Emulator &emu = world.emulator();
    world.clearFaults();
    emu.control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}});
    const QJsonObject counted = world.stats().value(QStringLiteral("exportRequestsBySession")).toObject();

    sessions = int(list.size());
    QHash<QString, Truth> truth;
    QHash<QString, QString> objectByFile; // archive file name -> s3 URI
    for (const DrillSession &s : list) {
        Truth t;
        t.requests = counted.value(s.id).toInt();
        const QJsonObject m = world.gameLiftGet(test::sessionPath(s.group, s.id))
                                  .json()
                                  .value(QStringLiteral("ExportFilesMetadata"))
                                  .toObject();
        t.status = m.value(QStringLiteral("Status")).toString();
        t.outputUri = m.value(QStringLiteral("OutputUri")).toString();
        if (!t.status.isEmpty())
            ++exportedAtService;
        if (t.status == QLatin1String("SUCCEEDED")) {
            ++succeededAtService;
            objectByFile.insert(t.outputUri.section(QLatin1Char('/'), -1), t.outputUri);
        } else if (t.status == QLatin1String("FAILED")) {
            ++failedAtService;
        }
        if (t.requests > 1) {
            ++duplicateRequests;
            problems.append(QStringLiteral("duplicate request: session %1 was exported %2 times by the service")
                                .arg(s.id)
                                .arg(t.requests));
        }
        truth.insert(s.id, t);
    }

    const QList<ExportRecord> rows = world.storeRows();
    storeRows = int(rows.size());
    QHash<QString, QList<ExportRecord>> bySession;
    for (const ExportRecord &r : rows) {
        const QString id = r.sessionId.isEmpty() ? r.sessionArn.section(QLatin1Char('/'), -1) : r.sessionId;
        bySession[id].append(r);
        ++storeStatuses[exports::statusName(r.status)];
    }

    for (const DrillSession &s : list) {
        const Truth t = truth.value(s.id);
        const QList<ExportRecord> mine = bySession.value(s.id);
        if (mine.size() > 1) {
            ++duplicateRows;
            QStringList what;
            for (const ExportRecord &r : mine)
                what.append(QStringLiteral("#%1 %2 %3").arg(QString::number(r.id), exports::statusName(r.status),
                                                            exports::sourceName(r.source)));
            problems.append(QStringLiteral("duplicate rows: session %1 has %2").arg(s.id, what.join(QStringLiteral(", "))));
        }
        if (mine.isEmpty()) {
            if (!t.status.isEmpty()) {
                ++lost;
                problems.append(QStringLiteral("lost: session %1 is %2 at the service and has no row").arg(s.id, t.status));
            }
            continue;
        }
        // The latest row is what the user sees (ExportStore::findBySession).
        const ExportRecord &r = mine.first();
        if (!r.isFinished()) {
            ++unsettled;
            problems.append(QStringLiteral("unsettled: session %1 is %2 in the store (%3 at the service)")
                                .arg(s.id, exports::statusName(r.status), t.status.isEmpty() ? QStringLiteral("none") : t.status));
            if (!t.status.isEmpty())
                ++lost;
            continue;
        }
        if (r.status == ExportStatus::Failed) {
            ++failed;
            ++failReasons[shortReason(r.statusReason)];
            if (t.status.isEmpty()) {
                ++requestNeverArrived;
            } else if (t.status != QLatin1String("FAILED")) {
                ++lost;
                problems.append(QStringLiteral("lost: session %1 is FAILED in the store (%2) but %3 at the service")
                                    .arg(s.id, shortReason(r.statusReason), t.status));
            }
            continue;
        }
        // SUCCEEDED in the store.
        if (t.status != QLatin1String("SUCCEEDED")) {
            ++phantom;
            problems.append(QStringLiteral("phantom: session %1 is SUCCEEDED in the store, %2 at the service")
                                .arg(s.id, t.status.isEmpty() ? QStringLiteral("no export") : t.status));
            continue;
        }
        ++succeeded;
        if (r.downloadState != DownloadState::Done) {
            if (expectDownloads) {
                ++notDownloaded;
                problems.append(QStringLiteral("not downloaded: session %1, download %2 %3")
                                    .arg(s.id, exports::downloadStateName(r.downloadState), r.downloadError));
            }
            continue;
        }
        qint64 size = 0;
        const QString onDisk = fileSha256(r.downloadPath, &size);
        if (onDisk.isEmpty() || onDisk != r.downloadSha256 || size != r.downloadedBytes) {
            ++halfWritten;
            problems.append(QStringLiteral("half-written: session %1's row says DONE but %2 %3")
                                .arg(s.id, r.downloadPath,
                                     onDisk.isEmpty() ? QStringLiteral("is missing") : QStringLiteral("differs")));
            continue;
        }
        ++downloaded;
    }

    // Every file in the download folder: a .part, or exactly the archive's bytes.
    const QFileInfoList files = QDir(world.downloadDir()).entryInfoList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &f : files) {
        if (f.fileName().endsWith(QLatin1String(".part"))) {
            ++partFiles;
            continue;
        }
        const QString uri = objectByFile.value(f.fileName());
        const QUrl url(uri);
        const QByteArray object = uri.isEmpty()
            ? QByteArray()
            : emu.s3("GET", "/" + url.host().toUtf8() + QUrl::toPercentEncoding(url.path(), "/")).body;
        qint64 size = 0;
        if (uri.isEmpty() || object.isEmpty() || fileSha256(f.filePath(), &size) != sha256(object)
            || size != object.size()) {
            ++halfWritten;
            problems.append(QStringLiteral("half-written: %1 (%2 bytes) is not an archive's bytes%3")
                                .arg(f.fileName())
                                .arg(f.size())
                                .arg(uri.isEmpty() ? QStringLiteral(" (no SUCCEEDED export has that name)") : QString()));
        }
    }
}

QJsonObject Ledger::toJson() const
{
    QJsonObject statuses;
    for (auto it = storeStatuses.cbegin(); it != storeStatuses.cend(); ++it)
        statuses.insert(it.key(), it.value());
    QJsonObject reasons;
    for (auto it = failReasons.cbegin(); it != failReasons.cend(); ++it)
        reasons.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("sessions"), sessions},
        {QStringLiteral("exportedAtService"), exportedAtService},
        {QStringLiteral("succeededAtService"), succeededAtService},
        {QStringLiteral("failedAtService"), failedAtService},
        {QStringLiteral("storeRows"), storeRows},
        {QStringLiteral("storeStatuses"), statuses},
        {QStringLiteral("succeeded"), succeeded},
        {QStringLiteral("downloaded"), downloaded},
        {QStringLiteral("failed"), failed},
        {QStringLiteral("failReasons"), reasons},
        {QStringLiteral("requestNeverArrived"), requestNeverArrived},
        {QStringLiteral("lost"), lost},
        {QStringLiteral("phantom"), phantom},
        {QStringLiteral("unsettled"), unsettled},
        {QStringLiteral("notDownloaded"), notDownloaded},
        {QStringLiteral("duplicateRows"), duplicateRows},
        {QStringLiteral("duplicateRequests"), duplicateRequests},
        {QStringLiteral("halfWritten"), halfWritten},
        {QStringLiteral("partFiles"), partFiles},
        {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
    };
}

} // namespace gls::drill
