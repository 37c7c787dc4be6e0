#include "S3Service.h"

#include "AccessPolicy.h"
#include "AwsErrors.h"
#include "ControlService.h"
#include "FaultInjector.h"
#include "ObjectStore.h"
#include "SignatureVerifier.h"

#include <QHash>
#include <QMultiMap>

#include <limits>

namespace gls::emu {

namespace {

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

struct ByteRange {
    bool present = false;
    bool satisfiable = true;
    qint64 first = 0;
    qint64 last = 0;
};

// "bytes=a-b", "bytes=a-" or "bytes=-n". Malformed or multiple ranges are
// ignored (the whole object is returned), as S3 does.
ByteRange parseRange(const QByteArray &header, qint64 size)
{
    ByteRange r;
    if (!header.startsWith("bytes=") || header.contains(','))
        return r;
    const QByteArray spec = header.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return r;
    bool okA = true;
    bool okB = true;
    const QByteArray a = spec.left(dash);
    const QByteArray b = spec.mid(dash + 1);
    if (a.isEmpty()) {
        const qint64 n = b.toLongLong(&okB);
        if (!okB || n <= 0)
            return r;
        r.present = true;
        if (size == 0) {
            r.satisfiable = false;
            return r;
        }
        r.first = qMax<qint64>(0, size - n);
        r.last = size - 1;
        return r;
    }
    const qint64 first = a.toLongLong(&okA);
    const qint64 last = b.isEmpty() ? std::numeric_limits<qint64>::max() : b.toLongLong(&okB);
    if (!okA || !okB || first < 0 || last < first)
        return r;
    r.present = true;
    if (first >= size) {
        r.satisfiable = false;
        return r;
    }
    r.first = first;
    r.last = qMin(last, size - 1);
    return r;
}

QByteArray unquote(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    return etag;
}

bool etagMatches(const QByteArray &header, const QByteArray &etag)
{
    for (const QByteArray &candidate : header.split(',')) {
        if (candidate.trimmed() == "*" || unquote(candidate) == unquote(etag))
            return true;
    }
    return false;
}

} // namespace

struct S3Service::Context {
    const HttpRequest &req;
    QByteArray requestId;
    QString operation;
    QString bucket;
    QString key;
    bool keyPresent = false;
    QMultiMap<QString, QString> query;
    bool head = false;
};

S3Service::S3Service(ObjectStore *store, const SignatureVerifier *verifier, const AccessPolicy *policy,
                     FaultInjector *faults, RequestStats *stats)
    : m_store(store)
    , m_verifier(verifier)
    , m_policy(policy)
    , m_faults(faults)
    , m_stats(stats)
{
}

HttpResponse S3Service::transportError(int status, const QByteArray &code, const QString &message)
{
    HttpResponse r = s3Error(status, code, message, newS3RequestId());
    r.closeConnection = true;
    return r;
}

HttpResponse S3Service::handle(const HttpRequest &req)
{
    Context ctx{req, newS3RequestId(), QString(), QString(), QString(), false, req.queryItems(),
                req.method == "HEAD"};
    // Path-style: /bucket/key. The key is everything after the bucket's
    // slash, decoded once; a key may hold any character, '/' included.
    QByteArray path = req.path;
    if (path.startsWith('/'))
        path.remove(0, 1);
    const qsizetype slash = path.indexOf('/');
    ctx.bucket = QString::fromUtf8(sigv4::percentDecode(slash < 0 ? path : path.left(slash)));
    if (slash >= 0 && slash + 1 < path.size()) {
        ctx.key = QString::fromUtf8(sigv4::percentDecode(path.mid(slash + 1)));
        ctx.keyPresent = true;
    }
    if (ctx.bucket.isEmpty())
        ctx.operation = QStringLiteral("ListBuckets");
    else if (!ctx.keyPresent)
        ctx.operation = ctx.head ? QStringLiteral("HeadBucket")
                      : ctx.query.contains(QStringLiteral("location")) ? QStringLiteral("GetBucketLocation")
                                                                       : QStringLiteral("ListObjectsV2");
    else
        ctx.operation = ctx.head ? QStringLiteral("HeadObject") : QStringLiteral("GetObject");

    HttpResponse resp = dispatch(ctx);
    resp.setHeader("Date", httpDate(m_faults->now()));
    resp.setHeader("x-amz-request-id", ctx.requestId);
    resp.setHeader("Server", "AmazonS3");
    if (ctx.head)
        resp.headOnly = true;
    m_stats->record(QStringLiteral("S3.") + ctx.operation, resp.fault == HttpResponse::Fault::Reset ? 0 : resp.status);
    return resp;
}

HttpResponse S3Service::dispatch(Context &ctx)
{
    const QByteArray &rid = ctx.requestId;
    const bool head = ctx.head;
    const AuthResult auth = m_verifier->verify(ctx.req, "s3", true, m_faults->now());
    switch (auth.failure) {
    case AuthResult::Failure::None:
        break;
    case AuthResult::Failure::Missing:
        return s3Error(403, "AccessDenied", auth.message, rid, {}, head);
    case AuthResult::Failure::Malformed:
    case AuthResult::Failure::WrongService:
        return s3Error(400, ctx.req.hasHeader("authorization") ? "AuthorizationHeaderMalformed"
                                                               : "AuthorizationQueryParametersError",
                       auth.message, rid, {}, head);
    case AuthResult::Failure::UnknownKey:
        return s3Error(403, "InvalidAccessKeyId", auth.message, rid,
                       {{"AWSAccessKeyId", QString::fromLatin1(auth.accessKeyId)}}, head);
    case AuthResult::Failure::BadToken:
        return s3Error(400, "InvalidToken", auth.message, rid, {}, head);
    case AuthResult::Failure::ExpiredToken:
        return s3Error(400, "ExpiredToken", auth.message, rid, {}, head);
    case AuthResult::Failure::Mismatch:
        return s3Error(403, "SignatureDoesNotMatch", auth.message, rid, {}, head);
    case AuthResult::Failure::Stale:
        return s3Error(403, "RequestTimeTooSkewed", auth.message, rid,
                       {{"ServerTime", isoTime(m_faults->now())}, {"MaxAllowedSkewMilliseconds", QStringLiteral("900000")}},
                       head);
    case AuthResult::Failure::PresignExpired: {
        const QDateTime signedAt = sigv4::parseAmzDate(auth.requestDate);
        return s3Error(403, "AccessDenied", auth.message, rid,
                       {{"X-Amz-Expires", QString::number(auth.expiresSeconds)},
                        {"Expires", isoTime(signedAt.addSecs(auth.expiresSeconds))},
                        {"ServerTime", isoTime(m_faults->now())}},
                       head);
    }
    case AuthResult::Failure::PresignTooLong:
        return s3Error(400, "AuthorizationQueryParametersError", auth.message, rid, {}, head);
    case AuthResult::Failure::MissingContentSha:
        return s3Error(400, "InvalidRequest", auth.message, rid, {}, head);
    case AuthResult::Failure::ContentShaMismatch:
        return s3Error(400, "XAmzContentSHA256Mismatch", auth.message, rid, {}, head);
    }

    // The IAM action each operation needs, as S3 names them.
    static const QHash<QString, QString> actions = {
        {QStringLiteral("ListBuckets"), QStringLiteral("s3:ListAllMyBuckets")},
        {QStringLiteral("HeadBucket"), QStringLiteral("s3:ListBucket")},
        {QStringLiteral("ListObjectsV2"), QStringLiteral("s3:ListBucket")},
        {QStringLiteral("GetBucketLocation"), QStringLiteral("s3:GetBucketLocation")},
        {QStringLiteral("HeadObject"), QStringLiteral("s3:GetObject")},
        {QStringLiteral("GetObject"), QStringLiteral("s3:GetObject")},
    };
    if (!m_policy->allows(actions.value(ctx.operation)))
        return s3Error(403, "AccessDenied", QStringLiteral("Access Denied"), rid, {}, head);

    const FaultInjector::Decision fault = m_faults->decide(QStringLiteral("S3.") + ctx.operation);
    HttpResponse resp;
    if (fault.kind == FaultInjector::Kind::Throttle) {
        resp = s3Error(503, "SlowDown", QStringLiteral("Please reduce your request rate."), rid, {}, head);
    } else if (fault.kind == FaultInjector::Kind::Error500) {
        resp = s3Error(500, "InternalError", QStringLiteral("We encountered an internal error. Please try again."), rid,
                       {}, head);
    } else if (fault.kind == FaultInjector::Kind::Error503) {
        resp = s3Error(503, "ServiceUnavailable", QStringLiteral("Service is unable to handle request."), rid, {}, head);
    } else {
        if (ctx.operation == QLatin1String("ListBuckets")) {
            resp = ctx.req.method == "GET" ? listBuckets(ctx)
                                           : s3Error(405, "MethodNotAllowed",
                                                     QStringLiteral("The specified method is not allowed against this resource."),
                                                     rid, {}, head);
        } else {
            const Bucket *b = m_store->bucket(ctx.bucket);
            if (!b) {
                resp = s3Error(404, "NoSuchBucket", QStringLiteral("The specified bucket does not exist"), rid,
                               {{"BucketName", ctx.bucket}}, head);
            } else if (QString::fromLatin1(auth.region) != b->region) {
                resp = s3Error(400,
                               auth.presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed",
                               QStringLiteral("The authorization header is malformed; the region '%1' is wrong; "
                                              "expecting '%2'").arg(QString::fromLatin1(auth.region), b->region),
                               rid, {{"Region", b->region}}, head);
                resp.setHeader("x-amz-bucket-region", b->region.toLatin1());
            } else if (ctx.req.method != "GET" && ctx.req.method != "HEAD") {
                resp = s3Error(405, "MethodNotAllowed",
                               QStringLiteral("The specified method is not allowed against this resource."), rid, {}, head);
            } else if (ctx.operation == QLatin1String("HeadBucket")) {
                resp.status = 200;
                resp.setHeader("x-amz-bucket-region", b->region.toLatin1());
            } else if (ctx.operation == QLatin1String("GetBucketLocation")) {
                resp.status = 200;
                resp.setHeader("Content-Type", "application/xml");
                // us-east-1 is reported as an empty constraint, as S3 does.
                const QString constraint = b->region == QLatin1String("us-east-1") ? QString() : b->region;
                resp.body = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint "
                                           "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">%1</LocationConstraint>")
                                .arg(constraint).toUtf8();
            } else if (ctx.operation == QLatin1String("ListObjectsV2")) {
                resp = listObjects(ctx, *b);
            } else {
                resp = getObject(ctx, *b);
            }
            if (resp.status < 300 || resp.status == 301)
                resp.setHeader("x-amz-bucket-region", b->region.toLatin1());
        }
        if (fault.kind == FaultInjector::Kind::Reset)
            resp.fault = HttpResponse::Fault::Reset;
        else if (fault.kind == FaultInjector::Kind::Truncate)
            resp.fault = HttpResponse::Fault::Truncate;
        else if (fault.kind == FaultInjector::Kind::Corrupt)
            resp.fault = HttpResponse::Fault::Corrupt;
    }
    resp.delayMs = fault.delayMs;
    return resp;
}

HttpResponse S3Service::listBuckets(Context &ctx)
{
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult "
                                 "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>gls-emulator</ID>"
                                 "<DisplayName>gls-emulator</DisplayName></Owner><Buckets>");
    for (const QString &name : m_store->bucketNames()) {
        const Bucket *b = m_store->bucket(name);
        xml += QStringLiteral("<Bucket><Name>%1</Name><CreationDate>%2</CreationDate><BucketRegion>%3</BucketRegion></Bucket>")
                   .arg(xmlEscape(name), isoTime(b->createdAt), b->region);
    }
    xml += QStringLiteral("</Buckets></ListAllMyBucketsResult>");
    HttpResponse r;
    r.body = xml.toUtf8();
    r.setHeader("Content-Type", "application/xml");
    Q_UNUSED(ctx);
    return r;
}

