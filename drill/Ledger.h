#pragma once

// What a drill's sessions came to, told twice and compared: the emulator's
// ground truth (how many ExportStreamSessionFiles it carried out per session,
// the export's status and archive) against the shared export store's rows and
// the files in the download folder.
//
// - lost: the service exported the session (or is exporting it) and the store
//   has no row for it, or no SUCCEEDED row for a SUCCEEDED export, or the row
//   never settled (REQUESTING, PENDING, UNKNOWN at the end);
// - phantom: the store says PENDING/SUCCEEDED for a session the service never
//   exported;
// - duplicated: more than one row for a session, or more than one
//   ExportStreamSessionFiles carried out for it;
// - half-written: a file (not .part) in the download folder whose bytes are not
//   the archive's, or a row marked DONE whose file is missing or different.

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace gls::drill {

class DrillWorld;

struct DrillSession {
    QString group;
    QString id;
};

class Ledger {
public:
    // Reads the emulator (faults and rate limit off first) and the store. `expectDownloads`:
    // every SUCCEEDED export should end with its archive downloaded.
    Ledger(const DrillWorld &world, const QList<DrillSession> &sessions, bool expectDownloads);

    int sessions = 0;
    int exportedAtService = 0;   // sessions with an export on the service
    int succeededAtService = 0;
    int failedAtService = 0;
    int storeRows = 0;
    int succeeded = 0;           // SUCCEEDED in the store and at the service
    int downloaded = 0;          // ... with the archive on disk, bytes verified
    int failed = 0;              // FAILED in the store
    int requestNeverArrived = 0; // a row the store settled FAILED: the service has no export for it
    int lost = 0;
    int phantom = 0;
    int unsettled = 0;
    int notDownloaded = 0;
    int duplicateRows = 0;       // sessions with more than one row
    int duplicateRequests = 0;   // sessions the service exported more than once
    int halfWritten = 0;
    int partFiles = 0;           // leftover .part files (allowed: never under the final name)
    QMap<QString, int> storeStatuses;
    QMap<QString, int> failReasons;
    QStringList problems;        // one line per lost / phantom / duplicate / half-written finding

    QJsonObject toJson() const;
};

} // namespace gls::drill
