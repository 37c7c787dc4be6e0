// What users type and services echo back: stream group / session identifiers,
// ExportStreamSessionFiles' OutputUri, s3:// URIs, bucket names, object keys
// and the status filters. The validators are checked against independent,
// hand-written readings of the documented patterns (gamelift/Validation.h,
// s3/S3Uri.h): validation never accepts what the pattern rejects, and never
// rejects what it allows. A parsed S3 URI re-serialises to one that parses to
// the same bucket and key. Refusals quote the value as given.

#include "FuzzSupport.h"

#include "gamelift/Validation.h"
#include "s3/S3Address.h"
#include "s3/S3Uri.h"

#include <QStringList>

using namespace gls;

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}
bool isLowerOrDigit(QChar c)
{
    return (c >= u'a' && c <= u'z') || isAsciiDigit(c);
}
bool isIdChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || isAsciiDigit(c) || c == u'-';
}

qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (const QChar c : s)
        n += c.isLowSurrogate() ? 0 : 1;
    return n;
}

// ^[a-zA-Z0-9-]+$ | ^arn:aws:gameliftstreams:([^:\n]*):([0-9]{12}):([^:\n]*)$, 1..128 characters.
bool documentedIdentifier(const QString &v)
{
    if (v.isEmpty() || codePoints(v) > 128)
        return false;
    if (std::all_of(v.cbegin(), v.cend(), isIdChar))
        return true;
    static const QString prefix = QStringLiteral("arn:aws:gameliftstreams:");
    if (!v.startsWith(prefix))
        return false;
    const QStringList fields = v.mid(prefix.size()).split(u':');
    if (fields.size() != 3)
        return false;
    if (fields.at(1).size() != 12 || !std::all_of(fields.at(1).cbegin(), fields.at(1).cend(), isAsciiDigit))
        return false;
    return !fields.at(0).contains(u'\n') && !fields.at(2).contains(u'\n');
}

bool documentedBucket(const QString &b)
{
    if (b.size() < 3 || b.size() > 63)
        return false;
    for (const QChar c : b) {
        if (!isLowerOrDigit(c) && c != u'.' && c != u'-')
            return false;
    }
    if (!isLowerOrDigit(b.front()) || !isLowerOrDigit(b.back()) || b.contains(QLatin1String("..")))
        return false;
    const QStringList quads = b.split(u'.');
    const bool ipLike = quads.size() == 4 && std::all_of(quads.cbegin(), quads.cend(), [](const QString &q) {
        return q.size() >= 1 && q.size() <= 3 && std::all_of(q.cbegin(), q.cend(), isAsciiDigit);
    });
    return !ipLike && !b.startsWith(QLatin1String("xn--")) && !b.startsWith(QLatin1String("sthree-"))
        && !b.endsWith(QLatin1String("-s3alias")) && !b.endsWith(QLatin1String("--ol-s3"));
}

bool plain(const QString &v)
{
    return std::none_of(v.cbegin(), v.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

// A refusal names the value: short printable values appear as given.
void checkQuoted(const QString &message, const QString &value)
{
    if (!message.isEmpty() && !value.isEmpty() && value.size() <= 60 && plain(value))
        FUZZ_CHECK(message.contains(value));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QString value = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString field = QStringLiteral("--id");

    const QString idProblem = gamelift::identifierProblem(value, field);
    FUZZ_CHECK(idProblem.isEmpty() == documentedIdentifier(value));
    FUZZ_CHECK(idProblem.isEmpty() || idProblem.startsWith(field));
    checkQuoted(idProblem, value);

    const QString bucketProblem = s3::bucketNameProblem(value);
    FUZZ_CHECK(bucketProblem.isEmpty() == documentedBucket(value));
    checkQuoted(bucketProblem, value);

    s3::S3Uri uri;
    QString error;
    const bool parsed = s3::parseS3Uri(value, &uri, &error, field);
    FUZZ_CHECK(parsed == error.isEmpty());
    if (parsed) {
        FUZZ_CHECK(documentedBucket(uri.bucket));
        FUZZ_CHECK(uri.key.toUtf8().size() <= 1024);
        s3::S3Uri again;
        FUZZ_CHECK(s3::parseS3Uri(uri.toString(), &again, nullptr));
        FUZZ_CHECK(again.bucket == uri.bucket && again.key == uri.key);
        (void)s3::S3Address::keyProblem(uri.key);
    } else {
        FUZZ_CHECK(error.startsWith(field));
    }

    const QString uriProblem = gamelift::outputUriProblem(value);
    if (uriProblem.isEmpty()) {
        FUZZ_CHECK(value.startsWith(QLatin1String("s3://")));
        FUZZ_CHECK(codePoints(value) <= 1024);
        FUZZ_CHECK(
            value.endsWith(u'/') || value.endsWith(QLatin1String(".zip")) || value.endsWith(QLatin1String(".ZIP")));
        for (const QChar c : value)
            FUZZ_CHECK(c != u'\n' && c != u'\r' && c != QChar(0x85) && c != QChar(0x2028) && c != QChar(0x2029));
        const QString rest = value.mid(5);
        FUZZ_CHECK(rest.contains(u'/'));
        FUZZ_CHECK(documentedBucket(rest.left(rest.indexOf(u'/'))));
    }

    for (const auto policy : {gamelift::UnknownValues::Refuse, gamelift::UnknownValues::Allow}) {
        const QString a = gamelift::streamSessionStatusFilterProblem(value, policy);
        const QString b = gamelift::exportFilesStatusFilterProblem(value, policy);
        if (!plain(value)) {
            FUZZ_CHECK(!a.isEmpty() && !b.isEmpty());
        }
    }
    (void)s3::S3Address::keyProblem(value);
    return 0;
}
