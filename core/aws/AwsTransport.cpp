#include "AwsTransport.h"

#include "Clock.h"
#include "Credentials.h"
#include "HttpDate.h"
#include "Redaction.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QXmlStreamReader>

#include <openssl/x509.h>

#include <algorithm>
#include <cmath>

// Quiet unless asked (QT_LOGGING_RULES, or the apps' --debug): warnings and up.
Q_LOGGING_CATEGORY(lcAws, "gls.aws", QtWarningMsg)

namespace gls::aws {

namespace {

constexpr qint64 kSkewThresholdMs = 4 * 60 * 1000;
constexpr qint64 kReadBufferBytes = 1024 * 1024;

QByteArray headerValue(const sigv4::HeaderList &headers, QByteArrayView name)
{
    for (const auto &[k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QString statusName(int status)
{
    switch (status) {
    case 301: return QStringLiteral("PermanentRedirect");
    case 304: return QStringLiteral("NotModified");
    case 400: return QStringLiteral("BadRequest");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("NotFound");
    case 405: return QStringLiteral("MethodNotAllowed");
    case 412: return QStringLiteral("PreconditionFailed");
    case 416: return QStringLiteral("InvalidRange");
    case 429: return QStringLiteral("TooManyRequestsException");
    case 500: return QStringLiteral("InternalError");
    case 502: return QStringLiteral("BadGateway");
    case 503: return QStringLiteral("ServiceUnavailable");
    case 504: return QStringLiteral("GatewayTimeout");
    default: return QStringLiteral("HTTP%1").arg(status);
    }
}

AwsError writeFailed()
{
    AwsError e;
    e.kind = AwsError::Kind::Client;
    e.type = QStringLiteral("WriteFailed");
    e.message = QStringLiteral("the downloaded bytes could not be stored");
    return e;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The PEM certificates of `path`, appended to *out; false with a message naming the file.
bool readCaBundle(const QString &path, QList<QSslCertificate> *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("CA bundle %1 cannot be read: %2").arg(path, f.errorString());
        return false;
    }
    const QList<QSslCertificate> certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
    if (certs.isEmpty()) {
        *error = QStringLiteral("CA bundle %1 holds no PEM certificate").arg(path);
        return false;
    }
    *out += certs;
    return true;
}

} // namespace

QByteArray AwsResponse::header(QByteArrayView name) const
{
    return headerValue(headers, name);
}

QByteArray encodeQuery(const QList<QPair<QByteArray, QByteArray>> &pairs)
{
    QByteArray out;
    for (const auto &[k, v] : pairs) {
        if (!out.isEmpty())
            out += '&';
        out += sigv4::uriEncode(k, true);
        out += '=';
        out += sigv4::uriEncode(v, true);
    }
    return out;
}

AwsError parseServiceError(int status, const sigv4::HeaderList &headers, const QByteArray &body, const QString &operation)
{
    AwsError e;
    e.kind = AwsError::Kind::Service;
    e.httpStatus = status;
    e.operation = operation;
    e.requestId = headerValue(headers, "x-amzn-requestid");
    if (e.requestId.isEmpty())
        e.requestId = headerValue(headers, "x-amz-request-id");
    if (e.requestId.isEmpty())
        e.requestId = headerValue(headers, "x-amzn-request-id");
    e.region = QString::fromLatin1(headerValue(headers, "x-amz-bucket-region"));

    // restJson1: the type is in X-Amzn-Errortype ("Type:http://..."), else __type or code.
    QByteArray type = headerValue(headers, "x-amzn-errortype");
    if (const qsizetype colon = type.indexOf(':'); colon >= 0)
        type.truncate(colon);
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{')) {
        const QJsonObject o = QJsonDocument::fromJson(trimmed).object();
        if (type.isEmpty()) {
            QString t = o.value(QStringLiteral("__type")).toString();
            if (t.isEmpty())
                t = o.value(QStringLiteral("code")).toString();
            if (t.isEmpty())
                t = o.value(QStringLiteral("Code")).toString();
            // "aws.protocoltests#FooError" or "FooError:http://..."
            t = t.section(QLatin1Char('#'), -1).section(QLatin1Char(':'), 0, 0);
            type = t.toUtf8();
        }
        e.message = o.value(QStringLiteral("Message")).toString();
        if (e.message.isEmpty())
            e.message = o.value(QStringLiteral("message")).toString();
    } else if (trimmed.startsWith('<')) {
        QXmlStreamReader xml(trimmed);
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const auto name = xml.name();
            if (name == QLatin1String("Code") && type.isEmpty())
                type = xml.readElementText().toUtf8();
            else if (name == QLatin1String("Message"))
                e.message = xml.readElementText();
            else if (name == QLatin1String("RequestId") && e.requestId.isEmpty())
                e.requestId = xml.readElementText().toLatin1();
            else if (name == QLatin1String("Region") && e.region.isEmpty())
                e.region = xml.readElementText();
        }
    }
    e.type = type.isEmpty() ? statusName(status) : QString::fromUtf8(type);
    if (e.message.isEmpty() && trimmed.isEmpty())
        e.message = QStringLiteral("the service answered HTTP %1 with no details").arg(status);
    return e;
}

// ---- AwsTransport ------------------------------------------------------------

AwsTransport::AwsTransport(QNetworkAccessManager *network, CredentialsProvider *credentials, const Clock *clock,
                           TransportSettings settings, RetryPolicy::Random random, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_credentials(credentials)
    , m_clock(clock)
    , m_settings(std::move(settings))
    , m_retry(m_settings.retry, std::move(random))
{
    m_monotonic.start();
    // Built once: the system's CAs, or only the bundle's when one is given
    // (Qt then no longer reads the system's store; in the AWS CLI too, a
    // bundle replaces it); peers always verified.
    m_tls = QSslConfiguration::defaultConfiguration();
    QList<QSslCertificate> bundles = m_settings.extraCaCertificates;
    const bool systemBundle = bundles.removeIf([](const QSslCertificate &c) { return c.isNull(); }) > 0;
    if (!bundles.isEmpty()) {
        // Given with other bundles, the system's is read after all: once
        // certificates are added, Qt no longer reads the system's store.
        QString why;
        if (systemBundle && !readCaBundle(systemCaBundle(), &bundles, &why))
            qCWarning(lcAws).noquote() << why;
        m_tls.addCaCertificates(bundles);
    }
    m_tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
}

AwsTransport::~AwsTransport()
{
    // Calls still held back by pacing and owned elsewhere fail ("the
    // transport is gone") instead of waiting for ever.
    for (const Pace &pace : std::as_const(m_pace))
        for (const QPointer<AwsCall> &call : pace.waiting)
            if (call && call->parent() != this)
                QTimer::singleShot(0, call.data(), &AwsCall::startAttempt);
}

AwsCall *AwsTransport::send(const Endpoint &endpoint, AwsRequest request, QObject *parent)
{
    auto *call = new AwsCall(this, endpoint, std::move(request), parent ? parent : this);
    // Start on the next turn of the event loop, so the caller can connect first.
    QTimer::singleShot(0, call, &AwsCall::startAttempt);
    return call;
}

void AwsTransport::preconnect(const Endpoint &endpoint)
{
    const QUrl &url = endpoint.baseUrl;
    if (url.scheme() == QLatin1String("https")) {
        // As a call's request would be: HTTP/2 allowed (Qt's default), else
        // the connection is not the one the call looks for.
        QSslConfiguration tls = m_tls;
        tls.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
        m_network->connectToHostEncrypted(url.host(), quint16(url.port(443)), tls);
    } else {
        m_network->connectToHost(url.host(), quint16(url.port(80)));
    }
}

void AwsTransport::setDebugSink(std::function<void(const QString &)> sink)
{
    m_debug = std::move(sink);
}

void AwsTransport::debug(const QString &text) const
{
    if (m_debug)
        m_debug(text);
}

QDateTime AwsTransport::signingTime() const
{
    return m_clock->nowUtc().addMSecs(m_clockOffsetMs);
}

void AwsTransport::learnClockOffset(const QDateTime &serverTime)
{
    m_clockOffsetMs = m_clock->nowUtc().msecsTo(serverTime);
    qCInfo(lcAws) << "local clock differs from the service's by" << m_clockOffsetMs / 1000
                  << "s; signing with the service's time from now on";
}

namespace {

// Lets go of a reply or a streamed GET still under way: none of its signals
// reaches `receiver` any more, it stops, and it is deleted once control
// returns to the event loop.
template <typename Request>
void dropUnderWay(QPointer<Request> &request, QObject *receiver)
{
    Request *r = request.data();
    if (!r)
        return;
    request = nullptr;
    r->disconnect(receiver);
    r->abort();
    r->deleteLater();
}

// botocore's adaptive retry mode (CUBIC): after a throttle the rate drops to
// kBeta of what it was and grows back along kScale * (t - k)^3 + rateAtThrottle.
constexpr double kBeta = 0.7;
constexpr double kScale = 0.4;
constexpr double kMinRate = 0.5;           // requests/s: never slower
constexpr double kReleaseFactor = 4;       // pacing stops at this multiple of the rate at the throttle
constexpr qint64 kReleaseAfterMs = 60'000; // or this long after the last throttle
} // namespace

double AwsTransport::Pace::rate(qint64 nowMs) const
{
    const double t = (nowMs - throttledAtMs) / 1000.0;
    const double k = std::cbrt(rateAtThrottle * (1 - kBeta) / kScale);
    return std::max(kMinRate, kScale * std::pow(t - k, 3) + rateAtThrottle);
}

bool AwsTransport::isPacing(const QString &operation) const
{
    if (m_settings.requestsPerSecondPerOperation != 0)
        return m_settings.requestsPerSecondPerOperation > 0;
    const auto it = m_pace.constFind(operation);
    if (it == m_pace.cend() || !it->limited)
        return false;
    const qint64 now = m_monotonic.elapsed();
    return now - it->throttledAtMs <= kReleaseAfterMs && it->rate(now) < kReleaseFactor * it->rateAtThrottle;
}

bool AwsTransport::admit(AwsCall *call)
{
    const double fixed = m_settings.requestsPerSecondPerOperation;
    if (fixed < 0)
        return true;
    const QString &operation = call->m_request.operation;
    const qint64 now = m_monotonic.elapsed();
    Pace &pace = m_pace[operation];
    if (fixed == 0) {
        // Adaptive: keep the last second's send times, the rate a throttle is measured against.
        while (!pace.recentSends.isEmpty() && pace.recentSends.constFirst() <= now - 1000)
            pace.recentSends.removeFirst();
        if (pace.limited && !isPacing(operation)) {
            pace.limited = false;
            qCInfo(lcAws).noquote() << operation << "no longer throttled: pacing off";
        }
        if (!pace.limited && pace.waiting.isEmpty()) {
            pace.recentSends.append(now);
            return true;
        }
    }
    if (pace.waiting.isEmpty() && takeSlot(pace, now))
        return true;
    pace.waiting.append(call);
    armRelease(operation);
    return false;
}

bool AwsTransport::takeSlot(Pace &pace, qint64 now)
{
    const double fixed = m_settings.requestsPerSecondPerOperation;
    // Fixed: a token bucket with a second of burst. Adaptive: no burst, since
    // the service pushed back.
    const qint64 burstMs = fixed > 0 ? 1000 : 0;
    const double rate = fixed > 0 ? fixed : pace.rate(now);
    if (!pace.started) {
        pace.started = true;
        pace.nextSlotMs = now - burstMs; // the first request finds the bucket full
    }
    const qint64 earliest = qMax(pace.nextSlotMs, now - burstMs);
    if (earliest > now)
        return false;
    pace.nextSlotMs = qint64(earliest + 1000.0 / rate);
    if (fixed == 0)
        pace.recentSends.append(now);
    return true;
}

void AwsTransport::armRelease(const QString &operation)
{
    Pace &pace = m_pace[operation];
    if (pace.releaseArmed)
        return;
    pace.releaseArmed = true;
    const qint64 burstMs = m_settings.requestsPerSecondPerOperation > 0 ? 1000 : 0;
    const qint64 wait = qMax<qint64>(0, qMax(pace.nextSlotMs, m_monotonic.elapsed() - burstMs) - m_monotonic.elapsed());
    QTimer::singleShot(int(wait), Qt::PreciseTimer, this, [this, operation] {
        Pace &p = m_pace[operation];
        p.releaseArmed = false;
        // Waiting calls go in order, each when the pace as it is now allows:
        // a throttle meanwhile slows the queue at once.
        const qint64 now = m_monotonic.elapsed();
        while (!p.waiting.isEmpty()) {
            if (!p.waiting.constFirst()) {
                p.waiting.removeFirst(); // deleted while waiting
                continue;
            }
            if (!takeSlot(p, now))
                break;
            p.waiting.takeFirst()->sendNow();
        }
        if (!p.waiting.isEmpty())
            armRelease(operation);
    });
}

void AwsTransport::noteThrottled(const QString &operation, qint64 sentAtMs)
{
    if (m_settings.requestsPerSecondPerOperation != 0)
        return;
    Pace &pace = m_pace[operation];
    // A request sent before the last slow-down says nothing new: the service
    // answered it before it could see the slower pace.
    if (pace.limited && sentAtMs < pace.throttledAtMs)
        return;
    const qint64 now = m_monotonic.elapsed();
    int sentLastSecond = 0;
    for (const qint64 t : std::as_const(pace.recentSends))
        sentLastSecond += t > now - 1000 ? 1 : 0;
    const double measured = std::max(1.0, double(sentLastSecond));
    pace.rateAtThrottle = pace.limited ? std::min(pace.rate(now), measured) : measured;
    pace.limited = true;
    pace.throttledAtMs = now;
    pace.started = true;
    pace.nextSlotMs = now + qint64(1000.0 / pace.rate(now));
    qCInfo(lcAws).noquote() << operation << "throttled at about" << pace.rateAtThrottle
                            << "requests/s: pacing to" << pace.rate(now);
}

QString AwsTransport::systemCaBundle()
{
    return QFileInfo(QFile::decodeName(X509_get_default_cert_file())).canonicalFilePath();
}

bool AwsTransport::isSystemCaBundle(const QString &path)
{
    const QString file = systemCaBundle();
    const QString dir = QFileInfo(QFile::decodeName(X509_get_default_cert_dir())).canonicalFilePath();
    return !file.isEmpty() && !dir.isEmpty() && QFileInfo(path).canonicalFilePath() == file
        && QFileInfo(file).canonicalPath() == dir;
}

bool AwsTransport::loadCaBundle(const QString &path, QList<QSslCertificate> *out, QString *error)
{
    // AWS_CA_BUNDLE often names the system's own bundle. It trusts what the
    // system's store does, which Qt reads certificate by certificate as a
    // handshake needs one; read whole, its 144 certificates took OpenSSL 3.0
    // 55 ms to decode, before every command's first request.
    if (isSystemCaBundle(path)) {
        out->append(QSslCertificate());
        return true;
    }
    return readCaBundle(path, out, error);
}

// ---- AwsCall ---------------------------------------------------------------

AwsCall::AwsCall(AwsTransport *transport, Endpoint endpoint, AwsRequest request, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_endpoint(std::move(endpoint))
    , m_request(std::move(request))
{
}

AwsCall::~AwsCall()
{
    dropUnderWay(m_reply, this);
    dropUnderWay(m_get, this); // a child: deleteLater() or not, it goes with this call
}

void AwsCall::abort()
{
    if (m_finished)
        return;
    AwsError e;
    e.kind = AwsError::Kind::Cancelled;
    e.type = QStringLiteral("Cancelled");
    e.message = QStringLiteral("cancelled");
    finishError(e);
}

void AwsCall::startAttempt()
{
    if (m_finished)
        return;
    if (!m_transport) {
        AwsError e;
        e.kind = AwsError::Kind::Client;
        e.message = QStringLiteral("the transport is gone");
        finishError(e);
        return;
    }
    ++m_attempt;
    m_streamedBytes = 0;
    if (m_transport->admit(this))
        sendNow();
}

void AwsCall::sendNow()
{
    if (m_finished || !m_transport)
        return;
    if (m_request.anonymous)
        sendWithCredentials({});
    else
        m_transport->credentials()->fetch(this, [this](const CredentialsResult &c) { sendWithCredentials(c); });
}

void AwsCall::sendWithCredentials(const CredentialsResult &creds)
{
    if (m_finished)
        return;
    if (!m_request.anonymous && !creds.ok()) {
        AwsError e;
        e.kind = AwsError::Kind::Credentials;
        e.type = QStringLiteral("NoCredentials");
        e.message = creds.error.isEmpty() ? QStringLiteral("no credentials") : creds.error;
        finishError(e);
        return;
    }

    // The exact bytes that will travel: base path + request path, our query encoding.
    const QUrl base = m_url.isValid() ? m_url : m_endpoint.baseUrl;
    QByteArray path = m_url.isValid() ? QByteArray() : m_endpoint.baseUrl.path(QUrl::FullyEncoded).toLatin1();
    path += m_url.isValid() ? m_url.path(QUrl::FullyEncoded).toLatin1() : m_request.path;
    if (path.isEmpty())
        path = "/";
    const QByteArray query = m_url.isValid() ? m_url.query(QUrl::FullyEncoded).toLatin1() : encodeQuery(m_request.query);
    const QByteArray origin = base.scheme().toLatin1() + "://" + base.authority(QUrl::FullyEncoded).toLatin1();
    const QUrl url = QUrl::fromEncoded(origin + path + (query.isEmpty() ? QByteArray() : '?' + query), QUrl::StrictMode);
    // Qt sends the path with dot segments removed: sign what it will send.
    const QUrl sent = QUrl::fromEncoded(url.toEncoded(QUrl::FullyEncoded | QUrl::NormalizePathSegments), QUrl::StrictMode);
    const QByteArray sentPath = sent.path(QUrl::FullyEncoded).toLatin1();
    const bool s3 = m_endpoint.signingName == "s3";
    if (s3 && sentPath != path) {
        AwsError e;
        e.kind = AwsError::Kind::Validation;
        e.type = QStringLiteral("InvalidKey");
        e.message = QStringLiteral("the S3 key has '.' or '..' path segments, which would change on the way: %1")
                        .arg(QString::fromUtf8(path));
        finishError(e);
        return;
    }

    sigv4::SigningRequest sr;
    sr.method = m_request.method;
    sr.wirePath = sentPath;
    sr.wireQuery = sent.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLower().toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (url.port() != -1)
        host += ':' + QByteArray::number(url.port());
    sr.host = host;
    sr.headers = m_request.headers;
    sr.payloadHash = sigv4::sha256Hex(m_request.body);
    sr.keepTexts = bool(m_transport->m_debug); // shown below, and only then
    if (s3) {
        sr.headers.append({"x-amz-content-sha256", sr.payloadHash});
        sr.pathStyle = sigv4::PathStyle::S3;
    }
    sigv4::HeaderList headers = sr.headers;
    if (!m_request.anonymous) {
        const QDateTime now = m_transport->signingTime();
        // The scope's date left empty: signHeaders takes it from the
        // x-amz-date it writes, so the time is formatted once. Views of the
        // endpoint's own bytes: no copies.
        const sigv4::ScopeView scope{{}, m_endpoint.signingRegion, m_endpoint.signingName};
        // Signed from the provider's copy: a local copy would share its bytes,
        // and wiping it would only detach and wipe a fresh duplicate.
        const sigv4::Credentials &secret = creds.credentials;
        const sigv4::SignedHeaders signedHeaders
            = sigv4::signHeaders(sr, secret, scope, now, m_transport->m_signingKeys);
        if (m_transport->m_debug) {
            // The session token is a signed header: it must not reach the debug output.
            QByteArray shownCanonical = signedHeaders.canonicalRequest;
            if (!secret.sessionToken.isEmpty())
                shownCanonical.replace(secret.sessionToken, "<redacted>");
            m_transport->debug(
                QStringLiteral("%1 attempt %2: %3 %4\n-- canonical request --\n%5\n-- string to sign --\n%6")
                    .arg(m_request.operation)
                    .arg(m_attempt)
                    .arg(QString::fromLatin1(m_request.method), QString::fromUtf8(url.toEncoded(QUrl::FullyEncoded)),
                         QString::fromUtf8(shownCanonical), QString::fromUtf8(signedHeaders.stringToSign)));
        }
        headers = signedHeaders.headers;
    } else {
        m_transport->debug(QStringLiteral("%1 attempt %2: %3 %4 (unsigned)")
                               .arg(m_request.operation)
                               .arg(m_attempt)
                               .arg(QString::fromLatin1(m_request.method),
                                    QString::fromUtf8(url.toEncoded(QUrl::FullyEncoded))));
    }

    m_sentAtMs = m_transport->m_monotonic.elapsed();
    if (m_request.method == "GET" && m_request.onData) {
        // A streamed body (an S3 download): read on this thread, not through
        // the manager's (StreamingGet.h says why). Host goes as signed.
        if (headerValue(headers, "host").isEmpty())
            headers.prepend({QByteArrayLiteral("Host"), host});
        headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("gls-exporter/" GLS_VERSION)});
        m_get = new StreamingGet(sent, headers,
            sent.scheme() == QLatin1String("https") ? m_transport->m_tls : QSslConfiguration(),
            m_transport->settings().idleTimeoutMs, m_request.onData, this);
        connect(m_get, &StreamingGet::finished, this, &AwsCall::onStreamingGetFinished);
        qCDebug(lcAws) << m_request.operation << "attempt" << m_attempt << m_request.method
                       << QString::fromUtf8(sent.toEncoded(QUrl::RemoveQuery)) << "(streamed)";
        m_get->start();
        return;
    }

    QNetworkRequest req(sent);
    for (const auto &[name, value] : headers) {
        if (name.compare("host", Qt::CaseInsensitive) == 0)
            continue; // Qt derives Host (or :authority) from the URL, which is what we signed
        req.setRawHeader(name, value);
    }
    req.setRawHeader("User-Agent", QByteArrayLiteral("gls-exporter/" GLS_VERSION));
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setTransferTimeout(m_transport->settings().idleTimeoutMs);
    if (sent.scheme() == QLatin1String("https"))
        req.setSslConfiguration(m_transport->m_tls);

    QNetworkAccessManager *nam = m_transport->network();
    const QByteArray &m = m_request.method;
    if (m == "GET")
        m_reply = nam->get(req);
    else if (m == "HEAD")
        m_reply = nam->head(req);
    else if (m == "DELETE" && m_request.body.isEmpty())
        m_reply = nam->deleteResource(req);
    else if (m == "PUT")
        m_reply = nam->put(req, m_request.body);
    else if (m == "POST")
        m_reply = nam->post(req, m_request.body);
    else
        m_reply = nam->sendCustomRequest(req, m, m_request.body);
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::readyRead, this, &AwsCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &AwsCall::onReplyFinished);
    connect(m_reply, &QNetworkReply::downloadProgress, this, &AwsCall::downloadProgress);
    qCDebug(lcAws) << m_request.operation << "attempt" << m_attempt << m_request.method
                   << QString::fromUtf8(sent.toEncoded(QUrl::RemoveQuery));
}

void AwsCall::onReadyRead()
{
    if (!m_reply || !m_request.onData)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status < 200 || status >= 300)
        return; // an error body: read whole when finished
    const QByteArray chunk = m_reply->readAll();
    if (chunk.isEmpty())
        return;
    m_streamed = true;
    m_streamedBytes += chunk.size();
    if (!m_request.onData(chunk)) {
        finishError(writeFailed());
    }
}

void AwsCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    WireAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &[k, v] : reply->rawHeaderPairs())
        answer.headers.append({k, v});
    switch (reply->error()) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::SslHandshakeFailedError:
        answer.failure = WireAnswer::Failure::Tls;
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // Qt's transfer timeout cancels the reply
        answer.failure = WireAnswer::Failure::Timeout;
        break;
    default:
        answer.failure = WireAnswer::Failure::Network;
        break;
    }
    answer.errorString = reply->errorString();
    const bool streaming = m_request.onData && answer.status >= 200 && answer.status < 300;
    if (streaming && answer.failure == WireAnswer::Failure::None) {
        const QByteArray rest = reply->readAll();
        if (!rest.isEmpty()) {
            m_streamed = true;
            m_streamedBytes += rest.size();
            if (!m_request.onData(rest)) {
                finishError(writeFailed());
                return;
            }
        }
    }
    if (!streaming)
        answer.body = reply->readAll();
    answer.streamedBytes = m_streamedBytes;
    finishAttempt(answer);
}

