#pragma once

// The one place where requests to AWS leave: builds the wire bytes, signs
// them (fresh for every attempt), sends them with Qt's network stack, retries
// as the SDKs' standard mode does, corrects clock skew from the response's
// Date, handles redirects by hand, and turns every failure into an AwsError.
// Everything it depends on (network manager, credentials, clock, randomness)
// is injected.

#include "AwsError.h"
#include "Endpoints.h"
#include "RetryPolicy.h"
#include "StreamingGet.h"
#include "sigv4/SigV4.h"
#include "sigv4/SigningKeyCache.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace gls::aws {

class Clock;
class CredentialsProvider;

struct AwsRequest {
    QString operation;   // "GetStreamSession": used in errors, logs and rate limiting
    QByteArray method = "GET";
    QByteArray path;     // wire path, already encoded ("/streamgroups/arn%3Aaws%3A...")
    QList<QPair<QByteArray, QByteArray>> query; // decoded pairs; the transport encodes them
    QByteArray body;
    sigv4::HeaderList headers; // extra headers, signed (content-type, range, if-match, ...)
    bool idempotent = true;    // may be sent again after a failure
    bool anonymous = false;    // sent unsigned, without fetching credentials (SSO's portal takes a bearer token)
    // Streaming body: when set, response bytes of a 2xx answer go here as they
    // arrive instead of into AwsResponse::body. Returning false aborts the call
    // (Client error). A call that already delivered bytes is not retried by the
    // transport: the caller resumes (S3 downloads use Range).
    std::function<bool(QByteArrayView)> onData;
};

struct AwsResponse {
    int status = 0;
    sigv4::HeaderList headers;
    QByteArray body;       // empty when streamed through onData
    QByteArray requestId;
    int attempts = 0;

    QByteArray header(QByteArrayView name) const;
};

class AwsCall;

struct TransportSettings {
    RetrySettings retry;
    int idleTimeoutMs = 30'000;      // no bytes for this long: timeout (retried)
    int maxRedirects = 3;
    // Client-side pacing per operation.
    // - 0 (the default): adaptive, as the AWS SDKs' adaptive retry mode. Nothing
    //   is held back until the service throttles an operation. From then on that
    //   operation is paced, starting at 0.7 of the rate it was being sent at, and
    //   growing back along botocore's cubic curve. Pacing stops when the rate
    //   reaches 4 times the rate at the throttle, or after 60 s without a throttle.
    // - > 0: a fixed rate, as a token bucket with one second of burst.
    // - < 0: no pacing at all.
    double requestsPerSecondPerOperation = 0;
    // AWS_CA_BUNDLE / --ca-bundle: trusted instead of the system's store. A
    // null certificate stands for the system's own bundle (loadCaBundle):
    // alone, it leaves the system's store in use, as when no bundle is given.
    QList<QSslCertificate> extraCaCertificates;
};

class AwsTransport : public QObject {
    Q_OBJECT
public:
    AwsTransport(QNetworkAccessManager *network, CredentialsProvider *credentials, const Clock *clock,
                 TransportSettings settings = {}, RetryPolicy::Random random = {}, QObject *parent = nullptr);
    ~AwsTransport() override;

    // Starts the call at once (or as soon as pacing allows). The call is owned
    // by `parent` when given, else by the transport; it deletes itself later
    // only if the caller asks (deleteLater) — results stay readable.
    AwsCall *send(const Endpoint &endpoint, AwsRequest request, QObject *parent = nullptr);

    // Opens the connection (and the TLS handshake) that the next call to
    // `endpoint` will use, while the caller does something else first.
    void preconnect(const Endpoint &endpoint);

    // Receives, for every attempt, the canonical request and string to sign
    // (never a secret): for --debug.
    void setDebugSink(std::function<void(const QString &)> sink);

    // Offset (ms) added to the local clock when signing, learned from a
    // skew error's Date header. 0 until the service says we are off.
    qint64 clockOffsetMs() const { return m_clockOffsetMs; }
    const RetryPolicy &retryPolicy() const { return m_retry; }
    const TransportSettings &settings() const { return m_settings; }
    // Whether adaptive pacing holds `operation` back now (after a throttle).
    bool isPacing(const QString &operation) const;
    QNetworkAccessManager *network() const { return m_network; }
    CredentialsProvider *credentials() const { return m_credentials; }
    const Clock *clock() const { return m_clock; }

