#pragma once

// What the benchmark talks to: the endpoints a running gls-emulator printed
// (its one JSON line), the key to sign with, and a few probes of the emulator
// process read from /proc (CPU time, peak resident memory).

#include "sigv4/SigV4.h"

#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QUrl>

namespace gls::bench {

struct BenchTarget {
    QUrl gamelift;
    QUrl s3;
    QString caPath;
    QList<QSslCertificate> caCertificates;
    qint64 pid = 0;
    QByteArray region;
    sigv4::Credentials credentials;

    // Reads the endpoint JSON from `source` (a file, or "-" for stdin) and the
    // key from GLS_EMULATOR_ACCESS_KEYS (its first ID:SECRET[:TOKEN]; the
    // emulator's demo key when unset).
    static bool load(const QString &source, BenchTarget *out, QString *error);
};

// CPU time (user + system) a process has used so far, in seconds; -1 when unreadable.
double processCpuSeconds(qint64 pid);
// CPU time of this process so far, in seconds.
double selfCpuSeconds();
// A "VmHWM"/"VmRSS" line of /proc/PID/status, in KiB; -1 when unreadable.
qint64 procStatusKiB(qint64 pid, QByteArrayView field);

} // namespace gls::bench
