#include "GameLiftJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace gls::gamelift::json {

namespace {

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

bool isAbsent(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull();
}

// Reads the known members of one JSON object; unknown members are never
// looked at. Readers of nested objects share their parent's state, so the
// first type error, with its member's path, is the one reported. A nested
// reader knows its parent (which outlives it) and its name or index, and the
// path ("Items[41].ExportFilesMetadata.Status") is spelled out only for an
// error: a page of 100 sessions builds no path at all.
class Reader {
public:
    struct State {
        QString error;
    };

    Reader(const QJsonObject &object, QString path, State *state)
        : m_object(object)
        , m_path(std::move(path))
        , m_state(state)
    {
    }

    Reader child(const QJsonObject &object, QLatin1String name) const { return Reader(object, this, name, -1); }
    Reader element(const QJsonObject &object, QLatin1String arrayName, qsizetype index) const
    {
        return Reader(object, this, arrayName, index);
    }
    QString path() const
    {
        if (!m_parent)
            return m_path;
        const QString named = m_parent->pathOf(m_name);
        return m_index < 0 ? named : QStringLiteral("%1[%2]").arg(named, QString::number(m_index));
    }
    QString pathOf(QLatin1String name) const
    {
        const QString here = path();
        return here.isEmpty() ? QString(name) : here + u'.' + name;
    }
    void fail(const QString &path, const QString &expected, const QJsonValue &got)
    {
        if (m_state->error.isEmpty())
            m_state->error = QStringLiteral("%1: expected %2, got %3").arg(path, expected, typeName(got));
    }

    QString string(QLatin1String name)
    {
        const QJsonValue v = m_object.value(name);
        if (isAbsent(v))
            return {};
        if (!v.isString()) {
            fail(pathOf(name), QStringLiteral("a string"), v);
            return {};
        }
        return v.toString();
    }

    std::optional<qint64> integer(QLatin1String name, qint64 max = std::numeric_limits<qint64>::max())
    {
        const QJsonValue v = m_object.value(name);
        if (isAbsent(v))
            return std::nullopt;
        const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
        // 2^53: beyond it a JSON number no longer holds every integer exactly.
        if (!v.isDouble() || !std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9007199254740992.0
            || d > double(max)) {
            fail(pathOf(name), QStringLiteral("an integer"), v);
            return std::nullopt;
        }
        return qint64(d);
    }

    std::optional<int> int32(QLatin1String name)
    {
        const auto v = integer(name, std::numeric_limits<int>::max());
        if (v && *v < std::numeric_limits<int>::min()) {
            fail(pathOf(name), QStringLiteral("an integer"), m_object.value(name));
            return std::nullopt;
        }
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }

    std::optional<bool> boolean(QLatin1String name)
    {
        const QJsonValue v = m_object.value(name);
        if (isAbsent(v))
            return std::nullopt;
        if (!v.isBool()) {
            fail(pathOf(name), QStringLiteral("a boolean"), v);
            return std::nullopt;
        }
        return v.toBool();
    }

    QDateTime timestamp(QLatin1String name)
    {
        const QJsonValue v = m_object.value(name);
        QDateTime t;
        if (!decodeTimestamp(v, &t))
            fail(pathOf(name), QStringLiteral("epoch seconds or an ISO 8601 timestamp"), v);
        return t;
    }

    std::optional<QJsonObject> object(QLatin1String name)
    {
        const QJsonValue v = m_object.value(name);
        if (isAbsent(v))
            return std::nullopt;
        if (!v.isObject()) {
            fail(pathOf(name), QStringLiteral("an object"), v);
            return std::nullopt;
        }
        return v.toObject();
    }

    QJsonArray array(QLatin1String name)
    {
        const QJsonValue v = m_object.value(name);
        if (isAbsent(v))
            return {};
        if (!v.isArray()) {
            fail(pathOf(name), QStringLiteral("an array"), v);
            return {};
        }
        return v.toArray();
    }