void AwsCall::onStreamingGetFinished()
{
    StreamingGet *get = m_get;
    if (!get || m_finished)
        return;
    m_get = nullptr;
    get->deleteLater();
    const WireAnswer &answer = get->answer();
    m_streamedBytes = answer.streamedBytes;
    if (answer.streamedBytes > 0)
        m_streamed = true;
    if (answer.failure == WireAnswer::Failure::Refused) {
        finishError(writeFailed());
        return;
    }
    finishAttempt(answer);
}

void AwsCall::finishAttempt(const WireAnswer &answer)
{
    const int status = answer.status;
    const sigv4::HeaderList &headers = answer.headers;

    // Success with everything that was announced.
    if (status >= 200 && status < 300) {
        const QByteArray declared = headerValue(headers, "content-length");
        // A body shorter than announced is a failure, streamed or not.
        const qint64 received = m_request.onData ? answer.streamedBytes : answer.body.size();
        const bool shortBody = m_request.method != "HEAD" && !declared.isEmpty() && declared.toLongLong() != received;
        if (answer.failure == WireAnswer::Failure::None && !shortBody) {
            AwsResponse r;
            r.status = status;
            r.headers = headers;
            r.body = m_request.onData ? QByteArray() : answer.body;
            r.requestId = headerValue(headers, "x-amzn-requestid");
            if (r.requestId.isEmpty())
                r.requestId = headerValue(headers, "x-amz-request-id");
            r.attempts = m_attempt;
            m_transport->m_retry.recordSuccess(m_attempt, m_lastWasTimeout);
            finishOk(std::move(r));
            return;
        }
        AwsError e;
        e.kind = AwsError::Kind::Network;
        e.type = QStringLiteral("IncompleteBody");
        e.message = QStringLiteral("the connection closed before the whole answer arrived (%1)").arg(answer.errorString);
        e.httpStatus = status;
        handleFailure(e, headers, false);
        return;
    }

    if (status == 0) {
        AwsError e;
        e.type = QStringLiteral("NetworkError");
        e.message = answer.errorString;
        switch (answer.failure) {
        case WireAnswer::Failure::Tls:
            e.kind = AwsError::Kind::Tls;
            e.type = QStringLiteral("TlsError");
            e.message = QStringLiteral("TLS handshake failed, the server's certificate is not trusted (%1). "
                                       "If it is a private CA, pass it with --ca-bundle or AWS_CA_BUNDLE.")
                            .arg(answer.errorString);
            break;
        case WireAnswer::Failure::Timeout:
            e.kind = AwsError::Kind::Timeout;
            e.type = QStringLiteral("Timeout");
            e.message = QStringLiteral("no answer for %1 s").arg(m_transport->settings().idleTimeoutMs / 1000.0);
            break;
        default:
            e.kind = AwsError::Kind::Network;
            break;
        }
        handleFailure(e, headers, false);
        return;
    }

    const QByteArray &body = answer.body;
    if (isRedirect(status) && !headerValue(headers, "location").isEmpty() && m_redirects < m_transport->settings().maxRedirects) {
        const QUrl target = m_url.isValid() ? m_url : m_endpoint.baseUrl;
        const QUrl next = target.resolved(QUrl::fromEncoded(headerValue(headers, "location"), QUrl::StrictMode));
        QString why;
        if (next.isValid() && checkEndpointUrl(next, &why)) {
            ++m_redirects;
            m_url = next;
            --m_attempt; // a redirect is not a retry
            qCInfo(lcAws) << m_request.operation << "redirected to" << next.host();
            startAttempt();
            return;
        }
    }
    handleFailure(parseServiceError(status, headers, body, m_request.operation), headers, false);
}

