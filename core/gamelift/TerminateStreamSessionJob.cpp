#include "TerminateStreamSessionJob.h"

namespace gls::gamelift {

TerminateStreamSessionJob::TerminateStreamSessionJob(GameLiftClient *client, QString streamGroup, QString streamSession)
    : StreamSessionJob(
        client, QStringLiteral("TerminateStreamSession"), std::move(streamGroup), std::move(streamSession))
{
}

void TerminateStreamSessionJob::run()
{
    aws::AwsRequest request;
    request.method = "DELETE";
    request.path = sessionPath();
    request.idempotent = true;
    // The output is Unit: a 204 with no body; any 2xx is success.
    send(std::move(request), [this](const aws::AwsResponse &) { succeed([this] { Q_EMIT succeeded(); }); });
}

} // namespace gls::gamelift
