#include "Credentials.h"

#include <QPointer>
#include <QProcessEnvironment>
#include <QTimer>

#include <openssl/crypto.h>

namespace gls::aws {

void wipe(QByteArray &secret)
{
    if (!secret.isEmpty() && !secret.isDetached())
        secret.detach(); // never scribble over a buffer someone else still shares
    if (!secret.isEmpty())
        OPENSSL_cleanse(secret.data(), size_t(secret.size()));
    secret.clear();
}

void wipe(sigv4::Credentials &creds)
{
    wipe(creds.secretAccessKey);
    wipe(creds.sessionToken);
}

namespace {

// Delivers on the next event-loop turn, so every provider behaves
// asynchronously alike and callers never re-enter themselves.
void deliverLater(QObject *context, CredentialsProvider::Callback done, CredentialsResult result)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, context, [guard, done = std::move(done), result = std::move(result)]() mutable {
        if (guard)
            done(result);
        wipe(result.credentials);
    });
}

} // namespace

EnvironmentCredentialsProvider::EnvironmentCredentialsProvider(QObject *parent)
    : CredentialsProvider(parent)
{
}

EnvironmentCredentialsProvider::EnvironmentCredentialsProvider(QProcessEnvironment env, QObject *parent)
    : CredentialsProvider(parent)
    , m_env(std::move(env))
{
}

void EnvironmentCredentialsProvider::fetch(QObject *context, Callback done)
{
    const QProcessEnvironment env = m_env ? *m_env : QProcessEnvironment::systemEnvironment();
    CredentialsResult r;
    r.source = QStringLiteral("environment");
    r.credentials.accessKeyId = env.value(QStringLiteral("AWS_ACCESS_KEY_ID")).toUtf8();
    r.credentials.secretAccessKey = env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY")).toUtf8();
    r.credentials.sessionToken = env.value(QStringLiteral("AWS_SESSION_TOKEN")).toUtf8();
    if (r.credentials.accessKeyId.isEmpty() || r.credentials.secretAccessKey.isEmpty()) {
        wipe(r.credentials);
        r.credentials.accessKeyId.clear();
        r.error = QStringLiteral("No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                                 "(and AWS_SESSION_TOKEN for temporary credentials).");
    }
    deliverLater(context, std::move(done), std::move(r));
}

StaticCredentialsProvider::StaticCredentialsProvider(sigv4::Credentials creds, QString source, QObject *parent)
    : CredentialsProvider(parent)
    , m_creds(std::move(creds))
    , m_source(std::move(source))
{
}

StaticCredentialsProvider::~StaticCredentialsProvider()
{
    wipe(m_creds);
}

void StaticCredentialsProvider::fetch(QObject *context, Callback done)
{
    CredentialsResult r;
    r.credentials = m_creds;
    r.credentials.secretAccessKey.detach();
    r.credentials.sessionToken.detach();
    r.source = m_source;
    deliverLater(context, std::move(done), std::move(r));
}

} // namespace gls::aws
