#pragma once

// The tracker benchmark's scenario: N PENDING exports spread over the stream
// groups of a running gls-emulator, followed by the app's own code (an
// ExportStore, ExportCoordinator::resume() and the ExportTracker it owns,
// the real transport and GameLift Streams client, over TLS) as the desktop
// app follows them after a start, in three phases:
//
// 1. start: resume() looks at every group once;
// 2. running: every session still runs; a window of `runningIntervals`
//    running intervals;
// 3. ending: the sessions end in four batches, each once the previous batch's
//    exports are SUCCEEDED, until none is pending.
//
// Requests are counted by the emulator (/_emulator/stats), reset before each
// phase. The tracker runs `speedup` times faster than in production (every
// interval divided, every pace multiplied, the transport's pace too), so a
// run takes seconds; the figures are given back in production time
// ("requests per minute" = requests / (elapsed x speedup)). Set-up (sessions,
// ExportStreamSessionFiles, store rows) goes through the benchmark's own
// signed requests and is not counted.

#include "BenchTarget.h"

#include <QJsonObject>

namespace gls::bench {

struct TrackerRunOptions {
    int exports = 200;
    double speedup = 100;        // tracker time runs this much faster than production
    double runningIntervals = 2; // length of the running window, in running intervals
    int batches = 4;             // the sessions end in this many batches
    QString storeFolder;         // the export store's folder (a temporary one)
};

// One run; *report gets kind "tracker" with every figure.
bool runTrackerScenario(
    const BenchTarget &target, const TrackerRunOptions &options, QJsonObject *report, QString *error);

} // namespace gls::bench
