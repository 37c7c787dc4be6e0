#pragma once

// Downloads one object to a file, streamed (never the whole object in
// memory) into "<destination>.part" beside the destination, which takes the
// final name only once its size equals the object's and its checksum matches:
// the CRC64NVME S3 keeps for the full object when HeadObject gives one (what
// the AWS SDKs validate), else the MD5 when the ETag is one.
//
// - An existing destination is never replaced unless `overwrite` is set; the
//   job then fails with Kind::Validation before anything is sent.
// - The object is read with If-Match on the ETag HeadObject gave, so its bytes
//   all come from one version. After an interruption (connection reset,
//   truncated body, timeout) the download resumes with Range: bytes=N- from
//   where the .part file ends, up to `maxResumes` times. If the object changed
//   meanwhile (412), it starts again from zero once.
// - On failure or cancel the .part file is removed: a resume is only ever
//   trusted within one job, where the bytes and their MD5 state are known to
//   come from the version being read. A stale .part from an earlier run is
//   overwritten.
// - The checksums are computed as the bytes arrive, so the file is never read
//   back: CRC64NVME (folded with carry-less multiplication: about 0.03 s per
//   GiB here, against MD5's 1.3 s) or MD5, and SHA-256 when asked (sha256Hex()).
//   The file is written unbuffered, one write per chunk the network gave.
// - The GET is read on this thread straight from its socket (aws::StreamingGet,
//   through the transport), not through QNetworkAccessManager's thread.

#include "HeadObjectJob.h"
#include "ObjectInfo.h"
#include "Crc64Nvme.h"
#include "S3Job.h"
#include "StreamDigest.h"

#include <QFile>
#include <QPointer>

#include <memory>

namespace gls::s3 {

struct DownloadRequest {
    QString bucket;
    QString key;
    QString destination;    // the final file path
    bool overwrite = false; // replace an existing destination file
    int maxResumes = 5;     // resumes after interruptions, in all
    bool sha256 = false;    // also compute the bytes' SHA-256 as they arrive (DownloadJob::sha256Hex)
};

class DownloadJob : public S3Job {
    Q_OBJECT
public:
    DownloadJob(S3Client *client, DownloadRequest request, QObject *parent = nullptr);
    ~DownloadJob() override;

    const DownloadRequest &request() const { return m_request; }
    const ObjectInfo &info() const { return m_info; }
    qint64 bytesWritten() const { return m_written; }
    int resumes() const { return m_resumes; } // how many times it continued with Range
    bool restarted() const { return m_restarted; }
    // The file's SHA-256 (lowercase hex) once succeeded, when the request asked for it; else empty.
    QString sha256Hex() const { return m_sha256Hex; }
    // What the bytes are checked against (known once HeadObject answered).
    ObjectInfo::Check check() const { return m_check; }

    // "<destination>.part": where the bytes go until they are complete.
    static QString partPath(const QString &destination);

Q_SIGNALS:
    void progress(qint64 bytes, qint64 total);
    void succeeded(const QString &path, const gls::s3::ObjectInfo &info);

protected:
    void run() override;
    void cleanUp() override;

private:
    void fetchInfo();
    void begin(const ObjectInfo &info);
    void requestBytes();
    bool write(QByteArrayView chunk);
    void onAnswerEnded();
    void onError(const aws::AwsError &error);
    void resumeOrFail(const aws::AwsError &error);
    void finishFile();
    void failLocal(const QString &type, const QString &message);

    DownloadRequest m_request;
    ObjectInfo m_info;
    QFile m_part;
    ObjectInfo::Check m_check = ObjectInfo::Check::SizeOnly;
    Crc64Nvme m_crc;
    StreamDigest m_md5{StreamDigest::Algorithm::Md5};
    std::unique_ptr<StreamDigest> m_sha256; // when the request asks for it
    QString m_sha256Hex;
    QPointer<HeadObjectJob> m_head;
    qint64 m_written = 0;
    int m_resumes = 0;
    bool m_restarted = false;
    QString m_writeProblem; // set when write() refused a chunk
};

} // namespace gls::s3

Q_DECLARE_METATYPE(gls::s3::DownloadRequest)
