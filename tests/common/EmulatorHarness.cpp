#include "EmulatorHarness.h"

#include <csignal>
#include <sys/prctl.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUrl>

#include <csignal>

namespace gls::test {

QByteArray HttpResult::header(QByteArrayView name) const
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString binDir()
{
    const QString dir = qEnvironmentVariable("GLS_BIN_DIR");
    return dir.isEmpty() ? QStringLiteral(".") : dir;
}

QByteArray label(const QString &identifier)
{
    return sigv4::uriEncode(identifier.toUtf8(), true);
}

sigv4::Credentials Emulator::defaultCredentials()
{
    return {kKeyId, kSecret, {}};
}

Emulator::Emulator(const QStringList &extraArgs, const QString &dataDir)
{
    if (dataDir.isEmpty()) {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tmp->path();
    } else {
        m_dataDir = dataDir;
    }
    QStringList args{QStringLiteral("--data-dir"), m_dataDir};
    args += extraArgs;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The key travels in the environment, not on the command line, as a user should pass it.
    env.insert(QStringLiteral("GLS_EMULATOR_ACCESS_KEYS"), QStringLiteral("%1:%2").arg(QLatin1String(kKeyId), QLatin1String(kSecret)));
    m_process.setProcessEnvironment(env);
    // Its log goes to a file, so a full pipe can never stall it.
    m_process.setStandardErrorFile(m_dataDir + QStringLiteral("/emulator.log"), QIODevice::Append);
    // A test that crashes must not leave its emulator behind: it dies with us.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(binDir() + QStringLiteral("/gls-emulator"), args);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("gls-emulator did not start: %1").arg(m_process.errorString());
        return;
    }
    QDeadlineTimer deadline(60000);
    while (!m_process.canReadLine() && m_process.state() == QProcess::Running && !deadline.hasExpired())
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    if (!m_process.canReadLine()) {
        m_error = QStringLiteral("gls-emulator printed no endpoints: %1").arg(stderrText());
        return;
    }
    m_endpoints = QJsonDocument::fromJson(m_process.readLine()).object();
    m_ok = !m_endpoints.isEmpty();
    if (!m_ok)
        m_error = QStringLiteral("gls-emulator's first line is not JSON");
}

Emulator::~Emulator()
{
    if (m_process.state() != QProcess::NotRunning)
        terminate();
}

QString Emulator::stderrText()
{
    QFile f(m_dataDir + QStringLiteral("/emulator.log"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll()) : QString();
}

int Emulator::terminate()
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(30000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

HttpResult Emulator::send(const QString &baseUrl, const RawRequest &req, int timeoutMs) const
{
    HttpResult result;
    const QUrl base(baseUrl);
    QSslSocket socket;
    const bool tls = base.scheme() == QLatin1String("https");
    QDeadlineTimer deadline(timeoutMs);
    if (tls) {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setCaCertificates(QSslCertificate::fromPath(caPath()));
        socket.setSslConfiguration(conf);
        socket.connectToHostEncrypted(base.host(), quint16(base.port()), QStringLiteral("127.0.0.1"));
        if (!socket.waitForEncrypted(timeoutMs)) {
            result.error = socket.error();
            result.connectionDropped = true;
            return result;
        }
    } else {
        socket.connectToHost(base.host(), quint16(base.port()));
        if (!socket.waitForConnected(timeoutMs)) {
            result.error = socket.error();
            result.connectionDropped = true;
            return result;
        }
    }
    QByteArray wire = req.method + ' ' + req.path + (req.query.isEmpty() ? QByteArray() : '?' + req.query)
                    + " HTTP/1.1\r\n";
    bool hasHost = false;
    for (const auto &[k, v] : req.headers) {
        hasHost |= k.compare("host", Qt::CaseInsensitive) == 0;
        wire += k + ": " + v + "\r\n";
    }
    if (!hasHost)
        wire += "Host: " + base.authority().toLatin1() + "\r\n";
    if (!req.body.isEmpty() || req.method == "PUT" || req.method == "POST")
        wire += "Content-Length: " + QByteArray::number(req.body.size()) + "\r\n";
    wire += "Connection: close\r\n\r\n" + req.body;
    socket.write(wire);

    QByteArray buffer;
    qsizetype headerEnd = -1;
    while (!deadline.hasExpired()) {
        if (headerEnd < 0)
            headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd >= 0 && result.status == 0) {
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            result.status = statusLine.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    result.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            const QByteArray cl = result.header("content-length");
            result.declaredLength = cl.isEmpty() ? -1 : cl.toLongLong();
        }
        if (result.status != 0) {
            const qint64 have = buffer.size() - (headerEnd + 4);
            const bool noBody = req.method == "HEAD" || result.status == 204 || result.status == 304;
            if (noBody || (result.declaredLength >= 0 && have >= result.declaredLength)) {
                result.body = noBody ? QByteArray() : buffer.mid(headerEnd + 4, result.declaredLength);
                result.complete = true;
                return result;
            }
        }
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (socket.state() != QAbstractSocket::ConnectedState || socket.error() != QAbstractSocket::SocketTimeoutError)
                break;
        }
        buffer += socket.readAll();
    }
    buffer += socket.readAll();
    result.error = socket.error();
    result.connectionDropped = true;
    if (headerEnd >= 0)
        result.body = buffer.mid(headerEnd + 4);
    return result;
}

