#include "ListStreamGroupsJob.h"

#include "Validation.h"

namespace gls::gamelift {

ListStreamGroupsJob::ListStreamGroupsJob(GameLiftClient *client, int maxResults)
    : PagedJob(client, QStringLiteral("ListStreamGroups"))
    , m_maxResults(maxResults)
{
}

QString ListStreamGroupsJob::validate() const
{
    return maxResultsProblem(m_maxResults);
}

aws::AwsRequest ListStreamGroupsJob::pageRequest() const
{
    aws::AwsRequest request;
    request.method = "GET";
    request.path = "/streamgroups";
    request.query.append({"MaxResults", QByteArray::number(m_maxResults)});
    return request;
}

} // namespace gls::gamelift
