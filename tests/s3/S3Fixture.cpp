#include "S3Fixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace gls::test {

namespace {

aws::TransportSettings settingsFor(const QList<QSslCertificate> &ca)
{
    aws::TransportSettings settings;
    settings.extraCaCertificates = ca;
    settings.requestsPerSecondPerOperation = 0;
    return settings;
}

} // namespace

S3Fixture::S3Fixture(const QStringList &extraArgs)
{
    m_emu = std::make_unique<Emulator>(
        QStringList{QStringLiteral("--rate-limit"), QStringLiteral("0"), QStringLiteral("--groups"),
            QStringLiteral("1"), QStringLiteral("--sessions"), QStringLiteral("4"), QStringLiteral("--regions"),
            QStringLiteral("us-west-2"), QStringLiteral("--time-scale"), QStringLiteral("10"),
            QStringLiteral("--bucket"), QStringLiteral("gls-exports"), QStringLiteral("--bucket"),
            QStringLiteral("east-bucket:us-east-2")}
        + extraArgs);
    if (!m_emu->ok())
        return;
    m_ca = QSslCertificate::fromPath(m_emu->caPath());
    m_credentials
        = std::make_unique<aws::StaticCredentialsProvider>(Emulator::defaultCredentials(), QStringLiteral("test"));
    m_transport = std::make_unique<aws::AwsTransport>(&m_network, m_credentials.get(), &m_clock, settingsFor(m_ca));
    aws::EndpointOptions options;
    options.region = QString::fromLatin1(kRegion);
    options.endpointUrl = m_emu->s3Url();
    m_client = std::make_unique<s3::S3Client>(m_transport.get(), options);
    m_groupId = m_emu->gamelift("GET", "/streamgroups")
                    .json()
                    .value(QStringLiteral("Items"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("Id"))
                    .toString();
}

S3Fixture::~S3Fixture()
{
    while (!m_extra.empty()) // each client before the transport it was given
        m_extra.pop_back();
}

s3::S3Client *S3Fixture::newClient(
    const aws::Clock *clock, aws::CredentialsProvider *credentials, const QString &region)
{
    auto transport = std::make_unique<aws::AwsTransport>(
        &m_network, credentials ? credentials : m_credentials.get(), clock ? clock : &m_clock, settingsFor(m_ca));
    aws::EndpointOptions options;
    options.region = region;
    options.endpointUrl = m_emu->s3Url();
    auto client = std::make_unique<s3::S3Client>(transport.get(), options);
    s3::S3Client *out = client.get();
    m_extra.push_back(std::move(transport));
    m_extra.push_back(std::move(client));
    return out;
}

void S3Fixture::exportArchive(const QString &bucket, const QString &key)
{
    QVERIFY(!m_groupId.isEmpty());
    const QString id = newSession(*m_emu, m_groupId, QStringLiteral("ACTIVE"));
    QVERIFY(!id.isEmpty());
    QCOMPARE(requestExport(*m_emu, m_groupId, id, QStringLiteral("s3://%1/%2").arg(bucket, key)), 200);
    QVERIFY(endSession(*m_emu, id));
    QTRY_COMPARE_WITH_TIMEOUT(exportStatus(*m_emu, m_groupId, id), QStringLiteral("SUCCEEDED"), 60000);
}

int S3Fixture::requests(const QString &operation, int status) const
{
    const QJsonObject stats = m_emu->control("GET", "stats").json();
    if (status < 0)
        return stats.value(QStringLiteral("requests")).toObject().value(operation).toInt();
    const QString name = status == 0 ? QStringLiteral("reset") : QString::number(status);
    return stats.value(QStringLiteral("statuses")).toObject().value(operation).toObject().value(name).toInt();
}

void S3Fixture::resetStats() const
{
    m_emu->control("POST", "stats/reset");
}

bool S3Fixture::setFaults(const QJsonObject &faults) const
{
    return m_emu->control("PUT", "faults", faults).status == 200;
}

QByteArray S3Fixture::objectPath(const QString &bucket, const QString &key)
{
    return '/' + bucket.toUtf8() + '/' + sigv4::uriEncode(key.toUtf8(), false);
}

HttpResult S3Fixture::harnessGet(const QString &bucket, const QString &key) const
{
    return m_emu->s3("GET", objectPath(bucket, key));
}

bool runJob(s3::S3Job *job, int timeoutMs)
{
    QSignalSpy finished(job, &s3::S3Job::finished);
    job->start();
    return finished.wait(timeoutMs) || !finished.isEmpty();
}

qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) // "VmRSS:    123456 kB"
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

} // namespace gls::test
