#include "ArchiveContent.h"

#include "ArchiveBinaryFiles.h"

#include <algorithm>
#include <utility>

namespace gls::emu {
namespace {

using Rng = ArchiveContent::Rng;

constexpr qint64 kMaxStatsRows = 4 * 60 * 60; // one row per second, at most four hours
constexpr qint64 kMaxLogEvents = 1500;

QString crashFolder(const ArchiveContent &s)
{
    return QStringLiteral("Crash-") + s.at(s.ensureMs).toString(QStringLiteral("yyyy.MM.dd-HH.mm.ss"));
}

QString screenshotName(const ArchiveContent &s)
{
    return QStringLiteral("Screenshot-") + s.at(s.screenshotMs).toString(QStringLiteral("yyyyMMdd-HHmmss"))
        + QStringLiteral(".png");
}

// --- application/ -----------------------------------------------------------------------------

QByteArray gameLog(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "log");
    const ArchiveSpec &sp = s.spec;
    std::vector<std::pair<qint64, QString>> events;
    auto add = [&](qint64 ms, const QString &text) { events.emplace_back(qBound<qint64>(0, ms, s.durationMs), text); };

    add(0, QStringLiteral("LogInit: Display: Running engine for game: Game"));
    add(2, QStringLiteral("LogInit: Build: ++Game+Release-1.4-CL-%1").arg(rng.range(2100000, 2999999)));
    add(3, QStringLiteral("LogInit: Engine Version: 5.3.2-29314046+++UE5+Release-5.3"));
    add(4,
        QStringLiteral("LogInit: OS: Windows Server 2022 Datacenter (21H2) [10.0.20348.2340] (), CPU: AMD EPYC "
                       "7R32, GPU: NVIDIA A10G"));
    add(5, QStringLiteral("LogInit: Command Line:  -GameLiftStreams -nosplash -windowed"));
    add(412, QStringLiteral("LogD3D12RHI: Found D3D12 adapter 0: NVIDIA A10G (VendorId: 10de, DeviceId: 2237)"));
    add(845, QStringLiteral("LogRHI: Display: RHI D3D12 with Feature Level SM6 is supported and will be used."));
    add(1710, QStringLiteral("LogAudio: Display: Audio Device: Virtual Audio Device (48000 Hz, 2 channels)"));
    add(2600,
        QStringLiteral("LogLoad: Took %1.%2 seconds to LoadMap(/Game/Maps/MainMenu)")
            .arg(rng.range(1, 3))
            .arg(rng.range(100, 999)));
    add(2950,
        QStringLiteral("LogGameLiftStreams: Display: Stream session %1 started (stream group %2, "
                       "application %3, location %4)")
            .arg(sp.sessionId, sp.streamGroupId, sp.applicationId, sp.location));
    add(3400, QStringLiteral("LogGameLiftStreams: Display: Client connected for user %1").arg(sp.userId));
    add(3420, QStringLiteral("LogGameLiftStreams: Display: Video stream 1920x1080 @ 60 fps"));

    add(s.screenshotMs,
        QStringLiteral("LogSlate: Display: Screenshot saved to ../../../Game/Saved/Screenshots/%1")
            .arg(screenshotName(s)));
    add(s.ensureMs,
        QStringLiteral("LogOutputDevice: Error: Ensure condition failed: Slot != nullptr "
                       "[File:D:\\build\\Game\\Source\\Game\\Inventory\\InventoryComponent.cpp] [Line: 412]"));
    add(s.ensureMs + 1, QStringLiteral("LogWindows: Error: === Handled ensure: ==="));
    add(s.ensureMs + 2,
        QStringLiteral("LogWindows: Error: Minidump written to ../../../Game/Saved/Crashes/%1/Minidump.dmp")
            .arg(crashFolder(s)));
    const qint64 ensureCost = rng.range(100, 399);
    add(s.ensureMs + ensureCost + 50, QStringLiteral("LogStats: FDebug::EnsureFailed -  0.%1 s").arg(ensureCost));
    add(s.saveMs, QStringLiteral("LogSaveGame: Display: Saved slot1 in %1 ms").arg(rng.range(4, 40)));
    add(s.durationMs - 2000,
        QStringLiteral("LogGameLiftStreams: Display: Client disconnected, ending stream session %1").arg(sp.sessionId));
    add(s.durationMs - 800, QStringLiteral("LogExit: Preparing to exit."));
    add(s.durationMs - 150, QStringLiteral("LogExit: Exiting."));