    // Loads a PEM bundle (AWS_CA_BUNDLE / --ca-bundle). False with a message naming the file.
    // The system's own bundle (isSystemCaBundle) is not read: a null
    // certificate stands for it (TransportSettings::extraCaCertificates).
    static bool loadCaBundle(const QString &path, QList<QSslCertificate> *out, QString *error);
    // `path` is the file OpenSSL takes for the system's bundle (on Debian
    // /usr/lib/ssl/cert.pem, a link to /etc/ssl/certs/ca-certificates.crt),
    // in the directory of hashed certificates the system's store is read from.
    static bool isSystemCaBundle(const QString &path);
    // That file's canonical path (empty when the system has none).
    static QString systemCaBundle();

private:
    friend class AwsCall;
    QDateTime signingTime() const;
    void learnClockOffset(const QDateTime &serverTime);
    struct Pace;
    // Pacing: true when `call` may be sent now; else it waits in its
    // operation's queue and is sent (sendNow) when the pace allows.
    bool admit(AwsCall *call);
    bool takeSlot(Pace &pace, qint64 nowMs);
    void armRelease(const QString &operation);
    // A request of `operation` sent at `sentAtMs` (monotonic) was throttled.
    void noteThrottled(const QString &operation, qint64 sentAtMs);
    void debug(const QString &text) const;

    QNetworkAccessManager *m_network;
    CredentialsProvider *m_credentials;
    const Clock *m_clock;
    TransportSettings m_settings;
    RetryPolicy m_retry;
    qint64 m_clockOffsetMs = 0;
    std::function<void(const QString &)> m_debug;
    struct Pace {
        qint64 nextSlotMs = 0;     // earliest send time of the next request (monotonic ms)
        bool started = false;      // nextSlotMs set
        QList<qint64> recentSends; // send times of the last second: the measured rate
        bool limited = false;      // adaptive: throttled lately, so paced
        double rateAtThrottle = 0; // adaptive: requests/s when last throttled
        qint64 throttledAtMs = 0;
        double rate(qint64 nowMs) const; // adaptive: the pace now
        QList<QPointer<AwsCall>> waiting; // calls held back, in order
        bool releaseArmed = false;        // a timer will release the next waiting call
    };
    QHash<QString, Pace> m_pace; // per operation
    QElapsedTimer m_monotonic;
    QSslConfiguration m_tls;
    sigv4::SigningKeyCache m_signingKeys; // derived keys, per secret, day, Region and service
};

// One AWS call: sent, retried, finished. Emits exactly one of succeeded() or
// failed(), then finished().
class AwsCall : public QObject {
    Q_OBJECT
public:
    ~AwsCall() override;

    void abort(); // fails with Kind::Cancelled
    bool isFinished() const { return m_finished; }
    const AwsResponse &response() const { return m_response; }
    const AwsError &error() const { return m_error; }
    const AwsRequest &request() const { return m_request; }

Q_SIGNALS:
    void succeeded(const gls::aws::AwsResponse &response);
    void failed(const gls::aws::AwsError &error);
    void finished();
    void downloadProgress(qint64 received, qint64 total);

private:
    friend class AwsTransport;
    AwsCall(AwsTransport *transport, Endpoint endpoint, AwsRequest request, QObject *parent);

    void startAttempt();
    void sendNow(); // the attempt, once pacing lets it go
    void sendWithCredentials(const struct CredentialsResult &creds);
    void onReplyFinished();
    void onStreamingGetFinished();
    void finishAttempt(const WireAnswer &answer);
    void onReadyRead();
    void handleFailure(AwsError error, const sigv4::HeaderList &answerHeaders, bool retryNow);
    void finishOk(AwsResponse response);
    void finishError(AwsError error);

    QPointer<AwsTransport> m_transport;
    Endpoint m_endpoint;
    AwsRequest m_request;
    QUrl m_url;                // current target (changes on redirect)
    int m_attempt = 0;
    qint64 m_sentAtMs = 0;     // when this attempt was sent (the transport's monotonic ms)
    int m_redirects = 0;
    bool m_streamed = false;   // bytes already went to onData
    qint64 m_streamedBytes = 0; // how many, in this attempt
    bool m_lastWasTimeout = false;
    bool m_skewCorrected = false; // one correction of the clock is free: it does not count as an attempt
    bool m_refreshedCredentials = false; // fetched fresh credentials once after ExpiredToken
    bool m_finished = false;
    QPointer<QNetworkReply> m_reply;
    QPointer<StreamingGet> m_get; // instead of m_reply, for a streamed GET
    QTimer *m_retryTimer = nullptr;
    AwsResponse m_response;
    AwsError m_error;
};

// Encodes query pairs the SigV4 way (unreserved set, '%20' for space), in the
// order given; the transport signs exactly these bytes.
QByteArray encodeQuery(const QList<QPair<QByteArray, QByteArray>> &pairs);

// The service's error from a response: X-Amzn-Errortype, JSON __type/code/
// Message/message, or S3's XML <Code>/<Message>; HEAD errors (no body) are
// named from the status ("NotFound", "Forbidden", ...).
AwsError parseServiceError(int status, const sigv4::HeaderList &headers, const QByteArray &body,
                           const QString &operation);

} // namespace gls::aws
