#pragma once

// The part of Amazon S3 the exporter needs, path-style: ListBuckets,
// HeadBucket, GetBucketLocation, ListObjectsV2, HeadObject and GetObject (with
// Range and conditional headers), SigV4 header or presigned, S3's XML errors.

#include "HttpServer.h"

namespace gls::emu {

class AccessPolicy;
class FaultInjector;
class ObjectStore;
class RequestStats;
class SignatureVerifier;
struct Bucket;

class S3Service {
public:
    S3Service(ObjectStore *store, const SignatureVerifier *verifier, const AccessPolicy *policy, FaultInjector *faults,
              RequestStats *stats);

    HttpResponse handle(const HttpRequest &req);
    static HttpResponse transportError(int status, const QByteArray &code, const QString &message);

private:
    struct Context;
    HttpResponse dispatch(Context &ctx);
    HttpResponse listBuckets(Context &ctx);
    HttpResponse listObjects(Context &ctx, const Bucket &b);
    HttpResponse getObject(Context &ctx, const Bucket &b);

    ObjectStore *m_store;
    const SignatureVerifier *m_verifier;
    const AccessPolicy *m_policy;
    FaultInjector *m_faults;
    RequestStats *m_stats;
};

} // namespace gls::emu
