#include "Sts.h"

#include "aws/Credentials.h"

#include <QUrlQuery>
#include <QXmlStreamReader>

namespace gls::creds {

namespace {

QByteArray formBody(const QList<QPair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[name, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += sigv4::uriEncode(name.toUtf8(), true) + '=' + sigv4::uriEncode(value.toUtf8(), true);
    }
    return body;
}

aws::AwsRequest queryRequest(const QString &action, QList<QPair<QString, QString>> fields)
{
    fields.prepend({QStringLiteral("Version"), QStringLiteral("2011-06-15")});
    fields.prepend({QStringLiteral("Action"), action});
    aws::AwsRequest r;
    r.operation = action;
    r.method = "POST";
    r.path = "/";
    r.body = formBody(fields);
    r.headers.append({QByteArray("content-type"), QByteArray("application/x-www-form-urlencoded; charset=utf-8")});
    return r;
}

// Reads the text of every element whose name is in `wanted`, wherever it is.
QHash<QString, QByteArray> readElements(QByteArrayView xml, const QStringList &wanted, QString *error)
{
    QHash<QString, QByteArray> found;
    QXmlStreamReader reader(xml.toByteArray());
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QString name = reader.name().toString();
        if (wanted.contains(name))
            found.insert(name, reader.readElementText().toUtf8());
    }
    if (reader.hasError()) {
        *error = QStringLiteral("STS answered with XML that cannot be read (%1 at line %2)")
                     .arg(reader.errorString())
                     .arg(reader.lineNumber());
        for (QByteArray &v : found)
            aws::wipe(v);
        found.clear();
    }
    return found;
}

} // namespace

aws::AwsRequest assumeRoleRequest(const AssumeRoleParameters &p)
{
    QList<QPair<QString, QString>> fields{{QStringLiteral("RoleArn"), p.roleArn},
                                          {QStringLiteral("RoleSessionName"), p.roleSessionName}};
    if (p.durationSeconds > 0)
        fields.append({QStringLiteral("DurationSeconds"), QString::number(p.durationSeconds)});
    if (!p.externalId.isEmpty())
        fields.append({QStringLiteral("ExternalId"), p.externalId});
    if (!p.serialNumber.isEmpty()) {
        fields.append({QStringLiteral("SerialNumber"), p.serialNumber});
        fields.append({QStringLiteral("TokenCode"), p.tokenCode});
    }
    return queryRequest(QStringLiteral("AssumeRole"), fields);
}

aws::AwsRequest getCallerIdentityRequest()
{
    return queryRequest(QStringLiteral("GetCallerIdentity"), {});
}

bool parseAssumeRoleResponse(QByteArrayView xml, TemporaryCredentials *out, QString *error)
{
    QHash<QString, QByteArray> e = readElements(
        xml, {QStringLiteral("AccessKeyId"), QStringLiteral("SecretAccessKey"), QStringLiteral("SessionToken"),
              QStringLiteral("Expiration"), QStringLiteral("Arn")},
        error);
    if (!error->isEmpty())
        return false;
    const QDateTime expiration = QDateTime::fromString(QString::fromLatin1(e.value(QStringLiteral("Expiration"))),
                                                       Qt::ISODateWithMs);
    bool ok = true;
    if (e.value(QStringLiteral("AccessKeyId")).isEmpty() || e.value(QStringLiteral("SecretAccessKey")).isEmpty()
        || e.value(QStringLiteral("SessionToken")).isEmpty()) {
        *error = QStringLiteral("STS AssumeRole answered without complete credentials");
        ok = false;
    } else if (!expiration.isValid()) {
        *error = QStringLiteral("STS AssumeRole answered with an Expiration that is not a date");
        ok = false;
    }
    if (ok) {
        out->credentials.accessKeyId = e.value(QStringLiteral("AccessKeyId"));
        out->credentials.secretAccessKey = e.value(QStringLiteral("SecretAccessKey"));
        out->credentials.sessionToken = e.value(QStringLiteral("SessionToken"));
        out->expiration = expiration.toUTC();
        out->arn = QString::fromUtf8(e.value(QStringLiteral("Arn")));
    }
    for (QByteArray &v : e)
        aws::wipe(v);
    return ok;
}

bool parseCallerIdentityResponse(QByteArrayView xml, CallerIdentity *out, QString *error)
{
    const QHash<QString, QByteArray> e
        = readElements(xml, {QStringLiteral("Account"), QStringLiteral("Arn"), QStringLiteral("UserId")}, error);
    if (!error->isEmpty())
        return false;
    if (e.value(QStringLiteral("Account")).isEmpty() || e.value(QStringLiteral("Arn")).isEmpty()) {
        *error = QStringLiteral("STS GetCallerIdentity answered without an Account and Arn");
        return false;
    }
    out->account = QString::fromUtf8(e.value(QStringLiteral("Account")));
    out->arn = QString::fromUtf8(e.value(QStringLiteral("Arn")));
    out->userId = QString::fromUtf8(e.value(QStringLiteral("UserId")));
    return true;
}

QString defaultRoleSessionName(const QDateTime &now)
{
    return QStringLiteral("gls-exporter-%1").arg(now.toSecsSinceEpoch());
}

} // namespace gls::creds
