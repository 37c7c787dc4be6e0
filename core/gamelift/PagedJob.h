#pragma once

// The pagination shared by the listing jobs: sends the first page's request,
// then follows NextToken until the service gives none, emitting the
// subclass's per-page signal after each page and its result signal at the
// end. A service that hands back the token it was given would loop for
// ever: that fails the job instead.
//
// The next page's request leaves as soon as this page's NextToken is known
// (json::peekNextToken reads it from the bytes): this page is parsed and
// decoded into items on a parsing thread meanwhile, so the service
// preparing the next page, the decoding and the sending work at the same
// time. Pages are still kept (takePage) and emitted in order on the job's
// thread; a page that cannot be read fails the job and aborts the request
// already sent for the next one.

#include "ApiJob.h"
#include "GameLiftJson.h"

#include <QFutureWatcher>
#include <QJsonObject>
#include <QList>

#include <memory>
#include <optional>
#include <utility>

namespace gls::gamelift {

// A page's items, decoded; what they are is the listing job's business.
struct DecodedPage {
    virtual ~DecodedPage() = default;
    QString nextToken; // empty: the last page
};
// Decodes one page's body; null with *problem (naming the member) when it
// cannot be read. It runs on the parsing thread, so it is a plain function of
// its arguments: it touches no job, and may outlive the one that asked.
using PageDecoder = std::shared_ptr<DecodedPage> (*)(const QByteArray &body, QString *problem);

class PagedJob : public ApiJob {
    Q_OBJECT
public:
    int pageCount() const { return m_pages; }

protected:
    using ApiJob::ApiJob;

    // The request for a page, without NextToken (added here).
    virtual aws::AwsRequest pageRequest() const = 0;
    virtual PageDecoder pageDecoder() const = 0;
    // Keeps a decoded page's items (on the job's thread, pages in order).
    virtual void takePage(DecodedPage &page) = 0;
    // Emit the per-page signal for the page just taken / the result signal.
    virtual void emitPage() = 0;
    virtual void emitSucceeded() = 0;

    void run() override;

private:
    struct Parsed {
        std::shared_ptr<DecodedPage> page;
        QString problem; // not empty: the body could not be read
    };
    static Parsed parse(PageDecoder decode, const QByteArray &body);
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
    int m_pages = 0;
};

// What a listing job keeps: the page just taken (for its per-page signal) and
// every item so far (for its result signal and items()). Pages are kept as
// they came and joined into one list only when items() or takeItems() asks:
// 10,000 sessions are then moved once into a list of the right size, instead
// of copied page by page into a list that grows (with the copy in
// AccountSessionsJob, about 4% of a 10,000-session listing's time).
template <typename Item>
class PageCollector {
public:
    const QList<Item> &items() const
    {
        join();
        return m_items;
    }
    qsizetype itemCount() const { return m_items.size() + m_waitingCount + m_droppedCount; }
    // Off: each page's items are let go once its per-page signal has been
    // emitted, and items() stays empty (itemCount() still counts them). For a
    // caller that uses every page as it comes: 10,000 sessions are then never
    // all in memory at once, and their memory is reused page after page.
    void setKeepItems(bool keep) { m_keepItems = keep; }
    // Every item, moved out; the job keeps none.
    QList<Item> takeItems()
    {
        join();
        return std::exchange(m_items, {});
    }

protected:
    struct Decoded : DecodedPage {
        QList<Item> items;
    };
    // A PageDecoder from a json:: page decoder (through QJsonDocument).
    template <bool (*decode)(const QJsonObject &, Page<Item> *, QString *)>
    static std::shared_ptr<DecodedPage> decodeWith(const QByteArray &body, QString *problem)
    {
        QJsonObject object;
        if (!json::parseObject(body, &object, problem))
            return {};
        Page<Item> page;
        if (!decode(object, &page, problem))
            return {};
        return decoded(std::move(page));
    }

    static std::shared_ptr<DecodedPage> decoded(Page<Item> &&page)
    {
        auto out = std::make_shared<Decoded>();
        out->items = std::move(page.items);
        out->nextToken = std::move(page.nextToken);
        return out;
    }

    void collect(DecodedPage &decoded)
    {
        m_lastPage = std::move(static_cast<Decoded &>(decoded).items);
        if (!m_keepItems) {
            m_droppedCount += m_lastPage.size(); // the next page (or finalItems) lets this one go
            return;
        }
        m_waiting.append(m_lastPage); // shares the page: no item copied
        m_waitingCount += m_lastPage.size();
    }

    // items(), once the last page is in: m_lastPage lets its page go, so
    // that page's items are moved too.
    const QList<Item> &finalItems()
    {
        m_lastPage = QList<Item>();
        return items();
    }

    QList<Item> m_lastPage;

private:
    // Appends the waiting pages to m_items: each item moved when its page is
    // no longer shared (with m_lastPage, or a slot that kept it), else copied.
    void join() const
    {
        if (m_waiting.isEmpty())
            return;
        m_items.reserve(m_items.size() + m_waitingCount);
        for (QList<Item> &waiting : m_waiting) {
            if (waiting.isDetached()) {
                for (Item &item : waiting)
                    m_items.append(std::move(item));
            } else {
                m_items.append(std::as_const(waiting));
            }
        }
        m_waiting.clear();
        m_waitingCount = 0;
    }

    bool m_keepItems = true;
    qsizetype m_droppedCount = 0;
    mutable QList<QList<Item>> m_waiting;
    mutable qsizetype m_waitingCount = 0;
    mutable QList<Item> m_items;
};

} // namespace gls::gamelift
