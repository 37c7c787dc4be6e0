#pragma once

// The IAM Identity Center (SSO) portal's GetRoleCredentials, the call behind
// `aws sso login` profiles (real host portal.sso.REGION.amazonaws.com), on the
// GameLift Streams listener: GET /federation/credentials?account_id=&role_name=
// with the access token in x-amz-sso_bearer_token, not SigV4-signed. Tokens are
// minted through the control endpoint (POST /_emulator/sso/tokens).

#include "HttpServer.h"

namespace gls::emu {

class FaultInjector;
class IdentityStore;
class RequestStats;

class SsoService {
public:
    SsoService(IdentityStore *identities, FaultInjector *faults, RequestStats *stats);

    static bool handles(const HttpRequest &req);
    HttpResponse handle(const HttpRequest &req);

    static constexpr auto kPath = "/federation/credentials";
    static constexpr qint64 kRoleCredentialSeconds = 3600;

private:
    HttpResponse getRoleCredentials(const HttpRequest &req, const QByteArray &requestId);

    IdentityStore *m_identities;
    FaultInjector *m_faults;
    RequestStats *m_stats;
};

} // namespace gls::emu
