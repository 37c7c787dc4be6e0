#pragma once

// The exit codes of gls-exporter-cli, one meaning each, so scripts can branch
// on them. Documented in `gls-exporter-cli --help` and README.md.

namespace gls::aws {
struct AwsError;
}

namespace gls::cli {

enum class ExitCode : int {
    Ok = 0,
    Failure = 1,          // anything else: a local file error, an unreadable answer, a declined confirmation
    BadInput = 2,         // usage, validation, configuration (no Region, no credentials, bad CA bundle)
    ServiceRefused = 3,   // the service answered with an error (not found, access denied, signature, throttled)
    ExportFailed = 4,     // the export ended FAILED
    NetworkOrTimeout = 5, // no usable answer: connection, TLS (untrusted certificate), timeouts, --timeout
    Interrupted = 130,    // Ctrl+C or SIGTERM
};

inline int code(ExitCode c)
{
    return int(c);
}

// Which exit code a failed call ends the program with.
ExitCode exitCodeFor(const aws::AwsError &error);

// The exit codes as the help text and README list them.
const char *exitCodesHelp();

} // namespace gls::cli
