#pragma once

// The emulator's own control endpoint, outside the AWS paths (/_emulator/...):
// request counters per operation, fault injection at run time, ending a
// session on demand, creating sessions and buckets for tests. Plain JSON, no
// signature: it is for tests and demos on loopback.

#include "HttpServer.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace gls::emu {

class AccessPolicy;
class EmulatorState;
class FaultInjector;
class IdentityStore;
class ObjectStore;
class RateLimiter;

// How many requests of each operation arrived, and with which status.
class RequestStats {
public:
    void record(const QString &operation, int status);
    // An ExportStreamSessionFiles the service carried out (its answer may still be lost on the way).
    void recordExportRequest(const QString &sessionId);
    void reset();
    QJsonObject toJson() const;
    int count(const QString &operation) const { return m_counts.value(operation); }

private:
    QHash<QString, int> m_counts;
    QHash<QString, QHash<int, int>> m_byStatus;
    QHash<QString, int> m_exportsBySession;
    int m_total = 0;
};

class ControlService {
public:
    ControlService(EmulatorState *state, ObjectStore *store, AccessPolicy *policy, FaultInjector *faults,
                   RateLimiter *limiter, RequestStats *stats, IdentityStore *identities);

    static bool handles(const HttpRequest &req);
    HttpResponse handle(const HttpRequest &req);

private:
    HttpResponse sessionsRoute(const HttpRequest &req, const QStringList &parts);
    HttpResponse identityRoute(const HttpRequest &req, const QStringList &parts, const QJsonObject &body);

    EmulatorState *m_state;
    ObjectStore *m_store;
    AccessPolicy *m_policy;
    FaultInjector *m_faults;
    RateLimiter *m_limiter;
    RequestStats *m_stats;
    IdentityStore *m_identities;
};

} // namespace gls::emu
