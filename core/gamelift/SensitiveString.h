#pragma once

// A string the model marks smithy.api#sensitive (SignalRequest, SignalResponse,
// RoleArn): kept, because a caller may need it, but never printed. It has no
// implicit conversion to QString and no QDebug operator, so it cannot end up
// in a log line, an error message or a debug helper by accident; reading it
// takes a deliberate reveal().

#include <QString>

namespace gls::gamelift {

class SensitiveString {
public:
    SensitiveString() = default;
    explicit SensitiveString(QString value)
        : m_value(std::move(value))
    {
    }

    const QString &reveal() const { return m_value; }
    bool isEmpty() const { return m_value.isEmpty(); }

    friend bool operator==(const SensitiveString &, const SensitiveString &) = default;

private:
    QString m_value;
};

} // namespace gls::gamelift
