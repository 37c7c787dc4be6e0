#pragma once

// Test support for the S3 client: a real gls-emulator over TLS, an
// aws::AwsTransport on a QNetworkAccessManager trusting the emulator's CA, an
// S3Client on top, and the emulator-side helpers the tests need (make an
// archive exist through an export, read the request stats, inject faults).

#include "EmulatorHarness.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "s3/S3Client.h"

#include <QJsonObject>
#include <QNetworkAccessManager>

#include <memory>

namespace gls::test {

class S3Fixture {
public:
    // Starts the emulator (rate limit off, us-west-2 and us-east-2, the
    // buckets gls-exports and east-bucket in us-east-2) with `extraArgs`.
    explicit S3Fixture(const QStringList &extraArgs = {});
    ~S3Fixture();

    bool ok() const { return m_emu->ok(); }
    QString errorText() const { return m_emu->errorText(); }
    Emulator &emulator() const { return *m_emu; }
    s3::S3Client *client() const { return m_client.get(); }
    aws::AwsTransport *transport() const { return m_transport.get(); }

    // A transport and client of their own (fresh Region cache), signing with
    // `clock` (the system clock when null) and `credentials` (the test key
    // when null). Owned by the fixture.
    s3::S3Client *newClient(const aws::Clock *clock = nullptr, aws::CredentialsProvider *credentials = nullptr,
        const QString &region = QString::fromLatin1(kRegion));

    // Exports a new session's files to s3://bucket/key, ends the session and
    // waits (QTRY) until the export SUCCEEDED. Use QVERIFY(!QTest::currentTestFailed()) after.
    void exportArchive(const QString &bucket, const QString &key);

    // GET /_emulator/stats: how many requests `operation` ("S3.GetObject") had,
    // and how many of them got `status` (0: reset) when given.
    int requests(const QString &operation, int status = -1) const;
    void resetStats() const;
    // PUT /_emulator/faults; true when accepted.
    bool setFaults(const QJsonObject &faults) const;

    // The object as the harness's own signed GET reads it.
    HttpResult harnessGet(const QString &bucket, const QString &key) const;
    static QByteArray objectPath(const QString &bucket, const QString &key);

private:
    std::unique_ptr<Emulator> m_emu;
    QNetworkAccessManager m_network;
    aws::SystemClock m_clock;
    QList<QSslCertificate> m_ca;
    std::unique_ptr<aws::StaticCredentialsProvider> m_credentials;
    std::unique_ptr<aws::AwsTransport> m_transport;
    std::unique_ptr<s3::S3Client> m_client;
    std::vector<std::unique_ptr<QObject>> m_extra; // further transports and clients
    QString m_groupId;
};

// Starts `job` and waits (QSignalSpy::wait) until it finished; false when it
// did not within `timeoutMs`.
bool runJob(s3::S3Job *job, int timeoutMs = 60000);

// Resident set size of this process (VmRSS), in bytes; -1 when unknown.
qint64 residentBytes();

} // namespace gls::test
