#include "StreamSession.h"

#include "KnownValues.h"

#include <QDebug>

namespace gls::gamelift {

QStringView StreamSessionSummary::idViewFromArn() const
{
    // What arn.section('/', -1) gives: after the last '/', or all of it.
    return QStringView(arn).sliced(arn.lastIndexOf(QLatin1Char('/')) + 1);
}

QStringView StreamSessionSummary::streamGroupIdViewFromArn() const
{
    // What arn.section('/', -2, -2) gives when there are two '/' at least.
    const qsizetype last = arn.lastIndexOf(QLatin1Char('/'));
    if (last <= 0)
        return {};
    const qsizetype before = arn.lastIndexOf(QLatin1Char('/'), last - 1);
    if (before < 0)
        return {};
    return QStringView(arn).sliced(before + 1, last - before - 1);
}

bool StreamSessionSummary::canExport() const
{
    return gamelift::canExport(status);
}

namespace {

// Sensitive members (roleArn, signalRequest, signalResponse) are never written.
void writeSummary(QDebug &d, const StreamSessionSummary &s)
{
    d << "arn=" << s.arn << "status=" << s.status;
    if (!s.statusReason.isEmpty())
        d << "statusReason=" << s.statusReason;
    if (!s.userId.isEmpty())
        d << "userId=" << s.userId;
    d << "protocol=" << s.protocol << "location=" << s.location << "applicationArn=" << s.applicationArn;
    d << "createdAt=" << s.createdAt << "lastUpdatedAt=" << s.lastUpdatedAt;
    if (s.exportFilesMetadata)
        d << "export=" << *s.exportFilesMetadata;
}

} // namespace

QDebug operator<<(QDebug debug, const ExportFilesMetadata &metadata)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "ExportFilesMetadata(status=" << metadata.status;
    if (!metadata.statusReason.isEmpty())
        debug << " statusReason=" << metadata.statusReason;
    if (!metadata.outputUri.isEmpty())
        debug << " outputUri=" << metadata.outputUri;
    debug << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const StreamSessionSummary &session)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "StreamSessionSummary(";
    debug.space();
    writeSummary(debug, session);
    debug.nospace() << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const StreamSession &session)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "StreamSession(";
    debug.space();
    writeSummary(debug, session);
    if (!session.description.isEmpty())
        debug << "description=" << session.description;
    debug << "streamGroupId=" << session.streamGroupId;
    if (session.connectionTimeoutSeconds)
        debug << "connectionTimeoutSeconds=" << *session.connectionTimeoutSeconds;
    if (session.sessionLengthSeconds)
        debug << "sessionLengthSeconds=" << *session.sessionLengthSeconds;
    if (!session.additionalLaunchArgs.isEmpty())
        debug << "launchArgs=" << session.additionalLaunchArgs.size();
    if (!session.additionalEnvironmentVariables.isEmpty())
        debug << "environment=" << session.additionalEnvironmentVariables.keys(); // names only
    if (session.performanceStatsConfiguration && session.performanceStatsConfiguration->sharedWithClient)
        debug << "statsSharedWithClient=" << *session.performanceStatsConfiguration->sharedWithClient;
    if (session.displayConfiguration && session.displayConfiguration->resolution) {
        const Resolution &r = *session.displayConfiguration->resolution;
        debug << "resolution=" << QStringLiteral("%1x%2").arg(r.width).arg(r.height);
    }
    if (!session.logFileLocationUri.isEmpty())
        debug << "logFileLocationUri=" << session.logFileLocationUri;
    if (!session.webSdkProtocolUrl.isEmpty())
        debug << "webSdkProtocolUrl=" << session.webSdkProtocolUrl;
    debug.nospace() << ')';
    return debug;
}

} // namespace gls::gamelift
