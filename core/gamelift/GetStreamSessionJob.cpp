#include "GetStreamSessionJob.h"

#include "GameLiftJson.h"

namespace gls::gamelift {

GetStreamSessionJob::GetStreamSessionJob(GameLiftClient *client, QString streamGroup, QString streamSession)
    : StreamSessionJob(client, QStringLiteral("GetStreamSession"), std::move(streamGroup), std::move(streamSession))
{
}

void GetStreamSessionJob::run()
{
    aws::AwsRequest request;
    request.method = "GET";
    request.path = sessionPath();
    send(std::move(request), [this](const aws::AwsResponse &response) {
        const bool read = decodeBody(response, [this](const QJsonObject &body, QString *problem) {
            return json::decodeStreamSession(body, &m_result, problem);
        });
        if (read)
            succeed([this] { Q_EMIT succeeded(m_result); });
    });
}

} // namespace gls::gamelift