HttpResult Emulator::gamelift(const QByteArray &method, const QByteArray &path, const QByteArray &query,
                              const QByteArray &body, const sigv4::Credentials &creds, const QByteArray &region,
                              const QDateTime &at) const
{
    const QUrl base(gameliftUrl());
    sigv4::SigningRequest sr;
    sr.method = method;
    sr.wirePath = path;
    sr.wireQuery = query;
    sr.host = base.authority().toLatin1();
    if (!body.isEmpty())
        sr.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    sr.payloadHash = sigv4::sha256Hex(body);
    const QDateTime now = at.isValid() ? at : QDateTime::currentDateTimeUtc();
    const sigv4::Scope scope{sigv4::amzDate(now).left(8), region, "gameliftstreams"};
    const sigv4::SignedHeaders signedHeaders = sigv4::signHeaders(sr, creds, scope, now);
    RawRequest req{method, path, query, signedHeaders.headers, body};
    return send(gameliftUrl(), req);
}

HttpResult Emulator::s3(const QByteArray &method, const QByteArray &path, const QByteArray &query,
                        const sigv4::HeaderList &extraHeaders, const sigv4::Credentials &creds,
                        const QByteArray &region) const
{
    const QUrl base(s3Url());
    sigv4::SigningRequest sr;
    sr.method = method;
    sr.wirePath = path;
    sr.wireQuery = query;
    sr.host = base.authority().toLatin1();
    sr.headers.append({"x-amz-content-sha256", QByteArray(sigv4::kEmptyPayloadHash.data(), sigv4::kEmptyPayloadHash.size())});
    sr.payloadHash = QByteArray(sigv4::kEmptyPayloadHash.data(), sigv4::kEmptyPayloadHash.size());
    sr.pathStyle = sigv4::PathStyle::S3;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const sigv4::Scope scope{sigv4::amzDate(now).left(8), region, "s3"};
    sigv4::SignedHeaders signedHeaders = sigv4::signHeaders(sr, creds, scope, now);
    signedHeaders.headers += extraHeaders; // unsigned extras (Range, If-Match), as SDKs may send
    return send(s3Url(), RawRequest{method, path, query, signedHeaders.headers, {}});
}

HttpResult Emulator::sts(const QByteArray &formBody, const sigv4::Credentials &creds, const QByteArray &region) const
{
    const QUrl base(stsUrl());
    sigv4::SigningRequest sr;
    sr.method = "POST";
    sr.wirePath = "/";
    sr.host = base.authority().toLatin1();
    sr.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/x-www-form-urlencoded; charset=utf-8")));
    sr.payloadHash = sigv4::sha256Hex(formBody);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const sigv4::Scope scope{sigv4::amzDate(now).left(8), region, "sts"};
    const sigv4::SignedHeaders signedHeaders = sigv4::signHeaders(sr, creds, scope, now);
    return send(stsUrl(), RawRequest{"POST", "/", {}, signedHeaders.headers, formBody});
}

