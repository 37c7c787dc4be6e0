#include "MainWindow.h"

#include "ArchiveBrowser.h"
#include "ErrorBanner.h"
#include "ExportDialog.h"
#include "ExportStatusModel.h"
#include "ExportStatusView.h"
#include "RegionPicker.h"
#include "SessionActions.h"
#include "SessionDetailsPanel.h"
#include "SessionFilterProxy.h"
#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "credentials/ProfileSettings.h"
#include "exports/ExportCoordinator.h"
#include "gamelift/KnownValues.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QSignalBlocker>
#include <QLocale>
#include <QStandardPaths>
#include <QAbstractItemView>
#include <QHeaderView>
#include <QScreen>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace gls::ui {

namespace {

// The default chain's settings are kept under "default".
QString settingsProfile(const QString &profile)
{
    return profile.isEmpty() ? QStringLiteral("default") : profile;
}

} // namespace

MainWindow::MainWindow(ClientFactory factory, exports::ExportCoordinator *exports, const QStringList &knownRegions,
                       const QStringList &regions, QWidget *parent)
    : QMainWindow(parent)
    , m_factory(std::move(factory))
    , m_model(new SessionTableModel(this))
    , m_proxy(new SessionFilterProxy(this))
    , m_loader(new SessionLoader(m_model, this))
    , m_exports(new ExportStatusModel(exports, this))
{
    setWindowTitle(tr("GameLift Streams Exporter"));
    // A roomy first size, never larger than the screen (high-DPI scaling shrinks it in logical pixels).
    QSize size(1580, 960);
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.92);
    resize(size);
    m_proxy->setSourceModel(m_model);

    buildActions();
    buildToolBar(knownRegions);
    buildCentral();

    m_progress = new QLabel(this);
    statusBar()->addWidget(m_progress, 1);
    m_credentialsLabel = new QLabel(this);
    m_credentialsLabel->setAccessibleName(tr("Credentials in use"));
    statusBar()->addPermanentWidget(m_credentialsLabel);

    connect(m_loader, &SessionLoader::started, this, [this] {
        m_failedRegions.clear();
        m_progress->setText(tr("Loading sessions…"));
    });
    // The listing sees sessions end before the export tracker's slow round for running
    // sessions would: tell it, so their exports are looked at soon.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &first, const QModelIndex &last) {
        exports::ExportCoordinator *coordinator = m_exports->coordinator();
        for (int row = first.row(); row <= last.row(); ++row) {
            const gamelift::StreamSessionSummary &s = m_model->sessionAt(row);
            if (s.exportFilesMetadata && s.exportFilesMetadata->status == QLatin1String("PENDING"))
                coordinator->noteSessionStatus(s.arn, s.status);
        }
    });
    connect(m_loader, &SessionLoader::progress, this, [this](int pages, int sessions) {
        m_progress->setText(tr("Loading sessions… %1 so far (page %2)").arg(sessions).arg(pages));
    });
    connect(m_loader, &SessionLoader::finished, this, [this] {
        showStatusText();
        onSelectionChanged();
    });
    connect(m_loader, &SessionLoader::regionFinished, this, [this](const QString &region) {
        if (m_bannerRegion == region) { // it works again
            m_banner->hide();
            m_bannerRegion.clear();
        }
    });
    connect(m_loader, &SessionLoader::failed, this, [this](const QString &region, const aws::AwsError &error) {
        if (!m_failedRegions.contains(region))
            m_failedRegions.append(region);
        showError(error, region);
    });
    connect(m_exports, &ExportStatusModel::callFailed, this, [this](const aws::AwsError &e) { showError(e); });
    connect(m_exports, &ExportStatusModel::sessionSeen, this,
            [this](const QString &arn, const QString &sessionStatus, const QString &exportStatus) {
                const int row = m_model->rowOfArn(arn);
                if (row < 0)
                    return;
                gamelift::StreamSessionSummary s = m_model->sessionAt(row);
                if (!sessionStatus.isEmpty())
                    s.status = sessionStatus;
                if (!exportStatus.isEmpty()) {
                    gamelift::ExportFilesMetadata metadata = s.exportFilesMetadata.value_or(gamelift::ExportFilesMetadata{});
                    metadata.status = exportStatus;
                    s.exportFilesMetadata = metadata;
                }
                m_model->updateSession(s);
            });
    connect(m_exports, &ExportStatusModel::exportFinished, this, &MainWindow::notifyExportFinished);
    connect(m_sessionActions, &SessionActions::callFailed, this, [this](const aws::AwsError &e) { showError(e); });
    connect(m_sessionActions, &SessionActions::showDetailsRequested, this, &MainWindow::showDetails);
    connect(m_sessionActions, &SessionActions::sessionEnding, this,
        [this](const QString &arn) { m_loader->refreshRegion(SessionTableModel::regionOfArn(arn)); });
    m_sessionActions->setClientLookup([this](const QString &arn, QString *error) { return clientForArn(arn, error); });

    setAutoRefreshMs(30'000);
    restoreSettings();
    QStringList start = regions;
    if (start.isEmpty())
        start = rememberedRegions();
    if (start.isEmpty() && !knownRegions.isEmpty())
        start = {knownRegions.first()};
    setRegions(start);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    m_table = new QTableView(this);
    m_sessionActions = new SessionActions(m_table, m_proxy, m_model, this);

    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Load the stream sessions again (F5)"));
    connect(m_refreshAction, &QAction::triggered, m_loader, &SessionLoader::refresh);

    m_exportAction = new QAction(tr("&Export…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Export the selected sessions' files to S3 (Ctrl+E)"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::openExportDialog);

    m_findAction = new QAction(tr("&Find…"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setToolTip(tr("Search session IDs, user IDs and ARNs (Ctrl+F)"));

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_aboutAction = new QAction(tr("&About GameLift Streams Exporter"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    m_manageCredentialsAction = new QAction(tr("Manage &Credentials…"), this);
    m_manageCredentialsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_manageCredentialsAction->setToolTip(tr("Add, test or remove the AWS credentials kept in the keychain"));
    connect(m_manageCredentialsAction, &QAction::triggered, this, &MainWindow::manageCredentialsRequested);

    m_autoDownloadAction = new QAction(tr("Download Archives &Automatically"), this);
    m_autoDownloadAction->setCheckable(true);
    m_autoDownloadAction->setChecked(true);
    m_autoDownloadAction->setToolTip(tr("Fetch each SUCCEEDED archive of this profile into its download folder"));
    connect(m_autoDownloadAction, &QAction::toggled, this, [this](bool on) {
        if (!m_profileSettings)
            return;
        const QString profile = settingsProfile(currentProfile());
        creds::ProfileDefaults d = m_profileSettings->load(profile);
        if (d.autoDownload == on)
            return;
        d.autoDownload = on;
        m_profileSettings->save(profile, d);
        m_profileSettings->sync();
    });
    m_downloadFolderAction = new QAction(tr("Download &Folder…"), this);
    m_downloadFolderAction->setToolTip(tr("Where this profile's archives are downloaded"));
    connect(m_downloadFolderAction, &QAction::triggered, this, [this] {
        auto *chooser = new QFileDialog(this, tr("Download folder for profile %1").arg(settingsProfile(currentProfile())),
                                        downloadFolder());
        chooser->setFileMode(QFileDialog::Directory);
        chooser->setOption(QFileDialog::ShowDirsOnly);
        chooser->setAttribute(Qt::WA_DeleteOnClose);
        connect(chooser, &QFileDialog::fileSelected, this, [this](const QString &folder) {
            if (!m_profileSettings || folder.isEmpty())
                return;
            const QString profile = settingsProfile(currentProfile());
            creds::ProfileDefaults d = m_profileSettings->load(profile);
            d.downloadFolder = folder;
            m_profileSettings->save(profile, d);
            m_profileSettings->sync();
            updateDownloadActions();
        });
        chooser->open();
    });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_manageCredentialsAction);
    file->addSeparator();
    file->addAction(m_autoDownloadAction);
    file->addAction(m_downloadFolderAction);
    file->setToolTipsVisible(true);
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *sessions = menuBar()->addMenu(tr("&Sessions"));
    sessions->addAction(m_refreshAction);
    sessions->addAction(m_findAction);
    sessions->addSeparator();
    sessions->addAction(m_exportAction);
    sessions->addSeparator();
    sessions->addAction(m_sessionActions->copyIdAction());
    sessions->addAction(m_sessionActions->copyArnAction());
    sessions->addAction(m_sessionActions->showDetailsAction());
    sessions->addSeparator();
    sessions->addAction(m_sessionActions->endSessionAction());
    sessions->setToolTipsVisible(true);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::buildToolBar(const QStringList &knownRegions)
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);

    auto *profileLabel = new QLabel(tr("&Profile:"), this);
    m_profilePicker = new QComboBox(this);
    m_profilePicker->setAccessibleName(tr("Profile"));
    m_profilePicker->setToolTip(tr("Whose AWS credentials to use: a keychain profile, a profile of the AWS files, "
                                   "or the default chain"));
    m_profilePicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_profilePicker->addItem(tr("Default"), QString());
    profileLabel->setBuddy(m_profilePicker);
    connect(m_profilePicker, &QComboBox::currentIndexChanged, this, [this] {
        updateDownloadActions();
        if (!m_settingProfiles)
            Q_EMIT profileChosen(currentProfile());
    });

    auto *regionLabel = new QLabel(tr("&Regions:"), this);
    m_regionPicker = new RegionPicker(knownRegions, this);
    regionLabel->setBuddy(m_regionPicker);
    // Only the user's choice is remembered (not a --region given for one run).
    connect(m_regionPicker, &RegionPicker::regionsChanged, this, [this](const QStringList &chosen) {
        applyRegions(chosen);
        if (!m_settingRegions) {
            QSettings settings;
            settings.setValue(QStringLiteral("MainWindow/regions"), chosen);
        }
    });

    const auto filterBox = [this](const QString &name, const QStringList &values) {
        auto *box = new QComboBox(this);
        box->addItem(tr("Any"), QString());
        for (const QString &v : values)
            box->addItem(v, v);
        box->setAccessibleName(name);
        box->setToolTip(tr("Show only sessions with this %1").arg(name.toLower()));
        // Narrow in the toolbar; the open list is as wide as its longest value.
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(11);
        box->view()->setMinimumWidth(box->view()->sizeHintForColumn(0) + 24);
        return box;
    };
    m_statusFilter = filterBox(tr("Status"), gamelift::knownStreamSessionStatuses());
    m_exportFilter = filterBox(tr("Export status"), gamelift::knownExportFilesStatuses());
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this,
        [this] { m_proxy->setStatusFilter(m_statusFilter->currentData().toString()); });
    connect(m_exportFilter, &QComboBox::currentIndexChanged, this,
        [this] { m_proxy->setExportStatusFilter(m_exportFilter->currentData().toString()); });

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search ID, user ID or ARN (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search sessions"));
    m_search->setToolTip(tr("Filters as you type; paste a full ARN to find its session"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &SessionFilterProxy::setSearchText);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });

    auto *statusLabel = new QLabel(tr("Status:"), this);
    statusLabel->setBuddy(m_statusFilter);
    auto *exportLabel = new QLabel(tr("Export:"), this);
    exportLabel->setBuddy(m_exportFilter);

    bar->addWidget(profileLabel);
    bar->addWidget(m_profilePicker);
    bar->addSeparator();
    bar->addWidget(regionLabel);
    bar->addWidget(m_regionPicker);
    bar->addSeparator();
    bar->addAction(m_refreshAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();
    bar->addWidget(statusLabel);
    bar->addWidget(m_statusFilter);
    bar->addWidget(exportLabel);
    bar->addWidget(m_exportFilter);
    bar->addSeparator();
    bar->addWidget(m_search);
}

void MainWindow::buildCentral()
{
    m_banner = new ErrorBanner(this);

    m_table->setModel(m_proxy);
    m_table->setObjectName(QStringLiteral("sessionTable"));
    m_table->setAccessibleName(tr("Stream sessions"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SessionTableModel::Created, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setWordWrap(false);
    const int widths[] = {135, 115, 105, 0, 125, 90, 110, 140, 140, 110};
    for (int c = 0; c < SessionTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c]);
    // The longest status whole, after its colour swatch.
    m_table->setColumnWidth(SessionTableModel::Status,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("PENDING_CLIENT_RECONNECTION")) + 34);

    // Right click and the Menu key arrive as context menu events; Shift+F10 too.
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &MainWindow::popupSessionMenu);
    auto *menuKey = new QAction(tr("Session actions"), m_table);
    menuKey->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F10));
    menuKey->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(menuKey);
    connect(menuKey, &QAction::triggered, this, [this] {
        const QRect cell = m_table->visualRect(m_table->currentIndex());
        popupSessionMenu(cell.isValid() ? cell.center() : QPoint(8, 8));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onSelectionChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::onSelectionChanged);
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::openExportDialog);

    m_details = new SessionDetailsPanel(this);
    m_exportView = new ExportStatusView(m_exports, this);
    exports::ExportCoordinator *coordinator = m_exports->coordinator();
    connect(m_exportView, &ExportStatusView::downloadRequested, this, [this, coordinator](qint64 id) {
        const int row = m_exports->rowOfId(id);
        if (row < 0)
            return;
        const QString profile = m_exports->recordAt(row).profile;
        QString folder = m_profileSettings ? m_profileSettings->load(settingsProfile(profile)).downloadFolder : QString();
        if (folder.isEmpty())
            folder = downloadFolder();
        QString why;
        if (!coordinator->download(id, folder, &why)) {
            aws::AwsError e;
            e.kind = aws::AwsError::Kind::Client;
            e.operation = tr("Downloading the archive");
            e.message = why;
            showError(e);
        }
    });
    connect(m_exportView, &ExportStatusView::shareRequested, coordinator, &exports::ExportCoordinator::share);
    connect(coordinator, &exports::ExportCoordinator::shareReady, this,
            [this](qint64, const QString &url, const QDateTime &expiresAt) {
                QApplication::clipboard()->setText(url);
                statusBar()->showMessage(
                    tr("Download link copied: anyone holding it can download the archive until %1.")
                        .arg(QLocale().toString(expiresAt.toLocalTime(), QLocale::ShortFormat)),
                    15'000);
            });
    connect(m_exportView, &ExportStatusView::openArchiveRequested, this, &MainWindow::openArchive);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName(QStringLiteral("sessionSplitter"));
    m_topSplit = top;
    top->addWidget(m_table);
    top->addWidget(m_details);
    top->setStretchFactor(0, 4);
    top->setStretchFactor(1, 1);
    top->setSizes({1250, 330});
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplit = split;
    split->addWidget(top);
    split->addWidget(m_exportView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({620, 200});

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
    setCentralWidget(central);
}

void MainWindow::setProfileChoices(const QList<ProfileChoice> &choices, const QString &current)
{
    m_settingProfiles = true;
    m_profilePicker->clear();
    for (const ProfileChoice &c : choices) {
        m_profilePicker->addItem(c.label, c.name);
        m_profilePicker->setItemData(m_profilePicker->count() - 1, c.tooltip, Qt::ToolTipRole);
    }
    int index = m_profilePicker->findData(current);
    if (index < 0) {
        m_profilePicker->addItem(current, current);
        index = m_profilePicker->count() - 1;
    }
    m_profilePicker->setCurrentIndex(index);
    m_settingProfiles = false;
    updateDownloadActions();
}

QString MainWindow::currentProfile() const
{
    return m_profilePicker->currentData().toString();
}

void MainWindow::setProfileSettings(creds::ProfileSettings *settings)
{
    m_profileSettings = settings;
    updateDownloadActions();
}

QString MainWindow::downloadFolder() const
{
    const QString folder
        = m_profileSettings ? m_profileSettings->load(settingsProfile(currentProfile())).downloadFolder : QString();
    return !folder.isEmpty() ? folder
                             : QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
                                   .filePath(QStringLiteral("GameLift Streams exports"));
}

void MainWindow::updateDownloadActions()
{
    const bool on = !m_profileSettings || m_profileSettings->load(settingsProfile(currentProfile())).autoDownload;
    const QSignalBlocker quiet(m_autoDownloadAction);
    m_autoDownloadAction->setChecked(on);
    m_downloadFolderAction->setStatusTip(tr("Archives go to %1").arg(downloadFolder()));
}

void MainWindow::setCredentialsSource(const QString &text, const QString &tooltip)
{
    m_credentialsLabel->setText(text.isEmpty() ? QString() : tr("Credentials: %1").arg(text));
    m_credentialsLabel->setToolTip(tooltip);
}

void MainWindow::reloadClients()
{
    const QStringList shown = regions();
    for (const QString &region : m_loader->regions())
        m_loader->removeRegion(region);
    m_failedRegions.clear();
    m_banner->hide();
    m_bannerRegion.clear();
    applyRegions(shown);
}

QWidget *MainWindow::openArchive(const QString &path)
{
    Q_EMIT archiveOpenRequested(path);
    return ArchiveBrowser::open(path, this);
}

void MainWindow::setAutoRefreshMs(int ms)
{
    m_loader->setAutoRefreshMs(ms);
}

QStringList MainWindow::regions() const
{
    return m_regionPicker->regions();
}

QStringList MainWindow::rememberedRegions()
{
    QStringList regions;
    const QStringList saved = QSettings().value(QStringLiteral("MainWindow/regions")).toStringList();
    for (const QString &region : saved) {
        if (RegionPicker::regionProblem(region).isEmpty() && !regions.contains(region))
            regions.append(region);
    }
    return regions;
}

void MainWindow::setRegions(const QStringList &regions)
{
    for (const QString &region : regions) {
        const QString problem = RegionPicker::regionProblem(region);
        if (!problem.isEmpty()) {
            aws::AwsError e;
            e.kind = aws::AwsError::Kind::Validation;
            e.operation = tr("Connecting to %1").arg(region.trimmed().isEmpty() ? tr("a Region") : region.trimmed());
            e.message = problem;
            showError(e);
        }
    }
    m_settingRegions = true;
    m_regionPicker->setRegions(regions);
    m_settingRegions = false;
}

gamelift::GameLiftClient *MainWindow::clientForArn(const QString &arn, QString *error) const
{
    const QString region = SessionTableModel::regionOfArn(arn);
    if (region.isEmpty()) {
        *error = tr("The session ARN names no Region: %1").arg(arn);
        return nullptr;
    }
    return m_factory(region, error);
}

void MainWindow::applyRegions(const QStringList &regions)
{
    const QStringList old = m_loader->regions();
    for (const QString &region : old) {
        if (regions.contains(region))
            continue;
        m_loader->removeRegion(region); // its rows go; the others stay
        m_failedRegions.removeAll(region);
        if (m_bannerRegion == region) {
            m_banner->hide();
            m_bannerRegion.clear();
        }
    }
    for (const QString &region : regions) {
        if (old.contains(region))
            continue;
        QString error;
        gamelift::GameLiftClient *client = m_factory(region, &error);
        if (!client) {
            aws::AwsError e;
            e.kind = aws::AwsError::Kind::Validation;
            e.operation = tr("Connecting to %1").arg(region);
            e.message = error;
            showError(e, region);
            continue;
        }
        m_loader->addRegion(region, client);
        m_loader->refreshRegion(region);
    }
    // Which Region a row is in matters once there are several.
    m_table->setColumnHidden(SessionTableModel::Region, regions.size() < 2);
    if (!m_loader->isLoading())
        showStatusText();
    onSelectionChanged();
}

void MainWindow::showStatusText()
{
    const int sessions = m_model->rowCount();
    const QString count = sessions == 1 ? tr("1 session") : tr("%1 sessions").arg(sessions);
    QString text = tr("%1 in %2, updated %3")
                       .arg(count, regions().join(QStringLiteral(", ")),
                           QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
    if (!m_failedRegions.isEmpty())
        text += tr("; loading failed in %1").arg(m_failedRegions.join(QStringLiteral(", ")));
    m_progress->setText(text);
}

void MainWindow::showError(const aws::AwsError &error, const QString &region)
{
    m_bannerRegion = region;
    m_banner->showError(error);
}

QList<int> MainWindow::selectedSourceRows() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index).row());
    return rows;
}

