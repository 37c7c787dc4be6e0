#include "CommandLine.h"

#include "ExitCode.h"

namespace gls::cli {

namespace {

constexpr qsizetype kOptionColumn = 30;

OptionSpec groupOption(const QString &why)
{
    return {QStringLiteral("group"), QStringLiteral("ID"),
        QStringLiteral("The stream group: an ID (sg-1AB2C3De4) or an ARN") + why};
}

OptionSpec sessionOption()
{
    return {QStringLiteral("session"), QStringLiteral("ID"),
        QStringLiteral("The stream session: an ID (ABC123def4567) or an ARN\n"
                       "(with a session ARN, --group may be left out)")};
}

OptionSpec overwriteOption()
{
    return {QStringLiteral("overwrite"), {}, QStringLiteral("Replace a file of the same name (otherwise refused)")};
}

} // namespace

const QList<OptionSpec> &globalOptionSpecs()
{
    static const QList<OptionSpec> specs{
        {QStringLiteral("region"), QStringLiteral("REGION"),
            QStringLiteral("The AWS Region (else AWS_REGION, then AWS_DEFAULT_REGION)")},
        {QStringLiteral("endpoint-url"), QStringLiteral("URL"),
            QStringLiteral("Send the command's requests here instead of AWS: GameLift\n"
                           "Streams, or S3 for download and presign (https; http only\n"
                           "to this machine). Also AWS_ENDPOINT_URL_GAMELIFTSTREAMS,\n"
                           "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL")},
        {QStringLiteral("s3-endpoint-url"), QStringLiteral("URL"),
            QStringLiteral("Where S3 requests go (export --download, download, presign)")},
        {QStringLiteral("ca-bundle"), QStringLiteral("FILE"),
            QStringLiteral("Trust the PEM certificates in FILE instead of the system's (else AWS_CA_BUNDLE)")},
        {QStringLiteral("fips"), {}, QStringLiteral("Use the FIPS endpoints (not with an endpoint URL)")},
        {QStringLiteral("profile"), QStringLiteral("NAME"),
            QStringLiteral("Use this profile: a keychain profile of that name, else the\n"
                           "AWS files' profile (static keys, credential_process, role_arn,\n"
                           "SSO). Without it: the environment, the keychain's \"default\",\n"
                           "then AWS_PROFILE or \"default\" of ~/.aws/config and credentials")},
        {QStringLiteral("json"), {}, QStringLiteral("Print one JSON document on stdout; errors as JSON on stderr")},
        {QStringLiteral("debug"), {},
            QStringLiteral("Print each attempt's canonical request and string to sign\n"
                           "on stderr (secrets and signatures are never shown)")},
        {QStringLiteral("help"), {}, QStringLiteral("Show this help (also: gls-exporter-cli help COMMAND)")},
        {QStringLiteral("version"), {}, QStringLiteral("Show the version")},
    };
    return specs;
}

const QList<CommandSpec> &commandSpecs()
{
    static const QList<CommandSpec> specs{
        {QStringLiteral("groups"), QStringLiteral("List the stream groups of the Region"), QStringLiteral("groups"),
            QStringLiteral("Lists every stream group of the Region, oldest first: Id, Status, Stream class,\n"
                           "Description, Created. --json: {\"streamGroups\": [...], \"count\": N}."),
            {}, {}, {QStringLiteral("gls-exporter-cli groups --region us-west-2")}},
        {QStringLiteral("sessions"),
            QStringLiteral("List stream sessions, of one stream group or of the whole account"),
            QStringLiteral("sessions [--group ID] [--status STATUS] [--export-status STATUS]"),
            QStringLiteral("Lists stream sessions, newest first, following every page: of one stream group\n"
                           "with --group, else of the whole account in the Region, every stream group at once\n"
                           "(ListStreamSessionsByAccount when the policy refuses ListStreamSessions).\n"
                           "Table: Session ID, Group, Status, User, Location, Created, Export (the export's\n"
                           "status). --json: {\"streamSessions\": [...], \"count\": N}."),
            {groupOption(QStringLiteral(" (default: every stream group)")),
                {QStringLiteral("status"), QStringLiteral("STATUS"),
                    QStringLiteral("Only sessions in this status: ACTIVATING, ACTIVE, CONNECTED,\n"
                                   "PENDING_CLIENT_RECONNECTION, RECONNECTING, TERMINATING,\n"
                                   "TERMINATED, ERROR")},
                {QStringLiteral("export-status"), QStringLiteral("STATUS"),
                    QStringLiteral("Only sessions whose export is SUCCEEDED, FAILED or PENDING")}},
            {},
            {QStringLiteral("gls-exporter-cli sessions --status CONNECTED"),
                QStringLiteral("gls-exporter-cli sessions --group sg-1AB2C3De4 --export-status FAILED --json")}},
        {QStringLiteral("session"), QStringLiteral("Show one stream session, its export included"),
            QStringLiteral("session --group ID --session ID"),
            QStringLiteral("Shows every detail of one stream session, its export (status, reason, S3 URI)\n"
                           "included. The model's sensitive members (SignalRequest, SignalResponse, RoleArn)\n"
                           "are never printed."),
            {groupOption({}), sessionOption()}, {},
            {QStringLiteral("gls-exporter-cli session --group sg-1AB2C3De4 --session ABC123def4567")}},
        {QStringLiteral("export"),
            QStringLiteral("Export a session's files to S3; optionally wait for the ZIP and download it"),
            QStringLiteral("export --group ID --session ID --output s3://BUCKET/PREFIX/ [--wait [--timeout SECONDS]]\n"
                           "                        [--download DIR [--overwrite]]"),
            QStringLiteral("Asks GameLift Streams to export the files the application wrote during the\n"
                           "session (logs, crash dumps, saves, screenshots) to S3. The session must be ACTIVE,\n"
                           "CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING. The ZIP is written when\n"
                           "the session ends, not at once: until then the export is PENDING.\n"
                           "\n"
                           "--output ending in '/' is a folder (the service names the file); ending in .zip,\n"
                           "it is the file's own name. With --wait, the export is followed (GetStreamSession,\n"
                           "every 2 s growing to 30 s) until it is SUCCEEDED (exit 0) or FAILED (exit 4), or\n"
                           "--timeout passes (exit 5). --download DIR implies --wait and then downloads the\n"
                           "ZIP into DIR."),
            {groupOption({}), sessionOption(),
                {QStringLiteral("output"), QStringLiteral("URI"),
                    QStringLiteral("Where the ZIP goes: s3://BUCKET/FOLDER/ or s3://BUCKET/NAME.zip")},
                {QStringLiteral("wait"), {}, QStringLiteral("Wait until the export is SUCCEEDED or FAILED")},
                {QStringLiteral("timeout"), QStringLiteral("SECONDS"),
                    QStringLiteral("With --wait: give up after this long (exit 5); default: no limit")},
                {QStringLiteral("download"), QStringLiteral("DIR"),
                    QStringLiteral("Wait, then download the ZIP into DIR (created if missing)")},
                overwriteOption()},
            {},
            {QStringLiteral("gls-exporter-cli export --group sg-1AB2C3De4 --session ABC123def4567 \\\n"
                            "      --output s3://my-bucket/qa/ --download ~/exports")}},
        {QStringLiteral("download"), QStringLiteral("Download an object (an exported ZIP) from S3"),
            QStringLiteral("download s3://BUCKET/KEY [--to DIR] [--overwrite]"),
            QStringLiteral("Downloads one object into DIR (default: the current folder) under its own file\n"
                           "name. The bytes go to NAME.part first and take the final name only once complete\n"
                           "and checked; an interrupted transfer resumes where it stopped."),
            {{QStringLiteral("to"), QStringLiteral("DIR"),
                 QStringLiteral("The folder to write into (created if missing)")},
                overwriteOption()},
            QStringLiteral("s3://BUCKET/KEY"),
            {QStringLiteral("gls-exporter-cli download s3://my-bucket/qa/session.zip --to ~/exports")}},
        {QStringLiteral("presign"), QStringLiteral("Print a presigned HTTPS URL for an object in S3"),
            QStringLiteral("presign s3://BUCKET/KEY [--expires SECONDS]"),
            QStringLiteral("Prints a URL that downloads the object without AWS credentials until it expires\n"
                           "(and no longer than the credentials that signed it live). Anyone holding the URL\n"
                           "can download the object: share it with care."),
            {{QStringLiteral("expires"), QStringLiteral("SECONDS"),
                QStringLiteral("How long the URL works: 1 to 604800 (7 days); default 3600")}},
            QStringLiteral("s3://BUCKET/KEY"),
            {QStringLiteral("gls-exporter-cli presign s3://my-bucket/qa/session.zip --expires 86400")}},
        {QStringLiteral("terminate"), QStringLiteral("Terminate a stream session (a pending export is then written)"),
            QStringLiteral("terminate --group ID --session ID [--yes]"),
            QStringLiteral("Ends a stream session for its user: it moves to TERMINATING, then TERMINATED,\n"
                           "and a pending export's ZIP is written. Asks for confirmation on a terminal;\n"
                           "without a terminal (a script), --yes is required."),
            {groupOption({}), sessionOption(),
                {QStringLiteral("yes"), {}, QStringLiteral("Do not ask for confirmation")}},
            {}, {QStringLiteral("gls-exporter-cli terminate --group sg-1AB2C3De4 --session ABC123def4567 --yes")}},
        {QStringLiteral("credentials"), QStringLiteral("Keep AWS credentials in the OS keychain: set, list, remove, import"),
            QStringLiteral("credentials set --profile NAME [--stdin] [--region REGION]\n"
                           "       gls-exporter-cli credentials list\n"
                           "       gls-exporter-cli credentials remove --profile NAME\n"
                           "       gls-exporter-cli credentials import --aws-profile NAME [--profile NAME]"),
            QStringLiteral("Profiles live in the operating system's keychain (the Secret Service on Linux),\n"
                           "never in a file. set asks for the access key ID, the secret access key and an\n"
                           "optional session token (the secrets are not shown as you type); with --stdin it\n"
                           "reads them from three lines of stdin instead. --region is kept with the profile.\n"
                           "list shows the keychain's profiles and those of the AWS files, with their source,\n"
                           "kind and key ID (only its last 4 characters). import copies a profile's static\n"
                           "keys from ~/.aws/credentials or ~/.aws/config into the keychain."),
            {{QStringLiteral("stdin"), {}, QStringLiteral("set: read the key ID, secret and token from stdin lines")},
                {QStringLiteral("aws-profile"), QStringLiteral("NAME"),
                    QStringLiteral("import: the AWS files' profile to copy")}},
            QStringLiteral("ACTION"),
            {QStringLiteral("gls-exporter-cli credentials set --profile qa --region us-west-2"),
                QStringLiteral("printf '%s\\n' \"$KEY_ID\" \"$SECRET\" | gls-exporter-cli credentials set --profile ci --stdin"),
                QStringLiteral("gls-exporter-cli credentials import --aws-profile default")}},
        {QStringLiteral("whoami"), QStringLiteral("Show the account and identity the credentials belong to"),
            QStringLiteral("whoami [--profile NAME]"),
            QStringLiteral("Calls STS GetCallerIdentity with the credentials this run would use and prints\n"
                           "the account, the ARN, the user ID and where the credentials came from. --json:\n"
                           "{\"account\", \"arn\", \"userId\", \"credentialsSource\"}."),
            {}, {}, {QStringLiteral("gls-exporter-cli whoami --profile qa")}},
        {QStringLiteral("archive"), QStringLiteral("List or safely extract a downloaded export archive (ZIP)"),
            QStringLiteral("archive ls FILE.zip\n"
                           "       gls-exporter-cli archive extract FILE.zip --to DIR [--only GLOB[,GLOB...]]\n"
                           "                        [--overwrite | --keep-both]"),
            QStringLiteral("ls lists the archive's entries, crash dumps and logs first, then by folder\n"
                           "(application, profile, temp, stats): Entry, Size, Modified, Kind, and a summary.\n"
                           "--json: {\"archive\", \"entries\": [...], \"summary\"}.\n"
                           "\n"
                           "extract writes the entries into DIR (created if missing), each through NAME.part.\n"
                           "It refuses, before writing anything: names that leave DIR ('..', absolute paths,\n"
                           "drive letters), symbolic links, paths through a link in DIR, existing files\n"
                           "(unless --overwrite or --keep-both) and ZIP bombs (over 4 GiB in total, a\n"
                           "compression ratio over 200, over 100000 entries). Refused input exits 2, a\n"
                           "local file error 1."),
            {{QStringLiteral("to"), QStringLiteral("DIR"), QStringLiteral("extract: the folder to extract into")},
                {QStringLiteral("only"), QStringLiteral("GLOB"),
                    QStringLiteral("extract: only these entries: names or glob patterns, comma-\n"
                                   "separated (*.dmp matches in any folder; a folder takes\n"
                                   "everything in it)")},
                {QStringLiteral("overwrite"), {}, QStringLiteral("extract: replace files of the same name")},
                {QStringLiteral("keep-both"), {},
                    QStringLiteral("extract: keep existing files, write the new as \"name (1).ext\"")}},
            QStringLiteral("ACTION FILE"),
            {QStringLiteral("gls-exporter-cli archive ls ~/exports/session.zip"),
                QStringLiteral(
                    "gls-exporter-cli archive extract ~/exports/session.zip --to crash --only '*.dmp,*.log'")}},
        {QStringLiteral("exports"), QStringLiteral("The export history shared with the desktop app: list, watch"),
            QStringLiteral("exports list [--status STATUS] [--all-profiles | --refresh]\n"
                           "       gls-exporter-cli exports watch [--download DIR] [--timeout SECONDS]"),
            QStringLiteral("Every export asked for by this CLI or the desktop app is kept in one local store\n"
                           "(GLS_EXPORT_STORE, else ~/.local/share/gls-exporter/exports.sqlite), written before\n"
                           "the request is sent.\n"
                           "\n"
                           "list shows the exports of the current profile (--profile, else the default chain)\n"
                           "and Region, newest first: ID, Session, Profile, Region, Status, Requested,\n"
                           "Finished, Destination (the archive's S3 URI once known), Downloaded (the file),\n"
                           "Source (app, or elsewhere: the console or the AWS CLI). --refresh first records\n"
                           "the exports found on the service. --json: {\"exports\": [...], \"count\": N}.\n"
                           "\n"
                           "watch follows every pending export of the current profile and Region until none\n"
                           "is pending, one line per change; an export a crash left REQUESTING is settled\n"
                           "from GetStreamSession, never asked for again. With --download, each SUCCEEDED\n"
                           "archive is downloaded into DIR as it lands (SHA-256 recorded). Exit 0, 4 when one\n"
                           "ended FAILED, 1 when a download failed, 5 on --timeout. --json: one document\n"
                           "at the end, {\"exports\": [...], \"count\": N}."),
            {{QStringLiteral("status"), QStringLiteral("STATUS"),
                 QStringLiteral("list: only exports in this status: REQUESTING, PENDING,\n"
                                "SUCCEEDED, FAILED, UNKNOWN")},
                {QStringLiteral("all-profiles"), {}, QStringLiteral("list: every profile's and Region's exports")},
                {QStringLiteral("refresh"), {},
                    QStringLiteral("list: first record the exports requested elsewhere\n"
                                   "(ListStreamSessionsByAccount in the Region)")},
                {QStringLiteral("download"), QStringLiteral("DIR"),
                    QStringLiteral("watch: download SUCCEEDED archives into DIR (created if missing)")},
                {QStringLiteral("timeout"), QStringLiteral("SECONDS"),
                    QStringLiteral("watch: give up after this long (exit 5); default: no limit")}},
            QStringLiteral("ACTION"),
            {QStringLiteral("gls-exporter-cli exports list --status PENDING"),
                QStringLiteral("gls-exporter-cli exports watch --download ~/exports --timeout 3600")}},
    };
    return specs;
}

const CommandSpec *findCommand(const QString &name)
{
    for (const CommandSpec &c : commandSpecs()) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

namespace {

const OptionSpec *findOption(const QList<OptionSpec> &specs, const QString &name)
{
    for (const OptionSpec &o : specs) {
        if (o.name == name)
            return &o;
    }
    return nullptr;
}

// Any command's or the global option of that name: to know, before the
// command is known, whether it takes a value.
const OptionSpec *anyOption(const QString &name)
{
    if (const OptionSpec *o = findOption(globalOptionSpecs(), name))
        return o;
    for (const CommandSpec &c : commandSpecs()) {
        if (const OptionSpec *o = findOption(c.options, name))
            return o;
    }
    return nullptr;
}

void applyGlobal(ParsedCommandLine *p)
{
    GlobalOptions &g = p->global;
    g.region = p->value(QStringLiteral("region"));
    g.endpointUrl = p->value(QStringLiteral("endpoint-url"));
    g.s3EndpointUrl = p->value(QStringLiteral("s3-endpoint-url"));
    g.caBundle = p->value(QStringLiteral("ca-bundle"));
    g.profile = p->value(QStringLiteral("profile"));
    g.profileGiven = p->isSet(QStringLiteral("profile"));
    g.fips = p->isSet(QStringLiteral("fips"));
    g.debug = p->isSet(QStringLiteral("debug"));
    g.json = p->isSet(QStringLiteral("json"));
    p->help = p->help || p->isSet(QStringLiteral("help"));
    p->version = p->isSet(QStringLiteral("version"));
}

} // namespace

ParsedCommandLine parseCommandLine(const QStringList &arguments)
{
    ParsedCommandLine p;
    struct Given {
        QString name;
        QString value;
    };
    QList<Given> options;
    QStringList words;
    bool optionsEnded = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (optionsEnded || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            words.append(arg);
            continue;
        }
        if (arg == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        if (arg == QLatin1String("-h")) {
            options.append({QStringLiteral("help"), {}});
            continue;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            p.error = QStringLiteral("'%1' is not an option; options are written --name (see --help)").arg(arg);
            return p;
        }
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        const QString name = arg.mid(2, eq < 0 ? -1 : eq - 2);
        const OptionSpec *spec = anyOption(name);
        if (!spec) {
            p.error = QStringLiteral("unknown option '--%1'").arg(name);
            return p;
        }
        QString value;
        if (spec->valueName.isEmpty()) {
            if (eq >= 0) {
                p.error = QStringLiteral("--%1 takes no value").arg(name);
                return p;
            }
        } else if (eq >= 0) {
            value = arg.mid(eq + 1);
        } else if (i + 1 < arguments.size()) {
            value = arguments[++i];
        } else {
            p.error = QStringLiteral("--%1 needs a value (%2)").arg(name, spec->valueName);
            return p;
        }
        options.append({name, value});
    }

    if (!words.isEmpty() && words.first() == QLatin1String("help")) {
        p.help = true;
        words.removeFirst();
        if (words.size() > 1) {
            p.error = QStringLiteral("help takes at most one command name");
            return p;
        }
    }
    if (!words.isEmpty())
        p.command = words.takeFirst();
    const CommandSpec *command = p.command.isEmpty() ? nullptr : findCommand(p.command);
    if (!p.command.isEmpty() && !command) {
        p.error = QStringLiteral("unknown command '%1'").arg(p.command);
        return p;
    }
    for (const Given &o : options) {
        if (p.values.contains(o.name)) {
            p.error = QStringLiteral("--%1 is given more than once").arg(o.name);
            return p;
        }
        p.values.insert(o.name, o.value);
    }
    applyGlobal(&p);
    if (p.help || p.version)
        return p;
    for (const Given &o : options) {
        if (findOption(globalOptionSpecs(), o.name))
            continue;
        if (!command || !findOption(command->options, o.name)) {
            p.error = command ? QStringLiteral("the %1 command has no option --%2").arg(command->name, o.name)
                              : QStringLiteral("--%1 belongs to a command; give the command first").arg(o.name);
            return p;
        }
    }
    if (command) {
        // "ACTION FILE" declares two positionals, one word each.
        const qsizetype allowed = command->argument.split(QLatin1Char(' '), Qt::SkipEmptyParts).size();
        if (words.size() > allowed) {
            p.error = allowed == 1 ? QStringLiteral("%1 takes one %2; '%3' is one too many")
                                         .arg(command->name, command->argument, words.at(1))
                : allowed > 1
                ? QStringLiteral("%1 takes %2; '%3' is one too many")
                      .arg(command->name, command->argument, words.at(allowed))
                : QStringLiteral("%1 takes no argument; '%2' is not expected").arg(command->name, words.first());
            return p;
        }
        if (words.size() < allowed) {
            p.error = QStringLiteral("%1 needs %2").arg(command->name, command->argument);
            return p;
        }
        p.positionals = words;
    }
    return p;
}

namespace {

QString optionLines(const QList<OptionSpec> &specs)
{
    QString out;
    for (const OptionSpec &o : specs) {
        QString left = QStringLiteral("  --") + o.name;
        if (!o.valueName.isEmpty())
            left += QLatin1Char(' ') + o.valueName;
        left = left.size() + 2 > kOptionColumn ? left + QLatin1Char('\n') + QString(kOptionColumn, QLatin1Char(' '))
                                               : left.leftJustified(kOptionColumn);
        const QString indent = QLatin1Char('\n') + QString(kOptionColumn, QLatin1Char(' '));
        out += left + QString(o.description).replace(QLatin1Char('\n'), indent) + QLatin1Char('\n');
    }
    return out;
}

const char *kEnvironmentHelp
    = "Environment:\n"
      "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   credentials\n"
      "  AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE     the AWS files' profile\n"
      "  AWS_REGION, AWS_DEFAULT_REGION                                the Region\n"
      "  AWS_CA_BUNDLE                                                 CAs to trust instead of the system's\n"
      "  AWS_MAX_ATTEMPTS                                              attempts per request (3)\n"
      "  AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_GAMELIFTSTREAMS, AWS_ENDPOINT_URL_S3,\n"
      "  AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO                    where requests go\n"
      "  GLS_KEYCHAIN_SERVICE                                          keychain service name (gls-exporter)\n"
      "  GLS_EXPORT_STORE                                              the export store's file (else\n"
      "                                                                ~/.local/share/gls-exporter/exports.sqlite)\n"
      "  NO_COLOR                                                      no colours in tables\n";

} // namespace

QString helpText(const CommandSpec *command)
{
    QString out;
    if (!command) {
        out += versionText()
            + QStringLiteral(": Amazon GameLift Streams stream session exports, from a terminal or a script.\n\n"
                             "Usage: gls-exporter-cli COMMAND [OPTIONS]\n"
                             "       gls-exporter-cli help COMMAND\n\n"
                             "Commands:\n");
        for (const CommandSpec &c : commandSpecs())
            out += QStringLiteral("  ") + c.name.leftJustified(12) + c.summary + QLatin1Char('\n');
        out += QStringLiteral("\nGlobal options (with every command):\n") + optionLines(globalOptionSpecs());
        out += QLatin1Char('\n') + QLatin1String(kEnvironmentHelp);
    } else {
        out += QStringLiteral("Usage: gls-exporter-cli ") + command->usage + QStringLiteral("\n\n");
        out += command->description + QStringLiteral("\n\n");
        if (!command->options.isEmpty())
            out += QStringLiteral("Options:\n") + optionLines(command->options) + QLatin1Char('\n');
        out += QStringLiteral("Global options:\n") + optionLines(globalOptionSpecs()) + QLatin1Char('\n');
        out += command->examples.size() > 1 ? QStringLiteral("Examples:\n") : QStringLiteral("Example:\n");
        for (const QString &e : command->examples)
            out += QStringLiteral("  ") + e + QLatin1Char('\n');
    }
    out += QLatin1Char('\n') + QLatin1String(exitCodesHelp());
    return out;
}

QString versionText()
{
    return QStringLiteral("gls-exporter-cli " GLS_VERSION);
}

} // namespace gls::cli
