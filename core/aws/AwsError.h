#pragma once

// A failed AWS call as the user should hear about it: which operation, what
// kind of failure, the service's error type and message, the HTTP status and
// the request id. Never holds a secret.

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace gls::aws {

struct AwsError {
    enum class Kind {
        None,
        Service,     // the service answered with an error (type + message)
        Network,     // connection refused, reset, DNS, closed mid-answer
        Timeout,     // no bytes for the idle timeout, or the overall deadline
        Tls,         // certificate not trusted or handshake failed
        Credentials, // no credentials, or they could not be loaded
        Validation,  // refused before sending: bad input (field and rule in message)
        Cancelled,   // aborted by the caller
        Client,      // anything else on our side (unreadable response, local file error)
    };

    Kind kind = Kind::None;
    QString type;        // "ThrottlingException", "NoSuchKey"; for non-service errors a short name
    QString message;     // human-readable; for Validation it names the field and the rule
    QString operation;   // "GetStreamSession"
    int httpStatus = 0;
    QByteArray requestId;
    int attempts = 0;    // how many times it was sent
    QString region;      // the Region the service says the resource lives in (S3's
                         // x-amz-bucket-region header or <Region>), when it says so

    bool isError() const { return kind != Kind::None; }
    // "GetStreamSession failed: ResourceNotFoundException (HTTP 404): ... [request id ...]"
    QString toString() const;
    static QString kindName(Kind kind);
};

} // namespace gls::aws

Q_DECLARE_METATYPE(gls::aws::AwsError)
