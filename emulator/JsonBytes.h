#pragma once

// JSON written straight into bytes, for the emulator's hot paths (listing
// pages, state.json): what QJsonDocument would write, without building a
// QJsonObject first.

#include <QByteArray>
#include <QString>

namespace gls::emu {

// A JSON string as QJsonDocument writes it. Printable ASCII without '"' and
// '\' (every ID, ARN, status and token) is copied; anything else goes through
// QJsonDocument itself, so its escapes stay Qt's.
void appendJsonString(QByteArray &out, const QString &value);

} // namespace gls::emu
