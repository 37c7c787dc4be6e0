#include "ListStreamSessionsJob.h"

namespace gls::gamelift {

ListStreamSessionsJob::ListStreamSessionsJob(GameLiftClient *client, ListStreamSessionsRequest request)
    : PagedJob(client,
        request.streamGroup.isEmpty() ? QStringLiteral("ListStreamSessionsByAccount")
                                      : QStringLiteral("ListStreamSessions"))
    , m_request(std::move(request))
{
}

QString ListStreamSessionsJob::validate() const
{
    QString problem;
    if (!m_request.streamGroup.isEmpty())
        problem = identifierProblem(m_request.streamGroup, QStringLiteral("stream group identifier"));
    if (problem.isEmpty())
        problem = streamSessionStatusFilterProblem(m_request.status, m_request.unknownFilterValues);
    if (problem.isEmpty())
        problem = exportFilesStatusFilterProblem(m_request.exportFilesStatus, m_request.unknownFilterValues);
    if (problem.isEmpty())
        problem = maxResultsProblem(m_request.maxResults);
    return problem;
}

std::shared_ptr<DecodedPage> ListStreamSessionsJob::decodePage(const QByteArray &body, QString *problem)
{
    Page<StreamSessionSummary> page;
    if (json::readStreamSessionPageQuickly(body, &page))
        return decoded(std::move(page));
    return decodeWith<json::decodeStreamSessionPage>(body, problem);
}

aws::AwsRequest ListStreamSessionsJob::pageRequest() const
{
    aws::AwsRequest request;
    request.method = "GET";
    request.path = m_request.streamGroup.isEmpty()
        ? QByteArray("/streamsessions")
        : "/streamgroups/" + label(m_request.streamGroup) + "/streamsessions";
    if (!m_request.status.isEmpty())
        request.query.append({"Status", m_request.status.toUtf8()});
    if (!m_request.exportFilesStatus.isEmpty())
        request.query.append({"ExportFilesStatus", m_request.exportFilesStatus.toUtf8()});
    request.query.append({"MaxResults", QByteArray::number(m_request.maxResults)});
    return request;
}

} // namespace gls::gamelift