HttpResponse S3Service::listObjects(Context &ctx, const Bucket &b)
{
    const QByteArray &rid = ctx.requestId;
    if (ctx.query.value(QStringLiteral("list-type")) != QLatin1String("2")) {
        return s3Error(501, "NotImplemented",
                       QStringLiteral("Only ListObjectsV2 (list-type=2) is implemented by this emulator."), rid);
    }
    const QString prefix = ctx.query.value(QStringLiteral("prefix"));
    const QString delimiter = ctx.query.value(QStringLiteral("delimiter"));
    const QString startAfter = ctx.query.value(QStringLiteral("start-after"));
    const QString token = ctx.query.value(QStringLiteral("continuation-token"));
    const bool urlEncode = ctx.query.value(QStringLiteral("encoding-type")) == QLatin1String("url");
    if (ctx.query.contains(QStringLiteral("encoding-type")) && !urlEncode)
        return s3Error(400, "InvalidArgument", QStringLiteral("Invalid Encoding Method specified in Request"), rid,
                       {{"ArgumentName", QStringLiteral("encoding-type")}});
    int maxKeys = 1000;
    if (ctx.query.contains(QStringLiteral("max-keys"))) {
        bool ok = false;
        maxKeys = ctx.query.value(QStringLiteral("max-keys")).toInt(&ok);
        if (!ok || maxKeys < 0)
            return s3Error(400, "InvalidArgument", QStringLiteral("Provided max-keys not an integer or within integer range"),
                           rid, {{"ArgumentName", QStringLiteral("max-keys")}});
        maxKeys = qMin(maxKeys, 1000);
    }
    QString after = startAfter;
    if (!token.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || !decoded.decoded.startsWith("k:"))
            return s3Error(400, "InvalidArgument", QStringLiteral("The continuation token provided is incorrect"), rid,
                           {{"ArgumentName", QStringLiteral("continuation-token")}});
        after = QString::fromUtf8(decoded.decoded.mid(2));
    }
    auto enc = [&](const QString &k) {
        return urlEncode ? QString::fromLatin1(sigv4::uriEncode(k.toUtf8(), false)) : xmlEscape(k);
    };

    QString contents;
    QStringList prefixes;
    int count = 0;
    QString lastKey;
    bool truncated = false;
    for (auto it = b.objects.lowerBound(after); it != b.objects.cend(); ++it) {
        const QString &key = it.key();
        if (key <= after || !key.startsWith(prefix))
            continue;
        QString commonPrefix;
        if (!delimiter.isEmpty()) {
            const qsizetype d = key.indexOf(delimiter, prefix.size());
            if (d >= 0)
                commonPrefix = key.left(d + delimiter.size());
        }
        if (!commonPrefix.isEmpty() && prefixes.contains(commonPrefix))
            continue;
        if (count == maxKeys) {
            truncated = true;
            break;
        }
        ++count;
        if (!commonPrefix.isEmpty()) {
            prefixes.append(commonPrefix);
            // Skip the rest of this prefix: resume after its last possible key.
            lastKey = commonPrefix + QChar(0xFFFF);
            continue;
        }
        lastKey = key;
        const StoredObject &o = it.value();
        contents += QStringLiteral("<Contents><Key>%1</Key><LastModified>%2</LastModified><ETag>%3</ETag>"
                                   "<Size>%4</Size><StorageClass>STANDARD</StorageClass></Contents>")
                        .arg(enc(key), isoTime(o.lastModified), xmlEscape(QString::fromLatin1(o.etag)),
                             QString::number(o.size)); // one arg() call: a key may hold "%2"
    }
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
                                 "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>%1</Name><Prefix>%2</Prefix>"
                                 "<KeyCount>%3</KeyCount><MaxKeys>%4</MaxKeys>")
                      .arg(xmlEscape(b.name), enc(prefix), QString::number(count), QString::number(maxKeys));
    if (!delimiter.isEmpty())
        xml += QStringLiteral("<Delimiter>%1</Delimiter>").arg(enc(delimiter));
    if (urlEncode)
        xml += QStringLiteral("<EncodingType>url</EncodingType>");
    xml += QStringLiteral("<IsTruncated>%1</IsTruncated>").arg(truncated ? QStringLiteral("true") : QStringLiteral("false"));
    if (!token.isEmpty())
        xml += QStringLiteral("<ContinuationToken>%1</ContinuationToken>").arg(xmlEscape(token));
    if (!startAfter.isEmpty())
        xml += QStringLiteral("<StartAfter>%1</StartAfter>").arg(enc(startAfter));
    if (truncated)
        xml += QStringLiteral("<NextContinuationToken>%1</NextContinuationToken>")
                   .arg(QString::fromLatin1(("k:" + lastKey.toUtf8()).toBase64()));
    xml += contents;
    for (const QString &p : prefixes)
        xml += QStringLiteral("<CommonPrefixes><Prefix>%1</Prefix></CommonPrefixes>").arg(enc(p));
    xml += QStringLiteral("</ListBucketResult>");
    HttpResponse r;
    r.body = xml.toUtf8();
    r.setHeader("Content-Type", "application/xml");
    return r;
}

