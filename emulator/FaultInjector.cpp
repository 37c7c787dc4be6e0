#include "FaultInjector.h"

#include <QJsonArray>

namespace gls::emu {

FaultInjector::FaultInjector(quint64 seed)
    : m_random(static_cast<quint32>(seed ^ (seed >> 32)))
{
}

void FaultInjector::clear()
{
    m_config = Config{};
    m_oneShots.clear();
}

QDateTime FaultInjector::now() const
{
    return QDateTime::currentDateTimeUtc().addSecs(m_config.clockSkewSeconds);
}

FaultInjector::Decision FaultInjector::decide(const QString &operation)
{
    Decision d;
    for (qsizetype i = 0; i < m_oneShots.size(); ++i) {
        OneShot &shot = m_oneShots[i];
        if (!shot.operation.isEmpty() && shot.operation != operation)
            continue;
        d.kind = shot.kind;
        d.delayMs = shot.delayMs;
        if (--shot.remaining <= 0)
            m_oneShots.removeAt(i);
        return d;
    }
    if (!m_config.operations.isEmpty() && !m_config.operations.contains(operation))
        return d;
    if (m_config.delayMs > 0 && m_random.generateDouble() < m_config.delayFraction)
        d.delayMs = m_config.delayMs;
    // One draw decides among the exclusive kinds, so their fractions add up.
    double x = m_random.generateDouble();
    const std::pair<double, Kind> bands[] = {
        {m_config.throttle, Kind::Throttle}, {m_config.error500, Kind::Error500},
        {m_config.error503, Kind::Error503}, {m_config.reset, Kind::Reset},
        {m_config.truncate, Kind::Truncate},
    };
    for (const auto &[fraction, kind] : bands) {
        if (x < fraction) {
            d.kind = kind;
            break;
        }
        x -= fraction;
    }
    return d;
}

QString FaultInjector::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::Throttle: return QStringLiteral("throttle");
    case Kind::Error500: return QStringLiteral("500");
    case Kind::Error503: return QStringLiteral("503");
    case Kind::Reset: return QStringLiteral("reset");
    case Kind::Truncate: return QStringLiteral("truncate");
    case Kind::Corrupt: return QStringLiteral("corrupt");
    }
    return {};
}

FaultInjector::Kind FaultInjector::kindFromName(const QString &name, bool *ok)
{
    *ok = true;
    for (Kind k : {Kind::None, Kind::Throttle, Kind::Error500, Kind::Error503, Kind::Reset, Kind::Truncate,
             Kind::Corrupt}) {
        if (kindName(k) == name)
            return k;
    }
    if (name == QLatin1String("429"))
        return Kind::Throttle;
    if (name == QLatin1String("delay"))
        return Kind::None; // a delay-only one-shot
    *ok = false;
    return Kind::None;
}

QJsonObject FaultInjector::toJson() const
{
    QJsonArray shots;
    for (const OneShot &s : m_oneShots) {
        shots.append(QJsonObject{{QStringLiteral("kind"), kindName(s.kind)},
                                 {QStringLiteral("count"), s.remaining},
                                 {QStringLiteral("operation"), s.operation},
                                 {QStringLiteral("delayMs"), s.delayMs}});
    }
    return QJsonObject{
        {QStringLiteral("throttle"), m_config.throttle},
        {QStringLiteral("error500"), m_config.error500},
        {QStringLiteral("error503"), m_config.error503},
        {QStringLiteral("reset"), m_config.reset},
        {QStringLiteral("truncate"), m_config.truncate},
        {QStringLiteral("delayMs"), m_config.delayMs},
        {QStringLiteral("delayFraction"), m_config.delayFraction},
        {QStringLiteral("clockSkewSeconds"), m_config.clockSkewSeconds},
        {QStringLiteral("operations"), QJsonArray::fromStringList(m_config.operations)},
        {QStringLiteral("next"), shots},
    };
}

bool FaultInjector::applyJson(const QJsonObject &json, QString *error)
{
    static const QStringList known = {
        QStringLiteral("throttle"), QStringLiteral("error500"), QStringLiteral("error503"),
        QStringLiteral("reset"), QStringLiteral("truncate"), QStringLiteral("delayMs"),
        QStringLiteral("delayFraction"), QStringLiteral("clockSkewSeconds"), QStringLiteral("operations"),
        QStringLiteral("next"),
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            *error = QStringLiteral("unknown field '%1'; known fields: %2").arg(it.key(), known.join(QStringLiteral(", ")));
            return false;
        }
    }
    Config c;
    auto fraction = [&](const QString &name, double *out) {
        const QJsonValue v = json.value(name);
        if (v.isUndefined())
            return true;
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1) {
            *error = QStringLiteral("'%1' must be a number from 0 to 1").arg(name);
            return false;
        }
        *out = v.toDouble();
        return true;
    };
    if (!fraction(QStringLiteral("throttle"), &c.throttle) || !fraction(QStringLiteral("error500"), &c.error500)
        || !fraction(QStringLiteral("error503"), &c.error503) || !fraction(QStringLiteral("reset"), &c.reset)
        || !fraction(QStringLiteral("truncate"), &c.truncate)
        || !fraction(QStringLiteral("delayFraction"), &c.delayFraction))
        return false;
    if (c.throttle + c.error500 + c.error503 + c.reset + c.truncate > 1.0 + 1e-9) {
        *error = QStringLiteral("the fractions throttle + error500 + error503 + reset + truncate must add up to at most 1");
        return false;
    }
    const QJsonValue delay = json.value(QStringLiteral("delayMs"));
    if (!delay.isUndefined()) {
        if (!delay.isDouble() || delay.toDouble() < 0 || delay.toDouble() > 600000) {
            *error = QStringLiteral("'delayMs' must be a number of milliseconds from 0 to 600000");
            return false;
        }
        c.delayMs = delay.toInt();
    }
    const QJsonValue skew = json.value(QStringLiteral("clockSkewSeconds"));
    if (!skew.isUndefined()) {
        if (!skew.isDouble()) {
            *error = QStringLiteral("'clockSkewSeconds' must be a number of seconds");
            return false;
        }
        c.clockSkewSeconds = qint64(skew.toDouble());
    }
    for (const QJsonValue &op : json.value(QStringLiteral("operations")).toArray())
        c.operations.append(op.toString());

    QList<OneShot> shots;
    for (const QJsonValue &v : json.value(QStringLiteral("next")).toArray()) {
        const QJsonObject o = v.toObject();
        OneShot s;
        bool ok = false;
        s.kind = kindFromName(o.value(QStringLiteral("kind")).toString(), &ok);
        if (!ok) {
            *error = QStringLiteral("'next[].kind' must be one of throttle, 429, 500, 503, reset, truncate, delay");
            return false;
        }
        s.remaining = o.value(QStringLiteral("count")).toInt(1);
        if (s.remaining < 1) {
            *error = QStringLiteral("'next[].count' must be at least 1");
            return false;
        }
        s.operation = o.value(QStringLiteral("operation")).toString();
        s.delayMs = o.value(QStringLiteral("delayMs")).toInt(0);
        shots.append(s);
    }
    m_config = c;
    m_oneShots = shots;
    return true;
}

} // namespace gls::emu
