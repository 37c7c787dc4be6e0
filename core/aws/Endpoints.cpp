#include "Endpoints.h"

#include <QHostAddress>

namespace gls::aws {

namespace {

QString dnsSuffix(const QString &region)
{
    if (region.startsWith(QLatin1String("cn-")))
        return QStringLiteral("amazonaws.com.cn");
    return QStringLiteral("amazonaws.com");
}

// The GameLift Streams rule set uses the partition's dual-stack suffix.
QString dualStackSuffix(const QString &region)
{
    if (region.startsWith(QLatin1String("cn-")))
        return QStringLiteral("api.amazonwebservices.com.cn");
    return QStringLiteral("api.aws");
}

bool validRegion(const QString &region)
{
    if (region.isEmpty() || region.size() > 32)
        return false;
    for (QChar c : region) {
        if (!(c.isLower() || c.isDigit() || c == QLatin1Char('-')))
            return false;
    }
    return !region.startsWith(QLatin1Char('-')) && !region.endsWith(QLatin1Char('-'));
}

QUrl normalised(QUrl url)
{
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path, QUrl::StrictMode);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

Endpoint resolve(const EndpointOptions &o, const QString &service, const QString &envSuffix,
                 const QByteArray &signingName, QString *error)
{
    if (!validRegion(o.region)) {
        *error = o.region.isEmpty()
                     ? QStringLiteral("No Region: use --region, or set AWS_REGION or AWS_DEFAULT_REGION (e.g. us-west-2).")
                     : QStringLiteral("Region '%1' is not a valid Region name (lowercase letters, digits and hyphens, "
                                      "e.g. us-west-2).").arg(o.region);
        return {};
    }
    QString override = o.endpointUrl;
    QString from = o.endpointUrlSource;
    const bool ignore = o.env.value(QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")).toLower() == QLatin1String("true");
    if (override.isEmpty() && !ignore) {
        const QString specific = QStringLiteral("AWS_ENDPOINT_URL_") + envSuffix;
        if (!o.env.value(specific).isEmpty()) {
            override = o.env.value(specific);
            from = specific;
        } else if (!o.env.value(QStringLiteral("AWS_ENDPOINT_URL")).isEmpty()) {
            override = o.env.value(QStringLiteral("AWS_ENDPOINT_URL"));
            from = QStringLiteral("AWS_ENDPOINT_URL");
        }
    }
    Endpoint e;
    e.signingRegion = o.region.toLatin1();
    e.signingName = signingName;
    if (!override.isEmpty()) {
        if (o.useFips) {
            *error = QStringLiteral("Invalid Configuration: FIPS and custom endpoint are not supported (%1).").arg(from);
            return {};
        }
        const QUrl url = QUrl::fromUserInput(override);
        if (!url.isValid() || url.host().isEmpty() || !override.contains(QLatin1String("://"))) {
            *error = QStringLiteral("%1: '%2' is not a URL (expected https://host[:port])").arg(from, override);
            return {};
        }
        QString why;
        if (!checkEndpointUrl(url, &why)) {
            *error = QStringLiteral("%1: %2").arg(from, why);
            return {};
        }
        e.baseUrl = normalised(url);
        e.pathStyle = true;
        return e;
    }
    QString host;
    if (service == QLatin1String("gameliftstreams")) {
        host = QStringLiteral("%1.%2.%3").arg(o.useFips ? QStringLiteral("gameliftstreams-fips") : service, o.region,
                                              dualStackSuffix(o.region));
    } else if (service == QLatin1String("s3")) {
        host = QStringLiteral("%1.%2.%3").arg(o.useFips ? QStringLiteral("s3-fips") : QStringLiteral("s3"), o.region,
                                              dnsSuffix(o.region));
        e.pathStyle = false;
    } else if (service == QLatin1String("sts")) {
        host = QStringLiteral("%1.%2.%3").arg(o.useFips ? QStringLiteral("sts-fips") : QStringLiteral("sts"), o.region,
                                              dnsSuffix(o.region));
    } else {
        host = QStringLiteral("portal.sso.%1.%2").arg(o.region, dnsSuffix(o.region));
    }
    e.baseUrl = QUrl(QStringLiteral("https://") + host);
    return e;
}

} // namespace

QByteArray Endpoint::hostHeader() const
{
    QByteArray h = baseUrl.host(QUrl::FullyEncoded).toLower().toLatin1();
    if (h.contains(':'))
        h = '[' + h + ']';
    if (baseUrl.port() != -1)
        h += ':' + QByteArray::number(baseUrl.port());
    return h;
}

bool checkEndpointUrl(const QUrl &url, QString *error)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return true;
    if (scheme != QLatin1String("http")) {
        *error = QStringLiteral("'%1' must use https (or http to this machine only)").arg(url.toString());
        return false;
    }
    const QString host = url.host();
    const QHostAddress address(host);
    if (host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback()))
        return true;
    *error = QStringLiteral("plain http is allowed only to this machine (localhost, 127.0.0.1, ::1); "
                            "use https for '%1'").arg(host);
    return false;
}

Endpoint resolveGameLiftEndpoint(const EndpointOptions &options, QString *error)
{
    return resolve(options, QStringLiteral("gameliftstreams"), QStringLiteral("GAMELIFTSTREAMS"), "gameliftstreams", error);
}

Endpoint resolveS3Endpoint(const EndpointOptions &options, QString *error)
{
    return resolve(options, QStringLiteral("s3"), QStringLiteral("S3"), "s3", error);
}

Endpoint resolveStsEndpoint(const EndpointOptions &options, QString *error)
{
    return resolve(options, QStringLiteral("sts"), QStringLiteral("STS"), "sts", error);
}

Endpoint resolveSsoEndpoint(const EndpointOptions &options, QString *error)
{
    return resolve(options, QStringLiteral("sso"), QStringLiteral("SSO"), "awsssoportal", error);
}

QString resolveRegion(const QString &flag, const QProcessEnvironment &env)
{
    if (!flag.isEmpty())
        return flag;
    if (!env.value(QStringLiteral("AWS_REGION")).isEmpty())
        return env.value(QStringLiteral("AWS_REGION"));
    return env.value(QStringLiteral("AWS_DEFAULT_REGION"));
}

} // namespace gls::aws
