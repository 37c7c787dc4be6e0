#pragma once

// The fault drill: N exports through gls-exporter-cli against a gls-emulator
// that throttles, fails, resets, truncates and stalls a share of its answers
// and whose clock is 20 minutes off. `export` asks for each (several at a
// time), the sessions are ended through the control endpoint, then one
// `exports watch --download` (the ExportTracker and ExportCoordinator)
// follows them all to SUCCEEDED and fetches the archives. The figures: exports
// completed and failed, requests per export by operation, duplicates, crashes
// and wall time (Ledger.h says how the outcome is judged).

#include <QJsonObject>
#include <QString>

namespace gls::drill {

struct FaultDrillOptions {
    QString workDir;
    int exports = 100;
    int parallel = 4; // `export` processes at a time
    quint64 seed = 1;
    double throttle = 0.30;
    double error500 = 0.05;
    double error503 = 0.05;
    double reset = 0.05;
    double truncate = 0.05;
    double stall = 0.05;
    int stallMs = 2000;
    qint64 clockSkewSeconds = 1200;
    double timeScale = 60; // once the sessions are ended (1 before: no session ends on its own)
    int watchTimeoutSeconds = 600;
};

// Runs the drill; the report as JSON (ok: no lost export, no duplicate row, no crash).
QJsonObject runFaultDrill(const FaultDrillOptions &options);
// The report as Markdown.
QString faultDrillMarkdown(const QJsonObject &report);

} // namespace gls::drill
