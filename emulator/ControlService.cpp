#include "ControlService.h"

#include "AccessPolicy.h"
#include "AwsErrors.h"
#include "EmulatorState.h"
#include "FaultInjector.h"
#include "IdentityStore.h"
#include "ObjectStore.h"
#include "RateLimiter.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gls::emu {

void RequestStats::record(const QString &operation, int status)
{
    ++m_counts[operation];
    ++m_byStatus[operation][status];
    ++m_total;
}

void RequestStats::recordExportRequest(const QString &sessionId)
{
    ++m_exportsBySession[sessionId];
}

void RequestStats::reset()
{
    m_exportsBySession.clear();
    m_counts.clear();
    m_byStatus.clear();
    m_total = 0;
}

QJsonObject RequestStats::toJson() const
{
    QJsonObject counts;
    QJsonObject statuses;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        counts.insert(it.key(), it.value());
        QJsonObject byStatus;
        const auto &per = m_byStatus.value(it.key());
        for (auto s = per.cbegin(); s != per.cend(); ++s)
            byStatus.insert(s.key() == 0 ? QStringLiteral("reset") : QString::number(s.key()), s.value());
        statuses.insert(it.key(), byStatus);
    }
    QJsonObject exports;
    for (auto it = m_exportsBySession.cbegin(); it != m_exportsBySession.cend(); ++it)
        exports.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("total"), m_total},
                       {QStringLiteral("requests"), counts},
                       {QStringLiteral("statuses"), statuses},
                       {QStringLiteral("exportRequestsBySession"), exports}};
}

namespace {

constexpr auto kPrefix = "/_emulator/";

HttpResponse ok(const QJsonObject &o, int status = 200)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    r.setHeader("Content-Type", "application/json");
    return r;
}

HttpResponse problem(int status, const QString &message)
{
    return ok(QJsonObject{{QStringLiteral("error"), message}}, status);
}

bool readBody(const HttpRequest &req, QJsonObject *out, QString *error)
{
    if (req.body.trimmed().isEmpty())
        return true;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("the body must be a JSON object (%1)").arg(pe.errorString());
        return false;
    }
    *out = doc.object();
    return true;
}

} // namespace

ControlService::ControlService(EmulatorState *state, ObjectStore *store, AccessPolicy *policy, FaultInjector *faults,
                               RateLimiter *limiter, RequestStats *stats, IdentityStore *identities)
    : m_state(state)
    , m_store(store)
    , m_policy(policy)
    , m_faults(faults)
    , m_limiter(limiter)
    , m_stats(stats)
    , m_identities(identities)
{
}

bool ControlService::handles(const HttpRequest &req)
{
    return req.path.startsWith(kPrefix);
}

