#pragma once

// restJson1 response bodies of the GameLift Streams operations, decoded into
// the value types. Tolerant where the protocol asks for tolerance: unknown
// members are ignored, missing optional members (and JSON null) stay empty,
// unknown enum values are kept as they came. Strict where a silent guess
// would hide a fault: a body that is not JSON or not an object, or a known
// member of the wrong JSON type, is an error whose message names the member
// ("Items[3].CreatedAt: expected ...").
//
// Timestamps: the wire carries epoch seconds (a JSON number, possibly
// fractional); an ISO 8601 string (with Z or an offset; without one it is
// taken as UTC) and a numeric string are tolerated. Decoded to UTC.

#include "StreamGroup.h"
#include "StreamSession.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace gls::gamelift {

// One page of a paginated listing.
template <typename T>
struct Page {
    QList<T> items;
    QString nextToken; // empty: this was the last page
};

namespace json {

// Parses a response body as a JSON object. An empty (or all-whitespace) body
// is an empty object when `allowEmpty`, else an error.
bool parseObject(const QByteArray &body, QJsonObject *out, QString *error, bool allowEmpty = false);

// A listing's NextToken read straight from the body's bytes, without parsing
// the items: lets a paginated job ask for the next page while it decodes this
// one. True with *token when the body is a JSON object with a top-level
// "NextToken" string free of escapes; false when it has none or the bytes say
// otherwise (parseObject and the page decoder stay the judges of the body).
bool peekNextToken(const QByteArray &body, QString *token);

// Epoch seconds (number or numeric string) or ISO 8601 text, to UTC. Null or
// undefined: an invalid QDateTime and true. Anything else: false.
bool decodeTimestamp(const QJsonValue &value, QDateTime *out);

// Each returns false with *error naming the member (prefixed by `path`, e.g.
// "Items[2]") when a known member has the wrong JSON type; *out then holds
// what could be read.
bool decodeStreamGroupSummary(
    const QJsonObject &object, StreamGroupSummary *out, QString *error, const QString &path = {});
bool decodeStreamGroup(const QJsonObject &object, StreamGroup *out, QString *error, const QString &path = {});
bool decodeLocationState(const QJsonObject &object, LocationState *out, QString *error, const QString &path = {});
bool decodeExportFilesMetadata(
    const QJsonObject &object, ExportFilesMetadata *out, QString *error, const QString &path = {});
bool decodeStreamSessionSummary(
    const QJsonObject &object, StreamSessionSummary *out, QString *error, const QString &path = {});
bool decodeStreamSession(const QJsonObject &object, StreamSession *out, QString *error, const QString &path = {});

// ListStreamGroupsOutput; ListStreamSessionsOutput and ListStreamSessionsByAccountOutput.
bool decodeStreamGroupPage(const QJsonObject &object, Page<StreamGroupSummary> *out, QString *error);
bool decodeStreamSessionPage(const QJsonObject &object, Page<StreamSessionSummary> *out, QString *error);

// The common case of a session listing's page, read straight from the bytes,
// without QJsonDocument: true when `body` is a JSON object this reader knows
// all of (Items of StreamSessionSummary members and NextToken; strings of
// printable ASCII without escapes; numbers or null for the times; no member
// twice). Otherwise false, and parseObject with decodeStreamSessionPage are
// the judges: they read every other body, and name what is wrong with a bad
// one. Where this says true, *out is what they give (fuzz/gamelift_json
// compares the two on every input).
bool readStreamSessionPageQuickly(const QByteArray &body, Page<StreamSessionSummary> *out);

} // namespace json
} // namespace gls::gamelift
