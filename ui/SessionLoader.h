#pragma once

// Fetches every page of ListStreamSessionsByAccount in the background and
// merges each into a SessionTableModel as it arrives (a refresh). On demand
// (refresh()) and every interval (setAutoRefreshMs). A refresh asked while
// one runs is ignored; a failed one leaves the rows as they were.

#include "aws/AwsError.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace gls::gamelift {
class GameLiftClient;
class ListStreamSessionsJob;
} // namespace gls::gamelift

namespace gls::ui {

class SessionTableModel;

class SessionLoader : public QObject {
    Q_OBJECT
public:
    SessionLoader(SessionTableModel *model, QObject *parent = nullptr);
    ~SessionLoader() override;

    // The client to list with; changing it (another Region) empties the model.
    void setClient(gamelift::GameLiftClient *client);
    void setAutoRefreshMs(int ms); // 0: off
    bool isLoading() const { return !m_job.isNull(); }

    void refresh();

Q_SIGNALS:
    void started();
    void progress(int pages, int sessions);
    void finished(int sessions);
    void failed(const gls::aws::AwsError &error);

private:
    SessionTableModel *m_model;
    QPointer<gamelift::GameLiftClient> m_client;
    QPointer<gamelift::ListStreamSessionsJob> m_job;
    QTimer *m_timer;
    int m_pages = 0;
    int m_sessions = 0;
};

} // namespace gls::ui
