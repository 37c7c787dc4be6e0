#pragma once

// The desktop app's window: a shell that composes the toolbar (Region,
// Refresh, Export, filters, search), the session table, the details panel,
// the exports of this run and the error banner. The flows live in
// SessionLoader, ExportStatusModel (exports::ExportTask) and ExportDialog.

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

namespace gls::ui {

class ErrorBanner;
class ExportDialog;
class ExportStatusModel;
class ExportStatusView;
class SessionActions;
class SessionDetailsPanel;
class SessionFilterProxy;
class SessionLoader;
class SessionTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Makes (or reuses) the client for a Region; null with a message saying
    // what to fix. The caller owns the clients.
    using ClientFactory = std::function<gamelift::GameLiftClient *(const QString &region, QString *error)>;

    MainWindow(ClientFactory factory, const QStringList &regions, const QString &region, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Sessions refresh on this interval (default 30 s; 0: only on F5).
    void setAutoRefreshMs(int ms);
    void setRegion(const QString &region);
    QString region() const;

    // Opens the export dialog for the selected sessions (non-modal); null when none is selected.
    ExportDialog *openExportDialog();

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

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildToolBar(const QStringList &regions);
    void buildCentral();
    void onSelectionChanged();
    void startExports(ExportDialog *dialog);
    void showAbout();
    void showDetails();
    void notifyExportFinished(int row);
    QList<int> selectedSourceRows() const;

    ClientFactory m_factory;
    gamelift::GameLiftClient *m_client = nullptr;
    SessionTableModel *m_model;
    SessionFilterProxy *m_proxy;
    SessionLoader *m_loader;
    ExportStatusModel *m_exports;
    ErrorBanner *m_banner = nullptr;
    QTableView *m_table = nullptr;
    SessionDetailsPanel *m_details = nullptr;
    ExportStatusView *m_exportView = nullptr;
    QComboBox *m_region = nullptr;
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
};

} // namespace gls::ui
