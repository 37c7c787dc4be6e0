#pragma once

// Test support: runs the real gls-exporter-cli executable (GLS_BIN_DIR) with
// QProcess against a running gls-emulator, with a clean AWS environment: the
// emulator's test key, AWS_DEFAULT_REGION=us-west-2 and no other AWS_*
// variable, so nothing from the machine running the tests leaks in.

#include "EmulatorHarness.h"

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace gls::test {

struct CliResult {
    int exitCode = -1; // -1: it did not finish (or crashed)
    QByteArray out;
    QByteArray err;

    // stdout as one JSON object (empty when it is not one).
    QJsonObject json() const;
    // The last line of stderr as JSON: {"error": {...}} with --json.
    QJsonObject errorJson() const;
    // For failure messages.
    QByteArray describe() const;
};

class CliRunner {
public:
    explicit CliRunner(const Emulator *emulator);

    // --endpoint-url (GameLift Streams) and, unless `trustEmulator` is false, --ca-bundle.
    QStringList endpoint(bool trustEmulator = true) const;
    // The S3 endpoint for `export --download`: --s3-endpoint-url URL.
    QStringList s3Endpoint() const;
    // The clean environment (see above).
    QProcessEnvironment environment() const;

    // Runs to the end (at most `timeoutMs`), stdin closed.
    CliResult run(const QStringList &arguments, const QProcessEnvironment &env = {}, int timeoutMs = 60000) const;
    // Starts it and returns at once; finish with collect().
    std::unique_ptr<QProcess> start(const QStringList &arguments, const QProcessEnvironment &env = {}) const;
    static CliResult collect(QProcess *process, int timeoutMs = 60000);

    static QString program();

private:
    const Emulator *m_emu;
    QTemporaryDir m_storeDir; // the export store of these runs (GLS_EXPORT_STORE), never the user's
};

} // namespace gls::test
