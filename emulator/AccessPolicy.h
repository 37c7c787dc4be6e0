#pragma once

// IAM in miniature: actions the emulated caller is not allowed to perform
// ("gameliftstreams:ExportStreamSessionFiles", "s3:GetObject"), so clients can
// be tested against AccessDeniedException / AccessDenied. Empty: all allowed.

#include <QSet>
#include <QString>
#include <QStringList>

namespace gls::emu {

class AccessPolicy {
public:
    void setDenied(const QStringList &actions) { m_denied = QSet<QString>(actions.cbegin(), actions.cend()); }
    QStringList denied() const { return QStringList(m_denied.cbegin(), m_denied.cend()); }
    bool allows(const QString &action) const { return !m_denied.contains(action); }

    // Actions must name a service prefix, as IAM's do.
    static bool isValidAction(const QString &action)
    {
        return action.startsWith(QLatin1String("gameliftstreams:")) || action.startsWith(QLatin1String("s3:"))
            || action.startsWith(QLatin1String("sts:"));
    }

private:
    QSet<QString> m_denied;
};

} // namespace gls::emu
