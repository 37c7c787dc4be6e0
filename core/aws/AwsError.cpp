#include "AwsError.h"

namespace gls::aws {

QString AwsError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::Service: return QStringLiteral("service");
    case Kind::Network: return QStringLiteral("network");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Tls: return QStringLiteral("tls");
    case Kind::Credentials: return QStringLiteral("credentials");
    case Kind::Validation: return QStringLiteral("validation");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::Client: return QStringLiteral("client");
    }
    return {};
}

QString AwsError::toString() const
{
    if (kind == Kind::None)
        return {};
    QString text = operation.isEmpty() ? QString() : operation + QStringLiteral(" failed: ");
    if (kind == Kind::Validation)
        return text + message;
    text += type.isEmpty() ? kindName(kind) : type;
    if (httpStatus > 0)
        text += QStringLiteral(" (HTTP %1)").arg(httpStatus);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    if (!requestId.isEmpty())
        text += QStringLiteral(" [request id %1]").arg(QString::fromLatin1(requestId));
    if (attempts > 1)
        text += QStringLiteral(" after %1 attempts").arg(attempts);
    return text;
}

} // namespace gls::aws
