#pragma once

// Deterministic demo and test data: the same seed gives the same stream
// groups, sessions, IDs, statuses and users on every machine (timestamps are
// placed relative to the moment of seeding).

#include "EmulatorState.h"

namespace gls::emu {

// A small PRNG whose output is the same on every platform (std's
// distributions are not), used wherever the emulator draws at random.
class SplitMix64 {
public:
    explicit SplitMix64(quint64 seed) : m_state(seed) {}
    quint64 next();
    quint64 below(quint64 n) { return n ? next() % n : 0; }
    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double range(double lo, double hi) { return lo + (hi - lo) * unit(); }
    bool chance(double p) { return unit() < p; }

private:
    quint64 m_state;
};

QString randomAlnum(SplitMix64 &rng, int length);

struct SeededAccount {
    std::vector<StreamGroup> groups;
    std::vector<StreamSession> sessions; // ordinals 1..n; lifecycle plans not yet set
};

SeededAccount seedAccount(const SeedConfig &config, const QDateTime &now);

} // namespace gls::emu
