#pragma once

// gls-exporter-cli's command line: the commands, their options, the global
// options every command takes, and the help text built from them. Parsing is
// pure (no output, no exit), so it can be tested and the caller decides what
// a usage error prints and returns.
//
//   gls-exporter-cli [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENT]
//
// Options may come before or after the command, as "--name value" or
// "--name=value"; "--" ends the options.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gls::cli {

struct OptionSpec {
    QString name;        // without the leading "--"
    QString valueName;   // "ID", "SECONDS"; empty for a flag
    QString description; // may hold '\n' for more lines
};

struct CommandSpec {
    QString name;
    QString summary;     // one line, for the command list
    QString usage;       // after "gls-exporter-cli "
    QString description; // paragraphs, already wrapped
    QList<OptionSpec> options;
    QString argument; // the positional argument's name ("s3://BUCKET/KEY"); empty: none
    QStringList examples;
};

const QList<OptionSpec> &globalOptionSpecs();
const QList<CommandSpec> &commandSpecs();
const CommandSpec *findCommand(const QString &name);

// The options every command takes.
struct GlobalOptions {
    QString region;
    QString endpointUrl;
    QString s3EndpointUrl;
    QString caBundle;
    QString profile;
    bool profileGiven = false;
    bool fips = false;
    bool debug = false;
    bool json = false;
};

struct ParsedCommandLine {
    QString command;   // "export"; empty when none was given
    bool help = false; // --help, -h, or "help [COMMAND]" (then `command` is the one asked about)
    bool version = false;
    QString error; // a usage error, naming the option or argument
    GlobalOptions global;
    QStringList positionals;

    bool isSet(const QString &option) const { return values.contains(option); }
    QString value(const QString &option) const { return values.value(option); }

    QHash<QString, QString> values; // option name -> value ("" for a flag)
};

// `arguments` without the program name.
ParsedCommandLine parseCommandLine(const QStringList &arguments);

// The help for one command, or the general help when `command` is null.
QString helpText(const CommandSpec *command);
QString versionText();

} // namespace gls::cli