HttpResponse S3Service::getObject(Context &ctx, const Bucket &b)
{
    const QByteArray &rid = ctx.requestId;
    const auto it = b.objects.constFind(ctx.key);
    if (it == b.objects.cend())
        return s3Error(404, "NoSuchKey", QStringLiteral("The specified key does not exist."), rid,
                       {{"Key", ctx.key}}, ctx.head);
    const StoredObject &o = it.value();

    const QByteArray ifMatch = ctx.req.header("if-match");
    if (!ifMatch.isEmpty() && !etagMatches(ifMatch, o.etag))
        return s3Error(412, "PreconditionFailed", QStringLiteral("At least one of the pre-conditions you specified did not hold"),
                       rid, {{"Condition", QStringLiteral("If-Match")}}, ctx.head);
    const QByteArray ifNoneMatch = ctx.req.header("if-none-match");
    if (!ifNoneMatch.isEmpty() && etagMatches(ifNoneMatch, o.etag)) {
        HttpResponse r;
        r.status = 304;
        r.setHeader("ETag", o.etag);
        return r;
    }

    HttpResponse r;
    r.setHeader("Content-Type", o.contentType);
    r.setHeader("ETag", o.etag);
    r.setHeader("Last-Modified", httpDate(o.lastModified));
    r.setHeader("Accept-Ranges", "bytes");
    r.filePath = o.filePath;
    r.fileOffset = 0;
    r.fileLength = o.size;
    const ByteRange range = parseRange(ctx.req.header("range"), o.size);
    if (range.present && !range.satisfiable) {
        HttpResponse e = s3Error(416, "InvalidRange", QStringLiteral("The requested range is not satisfiable"), rid,
                                 {{"RangeRequested", QString::fromLatin1(ctx.req.header("range"))},
                                  {"ActualObjectSize", QString::number(o.size)}},
                                 ctx.head);
        e.setHeader("Content-Range", "bytes */" + QByteArray::number(o.size));
        return e;
    }
    // The full object's checksum, when asked for it and the whole object is
    // what is sent (S3 gives no full-object checksum with a part of it).
    if (!o.crc64Nvme.isEmpty() && !range.present
        && ctx.req.header("x-amz-checksum-mode").trimmed().compare("ENABLED", Qt::CaseInsensitive) == 0) {
        r.setHeader("x-amz-checksum-crc64nvme", o.crc64Nvme);
        r.setHeader("x-amz-checksum-type", "FULL_OBJECT");
    }
    if (range.present) {
        r.status = 206;
        r.fileOffset = range.first;
        r.fileLength = range.last - range.first + 1;
        r.setHeader("Content-Range", QByteArray("bytes ") + QByteArray::number(range.first) + '-'
                                         + QByteArray::number(range.last) + '/' + QByteArray::number(o.size));
    }
    return r;
}

} // namespace gls::emu