HttpResponse ControlService::handle(const HttpRequest &req)
{
    const QStringList parts = QString::fromUtf8(sigv4::percentDecode(req.path.mid(qstrlen(kPrefix))))
                                  .split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QByteArray &m = req.method;
    const QString head = parts.value(0);
    QJsonObject body;
    QString error;
    if (!readBody(req, &body, &error))
        return problem(400, error);

    if (head == QLatin1String("health") && m == "GET")
        return ok(QJsonObject{{QStringLiteral("ok"), true}});
    if (head == QLatin1String("state") && m == "GET")
        return ok(m_state->summary());
    if (head == QLatin1String("stats")) {
        if (m == "GET")
            return ok(m_stats->toJson());
        if (m == "DELETE" || (m == "POST" && parts.value(1) == QLatin1String("reset"))) {
            m_stats->reset();
            return ok(m_stats->toJson());
        }
    }
    if (head == QLatin1String("faults")) {
        if (m == "GET")
            return ok(m_faults->toJson());
        if (m == "PUT" || m == "POST") {
            if (!m_faults->applyJson(body, &error))
                return problem(400, error);
            return ok(m_faults->toJson());
        }
        if (m == "DELETE") {
            m_faults->clear();
            return ok(m_faults->toJson());
        }
    }
    if (head == QLatin1String("settings") && (m == "PUT" || m == "POST")) {
        if (body.contains(QStringLiteral("timeScale"))) {
            const double scale = body.value(QStringLiteral("timeScale")).toDouble();
            if (scale <= 0)
                return problem(400, QStringLiteral("'timeScale' must be a number greater than 0"));
            m_state->setTimeScale(scale);
        }
        if (body.contains(QStringLiteral("rateLimit"))) {
            const double rate = body.value(QStringLiteral("rateLimit")).toDouble(-1);
            if (rate < 0)
                return problem(400, QStringLiteral("'rateLimit' must be 0 (off) or a positive number of requests per second"));
            m_limiter->setRate(rate);
        }
        if (body.contains(QStringLiteral("credentialLifetimeSeconds"))) {
            const double seconds = body.value(QStringLiteral("credentialLifetimeSeconds")).toDouble(-1);
            if (seconds < 0 || seconds > 129600 || seconds != qint64(seconds))
                return problem(400, QStringLiteral("'credentialLifetimeSeconds' must be 0 (off) or whole seconds up to 129600"));
            m_identities->setCredentialLifetimeSeconds(qint64(seconds));
        }
        if (body.contains(QStringLiteral("deny"))) {
            QStringList actions;
            for (const QJsonValue &v : body.value(QStringLiteral("deny")).toArray()) {
                if (!AccessPolicy::isValidAction(v.toString()))
                    return problem(400, QStringLiteral("'deny' takes IAM actions such as "
                                                       "\"gameliftstreams:ExportStreamSessionFiles\", \"s3:GetObject\" or "
                                                       "\"sts:AssumeRole\""));
                actions.append(v.toString());
            }
            m_policy->setDenied(actions);
        }
        return ok(QJsonObject{{QStringLiteral("timeScale"), m_state->timeScale()},
                              {QStringLiteral("rateLimit"), m_limiter->rate()},
                              {QStringLiteral("deny"), QJsonArray::fromStringList(m_policy->denied())},
                              {QStringLiteral("credentialLifetimeSeconds"), m_identities->credentialLifetimeSeconds()}});
    }
    if (head == QLatin1String("buckets") && parts.size() == 2 && (m == "PUT" || m == "POST")) {
        const QString region = body.value(QStringLiteral("region")).toString(m_state->regions().value(0));
        if (!m_store->createBucket(parts.at(1), region, &error))
            return problem(400, error);
        return ok(QJsonObject{{QStringLiteral("bucket"), parts.at(1)}, {QStringLiteral("region"), region}});
    }
    if (head == QLatin1String("sessions"))
        return sessionsRoute(req, parts);
    if (head == QLatin1String("roles") || head == QLatin1String("sso"))
        return identityRoute(req, parts, body);
    return problem(404, QStringLiteral("no control operation %1 %2").arg(QString::fromLatin1(m), QString::fromUtf8(req.path)));
}

HttpResponse ControlService::sessionsRoute(const HttpRequest &req, const QStringList &parts)
{
    QJsonObject body;
    QString error;
    readBody(req, &body, &error);
    // POST /_emulator/sessions {"streamGroupId": "...", "status": "ACTIVE", "location": "..."}
    if (parts.size() == 1 && req.method == "POST") {
        const QString groupId = body.value(QStringLiteral("streamGroupId")).toString();
        const QString status = body.value(QStringLiteral("status")).toString(QStringLiteral("ACTIVE"));
        if (!model::kSessionStatuses.contains(status))
            return problem(400, QStringLiteral("'status' must be one of %1").arg(model::kSessionStatuses.join(QStringLiteral(", "))));
        const StreamGroup *group = nullptr;
        for (const QString &region : m_state->regions()) {
            if ((group = m_state->findGroup(region, groupId)))
                break;
        }
        if (!group)
            return problem(404, QStringLiteral("no stream group '%1'").arg(groupId));
        const StreamSession *s = m_state->createSession(*group, status, body.value(QStringLiteral("location")).toString());
        return ok(QJsonObject{{QStringLiteral("streamSessionId"), s->id},
                              {QStringLiteral("arn"), m_state->sessionArn(*s)},
                              {QStringLiteral("streamGroupId"), s->groupId},
                              {QStringLiteral("region"), s->region},
                              {QStringLiteral("status"), s->status}},
                  201);
    }
    // POST /_emulator/sessions/{id}/end {"reason": "applicationExit"}
    if (parts.size() == 3 && parts.at(2) == QLatin1String("end") && req.method == "POST") {
        StreamSession *s = m_state->findSessionById(parts.at(1));
        if (!s)
            return problem(404, QStringLiteral("no stream session '%1'").arg(parts.at(1)));
        const QString reason = body.value(QStringLiteral("reason")).toString(QStringLiteral("applicationExit"));
        m_state->endNow(*s, reason);
        return ok(QJsonObject{{QStringLiteral("streamSessionId"), s->id}, {QStringLiteral("status"), s->status},
                              {QStringLiteral("statusReason"), s->statusReason}});
    }
    return problem(404, QStringLiteral("no control operation %1 %2")
                            .arg(QString::fromLatin1(req.method), QString::fromUtf8(req.path)));
}

