#include "FileDownload.h"

#include "Format.h"
#include "JsonFields.h"
#include "Output.h"

#include "s3/S3Client.h"

#include "aws/AwsError.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace gls::cli {

FileDownload::FileDownload(s3::S3Client *client, Output *out, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_out(out)
{
}

QString FileDownload::fileNameFor(const QString &key)
{
    return key.section(QLatin1Char('/'), -1);
}

void FileDownload::start(const QString &bucket, const QString &key, const QString &folder, bool overwrite, bool sha256)
{
    m_name = fileNameFor(key);
    s3::DownloadRequest request;
    request.bucket = bucket;
    request.key = key;
    request.destination = QDir(folder).filePath(m_name);
    request.overwrite = overwrite;
    request.sha256 = sha256;
    if (const QString problem = existingFileProblem(request.destination, overwrite); !problem.isEmpty()) {
        aws::AwsError e;
        e.kind = aws::AwsError::Kind::Validation;
        e.type = QStringLiteral("FileExists");
        e.message = problem;
        QTimer::singleShot(0, this, [this, e] { Q_EMIT failed(e); });
        return;
    }
    m_job = m_client->download(request, this);
    connect(m_job, &s3::DownloadJob::progress, this, &FileDownload::onProgress);
    connect(m_job, &s3::S3Job::failed, this, [this](const aws::AwsError &e) { Q_EMIT failed(e); });
    connect(
        m_job, &s3::DownloadJob::succeeded, this, [this, bucket, key](const QString &path, const s3::ObjectInfo &info) {
            m_out->clearProgress();
            m_sha256Hex = m_job ? m_job->sha256Hex() : QString();
            Q_EMIT succeeded(json::downloadedFile(bucket, key, path, info), path, info.size);
        });
    connect(m_job, &s3::S3Job::finished, m_job, &QObject::deleteLater);
    m_job->start();
}

QString FileDownload::existingFileProblem(const QString &path, bool overwrite)
{
    if (overwrite || !QFileInfo::exists(path))
        return {};
    return QStringLiteral("'%1' already exists; pass --overwrite to replace it").arg(path);
}

void FileDownload::cancel()
{
    if (m_job)
        m_job->cancel(); // removes the .part file
}

void FileDownload::onProgress(qint64 bytes, qint64 total)
{
    if (!m_out->showsProgress())
        return;
    if (m_sinceProgress.isValid() && m_sinceProgress.elapsed() < 100 && bytes < total)
        return;
    m_sinceProgress.start();
    const int percent = total > 0 ? int(bytes * 100 / total) : 100;
    m_out->progress(QStringLiteral("Downloading %1: %2 of %3 (%4%)")
                        .arg(m_name, displayBytes(bytes), displayBytes(total))
                        .arg(percent));
}

} // namespace gls::cli
