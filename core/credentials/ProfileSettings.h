#pragma once

// The non-secret settings of a profile (Region, default S3 destination,
// recent destinations, endpoint override, CA bundle, download folder), shared
// by the desktop app and the CLI in one QSettings file
// (~/.config/gls-exporter/profiles.conf on Linux). Administrators may preset
// the same keys system-wide (/etc/xdg/gls-exporter/profiles.conf); the
// user's values win. Nothing secret is ever written here.

#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

namespace gls::creds {

struct ProfileDefaults {
    QString region;
    QString destination; // default S3 destination (s3://bucket/folder/)
    QString endpointUrl; // GameLift Streams endpoint override
    QString caBundle;    // extra PEM certificates to trust
    QString downloadFolder; // empty: the default (~/Downloads/GameLift Streams exports)
    bool autoDownload = true; // fetch SUCCEEDED archives by themselves
    QStringList recentDestinations; // newest first
};

class ProfileSettings {
public:
    // `path` empty: the shared user file (with the system-wide fallback);
    // else that file only (tests).
    explicit ProfileSettings(const QString &path = {});
    ~ProfileSettings();

    ProfileDefaults load(const QString &profile) const;
    void save(const QString &profile, const ProfileDefaults &defaults);
    void remove(const QString &profile);

    // Puts `uri` first in the profile's recent destinations (at most kRecent).
    void addRecentDestination(const QString &profile, const QString &uri);
    static constexpr int kRecent = 8;

    // The profile the desktop app used last ("" for the default chain).
    QString lastProfile() const;
    void setLastProfile(const QString &profile);

    QString fileName() const;
    void sync();

private:
    static QString group(const QString &profile);
    std::unique_ptr<QSettings> m_settings;
};

} // namespace gls::creds
