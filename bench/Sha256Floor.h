#pragma once

// The SHA-256 work a SigV4 signature cannot do without, timed alone: the
// body's digest (when there is a body), the canonical request's, and the HMAC
// of the string to sign from a key whose pads are already absorbed. Nothing
// else: no canonicalisation, no hex, no copies. The rate it runs at is the
// ceiling for any signer of the same request on the same CPU, measured in the
// same run as the signer (gls-bench-sigv4's "sha256-floor" figure).

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace gls::bench {

class Sha256Floor {
public:
    // `signingKey` is the raw 32-byte SigV4 key; `stringToSign` stands in for
    // the one each signature builds (the same length, so the same blocks).
    Sha256Floor(QByteArrayView signingKey, const QByteArray &body, const QByteArray &canonicalRequest,
        const QByteArray &stringToSign);
    ~Sha256Floor();
    Sha256Floor(const Sha256Floor &) = delete;
    Sha256Floor &operator=(const Sha256Floor &) = delete;

    // One signature's hashing; returns a byte of the signature (to be kept).
    unsigned char run();

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace gls::bench
