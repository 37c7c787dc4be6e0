#include "aws/HttpDate.h"

#include <QTime>

#include <array>
#include <optional>

namespace gls::aws {

namespace {

constexpr std::array<QByteArrayView, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<QByteArrayView, 7> kLongDays
    = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<QByteArrayView, 12> kMonths
    = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads the value left to right; every take* consumes only on success.
class Cursor {
public:
    explicit Cursor(QByteArrayView v)
        : m_v(v)
    {
    }

    bool atEnd() const { return m_at == m_v.size(); }

    bool take(char c)
    {
        if (m_at >= m_v.size() || m_v[m_at] != c)
            return false;
        ++m_at;
        return true;
    }

    bool take(QByteArrayView literal)
    {
        if (m_v.size() - m_at < literal.size() || m_v.sliced(m_at, literal.size()) != literal)
            return false;
        m_at += literal.size();
        return true;
    }

    // Exactly `n` digits.
    std::optional<int> digits(int n)
    {
        if (m_v.size() - m_at < n)
            return std::nullopt;
        int value = 0;
        for (int i = 0; i < n; ++i) {
            const char c = m_v[m_at + i];
            if (c < '0' || c > '9')
                return std::nullopt;
            value = value * 10 + (c - '0');
        }
        m_at += n;
        return value;
    }

    // The index of the first name in `names` that comes next.
    template <size_t N>
    std::optional<int> oneOf(const std::array<QByteArrayView, N> &names)
    {
        for (size_t i = 0; i < N; ++i) {
            if (take(names[i]))
                return int(i);
        }
        return std::nullopt;
    }

private:
    QByteArrayView m_v;
    qsizetype m_at = 0;
};

struct Fields {
    int year = 0;
    int month = 0; // 1-12
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

// time-of-day = hour ":" minute ":" second, second up to 60.
bool takeTime(Cursor &c, Fields &f)
{
    const auto h = c.digits(2);
    if (!h || !c.take(':'))
        return false;
    const auto m = c.digits(2);
    if (!m || !c.take(':'))
        return false;
    const auto s = c.digits(2);
    if (!s || *h > 23 || *m > 59 || *s > 60)
        return false;
    f.hour = *h;
    f.minute = *m;
    f.second = *s;
    return true;
}

std::optional<int> takeMonth(Cursor &c)
{
    const auto m = c.oneOf(kMonths);
    return m ? std::optional<int>(*m + 1) : std::nullopt;
}

// "06 Nov " or "06-Nov-": the day, the month, each followed by `separator`.
bool takeDayAndMonth(Cursor &c, char separator, Fields &f)
{
    const auto day = c.digits(2);
    if (!day || !c.take(separator))
        return false;
    const auto month = takeMonth(c);
    if (!month || !c.take(separator))
        return false;
    f.day = *day;
    f.month = *month;
    return true;
}

// After "Sun, ": 06 Nov 1994 08:49:37 GMT
bool takeImfFixdate(Cursor &c, Fields &f)
{
    if (!takeDayAndMonth(c, ' ', f))
        return false;
    const auto year = c.digits(4);
    if (!year || !c.take(' ') || !takeTime(c, f))
        return false;
    f.year = *year;
    return c.take(" GMT");
}

// After "Sunday, ": 06-Nov-94 08:49:37 GMT
bool takeRfc850(Cursor &c, Fields &f, QDate today)
{
    if (!takeDayAndMonth(c, '-', f))
        return false;
    const auto yy = c.digits(2);
    if (!yy || !c.take(' ') || !takeTime(c, f) || !c.take(" GMT"))
        return false;
    // The year with these last two digits that is at most 50 years ahead of
    // today and less than 50 behind it.
    const int thisYear = today.year();
    int year = thisYear - thisYear % 100 + *yy;
    if (year > thisYear + 50)
        year -= 100;
    else if (year <= thisYear - 50)
        year += 100;
    f.year = year;
    return true;
}

// After "Sun ": Nov  6 08:49:37 1994 (the day is two digits or a blank and one)
bool takeAsctime(Cursor &c, Fields &f)
{
    const auto month = takeMonth(c);
    if (!month || !c.take(' '))
        return false;
    std::optional<int> day = c.take(' ') ? c.digits(1) : c.digits(2);
    if (!day || !c.take(' ') || !takeTime(c, f) || !c.take(' '))
        return false;
    const auto year = c.digits(4);
    if (!year)
        return false;
    f.day = *day;
    f.month = *month;
    f.year = *year;
    return true;
}

} // namespace

QDateTime parseHttpDate(QByteArrayView value, QDate today)
{
    Cursor c(value.trimmed());
    Fields f;
    bool ok = false;
    // Long names first: "Sunday" would otherwise be read as "Sun" + "day".
    if (c.oneOf(kLongDays)) {
        ok = c.take(", ") && takeRfc850(c, f, today.isValid() ? today : QDateTime::currentDateTimeUtc().date());
    } else if (c.oneOf(kShortDays)) {
        if (c.take(", "))
            ok = takeImfFixdate(c, f);
        else if (c.take(' '))
            ok = takeAsctime(c, f);
    }
    if (!ok || !c.atEnd())
        return {};
    const QDate date(f.year, f.month, f.day);
    if (!date.isValid())
        return {};
    // Second 60 only exists at a leap second: the instant after 59, unless
    // that is past the last year an HTTP-date can write (found by fuzz_http_date).
    const int leap = f.second == 60 ? 1 : 0;
    const QDateTime t = QDateTime(date, QTime(f.hour, f.minute, f.second - leap), Qt::UTC).addSecs(leap);
    return t.date().year() <= 9999 ? t : QDateTime();
}

} // namespace gls::aws
