#pragma once

// `session` (one stream session's details) and `terminate`.

#include "Command.h"

namespace gls::gamelift {
struct StreamSession;
}

namespace gls::cli {

class SessionCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
};

class TerminateCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;

private:
    bool confirmed(const QString &group, const QString &session);
};

// The session's details as people read them: label, value; never the
// sensitive members.
QString sessionDetails(const gamelift::StreamSession &session);

} // namespace gls::cli
