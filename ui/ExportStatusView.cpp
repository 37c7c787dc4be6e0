#include "ExportStatusView.h"

#include "ExportStatusModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace gls::ui {

ExportStatusView::ExportStatusView(ExportStatusModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new QTableView(this))
    , m_copyUri(new QAction(tr("&Copy S3 URI"), this))
    , m_copyReason(new QAction(tr("Copy failure &reason"), this))
    , m_retry(new QAction(tr("Re&try export"), this))
    , m_download(new QAction(tr("&Download archive"), this))
    , m_openArchive(new QAction(tr("&Open archive"), this))
    , m_openFolder(new QAction(tr("Open &folder"), this))
    , m_shareMenu(new QMenu(tr("Copy download &link"), this))
    , m_sorted(new QSortFilterProxyModel(this))
{
    // Newest first: the store's ids grow with time.
    m_sorted->setSourceModel(model);
    m_sorted->setSortRole(ExportStatusModel::IdRole);
    m_sorted->sort(0, Qt::DescendingOrder);
    m_sorted->setDynamicSortFilter(true);
    m_table->setModel(m_sorted);
    m_table->setObjectName(QStringLiteral("exportTable"));
    m_table->setAccessibleName(tr("Exports"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    // Each column as wide as its content; the S3 URI or failure reason takes the rest.
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(ExportStatusModel::Result, QHeaderView::Stretch);
    columns->setStretchLastSection(true);

    m_copyUri->setToolTip(tr("Copy the archive's S3 URI to the clipboard (once the export SUCCEEDED)"));
    m_copyReason->setToolTip(tr("Copy why the export FAILED to the clipboard"));
    m_retry->setToolTip(tr("Request the FAILED export again, to the same destination"));
    m_download->setToolTip(tr("Download the archive into the profile's download folder"));
    m_openArchive->setToolTip(tr("Look inside the downloaded archive: crash dumps, logs, screenshots, stats"));
    m_openFolder->setToolTip(tr("Show the downloaded archive in its folder"));
    m_shareMenu->setToolTip(tr("Copy an HTTPS link anyone can download the archive with, until it expires"));
    m_shareMenu->setToolTipsVisible(true);
    const QList<QPair<QString, qint64>> lifetimes{
        {tr("Valid for 1 hour"), 3600}, {tr("Valid for 1 day"), 86400}, {tr("Valid for 7 days"), 7 * 86400}};
    for (const auto &lifetime : lifetimes) {
        QAction *a = m_shareMenu->addAction(lifetime.first);
        a->setToolTip(tr("Never longer than the credentials that sign it"));
        // Not a structured binding: clang before 16 cannot capture one.
        connect(a, &QAction::triggered, this, [this, seconds = lifetime.second] {
            if (const int row = currentRow(); row >= 0)
                Q_EMIT shareRequested(m_model->index(row, 0).data(ExportStatusModel::IdRole).toLongLong(), seconds);
        });
    }
    const auto copyRole = [this](int role) {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            QApplication::clipboard()->setText(current.data(role).toString());
    };
    connect(m_copyUri, &QAction::triggered, this, [copyRole] { copyRole(ExportStatusModel::OutputUriRole); });
    connect(m_copyReason, &QAction::triggered, this, [copyRole] { copyRole(ExportStatusModel::FailureReasonRole); });
    connect(m_retry, &QAction::triggered, this, [this] {
        if (const int row = currentRow(); row >= 0)
            m_model->retry(row);
    });
    connect(m_download, &QAction::triggered, this, [this] {
        if (const int row = currentRow(); row >= 0)
            Q_EMIT downloadRequested(m_model->index(row, 0).data(ExportStatusModel::IdRole).toLongLong());
    });
    connect(m_openArchive, &QAction::triggered, this, [this] {
        if (const int row = currentRow(); row >= 0)
            Q_EMIT openArchiveRequested(m_model->index(row, 0).data(ExportStatusModel::DownloadPathRole).toString());
    });
    connect(m_openFolder, &QAction::triggered, this, [this] {
        if (const int row = currentRow(); row >= 0) {
            const QString path = m_model->index(row, 0).data(ExportStatusModel::DownloadPathRole).toString();
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        }
    });
    connect(m_table, &QAbstractItemView::doubleClicked, m_openArchive, [this] {
        if (m_openArchive->isEnabled())
            m_openArchive->trigger();
    });

    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        updateActions();
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->setToolTipsVisible(true);
        menu->addAction(m_openArchive);
        menu->addAction(m_openFolder);
        menu->addAction(m_download);
        menu->addSeparator();
        menu->addAction(m_copyUri);
        menu->addMenu(m_shareMenu);
        menu->addAction(m_copyReason);
        menu->addSeparator();
        menu->addAction(m_retry);
        menu->popup(m_table->viewport()->mapToGlobal(pos));
    });

    auto *shareButton = new QToolButton(this);
    shareButton->setText(tr("Copy download link"));
    shareButton->setAccessibleName(tr("Copy a download link of the selected archive"));
    shareButton->setToolTip(m_shareMenu->toolTip());
    shareButton->setMenu(m_shareMenu);
    shareButton->setPopupMode(QToolButton::InstantPopup);
    connect(m_shareMenu, &QMenu::aboutToShow, this, &ExportStatusView::updateActions);
    connect(m_copyUri, &QAction::changed, shareButton, [this, shareButton] { shareButton->setEnabled(m_copyUri->isEnabled()); });

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("<b>Exports</b>"), this), 1);
    header->addWidget(buttonFor(m_openArchive, tr("Open the selected archive")));
    header->addWidget(buttonFor(m_download, tr("Download the selected archive")));
    header->addWidget(buttonFor(m_retry, tr("Retry the selected export")));
    header->addWidget(buttonFor(m_copyReason, tr("Copy the failure reason of the selected export")));
    header->addWidget(buttonFor(m_copyUri, tr("Copy the S3 URI of the selected export")));
    header->addWidget(shareButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_table);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ExportStatusView::updateActions);
    connect(model, &QAbstractItemModel::dataChanged, this, &ExportStatusView::updateActions);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int, int last) { selectRow(last); });
    updateActions();
    shareButton->setEnabled(m_copyUri->isEnabled());
}

