#pragma once

// HTTP-date (RFC 9110, section 5.6.7): what the Date and Last-Modified headers
// carry. The transport reads the service's Date to correct a skewed clock, and
// S3's HeadObject its Last-Modified.

#include <QByteArrayView>
#include <QDate>
#include <QDateTime>

namespace gls::aws {

// Reads an HTTP-date in each of the three forms RFC 9110 asks a recipient to
// accept, names and "GMT" case-sensitive as the grammar writes them:
//   IMF-fixdate   "Sun, 06 Nov 1994 08:49:37 GMT" (what every AWS service sends)
//   RFC 850       "Sunday, 06-Nov-94 08:49:37 GMT" (obsolete; the two-digit
//                 year is the one at most 50 years after `today`, UTC's today
//                 when not given, and less than 50 before it)
//   asctime       "Sun Nov  6 08:49:37 1994" (obsolete)
// Whitespace around the value is ignored. Returns a UTC time, or an invalid
// QDateTime when the value is none of these or names a day that does not
// exist. The day name is checked to be a day name, not against the date.
// Second 60 (a leap second) is read as the next second.
//
// Plain byte parsing: no locale, no time-zone lookup (QLocale::toDateTime
// took 9 us and ten stat() calls of /etc/localtime per answer).
QDateTime parseHttpDate(QByteArrayView value, QDate today = {});

} // namespace gls::aws
