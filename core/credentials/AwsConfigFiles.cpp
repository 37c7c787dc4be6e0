#include "credentials/AwsConfigFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>

namespace gls::creds {

namespace {

constexpr int kMaxErrorsPerFile = 10;

// One key's raw lines as RawConfigParser collects them before joining.
struct RawEntry {
    QStringList parts;
    QList<int> partLines;
    int line = 0;
};

struct RawSection {
    QString header;
    int line = 0;
    QMap<QString, RawEntry> entries;
};

struct ParsedFile {
    QList<RawSection> sections; // in file order
    QStringList errors;
};

QString located(const QString &path, int line, const QString &what)
{
    return QStringLiteral("%1 line %2: %3").arg(path, QString::number(line), what);
}

int indentOf(const QString &line)
{
    for (int i = 0; i < line.size(); ++i) {
        if (!line.at(i).isSpace())
            return i;
    }
    return 0;
}

// Python's shlex.split (POSIX mode, no comments); false on an unclosed quote.
bool shlexSplit(const QString &s, QStringList *out)
{
    QString token;
    bool inToken = false;
    QChar quote;
    for (int i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (quote == u'\'') {
            if (c == u'\'')
                quote = QChar();
            else
                token += c;
        } else if (quote == u'"') {
            if (c == u'"') {
                quote = QChar();
            } else if (c == u'\\' && i + 1 < s.size() && QStringLiteral("\\\"$`\n").contains(s.at(i + 1))) {
                token += s.at(++i);
            } else {
                token += c;
            }
        } else if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\n') {
            if (inToken)
                out->append(token);
            token.clear();
            inToken = false;
        } else if (c == u'\\') {
            if (i + 1 >= s.size())
                return false;
            token += s.at(++i);
            inToken = true;
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            inToken = true;
        } else {
            token += c;
            inToken = true;
        }
    }
    if (!quote.isNull())
        return false;
    if (inToken)
        out->append(token);
    return true;
}

// RawConfigParser's reading (strict, '=' and ':' delimiters, full-line comments,
// empty lines kept inside values), then botocore's sub-section parsing.
ParsedFile parseIni(QString text, const QString &path)
{
    ParsedFile parsed;
    RawSection defaults; // [DEFAULT]: keys every section inherits
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    const QStringList lines = text.split(u'\n');

    int currentIndex = -1; // into parsed.sections; -2: [DEFAULT]; -1: none yet
    QString option;
    int indentLevel = 0;
    bool reportedMissingHeader = false;
    auto error = [&](int line, const QString &what) { parsed.errors.append(located(path, line, what)); };

    for (int i = 0; i < lines.size(); ++i) {
        RawSection *current = currentIndex == -2 ? &defaults
            : currentIndex >= 0                  ? &parsed.sections[currentIndex]
                                                 : nullptr;
        const int lineNo = i + 1;
        const QString &line = lines.at(i);
        const QString trimmed = line.trimmed();
        const bool comment = trimmed.startsWith(u'#') || trimmed.startsWith(u';');
        if (comment || trimmed.isEmpty()) {
            if (!comment && current && !option.isEmpty()) {
                current->entries[option].parts.append(QString());
                current->entries[option].partLines.append(lineNo);
            }
            continue;
        }
        const int indent = indentOf(line);
        if (current && !option.isEmpty() && indent > indentLevel) {
            current->entries[option].parts.append(trimmed);
            current->entries[option].partLines.append(lineNo);
            continue;
        }
        indentLevel = indent;
        const int close = trimmed.lastIndexOf(u']');
        if (trimmed.startsWith(u'[') && close >= 2) {
            const QString header = trimmed.mid(1, close - 1);
            option.clear();
            if (header == QLatin1String("DEFAULT")) {
                currentIndex = -2;
                continue;
            }
            const auto existing = std::find_if(parsed.sections.begin(), parsed.sections.end(),
                [&](const RawSection &s) { return s.header == header; });
            if (existing != parsed.sections.end()) {
                error(lineNo,
                    QStringLiteral("section [%1] already appears at line %2")
                        .arg(header, QString::number(existing->line)));
                currentIndex = int(existing - parsed.sections.begin());
                continue;
            }
            parsed.sections.append(RawSection{header, lineNo, {}});
            currentIndex = int(parsed.sections.size() - 1);
            continue;
        }
        if (!current) {
            if (!reportedMissingHeader)
                error(lineNo, QStringLiteral("expected a [section] header before the first setting"));
            reportedMissingHeader = true;
            continue;
        }
        static const QRegularExpression delimiter(QStringLiteral("[=:]"));
        const int split = trimmed.indexOf(delimiter);
        if (split < 0) {
            error(lineNo, QStringLiteral("expected \"key = value\" or a [section] header"));
            option.clear();
            continue;
        }
        const QString key = trimmed.left(split).trimmed().toLower();
        if (key.isEmpty()) {
            error(lineNo, QStringLiteral("expected a key before \"%1\"").arg(trimmed.at(split)));
            option.clear();
            continue;
        }
        if (current->entries.contains(key)) {
            const QString where = current == &defaults ? QStringLiteral("DEFAULT") : current->header;
            error(lineNo,
                QStringLiteral("key \"%1\" is already set in [%2] at line %3")
                    .arg(key, where, QString::number(current->entries.value(key).line)));
            option.clear();
            continue;
        }
        RawEntry entry;
        entry.parts.append(trimmed.mid(split + 1).trimmed());
        entry.partLines.append(lineNo);
        entry.line = lineNo;
        current->entries.insert(key, entry);
        option = key;
    }
    for (RawSection &section : parsed.sections) {
        for (auto it = defaults.entries.cbegin(); it != defaults.entries.cend(); ++it) {
            if (!section.entries.contains(it.key()))
                section.entries.insert(it.key(), it.value());
        }
    }
    return parsed;
}

QString rstrip(const QString &s)
{
    int end = s.size();
    while (end > 0 && s.at(end - 1).isSpace())
        --end;
    return s.left(end);
}

// Joins a raw entry's lines; a value whose first line is empty and which goes on
// is a sub-section of "key = value" lines.
ConfigSection::Entry finishEntry(const QString &key, const RawEntry &raw, const QString &path, QStringList *errors)
{
    ConfigSection::Entry entry;
    entry.line = raw.line;
    const QString joined = rstrip(raw.parts.join(u'\n'));
    if (!joined.startsWith(u'\n')) {
        entry.value = joined;
        return entry;
    }
    entry.isSubSection = true;
    for (int i = 1; i < raw.parts.size(); ++i) {
        const QString line = raw.parts.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const int eq = line.indexOf(u'=');
        if (eq < 0) {
            errors->append(located(path, raw.partLines.at(i),
                QStringLiteral("expected \"key = value\" in the indented block under \"%1\"").arg(key)));
            continue;
        }
        entry.nested.insert(line.left(eq).trimmed(), line.mid(eq + 1).trimmed());
    }
    return entry;
}

// Python's os.path.expandvars then os.path.expanduser, from `env`.
QString expandPath(const QString &path, const QProcessEnvironment &env)
{
    static const QRegularExpression var(QStringLiteral("\\$(\\w+|\\{[^}]*\\})"));
    QString out;
    int last = 0;
    auto it = var.globalMatch(path);
    while (it.hasNext()) {
        const auto m = it.next();
        QString name = m.captured(1);
        if (name.startsWith(u'{'))
            name = name.mid(1, name.size() - 2);
        out += path.mid(last, m.capturedStart() - last);
        out += env.contains(name) ? env.value(name) : m.captured(0);
        last = m.capturedEnd();
    }
    out += path.mid(last);
    if (out == QLatin1String("~") || out.startsWith(QLatin1String("~/"))) {
        QString home = env.value(QStringLiteral("HOME"), QDir::homePath());
        while (home.size() > 1 && home.endsWith(u'/'))
            home.chop(1);
        out = home + out.mid(1);
    }
    return out;
}

struct LoadedFile {
    QList<ConfigSection> sections; // the header as name
    bool present = false;
};

LoadedFile readFile(const QString &path, QStringList *errors)
{
    LoadedFile loaded;
    const QFileInfo info(path);
    if (!info.isFile())
        return loaded; // missing (or a directory): botocore ignores it
    loaded.present = true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString()));
        return loaded;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(file.readAll());
    if (decoder.hasError()) {
        errors->append(QStringLiteral("%1: is not UTF-8 text").arg(path));
        return loaded;
    }
    ParsedFile parsed = parseIni(text, path);
    QStringList fileErrors = parsed.errors;
    for (const RawSection &raw : std::as_const(parsed.sections)) {
        ConfigSection section(raw.header, SourceLocation{path, raw.line});
        for (auto it = raw.entries.cbegin(); it != raw.entries.cend(); ++it)
            section.setEntry(it.key(), finishEntry(it.key(), it.value(), path, &fileErrors));
        loaded.sections.append(section);
    }
    if (!fileErrors.isEmpty()) {
        loaded.sections.clear(); // a malformed file is refused whole, as botocore does
        if (fileErrors.size() > kMaxErrorsPerFile) {
            const qsizetype more = fileErrors.size() - kMaxErrorsPerFile;
            fileErrors = fileErrors.mid(0, kMaxErrorsPerFile);
            fileErrors.append(QStringLiteral("%1: %2 more errors").arg(path, QString::number(more)));
        }
        errors->append(fileErrors);
    }
    return loaded;
}

