#pragma once

// Asks where to export the files of one or more stream sessions
// (STYLE.md, "Views": builds and connects; the URI rules are core's
// gamelift::outputUriProblem). Shows the sessions read-only, the S3
// destination with live validation and a preview of the resulting key, what
// gets exported and when, and an optional "End the session now" behind a
// second confirmation. Export stays disabled, with the reason, while a
// session's status does not allow an export or the URI breaks a rule.

#include "gamelift/StreamSession.h"

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace gls::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(QList<gamelift::StreamSessionSummary> sessions, QWidget *parent = nullptr);

    QString outputUri() const;
    void setOutputUri(const QString &uri);
    // The profile's recent destinations, newest first: offered in a menu
    // beside the field (and as completions while typing).
    void setRecentDestinations(const QStringList &recent);
    QStringList recentDestinations() const { return m_recent; }
    bool endSessionNow() const;
    const QList<gamelift::StreamSessionSummary> &sessions() const { return m_sessions; }

    // Why Export is disabled, or empty when it is enabled.
    QString blockReason() const { return m_blockReason; }
    QPushButton *exportButton() const;

    // The object the service will write for `session`: the URI itself when it
    // names a .zip, else FOLDER/YYYYMMDD-HHMMSS-appId-sg-Id-sessionId.zip
    // (the time is when the session ends; `at` stands in for it).
    static QString previewKey(const QString &uri, const gamelift::StreamSessionSummary &session, const QDateTime &at);
    // Empty when a session in this status can be exported, else why not.
    static QString sessionProblem(const gamelift::StreamSessionSummary &session);

private:
    void revalidate();

    QList<gamelift::StreamSessionSummary> m_sessions;
    QLineEdit *m_uri;
    QToolButton *m_recentButton;
    QStringList m_recent;
    QLabel *m_problem;
    QLabel *m_preview;
    QCheckBox *m_endNow;
    QCheckBox *m_confirmEnd;
    QLabel *m_reason;
    QDialogButtonBox *m_buttons;
    QString m_blockReason;
};

} // namespace gls::ui
