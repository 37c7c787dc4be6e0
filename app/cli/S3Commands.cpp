#include "S3Commands.h"

#include "FileDownload.h"
#include "Format.h"
#include "JsonFields.h"
#include "Output.h"

#include "aws/AwsError.h"
#include "s3/S3Client.h"
#include "s3/S3Uri.h"

namespace gls::cli {

bool parseObjectUri(const QString &text, QString *bucket, QString *key, QString *error)
{
    s3::S3Uri uri;
    if (!s3::parseS3Uri(text, &uri, error, QStringLiteral("the S3 URI")))
        return false;
    if (uri.isFolder()) {
        *error = QStringLiteral("the S3 URI '%1' names a folder, not an object; give s3://BUCKET/KEY").arg(text);
        return false;
    }
    *bucket = uri.bucket;
    *key = uri.key;
    return true;
}

void DownloadCommand::start()
{
    QString bucket, key, error, folder;
    if (!parseObjectUri(args().positionals.value(0), &bucket, &key, &error)) {
        usage(error);
        return;
    }
    if (!outputFolder(QStringLiteral("to"), QStringLiteral("."), &folder))
        return;
    s3::S3Client *client = s3();
    if (!client)
        return;
    m_download = new FileDownload(client, out(), this);
    connect(m_download, &FileDownload::failed, this, &DownloadCommand::finishWithError);
    connect(
        m_download, &FileDownload::succeeded, this, [this](const QJsonObject &file, const QString &path, qint64 bytes) {
            if (out()->json())
                out()->writeJson(file);
            else
                out()->write(QStringLiteral("Downloaded %1 (%2, %3 checked)\n")
                                 .arg(path, displayBytes(bytes), file.value(QStringLiteral("checkedWith")).toString()));
            finish(code(ExitCode::Ok));
        });
    m_download->start(bucket, key, folder, args().isSet(QStringLiteral("overwrite")));
}

void DownloadCommand::stopWork()
{
    if (m_download)
        m_download->cancel();
}

void PresignCommand::start()
{
    QString bucket, key, error;
    if (!parseObjectUri(args().positionals.value(0), &bucket, &key, &error)) {
        usage(error);
        return;
    }
    qint64 expires = 0;
    if (!wholeNumber(QStringLiteral("expires"), 1, 7 * 24 * 3600, 3600, &expires))
        return;
    s3::S3Client *client = s3();
    if (!client)
        return;
    auto *job = client->presignGetObject(bucket, key, expires, this);
    connect(job, &s3::S3Job::failed, this, &PresignCommand::finishWithError);
    connect(job, &s3::PresignJob::succeeded, this,
        [this, bucket, key, expires](const QString &url, const QDateTime &expiresAt) {
            if (out()->json()) {
                out()->writeJson({{QStringLiteral("uri"), QStringLiteral("s3://%1/%2").arg(bucket, key)},
                    {QStringLiteral("url"), url}, {QStringLiteral("expiresAt"), json::time(expiresAt)},
                    {QStringLiteral("expiresInSeconds"), expires}});
            } else {
                out()->write(url + QLatin1Char('\n'));
                out()->note(QStringLiteral("Valid until %1 (%2). Anyone holding this URL can download the object.")
                                .arg(displayTime(expiresAt), displayDuration(expires * 1000)));
            }
            finish(code(ExitCode::Ok));
        });
    connect(job, &s3::S3Job::finished, job, &QObject::deleteLater);
    job->start();
}

} // namespace gls::cli
