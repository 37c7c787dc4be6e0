#include "KeychainStore.h"

#include "aws/Credentials.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

#include <openssl/crypto.h>
#include <qt6keychain/keychain.h>

#include <algorithm>
#include <memory>

namespace gls::creds {

namespace {

Q_LOGGING_CATEGORY(lcKeychain, "gls.credentials.keychain", QtWarningMsg)

// The profile entry is a few "key=value" lines rather than JSON: every byte of
// it passes only through QByteArrays we own and wipe, where a JSON parser would
// leave copies of the secret in buffers we cannot reach.
constexpr char kBlobHeader[] = "gls-keychain-profile 1";
constexpr char kAccessKeyId[] = "access_key_id";
constexpr char kSecretAccessKey[] = "secret_access_key";
constexpr char kSessionToken[] = "session_token";
constexpr int kIndexVersion = 1;

QString profileKey(const QString &name)
{
    return QStringLiteral("profile:") + name;
}

const QString &indexKey()
{
    static const QString key = QStringLiteral("index");
    return key;
}

// Overwrites a buffer that other owners may share: only for buffers whose
// other owners are finished with them (a keychain job that has completed).
void cleanseShared(const QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(const_cast<char *>(bytes.constData()), size_t(bytes.size()));
}

void cleanse(QString &text)
{
    if (!text.isEmpty()) {
        text.detach();
        OPENSSL_cleanse(text.data(), size_t(text.size()) * sizeof(QChar));
    }
    text.clear();
}

// Printable ASCII without spaces: what AWS key IDs, secrets and tokens are made
// of, and what keeps the blob's lines unambiguous.
bool isTokenText(const QByteArray &value)
{
    return std::all_of(value.cbegin(), value.cend(), [](char c) { return c > ' ' && c < 0x7f; });
}

QString validateCredentials(const sigv4::Credentials &c)
{
    if (c.accessKeyId.isEmpty())
        return QStringLiteral("Access key ID is empty: enter the access key ID (it starts with AKIA or ASIA).");
    if (!isTokenText(c.accessKeyId))
        return QStringLiteral("Access key ID may contain only printable characters without spaces.");
    if (c.secretAccessKey.isEmpty())
        return QStringLiteral("Secret access key is empty: enter the secret access key that goes with the key ID.");
    if (!isTokenText(c.secretAccessKey))
        return QStringLiteral("Secret access key may contain only printable characters without spaces.");
    if (!isTokenText(c.sessionToken))
        return QStringLiteral("Session token may contain only printable characters without spaces.");
    return {};
}

QByteArray encodeProfile(const sigv4::Credentials &c)
{
    QByteArray blob;
    blob.reserve(int(sizeof(kBlobHeader)) + c.accessKeyId.size() + c.secretAccessKey.size() + c.sessionToken.size()
        + 64); // one allocation, so no stale copy is left behind by growth
    blob.append(kBlobHeader).append('\n');
    blob.append(kAccessKeyId).append('=').append(c.accessKeyId).append('\n');
    blob.append(kSecretAccessKey).append('=').append(c.secretAccessKey).append('\n');
    if (!c.sessionToken.isEmpty())
        blob.append(kSessionToken).append('=').append(c.sessionToken).append('\n');
    return blob;
}

bool decodeProfile(const QByteArray &blob, sigv4::Credentials &out)
{
    qsizetype pos = 0;
    bool first = true;
    bool ok = true;
    while (pos < blob.size()) {
        qsizetype end = blob.indexOf('\n', pos);
        if (end < 0)
            end = blob.size();
        QByteArray line = blob.mid(pos, end - pos);
        pos = end + 1;
        if (first) {
            ok = line == kBlobHeader;
            first = false;
        } else if (const qsizetype eq = line.indexOf('='); eq > 0) {
            const QByteArray field = line.left(eq);
            QByteArray value = line.mid(eq + 1);
            if (field == kAccessKeyId)
                out.accessKeyId = std::move(value);
            else if (field == kSecretAccessKey)
                out.secretAccessKey = std::move(value);
            else if (field == kSessionToken)
                out.sessionToken = std::move(value);
            aws::wipe(value); // an unknown field
        }
        aws::wipe(line);
        if (!ok)
            return false;
    }
    return !first && !out.accessKeyId.isEmpty() && !out.secretAccessKey.isEmpty();
}

QList<KeychainProfileInfo> decodeIndex(const QByteArray &bytes)
{
    QList<KeychainProfileInfo> profiles;
    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    if (root.value(QStringLiteral("version")).toInt() != kIndexVersion) {
        qCWarning(lcKeychain) << "keychain profile index has an unknown format; starting a new one";
        return profiles;
    }
    const QJsonArray items = root.value(QStringLiteral("profiles")).toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        KeychainProfileInfo info;
        info.name = o.value(QStringLiteral("name")).toString();
        if (!KeychainStore::validateName(info.name).isEmpty())
            continue;
        info.accessKeyIdSuffix = o.value(QStringLiteral("accessKeyIdSuffix")).toString();
        info.hasSessionToken = o.value(QStringLiteral("hasSessionToken")).toBool();
        info.savedAt = QDateTime::fromString(o.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
        profiles.append(info);
    }
    return profiles;
}

QByteArray encodeIndex(QList<KeychainProfileInfo> profiles)
{
    std::sort(profiles.begin(), profiles.end(),
        [](const KeychainProfileInfo &a, const KeychainProfileInfo &b) { return a.name < b.name; });
    QJsonArray items;
    for (const KeychainProfileInfo &p : profiles) {
        items.append(QJsonObject{
            {QStringLiteral("name"), p.name},
            {QStringLiteral("accessKeyIdSuffix"), p.accessKeyIdSuffix},
            {QStringLiteral("hasSessionToken"), p.hasSessionToken},
            {QStringLiteral("savedAt"), p.savedAt.toUTC().toString(Qt::ISODateWithMs)},
        });
    }
    const QJsonObject root{{QStringLiteral("version"), kIndexVersion}, {QStringLiteral("profiles"), items}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// What libsecret / GDBus say when there is no session bus, or no Secret
// Service on it. QtKeychain reports these as OtherError with the D-Bus text.
bool looksUnavailable(const QString &message)
{
    static const char *const patterns[] = {
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "was not provided by any .service files",
        "org.freedesktop.DBus.Error.NoServer",
        "org.freedesktop.DBus.Error.FileNotFound",
        "Could not connect",
        "Cannot autolaunch D-Bus",
        "Cannot spawn a message bus",
        "DBUS_SESSION_BUS_ADDRESS",
        "Error spawning command line",
        "Failed to connect to socket",
        "No such interface \"org.freedesktop.Secret",
        "Unable to autolaunch",
    };
    return std::any_of(std::begin(patterns), std::end(patterns),
        [&](const char *p) { return message.contains(QLatin1String(p), Qt::CaseInsensitive); });
}

// Secret bytes that are wiped when their last owner lets go, even when the
// operation holding them never runs (its store or context went away first).
struct SecretBytes {
    QByteArray bytes;
    explicit SecretBytes(QByteArray b)
        : bytes(std::move(b))
    {
    }
    ~SecretBytes() { aws::wipe(bytes); }
};

struct PendingResult {
    KeychainResult result;
    ~PendingResult() { aws::wipe(result.profile.credentials); }
};

// Calls `done` on the next event-loop turn unless `context` is gone by then;
// a profile's credentials are wiped afterwards either way.
void deliver(QObject *context, KeychainStore::Callback done, KeychainResult result)
{
    auto pending = std::make_shared<PendingResult>();
    pending->result = std::move(result);
    if (!context)
        return;
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, context, [guard, done = std::move(done), pending] {
        if (guard && done)
            done(pending->result);
    });
}

void deliver(QObject *context, KeychainStore::ListCallback done, KeychainListResult result)
{
    if (!context)
        return;
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, context, [guard, done = std::move(done), result = std::move(result)] {
        if (guard && done)
            done(result);
    });
}

} // namespace

KeychainStore::KeychainStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{
}

KeychainStore::~KeychainStore() = default;

QString KeychainStore::validateName(const QString &name)
{
    const bool ok = !name.isEmpty() && name.size() <= 64 && std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.'
            || c == u'_' || c == u'-';
    });
    if (ok)
        return {};
    // The rejected text is not repeated: someone may have pasted a key into the wrong field.
    return QStringLiteral("Profile name must be 1 to 64 characters, each a letter (A-Z, a-z), a digit, '.', '_' or "
                          "'-'.");
}

