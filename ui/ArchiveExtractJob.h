#pragma once

// One safe extraction (core's SafeExtractor) on a worker thread: start(),
// progress in percent, and finished() with the result, all delivered on the
// thread that owns the job. The job opens its own ZipArchive (a ZipArchive is
// used by one thread at a time). Destroying a running job cancels it and waits
// for the worker to stop.

#include "archive/SafeExtractor.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace gls::ui {

class ArchiveExtractJob : public QObject {
    Q_OBJECT
public:
    // `options.progress` is replaced by the job's own.
    ArchiveExtractJob(QString zipPath, QString folder, archive::ExtractOptions options, QObject *parent = nullptr);
    ~ArchiveExtractJob() override;

    void start();
    // Asks the worker to stop at its next progress step (the result is then
    // Cancelled, or what was already decided).
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }
    const archive::ExtractResult &result() const { return m_result; }

Q_SIGNALS:
    void progress(int percent);
    void finished(const gls::archive::ExtractResult &result);

private:
    QString m_zipPath;
    QString m_folder;
    archive::ExtractOptions m_options;
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<archive::ExtractResult> m_pending = std::make_shared<archive::ExtractResult>();
    archive::ExtractResult m_result;
};

} // namespace gls::ui
