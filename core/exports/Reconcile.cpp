#include "Reconcile.h"

namespace gls::exports {

QString Reconcile::actionName(Action action)
{
    switch (action) {
    case Action::MarkPending:
        return QStringLiteral("MarkPending");
    case Action::MarkSucceeded:
        return QStringLiteral("MarkSucceeded");
    case Action::MarkFailed:
        return QStringLiteral("MarkFailed");
    case Action::RequestWasLost:
        return QStringLiteral("RequestWasLost");
    }
    return {};
}

Reconcile decide(const ExportRecord &record, const gamelift::StreamSession &session)
{
    using Action = Reconcile::Action;
    const auto &metadata = session.exportFilesMetadata;
    const QString sessionState = session.status.isEmpty() ? QStringLiteral("unknown") : session.status;

    if (!metadata || metadata->status.isEmpty()) {
        return {Action::RequestWasLost,
            QStringLiteral("The service has no export for this session (session %1): the request did not get through.")
                .arg(sessionState),
            {}};
    }

    // GetStreamSession gives the OutputUri; when it is there and points
    // elsewhere, the export on the service is another request's.
    if (!metadata->outputUri.isEmpty() && !outputUriMatches(record.requestedUri, metadata->outputUri)) {
        return {Action::RequestWasLost,
            QStringLiteral("The session's export goes to %1, not to %2: this request did not get through, or "
                           "another one replaced it.")
                .arg(metadata->outputUri, record.requestedUri),
            {}};
    }

    const QString &status = metadata->status;
    if (status == QLatin1String("SUCCEEDED")) {
        return {Action::MarkSucceeded,
            QStringLiteral("The request got through; the archive is at %1.")
                .arg(metadata->outputUri.isEmpty() ? record.requestedUri : metadata->outputUri),
            metadata->outputUri};
    }
    if (status == QLatin1String("FAILED")) {
        const QString why
            = metadata->statusReason.isEmpty() ? QStringLiteral("no reason given") : metadata->statusReason;
        return {Action::MarkFailed, QStringLiteral("The request got through but the export failed: %1.").arg(why),
            metadata->outputUri};
    }
    if (status == QLatin1String("PENDING")) {
        return {Action::MarkPending,
            QStringLiteral("The request got through; the export is pending (session %1).").arg(sessionState),
            metadata->outputUri};
    }
    // A status newer than this app: the service knows the export, so the
    // request got through; keep following it.
    return {Action::MarkPending,
        QStringLiteral("The request got through; the service reports export status %1.").arg(status),
        metadata->outputUri};
}

bool requestMayHaveArrived(const aws::AwsError &error)
{
    using Kind = aws::AwsError::Kind;
    // Sent more than once: an earlier try may have been carried out with its answer lost, whatever the last
    // answer says (a throttled retry of a request that got through).
    if (error.attempts > 1 && error.kind != Kind::Validation && error.kind != Kind::Credentials)
        return true;
    switch (error.kind) {
    case Kind::Network:
    case Kind::Timeout:
    case Kind::Client:
    case Kind::Cancelled:
        return true;
    case Kind::Service:
        return error.httpStatus >= 500 || error.httpStatus == 0;
    case Kind::None:
    case Kind::Tls:
    case Kind::Credentials:
    case Kind::Validation:
        return false;
    }
    return true;
}

} // namespace gls::exports
