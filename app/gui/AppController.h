#pragma once

// Connects the window to the context: shows the window once the first
// profile's credentials are resolved, fills the profile picker (keychain and
// AWS-file profiles), switches profile on request (new credentials, sessions
// reloaded, the choice remembered), opens Manage credentials, and says in the
// status bar and the error banner where credentials come from or why none do.

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace gls::creds {
struct ChainResolution;
}

namespace gls::ui {
class CredentialsDialog;
class MainWindow;
} // namespace gls::ui

namespace gls::gui {

class GuiContext;

class AppController : public QObject {
    Q_OBJECT
public:
    // `regions` empty: the Regions chosen last time (or the profile's).
    // `demo`: fixed demo credentials, no profile switching.
    AppController(GuiContext *context, QStringList regions, bool demo, QObject *parent = nullptr);
    ~AppController() override;

    // Starts with `profile` ("" for the default chain), or the demo credentials.
    void start(const QString &profile);

    ui::MainWindow *window() const;
    ui::CredentialsDialog *openCredentialsDialog();

    static const QStringList &knownRegions();

private:
    void onResolved(const creds::ChainResolution &resolution);
    void refreshProfiles();
    void createWindow(const creds::ChainResolution &resolution);

    GuiContext *m_context;
    QStringList m_regions;
    bool m_regionsGiven;
    bool m_demo;
    QPointer<ui::MainWindow> m_window;
    QPointer<ui::CredentialsDialog> m_credentialsDialog;
    QString m_keychainProblem;
};

} // namespace gls::gui
