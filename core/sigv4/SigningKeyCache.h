#pragma once

// The SigV4 signing key of a secret depends only on the day, the Region and
// the service, so a client that signs many requests derives it once a day
// (four HMACs) and keeps it here, ready to sign with: the key's HMAC pads
// already absorbed, so a signature costs one HMAC of the string to sign.
//
// Keyed by the secret itself (compared in constant time), the date, the
// Region and the service: rotated credentials or a new day miss and derive
// afresh. Holds a few keys (least recently used goes first); every key and
// every copy of a secret is wiped when it leaves and when the cache is
// destroyed. Nothing here is ever logged or handed out.
//
// Not thread-safe: one cache per signing thread (AwsTransport owns one and
// signs on its own thread). It also keeps the reusable digest state that the
// signing functions taking a cache use.

#include "sigv4/SigV4.h"

#include <memory>

namespace gls::sigv4 {

namespace detail {
class Sha256Engine;
}

class SigningKeyCache {
public:
    static constexpr int kDefaultCapacity = 4;

    explicit SigningKeyCache(int capacity = kDefaultCapacity);
    ~SigningKeyCache();
    SigningKeyCache(const SigningKeyCache &) = delete;
    SigningKeyCache &operator=(const SigningKeyCache &) = delete;

    // Appends the hex HMAC-SHA256 of `stringToSign` under the signing key of
    // (secret, scope): what sigv4::signature(sigv4::signingKey(secret, scope),
    // stringToSign) returns. `scope.date` must be set.
    void appendSignature(QByteArray &out, QByteArrayView secretAccessKey, ScopeView scope, QByteArrayView stringToSign);

    // Wipes and forgets every key (say, when the user signs out).
    void clear();

    int size() const;           // keys held
    qint64 derivations() const; // keys derived so far (misses)

    // The digest state the signing functions reuse between calls.
    detail::Sha256Engine &engine();

private:
    struct Entry;
    Entry &entryFor(QByteArrayView secretAccessKey, ScopeView scope);

    std::unique_ptr<detail::Sha256Engine> m_engine;
    std::unique_ptr<Entry[]> m_entries;
    int m_capacity;
    int m_size = 0;
    quint64 m_clock = 0;
    qint64 m_derivations = 0;
};

} // namespace gls::sigv4
