#include "DemoEmulator.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <csignal>

#include <sys/prctl.h>

namespace gls::gui {

DemoEmulator::DemoEmulator(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Should this app die without cleaning up, the emulator stops too.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &DemoEmulator::onOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (m_endpoints.isEmpty())
            Q_EMIT failed(tr("gls-emulator could not be started: %1").arg(m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int code) {
        if (m_endpoints.isEmpty())
            Q_EMIT failed(tr("gls-emulator stopped before it was ready (exit code %1)").arg(code));
    });
}

DemoEmulator::~DemoEmulator()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        m_process.terminate(); // SIGTERM: it stops cleanly
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void DemoEmulator::start(const QString &binDir)
{
    const QString program = QDir(binDir).filePath(QStringLiteral("gls-emulator"));
    if (!QFileInfo(program).isExecutable()) {
        Q_EMIT failed(tr("gls-emulator was not found next to gls-exporter (%1): the demo needs it; install the "
                         "gls-exporter-emulator package").arg(program));
        return;
    }
    if (!m_dataDir.isValid()) {
        Q_EMIT failed(tr("No temporary folder for the emulator: %1").arg(m_dataDir.errorString()));
        return;
    }
    m_process.start(program,
        {QStringLiteral("--data-dir"), m_dataDir.path(), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--time-scale"), QStringLiteral("60"), QStringLiteral("--sessions"), QStringLiteral("200"),
            // New players keep arriving (one every ~10 s at 60x), as in scripts/run-demo.sh.
            QStringLiteral("--arrivals-per-hour"), QStringLiteral("6")});
}

void DemoEmulator::onOutput()
{
    m_buffer += m_process.readAllStandardOutput();
    if (!m_endpoints.isEmpty())
        return;
    const qsizetype newline = m_buffer.indexOf('\n');
    if (newline < 0)
        return;
    const QJsonObject endpoints = QJsonDocument::fromJson(m_buffer.left(newline)).object();
    if (endpoints.value(QStringLiteral("gameliftstreams")).toString().isEmpty()) {
        Q_EMIT failed(tr("gls-emulator printed no endpoints: %1").arg(QString::fromUtf8(m_buffer.left(newline))));
        return;
    }
    m_endpoints = endpoints;
    Q_EMIT ready();
}

} // namespace gls::gui