    QStringList stringList(QLatin1String name)
    {
        QStringList out;
        const QJsonArray a = array(name);
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!a.at(i).isString()) {
                fail(QStringLiteral("%1[%2]").arg(pathOf(name), QString::number(i)), QStringLiteral("a string"),
                    a.at(i));
                continue;
            }
            out.append(a.at(i).toString());
        }
        return out;
    }

    QMap<QString, QString> stringMap(QLatin1String name)
    {
        QMap<QString, QString> out;
        const auto o = object(name);
        if (!o)
            return out;
        for (auto it = o->constBegin(); it != o->constEnd(); ++it) {
            if (!it.value().isString()) {
                fail(pathOf(name) + u'.' + it.key(), QStringLiteral("a string"), it.value());
                continue;
            }
            out.insert(it.key(), it.value().toString());
        }
        return out;
    }

    // Each element of an array member that must hold objects, with its path.
    template <typename Fn>
    void forEachObject(QLatin1String name, Fn &&fn)
    {
        forEachObject(
            name, [](qsizetype) {}, std::forward<Fn>(fn));
    }

    // The same, telling `sized` first how many elements there are.
    template <typename Sized, typename Fn>
    void forEachObject(QLatin1String name, Sized &&sized, Fn &&fn)
    {
        const QJsonArray a = array(name);
        sized(a.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!a.at(i).isObject()) {
                fail(QStringLiteral("%1[%2]").arg(pathOf(name), QString::number(i)), QStringLiteral("an object"),
                    a.at(i));
                continue;
            }
            Reader item = element(a.at(i).toObject(), name, i);
            fn(item);
        }
    }

private:
    Reader(const QJsonObject &object, const Reader *parent, QLatin1String name, qsizetype index)
        : m_object(object)
        , m_state(parent->m_state)
        , m_parent(parent)
        , m_name(name)
        , m_index(index)
    {
    }

    QJsonObject m_object;
    QString m_path; // of a reader without a parent
    State *m_state;
    const Reader *m_parent = nullptr;
    QLatin1String m_name;
    qsizetype m_index = -1;
};

// Runs `read` on a fresh state and reports its outcome the public way.
template <typename Fn>
bool run(const QJsonObject &object, const QString &path, QString *error, Fn &&read)
{
    Reader::State state;
    Reader r(object, path, &state);
    read(r);
    if (error && !state.error.isEmpty())
        *error = state.error;
    return state.error.isEmpty();
}

QDateTime fromEpochSeconds(double seconds)
{
    // Far beyond any real timestamp (year ~287,000), and keeps the product in range.
    if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e12)
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
}

QDateTime fromIsoText(const QString &text)
{
    static const QRegularExpression hasOffset(QStringLiteral("(?:[Zz]|[+-]\\d{2}(?::?\\d{2})?)$"));
    QString t = text.trimmed();
    if (t.size() > 10 && t.at(10) == u't')
        t[10] = u'T';
    if (t.endsWith(u'z'))
        t[t.size() - 1] = u'Z';
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return {};
    const qsizetype timeStart = t.indexOf(u'T');
    if (timeStart < 0 || !hasOffset.match(QStringView(t).mid(timeStart)).hasMatch())
        dt = QDateTime(dt.date(), dt.time(), Qt::UTC); // no offset given: UTC, not local time
    return dt.toUTC();
}

void read(Reader &r, StreamGroupSummary *out)
{
    out->arn = r.string(QLatin1String("Arn"));
    out->id = r.string(QLatin1String("Id"));
    out->description = r.string(QLatin1String("Description"));
    if (const auto app = r.object(QLatin1String("DefaultApplication"))) {
        Reader a = r.child(*app, QLatin1String("DefaultApplication"));
        out->defaultApplication = DefaultApplication{a.string(QLatin1String("Id")), a.string(QLatin1String("Arn"))};
    }
    out->streamClass = r.string(QLatin1String("StreamClass"));
    out->status = r.string(QLatin1String("Status"));
    out->createdAt = r.timestamp(QLatin1String("CreatedAt"));
    out->lastUpdatedAt = r.timestamp(QLatin1String("LastUpdatedAt"));
    out->expiresAt = r.timestamp(QLatin1String("ExpiresAt"));
}

