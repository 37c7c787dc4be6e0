#pragma once

// Writes the ZIP that Amazon GameLift Streams produces when a session with a
// pending export ends: application/, profile/, temp/ and stats/. Content is
// generated deterministically from the spec, streamed into the archive, and
// never held whole in memory, so archives of several GiB are fine.

#include <QDateTime>
#include <QString>

namespace gls::emu {

struct ArchiveSpec {
    QString sessionId;
    QString streamGroupId;
    QString applicationId;
    QString userId;
    QString location;
    QDateTime startedAt; // UTC
    QDateTime endedAt;   // UTC
    quint64 seed = 0;
    // Approximate total uncompressed size; the bulk goes into one stored
    // (uncompressed) replay file of incompressible bytes. Small archives are
    // never smaller than their fixed files.
    qint64 targetSize = 256 * 1024;
};

// Writes the archive to destPath through a temporary file in the same folder
// that is renamed only when complete. Returns false with a reason in *error.
bool writeSessionArchive(const ArchiveSpec &spec, const QString &destPath, QString *error);

} // namespace gls::emu
