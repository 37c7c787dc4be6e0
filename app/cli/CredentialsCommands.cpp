#include "CredentialsCommands.h"

#include "AwsContext.h"
#include "ExitCode.h"
#include "Output.h"
#include "Table.h"

#include "aws/AwsError.h"
#include "aws/AwsTransport.h"
#include "aws/Credentials.h"
#include "aws/Redaction.h"
#include "credentials/AwsConfigFiles.h"
#include "credentials/ConfigSettings.h"
#include "credentials/KeychainStore.h"
#include "credentials/ProfileClassifier.h"
#include "credentials/ProfileSettings.h"
#include "credentials/Sts.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace gls::cli {

QString accessKeyIdProblem(QByteArrayView keyId)
{
    static const QRegularExpression rule(QStringLiteral("^\\w{16,128}$"));
    if (rule.match(QString::fromLatin1(keyId)).hasMatch())
        return {};
    return QStringLiteral("access key ID: must be 16 to 128 letters, digits or underscores (like AKIAIOSFODNN7EXAMPLE)");
}

namespace {

// Echo off on the terminal while a secret is typed; restored on destruction.
class NoEcho {
public:
    NoEcho()
    {
        if (::tcgetattr(STDIN_FILENO, &m_saved) != 0)
            return;
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~NoEcho()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }

private:
    termios m_saved {};
    bool m_active = false;
};

} // namespace

QByteArray CredentialsCommand::readLine(const QString &prompt, bool secret)
{
    const bool terminal = out()->terminal().stdinIsTerminal;
    if (terminal)
        out()->prompt(prompt);
    std::optional<NoEcho> quiet;
    if (terminal && secret)
        quiet.emplace();
    QByteArray line;
    line.reserve(256);
    int c;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.append(char(c));
    if (!line.isEmpty() && line.endsWith('\r'))
        line.chop(1);
    quiet.reset();
    if (terminal && secret)
        out()->prompt(QStringLiteral("\n"));
    return line.trimmed();
}

bool CredentialsCommand::profileArgument(QString *name)
{
    *name = awsContext()->options().profile;
    if (name->isEmpty()) {
        usage(QStringLiteral("--profile NAME is required: the keychain profile to %1").arg(args().positionals.value(0)));
        return false;
    }
    const QString problem = creds::KeychainStore::validateName(*name);
    if (!problem.isEmpty()) {
        usage(QStringLiteral("--profile: ") + problem);
        return false;
    }
    return true;
}

void CredentialsCommand::start()
{
    const QString action = args().positionals.value(0);
    if (action == QLatin1String("set"))
        set();
    else if (action == QLatin1String("list"))
        list();
    else if (action == QLatin1String("remove"))
        remove();
    else if (action == QLatin1String("import"))
        import();
    else
        usage(QStringLiteral("credentials: '%1' is not an action; use set, list, remove or import").arg(action));
}

void CredentialsCommand::set()
{
    QString name;
    if (!profileArgument(&name))
        return;
    const bool fromStdin = args().isSet(QStringLiteral("stdin"));
    if (!fromStdin && !out()->terminal().stdinIsTerminal) {
        usage(QStringLiteral("--stdin is required when stdin is not a terminal: give the access key ID, the secret "
                             "access key and (optionally) the session token on three lines"));
        return;
    }
    QByteArray keyId = readLine(QStringLiteral("Access key ID: "), false);
    QByteArray secret = readLine(QStringLiteral("Secret access key (not shown): "), true);
    QByteArray token = readLine(QStringLiteral("Session token, if any (not shown; Enter for none): "), true);
    save(name, keyId, secret, token, QStringLiteral("typed"));
}

