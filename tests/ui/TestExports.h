#pragma once

// Test support for the window tests: a real export store in a temporary
// SQLite file and the coordinator around it, whose GameLift Streams clients
// come from the test's own factory, and whose tracker looks at running
// sessions every second (the emulator ends them through its control API,
// which the app cannot see coming).

#include "exports/ExportCoordinator.h"
#include "exports/ExportStore.h"
#include "exports/ExportTracker.h"

#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace gls::test {

class TestExports {
public:
    using Factory = std::function<gamelift::GameLiftClient *(const QString &region, QString *error)>;

    explicit TestExports(Factory factory)
        : m_store(std::make_unique<exports::ExportStore>(m_dir.filePath(QStringLiteral("exports.sqlite"))))
    {
        m_store->open(&m_error);
        exports::ExportCoordinator::Clients clients;
        clients.gameLift = [factory](const QString &, const QString &region, QString *error) {
            return factory(region, error);
        };
        exports::ExportTracker::Settings fast;
        fast.runningIntervalMs = 1'000;
        fast.endedFirstMs = 500;
        fast.endedMaxMs = 2'000;
        fast.requestsPerSecond = 50;
        auto *tracker = new exports::ExportTracker(
            [factory](const QString &, const QString &region) {
                QString ignored;
                return factory(region, &ignored);
            },
            fast);
        m_coordinator = std::make_unique<exports::ExportCoordinator>(m_store.get(), clients, tracker);
    }

    bool ok() const { return m_store->isOpen(); }
    QString error() const { return m_error; }
    exports::ExportCoordinator *coordinator() const { return m_coordinator.get(); }
    exports::ExportStore *store() const { return m_store.get(); }
    // Ends the tracking (its jobs) before the clients it uses go.
    void reset() { m_coordinator.reset(); }

private:
    QTemporaryDir m_dir;
    QString m_error;
    std::unique_ptr<exports::ExportStore> m_store;
    std::unique_ptr<exports::ExportCoordinator> m_coordinator;
};

} // namespace gls::test
