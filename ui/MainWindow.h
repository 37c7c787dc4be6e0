#pragma once

// The desktop app's window: a shell that composes the toolbar (Regions,
// Refresh, Export, filters, search), the session table, the details panel,
// the exports of this run and the error banner. The flows live in
// SessionLoader, ExportStatusModel (exports::ExportTask) and ExportDialog.

#include "aws/AwsError.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QSystemTrayIcon;
class QTableView;

namespace gls::gamelift {
class GameLiftClient;
}

namespace gls::creds {
class ProfileSettings;
}

namespace gls::exports {
class ExportCoordinator;
}

namespace gls::ui {

class ErrorBanner;
class ExportDialog;
class ExportStatusModel;
class ExportStatusView;
class RegionPicker;
class SessionActions;
class SessionDetailsPanel;
class SessionFilterProxy;
class SessionLoader;
class SessionTableModel;

// One entry of the toolbar's profile picker.
struct ProfileChoice {
    QString name;    // empty: the default chain (environment, keychain "default", AWS_PROFILE)
    QString label;   // "qa (keychain)"
    QString tooltip; // where it is defined, its kind
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Makes (or reuses) the client for a Region; null with a message saying
    // what to fix. The caller owns the clients.
    using ClientFactory = std::function<gamelift::GameLiftClient *(const QString &region, QString *error)>;

    // `knownRegions` fill the Region menu; the sessions of `regions` are
    // shown (empty: the Regions last chosen in the picker, else the first
    // known one).
    // `exports` (the export store and tracker; not owned) requests and follows the exports.
    MainWindow(ClientFactory factory, exports::ExportCoordinator *exports, const QStringList &knownRegions,
               const QStringList &regions, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Sessions refresh on this interval (default 30 s; 0: only on F5).
    void setAutoRefreshMs(int ms);
    // Shows the sessions of these Regions (the rows of the others go, the
    // new ones load; the rows of Regions kept stay).
    void setRegions(const QStringList &regions);
    QStringList regions() const;
    // The client of the session's Region (from its ARN); null with the reason.
    gamelift::GameLiftClient *clientForArn(const QString &arn, QString *error) const;

    // The Regions last chosen by the user in the picker (QSettings); empty when none.
    static QStringList rememberedRegions();

    // Opens the export dialog for the selected sessions (non-modal); null when none is selected.
    ExportDialog *openExportDialog();

    // The profile picker's entries and the one in use (its name).
    void setProfileChoices(const QList<ProfileChoice> &choices, const QString &current);
    QString currentProfile() const;
    // Where the export dialog finds the profile's default and recent
    // destinations and records new ones; null: none are kept.
    void setProfileSettings(creds::ProfileSettings *settings);
    // Where this window's credentials come from ("keychain:qa"), shown in the status bar.
    void setCredentialsSource(const QString &text, const QString &tooltip = {});
    // The credentials changed (another profile): every Region's client is
    // asked for again and its sessions reloaded. Exports already running keep theirs.
    void reloadClients();
    // Opens the archive browser on a downloaded archive (non-modal).
    QWidget *openArchive(const QString &path);
    QComboBox *profilePicker() const { return m_profilePicker; }
    QAction *manageCredentialsAction() const { return m_manageCredentialsAction; }
    // Per profile: SUCCEEDED archives download by themselves (checkable), and where to.
    QAction *autoDownloadAction() const { return m_autoDownloadAction; }
    QAction *downloadFolderAction() const { return m_downloadFolderAction; }
    // The current profile's download folder (its setting, else ~/Downloads/GameLift Streams exports).
    QString downloadFolder() const;

    SessionTableModel *sessionModel() const { return m_model; }
    SessionFilterProxy *proxy() const { return m_proxy; }
    QTableView *sessionTable() const { return m_table; }
    SessionLoader *loader() const { return m_loader; }
    ExportStatusModel *exportModel() const { return m_exports; }
    ErrorBanner *errorBanner() const { return m_banner; }
    QLineEdit *searchBox() const { return m_search; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *refreshAction() const { return m_refreshAction; }
    SessionActions *sessionActions() const { return m_sessionActions; }
    RegionPicker *regionPicker() const { return m_regionPicker; }
    QLabel *statusText() const { return m_progress; }
    ExportStatusView *exportView() const { return m_exportView; }

    // The session table's context menu at `viewportPos` (right click, the
    // Menu key, Shift+F10), shown without blocking; it deletes itself on close.
    QMenu *popupSessionMenu(const QPoint &viewportPos);

    // Window geometry, splitters, and the session table's column widths and
    // sort, in QSettings (nothing secret). Restored on construction, saved on close.
    void saveSettings() const;
    void restoreSettings();

Q_SIGNALS:
    // An export turned SUCCEEDED or FAILED while the window was not active:
    // the message shown in the tray notification or the status bar.
    void exportNotified(const QString &message);
    // The user picked another profile in the toolbar.
    void profileChosen(const QString &name);
    void manageCredentialsRequested();
    void archiveOpenRequested(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildToolBar(const QStringList &knownRegions);
    void applyRegions(const QStringList &regions);
    void showStatusText();
    void showError(const aws::AwsError &error, const QString &region = {});
    void buildCentral();
    void onSelectionChanged();
    void startExports(ExportDialog *dialog);
    void showAbout();
    void showDetails();
    void notifyExportFinished(int row);
    QList<int> selectedSourceRows() const;

    ClientFactory m_factory;
    SessionTableModel *m_model;
    SessionFilterProxy *m_proxy;
    SessionLoader *m_loader;
    ExportStatusModel *m_exports;
    ErrorBanner *m_banner = nullptr;
    QTableView *m_table = nullptr;
    SessionDetailsPanel *m_details = nullptr;
    ExportStatusView *m_exportView = nullptr;
    RegionPicker *m_regionPicker = nullptr;
    QString m_bannerRegion;        // the Region whose listing failed, while the banner says so
    QStringList m_failedRegions;   // in the current round of listings
    bool m_settingRegions = false; // setRegions(), not the user: not remembered
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_exportFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_progress = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
    SessionActions *m_sessionActions = nullptr;
    QSplitter *m_topSplit = nullptr;
    QSplitter *m_mainSplit = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QComboBox *m_profilePicker = nullptr;
    QAction *m_manageCredentialsAction = nullptr;
    QAction *m_autoDownloadAction = nullptr;
    QAction *m_downloadFolderAction = nullptr;
    void updateDownloadActions();
    QLabel *m_credentialsLabel = nullptr;
    creds::ProfileSettings *m_profileSettings = nullptr;
    bool m_settingProfiles = false;
};

} // namespace gls::ui
