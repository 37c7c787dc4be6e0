#pragma once

// TerminateStreamSession (DELETE /streamgroups/{Identifier}/streamsessions/
// {StreamSessionIdentifier}, 204). The session moves to TERMINATING; a
// session still ACTIVATING cannot be terminated (the service refuses).
// Idempotent: the transport may safely send it again.

#include "StreamSessionJob.h"

namespace gls::gamelift {

class TerminateStreamSessionJob : public StreamSessionJob {
    Q_OBJECT
public:
    // Each identifier is an ID or an ARN.
    TerminateStreamSessionJob(GameLiftClient *client, QString streamGroup, QString streamSession);

Q_SIGNALS:
    void succeeded();

protected:
    void run() override;
};

} // namespace gls::gamelift