    // Filler: roughly one line every eight seconds, never more than kMaxLogEvents.
    const qint64 filler = qBound<qint64>(0, s.durationMs / 8000, kMaxLogEvents);
    const qint64 step = filler ? s.durationMs / (filler + 1) : 0;
    for (qint64 i = 1; i <= filler; ++i) {
        const qint64 ms = i * step + rng.range(0, step / 2);
        switch (rng.range(0, 5)) {
        case 0:
            add(ms,
                QStringLiteral(
                    "LogGameLiftStreams: Display: Stream stats: bitrate %1 kbps, rtt %2 ms, packet loss 0.%3%")
                    .arg(rng.range(8000, 20000))
                    .arg(rng.range(18, 65))
                    .arg(rng.range(0, 9)));
            break;
        case 1:
            add(ms,
                QStringLiteral("LogStreaming: Display: Loaded /Game/Maps/Level_%1 in %2 ms")
                    .arg(rng.range(1, 12), 2, 10, QLatin1Char('0'))
                    .arg(rng.range(150, 2400)));
            break;
        case 2:
            add(ms,
                QStringLiteral("LogRenderer: Display: Frame %1.%2 ms, GPU %3.%4 ms, %5 draw calls")
                    .arg(rng.range(14, 18))
                    .arg(rng.range(0, 9))
                    .arg(rng.range(9, 15))
                    .arg(rng.range(0, 9))
                    .arg(rng.range(1800, 5200)));
            break;
        case 3:
            add(ms,
                QStringLiteral("LogD3D12RHI: Warning: GPU memory budget 22528 MB, in use %1 MB")
                    .arg(rng.range(3000, 7600)));
            break;
        case 4:
            add(ms,
                QStringLiteral("LogAI: Display: Spawned %1 NPCs in zone %2")
                    .arg(rng.range(2, 40))
                    .arg(rng.range(1, 9)));
            break;
        default:
            add(ms,
                QStringLiteral("LogNet: Display: Replication: %1 actors, %2 KB/s")
                    .arg(rng.range(40, 900))
                    .arg(rng.range(5, 120)));
            break;
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const auto &a, const auto &b) { return a.first < b.first; });

    QString log = QStringLiteral("Log file open, %1\r\n").arg(s.start.toString(QStringLiteral("MM/dd/yy HH:mm:ss")));
    for (const auto &[ms, text] : events) {
        const qint64 frame = ms < 3000 ? 0 : (ms * 60 / 1000) % 1000; // Unreal prints GFrameCounter % 1000
        log += QStringLiteral("[%1][%2]%3\r\n")
                   .arg(s.at(ms).toString(QStringLiteral("yyyy.MM.dd-HH.mm.ss:zzz")))
                   .arg(frame, 3, 10, QLatin1Char(' '))
                   .arg(text);
    }
    log += QStringLiteral("Log file closed, %1\r\n").arg(s.end.toString(QStringLiteral("MM/dd/yy HH:mm:ss")));
    return log.toUtf8();
}

QByteArray settingsIni(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "settings");
    const qint64 quality = rng.range(1, 3);
    return QStringLiteral(
        "[/Script/Engine.GameUserSettings]\r\nbUseVSync=False\r\nResolutionSizeX=1920\r\nResolutionSizeY=1080\r\n"
        "LastUserConfirmedResolutionSizeX=1920\r\nLastUserConfirmedResolutionSizeY=1080\r\nFullscreenMode=1\r\n"
        "FrameRateLimit=60.000000\r\nVersion=5\r\n\r\n[ScalabilityGroups]\r\nsg.ResolutionQuality=100\r\n"
        "sg.ViewDistanceQuality=%1\r\nsg.ShadowQuality=%1\r\nsg.TextureQuality=3\r\nsg.EffectsQuality=%2\r\n\r\n"
        "[/Script/Game.AudioSettings]\r\nMasterVolume=0.%3\r\nMusicVolume=0.%4\r\n")
        .arg(quality)
        .arg(rng.range(1, 3))
        .arg(rng.range(50, 99))
        .arg(rng.range(20, 80))
        .toUtf8();
}