QByteArray Emulator::presign(const QByteArray &path, qint64 expiresSeconds, const QDateTime &at) const
{
    const QUrl base(s3Url());
    sigv4::SigningRequest sr;
    sr.method = "GET";
    sr.wirePath = path;
    sr.host = base.authority().toLatin1();
    sr.payloadHash = QByteArray(sigv4::kUnsignedPayload.data(), sigv4::kUnsignedPayload.size());
    sr.pathStyle = sigv4::PathStyle::S3;
    const QDateTime now = at.isValid() ? at : QDateTime::currentDateTimeUtc();
    const sigv4::Scope scope{sigv4::amzDate(now).left(8), kRegion, "s3"};
    return sigv4::presignQuery(sr, defaultCredentials(), scope, now, expiresSeconds);
}

HttpResult Emulator::control(const QByteArray &method, const QByteArray &path, const QJsonObject &body) const
{
    RawRequest req;
    req.method = method;
    req.path = "/_emulator/" + path;
    if (!body.isEmpty()) {
        req.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        req.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    }
    return send(gameliftUrl(), req);
}

int Emulator::requestCount(const QString &operation) const
{
    return control("GET", "stats").json().value(QStringLiteral("requests")).toObject().value(operation).toInt();
}

QString firstStreamGroupId(const Emulator &emu)
{
    const QJsonArray items = emu.gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray();
    return items.at(0).toObject().value(QStringLiteral("Id")).toString();
}

bool deny(const Emulator &emu, const QStringList &actions)
{
    return emu.control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray::fromStringList(actions)}})
               .status
        == 200;
}

bool delayAnswers(const Emulator &emu, const QString &operation, int ms)
{
    const QJsonObject faults{{QStringLiteral("delayMs"), ms}, {QStringLiteral("operations"), QJsonArray{operation}}};
    return emu.control("PUT", "faults", faults).status == 200;
}

bool setTimeScale(const Emulator &emu, double scale)
{
    return emu.control("PUT", "settings", QJsonObject{{QStringLiteral("timeScale"), scale}}).status == 200;
}

double holdClock(const Emulator &emu)
{
    const double scale
        = emu.control("PUT", "settings", QJsonObject{}).json().value(QStringLiteral("timeScale")).toDouble(1.0);
    return setTimeScale(emu, scale * 1e-6) ? scale : 0;
}

int answered(const Emulator &emu, const QString &operation, int status)
{
    return emu.control("GET", "stats")
        .json()
        .value(QStringLiteral("statuses"))
        .toObject()
        .value(operation)
        .toObject()
        .value(QString::number(status))
        .toInt();
}

QString newSession(const Emulator &emu, const QString &group, const QString &status)
{
    const QJsonObject body{{QStringLiteral("streamGroupId"), group}, {QStringLiteral("status"), status}};
    return emu.control("POST", "sessions", body).json().value(QStringLiteral("streamSessionId")).toString();
}

QByteArray sessionPath(const QString &group, const QString &session)
{
    return "/streamgroups/" + label(group) + "/streamsessions/" + label(session);
}

QJsonObject rawSession(const Emulator &emu, const QString &group, const QString &session)
{
    return emu.gamelift("GET", sessionPath(group, session)).json();
}

QString exportStatus(const Emulator &emu, const QString &group, const QString &session)
{
    const QJsonObject metadata = rawSession(emu, group, session).value(QStringLiteral("ExportFilesMetadata")).toObject();
    return metadata.value(QStringLiteral("Status")).toString();
}

int requestExport(const Emulator &emu, const QString &group, const QString &session, const QString &outputUri)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("OutputUri"), outputUri}}).toJson(QJsonDocument::Compact);
    return emu.gamelift("PUT", sessionPath(group, session) + "/exportfiles", {}, body).status;
}

bool endSession(const Emulator &emu, const QString &session)
{
    return emu.control("POST", "sessions/" + session.toLatin1() + "/end").status == 200;
}

} // namespace gls::test
