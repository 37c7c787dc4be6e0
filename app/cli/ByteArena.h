#pragma once

// Bytes kept until the end of a command, copied into a few large blocks
// instead of one allocation each. On Linux the blocks ask for transparent
// huge pages (MADV_HUGEPAGE): `sessions --json` keeps 6.4 MB of written JSON
// for 10,000 sessions, and on a virtual machine each fresh 4 KiB page costs a
// fault of ~10 us (1,600 of them, a tenth of the listing); 2 MiB pages need
// four. Where the kernel gives no huge pages, the blocks are ordinary memory.

#include <QByteArrayView>

#include <vector>

namespace gls::cli {

class ByteArena {
public:
    ByteArena() = default;
    ByteArena(const ByteArena &) = delete;
    ByteArena &operator=(const ByteArena &) = delete;
    ~ByteArena() { clear(); }

    // A copy of bytes, contiguous, valid until clear() or the arena's end.
    QByteArrayView append(QByteArrayView bytes);
    void clear();

private:
    struct Block {
        char *data = nullptr;
        qsizetype size = 0;
        qsizetype used = 0;
        void *mapping = nullptr; // what to unmap (null: malloc'd)
        qsizetype mappingSize = 0;
    };
    static Block allocate(qsizetype size);
    static void release(Block &block);

    std::vector<Block> m_blocks;
};

} // namespace gls::cli