QByteArray crashContextXml(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "crashcontext");
    const qint64 ticks = s.at(s.ensureMs).toMSecsSinceEpoch() * 10000 + 621355968000000000LL; // .NET ticks
    const QString executionGuid = QString::fromLatin1(rng.hex(16));
    const QString crashGuid = QString::fromLatin1(rng.hex(16));
    const std::pair<const char *, QString> properties[] = {
        {"CrashVersion", QStringLiteral("3")},
        {"ExecutionGuid", executionGuid},
        {"CrashGUID", QStringLiteral("UECC-Windows-%1_0000").arg(crashGuid)},
        {"IsEnsure", QStringLiteral("true")},
        {"IsStall", QStringLiteral("false")},
        {"IsAssert", QStringLiteral("false")},
        {"CrashType", QStringLiteral("Ensure")},
        {"ErrorMessage",
            QStringLiteral("Ensure condition failed: Slot != nullptr "
                           "[File:D:\\build\\Game\\Source\\Game\\Inventory\\InventoryComponent.cpp] [Line: 412]")},
        {"ProcessId", QString::number(rng.range(1000, 60000) * 4)},
        {"SecondsSinceStart", QString::number(s.ensureMs / 1000)},
        {"GameName", QStringLiteral("UE-Game")},
        {"ExecutableName", QStringLiteral("Game")},
        {"BuildConfiguration", QStringLiteral("Shipping")},
        {"PlatformName", QStringLiteral("WindowsServer")},
        {"EngineVersion", QStringLiteral("5.3.2-29314046+++UE5+Release-5.3")},
        {"CommandLine", QStringLiteral("-GameLiftStreams -nosplash -windowed")},
        {"TimeOfCrash", QString::number(ticks)},
        {"GameSessionID", s.spec.sessionId},
        {"MemoryStats.TotalPhysical", QStringLiteral("68719476736")},
        {"MemoryStats.UsedPhysical", QString::number(rng.range(3000, 6000) * 1048576LL)},
    };
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FGenericCrashContext>\n"
                                 "\t<RuntimeProperties>\n");
    for (const auto &[tag, value] : properties)
        xml += QStringLiteral("\t\t<%1>%2</%1>\n").arg(QLatin1String(tag), value.toHtmlEscaped());
    xml += QStringLiteral("\t</RuntimeProperties>\n\t<PlatformProperties>\n"
                          "\t\t<PlatformIsRunningWindows>1</PlatformIsRunningWindows>\n"
                          "\t</PlatformProperties>\n</FGenericCrashContext>\n");
    return xml.toUtf8();
}

// --- profile/ and temp/ ---------------------------------------------------------------------------

QByteArray userCfg(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "usercfg");
    return QStringLiteral("; Game user configuration\r\n[Input]\r\nMouseSensitivity=0.%1\r\nInvertY=%2\r\n"
                          "GamepadVibration=true\r\n\r\n[Account]\r\nUserId=%3\r\nLastLocation=%4\r\nLastPlayed=%5\r\n")
        .arg(rng.range(20, 95))
        .arg(rng.range(0, 3) == 0 ? QStringLiteral("true") : QStringLiteral("false"))
        .arg(s.spec.userId, s.spec.location, s.start.toString(Qt::ISODate))
        .toUtf8();
}

QByteArray shaderCacheLog(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "shadercache");
    qint64 ms = 600;
    QByteArray out;
    auto line = [&](const QString &text) {
        out += s.at(ms).toString(Qt::ISODateWithMs).toUtf8() + ' ' + text.toUtf8() + '\n';
        ms += rng.range(20, 900);
    };
    line(QStringLiteral("ShaderCache: opened Game_PCD3D_SM6.ushaderbytecode (%1 shaders)").arg(rng.range(9000, 30000)));
    for (int i = 0; i < 12; ++i)
        line(QStringLiteral("PSOCache: precompiled batch %1: %2 PSOs in %3 ms")
                 .arg(i + 1)
                 .arg(rng.range(40, 400))
                 .arg(rng.range(80, 2500)));
    line(QStringLiteral("PSOCache: %1 PSOs missing from the cache were compiled on demand").arg(rng.range(0, 60)));
    line(QStringLiteral("ShaderCache: saved D3DSCache (%1 KB)").arg(rng.range(20000, 180000)));
    return out;
}

// --- stats/ -----------------------------------------------------------------------------------------