void read(Reader &r, LocationState *out)
{
    out->locationName = r.string(QLatin1String("LocationName"));
    out->status = r.string(QLatin1String("Status"));
    out->alwaysOnCapacity = r.integer(QLatin1String("AlwaysOnCapacity"));
    out->onDemandCapacity = r.integer(QLatin1String("OnDemandCapacity"));
    out->targetIdleCapacity = r.integer(QLatin1String("TargetIdleCapacity"));
    out->maximumCapacity = r.integer(QLatin1String("MaximumCapacity"));
    out->requestedCapacity = r.integer(QLatin1String("RequestedCapacity"));
    out->allocatedCapacity = r.integer(QLatin1String("AllocatedCapacity"));
    out->idleCapacity = r.integer(QLatin1String("IdleCapacity"));
    out->internalVpcIpv4CidrBlock = r.string(QLatin1String("InternalVpcIpv4CidrBlock"));
    if (const auto vpc = r.object(QLatin1String("VpcTransitConfiguration"))) {
        Reader v = r.child(*vpc, QLatin1String("VpcTransitConfiguration"));
        VpcTransitConfiguration c;
        c.vpcId = v.string(QLatin1String("VpcId"));
        c.ipv4CidrBlocks = v.stringList(QLatin1String("Ipv4CidrBlocks"));
        c.transitGatewayId = v.string(QLatin1String("TransitGatewayId"));
        c.transitGatewayResourceShareArn = v.string(QLatin1String("TransitGatewayResourceShareArn"));
        out->vpcTransitConfiguration = c;
    }
}

void read(Reader &r, StreamGroup *out)
{
    read(r, static_cast<StreamGroupSummary *>(out));
    out->statusReason = r.string(QLatin1String("StatusReason"));
    r.forEachObject(QLatin1String("LocationStates"), [&](Reader &item) {
        LocationState l;
        read(item, &l);
        out->locationStates.append(l);
    });
    out->associatedApplications = r.stringList(QLatin1String("AssociatedApplications"));
}

void read(Reader &r, ExportFilesMetadata *out)
{
    out->status = r.string(QLatin1String("Status"));
    out->statusReason = r.string(QLatin1String("StatusReason"));
    out->outputUri = r.string(QLatin1String("OutputUri"));
}

void read(Reader &r, StreamSessionSummary *out)
{
    out->arn = r.string(QLatin1String("Arn"));
    out->userId = r.string(QLatin1String("UserId"));
    out->status = r.string(QLatin1String("Status"));
    out->statusReason = r.string(QLatin1String("StatusReason"));
    out->protocol = r.string(QLatin1String("Protocol"));
    out->lastUpdatedAt = r.timestamp(QLatin1String("LastUpdatedAt"));
    out->createdAt = r.timestamp(QLatin1String("CreatedAt"));
    out->applicationArn = r.string(QLatin1String("ApplicationArn"));
    if (const auto meta = r.object(QLatin1String("ExportFilesMetadata"))) {
        Reader m = r.child(*meta, QLatin1String("ExportFilesMetadata"));
        ExportFilesMetadata metadata;
        read(m, &metadata);
        out->exportFilesMetadata = metadata;
    }
    out->location = r.string(QLatin1String("Location"));
    out->roleArn = SensitiveString(r.string(QLatin1String("RoleArn")));
}

void read(Reader &r, StreamSession *out)
{
    read(r, static_cast<StreamSessionSummary *>(out));
    out->description = r.string(QLatin1String("Description"));
    out->streamGroupId = r.string(QLatin1String("StreamGroupId"));
    out->signalRequest = SensitiveString(r.string(QLatin1String("SignalRequest")));
    out->signalResponse = SensitiveString(r.string(QLatin1String("SignalResponse")));
    out->connectionTimeoutSeconds = r.int32(QLatin1String("ConnectionTimeoutSeconds"));
    out->sessionLengthSeconds = r.int32(QLatin1String("SessionLengthSeconds"));
    out->additionalLaunchArgs = r.stringList(QLatin1String("AdditionalLaunchArgs"));
    out->additionalEnvironmentVariables = r.stringMap(QLatin1String("AdditionalEnvironmentVariables"));
    if (const auto stats = r.object(QLatin1String("PerformanceStatsConfiguration"))) {
        Reader s = r.child(*stats, QLatin1String("PerformanceStatsConfiguration"));
        out->performanceStatsConfiguration
            = PerformanceStatsConfiguration{s.boolean(QLatin1String("SharedWithClient"))};
    }
    out->logFileLocationUri = r.string(QLatin1String("LogFileLocationUri"));
    out->webSdkProtocolUrl = r.string(QLatin1String("WebSdkProtocolUrl"));
    if (const auto display = r.object(QLatin1String("DisplayConfiguration"))) {
        Reader d = r.child(*display, QLatin1String("DisplayConfiguration"));
        DisplayConfiguration config;
        if (const auto res = d.object(QLatin1String("Resolution"))) {
            Reader rr = d.child(*res, QLatin1String("Resolution"));
            config.resolution = Resolution{
                rr.int32(QLatin1String("Width")).value_or(0), rr.int32(QLatin1String("Height")).value_or(0)};
        }
        out->displayConfiguration = config;
    }
}