void MainWindow::onSelectionChanged()
{
    const QList<int> rows = selectedSourceRows();
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const bool currentSelected = current.isValid() && rows.contains(current.row());
    const int shown = currentSelected ? current.row() : (rows.isEmpty() ? -1 : rows.first());
    m_details->setSession(shown >= 0 ? &m_model->sessionAt(shown) : nullptr);
    m_details->setSelectionCount(int(rows.size()));

    QString reason;
    for (int row : rows) {
        reason = ExportDialog::sessionProblem(m_model->sessionAt(row));
        if (!reason.isEmpty())
            break;
    }
    if (rows.isEmpty())
        reason = tr("Select one or more sessions to export their files.");
    m_exportAction->setEnabled(reason.isEmpty());
    m_exportAction->setToolTip(reason.isEmpty() ? tr("Export the selected sessions' files to S3 (Ctrl+E)") : reason);
    m_exportAction->setStatusTip(reason);
    m_sessionActions->update();
}

ExportDialog *MainWindow::openExportDialog()
{
    const QList<int> rows = selectedSourceRows();
    if (rows.isEmpty())
        return nullptr;
    QList<gamelift::StreamSessionSummary> sessions;
    for (int row : rows)
        sessions.append(m_model->sessionAt(row));
    auto *dialog = new ExportDialog(sessions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_profileSettings) {
        const creds::ProfileDefaults d = m_profileSettings->load(settingsProfile(currentProfile()));
        dialog->setRecentDestinations(d.recentDestinations);
        dialog->setOutputUri(!d.destination.isEmpty()                ? d.destination
                             : d.recentDestinations.isEmpty()        ? QString()
                                                                     : d.recentDestinations.first());
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] { startExports(dialog); });
    dialog->open();
    return dialog;
}