QByteArray perfStatsCsv(const ArchiveContent &s)
{
    Rng rng(s.spec.seed, "stats");
    const qint64 rows = qBound<qint64>(1, s.durationMs / 1000, kMaxStatsRows);
    const qint64 first = s.start.toSecsSinceEpoch();
    auto tenths = [](qint64 v) { return QByteArray::number(v / 10) + '.' + char('0' + v % 10); };
    qint64 cpu = rng.range(250, 400), gpu = rng.range(300, 450);         // tenths of a percent
    qint64 memory = rng.range(2200, 2600), vram = rng.range(2400, 3000); // MB
    QByteArray out = "timestamp,cpu_percent,memory_mb,gpu_percent,vram_mb\n";
    out.reserve(out.size() + rows * 52);
    for (qint64 i = 0; i < rows; ++i) {
        const bool loading = i < 30;
        cpu = std::clamp<qint64>(cpu + rng.range(-30, 30) + (loading ? 15 : 0), 150, 950);
        gpu = std::clamp<qint64>(gpu + rng.range(-35, 35) + (loading ? 12 : 0), 250, 990);
        memory = std::clamp<qint64>(memory + rng.range(-6, 7) + (loading ? 60 : 0), 1800, 7800);
        vram = std::clamp<qint64>(vram + rng.range(-8, 9) + (loading ? 70 : 0), 2400, 7600);
        out += QDateTime::fromSecsSinceEpoch(first + i, Qt::UTC).toString(Qt::ISODate).toLatin1();
        out += ',' + tenths(cpu) + ',' + QByteArray::number(memory) + ',' + tenths(gpu) + ',' + QByteArray::number(vram)
            + '\n';
    }
    return out;
}

} // namespace

ArchiveContent::ArchiveContent(const ArchiveSpec &archiveSpec)
    : spec(archiveSpec)
    , start(archiveSpec.startedAt.toUTC())
{
    end = spec.endedAt.isValid() && spec.endedAt >= spec.startedAt ? spec.endedAt.toUTC() : start;
    durationMs = start.msecsTo(end);
    Rng rng(spec.seed, "timeline");
    screenshotMs = durationMs * rng.range(15, 35) / 100;
    ensureMs = durationMs * rng.range(40, 85) / 100;
    saveMs = durationMs * rng.range(88, 97) / 100;
}

std::vector<ArchiveContent::Entry> ArchiveContent::entries() const
{
    const ArchiveContent &s = *this;
    const QString crash = QStringLiteral("application/Game/Saved/Crashes/") + crashFolder(s);
    const QDateTime ensure = s.at(s.ensureMs);
    return {
        {QStringLiteral("application/"), s.end, Entry::Folder, {}},
        {QStringLiteral("application/Game/Saved/Logs/Game.log"), s.end, Entry::File, gameLog(s)},
        {QStringLiteral("application/Game/Saved/Config/Settings.ini"), s.end, Entry::File, settingsIni(s)},
        {crash + QStringLiteral("/Minidump.dmp"), ensure, Entry::File, ArchiveBinaryFiles::minidump(s)},
        {crash + QStringLiteral("/CrashContext.runtime-xml"), ensure, Entry::File, crashContextXml(s)},
        {QStringLiteral("application/Game/Saved/Screenshots/") + screenshotName(s), s.at(s.screenshotMs), Entry::File,
            ArchiveBinaryFiles::screenshotPng(s)},
        {QStringLiteral("application/Game/Saved/Replays/replay.bin"), s.end, Entry::Replay, {}},
        {QStringLiteral("profile/"), s.end, Entry::Folder, {}},
        {QStringLiteral("profile/AppData/Local/Game/SaveGames/slot1.sav"), s.at(s.saveMs), Entry::File,
            ArchiveBinaryFiles::saveGame(s)},
        {QStringLiteral("profile/Documents/Game/user.cfg"), s.start, Entry::File, userCfg(s)},
        {QStringLiteral("temp/"), s.end, Entry::Folder, {}},
        {QStringLiteral("temp/Game/shadercache.log"), s.at(20000), Entry::File, shaderCacheLog(s)},
        {QStringLiteral("temp/crashpad/metadata"), ensure, Entry::File, ArchiveBinaryFiles::crashpadMetadata(s)},
        {QStringLiteral("stats/"), s.end, Entry::Folder, {}},
        {QStringLiteral("stats/perf_stats_v1.csv"), s.end, Entry::File, perfStatsCsv(s)},
    };
}

quint64 ArchiveContent::replayKey() const
{
    return Rng(spec.seed, "replay").next();
}

quint64 ArchiveContent::replayWord(quint64 key, quint64 index)
{
    quint64 state = key + index * 0x9e3779b97f4a7c15ULL;
    return Rng::splitmix64(state);
}

} // namespace gls::emu