ConfigSection renamed(const ConfigSection &raw, const QString &name)
{
    ConfigSection section(name, raw.origin());
    for (auto it = raw.entries().cbegin(); it != raw.entries().cend(); ++it)
        section.setEntry(it.key(), it.value());
    return section;
}

} // namespace

QString SourceLocation::describe(const QString &home) const
{
    QString shown = path;
    if (!home.isEmpty() && home != QLatin1String("/") && path.startsWith(home + u'/'))
        shown = u'~' + path.mid(home.size());
    if (line <= 0)
        return shown;
    return QStringLiteral("%1 line %2").arg(shown, QString::number(line));
}

QString ConfigSection::subValue(const QString &section, const QString &key) const
{
    return m_entries.value(section.toLower()).nested.value(key);
}

AwsProfile::AwsProfile(QString name, std::optional<ConfigSection> config, std::optional<ConfigSection> credentials)
    : m_name(std::move(name))
    , m_config(std::move(config))
    , m_credentials(std::move(credentials))
{
}

const ConfigSection *AwsProfile::winner(const QString &key) const
{
    if (m_credentials && m_credentials->contains(key))
        return &*m_credentials;
    if (m_config && m_config->contains(key))
        return &*m_config;
    return nullptr;
}

bool AwsProfile::contains(const QString &key) const
{
    return winner(key) != nullptr;
}