void MainWindow::startExports(ExportDialog *dialog)
{
    if (m_profileSettings) {
        m_profileSettings->addRecentDestination(settingsProfile(currentProfile()), dialog->outputUri());
        m_profileSettings->sync();
    }
    // Each in its own Region: a selection may span several.
    for (const gamelift::StreamSessionSummary &session : dialog->sessions()) {
        QString error;
        const gamelift::GameLiftClient *client = clientForArn(session.arn, &error);
        if (!client) {
            aws::AwsError e;
            e.kind = aws::AwsError::Kind::Validation;
            e.operation = tr("ExportStreamSessionFiles for %1").arg(session.idFromArn());
            e.message = error;
            showError(e);
            continue;
        }
        m_exports->startExport(currentProfile(), session, dialog->outputUri(), dialog->endSessionNow());
    }
}

QMenu *MainWindow::popupSessionMenu(const QPoint &viewportPos)
{
    onSelectionChanged();
    QMenu *menu = m_sessionActions->buildMenu(m_exportAction, m_refreshAction, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_table->viewport()->mapToGlobal(viewportPos));
    return menu;
}

void MainWindow::showDetails()
{
    // Bring the panel back if its splitter collapsed it.
    QList<int> sizes = m_topSplit->sizes();
    if (sizes.value(1) == 0) {
        sizes[1] = 330;
        m_topSplit->setSizes(sizes);
    }
    m_details->setFocus(Qt::OtherFocusReason);
}

