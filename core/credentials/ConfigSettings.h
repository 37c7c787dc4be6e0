#pragma once

// Settings that the environment or a profile give (botocore 1.43's
// configprovider.py), as pure functions of both: region, CA bundle,
// max attempts and a service's endpoint URL. Empty values count as unset.

#include "credentials/AwsConfigFiles.h"

#include <optional>

namespace gls::creds {

struct Setting {
    QString value;
    QString origin; // "AWS_REGION", "profile \"qa\" (~/.aws/config line 3)", ...
    bool isSet() const { return !value.isEmpty(); }
};

// AWS_PROFILE, then AWS_DEFAULT_PROFILE, else "default".
QString selectedProfileName(const QProcessEnvironment &env);
// AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region. Empty values count as unset.
Setting resolveRegion(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile);
// AWS_CA_BUNDLE, then ca_bundle.
Setting resolveCaBundle(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile);
// AWS_MAX_ATTEMPTS, then max_attempts; nullopt when unset; nullopt and `error` when not a positive integer.
std::optional<int> resolveMaxAttempts(
    const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile, QString *error);
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, then ignore_configured_endpoint_urls ("true", any case).
bool ignoreConfiguredEndpointUrls(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile);
// For a service id ("gameliftstreams", "s3", "sts", "sso"): nothing when ignored; else
// AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL, the profile's [services NAME] section's
// `<id> =\n endpoint_url`, the profile's endpoint_url. `error` when `services` names
// a missing section.
Setting resolveEndpointUrl(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile,
    const QString &serviceId, QString *error);

} // namespace gls::creds
