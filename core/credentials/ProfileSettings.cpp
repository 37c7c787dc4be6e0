#include "ProfileSettings.h"

#include <QUrl>

namespace gls::creds {

ProfileSettings::ProfileSettings(const QString &path)
    // The platform's own format: profiles.conf under ~/.config and /etc/xdg on Linux (the registry
    // on Windows, where administrators preset values by policy; plists on macOS).
    : m_settings(path.isEmpty() ? std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
                                                              QStringLiteral("gls-exporter"), QStringLiteral("profiles"))
                                : std::make_unique<QSettings>(path, QSettings::IniFormat))
{
}

ProfileSettings::~ProfileSettings() = default;

QString ProfileSettings::group(const QString &profile)
{
    // Profile names from the AWS files may hold characters QSettings treats specially.
    return QStringLiteral("profile.") + QString::fromLatin1(QUrl::toPercentEncoding(profile, {}, "."));
}

ProfileDefaults ProfileSettings::load(const QString &profile) const
{
    ProfileDefaults d;
    m_settings->beginGroup(group(profile));
    d.region = m_settings->value(QStringLiteral("region")).toString();
    d.destination = m_settings->value(QStringLiteral("destination")).toString();
    d.endpointUrl = m_settings->value(QStringLiteral("endpoint_url")).toString();
    d.caBundle = m_settings->value(QStringLiteral("ca_bundle")).toString();
    d.downloadFolder = m_settings->value(QStringLiteral("download_folder")).toString();
    d.recentDestinations = m_settings->value(QStringLiteral("recent_destinations")).toStringList();
    const QVariant autoDownload = m_settings->value(QStringLiteral("auto_download"));
    m_settings->endGroup();
    // Administrators' defaults for every profile.
    m_settings->beginGroup(QStringLiteral("defaults"));
    if (d.region.isEmpty())
        d.region = m_settings->value(QStringLiteral("region")).toString();
    if (d.destination.isEmpty())
        d.destination = m_settings->value(QStringLiteral("destination")).toString();
    if (d.endpointUrl.isEmpty())
        d.endpointUrl = m_settings->value(QStringLiteral("endpoint_url")).toString();
    if (d.caBundle.isEmpty())
        d.caBundle = m_settings->value(QStringLiteral("ca_bundle")).toString();
    if (d.downloadFolder.isEmpty())
        d.downloadFolder = m_settings->value(QStringLiteral("download_folder")).toString();
    d.autoDownload = (autoDownload.isValid() ? autoDownload : m_settings->value(QStringLiteral("auto_download"), true))
                         .toBool();
    m_settings->endGroup();
    return d;
}

void ProfileSettings::save(const QString &profile, const ProfileDefaults &d)
{
    m_settings->beginGroup(group(profile));
    const auto put = [this](const QString &key, const QVariant &value, bool empty) {
        if (empty)
            m_settings->remove(key);
        else
            m_settings->setValue(key, value);
    };
    put(QStringLiteral("region"), d.region, d.region.isEmpty());
    put(QStringLiteral("destination"), d.destination, d.destination.isEmpty());
    put(QStringLiteral("endpoint_url"), d.endpointUrl, d.endpointUrl.isEmpty());
    put(QStringLiteral("ca_bundle"), d.caBundle, d.caBundle.isEmpty());
    put(QStringLiteral("download_folder"), d.downloadFolder, d.downloadFolder.isEmpty());
    put(QStringLiteral("recent_destinations"), d.recentDestinations, d.recentDestinations.isEmpty());
    put(QStringLiteral("auto_download"), false, d.autoDownload); // only the opt-out is written
    m_settings->endGroup();
}

void ProfileSettings::remove(const QString &profile)
{
    m_settings->remove(group(profile));
}

void ProfileSettings::addRecentDestination(const QString &profile, const QString &uri)
{
    ProfileDefaults d = load(profile);
    d.recentDestinations.removeAll(uri);
    d.recentDestinations.prepend(uri);
    while (d.recentDestinations.size() > kRecent)
        d.recentDestinations.removeLast();
    m_settings->setValue(group(profile) + QStringLiteral("/recent_destinations"), d.recentDestinations);
}

QString ProfileSettings::lastProfile() const
{
    return m_settings->value(QStringLiteral("app/last_profile")).toString();
}

void ProfileSettings::setLastProfile(const QString &profile)
{
    m_settings->setValue(QStringLiteral("app/last_profile"), profile);
}

QString ProfileSettings::fileName() const
{
    return m_settings->fileName();
}

void ProfileSettings::sync()
{
    m_settings->sync();
}

} // namespace gls::creds
