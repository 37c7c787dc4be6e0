#include "ExportStreamSessionFilesJob.h"

#include "Validation.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gls::gamelift {

ExportStreamSessionFilesJob::ExportStreamSessionFilesJob(
    GameLiftClient *client, QString streamGroup, QString streamSession, QString outputUri)
    : StreamSessionJob(
        client, QStringLiteral("ExportStreamSessionFiles"), std::move(streamGroup), std::move(streamSession))
    , m_outputUri(std::move(outputUri))
{
}

QString ExportStreamSessionFilesJob::validate() const
{
    const QString problem = StreamSessionJob::validate();
    return problem.isEmpty() ? outputUriProblem(m_outputUri) : problem;
}

void ExportStreamSessionFilesJob::run()
{
    aws::AwsRequest request;
    request.method = "PUT";
    request.path = sessionPath() + "/exportfiles";
    request.body
        = QJsonDocument(QJsonObject{{QStringLiteral("OutputUri"), m_outputUri}}).toJson(QJsonDocument::Compact);
    request.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    request.idempotent = true;
    send(std::move(request), [this](const aws::AwsResponse &response) {
        // The output is an empty structure: an empty body or {} (members added later are ignored).
        QJsonObject body;
        if (parseBody(response, &body, true))
            succeed([this] { Q_EMIT succeeded(); });
    });
}

} // namespace gls::gamelift