// Roles STS can assume, and SSO portal access tokens.
HttpResponse ControlService::identityRoute(const HttpRequest &req, const QStringList &parts, const QJsonObject &body)
{
    const QByteArray &m = req.method;
    // GET /_emulator/roles
    if (parts.size() == 1 && parts.at(0) == QLatin1String("roles") && m == "GET") {
        QJsonArray roles;
        for (const Role &r : m_identities->roles())
            roles.append(r.toJson());
        return ok(QJsonObject{{QStringLiteral("roles"), roles}});
    }
    // POST /_emulator/roles {"arn", "mfaSerial", "mfaCode", "externalId", "maxDurationSeconds"}
    if (parts.size() == 1 && parts.at(0) == QLatin1String("roles") && (m == "POST" || m == "PUT")) {
        Role role;
        role.arn = body.value(QStringLiteral("arn")).toString();
        role.mfaSerial = body.value(QStringLiteral("mfaSerial")).toString();
        role.mfaCode = body.value(QStringLiteral("mfaCode")).toString().toLatin1();
        role.externalId = body.value(QStringLiteral("externalId")).toString();
        role.maxDurationSeconds = body.value(QStringLiteral("maxDurationSeconds")).toInt(3600);
        QString error;
        if (!m_identities->addRole(role, &error))
            return problem(400, error);
        return ok(role.toJson(), 201);
    }
    // POST /_emulator/sso/tokens {"accountId", "roleName", "lifetimeSeconds"}
    if (parts.size() == 2 && parts.at(0) == QLatin1String("sso") && parts.at(1) == QLatin1String("tokens") && m == "POST") {
        const QString account = body.value(QStringLiteral("accountId")).toString(m_identities->account());
        const QString roleName = body.value(QStringLiteral("roleName")).toString(QLatin1String(IdentityStore::kDefaultRoleName));
        const double lifetime = body.value(QStringLiteral("lifetimeSeconds")).toDouble(28800);
        if (account.size() != 12 || !std::all_of(account.cbegin(), account.cend(), [](QChar c) { return c.isDigit(); }))
            return problem(400, QStringLiteral("'accountId' must be 12 digits"));
        if (roleName.isEmpty())
            return problem(400, QStringLiteral("'roleName' must not be empty"));
        if (lifetime < 1 || lifetime > 7 * 86400)
            return problem(400, QStringLiteral("'lifetimeSeconds' must be 1 to 604800"));
        const SsoToken t = m_identities->mintSsoToken(account, roleName, qint64(lifetime), m_faults->now());
        return ok(QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1(t.accessToken)},
                              {QStringLiteral("expiresAt"), t.expiresAt.toString(Qt::ISODate)},
                              {QStringLiteral("accountId"), t.accountId},
                              {QStringLiteral("roleName"), t.roleName}});
    }
    return problem(404, QStringLiteral("no control operation %1 %2").arg(QString::fromLatin1(m), QString::fromUtf8(req.path)));
}

} // namespace gls::emu
