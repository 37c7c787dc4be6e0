#pragma once

// gls-exporter-cli from arguments to exit code: parse, answer --help and
// --version, refuse what is not supported, set up the core, run the command
// in the event loop (Ctrl+C stops it cleanly) and return its exit code.

#include <QStringList>

#include <functional>

class QIODevice;

namespace gls::cli {

struct Terminal;

// `arguments` without the program name. Needs a QCoreApplication.
// `endProcess`, when given, is called with the exit code as soon as a command
// that leaves nothing open (Command::leavesNothingOpen()) has finished, and
// does not return: the executable ends there instead of taking the command's
// objects down one by one (a 10,000-session listing's sessions, its pages).
int runCli(const QStringList &arguments, QIODevice *out, QIODevice *err, const Terminal &terminal,
    const std::function<void(int)> &endProcess = {});

} // namespace gls::cli
