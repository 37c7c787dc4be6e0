#include "PagedJob.h"

#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace gls::gamelift {

namespace {

template <typename Parsed>
Parsed parse(const QByteArray &body)
{
    Parsed parsed;
    json::parseObject(body, &parsed.body, &parsed.problem);
    return parsed;
}

} // namespace

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
    QString next;
    if (!json::peekNextToken(response.body, &next) || next.isEmpty() || next == token) {
        handlePage(token, response, parse<Parsed>(response.body), {});
        return;
    }
    // Ask for the next page now (the request leaves a few event-loop turns
    // later) and parse this one on a pool thread meanwhile.
    m_waiting = Waiting{token, response, next};
    requestPage(next);
    if (!m_parsing) {
        m_parsing = new QFutureWatcher<Parsed>(this);
        connect(m_parsing, &QFutureWatcher<Parsed>::finished, this, &PagedJob::onParsed);
        // The job's own thread, so no other work in a shared pool can hold a page back.
        m_parser = new QThreadPool(this);
        m_parser->setMaxThreadCount(1);
    }
    auto promise = std::make_shared<QPromise<Parsed>>();
    m_parsing->setFuture(promise->future());
    promise->start();
    m_parser->start([promise, body = response.body] {
        promise->addResult(parse<Parsed>(body));
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
    QString next;
    QString problem = parsed.problem;
    if (!problem.isEmpty() || !takePage(parsed.body, &next, &problem)) {
        failInvalidResponse(response, problem); // also aborts the next page's request if it was sent
        return;
    }
    if (!next.isEmpty() && next == token) {
        failInvalidResponse(response, QStringLiteral("the service returned the NextToken it was given"));
        return;
    }
    if (!requested.isEmpty() && next != requested) {
        failInvalidResponse(response, QStringLiteral("NextToken: the body holds more than one"));
        return;
    }
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
