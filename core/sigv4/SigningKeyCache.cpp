#include "sigv4/SigningKeyCache.h"

#include "ByteRules.h"
#include "Sha256Engine.h"

#include <openssl/crypto.h>

namespace gls::sigv4 {

using detail::Sha256Engine;

struct SigningKeyCache::Entry {
    QByteArray secret; // this entry's own copy, wiped when it goes
    QByteArray date;
    QByteArray region;
    QByteArray service;
    detail::PreparedHmacKey key;
    quint64 lastUse = 0;

    ~Entry() { forgetSecret(); }

    void forgetSecret()
    {
        if (!secret.isEmpty())
            OPENSSL_cleanse(secret.data(), size_t(secret.size()));
        secret.clear();
    }

    bool matches(QByteArrayView s, ScopeView scope) const
    {
        return detail::sameBytes(date, scope.date) && detail::sameBytes(region, scope.region)
            && detail::sameBytes(service, scope.service) && secret.size() == s.size()
            && detail::equalConstantTime(secret.constData(), s.data(), size_t(s.size()));
    }
};

SigningKeyCache::SigningKeyCache(int capacity)
    : m_engine(std::make_unique<Sha256Engine>())
    , m_entries(std::make_unique<Entry[]>(size_t(qMax(1, capacity))))
    , m_capacity(qMax(1, capacity))
{
}

SigningKeyCache::~SigningKeyCache() = default;

Sha256Engine &SigningKeyCache::engine()
{
    return *m_engine;
}

SigningKeyCache::Entry &SigningKeyCache::entryFor(QByteArrayView secretAccessKey, ScopeView scope)
{
    Q_ASSERT(!scope.date.isEmpty());
    for (int i = 0; i < m_size; ++i) {
        Entry &e = m_entries[i];
        if (e.matches(secretAccessKey, scope)) {
            e.lastUse = ++m_clock;
            return e;
        }
    }
    int slot = m_size;
    if (m_size < m_capacity) {
        ++m_size;
    } else {
        slot = 0;
        for (int i = 1; i < m_size; ++i) {
            if (m_entries[i].lastUse < m_entries[slot].lastUse)
                slot = i;
        }
    }
    Entry &e = m_entries[slot];
    e.forgetSecret();
    Sha256Engine::Digest key = m_engine->signingKey(secretAccessKey, scope);
    e.key.set(Sha256Engine::view(key));
    Sha256Engine::wipe(key);
    e.secret = QByteArray(secretAccessKey.data(), secretAccessKey.size());
    e.date = scope.date.toByteArray();
    e.region = scope.region.toByteArray();
    e.service = scope.service.toByteArray();
    e.lastUse = ++m_clock;
    ++m_derivations;
    return e;
}

void SigningKeyCache::appendSignature(
    QByteArray &out, QByteArrayView secretAccessKey, ScopeView scope, QByteArrayView stringToSign)
{
    detail::appendHex(out, m_engine->hmac(entryFor(secretAccessKey, scope).key, stringToSign));
}

void SigningKeyCache::clear()
{
    for (int i = 0; i < m_size; ++i) {
        Entry &e = m_entries[i];
        e.forgetSecret();
        e.key.set({}); // overwrites the key's states
        e.date.clear();
        e.region.clear();
        e.service.clear();
        e.lastUse = 0;
    }
    m_size = 0;
}

int SigningKeyCache::size() const
{
    return m_size;
}

qint64 SigningKeyCache::derivations() const
{
    return m_derivations;
}

} // namespace gls::sigv4
