#pragma once

// `archive ls FILE.zip` and `archive extract FILE.zip --to DIR`: an exported
// archive on this machine, listed (crash dumps and logs first) or extracted
// safely (see core/archive/SafeExtractor.h). No AWS involved.

#include "Command.h"

namespace gls::cli {

class ArchiveCommand : public Command {
    Q_OBJECT
public:
    using Command::Command;
    void start() override;

private:
    void list(const QString &file);
    void extract(const QString &file);
};

} // namespace gls::cli
