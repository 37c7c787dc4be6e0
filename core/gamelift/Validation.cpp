#include "Validation.h"

#include "KnownValues.h"
#include "s3/S3Uri.h"

#include <QRegularExpression>
#include <QStringList>

namespace gls::gamelift {

namespace {

constexpr qsizetype kIdentifierMax = 128;
constexpr qsizetype kOutputUriMax = 1024;
constexpr qsizetype kShownMax = 80;

// Smithy's length counts characters (code points), not UTF-16 units.
qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (const QChar c : s) {
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

// The value as a message shows it: quoted, control characters made visible,
// long values cut.
QString shown(const QString &value)
{
    QString out;
    for (const QChar c : value) {
        if (c == u'\n')
            out += QLatin1String("\\n");
        else if (c == u'\r')
            out += QLatin1String("\\r");
        else if (c == u'\t')
            out += QLatin1String("\\t");
        else if (c.category() == QChar::Other_Control)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    if (out.size() > kShownMax)
        out = out.left(kShownMax) + QStringLiteral("...");
    return u'\'' + out + u'\'';
}

bool hasLineBreak(const QString &s)
{
    // What '.' in the service's pattern does not match.
    for (const QChar c : s) {
        if (c == u'\n' || c == u'\r' || c == QChar(0x85) || c == QChar(0x2028) || c == QChar(0x2029))
            return true;
    }
    return false;
}

bool hasControl(const QString &s)
{
    return std::any_of(s.cbegin(), s.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

const QRegularExpression &identifierPattern()
{
    // The model's Identifier pattern, decoded: the class [^:\n] holds a real
    // line feed. Matched against the whole value (\A...\z), so a trailing line
    // feed is refused rather than slipping past '$'.
    static const QRegularExpression re(QRegularExpression::anchoredPattern(
        QStringLiteral("^(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^:\n]*):([0-9]{12}):([^:\n]*)$)$")));
    return re;
}

QString enumFilterProblem(
    const QString &value, UnknownValues policy, const QString &field, const QString &what, const QStringList &known)
{
    if (value.isEmpty() || known.contains(value))
        return {};
    if (hasControl(value))
        return QStringLiteral("%1: %2 holds a control character; a %3 is a plain word such as %4")
            .arg(field, shown(value), what, known.first());
    if (policy == UnknownValues::Allow)
        return {};
    QString hint;
    for (const QString &k : known) {
        if (k.compare(value.trimmed(), Qt::CaseInsensitive) == 0)
            hint = QStringLiteral(" (values are case-sensitive: did you mean %1?)").arg(k);
    }
    return QStringLiteral("%1: %2 is not a known %3; known values: %4%5")
        .arg(field, shown(value), what, known.join(QStringLiteral(", ")), hint);
}

} // namespace

QString identifierProblem(const QString &value, const QString &field)
{
    if (value.isEmpty())
        return QStringLiteral("%1: must not be empty; give an ID such as sg-1AB2C3De4 or a GameLift Streams ARN")
            .arg(field);
    const qsizetype length = codePoints(value);
    if (length > kIdentifierMax)
        return QStringLiteral("%1: must be at most %2 characters long (an ID or an ARN); %3 has %4")
            .arg(field, QString::number(kIdentifierMax), shown(value), QString::number(length));
    if (identifierPattern().match(value).hasMatch())
        return {};
    QString hint;
    if (value.trimmed() != value)
        hint = QStringLiteral(" It has leading or trailing white space.");
    else if (value.startsWith(QLatin1String("arn:")) && !value.startsWith(QLatin1String("arn:aws:gameliftstreams:")))
        hint = QStringLiteral(" An ARN here starts with arn:aws:gameliftstreams:.");
    return QStringLiteral("%1: %2 is neither an ID (letters, digits and '-') nor a GameLift Streams ARN "
                          "(arn:aws:gameliftstreams:REGION:ACCOUNT:RESOURCE, with a 12-digit ACCOUNT and no ':' "
                          "or line feed in REGION or RESOURCE).%3")
        .arg(field, shown(value), hint);
}

QString outputUriProblem(const QString &value, const QString &field)
{
    static const QString scheme = QStringLiteral("s3://");
    if (value.isEmpty())
        return QStringLiteral("%1: must not be empty; give an S3 location such as s3://my-bucket/exports/").arg(field);
    const qsizetype length = codePoints(value);
    if (length > kOutputUriMax)
        return QStringLiteral("%1: must be at most 1,024 characters long; it has %2").arg(field).arg(length);
    if (hasLineBreak(value))
        return QStringLiteral("%1: %2 must not contain a line break").arg(field, shown(value));
    if (!value.startsWith(scheme))
        return QStringLiteral("%1: %2 must start with s3:// (lowercase), as in s3://my-bucket/exports/")
            .arg(field, shown(value));
    const qsizetype slash = value.indexOf(u'/', scheme.size());
    const QString bucket = value.mid(scheme.size(), slash < 0 ? -1 : slash - scheme.size());
    if (bucket.isEmpty())
        return QStringLiteral("%1: %2 names no bucket after s3://").arg(field, shown(value));
    const QString bucketProblem = s3::bucketNameProblem(bucket);
    if (!bucketProblem.isEmpty())
        return QStringLiteral("%1: the bucket name %2 is not valid: %3").arg(field, shown(bucket), bucketProblem);
    const bool endsOk
        = value.endsWith(u'/') || value.endsWith(QLatin1String(".zip")) || value.endsWith(QLatin1String(".ZIP"));
    if (!endsOk)
        return QStringLiteral("%1: %2 must end with '/' (a folder; the service names the file) or with '.zip' or "
                              "'.ZIP' (the file's own name)")
            .arg(field, shown(value));
    if (slash < 0)
        return QStringLiteral("%1: %2 names a bucket but no file; add '/' for the bucket's top level or "
                              "'/NAME.zip' for a file name")
            .arg(field, shown(value));
    return {};
}

QString maxResultsProblem(int value, const QString &field)
{
    if (value < 1 || value > 100)
        return QStringLiteral("%1: must be from 1 to 100 (results per page); got %2").arg(field).arg(value);
    return {};
}

QString streamSessionStatusFilterProblem(const QString &value, UnknownValues policy, const QString &field)
{
    return enumFilterProblem(
        value, policy, field, QStringLiteral("stream session status"), knownStreamSessionStatuses());
}

QString exportFilesStatusFilterProblem(const QString &value, UnknownValues policy, const QString &field)
{
    return enumFilterProblem(value, policy, field, QStringLiteral("export files status"), knownExportFilesStatuses());
}

} // namespace gls::gamelift
