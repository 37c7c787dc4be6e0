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
    const int exitCode = gls::cli::runCli(arguments, &out, &err, gls::cli::Terminal::detect());
#if !defined(__SANITIZE_ADDRESS__)
    // What the command opened is closed by now (runCli's objects are gone: the
    // export store, the keychain, the connections) and its output is written
    // (unbuffered). What is left is taking Qt's and the libraries' globals
    // down one by one, the parsing pool's threads among them: 4 ms of a
    // 10,000-session listing's 100, for memory the system takes back anyway.
    // Builds with the sanitizers end the usual way, so that LeakSanitizer
    // still looks at everything.
    std::_Exit(exitCode);
#else
    return exitCode;
#endif
}
