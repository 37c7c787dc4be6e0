#include "GetStreamGroupJob.h"

#include "GameLiftJson.h"
#include "Validation.h"

namespace gls::gamelift {

GetStreamGroupJob::GetStreamGroupJob(GameLiftClient *client, QString identifier)
    : ApiJob(client, QStringLiteral("GetStreamGroup"))
    , m_identifier(std::move(identifier))
{
}

QString GetStreamGroupJob::validate() const
{
    return identifierProblem(m_identifier, QStringLiteral("stream group identifier"));
}

void GetStreamGroupJob::run()
{
    aws::AwsRequest request;
    request.method = "GET";
    request.path = "/streamgroups/" + label(m_identifier);
    send(std::move(request), [this](const aws::AwsResponse &response) {
        const bool read = decodeBody(response, [this](const QJsonObject &body, QString *problem) {
            return json::decodeStreamGroup(body, &m_result, problem);
        });
        if (read)
            succeed([this] { Q_EMIT succeeded(m_result); });
    });
}

} // namespace gls::gamelift
