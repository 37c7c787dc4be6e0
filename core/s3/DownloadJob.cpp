#include "DownloadJob.h"

#include "S3Client.h"

#include <QFileInfo>

#include <algorithm>
#include <filesystem>

namespace gls::s3 {

namespace {

constexpr qsizetype kSliceBytes = 64 * 1024; // digested then written while in the CPU's cache

} // namespace

DownloadJob::DownloadJob(S3Client *client, DownloadRequest request, QObject *parent)
    : S3Job(client, QStringLiteral("GetObject"), parent)
    , m_request(std::move(request))
{
    if (m_request.sha256)
        m_sha256 = std::make_unique<StreamDigest>(StreamDigest::Algorithm::Sha256);
}

DownloadJob::~DownloadJob()
{
    if (!isFinished())
        cleanUp();
}

QString DownloadJob::partPath(const QString &destination)
{
    return destination + QStringLiteral(".part");
}

void DownloadJob::failLocal(const QString &type, const QString &message)
{
    failWith(aws::AwsError::Kind::Client, type, message);
}

void DownloadJob::run()
{
    if (!checkObject(m_request.bucket, m_request.key))
        return;
    QString problem;
    if (m_request.destination.isEmpty())
        problem = QStringLiteral("destination: no file name was given");
    if (problem.isEmpty() && m_request.maxResumes < 0)
        problem = QStringLiteral("maxResumes must be 0 or more (it is %1)").arg(m_request.maxResumes);
    const QFileInfo destination(m_request.destination);
    if (problem.isEmpty() && destination.isDir())
        problem = QStringLiteral("destination: '%1' is a folder; name the file to write").arg(m_request.destination);
    if (problem.isEmpty() && destination.exists() && !m_request.overwrite)
        problem = QStringLiteral("destination: '%1' already exists; choose another name or allow overwriting")
                      .arg(m_request.destination);
    if (!problem.isEmpty()) {
        failWith(aws::AwsError::Kind::Validation, QStringLiteral("InvalidDownload"), problem);
        return;
    }
    fetchInfo();
}

// HeadObject first: the size to expect and the ETag every GET is bound to.
void DownloadJob::fetchInfo()
{
    m_head = new HeadObjectJob(client(), m_request.bucket, m_request.key, this);
    connect(m_head, &HeadObjectJob::succeeded, this, &DownloadJob::begin);
    connect(m_head, &S3Job::failed, this, [this](const aws::AwsError &e) { fail(e); });
    connect(m_head, &S3Job::finished, m_head, &QObject::deleteLater);
    m_head->start();
}

void DownloadJob::begin(const ObjectInfo &info)
{
    m_info = info;
    m_check = info.integrityCheck();
    m_written = 0;
    m_crc.reset();
    m_md5.reset();
    if (m_sha256)
        m_sha256->reset();
    m_part.close();
    m_part.setFileName(partPath(m_request.destination));
    // Unbuffered: each chunk goes to the file in one write, not copied into QFile's buffer first.
    if (!m_part.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        failLocal(QStringLiteral("FileError"),
            QStringLiteral("cannot write '%1': %2").arg(m_part.fileName(), m_part.errorString()));
        return;
    }
    Q_EMIT progress(0, m_info.size);
    requestBytes();
}

void DownloadJob::requestBytes()
{
    if (m_written == m_info.size) {
        finishFile();
        return;
    }
    aws::AwsRequest request;
    request.headers.append({"if-match", m_info.etag});
    if (m_written > 0)
        request.headers.append({"range", "bytes=" + QByteArray::number(m_written) + '-'});
    request.onData = [this](QByteArrayView chunk) { return write(chunk); };
    m_writeProblem.clear();
    send(
        m_request.bucket, m_request.key, request, [this](const aws::AwsResponse &) { onAnswerEnded(); },
        [this](const aws::AwsError &e) { onError(e); });
}

bool DownloadJob::write(QByteArrayView chunk)
{
    if (m_written + chunk.size() > m_info.size) {
        m_writeProblem = QStringLiteral("S3 sent more than the object's %1 bytes").arg(m_info.size);
        return false;
    }
    // Slice by slice, so the bytes the digests just read are still in the CPU's
    // cache when the kernel copies them into the file: a chunk is up to 1 MiB,
    // and reading it from memory twice cost more than the digests themselves.
    for (qsizetype at = 0; at < chunk.size(); at += kSliceBytes) {
        const QByteArrayView slice = chunk.sliced(at, std::min(kSliceBytes, chunk.size() - at));
        if (m_check == ObjectInfo::Check::Crc64Nvme)
            m_crc.addData(slice);
        else if (m_check == ObjectInfo::Check::Md5)
            m_md5.addData(slice);
        if (m_sha256)
            m_sha256->addData(slice);
        if (m_part.write(slice.data(), slice.size()) != slice.size()) {
            m_writeProblem = QStringLiteral("cannot write '%1': %2").arg(m_part.fileName(), m_part.errorString());
            return false;
        }
    }
    m_written += chunk.size();
    Q_EMIT progress(m_written, m_info.size);
    return true;
}

void DownloadJob::onAnswerEnded()
{
    if (m_written == m_info.size) {
        finishFile();
        return;
    }
    aws::AwsError e;
    e.kind = aws::AwsError::Kind::Network;
    e.type = QStringLiteral("IncompleteBody");
    e.message = QStringLiteral("the answer ended after %1 of %2 bytes").arg(m_written).arg(m_info.size);
    e.operation = operation();
    resumeOrFail(e);
}

void DownloadJob::onError(const aws::AwsError &error)
{
    if (!m_writeProblem.isEmpty()) {
        failLocal(QStringLiteral("FileError"), m_writeProblem);
        return;
    }
    if (error.httpStatus == 412) {
        if (m_restarted) {
            aws::AwsError e = error;
            e.message = QStringLiteral("s3://%1/%2 changed twice while it was being downloaded")
                            .arg(m_request.bucket, m_request.key);
            fail(e);
            return;
        }
        qCInfo(lcS3).noquote() << "s3://" + m_request.bucket + '/' + m_request.key
                + " changed while downloading; starting again";
        m_restarted = true;
        fetchInfo();
        return;
    }
    if (error.kind == aws::AwsError::Kind::Network || error.kind == aws::AwsError::Kind::Timeout) {
        resumeOrFail(error);
        return;
    }
    fail(error);
}

void DownloadJob::resumeOrFail(const aws::AwsError &error)
{
    if (m_written == m_info.size) { // every byte arrived before the connection broke
        finishFile();
        return;
    }
    if (m_resumes >= m_request.maxResumes) {
        aws::AwsError e = error;
        e.message += QStringLiteral(" (gave up after %1 resumes, at %2 of %3 bytes)")
                         .arg(m_resumes)
                         .arg(m_written)
                         .arg(m_info.size);
        fail(e);
        return;
    }
    ++m_resumes;
    qCInfo(lcS3).noquote() << "resuming s3://" + m_request.bucket + '/' + m_request.key << "at byte" << m_written
                           << "after" << error.toString();
    if (!m_part.flush()) {
        failLocal(QStringLiteral("FileError"),
            QStringLiteral("cannot write '%1': %2").arg(m_part.fileName(), m_part.errorString()));
        return;
    }
    requestBytes();
}

void DownloadJob::finishFile()
{
    if (!m_part.flush()) {
        failLocal(QStringLiteral("FileError"),
            QStringLiteral("cannot write '%1': %2").arg(m_part.fileName(), m_part.errorString()));
        return;
    }
    m_part.close();
    const qint64 onDisk = QFileInfo(m_part.fileName()).size();
    if (onDisk != m_info.size) {
        failLocal(QStringLiteral("SizeMismatch"),
            QStringLiteral("'%1' holds %2 bytes but s3://%3/%4 has %5")
                .arg(m_part.fileName())
                .arg(onDisk)
                .arg(m_request.bucket, m_request.key)
                .arg(m_info.size));
        return;
    }
    if (m_check == ObjectInfo::Check::Crc64Nvme && m_crc.value() != *m_info.crc64Nvme) {
        failLocal(QStringLiteral("ChecksumMismatch"),
            QStringLiteral("the CRC64NVME of the downloaded bytes is %1 but s3://%2/%3 has %4")
                .arg(QString::fromLatin1(Crc64Nvme::toHeader(m_crc.value())), m_request.bucket, m_request.key,
                    QString::fromLatin1(Crc64Nvme::toHeader(*m_info.crc64Nvme))));
        return;
    }
    if (m_check == ObjectInfo::Check::Md5) {
        const QByteArray md5 = m_md5.result().toHex();
        if (md5 != m_info.unquotedEtag().toLower()) {
            failLocal(QStringLiteral("ChecksumMismatch"),
                QStringLiteral("the MD5 of the downloaded bytes is %1 but s3://%2/%3 has ETag %4")
                    .arg(QString::fromLatin1(md5), m_request.bucket, m_request.key,
                        QString::fromLatin1(m_info.etag)));
            return;
        }
    }
    if (m_sha256)
        m_sha256Hex = QString::fromLatin1(m_sha256->result().toHex());
    const QString destination = m_request.destination;
    bool moved = false;
    QString why;
    if (m_request.overwrite) {
        // Atomic replacement of an existing file (QFile::rename refuses one).
        std::error_code ec;
        std::filesystem::rename(std::filesystem::path(m_part.fileName().toStdU16String()),
            std::filesystem::path(destination.toStdU16String()), ec);
        moved = !ec;
        why = QString::fromStdString(ec.message());
    } else if (QFileInfo::exists(destination)) {
        why = QStringLiteral("it appeared while downloading and overwriting was not allowed");
    } else {
        QFile part(m_part.fileName());
        moved = part.rename(destination);
        why = part.errorString();
    }
    if (!moved) {
        failLocal(QStringLiteral("FileError"),
            QStringLiteral("cannot rename '%1' to '%2': %3").arg(m_part.fileName(), destination, why));
        return;
    }
    Q_EMIT succeeded(destination, m_info);
    complete();
}

void DownloadJob::cleanUp()
{
    if (m_head)
        m_head->cancel();
    if (!m_part.fileName().isEmpty()) {
        m_part.close();
        QFile::remove(m_part.fileName());
    }
}

} // namespace gls::s3
