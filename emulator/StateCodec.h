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

} // namespace gls::emu
