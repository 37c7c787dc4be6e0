#include "ArchiveWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStringList>
#include <QtEndian>

#include <zip.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

namespace gls::emu {
namespace {

constexpr qint64 kMaxStatsRows = 4 * 60 * 60; // one row per second, at most four hours
constexpr qint64 kMaxLogEvents = 1500;

// --- Deterministic randomness -----------------------------------------------------------------

quint64 splitmix64(quint64 &state)
{
    quint64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256**, seeded through splitmix64. Every generated file draws from its own stream (seed
// mixed with the stream's name), so a change to one file never shifts the bytes of another.
class Rng {
public:
    Rng(quint64 seed, const char *stream)
    {
        quint64 h = 0xcbf29ce484222325ULL; // FNV-1a of the stream name
        for (const char *p = stream; *p; ++p)
            h = (h ^ quint8(*p)) * 0x100000001b3ULL;
        quint64 state = seed ^ h;
        for (quint64 &s : m_s)
            s = splitmix64(state);
    }

    quint64 next()
    {
        const quint64 result = rotl(m_s[1] * 5, 7) * 9;
        const quint64 t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform enough in [lo, hi]; the modulo bias is irrelevant for fake content.
    qint64 range(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); }

    QByteArray bytes(qsizetype n)
    {
        QByteArray out(n, Qt::Uninitialized);
        for (qsizetype i = 0; i < n; ++i)
            out[i] = char(next() >> 56);
        return out;
    }

    QByteArray hex(int nBytes) { return bytes(nBytes).toHex().toUpper(); }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<quint64, 4> m_s{};
};

// --- Binary helpers -----------------------------------------------------------------------------

class LeBuffer {
public:
    template <typename T>
    void put(T value)
    {
        for (size_t i = 0; i < sizeof(T); ++i)
            m_data.append(char(quint64(value) >> (8 * i)));
    }
    void bytes(const QByteArray &data) { m_data.append(data); }
    void zeros(qsizetype n) { m_data.append(n, '\0'); }
    void patch32(qsizetype at, quint32 value)
    {
        for (int i = 0; i < 4; ++i)
            m_data[at + i] = char(value >> (8 * i));
    }
    // Unreal's FString: int32 length including the terminator, then the characters.
    void fstring(const QByteArray &latin1)
    {
        put<qint32>(qint32(latin1.size() + 1));
        m_data.append(latin1).append('\0');
    }
    quint32 pos() const { return quint32(m_data.size()); }
    qsizetype size() const { return m_data.size(); }
    const QByteArray &data() const { return m_data; }

private:
    QByteArray m_data;
};

constexpr std::array<quint32, 256> kCrcTable = [] {
    std::array<quint32, 256> table{};
    for (quint32 n = 0; n < 256; ++n) {
        quint32 c = n;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}();

quint32 crc32(const QByteArray &data)
{
    quint32 c = 0xffffffffU;
    for (char ch : data)
        c = kCrcTable[(c ^ quint8(ch)) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffU;
}

void appendBe32(QByteArray &out, quint32 v)
{
    const char be[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(be, 4);
}

// --- The session the archive describes --------------------------------------------------------

struct Session {
    const ArchiveSpec &spec;
    QDateTime start; // UTC
    QDateTime end;   // UTC, never before start
    qint64 durationMs = 0;
    qint64 screenshotMs = 0;
    qint64 ensureMs = 0; // the handled crash (an Unreal "ensure") that left a minidump
    qint64 saveMs = 0;

    QDateTime at(qint64 ms) const { return start.addMSecs(qBound<qint64>(0, ms, durationMs)); }
};

Session makeSession(const ArchiveSpec &spec)
{
    Session s{spec, spec.startedAt.toUTC(), {}};
    s.end = spec.endedAt.isValid() && spec.endedAt >= spec.startedAt ? spec.endedAt.toUTC() : s.start;
    s.durationMs = s.start.msecsTo(s.end);
    Rng rng(spec.seed, "timeline");
    s.screenshotMs = s.durationMs * rng.range(15, 35) / 100;
    s.ensureMs = s.durationMs * rng.range(40, 85) / 100;
    s.saveMs = s.durationMs * rng.range(88, 97) / 100;
    return s;
}

QString crashFolder(const Session &s)
{
    return QStringLiteral("Crash-") + s.at(s.ensureMs).toString(QStringLiteral("yyyy.MM.dd-HH.mm.ss"));
}

QString screenshotName(const Session &s)
{
    return QStringLiteral("Screenshot-") + s.at(s.screenshotMs).toString(QStringLiteral("yyyyMMdd-HHmmss"))
        + QStringLiteral(".png");
}

// --- application/ -----------------------------------------------------------------------------

QByteArray gameLog(const Session &s)
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

QByteArray settingsIni(const Session &s)
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

// A small but well-formed Windows minidump: header, stream directory, system info, exception,
// thread list (context + stack per thread) and module list.
QByteArray minidump(const Session &s)
{
    Rng rng(s.spec.seed, "minidump");
    constexpr quint32 kContextSize = 1232; // sizeof(CONTEXT) on AMD64
    constexpr quint32 kStackSize = 4096;
    constexpr quint32 kStreams = 4;
    constexpr quint64 kImageBase = 0x00007ff6'a0000000ULL;
    const QStringList modules = {QStringLiteral("D:\\Game\\Binaries\\Win64\\Game-Win64-Shipping.exe"),
        QStringLiteral("C:\\Windows\\System32\\ntdll.dll"), QStringLiteral("C:\\Windows\\System32\\KERNEL32.DLL"),
        QStringLiteral("C:\\Windows\\System32\\D3D12Core.dll")};
    quint32 threadIds[3];
    for (quint32 &id : threadIds)
        id = quint32(rng.range(1000, 9000)) * 4;

    LeBuffer b;
    b.put<quint32>(0x504d444d); // "MDMP"
    b.put<quint32>(0xa793);     // MINIDUMP_VERSION
    b.put<quint32>(kStreams);
    b.put<quint32>(32); // the stream directory follows the header
    b.put<quint32>(0);  // checksum
    b.put<quint32>(quint32(s.at(s.ensureMs).toSecsSinceEpoch()));
    b.put<quint64>(0x21); // MiniDumpWithDataSegs | MiniDumpWithUnloadedModules
    const qsizetype directory = b.size();
    b.zeros(12 * kStreams);

    // Variable-size data (contexts, stacks, strings) goes after the streams; RVAs are patched then.
    std::vector<std::pair<qsizetype, QByteArray>> blobs;
    auto rvaOf = [&](const QByteArray &blob) {
        blobs.emplace_back(b.size(), blob);
        b.put<quint32>(0);
    };
    auto location = [&](const QByteArray &blob) {
        b.put<quint32>(quint32(blob.size()));
        rvaOf(blob);
    };
    int streamIndex = 0;
    auto stream = [&](quint32 type, auto &&body) {
        const quint32 rva = b.pos();
        body();
        const qsizetype entry = directory + 12 * streamIndex++;
        b.patch32(entry, type);
        b.patch32(entry + 4, b.pos() - rva);
        b.patch32(entry + 8, rva);
    };
    auto minidumpString = [](const QString &text) {
        LeBuffer str;
        str.put<quint32>(quint32(text.size() * 2));
        for (QChar c : text)
            str.put<quint16>(c.unicode());
        str.put<quint16>(0);
        return str.data();
    };
    auto context = [&](quint64 rsp) {
        QByteArray ctx(kContextSize, '\0');
        auto set64 = [&ctx](int offset, quint64 v) { qToLittleEndian(v, ctx.data() + offset); };
        // ContextFlags: CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT
        qToLittleEndian<quint32>(0x10001f, ctx.data() + 0x30);
        for (int reg = 0x78; reg <= 0xf0; reg += 8) { // Rax .. R15
            const int shift = int(rng.range(16, 40));
            set64(reg, rng.next() >> shift);
        }
        set64(0x98, rsp);                                                // Rsp
        set64(0xf8, kImageBase + quint64(rng.range(0x1000, 0x3ffffff))); // Rip
        return ctx;
    };

    // SystemInfoStream
    stream(7, [&] {
        b.put<quint16>(9);      // PROCESSOR_ARCHITECTURE_AMD64
        b.put<quint16>(0x17);   // family 23 (Zen 2)
        b.put<quint16>(0x3100); // model 0x31, stepping 0
        b.put<quint8>(8);       // processors
        b.put<quint8>(3);       // VER_NT_SERVER
        b.put<quint32>(10);
        b.put<quint32>(0);
        b.put<quint32>(20348); // Windows Server 2022
        b.put<quint32>(2);     // VER_PLATFORM_WIN32_NT
        rvaOf(minidumpString(QString()));
        b.put<quint16>(0x0110); // suite mask
        b.put<quint16>(0);
        b.bytes(QByteArrayLiteral("AuthenticAMD"));
        b.put<quint32>(0x00830f10);
        b.put<quint32>(0x178bfbff);
        b.put<quint32>(0x2fd3fbff);
    });
    const QByteArray crashContext = context(0x000000e2'4f7fe000ULL);
    stream(6, [&] { // ExceptionStream
        b.put<quint32>(threadIds[0]);
        b.put<quint32>(0);
        b.put<quint32>(0x80000003); // EXCEPTION_BREAKPOINT, what an ensure raises
        b.put<quint32>(0);
        b.put<quint64>(0);
        b.put<quint64>(qFromLittleEndian<quint64>(crashContext.constData() + 0xf8));
        b.put<quint32>(0);
        b.put<quint32>(0);
        b.zeros(15 * 8);
        location(crashContext);
    });
    stream(3, [&] { // ThreadListStream
        b.put<quint32>(3);
        for (int t = 0; t < 3; ++t) {
            const quint64 stackStart = 0x000000e2'4f7fe000ULL - quint64(t) * 0x100000ULL;
            b.put<quint32>(threadIds[t]);
            b.put<quint32>(0);    // suspend count
            b.put<quint32>(0x20); // NORMAL_PRIORITY_CLASS
            b.put<quint32>(t == 0 ? 0 : 2);
            b.put<quint64>(0x000000e2'4f600000ULL + quint64(t) * 0x2000);
            b.put<quint64>(stackStart);
            location(rng.bytes(kStackSize));
            location(t == 0 ? crashContext : context(stackStart));
        }
    });
    stream(4, [&] { // ModuleListStream
        b.put<quint32>(quint32(modules.size()));
        for (int m = 0; m < modules.size(); ++m) {
            b.put<quint64>(m == 0 ? kImageBase : 0x00007ffc'00000000ULL + quint64(m) * 0x10000000ULL);
            b.put<quint32>(m == 0 ? 0x05a3c000 : quint32(rng.range(0x80000, 0x200000)) & ~0xfffU);
            b.put<quint32>(quint32(rng.next()));
            b.put<quint32>(quint32(rng.range(1600000000, 1700000000)));
            rvaOf(minidumpString(modules.at(m)));
            for (quint32 v : {0xfeef04bdU, 0x10000U, 0xa0000U, 0x4f7c0000U, 0xa0000U, 0x4f7c0000U, 0x3fU, 0U, 0x40004U,
                     m == 0 ? 1U : 2U, 0U, 0U, 0U}) // VS_FIXEDFILEINFO
                b.put<quint32>(v);
            b.zeros(8 + 8 + 8 + 8); // CvRecord, MiscRecord, Reserved0, Reserved1
        }
    });
    for (auto &[rvaField, blob] : blobs) {
        b.patch32(rvaField, b.pos());
        b.bytes(blob);
        b.zeros((4 - blob.size() % 4) % 4);
    }
    return b.data();
}

QByteArray crashContextXml(const Session &s)
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

// A real 96x54 RGB PNG. The zlib stream uses stored (uncompressed) deflate blocks, so no zlib is
// needed to make it; the archive deflates it anyway.
QByteArray screenshotPng(const Session &s)
{
    Rng rng(s.spec.seed, "screenshot");
    constexpr int kWidth = 96;
    constexpr int kHeight = 54;
    QByteArray raw;
    raw.reserve(kHeight * (1 + kWidth * 3));
    for (int y = 0; y < kHeight; ++y) {
        raw.append('\0'); // filter: none
        for (int x = 0; x < kWidth; ++x) {
            const int noise = int(rng.range(-6, 6));
            const bool ground = y > kHeight * 3 / 5;
            const int r = ground ? 60 + x / 4 : 90 + y * 2;
            const int g = ground ? 110 - y / 2 : 150 + y * 2;
            const int b = ground ? 40 : 230 - y;
            raw.append(char(qBound(0, r + noise, 255)))
                .append(char(qBound(0, g + noise, 255)))
                .append(char(qBound(0, b + noise, 255)));
        }
    }
    QByteArray zlib("\x78\x01", 2);
    for (qsizetype off = 0; off < raw.size(); off += 65535) {
        const quint16 len = quint16(qMin<qsizetype>(65535, raw.size() - off));
        const char head[5]
            = {char(off + len >= raw.size() ? 1 : 0), char(len), char(len >> 8), char(~len), char(~len >> 8)};
        zlib.append(head, 5).append(raw.constData() + off, len);
    }
    quint32 a = 1, b = 0; // Adler-32
    for (char c : raw) {
        a = (a + quint8(c)) % 65521;
        b = (b + a) % 65521;
    }
    appendBe32(zlib, (b << 16) | a);

    auto chunk = [](const char *type, const QByteArray &payload) {
        QByteArray body = QByteArray(type, 4) + payload;
        QByteArray out;
        appendBe32(out, quint32(payload.size()));
        out += body;
        appendBe32(out, crc32(body));
        return out;
    };
    QByteArray ihdr;
    appendBe32(ihdr, kWidth);
    appendBe32(ihdr, kHeight);
    ihdr.append("\x08\x02\x00\x00\x00", 5); // 8 bit, truecolour, deflate, no filter, no interlace
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", {});
}

// --- profile/ and temp/ ---------------------------------------------------------------------------

QByteArray saveGame(const Session &s)
{
    Rng rng(s.spec.seed, "savegame");
    LeBuffer b;
    b.bytes(QByteArrayLiteral("GVAS"));
    b.put<quint32>(3);    // save game file version
    b.put<quint32>(522);  // UE4 package version
    b.put<quint32>(1009); // UE5 package version
    b.put<quint16>(5);
    b.put<quint16>(3);
    b.put<quint16>(2);
    b.put<quint32>(29314046);
    b.fstring("++UE5+Release-5.3");
    b.put<quint32>(3); // custom version format
    b.put<quint32>(0); // no custom versions
    b.fstring("/Script/Game.GameSaveData");
    auto intProperty = [&b](const QByteArray &name, qint32 value) {
        b.fstring(name);
        b.fstring("IntProperty");
        b.put<qint64>(4);
        b.put<quint8>(0);
        b.put<qint32>(value);
    };
    auto strProperty = [&b](const QByteArray &name, const QByteArray &value) {
        b.fstring(name);
        b.fstring("StrProperty");
        b.put<qint64>(value.size() + 5);
        b.put<quint8>(0);
        b.fstring(value);
    };
    intProperty("PlayerLevel", qint32(rng.range(1, 60)));
    intProperty("PlaySeconds", qint32(qMin<qint64>(s.saveMs / 1000, 0x7fffffff)));
    intProperty("Gold", qint32(rng.range(0, 250000)));
    strProperty("LastSessionId", s.spec.sessionId.toUtf8());
    strProperty("CheckpointName", "Level_" + QByteArray::number(rng.range(1, 12)));
    b.fstring("None");
    b.put<quint32>(0);
    return b.data();
}

QByteArray userCfg(const Session &s)
{
    Rng rng(s.spec.seed, "usercfg");
    return QStringLiteral("; Game user configuration\r\n[Input]\r\nMouseSensitivity=0.%1\r\nInvertY=%2\r\n"
                          "GamepadVibration=true\r\n\r\n[Account]\r\nUserId=%3\r\nLastLocation=%4\r\nLastPlayed=%5\r\n")
        .arg(rng.range(20, 95))
        .arg(rng.range(0, 3) == 0 ? QStringLiteral("true") : QStringLiteral("false"))
        .arg(s.spec.userId, s.spec.location, s.start.toString(Qt::ISODate))
        .toUtf8();
}

QByteArray shaderCacheLog(const Session &s)
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

// Crashpad's database metadata: a small header and one pending report record.
QByteArray crashpadMetadata(const Session &s)
{
    Rng rng(s.spec.seed, "crashpad");
    const QByteArray path = "reports/" + rng.hex(16).toLower() + ".dmp";
    LeBuffer b;
    b.put<quint32>(0x43506164); // 'CPad'
    b.put<quint32>(1);
    b.put<quint32>(1); // records
    b.put<quint32>(0);
    b.bytes(rng.bytes(16));                   // report UUID
    b.put<quint32>(0);                        // file path offset in the string table
    b.put<quint32>(quint32(path.size() + 1)); // empty upload id follows the path
    b.put<qint64>(s.at(s.ensureMs).toSecsSinceEpoch());
    b.put<qint64>(0); // never uploaded
    b.put<qint32>(0);
    b.put<qint32>(0); // state: pending
    b.bytes(path + QByteArray(2, '\0'));
    return b.data();
}

// --- stats/ -----------------------------------------------------------------------------------------

QByteArray perfStatsCsv(const Session &s)
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

// --- The archive ---------------------------------------------------------------------------------

// Streams the incompressible bulk file into libzip in whatever chunks it asks for. Byte p is byte
// p % 8 of splitmix64(seed-derived key + p / 8), so the content does not depend on the chunking,
// and nothing but the position needs to be kept.
class ReplaySource {
public:
    ReplaySource(quint64 seed, quint64 size)
        : m_key(Rng(seed, "replay").next())
        , m_size(size)
    {
        zip_error_init(&m_error);
    }
    ~ReplaySource() { zip_error_fini(&m_error); }

    static zip_int64_t callback(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
    {
        auto *self = static_cast<ReplaySource *>(userdata);
        switch (cmd) {
        case ZIP_SOURCE_OPEN:
            self->m_pos = 0;
            return 0;
        case ZIP_SOURCE_READ:
            return self->read(static_cast<quint8 *>(data), len);
        case ZIP_SOURCE_CLOSE:
            return 0;
        case ZIP_SOURCE_STAT: {
            if (len < sizeof(zip_stat_t)) {
                zip_error_set(&self->m_error, ZIP_ER_INVAL, 0);
                return -1;
            }
            auto *st = static_cast<zip_stat_t *>(data);
            zip_stat_init(st);
            st->size = self->m_size; // known up front, so libzip picks ZIP64 before writing the header
            st->valid |= ZIP_STAT_SIZE;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&self->m_error, data, len);
        case ZIP_SOURCE_FREE:
            delete self;
            return 0;
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default:
            zip_error_set(&self->m_error, ZIP_ER_OPNOTSUPP, 0);
            return -1;
        }
    }

private:
    quint64 word(quint64 index) const
    {
        quint64 state = m_key + index * 0x9e3779b97f4a7c15ULL;
        return splitmix64(state);
    }

    zip_int64_t read(quint8 *out, quint64 len)
    {
        len = qMin(len, m_size - m_pos);
        for (quint64 done = 0; done < len;) {
            if ((m_pos & 7) == 0 && len - done >= 8) {
                qToLittleEndian(word(m_pos >> 3), out + done);
                done += 8;
                m_pos += 8;
            } else {
                out[done++] = quint8(word(m_pos >> 3) >> (8 * (m_pos & 7)));
                ++m_pos;
            }
        }
        return zip_int64_t(len);
    }

    quint64 m_key = 0;
    quint64 m_size = 0;
    quint64 m_pos = 0;
    zip_error_t m_error;
};

struct Entry {
    enum Kind { Folder, File, Replay };
    QString name;
    QDateTime mtime;
    Kind kind = File;
    QByteArray data;
};

std::vector<Entry> fixedEntries(const Session &s)
{
    const QString crash = QStringLiteral("application/Game/Saved/Crashes/") + crashFolder(s);
    const QDateTime ensure = s.at(s.ensureMs);
    return {
        {QStringLiteral("application/"), s.end, Entry::Folder, {}},
        {QStringLiteral("application/Game/Saved/Logs/Game.log"), s.end, Entry::File, gameLog(s)},
        {QStringLiteral("application/Game/Saved/Config/Settings.ini"), s.end, Entry::File, settingsIni(s)},
        {crash + QStringLiteral("/Minidump.dmp"), ensure, Entry::File, minidump(s)},
        {crash + QStringLiteral("/CrashContext.runtime-xml"), ensure, Entry::File, crashContextXml(s)},
        {QStringLiteral("application/Game/Saved/Screenshots/") + screenshotName(s), s.at(s.screenshotMs), Entry::File,
            screenshotPng(s)},
        {QStringLiteral("application/Game/Saved/Replays/replay.bin"), s.end, Entry::Replay, {}},
        {QStringLiteral("profile/"), s.end, Entry::Folder, {}},
        {QStringLiteral("profile/AppData/Local/Game/SaveGames/slot1.sav"), s.at(s.saveMs), Entry::File, saveGame(s)},
        {QStringLiteral("profile/Documents/Game/user.cfg"), s.start, Entry::File, userCfg(s)},
        {QStringLiteral("temp/"), s.end, Entry::Folder, {}},
        {QStringLiteral("temp/Game/shadercache.log"), s.at(20000), Entry::File, shaderCacheLog(s)},
        {QStringLiteral("temp/crashpad/metadata"), ensure, Entry::File, crashpadMetadata(s)},
        {QStringLiteral("stats/"), s.end, Entry::Folder, {}},
        {QStringLiteral("stats/perf_stats_v1.csv"), s.end, Entry::File, perfStatsCsv(s)},
    };
}

QString zipError(zip_t *za)
{
    return QString::fromLocal8Bit(zip_error_strerror(zip_get_error(za)));
}

bool addEntry(zip_t *za, const Entry &e, const Session &s, quint64 replaySize, QString *reason)
{
    const QByteArray name = e.name.toUtf8();
    zip_int64_t index = -1;
    if (e.kind == Entry::Folder) {
        index = zip_dir_add(za, name.chopped(1).constData(), ZIP_FL_ENC_UTF_8);
    } else {
        zip_source_t *src = nullptr;
        if (e.kind == Entry::Replay) {
            auto *replay = new ReplaySource(s.spec.seed, replaySize);
            if (!(src = zip_source_function(za, &ReplaySource::callback, replay)))
                delete replay;
        } else {
            src = zip_source_buffer(za, e.data.constData(), zip_uint64_t(e.data.size()), 0);
        }
        if (src && (index = zip_file_add(za, name.constData(), src, ZIP_FL_ENC_UTF_8)) < 0)
            zip_source_free(src);
        const bool bulk = e.kind == Entry::Replay; // incompressible: stored, everything else deflated
        const zip_int32_t method = bulk ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
        if (index >= 0 && zip_set_file_compression(za, zip_uint64_t(index), method, bulk ? 0 : 9) != 0)
            index = -1;
    }
    // The DOS date and time hold the wall clock of the (UTC) streaming host, as the service's own
    // archives do; libzip converts with localtime(), so hand it the local instant with those
    // fields. This also keeps the bytes independent of our time zone. The extended timestamp
    // ("UT") field carries the exact UTC time for tools that read it.
    const time_t dosTime = time_t(QDateTime(e.mtime.date(), e.mtime.time(), Qt::LocalTime).toSecsSinceEpoch());
    const time_t mtime = time_t(e.mtime.toSecsSinceEpoch());
    const quint8 ut[5] = {1, quint8(mtime), quint8(mtime >> 8), quint8(mtime >> 16), quint8(mtime >> 24)};
    const zip_flags_t both = ZIP_FL_LOCAL | ZIP_FL_CENTRAL;
    if (index < 0 || zip_file_set_mtime(za, zip_uint64_t(index), dosTime, 0) != 0
        || zip_file_extra_field_set(za, zip_uint64_t(index), 0x5455, ZIP_EXTRA_FIELD_NEW, ut, sizeof ut, both) != 0) {
        *reason = QStringLiteral("cannot add %1: %2").arg(e.name, zipError(za));
        return false;
    }
    return true;
}

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

} // namespace

bool writeSessionArchive(const ArchiveSpec &spec, const QString &destPath, QString *error)
{
    auto fail = [error](const QString &reason) {
        if (error)
            *error = reason;
        return false;
    };
    if (!spec.startedAt.isValid())
        return fail(QStringLiteral("the session start time is not valid"));
    const QFileInfo dest(destPath);
    const QString folder = dest.absolutePath();
    if (dest.fileName().isEmpty())
        return fail(QStringLiteral("no archive file name in %1").arg(destPath));
    if (!QFileInfo(folder).isDir())
        return fail(QStringLiteral("destination folder %1 does not exist").arg(folder));

    const Session session = makeSession(spec);
    const std::vector<Entry> entries = fixedEntries(session); // buffers must outlive zip_close
    qint64 fixedSize = 0;
    for (const Entry &e : entries)
        fixedSize += e.data.size();
    const quint64 replaySize = quint64(qMax<qint64>(0, spec.targetSize - fixedSize));

    const QString tmpPath
        = QStringLiteral("%1/.%2.%3.part")
              .arg(folder, dest.fileName(), QString::number(QRandomGenerator::global()->generate64(), 36));
    int zerr = ZIP_ER_OK;
    zip_t *za = zip_open(QFile::encodeName(tmpPath).constData(), ZIP_CREATE | ZIP_EXCL, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        const QString reason = QString::fromLocal8Bit(zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return fail(QStringLiteral("cannot create %1: %2").arg(tmpPath, reason));
    }
    QString reason;
    for (const Entry &e : entries) {
        if (!addEntry(za, e, session, replaySize, &reason)) {
            zip_discard(za);
            QFile::remove(tmpPath);
            return fail(reason);
        }
    }
    // libzip writes everything here, into its own temporary file next to tmpPath.
    if (zip_close(za) != 0) {
        reason = zipError(za);
        zip_discard(za);
        QFile::remove(tmpPath);
        return fail(QStringLiteral("cannot write %1: %2").arg(destPath, reason));
    }
    std::error_code ec;
    std::filesystem::rename(nativePath(tmpPath), nativePath(dest.absoluteFilePath()), ec);
    if (ec) {
        QFile::remove(tmpPath);
        return fail(
            QStringLiteral("cannot move the archive to %1: %2").arg(destPath, QString::fromStdString(ec.message())));
    }
    return true;
}

} // namespace gls::emu
