#pragma once

// `credentials set|list|remove|import` (profiles in the OS keychain and, for
// list, the AWS files' profiles too) and `whoami` (STS GetCallerIdentity with
// the credentials the chain gives this run).

#include "Command.h"

namespace gls::cli {

class CredentialsCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;

private:
    void set();
    void list();
    void remove();
    void import();
    void save(const QString &name, QByteArray keyId, QByteArray secret, QByteArray token, const QString &from);
    // Reads one line from stdin; without echo when `secret` and stdin is a terminal.
    QByteArray readLine(const QString &prompt, bool secret);
    bool profileArgument(QString *name);
};

class WhoamiCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
};

// The access key id rule AWS documents: 16 to 128 word characters. Empty
// when `keyId` follows it, else the message naming the field and the rule.
QString accessKeyIdProblem(QByteArrayView keyId);

} // namespace gls::cli
