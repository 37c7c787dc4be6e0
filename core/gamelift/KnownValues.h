#pragma once

// The enum values the GameLift Streams model (2018-05-10) knows, as they
// travel on the wire. Smithy enums are open: a response may carry a value
// added after this list was written, so every enum-valued member is kept as a
// QString and shown as-is; these lists are for filters, validation and
// choosing how to present a known value.

#include <QStringList>

namespace gls::gamelift {

// ACTIVATING, ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION, RECONNECTING,
// TERMINATING, TERMINATED, ERROR
const QStringList &knownStreamSessionStatuses();
// internalError, invalidSignalRequest, placementTimeout, ... (camelCase on the wire)
const QStringList &knownStreamSessionStatusReasons();
// SUCCEEDED, FAILED, PENDING
const QStringList &knownExportFilesStatuses();
// ACTIVATING, UPDATING_LOCATIONS, ACTIVE, ACTIVE_WITH_ERRORS, ERROR, DELETING, EXPIRED
const QStringList &knownStreamGroupStatuses();
// internalError, noAvailableInstances
const QStringList &knownStreamGroupStatusReasons();
// ACTIVATING, ACTIVE, ERROR, REMOVING
const QStringList &knownStreamGroupLocationStatuses();
// WebRTC (mixed case on the wire)
const QStringList &knownProtocols();
// gen4n_high ... gen6e_pro_win2022, in model order
const QStringList &knownStreamClasses();

// Whether ExportStreamSessionFiles accepts a session in this status: ACTIVE,
// CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING (case-sensitive, as
// on the wire). False for every other value, unknown ones included.
bool canExport(const QString &status);

// Whether a session in this status has ended for good (TERMINATED, ERROR).
bool isEndedStatus(const QString &status);

} // namespace gls::gamelift
