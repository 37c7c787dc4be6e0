#pragma once

// CRC-64/NVME exactly as the CRC catalogue defines it (width 64, polynomial
// 0xad93d23594c93659, reflected in and out, initial value and final XOR all
// ones), one bit at a time: slow, and too plain to share a mistake with the
// folded code under test or the emulator's table.

#include <QByteArrayView>

namespace gls::test {

quint64 referenceCrc64Nvme(QByteArrayView bytes);

// The value as S3's x-amz-checksum-crc64nvme carries it: base64 of the 8 bytes, big-endian.
QByteArray crc64NvmeHeader(quint64 crc);

} // namespace gls::test
