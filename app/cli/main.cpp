// gls-exporter-cli: Amazon GameLift Streams stream session exports for people
// and scripts. The commands live in the gls_cli library; this only wires the
// process to it.

#include "CliApp.h"
#include "Output.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdlib>

#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gls-exporter-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GLS_VERSION));

    QFile out;
    QFile err;
    if (!out.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered)
        || !err.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return 1;
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
#if !defined(__SANITIZE_ADDRESS__)
    // A listing that has written its output ends the process there, without
    // freeing its 10,000 sessions and their pages one by one (runCli's
    // endProcess): about 4 ms of its 90.
    const auto endProcess = [](int exitCode) { std::_Exit(exitCode); };
    const int exitCode = gls::cli::runCli(arguments, &out, &err, gls::cli::Terminal::detect(), endProcess);
    // Every other command has closed what it opened by now (runCli's objects
    // are gone: the export store, the keychain, the connections) and written
    // its output (unbuffered). What is left is taking Qt's and the libraries'
    // globals down one by one, the parsing pool's threads among them, for
    // memory the system takes back anyway.
    std::_Exit(exitCode);
#else
    // Builds with the sanitizers end the usual way, so that LeakSanitizer
    // still looks at everything.
    return gls::cli::runCli(arguments, &out, &err, gls::cli::Terminal::detect());
#endif
}
