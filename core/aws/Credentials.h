#pragma once

// Where AWS credentials come from, behind one asynchronous interface: the
// environment now; the keychain, AWS profiles, credential_process, STS and
// SSO later. The secret lives in sigv4::Credentials and is wiped after use.

#include "sigv4/SigV4.h"

#include <QDateTime>
#include <QObject>
#include <QProcessEnvironment>

#include <optional>

#include <functional>

namespace gls::aws {

struct CredentialsResult {
    sigv4::Credentials credentials;
    QDateTime expiration; // invalid: does not expire
    QString source;       // "environment", "keychain:qa", ...: for display, never secret
    QString error;        // set when no credentials could be had; says what to do

    bool ok() const { return error.isEmpty() && !credentials.accessKeyId.isEmpty(); }
};

class CredentialsProvider : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const CredentialsResult &)>;
    using QObject::QObject;

    // Calls `done` (possibly at once, possibly later, in this thread) with
    // credentials valid for at least a few minutes. `context` guards the
    // callback: it is not called once `context` is destroyed.
    virtual void fetch(QObject *context, Callback done) = 0;
    // Drops any cached credentials, e.g. after the service rejected them.
    virtual void invalidate() {}
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, read from the
// environment given (the process environment by default) at each fetch.
class EnvironmentCredentialsProvider final : public CredentialsProvider {
    Q_OBJECT
public:
    explicit EnvironmentCredentialsProvider(QObject *parent = nullptr);
    // Reads `env` instead of the process environment.
    EnvironmentCredentialsProvider(QProcessEnvironment env, QObject *parent = nullptr);
    void fetch(QObject *context, Callback done) override;

private:
    std::optional<QProcessEnvironment> m_env;
};

// Fixed credentials, for tests and for a caller that already holds them.
class StaticCredentialsProvider final : public CredentialsProvider {
    Q_OBJECT
public:
    StaticCredentialsProvider(sigv4::Credentials creds, QString source, QObject *parent = nullptr);
    ~StaticCredentialsProvider() override;
    void fetch(QObject *context, Callback done) override;

private:
    sigv4::Credentials m_creds;
    QString m_source;
};

// Overwrites a secret's bytes before the buffer is released.
void wipe(QByteArray &secret);
void wipe(sigv4::Credentials &creds);

} // namespace gls::aws
