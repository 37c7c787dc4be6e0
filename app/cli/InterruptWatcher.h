#pragma once

// Turns SIGINT and SIGTERM into a Qt signal, so a command can stop cleanly
// (a download removes its .part file) instead of dying mid-write. A second
// Ctrl+C while stopping ends the process at once (the default action).

#include <QObject>

class QSocketNotifier;

namespace gls::cli {

class InterruptWatcher : public QObject {
    Q_OBJECT
public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

    bool isActive() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void interrupted();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gls::cli
