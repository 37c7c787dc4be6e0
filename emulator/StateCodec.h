#pragma once

// The emulator's saved state (state.json): each stream group and session as
// JSON and back. Private to the emulator; not the service's wire format.

#include "EmulatorState.h"

#include <QJsonObject>

namespace gls::emu {

QJsonObject encodeGroup(const StreamGroup &g);
StreamGroup decodeGroup(const QJsonObject &o);
QJsonObject encodeSession(const StreamSession &s);
StreamSession decodeSession(const QJsonObject &o);
// encodeSession's object written straight as compact JSON (members in another
// order, times and numbers as integers): what state.json holds for each
// session. About ten times cheaper than QJsonDocument(encodeSession(s)), which
// matters every 2 s with 10,000 sessions on a machine the emulator shares with
// the clients it serves; tst_emulator_sessionjson holds the two equal.
void appendSessionJson(QByteArray &out, const StreamSession &s);

} // namespace gls::emu
