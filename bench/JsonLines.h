#pragma once

// The raw output of a benchmark program: one JSON object per line; lines of
// kind "meta" also describe the run (machine, commit, flags).

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace gls::bench {

// Reads every object into *raw and merges the "meta" ones into *meta. False
// with "file:line: ..." in *error when the file cannot be read or a line is
// not JSON.
bool readJsonLines(const QString &path, QJsonArray *raw, QJsonObject *meta, QString *error);

// Copies "--tag NAME=VALUE" options ("rep=2") into a printed object, numbers as
// numbers; false when one has no NAME=.
bool addTags(const QStringList &tags, QJsonObject *o);

} // namespace gls::bench
