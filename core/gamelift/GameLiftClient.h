#pragma once

// The typed, asynchronous Amazon GameLift Streams client: one factory per API
// operation, each returning an unstarted job (ApiJob.h) to connect to and
// start(). It sends through an aws::AwsTransport (signing, retries, pacing,
// service errors) to one aws::Endpoint (aws::resolveGameLiftEndpoint).
//
//     auto *job = client->getStreamSession(group, session);
//     connect(job, &GetStreamSessionJob::succeeded, this, [](const StreamSession &s) { ... });
//     connect(job, &ApiJob::failed, this, [](const aws::AwsError &e) { ... });
//     job->start();
//
// Jobs are children of the client and delete themselves after finished()
// (see ApiJob.h). The client does not own the transport.

#include "aws/Endpoints.h"

#include <QLoggingCategory>
#include <QObject>
#include <QPointer>

namespace gls::aws {
class AwsTransport;
}

namespace gls::gamelift {

Q_DECLARE_LOGGING_CATEGORY(lcGameLift)

class ExportStreamSessionFilesJob;
class GetStreamGroupJob;
class GetStreamSessionJob;
class ListStreamGroupsJob;
class ListStreamSessionsJob;
class TerminateStreamSessionJob;
struct ListStreamSessionsRequest;

class GameLiftClient : public QObject {
    Q_OBJECT
public:
    GameLiftClient(aws::AwsTransport *transport, aws::Endpoint endpoint, QObject *parent = nullptr);
    ~GameLiftClient() override;

    aws::AwsTransport *transport() const { return m_transport; }
    const aws::Endpoint &endpoint() const { return m_endpoint; }

    // Deadline for each request (retries included) of the jobs created from
    // now on; 0 turns it off. Default 120 s.
    int defaultTimeoutMs() const { return m_defaultTimeoutMs; }
    void setDefaultTimeoutMs(int ms) { m_defaultTimeoutMs = ms; }

    // Every stream group, following NextToken; `maxResults` per page (1..100).
    ListStreamGroupsJob *listStreamGroups(int maxResults = 100);
    GetStreamGroupJob *getStreamGroup(const QString &identifier);
    // A stream group's sessions, or the account's when request.streamGroup is empty.
    ListStreamSessionsJob *listStreamSessions(const ListStreamSessionsRequest &request);
    GetStreamSessionJob *getStreamSession(const QString &streamGroup, const QString &streamSession);
    ExportStreamSessionFilesJob *exportStreamSessionFiles(
        const QString &streamGroup, const QString &streamSession, const QString &outputUri);
    TerminateStreamSessionJob *terminateStreamSession(const QString &streamGroup, const QString &streamSession);

private:
    QPointer<aws::AwsTransport> m_transport;
    aws::Endpoint m_endpoint;
    int m_defaultTimeoutMs = 120'000;
};

} // namespace gls::gamelift
