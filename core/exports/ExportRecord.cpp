#include "ExportRecord.h"

#include <array>
#include <utility>

namespace gls::exports {

namespace {

constexpr std::array kStatusNames{
    std::pair{ExportStatus::Requesting, "REQUESTING"},
    std::pair{ExportStatus::Pending, "PENDING"},
    std::pair{ExportStatus::Succeeded, "SUCCEEDED"},
    std::pair{ExportStatus::Failed, "FAILED"},
    std::pair{ExportStatus::Unknown, "UNKNOWN"},
};

constexpr std::array kSourceNames{
    std::pair{ExportSource::App, "APP"},
    std::pair{ExportSource::Elsewhere, "ELSEWHERE"},
};

constexpr std::array kDownloadNames{
    std::pair{DownloadState::None, "NONE"},
    std::pair{DownloadState::Running, "RUNNING"},
    std::pair{DownloadState::Done, "DONE"},
    std::pair{DownloadState::Failed, "FAILED"},
};

template <typename Table, typename Enum>
QString nameOf(const Table &table, Enum value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename Enum, typename Table>
std::optional<Enum> valueOf(const Table &table, const QString &name)
{
    for (const auto &[v, n] : table) {
        if (name == QLatin1String(n))
            return v;
    }
    return std::nullopt;
}

} // namespace

QString statusName(ExportStatus status)
{
    return nameOf(kStatusNames, status);
}

QString sourceName(ExportSource source)
{
    return nameOf(kSourceNames, source);
}

QString downloadStateName(DownloadState state)
{
    return nameOf(kDownloadNames, state);
}

std::optional<ExportStatus> statusFromName(const QString &name)
{
    return valueOf<ExportStatus>(kStatusNames, name);
}

std::optional<ExportSource> sourceFromName(const QString &name)
{
    return valueOf<ExportSource>(kSourceNames, name);
}

std::optional<DownloadState> downloadStateFromName(const QString &name)
{
    return valueOf<DownloadState>(kDownloadNames, name);
}

bool outputUriMatches(const QString &requestedUri, const QString &serviceOutputUri)
{
    if (requestedUri.isEmpty() || serviceOutputUri.isEmpty())
        return false;
    if (requestedUri.endsWith(QLatin1Char('/')))
        return serviceOutputUri.startsWith(requestedUri);
    return serviceOutputUri == requestedUri;
}

} // namespace gls::exports
