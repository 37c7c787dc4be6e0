#pragma once

// Internal to gls_sigv4: the byte classes and comparisons SigV4 is defined in.

#include <QByteArrayView>

#include <algorithm>
#include <array>
#include <cstring>

namespace gls::sigv4::detail {

constexpr std::array<bool, 256> makeUnreservedTable()
{
    std::array<bool, 256> table{};
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = true;
    for (int c = '0'; c <= '9'; ++c)
        table[c] = true;
    table['-'] = table['.'] = table['_'] = table['~'] = true;
    return table;
}
inline constexpr std::array<bool, 256> kUnreserved = makeUnreservedTable();

// A-Z a-z 0-9 - . _ ~ : the bytes SigV4 never percent-encodes.
inline bool isUnreserved(char c)
{
    return kUnreserved[static_cast<unsigned char>(c)];
}

// Blanks inside one line ('\n' separates lines and is handled apart).
inline bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

inline int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Without leading and trailing blanks and line breaks.
inline QByteArrayView trimmed(QByteArrayView v)
{
    qsizetype b = 0;
    qsizetype e = v.size();
    while (b < e && (isBlank(v[b]) || v[b] == '\n'))
        ++b;
    while (e > b && (isBlank(v[e - 1]) || v[e - 1] == '\n'))
        --e;
    return v.sliced(b, e - b);
}

inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (asciiLower(a[i]) != asciiLower(b[i]))
            return false;
    }
    return true;
}

// Unsigned byte order, which is code-point order for UTF-8.
inline int compareBytes(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    if (n > 0) {
        if (const int r = std::memcmp(a.data(), b.data(), size_t(n)))
            return r;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// compareBytes for short strings (header names, scope parts): a loop here
// costs less than the call to memcmp.
inline int compareShortBytes(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Equality of short strings, without QByteArrayView's out-of-line compare.
inline bool sameBytes(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && compareShortBytes(a, b) == 0;
}

} // namespace gls::sigv4::detail
