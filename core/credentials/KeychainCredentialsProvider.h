#pragma once

// AWS credentials from a named profile in the OS keychain (KeychainStore).
// Nothing is cached: every fetch reads the keychain, so a profile saved,
// replaced or removed elsewhere counts at the next request.

#include "aws/Credentials.h"

#include <QPointer>

namespace gls::creds {

class KeychainStore;

class KeychainCredentialsProvider final : public aws::CredentialsProvider {
    Q_OBJECT
public:
    // `store` must outlive the fetches (a fetch after it is gone fails plainly).
    KeychainCredentialsProvider(KeychainStore *store, QString profileName, QObject *parent = nullptr);

    QString profileName() const { return m_profileName; }
    void fetch(QObject *context, Callback done) override;

private:
    QPointer<KeychainStore> m_store;
    QString m_profileName;
};

} // namespace gls::creds
