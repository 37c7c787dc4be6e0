#include "ByteArena.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace gls::cli {

namespace {

constexpr qsizetype kHugePage = qsizetype(2) << 20;
constexpr qsizetype kFirstBlock = qsizetype(4) << 20;

} // namespace

ByteArena::Block ByteArena::allocate(qsizetype size)
{
    Block block;
    block.size = size;
#ifdef Q_OS_LINUX
    // Aligned to a huge page, so that all of it can be backed by them.
    const qsizetype mapped = size + kHugePage;
    void *p = mmap(nullptr, size_t(mapped), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        const auto start = (reinterpret_cast<quintptr>(p) + quintptr(kHugePage) - 1) & ~quintptr(kHugePage - 1);
        block.data = reinterpret_cast<char *>(start);
        block.mapping = p;
        block.mappingSize = mapped;
        madvise(block.data, size_t(size), MADV_HUGEPAGE); // a hint: refused, the pages stay small
        return block;
    }
#endif
    block.data = static_cast<char *>(std::malloc(size_t(size)));
    if (!block.data)
        throw std::bad_alloc();
    return block;
}

void ByteArena::release(Block &block)
{
#ifdef Q_OS_LINUX
    if (block.mapping) {
        munmap(block.mapping, size_t(block.mappingSize));
        block = Block();
        return;
    }
#endif
    std::free(block.data);
    block = Block();
}

QByteArrayView ByteArena::append(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return {};
    if (m_blocks.empty() || m_blocks.back().size - m_blocks.back().used < bytes.size()) {
        // Each block twice the last: a few blocks for any listing.
        const qsizetype last = m_blocks.empty() ? kFirstBlock / 2 : m_blocks.back().size;
        m_blocks.push_back(allocate(std::max(last * 2, bytes.size())));
    }
    Block &block = m_blocks.back();
    char *at = block.data + block.used;
    std::memcpy(at, bytes.data(), size_t(bytes.size()));
    block.used += bytes.size();
    return QByteArrayView(at, bytes.size());
}

void ByteArena::clear()
{
    for (Block &block : m_blocks)
        release(block);
    m_blocks.clear();
}

} // namespace gls::cli
