#pragma once

// gls-exporter --demo: runs gls-emulator (next to this executable) as a
// child process on loopback with a temporary data dir, --time-scale 60 and
// new sessions arriving over time (--arrivals-per-hour 6),
// reads the endpoints it prints, and stops it (SIGTERM) when destroyed.

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

namespace gls::gui {

class DemoEmulator : public QObject {
    Q_OBJECT
public:
    explicit DemoEmulator(QObject *parent = nullptr);
    ~DemoEmulator() override;

    // Starts it; ready() or failed() follows.
    void start(const QString &binDir);

    QString gameliftUrl() const { return m_endpoints.value(QStringLiteral("gameliftstreams")).toString(); }
    QString s3Url() const { return m_endpoints.value(QStringLiteral("s3")).toString(); }
    // The demo's own temporary folder: its export store and downloads live there too.
    QString dataDir() const { return m_dataDir.path(); }
    QString caPath() const { return m_endpoints.value(QStringLiteral("caCertificate")).toString(); }

    // The demo key opens only the emulator; it is not an AWS credential.
    static constexpr auto kAccessKeyId = "AKIAGLSEMULATORDEMO1";
    static constexpr auto kSecretKey = "gls-emulator-demo-secret-not-an-aws-key";

Q_SIGNALS:
    void ready();
    void failed(const QString &message);

private:
    void onOutput();

    QTemporaryDir m_dataDir;
    QProcess m_process;
    QByteArray m_buffer;
    QJsonObject m_endpoints;
};

} // namespace gls::gui
