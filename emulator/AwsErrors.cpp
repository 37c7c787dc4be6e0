#include "AwsErrors.h"

#include <QJsonDocument>
#include <QLocale>
#include <QRandomGenerator>
#include <QUuid>

namespace gls::emu {

QByteArray newRequestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray newS3RequestId()
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray id(16, '0');
    for (char &c : id)
        c = hex[QRandomGenerator::global()->bounded(16)];
    return id;
}

QByteArray httpDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

HttpResponse jsonResponse(int status, const QJsonObject &body, const QByteArray &requestId)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.setHeader("Content-Type", "application/json");
    r.setHeader("x-amzn-RequestId", requestId);
    return r;
}

HttpResponse jsonError(int status, QByteArrayView type, const QString &message, const QByteArray &requestId)
{
    HttpResponse r = jsonResponse(status, QJsonObject{{QStringLiteral("Message"), message}}, requestId);
    r.setHeader("X-Amzn-Errortype", type.toByteArray());
    return r;
}

QString xmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

HttpResponse s3Error(int status, QByteArrayView code, const QString &message, const QByteArray &requestId,
                     const QList<XmlField> &extra, bool headOnly)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("x-amz-request-id", requestId);
    r.setHeader("x-amz-id-2", QByteArray(requestId).toBase64());
    r.setHeader("Server", "AmazonS3");
    if (headOnly)
        return r; // S3 answers HEAD errors with no body at all
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%1</Code><Message>%2</Message>")
                      .arg(QString::fromLatin1(code), xmlEscape(message));
    for (const XmlField &f : extra)
        xml += QStringLiteral("<%1>%2</%1>").arg(QString::fromLatin1(f.name), xmlEscape(f.value));
    xml += QStringLiteral("<RequestId>%1</RequestId><HostId>%2</HostId></Error>")
               .arg(QString::fromLatin1(requestId), QString::fromLatin1(QByteArray(requestId).toBase64()));
    r.body = xml.toUtf8();
    r.setHeader("Content-Type", "application/xml");
    return r;
}

HttpResponse queryResponse(const QString &action, const QString &resultXml, const QByteArray &requestId)
{
    HttpResponse r;
    r.status = 200;
    r.body = QStringLiteral("<%1Response xmlns=\"%2\">\n  <%1Result>\n%3  </%1Result>\n  <ResponseMetadata>\n"
                            "    <RequestId>%4</RequestId>\n  </ResponseMetadata>\n</%1Response>\n")
                 .arg(action, QLatin1String(kStsXmlns), resultXml, QString::fromLatin1(requestId))
                 .toUtf8();
    r.setHeader("Content-Type", "text/xml");
    r.setHeader("x-amzn-RequestId", requestId);
    return r;
}

HttpResponse queryError(int status, QByteArrayView code, const QString &message, const QByteArray &requestId)
{
    HttpResponse r;
    r.status = status;
    r.body = QStringLiteral("<ErrorResponse xmlns=\"%1\">\n  <Error>\n    <Type>%2</Type>\n    <Code>%3</Code>\n"
                            "    <Message>%4</Message>\n  </Error>\n  <RequestId>%5</RequestId>\n</ErrorResponse>\n")
                 .arg(QLatin1String(kStsXmlns), status >= 500 ? QStringLiteral("Receiver") : QStringLiteral("Sender"),
                      QString::fromLatin1(code), xmlEscape(message), QString::fromLatin1(requestId))
                 .toUtf8();
    r.setHeader("Content-Type", "text/xml");
    r.setHeader("x-amzn-RequestId", requestId);
    return r;
}

} // namespace gls::emu
