#include "ArchiveBinaryFiles.h"

#include <QStringList>
#include <QtEndian>

#include <array>
#include <utility>
#include <vector>

namespace gls::emu {
namespace {

using Rng = ArchiveContent::Rng;

// Builds little-endian binary records.
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

} // namespace

// A small but well-formed Windows minidump: header, stream directory, system info, exception,
// thread list (context + stack per thread) and module list.
QByteArray ArchiveBinaryFiles::minidump(const ArchiveContent &s)
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

// A real 96x54 RGB PNG. The zlib stream uses stored (uncompressed) deflate blocks, so no zlib is
// needed to make it; the archive deflates it anyway.
QByteArray ArchiveBinaryFiles::screenshotPng(const ArchiveContent &s)
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

QByteArray ArchiveBinaryFiles::saveGame(const ArchiveContent &s)
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

// Crashpad's database metadata: a small header and one pending report record.
QByteArray ArchiveBinaryFiles::crashpadMetadata(const ArchiveContent &s)
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

} // namespace gls::emu
