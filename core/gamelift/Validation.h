#pragma once

// Checks on what the user gives before any request leaves, with the model's
// rules (shared/reference/gameliftstreams-api.md, section 6). Each returns an
// empty string when the value is fine, else a message that names the field
// and the rule that was broken: "stream session identifier: 'a b' is neither
// an ID (letters, digits and '-') nor a GameLift Streams ARN (...)".
// `field` is how the caller names the value to its user ("--stream-group",
// "StreamSessionIdentifier", ...).

#include <QString>

namespace gls::gamelift {

// Identifier (stream group or stream session): 1..128 characters, an ID
// (^[a-zA-Z0-9-]+$) or an ARN (^arn:aws:gameliftstreams:([^:\n]*):([0-9]{12}):([^:\n]*)$).
QString identifierProblem(const QString &value, const QString &field);

// ExportStreamSessionFiles' OutputUri: at most 1,024 characters, "s3://", a
// valid bucket name (gls::s3::bucketNameProblem), ending with '/', ".zip" or
// ".ZIP", no line break; a URI ending in ".zip" must name an object key.
QString outputUriProblem(const QString &value, const QString &field = QStringLiteral("OutputUri"));

// MaxResults: 1..100.
QString maxResultsProblem(int value, const QString &field = QStringLiteral("MaxResults"));

// Whether a filter value outside the known enum values may be sent. The
// service may know values this build does not; the caller decides.
enum class UnknownValues { Refuse, Allow };

// ListStreamSessions' Status and ExportFilesStatus filters. Empty: no filter
// (fine). A known value is fine; an unknown one is refused with the list of
// known values unless `policy` is Allow (then only the wire rules apply: no
// control characters).
QString streamSessionStatusFilterProblem(const QString &value, UnknownValues policy = UnknownValues::Refuse,
    const QString &field = QStringLiteral("Status"));
QString exportFilesStatusFilterProblem(const QString &value, UnknownValues policy = UnknownValues::Refuse,
    const QString &field = QStringLiteral("ExportFilesStatus"));

} // namespace gls::gamelift
