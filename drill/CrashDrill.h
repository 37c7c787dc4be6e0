#pragma once

// The crash drill: gls-exporter-cli (`export` of a fresh ACTIVE session,
// `exports watch --download`) and gls-exporter (offscreen; it resumes the
// store's exports at start) run against one gls-emulator and one export
// store, and are SIGKILLed at random points (seeded), again and again; the
// phase each kill struck is read from the store and the emulator's counters.
// Sessions are ended as users leave, then a last unkilled `exports watch`
// settles everything, and the emulator's ground truth is compared with the
// store and the download folder (Ledger.h). The desktop app is not driven to
// request exports (it has no way to be told to without clicks): it is killed
// while it follows and downloads.

#include <QJsonObject>
#include <QString>

namespace gls::drill {

struct CrashDrillOptions {
    QString workDir;
    int kills = 50;
    quint64 seed = 1;
    double timeScale = 60;
    int maxSeconds = 270; // stop killing after this long, whatever the count
    int stallMs = 1500;   // half the export answers and archive downloads wait this long
};

QJsonObject runCrashDrill(const CrashDrillOptions &options);
QString crashDrillMarkdown(const QJsonObject &report);

} // namespace gls::drill