QString KeychainStore::notFoundMessage(const QString &name)
{
    return QStringLiteral("No keychain profile named \"%1\".").arg(name);
}

QString KeychainStore::unavailableMessage()
{
    return QStringLiteral(
        "No keychain is available: this desktop has no Secret Service (for example gnome-keyring or KWallet) on "
        "its session bus, so credentials cannot be stored safely. Use environment variables (AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY), an AWS profile in ~/.aws/credentials, credential_process or SSO instead.");
}

QString KeychainStore::deniedMessage()
{
    return QStringLiteral("The keychain is locked or refused access: unlock it (for example in your desktop's "
                          "password manager) and allow this application, then try again.");
}

void KeychainStore::save(const KeychainProfile &profile, QObject *context, Callback done)
{
    KeychainResult invalid;
    invalid.error = validateName(profile.name);
    if (invalid.error.isEmpty())
        invalid.error = validateCredentials(profile.credentials);
    if (!invalid.error.isEmpty()) {
        invalid.failure = KeychainFailure::InvalidInput;
        deliver(context, std::move(done), std::move(invalid));
        return;
    }

    KeychainProfileInfo info;
    info.name = profile.name;
    info.accessKeyIdSuffix = QString::fromLatin1(profile.credentials.accessKeyId.right(4));
    info.hasSessionToken = !profile.credentials.sessionToken.isEmpty();
    auto blob = std::make_shared<SecretBytes>(encodeProfile(profile.credentials));
    QPointer<QObject> guard(context);
    enqueue([this, guard, done = std::move(done), info, blob]() mutable {
        startWrite(profileKey(info.name), blob->bytes, [this, guard, done, info](JobOutcome &written) mutable {
            if (written.failure != KeychainFailure::None) {
                KeychainResult r;
                r.failure = written.failure;
                r.error = written.error;
                deliver(guard.data(), std::move(done), std::move(r));
                finishOperation();
                return;
            }
            info.savedAt = QDateTime::currentDateTimeUtc();
            updateIndex(
                [info](QList<KeychainProfileInfo> &profiles) {
                    profiles.removeIf([&](const KeychainProfileInfo &p) { return p.name == info.name; });
                    profiles.append(info);
                },
                [this, guard, done](JobOutcome &indexed) mutable {
                    KeychainResult r;
                    r.failure = indexed.failure;
                    if (indexed.failure != KeychainFailure::None)
                        r.error = QStringLiteral("The profile was stored, but the keychain's list of profiles could "
                                                 "not be updated: %1")
                                      .arg(indexed.error);
                    deliver(guard.data(), std::move(done), std::move(r));
                    finishOperation();
                });
        });
        blob.reset(); // the last owner wipes it
    });
}

