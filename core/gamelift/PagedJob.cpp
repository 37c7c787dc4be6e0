#include "PagedJob.h"

#include <QJsonObject>

namespace gls::gamelift {

void PagedJob::run()
{
    requestPage({});
}

void PagedJob::requestPage(const QString &token)
{
    aws::AwsRequest request = pageRequest();
    if (!token.isEmpty())
        request.query.append({"NextToken", token.toUtf8()}); // decoded; the transport encodes '+', '/', '='
    send(std::move(request), [this, token](const aws::AwsResponse &response) {
        QString next;
        const bool read = decodeBody(response,
            [this, &next](const QJsonObject &body, QString *problem) { return takePage(body, &next, problem); });
        if (!read)
            return;
        if (!next.isEmpty() && next == token) {
            failInvalidResponse(response, QStringLiteral("the service returned the NextToken it was given"));
            return;
        }
        ++m_pages;
        QPointer<ApiJob> guard(this);
        emitPage();
        if (!guard || isFinished()) // a slot aborted the job
            return;
        if (next.isEmpty())
            succeed([this] { emitSucceeded(); });
        else
            requestPage(next);
    });
}

} // namespace gls::gamelift
