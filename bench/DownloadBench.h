#pragma once

// The download benchmark's in-process part: downloads one object through the
// app's own code in this process, as the desktop app does
// (ExportCoordinator::download: a store row, the DownloadJob, the SHA-256
// recorded) or as the CLI's `download` does (s3::DownloadJob alone), timing it
// and sampling this process's resident memory on a thread of its own every
// few milliseconds. (Processes, gls-exporter-cli and curl, are measured by
// gls-bench-run.)

#include "BenchTarget.h"

#include <QJsonObject>

namespace gls::bench {

// The resident set of this process now (/proc/self/statm), in KiB.
qint64 currentRssKiB();

struct InProcessOptions {
    QString via = QStringLiteral("coordinator"); // "coordinator" or "job"
    QString bucket;
    QString key;
    QString folder;        // where the file goes (created when missing)
    int sampleEveryMs = 2; // RSS sampling period
};

// One download; *report gets kind "inproc" with the figures.
bool downloadInProcess(const BenchTarget &target, const InProcessOptions &options, QJsonObject *report, QString *error);

} // namespace gls::bench
