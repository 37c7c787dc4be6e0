#include "S3Address.h"

#include "sigv4/SigV4.h"

namespace gls::s3 {

S3Address S3Address::resolve(const aws::Endpoint &regional, const QString &bucket, const QString &key)
{
    S3Address a;
    a.endpoint = regional;
    const QByteArray encodedKey = sigv4::uriEncode(key.toUtf8(), false);
    const bool pathStyle = regional.pathStyle || bucket.contains(QLatin1Char('.'));
    if (pathStyle) {
        a.endpoint.pathStyle = true;
        a.path = '/' + sigv4::uriEncode(bucket.toUtf8(), true);
        if (!key.isEmpty())
            a.path += '/' + encodedKey;
    } else {
        a.endpoint.baseUrl.setHost(bucket + QLatin1Char('.') + regional.baseUrl.host());
        a.path = '/' + encodedKey;
    }
    return a;
}

QString S3Address::keyProblem(const QString &key)
{
    if (key.isEmpty())
        return QStringLiteral("the object key is empty");
    if (const qsizetype bytes = key.toUtf8().size(); bytes > 1024)
        return QStringLiteral("the object key must be at most 1024 bytes long in UTF-8 (it has %1)").arg(bytes);
    for (const QStringView segment : QStringView(key).split(QLatin1Char('/'))) {
        if (segment == QLatin1String(".") || segment == QLatin1String(".."))
            return QStringLiteral("the object key '%1' holds a '.' or '..' segment, which HTTP clients rewrite; "
                                  "it cannot be fetched as it is named")
                .arg(key);
    }
    return {};
}

QByteArray S3Address::fullPath() const
{
    QByteArray base = endpoint.baseUrl.path(QUrl::FullyEncoded).toUtf8();
    while (base.endsWith('/'))
        base.chop(1);
    return base + path;
}

QByteArray S3Address::encodedUrl(const QByteArray &encodedQuery) const
{
    QUrl origin = endpoint.baseUrl;
    origin.setPath({});
    origin.setQuery(QString());
    origin.setFragment(QString());
    QByteArray url = origin.toEncoded(QUrl::FullyEncoded) + fullPath();
    if (!encodedQuery.isEmpty())
        url += '?' + encodedQuery;
    return url;
}

} // namespace gls::s3
