#pragma once

// AWS STS's query protocol on the GameLift Streams listener: POST / with a
// form-encoded body (or GET /?Action=...), SigV4 with signing name "sts" in any
// Region, XML answers. GetCallerIdentity and AssumeRole (external id, MFA,
// duration limits, role chaining), with STS's own error codes and messages.

#include "HttpServer.h"

namespace gls::emu {

class AccessPolicy;
class FaultInjector;
class IdentityStore;
class RequestStats;
class SignatureVerifier;

class StsService {
public:
    StsService(IdentityStore *identities, const SignatureVerifier *verifier, const AccessPolicy *policy,
        FaultInjector *faults, RequestStats *stats);

    // True for requests shaped like STS's: `POST /` with a form body, or `GET /?Action=...`.
    static bool handles(const HttpRequest &req);
    HttpResponse handle(const HttpRequest &req);

    static constexpr auto kSigningName = "sts";
    static constexpr auto kVersion = "2011-06-15";

private:
    struct Context;
    HttpResponse dispatch(Context &ctx);
    HttpResponse getCallerIdentity(Context &ctx);
    HttpResponse assumeRole(Context &ctx);

    IdentityStore *m_identities;
    const SignatureVerifier *m_verifier;
    const AccessPolicy *m_policy;
    FaultInjector *m_faults;
    RequestStats *m_stats;
};

} // namespace gls::emu
