#pragma once

// The pagination shared by the listing jobs: sends the first page's request,
// then follows NextToken until the service gives none, emitting the
// subclass's per-page signal after each page and its result signal at the
// end. A service that hands back the token it was given would loop for
// ever: that fails the job instead.
//
// The next page's request leaves as soon as this page's NextToken is known
// (json::peekNextToken reads it from the bytes): this page's JSON is parsed on
// a pool thread meanwhile, so the service preparing the next page, the
// parsing and the sending work at the same time. Pages are still decoded
// (takePage), emitted and kept in order on the job's thread; a page that
// cannot be read fails the job and aborts the request already sent for the
// next one.

#include "ApiJob.h"
#include "GameLiftJson.h"

#include <QFutureWatcher>
#include <QJsonObject>
#include <QList>

#include <optional>

class QThreadPool;

namespace gls::gamelift {

class PagedJob : public ApiJob {
    Q_OBJECT
public:
    int pageCount() const { return m_pages; }

protected:
    using ApiJob::ApiJob;

    // The request for a page, without NextToken (added here).
    virtual aws::AwsRequest pageRequest() const = 0;
    // Decodes one page's body, keeps its items and returns its NextToken;
    // false with *problem (naming the member) when the body cannot be read.
    virtual bool takePage(const QJsonObject &body, QString *nextToken, QString *problem) = 0;
    // Emit the per-page signal for the page just taken / the result signal.
    virtual void emitPage() = 0;
    virtual void emitSucceeded() = 0;

    void run() override;

private:
    struct Parsed {
        QJsonObject body;
        QString problem; // not empty: the body is not a JSON object
    };
    // A page being parsed on a pool thread; its successor already asked for.
    struct Waiting {
        QString token;
        aws::AwsResponse response;
        QString requested;
    };
    // A page that arrived while the one before it was still being parsed.
    struct Arrived {
        QString token;
        aws::AwsResponse response;
    };

    void requestPage(const QString &token);
    void onPage(const QString &token, const aws::AwsResponse &response);
    void onParsed();
    // Decodes and emits one parsed page; `requested`: the NextToken whose page
    // was already asked for (empty: none yet).
    void handlePage(const QString &token, const aws::AwsResponse &response, const Parsed &parsed,
        const QString &requested);

    std::optional<Waiting> m_waiting;
    std::optional<Arrived> m_arrived;
    QFutureWatcher<Parsed> *m_parsing = nullptr;
    QThreadPool *m_parser = nullptr; // one thread; its destruction waits for a parse in progress
    int m_pages = 0;
};

// What a listing job keeps: the page just taken (for its per-page signal) and
// every item so far (for its result signal and items()).
template <typename Item>
class PageCollector {
public:
    const QList<Item> &items() const { return m_items; }

protected:
    using Decoder = bool (*)(const QJsonObject &, Page<Item> *, QString *);

    bool collect(Decoder decode, const QJsonObject &body, QString *nextToken, QString *problem)
    {
        Page<Item> page;
        if (!decode(body, &page, problem))
            return false;
        m_items += page.items;
        m_lastPage = std::move(page.items);
        *nextToken = page.nextToken;
        return true;
    }

    QList<Item> m_lastPage;
    QList<Item> m_items;
};

} // namespace gls::gamelift
