#include "ExportStatusView.h"

#include "ExportStatusModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace gls::ui {

ExportStatusView::ExportStatusView(ExportStatusModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new QTableView(this))
    , m_copyUri(new QAction(tr("&Copy S3 URI"), this))
    , m_copyReason(new QAction(tr("Copy failure &reason"), this))
    , m_retry(new QAction(tr("Re&try export"), this))
{
    m_table->setModel(model);
    m_table->setObjectName(QStringLiteral("exportTable"));
    m_table->setAccessibleName(tr("Exports requested in this run"));
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
    const auto copyRole = [this](int role) {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            QApplication::clipboard()->setText(current.data(role).toString());
    };
    connect(m_copyUri, &QAction::triggered, this, [copyRole] { copyRole(ExportStatusModel::OutputUriRole); });
    connect(m_copyReason, &QAction::triggered, this, [copyRole] { copyRole(ExportStatusModel::FailureReasonRole); });
    connect(m_retry, &QAction::triggered, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            m_model->retry(current.row());
    });

    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        updateActions();
        QMenu menu(this);
        menu.setToolTipsVisible(true);
        menu.addAction(m_copyUri);
        menu.addAction(m_copyReason);
        menu.addSeparator();
        menu.addAction(m_retry);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("<b>Exports in this run</b>"), this), 1);
    header->addWidget(buttonFor(m_retry, tr("Retry the selected export")));
    header->addWidget(buttonFor(m_copyReason, tr("Copy the failure reason of the selected export")));
    header->addWidget(buttonFor(m_copyUri, tr("Copy the S3 URI of the selected export")));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_table);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ExportStatusView::updateActions);
    connect(model, &QAbstractItemModel::dataChanged, this, &ExportStatusView::updateActions);
    connect(model, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &, int, int last) { m_table->selectRow(last); });
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
    m_copyUri->setEnabled(current.isValid() && !current.data(ExportStatusModel::OutputUriRole).toString().isEmpty());
    m_copyReason->setEnabled(
        current.isValid() && !current.data(ExportStatusModel::FailureReasonRole).toString().isEmpty());
    m_retry->setEnabled(current.isValid() && current.data(ExportStatusModel::CanRetryRole).toBool());
}

} // namespace gls::ui
