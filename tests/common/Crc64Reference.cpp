#include "Crc64Reference.h"

#include <QByteArray>

namespace gls::test {

quint64 referenceCrc64Nvme(QByteArrayView bytes)
{
    quint64 reversed = 0;
    for (int i = 0; i < 64; ++i)
        reversed |= ((0xad93d23594c93659ull >> i) & 1u) << (63 - i);
    quint64 crc = ~quint64(0);
    for (const char c : bytes) {
        crc ^= static_cast<unsigned char>(c);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1u) ? reversed : 0);
    }
    return ~crc;
}

QByteArray crc64NvmeHeader(quint64 crc)
{
    QByteArray bytes(8, Qt::Uninitialized);
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((crc >> (56 - 8 * i)) & 0xFF);
    return bytes.toBase64();
}

} // namespace gls::test