void KeychainStore::read(const QString &name, QObject *context, Callback done)
{
    if (QString invalid = validateName(name); !invalid.isEmpty()) {
        KeychainResult r;
        r.failure = KeychainFailure::InvalidInput;
        r.error = std::move(invalid);
        deliver(context, std::move(done), std::move(r));
        return;
    }
    QPointer<QObject> guard(context);
    enqueue([this, guard, name, done = std::move(done)]() mutable {
        startRead(profileKey(name), [this, guard, name, done](JobOutcome &got) mutable {
            KeychainResult r;
            r.failure = got.failure;
            r.error = got.error;
            if (got.failure == KeychainFailure::NotFound) {
                r.error = notFoundMessage(name);
            } else if (got.failure == KeychainFailure::None) {
                r.profile.name = name;
                if (!decodeProfile(got.data, r.profile.credentials)) {
                    aws::wipe(r.profile.credentials);
                    r.profile.credentials.accessKeyId.clear();
                    r.failure = KeychainFailure::Other;
                    r.error = QStringLiteral("The keychain entry for profile \"%1\" is damaged or was not written by "
                                             "this application: save the profile again.")
                                  .arg(name);
                }
            }
            deliver(guard.data(), std::move(done), std::move(r));
            finishOperation();
        });
    });
}

void KeychainStore::remove(const QString &name, QObject *context, Callback done)
{
    if (QString invalid = validateName(name); !invalid.isEmpty()) {
        KeychainResult r;
        r.failure = KeychainFailure::InvalidInput;
        r.error = std::move(invalid);
        deliver(context, std::move(done), std::move(r));
        return;
    }
    QPointer<QObject> guard(context);
    enqueue([this, guard, name, done = std::move(done)]() mutable {
        // The Secret Service does not say whether a cleared entry existed; the index does.
        auto listed = std::make_shared<bool>(false);
        startDelete(profileKey(name), [this, guard, name, done, listed](JobOutcome &deleted) mutable {
            if (deleted.failure != KeychainFailure::None && deleted.failure != KeychainFailure::NotFound) {
                KeychainResult r;
                r.failure = deleted.failure;
                r.error = deleted.error;
                deliver(guard.data(), std::move(done), std::move(r));
                finishOperation();
                return;
            }
            updateIndex(
                [name, listed](QList<KeychainProfileInfo> &profiles) {
                    *listed = profiles.removeIf([&](const KeychainProfileInfo &p) { return p.name == name; }) > 0;
                },
                [this, guard, name, done, listed](JobOutcome &indexed) mutable {
                    KeychainResult r;
                    r.failure = indexed.failure;
                    r.error = indexed.error;
                    if (indexed.failure == KeychainFailure::None && !*listed) {
                        r.failure = KeychainFailure::NotFound;
                        r.error = notFoundMessage(name);
                    }
                    deliver(guard.data(), std::move(done), std::move(r));
                    finishOperation();
                });
        });
    });
}