void MainWindow::notifyExportFinished(int row)
{
    if (isActiveWindow())
        return;
    const QString id = m_exports->index(row, ExportStatusModel::Session).data().toString();
    const QString state = m_exports->index(row, 0).data(ExportStatusModel::StateRole).toString();
    const QString result = m_exports->index(row, ExportStatusModel::Result).data().toString();
    const QString title = tr("Export of %1 %2").arg(id, state);
    const QString message = tr("%1: %2").arg(title, result);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(windowTitle());
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                showNormal();
                raise();
                activateWindow();
            });
        }
        m_tray->show();
        m_tray->showMessage(
            title, result, state == QLatin1String("FAILED") ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information);
    } else {
        statusBar()->showMessage(message, 15'000);
    }
    Q_EMIT exportNotified(message);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("sessionSplitter"), m_topSplit->saveState());
    settings.setValue(QStringLiteral("mainSplitter"), m_mainSplit->saveState());
    settings.setValue(QStringLiteral("sessionColumns"), m_table->horizontalHeader()->saveState());
    settings.endGroup();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("MainWindow"));
    const QByteArray geometry = settings.value(QStringLiteral("geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    m_topSplit->restoreState(settings.value(QStringLiteral("sessionSplitter")).toByteArray());
    m_mainSplit->restoreState(settings.value(QStringLiteral("mainSplitter")).toByteArray());
    QHeaderView *header = m_table->horizontalHeader();
    if (header->restoreState(settings.value(QStringLiteral("sessionColumns")).toByteArray()))
        m_table->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    settings.endGroup();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::showAbout()
{
    // Non-modal: the window keeps working while it is open.
    auto *box = new QMessageBox(QMessageBox::Information, tr("About GameLift Streams Exporter"),
        tr("<b>GameLift Streams Exporter</b> %1<br>Export, follow and open Amazon GameLift Streams stream session "
           "files.")
            .arg(QStringLiteral(GLS_VERSION)),
        QMessageBox::Close, this);
    box->setIconPixmap(windowIcon().pixmap(64, 64));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace gls::ui
