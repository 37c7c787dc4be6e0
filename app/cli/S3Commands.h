#pragma once

// `download` and `presign`: S3 objects by their s3://bucket/key URI.

#include "Command.h"

#include <QPointer>

namespace gls::cli {

class FileDownload;

class DownloadCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;

protected:
    void stopWork() override;

private:
    QPointer<FileDownload> m_download;
};

class PresignCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
};

// The object an s3://bucket/key argument names; false with the rule broken
// (the key must name an object, not a folder).
bool parseObjectUri(const QString &text, QString *bucket, QString *key, QString *error);

} // namespace gls::cli
