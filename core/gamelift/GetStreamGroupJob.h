#pragma once

// GetStreamGroup (GET /streamgroups/{Identifier}): one stream group with its
// locations and associated applications.

#include "ApiJob.h"
#include "StreamGroup.h"

namespace gls::gamelift {

class GetStreamGroupJob : public ApiJob {
    Q_OBJECT
public:
    // `identifier`: the stream group's ID ("sg-1AB2C3De4") or ARN.
    GetStreamGroupJob(GameLiftClient *client, QString identifier);

    QString identifier() const { return m_identifier; }
    const StreamGroup &result() const { return m_result; }

Q_SIGNALS:
    void succeeded(const gls::gamelift::StreamGroup &group);

protected:
    QString validate() const override;
    void run() override;

private:
    QString m_identifier;
    StreamGroup m_result;
};

} // namespace gls::gamelift
