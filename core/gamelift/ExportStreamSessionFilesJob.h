#pragma once

// ExportStreamSessionFiles (PUT /streamgroups/{Identifier}/streamsessions/
// {StreamSessionIdentifier}/exportfiles, body {"OutputUri": ...}). The
// service accepts it while the session is ACTIVE, CONNECTED,
// PENDING_CLIENT_RECONNECTION or RECONNECTING, and writes the ZIP when the
// session ends; follow it with GetStreamSession's ExportFilesMetadata. The
// operation is idempotent, so the transport may safely send it again.

#include "StreamSessionJob.h"

namespace gls::gamelift {

class ExportStreamSessionFilesJob : public StreamSessionJob {
    Q_OBJECT
public:
    // Each identifier is an ID or an ARN; `outputUri` is "s3://bucket/folder/"
    // or "s3://bucket/name.zip" (Validation.h, outputUriProblem).
    ExportStreamSessionFilesJob(GameLiftClient *client, QString streamGroup, QString streamSession, QString outputUri);

    QString outputUri() const { return m_outputUri; }

Q_SIGNALS:
    void succeeded();

protected:
    QString validate() const override;
    void run() override;

private:
    QString m_outputUri;
};

} // namespace gls::gamelift