QString AwsProfile::value(const QString &key) const
{
    const ConfigSection *s = winner(key);
    return s ? s->value(key) : QString();
}

QString AwsProfile::subValue(const QString &section, const QString &key) const
{
    const ConfigSection *s = winner(section);
    return s ? s->subValue(section, key) : QString();
}

SourceLocation AwsProfile::origin() const
{
    if (m_config)
        return m_config->origin();
    return m_credentials ? m_credentials->origin() : SourceLocation{};
}

SourceLocation AwsProfile::originOf(const QString &key) const
{
    const ConfigSection *s = winner(key);
    return s ? SourceLocation{s->origin().path, s->lineOf(key)} : origin();
}

const std::optional<ConfigSection> &AwsProfile::section(ConfigFileKind kind) const
{
    return kind == ConfigFileKind::Config ? m_config : m_credentials;
}

AwsConfigFiles AwsConfigFiles::load(const QProcessEnvironment &env)
{
    AwsConfigFiles files;
    files.m_home = env.value(QStringLiteral("HOME"), QDir::homePath());
    files.m_configPath = expandPath(env.value(QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/.aws/config")), env);
    files.m_credentialsPath = expandPath(
        env.value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("~/.aws/credentials")), env);

    const LoadedFile config = readFile(files.m_configPath, &files.m_errors);
    for (const ConfigSection &raw : config.sections) {
        const QString header = raw.name();
        QMap<QString, ConfigSection> *target = nullptr;
        if (header.startsWith(QLatin1String("profile")))
            target = &files.m_configProfiles;
        else if (header.startsWith(QLatin1String("sso-session")))
            target = &files.m_ssoSessions;
        else if (header.startsWith(QLatin1String("services")))
            target = &files.m_services;
        if (target) {
            QStringList parts;
            if (shlexSplit(header, &parts) && parts.size() == 2)
                target->insert(parts.at(1), renamed(raw, parts.at(1)));
        } else if (header == QLatin1String("default")) {
            files.m_configProfiles.insert(header, raw);
        }
    }
    const LoadedFile credentials = readFile(files.m_credentialsPath, &files.m_errors);
    for (const ConfigSection &raw : credentials.sections)
        files.m_credentialProfiles.insert(raw.name(), raw);
    return files;
}

QStringList AwsConfigFiles::profileNames() const
{
    QStringList names = m_configProfiles.keys();
    for (const QString &name : m_credentialProfiles.keys()) {
        if (!m_configProfiles.contains(name))
            names.append(name);
    }
    std::sort(names.begin(), names.end());
    const QString def = QStringLiteral("default");
    if (names.removeOne(def))
        names.prepend(def);
    return names;
}

bool AwsConfigFiles::hasProfile(const QString &name) const
{
    return m_configProfiles.contains(name) || m_credentialProfiles.contains(name);
}

AwsProfile AwsConfigFiles::profile(const QString &name) const
{
    std::optional<ConfigSection> config;
    std::optional<ConfigSection> credentials;
    if (m_configProfiles.contains(name))
        config = m_configProfiles.value(name);
    if (m_credentialProfiles.contains(name))
        credentials = m_credentialProfiles.value(name);
    return AwsProfile(name, config, credentials);
}

std::optional<ConfigSection> AwsConfigFiles::ssoSession(const QString &name) const
{
    if (!m_ssoSessions.contains(name))
        return std::nullopt;
    return m_ssoSessions.value(name);
}

std::optional<ConfigSection> AwsConfigFiles::servicesSection(const QString &name) const
{
    if (!m_services.contains(name))
        return std::nullopt;
    return m_services.value(name);
}

QString AwsConfigFiles::describeProfile(const QString &name) const
{
    const AwsProfile p = profile(name);
    if (!p.isValid())
        return QStringLiteral("profile \"%1\"").arg(name);
    return QStringLiteral("profile \"%1\" (%2)").arg(name, p.origin().describe(m_home));
}

} // namespace gls::creds