void CredentialsCommand::save(const QString &name, QByteArray keyId, QByteArray secret, QByteArray token,
                              const QString &from)
{
    QString problem = accessKeyIdProblem(keyId);
    if (problem.isEmpty() && secret.isEmpty())
        problem = QStringLiteral("secret access key: must not be empty");
    if (problem.isEmpty() && (secret.contains(' ') || secret.contains('\t')))
        problem = QStringLiteral("secret access key: must not contain spaces");
    if (!problem.isEmpty()) {
        aws::wipe(secret);
        aws::wipe(token);
        finish(out()->fail(ExitCode::BadInput, QStringLiteral("InvalidCredentials"), problem));
        return;
    }
    creds::KeychainProfile profile;
    profile.name = name;
    profile.credentials.accessKeyId = keyId;
    profile.credentials.secretAccessKey = secret;
    profile.credentials.sessionToken = token;
    aws::wipe(secret);
    aws::wipe(token);
    const QString region = awsContext()->options().region;
    awsContext()->keychain()->save(profile, this, [this, name, keyId, region, from](const creds::KeychainResult &r) {
        if (!r.ok()) {
            finish(out()->fail(ExitCode::Failure, QStringLiteral("KeychainError"), r.error));
            return;
        }
        if (!region.isEmpty()) {
            creds::ProfileDefaults d = awsContext()->profileSettings()->load(name);
            d.region = region;
            awsContext()->profileSettings()->save(name, d);
        }
        if (out()->json()) {
            out()->writeJson({{QStringLiteral("profile"), name},
                              {QStringLiteral("accessKeyId"), aws::redactKeyId(keyId)},
                              {QStringLiteral("source"), QStringLiteral("keychain")}});
        } else {
            out()->write(QStringLiteral("Saved profile \"%1\" (key %2) in the keychain%3.\n")
                             .arg(name, aws::redactKeyId(keyId),
                                  from == QLatin1String("typed") ? QString() : QStringLiteral(", from ") + from));
            out()->note(QStringLiteral("Check it with: gls-exporter-cli whoami --profile %1").arg(name));
        }
        finish(code(ExitCode::Ok));
    });
    aws::wipe(profile.credentials);
}

void CredentialsCommand::list()
{
    awsContext()->keychain()->list(this, [this](const creds::KeychainListResult &k) {
        const QProcessEnvironment &env = awsContext()->environment();
        const creds::AwsConfigFiles files = creds::AwsConfigFiles::load(env);
        for (const QString &e : files.errors())
            out()->warning(e);
        QJsonArray json;
        Table table({QStringLiteral("PROFILE"), QStringLiteral("SOURCE"), QStringLiteral("KIND"),
                     QStringLiteral("KEY"), QStringLiteral("REGION")});
        for (const creds::KeychainProfileInfo &p : k.profiles) {
            const QString region = awsContext()->profileSettings()->load(p.name).region;
            const QString key = QStringLiteral("****") + p.accessKeyIdSuffix;
            const QString kind = p.hasSessionToken ? QStringLiteral("temporary keys") : QStringLiteral("static keys");
            table.addRow({{p.name}, {QStringLiteral("keychain")}, {kind}, {key}, {region}});
            json.append(QJsonObject{{QStringLiteral("name"), p.name},
                                    {QStringLiteral("source"), QStringLiteral("keychain")},
                                    {QStringLiteral("kind"), kind},
                                    {QStringLiteral("accessKeyId"), key},
                                    {QStringLiteral("region"), region},
                                    {QStringLiteral("savedAt"), p.savedAt.toString(Qt::ISODate)}});
        }
        for (const QString &name : files.profileNames()) {
            QString why;
            const creds::CredentialSource kind = creds::classify(files, name, &why);
            QString key;
            if (kind == creds::CredentialSource::StaticKeys) {
                std::optional<creds::StaticKeysConfig> keys = creds::readStaticKeys(files, name, &why);
                if (keys) {
                    key = aws::redactKeyId(keys->accessKeyId.toUtf8());
                    aws::wipe(keys->secretAccessKey);
                    aws::wipe(keys->sessionToken);
                }
            }
            const QString region = creds::resolveRegion({}, files, name).value;
            const QString where = files.profile(name).origin().describe(files.home());
            const QString kindText = kind == creds::CredentialSource::None && !why.isEmpty()
                                         ? QStringLiteral("invalid: ") + why
                                         : creds::toString(kind);
            table.addRow({{name}, {where}, {kindText}, {key}, {region}});
            json.append(QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("source"), QStringLiteral("aws-files")},
                                    {QStringLiteral("definedAt"), where},
                                    {QStringLiteral("kind"), kindText},
                                    {QStringLiteral("accessKeyId"), key},
                                    {QStringLiteral("region"), region}});
        }
        if (out()->json()) {
            out()->writeJson({{QStringLiteral("profiles"), json},
                              {QStringLiteral("keychain"),
                               QJsonObject{{QStringLiteral("available"), !k.unavailable()},
                                           {QStringLiteral("message"), k.error}}}});
        } else {
            if (!k.ok())
                out()->warning(k.error);
            if (table.rowCount() == 0)
                out()->note(QStringLiteral("No profiles yet: add one with gls-exporter-cli credentials set --profile "
                                           "NAME, or configure ~/.aws/credentials."));
            else
                out()->write(table.render(out()->colour()));
        }
        finish(code(ExitCode::Ok));
    });
}

