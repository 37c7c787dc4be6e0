#pragma once

// The common shape of one GameLift Streams API call (STYLE.md, "Requests and
// async work"): created by GameLiftClient, connected to, then start()ed. It
// checks its input first (a bad value fails the job with Kind::Validation and
// nothing is sent), sends through aws::AwsTransport (which signs, retries and
// parses service errors), decodes the answer and emits, exactly once, either
// the subclass's typed result signal or failed(), then finished().
//
// Signals are never emitted from inside start(): even a validation failure
// arrives on the next event-loop turn, so connecting after start() is safe.
//
// Timeout: each request (with the transport's retries) must finish within
// timeoutMs() (default GameLiftClient::defaultTimeoutMs()); a paginated job
// applies it to each page. Past it the job fails with Kind::Timeout.
//
// Ownership: a job is a child of its GameLiftClient and, by default, deletes
// itself (deleteLater) after finished(); call setAutoDelete(false) to keep it
// and delete it yourself. Do not delete a job from a slot connected to its own
// signals; abort() it or let it finish. Destroying a running job (or its
// client) aborts its request without emitting anything.

#include "GameLiftClient.h"

#include "aws/AwsError.h"
#include "aws/AwsTransport.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QJsonObject;
class QTimer;

namespace gls::gamelift {

class ApiJob : public QObject {
    Q_OBJECT
public:
    ~ApiJob() override;

    // Validates, then sends. Calling it twice does nothing.
    void start();
    // Fails a running (or not yet started) job with Kind::Cancelled.
    void abort();

    QString operation() const { return m_operation; }
    bool isStarted() const { return m_started; }
    bool isFinished() const { return m_finished; }
    // The failure, once failed() was emitted; Kind::None otherwise.
    const aws::AwsError &error() const { return m_error; }

    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms); // 0: no deadline beyond the transport's own
    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

Q_SIGNALS:
    void failed(const gls::aws::AwsError &error);
    void finished();

protected:
    ApiJob(GameLiftClient *client, QString operation);

    // The input's first problem (a message naming the field and the rule), or
    // an empty string when every value is fine.
    virtual QString validate() const = 0;
    // Sends the first request (with send()).
    virtual void run() = 0;

    GameLiftClient *client() const { return m_client; }
    void setOperation(const QString &operation) { m_operation = operation; }

    // Sends one request; `onSuccess` gets the 2xx answer. A failure ends the job.
    void send(aws::AwsRequest request, std::function<void(const aws::AwsResponse &)> onSuccess);
    // Parses a 2xx answer's body as a JSON object; on failure ends the job
    // with a Client error naming the operation and returns false.
    bool parseBody(const aws::AwsResponse &response, QJsonObject *out, bool allowEmpty = false);
    // Parses the body and hands it to `decode` (which returns false with a
    // problem naming the member); on any failure ends the job and returns false.
    bool decodeBody(
        const aws::AwsResponse &response, const std::function<bool(const QJsonObject &, QString *problem)> &decode);
    // Ends the job with a Client error about an answer we could not read.
    void failInvalidResponse(const aws::AwsResponse &response, const QString &problem);

    // Emits the typed result through `emitResult`, then finished().
    void succeed(const std::function<void()> &emitResult);
    void fail(aws::AwsError error);

    // An identifier as a path label: every byte outside A-Za-z0-9-._~
    // percent-encoded, so an ARN's ':' and '/' travel as %3A and %2F.
    static QByteArray label(const QString &identifier);

private:
    aws::AwsError localError(aws::AwsError::Kind kind, const QString &type, const QString &message) const;
    aws::AwsError noTransport() const;
    void onCallFinished(aws::AwsCall *call);
    void onDeadline();
    void stopCall();
    void finish();

    QPointer<GameLiftClient> m_client;
    QString m_operation;
    int m_timeoutMs = 0;
    bool m_autoDelete = true;
    bool m_started = false;
    bool m_finished = false;
    aws::AwsError m_error;
    QPointer<aws::AwsCall> m_call;
    std::function<void(const aws::AwsResponse &)> m_onSuccess;
    QTimer *m_deadline = nullptr;
};

} // namespace gls::gamelift
