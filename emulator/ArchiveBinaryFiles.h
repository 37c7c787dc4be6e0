#pragma once

// The binary files of a session archive, each well formed in its format and drawn
// from its own random stream of the session's seed: a Windows minidump, a PNG
// screenshot, an Unreal save game and Crashpad's database metadata. ArchiveContent
// places them in the archive.

#include "ArchiveContent.h"

#include <QByteArray>

namespace gls::emu {

class ArchiveBinaryFiles {
public:
    // Header, stream directory, system info, exception, thread list and module list of the ensure.
    static QByteArray minidump(const ArchiveContent &s);
    // A 96x54 RGB PNG of a sky over ground.
    static QByteArray screenshotPng(const ArchiveContent &s);
    // A GVAS save game with a few properties.
    static QByteArray saveGame(const ArchiveContent &s);
    // One pending report in Crashpad's database.
    static QByteArray crashpadMetadata(const ArchiveContent &s);
};

} // namespace gls::emu
