#include "credentials/ConfigSettings.h"

namespace gls::creds {

namespace {

Setting fromEnv(const QProcessEnvironment &env, const QString &name)
{
    const QString value = env.value(name);
    return value.isEmpty() ? Setting{} : Setting{value, name};
}

Setting fromProfile(const AwsConfigFiles &files, const QString &profile, const QString &key)
{
    const AwsProfile p = files.profile(profile);
    const QString value = p.value(key);
    if (value.isEmpty())
        return {};
    return Setting{
        value, QStringLiteral("%1 in profile \"%2\" (%3)").arg(key, profile, p.originOf(key).describe(files.home()))};
}

Setting firstOf(std::initializer_list<Setting> candidates)
{
    for (const Setting &s : candidates) {
        if (s.isSet())
            return s;
    }
    return {};
}

} // namespace

QString selectedProfileName(const QProcessEnvironment &env)
{
    return firstOf({fromEnv(env, QStringLiteral("AWS_PROFILE")), fromEnv(env, QStringLiteral("AWS_DEFAULT_PROFILE")),
                       Setting{QStringLiteral("default"), {}}})
        .value;
}

Setting resolveRegion(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile)
{
    return firstOf({fromEnv(env, QStringLiteral("AWS_REGION")), fromEnv(env, QStringLiteral("AWS_DEFAULT_REGION")),
        fromProfile(files, profile, QStringLiteral("region"))});
}

Setting resolveCaBundle(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile)
{
    return firstOf(
        {fromEnv(env, QStringLiteral("AWS_CA_BUNDLE")), fromProfile(files, profile, QStringLiteral("ca_bundle"))});
}

std::optional<int> resolveMaxAttempts(
    const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile, QString *error)
{
    const Setting s = firstOf({fromEnv(env, QStringLiteral("AWS_MAX_ATTEMPTS")),
        fromProfile(files, profile, QStringLiteral("max_attempts"))});
    if (error)
        error->clear();
    if (!s.isSet())
        return std::nullopt;
    bool isInt = false;
    const int attempts = s.value.trimmed().toInt(&isInt);
    if (!isInt || attempts < 1) {
        if (error)
            *error = QStringLiteral("max_attempts from %1 must be a whole number of at least 1").arg(s.origin);
        return std::nullopt;
    }
    return attempts;
}

bool ignoreConfiguredEndpointUrls(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile)
{
    const QString envName = QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    // botocore: the variable wins whenever it is present, even empty (false).
    const QString value = env.contains(envName)
        ? env.value(envName)
        : files.profile(profile).value(QStringLiteral("ignore_configured_endpoint_urls"));
    return value.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

Setting resolveEndpointUrl(const QProcessEnvironment &env, const AwsConfigFiles &files, const QString &profile,
    const QString &serviceId, QString *error)
{
    if (error)
        error->clear();
    if (ignoreConfiguredEndpointUrls(env, files, profile))
        return {};
    QString snake = serviceId.toLower();
    snake.replace(u'-', u'_').replace(u' ', u'_');
    const Setting fromEnvironment = firstOf({fromEnv(env, QStringLiteral("AWS_ENDPOINT_URL_") + snake.toUpper()),
        fromEnv(env, QStringLiteral("AWS_ENDPOINT_URL"))});
    if (fromEnvironment.isSet())
        return fromEnvironment;
    const AwsProfile p = files.profile(profile);
    if (p.contains(QStringLiteral("services"))) {
        const QString name = p.value(QStringLiteral("services"));
        const std::optional<ConfigSection> services = files.servicesSection(name);
        if (!services) {
            if (error)
                *error = QStringLiteral("%1: services = %2 names no [services %2] section in %3")
                             .arg(files.describeProfile(profile), name,
                                 SourceLocation{files.configPath(), 0}.describe(files.home()));
            return {};
        }
        const QString url = services->subValue(snake, QStringLiteral("endpoint_url"));
        if (!url.isEmpty()) {
            return Setting{url,
                QStringLiteral("[services %1] %2 endpoint_url (%3)")
                    .arg(name, snake,
                        SourceLocation{services->origin().path, services->lineOf(snake)}.describe(files.home()))};
        }
    }
    return fromProfile(files, profile, QStringLiteral("endpoint_url"));
}

} // namespace gls::creds
