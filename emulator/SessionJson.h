#pragma once

// The JSON of a stream session as the listings return it, written once per
// change of the session instead of once per page: a page of 100 sessions is
// then a concatenation of cached bytes. The bytes are exactly what
// QJsonDocument(sessionSummaryObject(...)).toJson(Compact) writes (keys in
// QJsonObject's sorted order, numbers and escapes as Qt writes them);
// tst_emulator_sessionjson checks it.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace gls::emu {

class EmulatorState;
struct StreamSession;

// The StreamSessionSummary shape (GetStreamSession adds to it).
QJsonObject sessionSummaryObject(const EmulatorState &state, const StreamSession &s);
// The same summary as compact JSON, from the session's cache (StreamSession::summaryJson),
// filled here when empty; EmulatorState empties it whenever the session changes.
QByteArray sessionSummaryJson(const EmulatorState &state, const StreamSession &s);
// A listing page: {"Items":[...]} and, when given, "NextToken".
QByteArray listPageJson(const QList<QByteArray> &items, const QString &nextToken);

} // namespace gls::emu
