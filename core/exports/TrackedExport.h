#pragma once

// One export the ExportTracker follows: where it lives (profile, Region,
// stream group, session), what was asked (requestedUri) and what was last
// seen (export status, session status, final OutputUri or reason). A value
// type: the tracker hands out copies in its signals.

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace gls::exports {

struct TrackedExport {
    QString id;                                 // the caller's key (unique within one tracker)
    QString profile;                            // AWS profile the client lookup is asked for
    QString region;                             // "us-west-2"
    QString streamGroupId;                      // stream group ID (or ARN)
    QString session;                            // stream session ARN or ID
    QString requestedUri;                       // the OutputUri given to ExportStreamSessionFiles
    QString status = QStringLiteral("PENDING"); // ExportFilesStatus: PENDING, SUCCEEDED, FAILED
    QString statusReason;                       // why it FAILED (the service's StatusReason)
    QString outputUri;                          // the archive's S3 URI once SUCCEEDED
    QString sessionStatus;                      // StreamSessionStatus last seen; empty: not seen yet
    QDateTime lastCheckedAt;                    // UTC; invalid: never checked

    // The session ID: an ARN's last path segment, or the ID as given.
    QString sessionId() const { return session.section(QLatin1Char('/'), -1); }
    bool isPending() const { return status == QLatin1String("PENDING"); }
    bool isFinished() const { return status == QLatin1String("SUCCEEDED") || status == QLatin1String("FAILED"); }
    // TERMINATING, TERMINATED or ERROR: the session has ended (or is ending), so the archive is on its way.
    bool sessionEnded() const { return isEndedSessionStatus(sessionStatus); }

    static bool isEndedSessionStatus(const QString &status)
    {
        return status == QLatin1String("TERMINATING") || status == QLatin1String("TERMINATED")
            || status == QLatin1String("ERROR");
    }

    friend bool operator==(const TrackedExport &, const TrackedExport &) = default;
};

} // namespace gls::exports

Q_DECLARE_METATYPE(gls::exports::TrackedExport)