void KeychainStore::list(QObject *context, ListCallback done)
{
    QPointer<QObject> guard(context);
    enqueue([this, guard, done = std::move(done)]() mutable {
        startRead(indexKey(), [this, guard, done](JobOutcome &got) mutable {
            KeychainListResult r;
            if (got.failure == KeychainFailure::None) {
                r.profiles = decodeIndex(got.data);
            } else if (got.failure != KeychainFailure::NotFound) { // no index yet: no profiles
                r.failure = got.failure;
                r.error = got.error;
            }
            deliver(guard.data(), std::move(done), std::move(r));
            finishOperation();
        });
    });
}

void KeychainStore::updateIndex(std::function<void(QList<KeychainProfileInfo> &)> change, JobDone done)
{
    startRead(indexKey(), [this, change = std::move(change), done = std::move(done)](JobOutcome &got) mutable {
        if (got.failure != KeychainFailure::None && got.failure != KeychainFailure::NotFound) {
            done(got);
            return;
        }
        QList<KeychainProfileInfo> profiles
            = got.failure == KeychainFailure::None ? decodeIndex(got.data) : QList<KeychainProfileInfo>();
        change(profiles);
        if (profiles.isEmpty()) {
            startDelete(indexKey(), [done](JobOutcome &deleted) mutable {
                if (deleted.failure == KeychainFailure::NotFound)
                    deleted = {};
                done(deleted);
            });
        } else {
            startWrite(indexKey(), encodeIndex(profiles), std::move(done));
        }
    });
}

void KeychainStore::enqueue(Operation op)
{
    m_queue.enqueue(std::move(op));
    if (!m_busy)
        runNext();
}

void KeychainStore::runNext()
{
    if (m_queue.isEmpty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    Operation op = m_queue.dequeue();
    op();
}

void KeychainStore::finishOperation()
{
    QTimer::singleShot(0, this, [this] { runNext(); });
}

void KeychainStore::startRead(const QString &key, JobDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    watch(job, std::move(done), true);
}

void KeychainStore::startWrite(const QString &key, const QByteArray &data, JobDone done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    // Text mode stores the bytes as they are, so the entry reads the same in
    // secret-tool or Seahorse; the blob is ASCII.
    QString text = QString::fromLatin1(data);
    job->setTextData(text);
    cleanse(text);
    watch(job, std::move(done), false);
}

void KeychainStore::startDelete(const QString &key, JobDone done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    watch(job, std::move(done), false);
}

void KeychainStore::watch(QKeychain::Job *job, JobDone done, bool isRead)
{
    // Jobs have no parent: a job deleted while the Secret Service is still
    // answering would leave QtKeychain a dangling callback. It deletes itself
    // once finished; the connection ends with this store.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done), isRead](QKeychain::Job *finished) {
        JobOutcome outcome;
        const QKeychain::Error code = finished->error();
        switch (code) {
        case QKeychain::NoError:
            break;
        case QKeychain::EntryNotFound:
            outcome.failure = KeychainFailure::NotFound;
            break;
        case QKeychain::NoBackendAvailable:
            outcome.failure = KeychainFailure::Unavailable;
            break;
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            outcome.failure = KeychainFailure::Denied;
            break;
        default:
            if (looksUnavailable(finished->errorString()))
                outcome.failure = KeychainFailure::Unavailable;
            else if (finished->errorString().contains(QLatin1String("locked"), Qt::CaseInsensitive))
                outcome.failure = KeychainFailure::Denied;
            else
                outcome.failure = KeychainFailure::Other;
        }
        if (code != QKeychain::NoError)
            qCDebug(lcKeychain) << "keychain job for" << finished->key() << "failed:" << code
                                << finished->errorString();
        if (outcome.failure == KeychainFailure::Unavailable)
            outcome.error = KeychainStore::unavailableMessage();
        else if (outcome.failure == KeychainFailure::Denied)
            outcome.error = KeychainStore::deniedMessage();
        else if (outcome.failure == KeychainFailure::Other)
            outcome.error = QStringLiteral("The keychain reported an error: %1").arg(finished->errorString());

        QByteArray jobData;
        if (isRead && code == QKeychain::NoError) {
            jobData = static_cast<QKeychain::ReadPasswordJob *>(finished)->binaryData();
            outcome.data = jobData;
            outcome.data.detach();
        }
        done(outcome);
        aws::wipe(outcome.data);
        cleanseShared(jobData); // the finished job's own buffer, shared with `jobData`
    });
    job->start();
}

} // namespace gls::creds