int ExportStatusView::currentRow() const
{
    const QModelIndex current = m_sorted->mapToSource(m_table->currentIndex());
    return current.isValid() ? current.row() : -1;
}

void ExportStatusView::selectRow(int modelRow)
{
    const QModelIndex index = m_sorted->mapFromSource(m_model->index(modelRow, 0));
    if (!index.isValid())
        return;
    m_table->selectRow(index.row());
    m_table->setCurrentIndex(index);
    updateActions();
}

QPushButton *ExportStatusView::buttonFor(QAction *action, const QString &accessibleName)
{
    auto *button = new QPushButton(action->text(), this);
    button->setAccessibleName(accessibleName);
    button->setToolTip(action->toolTip());
    connect(button, &QPushButton::clicked, action, &QAction::trigger);
    connect(action, &QAction::changed, button, [button, action] { button->setEnabled(action->isEnabled()); });
    button->setEnabled(action->isEnabled());
    return button;
}

void ExportStatusView::updateActions()
{
    const QModelIndex current = m_table->currentIndex();
    const bool succeeded = current.isValid() && !current.data(ExportStatusModel::OutputUriRole).toString().isEmpty();
    const bool downloaded = current.isValid() && !current.data(ExportStatusModel::DownloadPathRole).toString().isEmpty();
    const QString downloadState = current.data(ExportStatusModel::DownloadStateRole).toString();
    m_copyUri->setEnabled(succeeded);
    m_shareMenu->setEnabled(succeeded);
    m_copyReason->setEnabled(
        current.isValid() && !current.data(ExportStatusModel::FailureReasonRole).toString().isEmpty());
    m_retry->setEnabled(current.isValid() && current.data(ExportStatusModel::CanRetryRole).toBool());
    m_download->setEnabled(succeeded && !downloaded && downloadState != QLatin1String("RUNNING"));
    m_openArchive->setEnabled(downloaded);
    m_openFolder->setEnabled(downloaded);
}

} // namespace gls::ui
