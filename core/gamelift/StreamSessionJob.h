#pragma once

// The common part of the jobs that address one stream session
// (GetStreamSession, ExportStreamSessionFiles, TerminateStreamSession): the
// two identifiers (each an ID or an ARN), their validation, and the path
// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier} with
// both labels encoded.

#include "ApiJob.h"

namespace gls::gamelift {

class StreamSessionJob : public ApiJob {
    Q_OBJECT
public:
    QString streamGroup() const { return m_streamGroup; }
    QString streamSession() const { return m_streamSession; }

protected:
    StreamSessionJob(GameLiftClient *client, QString operation, QString streamGroup, QString streamSession);

    // The first problem with either identifier.
    QString validate() const override;
    QByteArray sessionPath() const;

private:
    QString m_streamGroup;
    QString m_streamSession;
};

} // namespace gls::gamelift
