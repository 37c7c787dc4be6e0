#include "PagedJob.h"

#include <QPromise>
#include <QThread>
#include <QThreadPool>

#include <memory>

namespace gls::gamelift {

namespace {

// The threads that parse and decode pages, shared by every listing and used
// by nothing else (so no other work holds a page back). A job has at most
// one page there at a time; its task holds no pointer to the job, so a job
// destroyed meanwhile does not wait for it. A thread of each job's own cost
// the job's thread 5% of a 10,000-session listing in the desktop app (20
// groups: 20 threads started per refresh).
class PagePool : public QThreadPool {
public:
    PagePool() { setMaxThreadCount(qMax(2, QThread::idealThreadCount())); }
};
Q_GLOBAL_STATIC(PagePool, pagePool)

} // namespace

PagedJob::Parsed PagedJob::parse(PageDecoder decode, const QByteArray &body)
{
    Parsed parsed;
    parsed.page = decode(body, &parsed.problem);
    if (!parsed.page && parsed.problem.isEmpty())
        parsed.problem = QStringLiteral("the page could not be read");
    return parsed;
}

void PagedJob::run()
{
    requestPage({});
}

void PagedJob::requestPage(const QString &token)
{
    aws::AwsRequest request = pageRequest();
    if (!token.isEmpty())
        request.query.append({"NextToken", token.toUtf8()}); // decoded; the transport encodes '+', '/', '='
    send(std::move(request), [this, token](const aws::AwsResponse &response) { onPage(token, response); });
}

void PagedJob::onPage(const QString &token, const aws::AwsResponse &response)
{
    if (m_waiting) { // the page before this one goes first: pages stay in order
        m_arrived = Arrived{token, response};
        return;
    }
    // When the bytes name the next page, ask for it now (the request leaves a
    // few event-loop turns later). This page is parsed and decoded on a
    // parsing thread meanwhile, the last one too: the job's thread is then
    // free for the other listings under way (20 groups: 20 last pages).
    QString next;
    if (!json::peekNextToken(response.body, &next) || next == token)
        next.clear(); // handlePage says what is wrong, from the parsed page
    m_waiting = Waiting{token, response, next};
    if (!next.isEmpty())
        requestPage(next);
    if (!m_parsing) {
        m_parsing = new QFutureWatcher<Parsed>(this);
        connect(m_parsing, &QFutureWatcher<Parsed>::finished, this, &PagedJob::onParsed);
    }
    auto promise = std::make_shared<QPromise<Parsed>>();
    m_parsing->setFuture(promise->future());
    promise->start();
    pagePool()->start([promise, decode = pageDecoder(), body = response.body] {
        promise->addResult(parse(decode, body));
        promise->finish();
    });
}

void PagedJob::onParsed()
{
    if (!m_waiting || !m_parsing->future().isResultReadyAt(0))
        return;
    const Waiting waiting = std::move(*m_waiting);
    m_waiting.reset();
    const Parsed parsed = m_parsing->future().result();
    if (isFinished())
        return;
    QPointer<ApiJob> guard(this);
    handlePage(waiting.token, waiting.response, parsed, waiting.requested);
    if (!guard || isFinished() || !m_arrived)
        return;
    const Arrived arrived = std::move(*m_arrived);
    m_arrived.reset();
    onPage(arrived.token, arrived.response);
}

void PagedJob::handlePage(
    const QString &token, const aws::AwsResponse &response, const Parsed &parsed, const QString &requested)
{
    if (!parsed.page) {
        failInvalidResponse(response, parsed.problem); // also aborts the next page's request if it was sent
        return;
    }
    const QString next = parsed.page->nextToken;
    if (!next.isEmpty() && next == token) {
        failInvalidResponse(response, QStringLiteral("the service returned the NextToken it was given"));
        return;
    }
    if (!requested.isEmpty() && next != requested) {
        failInvalidResponse(response, QStringLiteral("NextToken: the body holds more than one"));
        return;
    }
    takePage(*parsed.page);
    ++m_pages;
    QPointer<ApiJob> guard(this);
    emitPage();
    if (!guard || isFinished()) // a slot aborted the job
        return;
    if (!requested.isEmpty()) // the next page is on its way
        return;
    if (next.isEmpty())
        succeed([this] { emitSucceeded(); });
    else
        requestPage(next);
}

} // namespace gls::gamelift