void AwsCall::handleFailure(AwsError error, const sigv4::HeaderList &answerHeaders, bool)
{
    error.operation = m_request.operation;
    error.attempts = m_attempt;
    RetryPolicy &retry = m_transport->m_retry;
    const RetryPolicy::Class cls = RetryPolicy::classify(error, m_request.method);
    // The service's clock, read only when ours may be wrong.
    const QDateTime serverDate
        = cls == RetryPolicy::Class::ClockSkew ? parseHttpDate(headerValue(answerHeaders, "date")) : QDateTime();
    if (serverDate.isValid()) {
        const qint64 diff = m_transport->signingTime().msecsTo(serverDate);
        if (qAbs(diff) >= kSkewThresholdMs && m_attempt <= retry.settings().maxAttempts) {
            m_transport->learnClockOffset(serverDate);
            m_skewCorrected = true;
            QTimer::singleShot(0, this, &AwsCall::startAttempt); // at once, with the corrected time
            return;
        }
    }
    // Temporary credentials that expired under us (a laptop asleep past their
    // end): drop the cached ones and send once more with fresh ones.
    if ((error.type == QLatin1String("ExpiredToken") || error.type == QLatin1String("ExpiredTokenException"))
        && !m_request.anonymous && !m_refreshedCredentials && !m_streamed) {
        m_refreshedCredentials = true;
        qCInfo(lcAws).noquote() << m_request.operation << "credentials expired: fetching fresh ones";
        m_transport->credentials()->invalidate();
        QTimer::singleShot(0, this, &AwsCall::startAttempt);
        return;
    }
    if (cls == RetryPolicy::Class::Throttling)
        m_transport->noteThrottled(m_request.operation, m_sentAtMs);
    const bool mayRepeat = m_request.idempotent || cls == RetryPolicy::Class::Throttling;
    // The attempt a wrong clock spoiled is not held against the request: a
    // process's first call would otherwise lose one of its retries to it.
    const int counted = m_attempt - (m_skewCorrected ? 1 : 0);
    if (!m_streamed && mayRepeat && retry.acquireRetry(error, counted)) {
        m_lastWasTimeout = cls == RetryPolicy::Class::Timeout;
        const int wait = retry.backoffMs(counted);
        qCInfo(lcAws).noquote() << m_request.operation << "attempt" << m_attempt << "failed:" << error.type
                                << "- retrying in" << wait << "ms";
        QTimer::singleShot(wait, this, &AwsCall::startAttempt);
        return;
    }
    finishError(std::move(error));
}

void AwsCall::finishOk(AwsResponse response)
{
    m_finished = true;
    m_response = std::move(response);
    Q_EMIT succeeded(m_response);
    Q_EMIT finished();
}

void AwsCall::finishError(AwsError error)
{
    if (m_finished)
        return;
    m_finished = true;
    dropUnderWay(m_reply, this);
    dropUnderWay(m_get, this);
    if (error.operation.isEmpty())
        error.operation = m_request.operation;
    if (error.attempts == 0)
        error.attempts = m_attempt;
    m_error = std::move(error);
    qCInfo(lcAws).noquote() << m_error.toString();
    Q_EMIT failed(m_error);
    Q_EMIT finished();
}

} // namespace gls::aws
