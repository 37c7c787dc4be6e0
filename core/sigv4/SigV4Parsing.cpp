#include "sigv4/SigV4.h"

#include "ByteRules.h"

#include <QVarLengthArray>

#include <algorithm>
#include <array>

// Parsing the signature a request arrived with: the Authorization header and
// the X-Amz-* parameters of a presigned URL. Reasons are plain English and
// quote at most a short piece of the input; neither form carries a secret.

namespace gls::sigv4 {

namespace {

constexpr QByteArrayView kTerminator = "aws4_request";

bool fail(QByteArray *error, const QByteArray &reason)
{
    if (error)
        *error = reason;
    return false;
}

// A piece of untrusted input for a message, quoted and shortened.
QByteArray quoted(QByteArrayView v)
{
    constexpr qsizetype kMax = 40;
    QByteArray out = "'";
    out.append(v.first(std::min(v.size(), kMax)));
    if (v.size() > kMax)
        out.append("...");
    out.append('\'');
    return out;
}

bool isLowerHex64(QByteArrayView v)
{
    return v.size() == 64
        && std::all_of(v.begin(), v.end(), [](char c) { return detail::isDigit(c) || (c >= 'a' && c <= 'f'); });
}

// "AKID/20150830/us-east-1/service/aws4_request"; `what` names it in reasons.
bool parseCredential(QByteArrayView value, const QByteArray &what, QByteArray *accessKeyId, Scope *scope,
                     QByteArray *error)
{
    QVarLengthArray<QByteArrayView, 5> parts;
    for (qsizetype i = 0;;) {
        const qsizetype slash = value.indexOf('/', i);
        parts.append(value.sliced(i, (slash < 0 ? value.size() : slash) - i));
        if (slash < 0)
            break;
        i = slash + 1;
    }
    if (parts.size() != 5) {
        return fail(error, what + " must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request, "
                                  "but it has " + QByteArray::number(parts.size()) + " slash-separated parts");
    }
    if (parts[0].isEmpty())
        return fail(error, what + " has an empty access key id");
    if (parts[1].size() != 8 || !std::all_of(parts[1].begin(), parts[1].end(), detail::isDigit))
        return fail(error, what + " date " + quoted(parts[1]) + " is not YYYYMMDD");
    if (parts[2].isEmpty())
        return fail(error, what + " has an empty region");
    if (parts[3].isEmpty())
        return fail(error, what + " has an empty service name");
    if (parts[4] != kTerminator)
        return fail(error, what + " must end in aws4_request, not " + quoted(parts[4]));
    *accessKeyId = parts[0].toByteArray();
    scope->date = parts[1].toByteArray();
    scope->region = parts[2].toByteArray();
    scope->service = parts[3].toByteArray();
    return true;
}

// "host;x-amz-date": lowercase names separated by ';', in the order given.
bool parseSignedNames(QByteArrayView value, const QByteArray &what, QList<QByteArray> *names, QByteArray *error)
{
    QList<QByteArray> out;
    for (qsizetype i = 0;;) {
        const qsizetype semi = value.indexOf(';', i);
        const QByteArrayView name = value.sliced(i, (semi < 0 ? value.size() : semi) - i);
        if (name.isEmpty())
            return fail(error, what + " has an empty header name");
        for (const char c : name) {
            if (c >= 'A' && c <= 'Z')
                return fail(error, what + " must be lowercase, but has " + quoted(name));
            if (detail::isBlank(c) || c == '\n' || c == ',' || c == ':' || c == '=')
                return fail(error, what + " has an invalid header name " + quoted(name));
        }
        out.append(name.toByteArray());
        if (semi < 0)
            break;
        i = semi + 1;
    }
    *names = std::move(out);
    return true;
}

} // namespace

bool parseAuthorization(QByteArrayView value, AuthorizationHeader *out, QByteArray *error)
{
    const QByteArrayView v = detail::trimmed(value);
    if (v.isEmpty())
        return fail(error, "Authorization header is empty");
    if (!v.startsWith(kAlgorithm)) {
        const qsizetype end = std::find_if(v.begin(), v.end(), detail::isBlank) - v.begin();
        return fail(error, "Authorization header must start with AWS4-HMAC-SHA256, not " + quoted(v.first(end)));
    }
    QByteArrayView rest = v.sliced(kAlgorithm.size());
    if (rest.isEmpty())
        return fail(error, "Authorization header has nothing after AWS4-HMAC-SHA256");
    if (!detail::isBlank(rest[0]))
        return fail(error, "Authorization header needs a space after AWS4-HMAC-SHA256");
    rest = detail::trimmed(rest);

    // Credential=..., SignedHeaders=..., Signature=... in any order; the space
    // after each comma is optional.
    static constexpr QByteArrayView kNames[] = {"Credential", "SignedHeaders", "Signature"};
    std::array<QByteArrayView, 3> values;
    std::array<bool, 3> seen{};
    for (qsizetype i = 0; i <= rest.size();) {
        qsizetype comma = rest.indexOf(',', i);
        if (comma < 0)
            comma = rest.size();
        const QByteArrayView part = detail::trimmed(rest.sliced(i, comma - i));
        i = comma + 1;
        if (part.isEmpty())
            return fail(error, "Authorization header has an empty component (a stray comma?)");
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0)
            return fail(error, "Authorization component " + quoted(part) + " is not of the form Name=Value");
        const QByteArrayView name = part.first(eq);
        const QByteArrayView componentValue = part.sliced(eq + 1);
        const auto known = std::find(std::begin(kNames), std::end(kNames), name);
        if (known == std::end(kNames))
            return fail(error, "Authorization header has an unknown component " + quoted(name));
        const auto k = size_t(known - std::begin(kNames));
        if (seen[k])
            return fail(error, "Authorization header repeats " + name.toByteArray());
        if (componentValue.isEmpty())
            return fail(error, "Authorization " + name.toByteArray() + " is empty");
        if (std::any_of(componentValue.begin(), componentValue.end(),
                        [](char c) { return detail::isBlank(c) || c == '\n'; })) {
            return fail(error, "Authorization " + name.toByteArray()
                                   + " contains whitespace; components must be separated by commas");
        }
        seen[k] = true;
        values[k] = componentValue;
    }
    for (size_t k = 0; k < seen.size(); ++k) {
        if (!seen[k])
            return fail(error, "Authorization header is missing " + kNames[k].toByteArray());
    }

