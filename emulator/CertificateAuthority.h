#pragma once

// The emulator's own TLS material: a self-made CA and a server certificate it
// signs, for 127.0.0.1, ::1, localhost and any extra host names. The CA
// certificate is written where a client can be told to trust it.

#include <QString>
#include <QStringList>

namespace gls::emu {

struct TlsFiles {
    QString caCertificate;     // PEM, the one clients add to their trust store
    QString serverCertificate; // PEM, leaf
    QString serverKey;         // PEM, private key of the leaf (file mode 0600)
};

// Creates dir/ca.pem, dir/ca-key.pem, dir/server.pem and dir/server-key.pem
// when they do not exist yet (or the server certificate does not cover
// `hosts`, or expires within a day) and returns their paths. Existing valid
// material is reused, so clients that trusted ca.pem keep trusting it.
bool ensureTlsFiles(const QString &dir, const QStringList &extraHosts, TlsFiles *out, QString *error);

} // namespace gls::emu
