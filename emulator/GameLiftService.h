#pragma once

// Amazon GameLift Streams' restJson1 operations as the model describes them
// (../shared/reference/gameliftstreams-api.md): routing from the raw path,
// SigV4 verification, validation with the service's messages, pagination,
// throttling and injected faults.

#include "HttpServer.h"

#include <QJsonObject>

namespace gls::emu {

class AccessPolicy;
class EmulatorState;
class FaultInjector;
class RateLimiter;
class RequestStats;
class SignatureVerifier;
struct StreamGroup;
struct StreamSession;

class GameLiftService {
public:
    GameLiftService(EmulatorState *state, const SignatureVerifier *verifier, const AccessPolicy *policy,
                    FaultInjector *faults, RateLimiter *limiter, RequestStats *stats);

    HttpResponse handle(const HttpRequest &req);
    // For requests the transport rejects before routing (bad framing, too large).
    static HttpResponse transportError(int status, const QByteArray &code, const QString &message);

    static constexpr auto kSigningName = "gameliftstreams";

private:
    struct Route;
    struct Context;

    HttpResponse dispatch(const Route &route, Context &ctx);
    HttpResponse listStreamGroups(Context &ctx);
    HttpResponse getStreamGroup(const Route &route, Context &ctx);
    HttpResponse listStreamSessions(const Route &route, Context &ctx, bool byAccount);
    HttpResponse getStreamSession(const Route &route, Context &ctx);
    HttpResponse exportFiles(const Route &route, Context &ctx);
    HttpResponse terminate(const Route &route, Context &ctx);
    static HttpResponse sessionNotFound(const Route &route, const Context &ctx);

    QJsonObject groupSummary(const StreamGroup &g) const;
    QJsonObject groupDetail(const StreamGroup &g) const;
    QJsonObject sessionDetail(const StreamSession &s) const;

    QString encodeToken(const QString &scope, const QString &cursor) const;
    bool decodeToken(const QString &token, const QString &scope, QString *cursor) const;

    EmulatorState *m_state;
    const SignatureVerifier *m_verifier;
    const AccessPolicy *m_policy;
    FaultInjector *m_faults;
    RateLimiter *m_limiter;
    RequestStats *m_stats;
    QByteArray m_tokenKey;
};

} // namespace gls::emu
