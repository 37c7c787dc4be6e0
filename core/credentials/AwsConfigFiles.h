#pragma once

// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials),
// read the way botocore 1.43 reads them (configloader.py over Python's
// RawConfigParser). What they mean is read elsewhere: ProfileClassifier.h
// (which credentials a profile uses) and ConfigSettings.h (region, endpoints).
//
// Reading rules (as botocore):
// - `[section]` headers; `key = value` or `key: value` (the first `=` or `:`
//   splits); full-line `#` and `;` comments; no inline comments (a `#` after a
//   value is part of the value). Keys are lower-cased, values trimmed.
// - Lines indented deeper than their key line continue its value. A key with an
//   empty first line and a continuation block is a sub-section:
//   `s3 =\n  endpoint_url = ...` (sub-keys keep their case; only `=` splits).
// - config: `[default]`, `[profile NAME]`, `[sso-session NAME]`, `[services NAME]`
//   (NAME may be quoted); any other section is not a profile. credentials:
//   every `[NAME]` is profile NAME. `[DEFAULT]` supplies keys to every section.
// - A profile found in both files takes each key from the credentials file
//   when it is there, else from the config file.
// - A duplicate section or key in one file is an error (configparser strict).
//
// Errors: a missing file (or a directory) is not an error. A file that cannot be
// read or is malformed contributes nothing (botocore refuses it whole), and
// errors() says why with "PATH line N: ..." messages; the other file is still
// used, so load() always returns a usable object and the caller decides whether
// to go on (ok() is false). Messages never quote the offending line, which may
// hold a secret.

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace gls::creds {

enum class ConfigFileKind { Config, Credentials };

struct SourceLocation {
    QString path; // as loaded (absolute)
    int line = 0; // 1-based; 0 when unknown
    // "~/.aws/config line 12" (HOME shown as ~ when `home` is given and matches)
    QString describe(const QString &home = {}) const;
};

// One INI section of one file.
class ConfigSection {
public:
    struct Entry {
        QString value;                 // empty for a sub-section
        QMap<QString, QString> nested; // the sub-section's keys (case as written)
        bool isSubSection = false;
        int line = 0;
    };

    ConfigSection() = default;
    ConfigSection(QString name, SourceLocation origin)
        : m_name(std::move(name))
        , m_origin(std::move(origin))
    {
    }

    QString name() const { return m_name; }
    SourceLocation origin() const { return m_origin; }
    bool contains(const QString &key) const { return m_entries.contains(key.toLower()); }
    QString value(const QString &key) const { return m_entries.value(key.toLower()).value; }
    QString subValue(const QString &section, const QString &key) const;
    bool isSubSection(const QString &key) const { return m_entries.value(key.toLower()).isSubSection; }
    int lineOf(const QString &key) const { return m_entries.value(key.toLower()).line; }
    QStringList keys() const { return m_entries.keys(); }
    const QMap<QString, Entry> &entries() const { return m_entries; }

    void setEntry(const QString &key, Entry entry) { m_entries.insert(key, std::move(entry)); }

private:
    QString m_name;
    SourceLocation m_origin;
    QMap<QString, Entry> m_entries;
};

// A profile as the two files define it together.
class AwsProfile {
public:
    AwsProfile() = default;
    AwsProfile(QString name, std::optional<ConfigSection> config, std::optional<ConfigSection> credentials);

    QString name() const { return m_name; }
    bool isValid() const { return m_config || m_credentials; }
    // Credentials file first, then config file.
    bool contains(const QString &key) const;
    QString value(const QString &key) const;
    QString subValue(const QString &section, const QString &key) const;
    // Where the profile's section starts: the config file's when it has one.
    SourceLocation origin() const;
    // Where `key` was set (the file that wins).
    SourceLocation originOf(const QString &key) const;
    // One file's section only (botocore reads static keys per file).
    const std::optional<ConfigSection> &section(ConfigFileKind kind) const;

private:
    const ConfigSection *winner(const QString &key) const;

    QString m_name;
    std::optional<ConfigSection> m_config;
    std::optional<ConfigSection> m_credentials;
};

class AwsConfigFiles {
public:
    // Reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (with $VARS and ~
    // expanded from `env`) or ~/.aws/config and ~/.aws/credentials, HOME from `env`.
    static AwsConfigFiles load(const QProcessEnvironment &env);

    bool ok() const { return m_errors.isEmpty(); }
    QStringList errors() const { return m_errors; }
    QString configPath() const { return m_configPath; }
    QString credentialsPath() const { return m_credentialsPath; }
    QString home() const { return m_home; }

    // Union of both files; "default" first, the rest sorted.
    QStringList profileNames() const;
    bool hasProfile(const QString &name) const;
    AwsProfile profile(const QString &name) const; // !isValid() when absent
    std::optional<ConfigSection> ssoSession(const QString &name) const;
    std::optional<ConfigSection> servicesSection(const QString &name) const;
    // "profile \"qa\" (~/.aws/config line 12)": the prefix of every profile message.
    QString describeProfile(const QString &name) const;

private:
    QString m_configPath;
    QString m_credentialsPath;
    QString m_home;
    QStringList m_errors;
    QMap<QString, ConfigSection> m_configProfiles;
    QMap<QString, ConfigSection> m_credentialProfiles;
    QMap<QString, ConfigSection> m_ssoSessions;
    QMap<QString, ConfigSection> m_services;
};

} // namespace gls::creds
