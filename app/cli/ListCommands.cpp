#include "ListCommands.h"

#include "Format.h"
#include "JsonFields.h"
#include "Output.h"
#include "Table.h"

#include "gamelift/AccountSessionsJob.h"
#include "gamelift/GameLiftClient.h"
#include "gamelift/ListStreamGroupsJob.h"
#include "gamelift/ListStreamSessionsJob.h"
#include "gamelift/Validation.h"

#include <QJsonArray>

#include <algorithm>
#include <functional>
#include <type_traits>

namespace gls::cli {

namespace {

// A listing for people (a table, or `empty` when there is nothing) or, with
// --json, {"<key>": [...], "count": N}.
template <typename T>
void writeListing(Output *out, const QList<T> &items, const QString &key, const QString &empty,
    QJsonObject (*toJson)(const T &), const QStringList &headers,
    const std::function<QList<Table::Cell>(const T &)> &row)
{
    if (out->json()) {
        QJsonArray array;
        for (const T &item : items)
            array.append(toJson(item));
        out->writeJson({{key, array}, {QStringLiteral("count"), array.size()}});
    } else if (items.isEmpty()) {
        out->write(empty + QLatin1Char('\n'));
    } else {
        Table table(headers);
        for (const T &item : items)
            table.addRow(row(item));
        out->write(table.render(out->colour()));
    }
}

QList<Table::Cell> groupRow(const gamelift::StreamGroupSummary &g)
{
    return {{g.idOrFromArn()}, {g.status, toneForStatus(g.status)}, {g.streamClass}, {g.description},
        {displayTime(g.createdAt)}};
}

QList<Table::Cell> sessionRow(const gamelift::StreamSessionSummary &s)
{
    const QString exportStatus = s.exportFilesMetadata ? s.exportFilesMetadata->status : QString();
    return {{s.idFromArn()}, {s.streamGroupIdFromArn()}, {s.status, toneForStatus(s.status)}, {s.userId}, {s.location},
        {displayTime(s.createdAt)}, {exportStatus, toneForStatus(exportStatus)}};
}

} // namespace

void GroupsCommand::start()
{
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    auto *job = client->listStreamGroups();
    connect(job, &gamelift::ApiJob::failed, this, &GroupsCommand::finishWithError);
    connect(job, &gamelift::ListStreamGroupsJob::succeeded, this, [this](QList<gamelift::StreamGroupSummary> groups) {
        std::stable_sort(groups.begin(), groups.end(), [](const auto &a, const auto &b) {
            return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.idOrFromArn() < b.idOrFromArn();
        });
        writeListing<gamelift::StreamGroupSummary>(out(), groups, QStringLiteral("streamGroups"),
            QStringLiteral("No stream groups."), &json::streamGroup,
            {QStringLiteral("Id"), QStringLiteral("Status"), QStringLiteral("Stream class"),
                QStringLiteral("Description"), QStringLiteral("Created")},
            groupRow);
        finish(code(ExitCode::Ok));
    });
    job->start();
}

void SessionsCommand::start()
{
    gamelift::ListStreamSessionsRequest request;
    request.streamGroup = args().value(QStringLiteral("group"));
    request.status = args().value(QStringLiteral("status"));
    request.exportFilesStatus = args().value(QStringLiteral("export-status"));
    const auto given = [this](const char *option, const QString &value) {
        return args().isSet(QLatin1String(option)) && value.isEmpty()
            ? QStringLiteral("--%1: give a value (see gls-exporter-cli help sessions)").arg(QLatin1String(option))
            : QString();
    };
    const QStringList problems{
        args().isSet(QStringLiteral("group"))
            ? gamelift::identifierProblem(request.streamGroup, QStringLiteral("--group"))
            : QString(),
        given("status", request.status),
        gamelift::streamSessionStatusFilterProblem(
            request.status, gamelift::UnknownValues::Refuse, QStringLiteral("--status")),
        given("export-status", request.exportFilesStatus),
        gamelift::exportFilesStatusFilterProblem(
            request.exportFilesStatus, gamelift::UnknownValues::Refuse, QStringLiteral("--export-status")),
    };
    for (const QString &problem : problems) {
        if (!problem.isEmpty()) {
            usage(problem);
            return;
        }
    }
    gamelift::GameLiftClient *client = gameLift();
    if (!client)
        return;
    // Every session: group by group, all groups at once (AccountSessionsJob.h).
    if (request.streamGroup.isEmpty())
        follow(new gamelift::AccountSessionsJob(client, request, this));
    else
        follow(client->listStreamSessions(request));
}

template <typename Job>
void SessionsCommand::follow(Job *job)
{
    connect(job, &Job::failed, this, &SessionsCommand::finishWithError);
    if (out()->showsProgress()) {
        connect(job, &Job::page, this, [this, job] {
            out()->progress(QStringLiteral("Listing stream sessions: %1 so far").arg(job->itemCount()));
        });
    }
    if (out()->json()) {
        // Each page written as it arrives (SessionListDocument), then let go:
        // the job keeps no session for the end.
        job->setKeepItems(false);
        connect(job, &Job::page, this, [this](const QList<gamelift::StreamSessionSummary> &items) {
            m_document.add(items);
        });
        // Refused group by group after some groups' pages came, the listing
        // starts over account-wide: those pages would be written twice.
        if constexpr (std::is_same_v<Job, gamelift::AccountSessionsJob>)
            connect(job, &Job::restarted, this, [this] { m_document.clear(); });
    }
    connect(
        job, &Job::succeeded, this, [this](const QList<gamelift::StreamSessionSummary> &sessions) {
            if (out()->json()) {
                m_document.write([this](const QByteArray &chunk) { out()->writeBytes(chunk); });
                finish(code(ExitCode::Ok));
                return;
            }
            // Newest first: the sessions people ask about are usually the recent ones. Sorted
            // by pointer: 10,000 summaries are not copied or moved.
            QList<const gamelift::StreamSessionSummary *> order;
            order.reserve(sessions.size());
            for (const gamelift::StreamSessionSummary &s : sessions)
                order.append(&s);
            std::stable_sort(order.begin(), order.end(), [](const auto *a, const auto *b) {
                return json::listedBefore(
                    json::listingTimeKey(a->createdAt), a->arn, json::listingTimeKey(b->createdAt), b->arn);
            });
            if (order.isEmpty()) {
                out()->write(QStringLiteral("No stream sessions.\n"));
            } else {
                Table table({QStringLiteral("Session ID"), QStringLiteral("Group"), QStringLiteral("Status"),
                    QStringLiteral("User"), QStringLiteral("Location"), QStringLiteral("Created"),
                    QStringLiteral("Export")});
                for (const gamelift::StreamSessionSummary *s : std::as_const(order))
                    table.addRow(sessionRow(*s));
                out()->write(table.render(out()->colour()));
            }
            finish(code(ExitCode::Ok));
        });
    job->start();
}

} // namespace gls::cli