template <typename T>
void readPage(Reader &r, Page<T> *out)
{
    r.forEachObject(
        QLatin1String("Items"), [&](qsizetype n) { out->items.reserve(n); },
        [&](Reader &item) {
            T value;
            read(item, &value);
            // Moved into a list of the right size: copying into a list that grew
            // was a third of the parsing thread's time.
            out->items.append(std::move(value));
        });
    out->nextToken = r.string(QLatin1String("NextToken"));
}

template <typename T>
bool decode(const QJsonObject &object, T *out, QString *error, const QString &path)
{
    *out = {};
    return run(object, path, error, [&](Reader &r) { read(r, out); });
}

} // namespace

namespace {

// A cursor over JSON bytes: the blanks JSON allows between tokens, and single
// characters. What the two readers below share.
class JsonCursor {
public:
    explicit JsonCursor(const QByteArray &bytes)
        : m_p(bytes.constData())
        , m_end(bytes.constData() + bytes.size())
    {
    }

    bool atEnd()
    {
        skipSpace();
        return m_p >= m_end;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_p < m_end && *m_p == c;
    }
    bool take(char c)
    {
        if (!peek(c))
            return false;
        ++m_p;
        return true;
    }

protected:
    // (Scanner may step past the end on a broken escape: `<`, not `!=`.)
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    const char *m_p;
    const char *const m_end;
};

// A forward scan over JSON bytes that only finds where values end.
class Scanner : public JsonCursor {
public:
    using JsonCursor::JsonCursor;
    // A string: its raw bytes between the quotes; *escaped when it holds a '\'.
    bool string(QByteArrayView *raw, bool *escaped)
    {
        if (!take('"'))
            return false;
        const char *begin = m_p;
        *escaped = false;
        for (;;) {
            const auto *quote = static_cast<const char *>(memchr(m_p, '"', size_t(m_end - m_p)));
            if (!quote)
                return false;
            const char *slash = static_cast<const char *>(memchr(m_p, '\\', size_t(quote - m_p)));
            if (!slash) {
                *raw = QByteArrayView(begin, quote - begin);
                m_p = quote + 1;
                return true;
            }
            *escaped = true;
            m_p = slash + 2; // past the escaped character
            if (m_p > m_end)
                return false;
        }
    }
    // Any value, nested ones included.
    bool skipValue()
    {
        QByteArrayView raw;
        bool escaped = false;
        if (peek('"'))
            return string(&raw, &escaped);
        int depth = 0;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                if (!string(&raw, &escaped))
                    return false;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    return true; // the end of a scalar at the end of its container
                if (--depth == 0) {
                    ++m_p;
                    return true;
                }
            } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
                return true;
            }
            ++m_p;
        }
        return false;
    }
};

} // namespace

bool peekNextToken(const QByteArray &body, QString *token)
{
    Scanner scan(body);
    if (!scan.take('{') || scan.peek('}'))
        return false;
    do {
        QByteArrayView key;
        bool escaped = false;
        if (!scan.string(&key, &escaped) || !scan.take(':'))
            return false;
        if (!escaped && key == "NextToken") {
            QByteArrayView value;
            if (!scan.string(&value, &escaped) || escaped)
                return false;
            *token = QString::fromUtf8(value);
            return true;
        }
        if (!scan.skipValue())
            return false;
    } while (scan.take(','));
    return false;
}

