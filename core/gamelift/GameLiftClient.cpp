#include "GameLiftClient.h"

#include "ExportStreamSessionFilesJob.h"
#include "GetStreamGroupJob.h"
#include "GetStreamSessionJob.h"
#include "ListStreamGroupsJob.h"
#include "ListStreamSessionsJob.h"
#include "TerminateStreamSessionJob.h"

#include "aws/AwsTransport.h"

namespace gls::gamelift {

Q_LOGGING_CATEGORY(lcGameLift, "gls.gamelift", QtWarningMsg)

GameLiftClient::GameLiftClient(aws::AwsTransport *transport, aws::Endpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_endpoint(std::move(endpoint))
{
    qRegisterMetaType<aws::AwsError>();
}

GameLiftClient::~GameLiftClient() = default;

ListStreamGroupsJob *GameLiftClient::listStreamGroups(int maxResults)
{
    return new ListStreamGroupsJob(this, maxResults);
}

GetStreamGroupJob *GameLiftClient::getStreamGroup(const QString &identifier)
{
    return new GetStreamGroupJob(this, identifier);
}

ListStreamSessionsJob *GameLiftClient::listStreamSessions(const ListStreamSessionsRequest &request)
{
    return new ListStreamSessionsJob(this, request);
}

GetStreamSessionJob *GameLiftClient::getStreamSession(const QString &streamGroup, const QString &streamSession)
{
    return new GetStreamSessionJob(this, streamGroup, streamSession);
}

ExportStreamSessionFilesJob *GameLiftClient::exportStreamSessionFiles(
    const QString &streamGroup, const QString &streamSession, const QString &outputUri)
{
    return new ExportStreamSessionFilesJob(this, streamGroup, streamSession, outputUri);
}

TerminateStreamSessionJob *GameLiftClient::terminateStreamSession(
    const QString &streamGroup, const QString &streamSession)
{
    return new TerminateStreamSessionJob(this, streamGroup, streamSession);
}

} // namespace gls::gamelift
