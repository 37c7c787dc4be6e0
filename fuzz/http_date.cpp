// An HTTP-date as aws::parseHttpDate reads it from a server's Date or
// Last-Modified header.
// Invariants: a date it accepts is a valid UTC time of years 1-9999; written
// back as IMF-fixdate (as the emulator and AWS write it) it reads as the same
// instant; and blanks around the value change nothing.

#include "FuzzSupport.h"

#include "aws/HttpDate.h"

#include <QLocale>

using namespace gls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::quietQt();
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    const QDate today(2026, 11, 29); // the RFC 850 form's two-digit years depend on it
    const QDateTime t = aws::parseHttpDate(value, today);
    FUZZ_CHECK(aws::parseHttpDate(" \t" + value + "\t ", today) == t);
    if (!t.isValid())
        return 0;
    FUZZ_CHECK(t.timeSpec() == Qt::UTC);
    FUZZ_CHECK(t.date().year() >= 1 && t.date().year() <= 9999);
    const QByteArray imf = QLocale::c().toString(t, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    FUZZ_CHECK(aws::parseHttpDate(imf, today) == t);
    return 0;
}
