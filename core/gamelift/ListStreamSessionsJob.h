#pragma once

// ListStreamSessions (GET /streamgroups/{Identifier}/streamsessions) or, with
// no stream group, ListStreamSessionsByAccount (GET /streamsessions),
// followed through NextToken to the last page. page() is emitted for each
// page as it arrives; succeeded() carries every session at the end.
// The account listing's ExportFilesMetadata holds only Status (use
// GetStreamSession for OutputUri and StatusReason).

#include "PagedJob.h"
#include "StreamSession.h"
#include "Validation.h"

#include <QList>

namespace gls::gamelift {

struct ListStreamSessionsRequest {
    QString streamGroup;       // ID or ARN; empty: every session of the account
    QString status;            // StreamSessionStatus filter; empty: any
    QString exportFilesStatus; // ExportFilesStatus filter; empty: any
    int maxResults = 100;      // sessions per page, 1..100
    // Filter values outside KnownValues.h are refused unless this says Allow.
    UnknownValues unknownFilterValues = UnknownValues::Refuse;
};

class ListStreamSessionsJob : public PagedJob, public PageCollector<StreamSessionSummary> {
    Q_OBJECT
public:
    ListStreamSessionsJob(GameLiftClient *client, ListStreamSessionsRequest request);

    const ListStreamSessionsRequest &request() const { return m_request; }

Q_SIGNALS:
    void page(const QList<gls::gamelift::StreamSessionSummary> &items);
    void succeeded(const QList<gls::gamelift::StreamSessionSummary> &items);

protected:
    QString validate() const override;
    aws::AwsRequest pageRequest() const override;
    PageDecoder pageDecoder() const override { return &decodePage; }
    void takePage(DecodedPage &page) override { collect(page); }
    void emitPage() override { Q_EMIT page(m_lastPage); }
    void emitSucceeded() override { Q_EMIT succeeded(finalItems()); }

private:
    // The bytes read straight when they hold the usual page, else through
    // QJsonDocument (json::readStreamSessionPageQuickly).
    static std::shared_ptr<DecodedPage> decodePage(const QByteArray &body, QString *problem);

    ListStreamSessionsRequest m_request;
};

} // namespace gls::gamelift