bool parseObject(const QByteArray &body, QJsonObject *out, QString *error, bool allowEmpty)
{
    *out = {};
    if (body.trimmed().isEmpty()) {
        if (!allowEmpty && error)
            *error = QStringLiteral("the response body is empty; a JSON object was expected");
        return allowEmpty;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // QJsonDocument takes only an object or an array at the top; a bare
        // scalar is JSON too, just not what an operation returns.
        QJsonParseError wrapped;
        const bool scalar = !QJsonDocument::fromJson('[' + body + ']', &wrapped).isNull()
            && wrapped.error == QJsonParseError::NoError;
        if (error && scalar)
            *error = QStringLiteral("the response is JSON but not an object (got a scalar)");
        else if (error)
            *error = QStringLiteral("the response is not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset);
        return false;
    }
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("the response is JSON but not an object (got %1)")
                         .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar"));
        return false;
    }
    *out = doc.object();
    return true;
}

bool decodeTimestamp(const QJsonValue &value, QDateTime *out)
{
    *out = {};
    if (isAbsent(value))
        return true;
    if (value.isDouble()) {
        *out = fromEpochSeconds(value.toDouble());
        return out->isValid();
    }
    if (!value.isString())
        return false;
    const QString text = value.toString().trimmed();
    bool numeric = false;
    const double seconds = text.toDouble(&numeric);
    *out = numeric ? fromEpochSeconds(seconds) : fromIsoText(text);
    return out->isValid();
}

namespace {

// readStreamSessionPageQuickly's reader: a cursor over the bytes that gives
// up (returns false) at anything outside the shapes it knows.
class QuickReader : public JsonCursor {
public:
    using JsonCursor::JsonCursor;

    bool takeNull()
    {
        skipSpace();
        if (m_end - m_p < 4 || std::memcmp(m_p, "null", 4) != 0)
            return false;
        m_p += 4;
        return true;
    }
    // A string of printable ASCII without escapes (what JSON writes as it is).
    bool plainString(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = m_p;
        while (m_p != m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                *out = QByteArrayView(start, m_p - start);
                ++m_p;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80)
                return false;
            ++m_p;
        }
        return false;
    }
    // A string member's value: a plain string, or null (absent).
    bool text(QString *out)
    {
        if (takeNull()) {
            *out = QString();
            return true;
        }
        QByteArrayView v;
        if (!plainString(&v))
            return false;
        *out = QString::fromLatin1(v);
        return true;
    }
    // A time: epoch seconds as a JSON number, or null. What decodeTimestamp
    // makes of the number QJsonDocument would read: an integer that fits
    // 64 bits as itself, anything else through the same text-to-double.
    bool time(QDateTime *out)
    {
        if (takeNull()) {
            *out = QDateTime();
            return true;
        }
        skipSpace();
        const char *start = m_p;
        bool integral = true;
        if (m_p != m_end && *m_p == '-')
            ++m_p;
        if (m_p == m_end || !isDigit(*m_p))
            return false;
        if (*m_p == '0')
            ++m_p;
        else
            skipDigits();
        if (m_p != m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            skipDigits();
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            skipDigits();
        }
        const QByteArrayView number(start, m_p - start);
        if (*start == '-' || number.size() > 18) // "-0", and integers near 2^63: left to QJsonDocument
            return false;
        double seconds = 0;
        if (integral) {
            seconds = double(number.toLongLong());
        } else {
            bool ok = false;
            seconds = number.toDouble(&ok);
            if (!ok || !std::isfinite(seconds))
                return false;
        }
        *out = fromEpochSeconds(seconds);
        return out->isValid();
    }

private:
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    void skipDigits()
    {
        while (m_p != m_end && isDigit(*m_p))
            ++m_p;
    }
};

// Reads "{ "Name": value, ... }" where every name is one of `names`, handing
// each member's index in `names` to `member` to read its value (false: give
// up). An unknown name gives up, and so does a name twice: QJsonDocument's
// choice among duplicates is its own.
template <size_t N, typename Member>
bool quickObject(QuickReader &r, const std::array<QByteArrayView, N> &names, Member &&member)
{
    static_assert(N <= 32);
    if (!r.take('{'))
        return false;
    if (r.take('}'))
        return true;
    quint32 seen = 0;
    do {
        QByteArrayView name;
        if (!r.plainString(&name) || !r.take(':'))
            return false;
        const size_t i = size_t(std::find(names.begin(), names.end(), name) - names.begin());
        if (i == N || (seen & (1u << i)) || !member(i))
            return false;
        seen |= 1u << i;
    } while (r.take(','));
    return r.take('}');
}

