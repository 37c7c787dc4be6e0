#pragma once

// Test support: runs the real gls-emulator executable in a temporary data dir
// and talks to it over real sockets (TLS by default) with a tiny HTTP/1.1
// client whose bytes the test controls, signing with the SigV4 module.

#include "sigv4/SigV4.h"

#include <QAbstractSocket>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace gls::test {

inline constexpr auto kKeyId = "AKIDTESTEMULATOR0001";
inline constexpr auto kSecret = "test-secret-key-for-the-emulator-only";
inline constexpr auto kRegion = "us-west-2";

struct HttpResult {
    int status = 0;
    sigv4::HeaderList headers;
    QByteArray body;
    qint64 declaredLength = -1; // Content-Length as announced
    bool complete = false;      // the whole announced body arrived
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    bool connectionDropped = false; // closed or reset before a complete response

    QByteArray header(QByteArrayView name) const;
    QJsonObject json() const;
};

struct RawRequest {
    QByteArray method = "GET";
    QByteArray path = "/";
    QByteArray query;
    sigv4::HeaderList headers;
    QByteArray body;
};

class Emulator {
public:
    // Starts gls-emulator with the test key and these extra arguments. Blocks
    // until it printed its endpoints (or failed). `dataDir` empty: a fresh
    // temporary one owned by this object.
    explicit Emulator(const QStringList &extraArgs = {}, const QString &dataDir = {});
    ~Emulator();

    bool ok() const { return m_ok; }
    QString errorText() const { return m_error; }
    QString dataDir() const { return m_dataDir; }
    QString gameliftUrl() const { return m_endpoints.value(QStringLiteral("gameliftstreams")).toString(); }
    QString s3Url() const { return m_endpoints.value(QStringLiteral("s3")).toString(); }
    QString stsUrl() const { return m_endpoints.value(QStringLiteral("sts")).toString(); }
    QString ssoUrl() const { return m_endpoints.value(QStringLiteral("sso")).toString(); }
    QString caPath() const { return m_endpoints.value(QStringLiteral("caCertificate")).toString(); }
    QJsonObject endpoints() const { return m_endpoints; }
    QString stderrText();

    // Sends SIGTERM and waits for a clean exit; returns the exit code.
    int terminate();

    // Sends one request on a fresh connection and reads the whole answer.
    HttpResult send(const QString &baseUrl, const RawRequest &req, int timeoutMs = 15000) const;
    // Signed GameLift Streams request (service gameliftstreams).
    HttpResult gamelift(const QByteArray &method, const QByteArray &path, const QByteArray &query = {},
                        const QByteArray &body = {}, const sigv4::Credentials &creds = defaultCredentials(),
                        const QByteArray &region = kRegion, const QDateTime &at = {}) const;
    // Signed S3 request (service s3, x-amz-content-sha256 sent and signed).
    HttpResult s3(const QByteArray &method, const QByteArray &path, const QByteArray &query = {},
                  const sigv4::HeaderList &extraHeaders = {}, const sigv4::Credentials &creds = defaultCredentials(),
                  const QByteArray &region = kRegion) const;
    // Signed STS query-protocol request: POST / with this form body
    // ("Action=GetCallerIdentity&Version=2011-06-15"), service sts.
    HttpResult sts(const QByteArray &formBody, const sigv4::Credentials &creds = defaultCredentials(),
                   const QByteArray &region = kRegion) const;
    // Presigned S3 GET query for a path.
    QByteArray presign(const QByteArray &path, qint64 expiresSeconds, const QDateTime &at = {}) const;
    // The control endpoint: /_emulator/<path>.
    HttpResult control(const QByteArray &method, const QByteArray &path, const QJsonObject &body = {}) const;
    // How many requests of `operation` ("GetStreamSession", "S3.GetObject") it has answered (its stats).
    int requestCount(const QString &operation) const;

    static sigv4::Credentials defaultCredentials();

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dataDir;
    QProcess m_process;
    QJsonObject m_endpoints;
    bool m_ok = false;
    QString m_error;
};

// The emulator side of a test, through the harness's own signed requests and
// the control endpoint (never through the code under test).
QString firstStreamGroupId(const Emulator &emu);
// A new session (POST /_emulator/sessions); its ID.
QString newSession(const Emulator &emu, const QString &group, const QString &status = QStringLiteral("CONNECTED"));
QByteArray sessionPath(const QString &group, const QString &session);
// GetStreamSession's answer, and its ExportFilesMetadata.Status.
QJsonObject rawSession(const Emulator &emu, const QString &group, const QString &session);
QString exportStatus(const Emulator &emu, const QString &group, const QString &session);
// ExportStreamSessionFiles to `outputUri`; the HTTP status.
int requestExport(const Emulator &emu, const QString &group, const QString &session, const QString &outputUri);
// POST /_emulator/sessions/ID/end: true when the emulator ended it.
bool endSession(const Emulator &emu, const QString &session);
// The IAM actions the caller may no longer perform ("gameliftstreams:ListStreamSessions");
// none: all allowed again. True when the emulator took them.
bool deny(const Emulator &emu, const QStringList &actions = {});
// Every answer of `operation` (refusals too) `ms` late (PUT /_emulator/faults); true when set.
bool delayAnswers(const Emulator &emu, const QString &operation, int ms);
// How many requests of `operation` the emulator answered with `status` since its stats were reset.
int answered(const Emulator &emu, const QString &operation, int status);
// The emulator's clock held: time a million times slower (pending transitions pushed out with it, and
// saved so), so that no session moves while a test compares listings. The time scale it had, to give
// back with setTimeScale(); 0 when the emulator refused.
double holdClock(const Emulator &emu);
bool setTimeScale(const Emulator &emu, double scale);

// Percent-encodes an identifier for use as a path label (every byte outside
// the unreserved set, ':' and '/' included), as a correct client sends it.
QByteArray label(const QString &identifier);

QString binDir();

} // namespace gls::test
