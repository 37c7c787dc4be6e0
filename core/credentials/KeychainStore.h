#pragma once

// Named AWS credential profiles in the OS keychain (the Secret Service on
// Linux, through QtKeychain), never anywhere else: the insecure plaintext
// fallback is always off. One entry per profile under the key "profile:NAME"
// and one "index" entry with the names and non-secret metadata, so listing
// needs a single read. Every call is asynchronous; operations on one store run
// one after another, so the index is never updated by two at once.

#include "sigv4/SigV4.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

namespace gls::creds {

struct KeychainProfile {
    QString name;
    sigv4::Credentials credentials; // sessionToken empty when none
};

// What the index says about a profile: nothing secret.
struct KeychainProfileInfo {
    QString name;
    QString accessKeyIdSuffix; // the access key ID's last 4 characters
    bool hasSessionToken = false;
    QDateTime savedAt; // UTC
};

enum class KeychainFailure {
    None,
    InvalidInput, // bad profile name or empty key: nothing was sent to the keychain
    NotFound,     // no such profile
    Unavailable,  // no keychain service on this desktop (or no session bus at all)
    Denied,       // the keychain is locked or refused access
    Other,
};

struct KeychainResult {
    KeychainProfile profile; // filled by read() only
    KeychainFailure failure = KeychainFailure::None;
    QString error; // plain words, never a secret

    bool ok() const { return failure == KeychainFailure::None; }
    bool notFound() const { return failure == KeychainFailure::NotFound; }
    bool unavailable() const { return failure == KeychainFailure::Unavailable; }
};

struct KeychainListResult {
    QList<KeychainProfileInfo> profiles; // sorted by name
    KeychainFailure failure = KeychainFailure::None;
    QString error;

    bool ok() const { return failure == KeychainFailure::None; }
    bool unavailable() const { return failure == KeychainFailure::Unavailable; }
};

class KeychainStore : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const KeychainResult &)>;
    using ListCallback = std::function<void(const KeychainListResult &)>;

    explicit KeychainStore(QString service = QStringLiteral("gls-exporter"), QObject *parent = nullptr);
    ~KeychainStore() override;

    QString service() const { return m_service; }

    // Each calls `done` once, later, in this thread, unless `context` has been
    // destroyed by then. The result's credentials are wiped after `done` returns.
    void save(const KeychainProfile &profile, QObject *context, Callback done); // adds or replaces
    void read(const QString &name, QObject *context, Callback done);
    void remove(const QString &name, QObject *context, Callback done);
    void list(QObject *context, ListCallback done);

    // Empty when `name` is a valid profile name, else what is wrong with it.
    static QString validateName(const QString &name);
    static QString notFoundMessage(const QString &name);
    static QString unavailableMessage();
    static QString deniedMessage();

private:
    struct JobOutcome {
        KeychainFailure failure = KeychainFailure::None;
        QString error;
        QByteArray data; // read jobs only; wiped by the caller
    };
    using JobDone = std::function<void(JobOutcome &)>;
    using Operation = std::function<void()>;

    void enqueue(Operation op);
    void runNext();
    void finishOperation();
    void startRead(const QString &key, JobDone done);
    void startWrite(const QString &key, const QByteArray &data, JobDone done);
    void startDelete(const QString &key, JobDone done);
    void watch(QKeychain::Job *job, JobDone done, bool isRead);
    void updateIndex(std::function<void(QList<KeychainProfileInfo> &)> change, JobDone done);

    QString m_service;
    QQueue<Operation> m_queue;
    bool m_busy = false;
};

} // namespace gls::creds
