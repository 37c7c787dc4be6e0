#include "Sigv4Scenarios.h"

#include <QJsonArray>
#include <QTimeZone>

namespace gls::bench {

namespace {

// ARN labels as the app encodes them (every byte outside A-Za-z0-9-._~ escaped).
constexpr QByteArrayView kGroup = "arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4";
constexpr QByteArrayView kSession = "arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamsession"
                                    "%2Fsg-1AB2C3De4%2FABC123def4567";

// An opaque, base64-like token of `size` bytes ('+', '/' included), the same on every run.
QByteArray fakeBase64(QByteArrayView prefix, qsizetype size, quint32 seed)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    QByteArray out = prefix.toByteArray();
    quint32 x = seed;
    while (out.size() < size - 2) {
        x = x * 1664525u + 1013904223u; // Numerical Recipes' LCG: enough for filler
        out.append(kAlphabet[(x >> 24) & 63]);
    }
    out.append("==");
    return out;
}

} // namespace

QJsonObject Sigv4Scenario::toJson() const
{
    QJsonArray hs;
    for (const auto &[k, v] : headers)
        hs.append(QJsonArray{QString::fromLatin1(k), QString::fromLatin1(v)});
    QByteArray url = "https://" + kSigv4Host.toByteArray() + wirePath;
    if (!wireQuery.isEmpty())
        url += '?' + wireQuery;
    return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
        {QStringLiteral("method"), QString::fromLatin1(method)}, {QStringLiteral("url"), QString::fromLatin1(url)},
        {QStringLiteral("body"), QString::fromUtf8(body)}, {QStringLiteral("headers"), hs},
        {QStringLiteral("region"), QString::fromLatin1(kSigv4Region)},
        {QStringLiteral("service"), QString::fromLatin1(kSigv4Service)},
        {QStringLiteral("sessionToken"),
            sessionToken ? QString::fromLatin1(sigv4ExampleCredentials(true).sessionToken) : QString()}};
}

QList<Sigv4Scenario> sigv4Scenarios()
{
    const QByteArray sessionPath
        = "/streamgroups/" + kGroup.toByteArray() + "/streamsessions/" + kSession.toByteArray();
    // A NextToken as the service hands them out: opaque base64, escaped on the wire.
    const QByteArray nextToken = sigv4::uriEncode(fakeBase64("eyJ2IjoxLCJjIjoi", 160, 7));
    const QByteArray listQuery = "Status=ACTIVE&MaxResults=100&NextToken=" + nextToken;
    const sigv4::HeaderList json{{QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")}};

    QList<Sigv4Scenario> out;
    for (const bool token : {false, true}) {
        const QByteArray suffix = token ? "-token" : "";
        out.append({"get-session" + suffix, "GET", sessionPath, {}, {}, {}, token});
        out.append({"list-sessions" + suffix, "GET", "/streamgroups/" + kGroup.toByteArray() + "/streamsessions",
            listQuery, {}, {}, token});
        out.append({"export" + suffix, "PUT", sessionPath + "/exportfiles", {},
            QByteArrayLiteral("{\"OutputUri\":\"s3://gls-exports/sessions/ABC123def4567.zip\"}"), json, token});
    }
    return out;
}

sigv4::Credentials sigv4ExampleCredentials(bool withSessionToken)
{
    sigv4::Credentials c;
    c.accessKeyId = QByteArrayLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QByteArrayLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    // STS session tokens are several hundred bytes; this one is 760, made up.
    if (withSessionToken)
        c.sessionToken = fakeBase64("IQoJb3JpZ2luX2VjEXAMPLE", 760, 11);
    return c;
}

QDateTime sigv4CheckTime()
{
    return QDateTime(QDate(2024, 11, 5), QTime(8, 9, 10), QTimeZone::utc());
}

} // namespace gls::bench
