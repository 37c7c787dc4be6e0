#include "StreamSessionJob.h"

#include "Validation.h"

namespace gls::gamelift {

StreamSessionJob::StreamSessionJob(
    GameLiftClient *client, QString operation, QString streamGroup, QString streamSession)
    : ApiJob(client, std::move(operation))
    , m_streamGroup(std::move(streamGroup))
    , m_streamSession(std::move(streamSession))
{
}

QString StreamSessionJob::validate() const
{
    const QString problem = identifierProblem(m_streamGroup, QStringLiteral("stream group identifier"));
    return problem.isEmpty() ? identifierProblem(m_streamSession, QStringLiteral("stream session identifier"))
                             : problem;
}

QByteArray StreamSessionJob::sessionPath() const
{
    return "/streamgroups/" + label(m_streamGroup) + "/streamsessions/" + label(m_streamSession);
}

} // namespace gls::gamelift
