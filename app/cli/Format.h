#pragma once

// Small text helpers for what people read: times, sizes, durations and
// "label  value" blocks.

#include <QList>
#include <QPair>
#include <QString>

class QDateTime;

namespace gls::cli {

// "2025-05-01 12:34:56Z" (UTC), or empty for an invalid time.
QString displayTime(const QDateTime &time);
// "812 B", "4.0 MiB", "1.25 GiB".
QString displayBytes(qint64 bytes);
// "42 s", "3 min 05 s", "2 h 01 min".
QString displayDuration(qint64 ms);

// One "label  value" line each, the values aligned; an empty value shows "-".
QString renderFields(const QList<QPair<QString, QString>> &fields);

} // namespace gls::cli
