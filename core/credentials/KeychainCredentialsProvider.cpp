#include "KeychainCredentialsProvider.h"

#include "KeychainStore.h"

#include <QTimer>

namespace gls::creds {

KeychainCredentialsProvider::KeychainCredentialsProvider(KeychainStore *store, QString profileName, QObject *parent)
    : CredentialsProvider(parent)
    , m_store(store)
    , m_profileName(std::move(profileName))
{
}

void KeychainCredentialsProvider::fetch(QObject *context, Callback done)
{
    const QString source = QStringLiteral("keychain:") + m_profileName;
    if (!m_store) {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, context, [guard, done = std::move(done), source] {
            aws::CredentialsResult r;
            r.source = source;
            r.error = QStringLiteral("The keychain is no longer open in this application: try again.");
            if (guard)
                done(r);
        });
        return;
    }
    // The store already delivers on a later turn and guards `context`.
    m_store->read(m_profileName, context, [done = std::move(done), source](const KeychainResult &got) {
        aws::CredentialsResult r;
        r.source = source;
        if (got.ok()) {
            r.credentials = got.profile.credentials;
            r.credentials.secretAccessKey.detach(); // our copy, wiped below; the store wipes its own
            r.credentials.sessionToken.detach();
        } else {
            r.error = got.error;
        }
        done(r);
        aws::wipe(r.credentials);
    });
}

} // namespace gls::creds
