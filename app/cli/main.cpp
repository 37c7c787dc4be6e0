// gls-exporter-cli: Amazon GameLift Streams stream session exports for people
// and scripts. The commands live in the gls_cli library; this only wires the
// process to it.

#include "CliApp.h"
#include "Output.h"

#include <QCoreApplication>
#include <QFile>

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
    return gls::cli::runCli(arguments, &out, &err, gls::cli::Terminal::detect());
}