    AuthorizationHeader parsed;
    if (!parseCredential(values[0], "Credential", &parsed.accessKeyId, &parsed.scope, error))
        return false;
    if (!parseSignedNames(values[1], "SignedHeaders", &parsed.signedNames, error))
        return false;
    if (!isLowerHex64(values[2]))
        return fail(error, "Signature must be 64 lowercase hexadecimal characters");
    parsed.signature = values[2].toByteArray();
    if (out)
        *out = std::move(parsed);
    return true;
}

bool parsePresignedQuery(QByteArrayView wireQuery, PresignedQuery *out, QByteArray *error)
{
    enum Param { Algorithm, Credential, Date, Expires, SignedNames, Signature, Token, ParamCount };
    static constexpr QByteArrayView kNames[ParamCount] = {
        "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",           "X-Amz-Expires",
        "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token",
    };
    std::array<QByteArray, ParamCount> values;
    std::array<bool, ParamCount> seen{};
    const qsizetype n = wireQuery.size();
    for (qsizetype i = 0; i < n;) {
        qsizetype amp = wireQuery.indexOf('&', i);
        if (amp < 0)
            amp = n;
        const QByteArrayView pair = wireQuery.sliced(i, amp - i);
        i = amp + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = percentDecode(eq < 0 ? pair : pair.first(eq));
        const auto known = std::find(std::begin(kNames), std::end(kNames), key);
        if (known == std::end(kNames))
            continue; // the request's own parameters
        const auto k = size_t(known - std::begin(kNames));
        if (seen[k])
            return fail(error, "presigned URL repeats " + key);
        seen[k] = true;
        values[k] = eq < 0 ? QByteArray() : percentDecode(pair.sliced(eq + 1));
    }
    if (!seen[Algorithm])
        return fail(error, "query holds no presigned signature: X-Amz-Algorithm is missing");
    for (const Param k : {Credential, Date, Expires, SignedNames, Signature}) {
        if (!seen[k])
            return fail(error, "presigned URL is missing " + kNames[k].toByteArray());
    }
    if (values[Algorithm] != kAlgorithm)
        return fail(error, "X-Amz-Algorithm must be AWS4-HMAC-SHA256, not " + quoted(values[Algorithm]));

    PresignedQuery parsed;
    if (!parseCredential(values[Credential], "X-Amz-Credential", &parsed.accessKeyId, &parsed.scope, error))
        return false;
    if (!parseAmzDate(values[Date]).isValid())
        return fail(error, "X-Amz-Date " + quoted(values[Date]) + " is not of the form YYYYMMDDTHHMMSSZ");
    parsed.amzDate = values[Date];
    // Any whole number parses; whether it lies within 1 s to 7 days is the
    // verifier's policy (S3 answers a range error with its own message).
    const QByteArray &expires = values[Expires];
    const QByteArrayView digits = expires.startsWith('-') ? QByteArrayView(expires).sliced(1) : QByteArrayView(expires);
    if (digits.isEmpty() || digits.size() > 15 || !std::all_of(digits.begin(), digits.end(), detail::isDigit))
        return fail(error, "X-Amz-Expires must be a whole number of seconds, not " + quoted(expires));
    parsed.expiresSeconds = expires.toLongLong();
    if (!parseSignedNames(values[SignedNames], "X-Amz-SignedHeaders", &parsed.signedNames, error))
        return false;
    if (!isLowerHex64(values[Signature]))
        return fail(error, "X-Amz-Signature must be 64 lowercase hexadecimal characters");
    parsed.signature = values[Signature];
    parsed.securityToken = values[Token];
    if (out)
        *out = std::move(parsed);
    return true;
}

} // namespace gls::sigv4
