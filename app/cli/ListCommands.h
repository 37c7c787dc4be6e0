#pragma once

// `groups` and `sessions`: the listings, every page followed.

#include "Command.h"
#include "JsonFields.h"

#include <QList>

namespace gls::gamelift {
struct StreamSessionSummary;
}

namespace gls::cli {

class GroupsCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
    bool leavesNothingOpen() const override { return true; }
};

class SessionsCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
    bool leavesNothingOpen() const override { return true; }

private:
    // A listing job (every session, or one group's) to its output: progress, then the table or JSON.
    template <typename Job>
    void follow(Job *job);

    json::SessionListDocument m_document; // with --json
};

} // namespace gls::cli
