#pragma once

// Internal to gls_sigv4: the canonical request's pieces, shared by the
// canonicalisation functions (Canonical.cpp) and the signer (SigV4.cpp).
// Everything appends to one output buffer sized up front: the signer runs
// for every request that leaves, and the emulator's verifier for every
// request that arrives.

#include "sigv4/SigV4.h"

#include "ByteRules.h"
#include "Sha256Engine.h"

#include <QVarLengthArray>

#include <algorithm>
#include <cstring>

namespace gls::sigv4::detail {

// Writes into room made up front. Canonicalisation appends many short pieces;
// QByteArray::append checks capacity, sharing and aliasing on each one, which
// profiled as a quarter of a signature. Each writer below states how many
// bytes it may write at most, and appendWritten makes that room once.
class Writer {
public:
    explicit Writer(char *at)
        : m_at(at)
    {
    }
    void put(char c) { *m_at++ = c; }
    void put(QByteArrayView v)
    {
        const size_t n = size_t(v.size());
        const char *s = v.data();
        // Most pieces are a few bytes: two overlapping fixed-size copies, no
        // call into memcpy (which profiled at 13% of a signature).
        if (n > 16 && n <= 32) {
            std::memcpy(m_at, s, 16);
            std::memcpy(m_at + n - 16, s + n - 16, 16);
        } else if (n >= 8 && n <= 16) {
            std::memcpy(m_at, s, 8);
            std::memcpy(m_at + n - 8, s + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(m_at, s, 4);
            std::memcpy(m_at + n - 4, s + n - 4, 4);
        } else if (n < 4) {
            for (size_t i = 0; i < n; ++i)
                m_at[i] = s[i];
        } else {
            std::memcpy(m_at, s, n);
        }
        m_at += n;
    }
    void putHex(const Sha256Engine::Digest &d)
    {
        writeHex(m_at, d);
        m_at += 2 * qsizetype(d.size());
    }
    char *at() const { return m_at; }
    void rewind(char *to) { m_at = to; }

private:
    char *m_at;
};

// Appends what `write(Writer &)` writes, at most `bound` bytes.
template <typename Write>
void appendWritten(QByteArray &out, qsizetype bound, Write &&write)
{
    const qsizetype start = out.size();
    out.resize(start + bound);
    Writer w(out.data() + start);
    write(w);
    Q_ASSERT(w.at() - out.constData() <= start + bound);
    out.resize(w.at() - out.constData()); // shrinking keeps the capacity
}

// Percent-encodes `in` (SigV4's rule: every byte outside A-Z a-z 0-9 - . _ ~,
// and '/' too when encodeSlash). Writes at most 3 * in.size() bytes, and may
// scribble one byte past them: callers' bounds have kEncodeSlack to spare.
constexpr qsizetype kEncodeSlack = 1;
void writeUriEncoded(Writer &w, QByteArrayView in, bool encodeSlash);
void appendUriEncoded(QByteArray &out, QByteArrayView in, bool encodeSlash);

// Lowercased names made while signing: a name that is already lowercase and
// trimmed is used in place, so this stays empty for the usual headers.
using LoweredNames = QVarLengthArray<QByteArray, 4>;

// `name` trimmed and lowercased: a view of `name` itself when it already is,
// else of a copy kept in `store` (the copy's bytes stay put as `store` grows).
inline QByteArrayView lowercaseName(QByteArrayView name, LoweredNames &store)
{
    const QByteArrayView t = detail::trimmed(name);
    if (std::none_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return t;
    QByteArray lower(t.data(), t.size());
    for (char &c : lower)
        c = detail::asciiLower(c);
    store.append(std::move(lower));
    return store.last();
}

// One signed header: its lowercased name and its value as sent. A list of them
// is kept sorted by name, a name's headers in the order they were sent, and
// both the canonical header block and the signed-headers list are read off it
// in one pass: no name is looked up in the headers.
struct HeaderEntry {
    QByteArrayView name;
    QByteArrayView value;
};
using SortedHeaders = QVarLengthArray<HeaderEntry, 8>;

// Inserts `e` after every entry whose name sorts at or before its own.
inline void insertSorted(SortedHeaders &list, HeaderEntry e)
{
    qsizetype at = list.size();
    while (at > 0 && compareShortBytes(e.name, list[at - 1].name) < 0)
        --at;
    list.insert(at, e);
}

qsizetype signedHeadersListBound(const SortedHeaders &headers);
// The unique names, joined by ';'.
void writeSignedHeadersList(Writer &w, const SortedHeaders &headers);

struct RequestParts {
    QByteArrayView method;
    QByteArrayView wirePath;
    QByteArrayView wireQuery;
    const SortedHeaders &headers;
    QByteArrayView payloadHash;
    PathStyle pathStyle;
    bool excludeSignature;
};

void appendCanonicalRequest(QByteArray &out, const RequestParts &in);
QByteArray buildCanonicalRequest(const RequestParts &in);

} // namespace gls::sigv4::detail
