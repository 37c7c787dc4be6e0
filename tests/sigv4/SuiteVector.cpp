#include "SuiteVector.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace gls::sigv4::test {

QByteArray readVectorFile(const QString &name, const QString &file, bool *ok)
{
    QFile f(QDir(QStringLiteral(GLS_SIGV4_VECTOR_DIR)).filePath(name + QLatin1Char('/') + file));
    *ok = f.open(QIODevice::ReadOnly);
    if (!*ok)
        return {};
    QByteArray bytes = f.readAll();
    // aws-c-auth strips '\r' from every suite file before using it.
    bytes.replace("\r", "");
    return bytes;
}

bool parseRequestText(const QByteArray &text, SuiteRequest *out, QString *error)
{
    const QList<QByteArray> lines = text.split('\n');
    const QByteArray &requestLine = lines.value(0);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype versionAt = requestLine.lastIndexOf(" HTTP/1.1");
    if (firstSpace <= 0 || versionAt <= firstSpace) {
        *error = QStringLiteral("request line is not 'METHOD target HTTP/1.1': ")
            + QString::fromUtf8(requestLine);
        return false;
    }
    SuiteRequest r;
    r.method = requestLine.left(firstSpace);
    // The target may hold a literal space (get-space), so it runs from the
    // first space up to the final " HTTP/1.1".
    const QByteArray target = requestLine.mid(firstSpace + 1, versionAt - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    r.path = question < 0 ? target : target.left(question);
    r.query = question < 0 ? QByteArray() : target.mid(question + 1);

    HeaderList headers;
    qsizetype i = 1;
    for (; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (line.isEmpty())
            break;
        if (line.front() == ' ' || line.front() == '\t') {
            // A continuation line belongs to the previous header's value, as
            // in aws-c-auth's harness (get-header-value-multiline).
            if (headers.isEmpty()) {
                *error = QStringLiteral("continuation line before any header");
                return false;
            }
            headers.last().second.append('\n').append(line);
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *error = QStringLiteral("header line without a name: ") + QString::fromUtf8(line);
            return false;
        }
        headers.append({line.left(colon), line.mid(colon + 1)});
    }
    if (i + 1 < lines.size())
        r.body = lines.mid(i + 1).join('\n');

    for (const auto &header : headers) {
        if (header.first.compare("host", Qt::CaseInsensitive) == 0)
            r.host = header.second.trimmed();
        else
            r.headers.append(header);
    }
    *out = std::move(r);
    return true;
}

bool loadSuiteCase(const QString &name, SuiteCase *out, QString *error)
{
    bool ok = false;
    const QByteArray requestText = readVectorFile(name, QStringLiteral("request.txt"), &ok);
    if (!ok) {
        *error = name + QStringLiteral("/request.txt is missing");
        return false;
    }
    const QByteArray contextJson = readVectorFile(name, QStringLiteral("context.json"), &ok);
    if (!ok) {
        *error = name + QStringLiteral("/context.json is missing");
        return false;
    }
    SuiteCase c;
    c.name = name;
    if (!parseRequestText(requestText, &c.request, error))
        return false;

    const QJsonObject context = QJsonDocument::fromJson(contextJson).object();
    const QJsonObject credentials = context.value(QLatin1String("credentials")).toObject();
    c.context.credentials.accessKeyId = credentials.value(QLatin1String("access_key_id")).toString().toUtf8();
    c.context.credentials.secretAccessKey =
        credentials.value(QLatin1String("secret_access_key")).toString().toUtf8();
    c.context.credentials.sessionToken = credentials.value(QLatin1String("token")).toString().toUtf8();
    c.context.scope.region = context.value(QLatin1String("region")).toString().toUtf8();
    c.context.scope.service = context.value(QLatin1String("service")).toString().toUtf8();
    c.context.time = QDateTime::fromString(context.value(QLatin1String("timestamp")).toString(), Qt::ISODate);
    c.context.scope.date = amzDate(c.context.time).left(8);
    c.context.normalize = context.value(QLatin1String("normalize")).toBool(true);
    c.context.signBody = context.value(QLatin1String("sign_body")).toBool(false);
    c.context.omitSessionToken = context.value(QLatin1String("omit_session_token")).toBool(false);
    c.context.expiresSeconds = context.value(QLatin1String("expiration_in_seconds")).toInteger(0);
    if (c.context.credentials.accessKeyId.isEmpty() || !c.context.time.isValid()
        || c.context.scope.region.isEmpty() || c.context.scope.service.isEmpty()) {
        *error = name + QStringLiteral("/context.json lacks credentials, region, service or timestamp");
        return false;
    }
    *out = std::move(c);
    return true;
}

} // namespace gls::sigv4::test
