#pragma once

// Where requests go: the service's regional endpoint, or an override the AWS
// way (--endpoint-url, AWS_ENDPOINT_URL_GAMELIFTSTREAMS, AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL), with the rule that plain http is allowed to loopback only.

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace gls::aws {

struct Endpoint {
    QUrl baseUrl;              // scheme://host[:port][/base-path], no trailing slash
    QByteArray signingRegion;  // "us-west-2"
    QByteArray signingName;    // "gameliftstreams", "s3"
    bool pathStyle = true;     // S3: bucket in the path (always for custom endpoints)

    bool isValid() const { return baseUrl.isValid() && !signingRegion.isEmpty(); }
    // host[:port] as the Host header carries it (port only when the URL has one).
    QByteArray hostHeader() const;
};

struct EndpointOptions {
    QString region;          // required
    QString endpointUrl;     // --endpoint-url (or a profile's configured URL): for this service when set
    QString endpointUrlSource = QStringLiteral("--endpoint-url"); // named in messages about endpointUrl
    bool useFips = false;    // gameliftstreams-fips.{region}.api.aws
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
};

// Resolves the GameLift Streams or S3 endpoint. On failure returns an invalid
// Endpoint with the reason (naming the setting and the rule) in *error.
Endpoint resolveGameLiftEndpoint(const EndpointOptions &options, QString *error);
Endpoint resolveS3Endpoint(const EndpointOptions &options, QString *error);
// STS (sts.{region}.amazonaws.com, AWS_ENDPOINT_URL_STS) for AssumeRole and
// GetCallerIdentity; the SSO portal (portal.sso.{region}.amazonaws.com,
// AWS_ENDPOINT_URL_SSO) for SSO role credentials.
Endpoint resolveStsEndpoint(const EndpointOptions &options, QString *error);
Endpoint resolveSsoEndpoint(const EndpointOptions &options, QString *error);

// Region from --region, AWS_REGION, AWS_DEFAULT_REGION, in that order; empty when none.
QString resolveRegion(const QString &flag, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

// Checks a user-given endpoint URL: https anywhere, http only to loopback.
bool checkEndpointUrl(const QUrl &url, QString *error);

} // namespace gls::aws
