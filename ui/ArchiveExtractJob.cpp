#include "ArchiveExtractJob.h"

#include <QThread>

namespace gls::ui {

using archive::ExtractResult;

ArchiveExtractJob::ArchiveExtractJob(QString zipPath, QString folder, archive::ExtractOptions options, QObject *parent)
    : QObject(parent)
    , m_zipPath(std::move(zipPath))
    , m_folder(std::move(folder))
    , m_options(std::move(options))
{
}

ArchiveExtractJob::~ArchiveExtractJob()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void ArchiveExtractJob::cancel()
{
    m_cancel->store(true);
}

void ArchiveExtractJob::start()
{
    if (m_thread)
        return;
    archive::ExtractOptions options = m_options;
    auto cancel = m_cancel;
    auto lastPercent = std::make_shared<int>(-1); // touched by the worker only
    options.progress = [this, cancel, lastPercent](qint64 done, qint64 total, const QString &) {
        const int percent = total > 0 ? int(done * 100 / total) : 0;
        if (percent != *lastPercent) {
            *lastPercent = percent;
            // Safe: the job waits for this thread before it goes away, and
            // queued calls to a deleted object are dropped.
            QMetaObject::invokeMethod(
                this, [this, percent] { Q_EMIT progress(percent); }, Qt::QueuedConnection);
        }
        return !cancel->load();
    };
    auto pending = m_pending;
    m_thread = QThread::create([path = m_zipPath, folder = m_folder, options, pending] {
        archive::ZipArchive zip;
        archive::ArchiveError error;
        if (!zip.open(path, &error)) {
            pending->status = ExtractResult::Failed;
            pending->rule = QStringLiteral("bad-archive");
            pending->message = error.message;
            return;
        }
        *pending = archive::SafeExtractor(zip, options).extractTo(folder);
    });
    connect(m_thread, &QThread::finished, this, [this] {
        m_thread->wait();
        m_thread->deleteLater();
        m_thread = nullptr;
        m_result = *m_pending;
        Q_EMIT finished(m_result);
    });
    m_thread->start();
}

} // namespace gls::ui