bool quickExportFilesMetadata(QuickReader &r, ExportFilesMetadata *out)
{
    static constexpr std::array<QByteArrayView, 3> kNames{"Status", "StatusReason", "OutputUri"};
    static constexpr QString ExportFilesMetadata::*kMembers[]{
        &ExportFilesMetadata::status, &ExportFilesMetadata::statusReason, &ExportFilesMetadata::outputUri};
    return quickObject(r, kNames, [&](size_t i) { return r.text(&(out->*kMembers[i])); });
}

bool quickStreamSessionSummary(QuickReader &r, StreamSessionSummary *out)
{
    using S = StreamSessionSummary;
    // The strings first, in the order of kTexts; then the rest.
    static constexpr std::array<QByteArrayView, 11> kNames{"Arn", "UserId", "Status", "StatusReason", "Protocol",
        "ApplicationArn", "Location", "LastUpdatedAt", "CreatedAt", "RoleArn", "ExportFilesMetadata"};
    static constexpr QString S::*kTexts[]{
        &S::arn, &S::userId, &S::status, &S::statusReason, &S::protocol, &S::applicationArn, &S::location};
    return quickObject(r, kNames, [&](size_t i) {
        if (i < std::size(kTexts))
            return r.text(&(out->*kTexts[i]));
        switch (i) {
        case 7:
            return r.time(&out->lastUpdatedAt);
        case 8:
            return r.time(&out->createdAt);
        case 9: {
            QString role;
            if (!r.text(&role))
                return false;
            out->roleArn = SensitiveString(role);
            return true;
        }
        default: { // ExportFilesMetadata
            if (r.takeNull())
                return true;
            ExportFilesMetadata metadata;
            if (!quickExportFilesMetadata(r, &metadata))
                return false;
            out->exportFilesMetadata = std::move(metadata);
            return true;
        }
        }
    });
}

} // namespace

bool readStreamSessionPageQuickly(const QByteArray &body, Page<StreamSessionSummary> *out)
{
    *out = {};
    QuickReader r(body);
    static constexpr std::array<QByteArrayView, 2> kNames{"NextToken", "Items"};
    const bool read = quickObject(r, kNames, [&](size_t i) {
        if (i == 0)
            return r.text(&out->nextToken);
        if (r.takeNull())
            return true;
        if (!r.take('['))
            return false;
        if (r.take(']'))
            return true;
        // About 640 bytes a session on the wire.
        out->items.reserve(qMin<qsizetype>(1000, body.size() / 256 + 1));
        do {
            StreamSessionSummary s;
            if (!quickStreamSessionSummary(r, &s))
                return false;
            out->items.append(std::move(s));
        } while (r.take(','));
        return r.take(']');
    });
    if (read && r.atEnd())
        return true;
    *out = {};
    return false;
}

bool decodeStreamGroupSummary(const QJsonObject &object, StreamGroupSummary *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeStreamGroup(const QJsonObject &object, StreamGroup *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeLocationState(const QJsonObject &object, LocationState *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeExportFilesMetadata(const QJsonObject &object, ExportFilesMetadata *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeStreamSessionSummary(
    const QJsonObject &object, StreamSessionSummary *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeStreamSession(const QJsonObject &object, StreamSession *out, QString *error, const QString &path)
{
    return decode(object, out, error, path);
}

bool decodeStreamGroupPage(const QJsonObject &object, Page<StreamGroupSummary> *out, QString *error)
{
    *out = {};
    return run(object, {}, error, [&](Reader &r) { readPage(r, out); });
}

bool decodeStreamSessionPage(const QJsonObject &object, Page<StreamSessionSummary> *out, QString *error)
{
    *out = {};
    return run(object, {}, error, [&](Reader &r) { readPage(r, out); });
}

} // namespace gls::gamelift::json
