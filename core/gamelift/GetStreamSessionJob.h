#pragma once

// GetStreamSession (GET /streamgroups/{Identifier}/streamsessions/
// {StreamSessionIdentifier}): one stream session with its export metadata
// (Status, StatusReason, OutputUri).

#include "StreamSession.h"
#include "StreamSessionJob.h"

namespace gls::gamelift {

class GetStreamSessionJob : public StreamSessionJob {
    Q_OBJECT
public:
    // Each identifier is an ID or an ARN.
    GetStreamSessionJob(GameLiftClient *client, QString streamGroup, QString streamSession);

    const StreamSession &result() const { return m_result; }

Q_SIGNALS:
    void succeeded(const gls::gamelift::StreamSession &session);

protected:
    void run() override;

private:
    StreamSession m_result;
};

} // namespace gls::gamelift
