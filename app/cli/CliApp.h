#pragma once

// gls-exporter-cli from arguments to exit code: parse, answer --help and
// --version, refuse what is not supported, set up the core, run the command
// in the event loop (Ctrl+C stops it cleanly) and return its exit code.

#include <QStringList>

class QIODevice;

namespace gls::cli {

struct Terminal;

// `arguments` without the program name. Needs a QCoreApplication.
int runCli(const QStringList &arguments, QIODevice *out, QIODevice *err, const Terminal &terminal);

} // namespace gls::cli
