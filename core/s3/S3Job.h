#pragma once

// The base of every S3 job: start() once, then exactly one of the derived
// job's result signal or failed(), then finished(). Signals are always
// emitted from the event loop, never from inside start(). cancel() fails the
// job with Kind::Cancelled. An optional overall deadline (setTimeoutMs) adds
// to the transport's idle timeout.

#include "aws/AwsError.h"
#include "aws/AwsTransport.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;

namespace gls::s3 {

class S3Client;

class S3Job : public QObject {
    Q_OBJECT
public:
    ~S3Job() override;

    void start();
    void cancel();
    void setTimeoutMs(int ms) { m_timeoutMs = ms; } // 0 (default): no overall deadline

    bool isStarted() const { return m_started; }
    bool isFinished() const { return m_finished; }
    const aws::AwsError &error() const { return m_error; }
    QString operation() const { return m_operation; }

Q_SIGNALS:
    void failed(const gls::aws::AwsError &error);
    void finished();

protected:
    S3Job(S3Client *client, QString operation, QObject *parent);

    // Runs once, from the event loop, after start().
    virtual void run() = 0;
    // Called before a cancelled or failed job emits failed(); for clean-up.
    virtual void cleanUp() { }

    S3Client *client() const { return m_client; }

    // Emits failed(error) then finished(); later calls are ignored.
    void fail(aws::AwsError error);
    // Call after emitting the result signal: emits finished().
    void complete();
    // A Validation (or other local) failure named after this job's operation.
    void failWith(aws::AwsError::Kind kind, const QString &type, const QString &message);
    // Fail the job (Kind::Validation, the rule in the message) and return
    // false when the bucket name, or the bucket name and the object key,
    // cannot be sent.
    bool checkBucket(const QString &bucket);
    bool checkObject(const QString &bucket, const QString &key);
    // `error` renamed: a HEAD 404 has no body, so the job names it.
    static aws::AwsError renamed(aws::AwsError error, const QString &type, const QString &message);
    static aws::AwsError noSuchBucket(aws::AwsError error, const QString &bucket);

    using OnResponse = std::function<void(const aws::AwsResponse &)>;
    using OnError = std::function<void(const aws::AwsError &)>;
    // Sends `request` to `bucket` (and `key`: empty for the bucket itself):
    // path and endpoint filled in, signed for the bucket's Region, re-sent
    // once to the Region a 301 or 400 answer names. Remembers the Region an
    // answer reports. `onError` empty: the job fails with the error.
    void send(const QString &bucket, const QString &key, aws::AwsRequest request, OnResponse onResponse,
        OnError onError = {});
    // The call in flight, if any.
    aws::AwsCall *currentCall() const { return m_call; }

private:
    void sendTo(const QString &bucket, const QString &key, const QString &region, aws::AwsRequest request,
        OnResponse onResponse, OnError onError, bool redirected);
    void onTimeout();

    QPointer<S3Client> m_client;
    QString m_operation;
    QPointer<aws::AwsCall> m_call;
    QTimer *m_deadline = nullptr;
    int m_timeoutMs = 0;
    bool m_started = false;
    bool m_finished = false;
    aws::AwsError m_error;
};

// The Region an error answer names: x-amz-bucket-region or <Region>
// (AwsError::region), else the Region S3's message expects ("... the region
// 'us-west-2' is wrong; expecting 'us-east-2'"). Empty when none, or when the
// answer is not a 301 or 400.
QString regionFromErrorAnswer(const aws::AwsError &error);

} // namespace gls::s3
