#pragma once

// Faults the emulator injects on purpose, set by flags at start-up and changed
// at run time through the control endpoint: a fraction of requests throttled,
// failed with 500 or 503, reset or truncated, answers delayed, the server's
// clock skewed; plus one-shot faults ("the next 2 GetStreamSession get 503")
// for tests that must be exact.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace gls::emu {

class FaultInjector {
public:
    // Corrupt is a one-shot only: a body arrives whole with one bit flipped.
    enum class Kind { None, Throttle, Error500, Error503, Reset, Truncate, Corrupt };

    struct Config {
        double throttle = 0;  // fraction of requests answered 429 / SlowDown
        double error500 = 0;  // fraction answered 500
        double error503 = 0;  // fraction answered 503
        double reset = 0;     // fraction whose connection is reset instead of answered
        double truncate = 0;  // fraction whose body is cut in half
        double delayFraction = 1.0; // of requests that get delayMs
        int delayMs = 0;
        qint64 clockSkewSeconds = 0;
        QStringList operations; // empty: every operation; else only these
    };

    struct OneShot {
        Kind kind = Kind::None;
        int remaining = 0;
        QString operation; // empty: any
        int delayMs = 0;
    };

    struct Decision {
        Kind kind = Kind::None;
        int delayMs = 0;
    };

    explicit FaultInjector(quint64 seed = 1);

    Decision decide(const QString &operation);
    QDateTime now() const; // UTC, plus the configured skew

    const Config &config() const { return m_config; }
    void setConfig(const Config &config) { m_config = config; }
    void addOneShot(const OneShot &shot) { m_oneShots.append(shot); }
    void clear();

    QJsonObject toJson() const;
    // Replaces the configuration with the given JSON (missing fields reset to
    // zero). On a bad field, returns false with a message naming it.
    bool applyJson(const QJsonObject &json, QString *error);

    static QString kindName(Kind kind);
    static Kind kindFromName(const QString &name, bool *ok);

private:
    Config m_config;
    QList<OneShot> m_oneShots;
    QRandomGenerator m_random;
};

} // namespace gls::emu
