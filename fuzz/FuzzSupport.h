#pragma once

// Shared by the fuzz targets: Qt's messages silenced (a parser may warn on
// every input), invariant checks that abort so libFuzzer keeps the input, and
// a splitter for targets that take several inputs at once.

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace gls::fuzz {

inline void quietQt()
{
    static const bool installed = [] {
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
        return true;
    }();
    Q_UNUSED(installed);
}

[[noreturn]] inline void invariantBroken(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    std::abort();
}

// At most `max` parts of `data` cut at each "\n--\n" (the dictionaries hold the separator).
inline QList<QByteArray> splitParts(const QByteArray &data, int max)
{
    QList<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() + 1 < max) {
        const qsizetype at = data.indexOf("\n--\n", from);
        if (at < 0)
            break;
        parts.append(data.mid(from, at - from));
        from = at + 4;
    }
    parts.append(data.mid(from));
    return parts;
}

} // namespace gls::fuzz

#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            ::gls::fuzz::invariantBroken(#cond, __FILE__, __LINE__);                                                   \
    } while (false)
