#pragma once

// ListStreamGroups (GET /streamgroups), followed through NextToken to the
// last page. page() is emitted for each page as it arrives, so a view can
// fill in progressively; succeeded() carries every stream group at the end.

#include "PagedJob.h"
#include "StreamGroup.h"

#include <QList>

namespace gls::gamelift {

class ListStreamGroupsJob : public PagedJob, public PageCollector<StreamGroupSummary> {
    Q_OBJECT
public:
    // `maxResults`: stream groups per page, 1..100.
    explicit ListStreamGroupsJob(GameLiftClient *client, int maxResults = 100);

Q_SIGNALS:
    void page(const QList<gls::gamelift::StreamGroupSummary> &items);
    void succeeded(const QList<gls::gamelift::StreamGroupSummary> &items);

protected:
    QString validate() const override;
    aws::AwsRequest pageRequest() const override;
    PageDecoder pageDecoder() const override { return &decodeWith<json::decodeStreamGroupPage>; }
    void takePage(DecodedPage &page) override { collect(page); }
    void emitPage() override { Q_EMIT page(m_lastPage); }
    void emitSucceeded() override { Q_EMIT succeeded(finalItems()); }

private:
    int m_maxResults;
};

} // namespace gls::gamelift
