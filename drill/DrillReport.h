#pragma once

// What both drills report the same way: how the program runs ended, the
// emulator's request counters per export, the load average, and the Markdown
// for them.

#include "DrillWorld.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace gls::drill {

// How a set of runs ended: a count per outcome ("exit 0", "exit 5", "killed", ...),
// crashes (a signal the drill did not send, or a hang), and the first error lines.
struct RunSummary {
    explicit RunSummary(const QList<RunResult> &runs);

    int runs = 0;
    int crashes = 0;
    QMap<QString, int> outcomes;
    QMap<QString, int> errors; // stderr's last line of failed runs, counted

    QJsonObject toJson() const;
};

// The emulator's counters (GET /_emulator/stats) divided by `exports`, per operation.
QJsonObject requestsPerExport(const QJsonObject &stats, int exports);
QString requestsMarkdown(const QJsonObject &requests);
// "exit 0: 95, exit 5: 5"
QString outcomesText(const QJsonObject &runSummary);
// The problems found and the failure reasons, as Markdown sections.
QString problemsMarkdown(const QJsonObject &report, const QJsonObject &outcome);
// /proc/loadavg's first three figures.
QString loadAverage();

} // namespace gls::drill
