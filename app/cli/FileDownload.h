#pragma once

// Downloads one S3 object into a folder under the key's file name, with a
// progress line on a terminal (at most ten updates a second). Used by
// `download` and by `export --download`.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace gls::aws {
struct AwsError;
}
namespace gls::s3 {
class DownloadJob;
class S3Client;
} // namespace gls::s3

namespace gls::cli {

class Output;

class FileDownload : public QObject {
    Q_OBJECT
public:
    FileDownload(s3::S3Client *client, Output *out, QObject *parent = nullptr);

    // The file name a key is saved under: its last segment ("" for a folder key).
    static QString fileNameFor(const QString &key);
    // Why `path` may not be written: it exists and `overwrite` is off; else empty.
    static QString existingFileProblem(const QString &path, bool overwrite);

    // `sha256`: also compute the file's SHA-256 as the bytes arrive (sha256Hex()).
    void start(const QString &bucket, const QString &key, const QString &folder, bool overwrite, bool sha256 = false);
    void cancel();
    // The downloaded file's SHA-256 (lowercase hex) once succeeded() came, when start() asked for it.
    QString sha256Hex() const { return m_sha256Hex; }

Q_SIGNALS:
    // `file`: the --json "download" object (JsonFields.h, downloadedFile).
    void succeeded(const QJsonObject &file, const QString &path, qint64 bytes);
    void failed(const gls::aws::AwsError &error);

private:
    void onProgress(qint64 bytes, qint64 total);

    s3::S3Client *m_client;
    Output *m_out;
    QPointer<s3::DownloadJob> m_job;
    QString m_name;
    QString m_sha256Hex;
    QElapsedTimer m_sinceProgress;
};

} // namespace gls::cli
