#pragma once

// How AWS front ends answer: restJson1 errors for GameLift Streams
// (X-Amzn-Errortype header + {"Message": ...}) and S3's XML errors, each with
// the request id header its service uses.

#include "HttpServer.h"

#include <QDateTime>
#include <QJsonObject>

namespace gls::emu {

// A fresh request id in the form AWS uses (UUID for JSON services, 16 upper
// hex characters for S3).
QByteArray newRequestId();
QByteArray newS3RequestId();

// RFC 7231 IMF-fixdate, e.g. "Sun, 30 Aug 2015 12:36:00 GMT".
QByteArray httpDate(const QDateTime &utc);

// A restJson1 response with an application/json body.
HttpResponse jsonResponse(int status, const QJsonObject &body, const QByteArray &requestId);
// A restJson1 error: status, `X-Amzn-Errortype: Type`, body {"Message": "..."}.
HttpResponse jsonError(int status, QByteArrayView type, const QString &message, const QByteArray &requestId);

struct XmlField {
    QByteArray name;
    QString value;
};
// An S3 XML error document; HEAD requests get the status and headers only, as S3 does.
HttpResponse s3Error(int status, QByteArrayView code, const QString &message, const QByteArray &requestId,
                     const QList<XmlField> &extra = {}, bool headOnly = false);

QString xmlEscape(const QString &text);

// awsQuery (STS) answers: `<ActionResponse xmlns=...><ActionResult>result</ActionResult>
// <ResponseMetadata><RequestId>..` and the `<ErrorResponse>` document, both
// text/xml with an x-amzn-RequestId header. `resultXml` is already escaped XML.
inline constexpr auto kStsXmlns = "https://sts.amazonaws.com/doc/2011-06-15/";
HttpResponse queryResponse(const QString &action, const QString &resultXml, const QByteArray &requestId);
// The error's Type is "Sender" for the caller's faults (4xx), "Receiver" for the service's (5xx).
HttpResponse queryError(int status, QByteArrayView code, const QString &message, const QByteArray &requestId);

} // namespace gls::emu