void CredentialsCommand::remove()
{
    QString name;
    if (!profileArgument(&name))
        return;
    awsContext()->keychain()->remove(name, this, [this, name](const creds::KeychainResult &r) {
        if (!r.ok()) {
            finish(out()->fail(r.notFound() ? ExitCode::BadInput : ExitCode::Failure,
                               r.notFound() ? QStringLiteral("ProfileNotFound") : QStringLiteral("KeychainError"),
                               r.error));
            return;
        }
        awsContext()->profileSettings()->remove(name);
        if (out()->json())
            out()->writeJson({{QStringLiteral("profile"), name}, {QStringLiteral("removed"), true}});
        else
            out()->write(QStringLiteral("Removed profile \"%1\" from the keychain.\n").arg(name));
        finish(code(ExitCode::Ok));
    });
}

void CredentialsCommand::import()
{
    const QString from = args().value(QStringLiteral("aws-profile"));
    if (from.isEmpty()) {
        usage(QStringLiteral("--aws-profile NAME is required: the profile of ~/.aws/credentials or ~/.aws/config to "
                             "copy into the keychain"));
        return;
    }
    QString name = awsContext()->options().profile;
    if (name.isEmpty())
        name = from;
    if (const QString problem = creds::KeychainStore::validateName(name); !problem.isEmpty()) {
        usage((awsContext()->options().profile.isEmpty() ? QStringLiteral("--aws-profile (used as the keychain "
                                                                           "profile name; give --profile): ")
                                                          : QStringLiteral("--profile: "))
              + problem);
        return;
    }
    const creds::AwsConfigFiles files = creds::AwsConfigFiles::load(awsContext()->environment());
    if (!files.hasProfile(from)) {
        finish(out()->fail(ExitCode::BadInput, QStringLiteral("ProfileNotFound"),
                           QStringLiteral("--aws-profile: no profile named \"%1\" in %2 or %3%4")
                               .arg(from, files.configPath(), files.credentialsPath(),
                                    files.ok() ? QString() : QStringLiteral(" (") + files.errors().join(QStringLiteral("; ")) + QLatin1Char(')'))));
        return;
    }
    QString why;
    const creds::CredentialSource kind = creds::classify(files, from, &why);
    if (kind != creds::CredentialSource::StaticKeys) {
        finish(out()->fail(ExitCode::BadInput, QStringLiteral("NotStaticKeys"),
                           QStringLiteral("--aws-profile: %1 uses %2, not static keys; only static keys can be copied "
                                          "into the keychain (use it as it is with --profile %3)")
                               .arg(files.describeProfile(from), creds::toString(kind), from)));
        return;
    }
    std::optional<creds::StaticKeysConfig> keys = creds::readStaticKeys(files, from, &why);
    if (!keys) {
        finish(out()->fail(ExitCode::BadInput, QStringLiteral("InvalidProfile"), why));
        return;
    }
    const QString region = creds::resolveRegion({}, files, from).value;
    if (!region.isEmpty()) {
        creds::ProfileDefaults d = awsContext()->profileSettings()->load(name);
        d.region = region;
        awsContext()->profileSettings()->save(name, d);
    }
    save(name, keys->accessKeyId.toUtf8(), keys->secretAccessKey, keys->sessionToken,
         keys->origin.describe(files.home()));
    aws::wipe(keys->secretAccessKey);
    aws::wipe(keys->sessionToken);
}

void WhoamiCommand::start()
{
    QString error;
    const aws::Endpoint endpoint = awsContext()->stsEndpoint(&error);
    if (!endpoint.isValid()) {
        finish(out()->fail(ExitCode::BadInput, QStringLiteral("InvalidConfiguration"), error));
        return;
    }
    aws::AwsCall *call = awsContext()->transport()->send(endpoint, creds::getCallerIdentityRequest(), this);
    connect(call, &aws::AwsCall::failed, this, &WhoamiCommand::finishWithError);
    connect(call, &aws::AwsCall::succeeded, this, [this](const aws::AwsResponse &response) {
        creds::CallerIdentity id;
        QString why;
        if (!creds::parseCallerIdentityResponse(response.body, &id, &why)) {
            finish(out()->fail(ExitCode::Failure, QStringLiteral("UnreadableResponse"), why));
            return;
        }
        const QString source = awsContext()->credentialsSource();
        if (out()->json()) {
            out()->writeJson({{QStringLiteral("account"), id.account},
                              {QStringLiteral("arn"), id.arn},
                              {QStringLiteral("userId"), id.userId},
                              {QStringLiteral("credentialsSource"), source}});
        } else {
            out()->write(QStringLiteral("Account:     %1\nARN:         %2\nUser ID:     %3\nCredentials: %4\n")
                             .arg(id.account, id.arn, id.userId, source));
        }
        finish(code(ExitCode::Ok));
    });
}

} // namespace gls::cli
