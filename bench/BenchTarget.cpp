#include "BenchTarget.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <sys/resource.h>
#include <unistd.h>

namespace gls::bench {

namespace {

// The emulator's built-in demo key (see emulator/main.cpp). Not an AWS
// credential: it opens only a local emulator.
constexpr auto kDemoKeyId = "AKIAGLSEMULATORDEMO1";
constexpr auto kDemoSecret = "gls-emulator-demo-secret-not-an-aws-key";

QByteArray readSource(const QString &source, QString *error)
{
    QFile f;
    bool ok = false;
    if (source == QLatin1String("-")) {
        ok = f.open(stdin, QIODevice::ReadOnly);
    } else {
        f.setFileName(source);
        ok = f.open(QIODevice::ReadOnly);
    }
    if (!ok) {
        *error = QStringLiteral("cannot read the endpoint JSON from %1: %2").arg(source, f.errorString());
        return {};
    }
    return f.readLine().trimmed();
}

} // namespace

bool BenchTarget::load(const QString &source, BenchTarget *out, QString *error)
{
    const QByteArray line = readSource(source, error);
    if (line.isEmpty()) {
        if (error->isEmpty())
            *error = QStringLiteral("the endpoint JSON in %1 is empty").arg(source);
        return false;
    }
    QJsonParseError pe;
    const QJsonObject o = QJsonDocument::fromJson(line, &pe).object();
    if (pe.error != QJsonParseError::NoError || o.isEmpty()) {
        *error = QStringLiteral("the endpoint JSON is not a JSON object (%1)").arg(pe.errorString());
        return false;
    }
    out->gamelift = QUrl(o.value(QStringLiteral("gameliftstreams")).toString());
    out->s3 = QUrl(o.value(QStringLiteral("s3")).toString());
    out->caPath = o.value(QStringLiteral("caCertificate")).toString();
    out->pid = o.value(QStringLiteral("pid")).toInteger();
    out->region = o.value(QStringLiteral("regions")).toArray().first().toString().toLatin1();
    if (!out->gamelift.isValid() || !out->s3.isValid() || out->region.isEmpty()) {
        *error = QStringLiteral("the endpoint JSON lacks gameliftstreams, s3 or regions");
        return false;
    }
    if (out->gamelift.scheme() == QLatin1String("https")) {
        out->caCertificates = QSslCertificate::fromPath(out->caPath);
        if (out->caCertificates.isEmpty()) {
            *error = QStringLiteral("cannot read the emulator's CA certificate %1").arg(out->caPath);
            return false;
        }
    }

    // The key travels in the environment, never on the command line.
    const QString keys = qEnvironmentVariable("GLS_EMULATOR_ACCESS_KEYS");
    const QStringList parts = keys.section(QLatin1Char(','), 0, 0).split(QLatin1Char(':'));
    if (keys.isEmpty()) {
        out->credentials = {kDemoKeyId, kDemoSecret, {}};
    } else if (parts.size() >= 2 && parts.size() <= 3 && !parts.at(0).isEmpty() && !parts.at(1).isEmpty()) {
        out->credentials = {parts.at(0).toUtf8(), parts.at(1).toUtf8(), parts.value(2).toUtf8()};
    } else {
        *error = QStringLiteral("GLS_EMULATOR_ACCESS_KEYS: expected ID:SECRET or ID:SECRET:TOKEN");
        return false;
    }
    return true;
}

double processCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = f.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()); // utime, stime
    return ticks / double(::sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

qint64 procStatusKiB(qint64 pid, QByteArrayView field)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field) && line.size() > field.size() && line.at(field.size()) == ':')
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace gls::bench
