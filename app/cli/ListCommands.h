#pragma once

// `groups` and `sessions`: the listings, every page followed.

#include "Command.h"

namespace gls::cli {

class GroupsCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
};

class SessionsCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;
};

} // namespace gls::cli
