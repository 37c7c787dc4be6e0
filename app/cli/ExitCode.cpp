#include "ExitCode.h"

#include "aws/AwsError.h"

namespace gls::cli {

ExitCode exitCodeFor(const aws::AwsError &error)
{
    using Kind = aws::AwsError::Kind;
    switch (error.kind) {
    case Kind::None:
        return ExitCode::Ok;
    case Kind::Validation:
    case Kind::Credentials:
        return ExitCode::BadInput;
    case Kind::Service:
        return ExitCode::ServiceRefused;
    case Kind::Network:
    case Kind::Timeout:
    case Kind::Tls:
        return ExitCode::NetworkOrTimeout;
    case Kind::Cancelled:
        return ExitCode::Interrupted;
    case Kind::Client:
        return ExitCode::Failure;
    }
    return ExitCode::Failure;
}

const char *exitCodesHelp()
{
    return "Exit codes:\n"
           "  0    done\n"
           "  1    anything else (a local file could not be written, an unreadable answer, confirmation declined)\n"
           "  2    bad input: usage, a value that breaks a rule (the message names it), no Region, no credentials\n"
           "  3    the service refused: its error type, message and request id are printed (not found, access\n"
           "       denied, invalid signature, validation, throttled after retries)\n"
           "  4    the export ended FAILED (the reason is printed)\n"
           "  5    network or timeout: no connection, TLS failure (an untrusted certificate counts here), no\n"
           "       answer in time, or --timeout reached\n"
           "  130  interrupted (Ctrl+C)\n";
}

} // namespace gls::cli
