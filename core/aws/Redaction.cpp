#include "Redaction.h"

namespace gls::aws {

namespace {
const QByteArray kRedacted = "<redacted>";
}

QString redactKeyId(QByteArrayView keyId)
{
    if (keyId.size() <= 4)
        return QStringLiteral("****");
    return QStringLiteral("****") + QString::fromLatin1(keyId.last(4));
}

QByteArray redactAuthorization(QByteArrayView value)
{
    QByteArray out = value.toByteArray();
    const qsizetype sig = out.indexOf("Signature=");
    if (sig >= 0) {
        qsizetype end = out.indexOf(',', sig);
        if (end < 0)
            end = out.size();
        out.replace(sig + 10, end - sig - 10, kRedacted);
    } else if (!out.isEmpty()) {
        out = kRedacted;
    }
    return out;
}

sigv4::HeaderList redactHeaders(const sigv4::HeaderList &headers)
{
    sigv4::HeaderList out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            out.append({name, redactAuthorization(value)});
        else if (name.compare("x-amz-security-token", Qt::CaseInsensitive) == 0
                 || name.compare("x-amz-sso_bearer_token", Qt::CaseInsensitive) == 0)
            out.append({name, kRedacted});
        else
            out.append({name, value});
    }
    return out;
}

QByteArray redactQuery(QByteArrayView query)
{
    QList<QByteArray> parts = query.toByteArray().split('&');
    for (QByteArray &p : parts) {
        const qsizetype eq = p.indexOf('=');
        const QByteArray key = eq < 0 ? p : p.left(eq);
        if (key == "X-Amz-Signature" || key == "X-Amz-Security-Token") {
            p = key + '=' + kRedacted;
        } else if (key == "X-Amz-Credential" && eq >= 0) {
            // AKID%2F20250101%2Fregion%2Fs3%2Faws4_request: keep the scope, hide most of the key id.
            const QByteArray value = p.mid(eq + 1);
            const qsizetype slash = value.indexOf("%2F");
            const QByteArray id = slash < 0 ? value : value.left(slash);
            p = key + '=' + redactKeyId(id).toLatin1() + (slash < 0 ? QByteArray() : value.mid(slash));
        }
    }
    return parts.join('&');
}

} // namespace gls::aws
