#include "S3Uri.h"

#include <QRegularExpression>

namespace gls::s3 {

namespace {

const QLatin1String kScheme("s3://");
constexpr qsizetype kMaxKeyBytes = 1024; // S3's limit on a key's UTF-8 length

bool isLowerOrDigit(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

} // namespace

QString S3Uri::toString() const
{
    return kScheme + bucket + QLatin1Char('/') + key;
}

QString bucketNameProblem(const QString &bucket)
{
    const QString quoted = QStringLiteral("the bucket name '%1'").arg(bucket);
    if (bucket.size() < 3 || bucket.size() > 63)
        return QStringLiteral("%1 must be 3 to 63 characters long (it has %2)")
            .arg(quoted, QString::number(bucket.size()));
    for (const QChar c : bucket) {
        if (!isLowerOrDigit(c) && c != QLatin1Char('.') && c != QLatin1Char('-'))
            return quoted + QStringLiteral(" may only hold lowercase letters, digits, dots and hyphens");
    }
    if (!isLowerOrDigit(bucket.front()) || !isLowerOrDigit(bucket.back()))
        return quoted + QStringLiteral(" must start and end with a lowercase letter or digit");
    if (bucket.contains(QLatin1String("..")))
        return quoted + QStringLiteral(" must not hold two adjacent dots");
    static const QRegularExpression ipv4(QStringLiteral("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"));
    if (ipv4.match(bucket).hasMatch())
        return quoted + QStringLiteral(" must not be formatted as an IP address");
    for (const QLatin1String prefix : {QLatin1String("xn--"), QLatin1String("sthree-")}) {
        if (bucket.startsWith(prefix))
            return quoted + QStringLiteral(" must not start with '%1'").arg(prefix);
    }
    for (const QLatin1String suffix : {QLatin1String("-s3alias"), QLatin1String("--ol-s3")}) {
        if (bucket.endsWith(suffix))
            return quoted + QStringLiteral(" must not end with '%1'").arg(suffix);
    }
    return {};
}

bool parseS3Uri(const QString &text, S3Uri *out, QString *error, const QString &field)
{
    auto refuse = [&](const QString &rule) {
        if (error)
            *error = field + QStringLiteral(": ") + rule;
        return false;
    };
    if (!text.startsWith(kScheme))
        return refuse(QStringLiteral("'%1' is not an S3 URI; it must start with s3:// (s3://bucket/key)").arg(text));
    const QString rest = text.mid(kScheme.size());
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    S3Uri uri;
    uri.bucket = slash < 0 ? rest : rest.left(slash);
    uri.key = slash < 0 ? QString() : rest.mid(slash + 1);
    if (uri.bucket.isEmpty())
        return refuse(QStringLiteral("'%1' names no bucket; write s3://bucket/key").arg(text));
    if (const QString problem = bucketNameProblem(uri.bucket); !problem.isEmpty())
        return refuse(problem);
    if (const qsizetype bytes = uri.key.toUtf8().size(); bytes > kMaxKeyBytes)
        return refuse(QStringLiteral("the object key must be at most %1 bytes long in UTF-8 (it has %2)")
                          .arg(kMaxKeyBytes)
                          .arg(bytes));
    if (out)
        *out = uri;
    if (error)
        error->clear();
    return true;
}

} // namespace gls::s3
