#include "Seeder.h"

#include <algorithm>

namespace gls::emu {

quint64 SplitMix64::next()
{
    quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

QString randomAlnum(SplitMix64 &rng, int length)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    s.reserve(length);
    for (int i = 0; i < length; ++i)
        s.append(QLatin1Char(chars[rng.below(62)]));
    return s;
}

namespace {

const QStringList kGames = {
    QStringLiteral("Skyforge"), QStringLiteral("Nightfall"), QStringLiteral("Driftline"),
    QStringLiteral("Ironvale"), QStringLiteral("Starhollow"), QStringLiteral("Emberfall"),
};
const QStringList kGroupPurposes = {
    QStringLiteral("QA nightly"), QStringLiteral("Release candidate"), QStringLiteral("Playtest"),
    QStringLiteral("Perf lab"), QStringLiteral("Support repro"), QStringLiteral("Demo floor"),
};
const QStringList kStreamClasses = {
    QStringLiteral("gen4n_high"), QStringLiteral("gen5n_ultra"), QStringLiteral("gen6n_pro"),
    QStringLiteral("gen6n_medium"), QStringLiteral("gen5n_win2022"), QStringLiteral("gen6e_pro"),
};
const QStringList kExtraLocations = {
    QStringLiteral("us-east-1"), QStringLiteral("eu-central-1"), QStringLiteral("ap-northeast-1"),
    QStringLiteral("us-west-2"), QStringLiteral("us-east-2"),
};
const QStringList kUserPrefixes = {
    QStringLiteral("qa-tester-"), QStringLiteral("player-"), QStringLiteral("support/ticket-"),
    QStringLiteral("playtest_"), QStringLiteral("dev-"),
};

// The first eight sessions take every status once, so small seeds show them all.
const QStringList kStatusOrder = {
    QStringLiteral("ACTIVE"), QStringLiteral("CONNECTED"), QStringLiteral("TERMINATED"),
    QStringLiteral("PENDING_CLIENT_RECONNECTION"), QStringLiteral("RECONNECTING"), QStringLiteral("ACTIVATING"),
    QStringLiteral("TERMINATING"), QStringLiteral("ERROR"),
};

QString weightedStatus(SplitMix64 &rng)
{
    const double x = rng.unit();
    if (x < 0.36) return QStringLiteral("TERMINATED");
    if (x < 0.58) return QStringLiteral("CONNECTED");
    if (x < 0.72) return QStringLiteral("ACTIVE");
    if (x < 0.78) return QStringLiteral("PENDING_CLIENT_RECONNECTION");
    if (x < 0.81) return QStringLiteral("RECONNECTING");
    if (x < 0.88) return QStringLiteral("ACTIVATING");
    if (x < 0.93) return QStringLiteral("TERMINATING");
    return QStringLiteral("ERROR");
}

QString groupStatus(int indexInRegion, SplitMix64 &rng)
{
    if (indexInRegion == 0)
        return QStringLiteral("ACTIVE");
    const double x = rng.unit();
    if (x < 0.60) return QStringLiteral("ACTIVE");
    if (x < 0.72) return QStringLiteral("ACTIVE_WITH_ERRORS");
    if (x < 0.80) return QStringLiteral("UPDATING_LOCATIONS");
    if (x < 0.86) return QStringLiteral("ACTIVATING");
    if (x < 0.91) return QStringLiteral("ERROR");
    if (x < 0.96) return QStringLiteral("EXPIRED");
    return QStringLiteral("DELETING");
}

bool hostsSessions(const QString &status)
{
    return status == QLatin1String("ACTIVE") || status == QLatin1String("ACTIVE_WITH_ERRORS")
        || status == QLatin1String("UPDATING_LOCATIONS");
}

} // namespace

SeededAccount seedAccount(const SeedConfig &config, const QDateTime &now)
{
    SplitMix64 rng(config.seed);
    SeededAccount out;
    const int regionCount = int(config.regions.size());
    QHash<QString, int> perRegion;

    for (int i = 0; i < config.groups; ++i) {
        StreamGroup g;
        g.region = config.regions.at(i % regionCount);
        const int indexInRegion = perRegion[g.region]++;
        g.id = QStringLiteral("sg-") + randomAlnum(rng, 9);
        const QString game = kGames.at(rng.below(kGames.size()));
        g.description = QStringLiteral("%1 %2 %3").arg(game, kGroupPurposes.at(rng.below(kGroupPurposes.size())))
                            .arg(indexInRegion + 1);
        g.status = groupStatus(indexInRegion, rng);
        if (g.status == QLatin1String("ERROR") || g.status == QLatin1String("ACTIVE_WITH_ERRORS"))
            g.statusReason = rng.chance(0.5) ? QStringLiteral("noAvailableInstances") : QStringLiteral("internalError");
        g.streamClass = kStreamClasses.at(rng.below(kStreamClasses.size()));
        g.defaultApplicationId = QStringLiteral("a-") + randomAlnum(rng, 9);
        g.associatedApplicationIds = {g.defaultApplicationId};
        if (rng.chance(0.4))
            g.associatedApplicationIds.append(QStringLiteral("a-") + randomAlnum(rng, 9));
        LocationState home;
        home.name = g.region;
        home.alwaysOn = int(rng.below(4));
        home.targetIdle = int(rng.below(3));
        home.maximum = 10 + int(rng.below(40));
        home.allocated = home.alwaysOn + int(rng.below(5));
        home.requested = home.allocated;
        home.idle = int(rng.below(home.allocated + 1));
        home.status = g.status == QLatin1String("ACTIVATING") ? QStringLiteral("ACTIVATING") : QStringLiteral("ACTIVE");
        g.locations.append(home);
        const int extra = int(rng.below(3));
        for (int k = 0; k < extra; ++k) {
            const QString name = kExtraLocations.at(rng.below(kExtraLocations.size()));
            if (std::any_of(g.locations.cbegin(), g.locations.cend(), [&](const LocationState &l) { return l.name == name; }))
                continue;
            LocationState loc = home;
            loc.name = name;
            loc.status = g.status == QLatin1String("ACTIVE_WITH_ERRORS") && k == 0 ? QStringLiteral("ERROR")
                       : g.status == QLatin1String("UPDATING_LOCATIONS") ? QStringLiteral("ACTIVATING")
                                                                        : QStringLiteral("ACTIVE");
            g.locations.append(loc);
        }
        g.createdAt = now.addSecs(-qint64(86400 * rng.range(3, 90)));
        g.lastUpdatedAt = g.createdAt.addSecs(qint64(rng.range(60, 86400)));
        if (g.status == QLatin1String("EXPIRED"))
            g.expiresAt = now.addSecs(-qint64(rng.range(3600, 86400)));
        else if (rng.chance(0.3))
            g.expiresAt = now.addSecs(qint64(86400 * rng.range(30, 365)));
        out.groups.push_back(g);
    }

    std::vector<const StreamGroup *> hosts;
    for (const StreamGroup &g : out.groups) {
        if (hostsSessions(g.status))
            hosts.push_back(&g);
    }
    if (hosts.empty())
        return out;

    for (int i = 0; i < config.sessions; ++i) {
        StreamSession s;
        s.ordinal = quint64(i + 1);
        s.seed = rng.next();
        const StreamGroup &g = *hosts.at(i < int(hosts.size()) ? i : rng.below(hosts.size()));
        s.groupId = g.id;
        s.region = g.region;
        s.id = randomAlnum(rng, 13);
        s.applicationId = g.associatedApplicationIds.at(rng.below(g.associatedApplicationIds.size()));
        s.location = g.locations.at(rng.below(g.locations.size())).name;
        s.userId = kUserPrefixes.at(rng.below(kUserPrefixes.size())) + QString::number(1000 + rng.below(9000));
        if (rng.chance(0.3))
            s.description = QStringLiteral("Build %1.%2.%3").arg(1 + rng.below(3)).arg(rng.below(10)).arg(rng.below(500));
        s.status = i < kStatusOrder.size() ? kStatusOrder.at(i) : weightedStatus(rng);
        s.connectionTimeoutSeconds = rng.chance(0.5) ? 120 : int(60 + rng.below(540));
        s.sessionLengthSeconds = rng.chance(0.5) ? 43200 : int(3600 * (1 + rng.below(12)));
        s.statsSharedWithClient = rng.chance(0.3);
        if (rng.chance(0.25)) {
            s.launchArgs = {QStringLiteral("-log"), QStringLiteral("-windowed")};
            s.environment.insert(QStringLiteral("GAME_QA_BUILD"), QStringLiteral("1"));
        }
        if (rng.chance(0.2)) {
            s.width = 1280;
            s.height = 720;
        }
        const bool ended = s.status == QLatin1String("TERMINATED") || s.status == QLatin1String("ERROR");
        const double ageSeconds = ended ? rng.range(3600, 7 * 86400) : rng.range(60, 3 * 3600);
        s.createdAt = now.addMSecs(-qint64(ageSeconds * 1000));
        s.lastUpdatedAt = ended ? s.createdAt.addSecs(qint64(rng.range(60, 3 * 3600)))
                                : now.addMSecs(-qint64(rng.range(1, qMin(ageSeconds, 600.0)) * 1000));
        if (s.lastUpdatedAt > now)
            s.lastUpdatedAt = now;
        if (s.status == QLatin1String("TERMINATED")) {
            static const QStringList reasons = {
                QStringLiteral("applicationExit"), QStringLiteral("apiTerminated"), QStringLiteral("connectionTimeout"),
                QStringLiteral("idleTimeout"), QStringLiteral("maxSessionLengthTimeout"), QStringLiteral("reconnectionTimeout"),
            };
            s.statusReason = reasons.at(rng.below(reasons.size()));
            s.endedAt = s.lastUpdatedAt;
        } else if (s.status == QLatin1String("ERROR")) {
            static const QStringList reasons = {
                QStringLiteral("placementTimeout"), QStringLiteral("internalError"),
                QStringLiteral("invalidSignalRequest"), QStringLiteral("applicationLogS3DestinationError"),
            };
            s.statusReason = reasons.at(rng.below(reasons.size()));
            s.endedAt = s.lastUpdatedAt;
        }
        out.sessions.push_back(s);
    }
    return out;
}

} // namespace gls::emu
