#pragma once

// CRC-64/NVME, fed as bytes arrive: the checksum S3 stores with every object
// uploaded without one of its own since its default integrity protections
// (the AWS SDKs validate it on download). The parameters, from the CRC
// catalogue: width 64, polynomial 0xad93d23594c93659, reflected, initial value
// and final XOR all ones; the check value of "123456789" is 0xae8b14860a799888.
//
// On an x86-64 CPU with carry-less multiplication (PCLMULQDQ) the bytes are
// folded 64 at a time, which costs a small fraction of MD5's time for the same
// bytes; elsewhere an 8-bytes-at-a-time table does the work.

#include <QByteArray>
#include <QByteArrayView>

namespace gls::s3 {

class Crc64Nvme {
public:
    void reset() { m_register = kAllOnes; }
    void addData(QByteArrayView bytes) { m_register = update(m_register, bytes); }
    quint64 value() const { return m_register ^ kAllOnes; }
    // The 8 bytes S3 base64-encodes in x-amz-checksum-crc64nvme (big-endian).
    QByteArray result() const;
    // A value as that header carries it ("rsfCkaC/CO0=").
    static QByteArray toHeader(quint64 crc);

    static quint64 of(QByteArrayView bytes);
    // Whether this CPU takes the carry-less multiplication path.
    static bool accelerated();
    // The table path whatever the CPU, so tests can hold both paths to the same answers.
    static quint64 ofPortable(QByteArrayView bytes);

private:
    static constexpr quint64 kAllOnes = ~quint64(0);
    static quint64 update(quint64 crcRegister, QByteArrayView bytes);

    quint64 m_register = kAllOnes;
};

} // namespace gls::s3
