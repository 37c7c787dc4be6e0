#include "ExportStatusView.h"

#include "ExportStatusModel.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace gls::ui {

ExportStatusView::ExportStatusView(ExportStatusModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new QTableView(this))
    , m_copy(new QPushButton(tr("&Copy S3 URI"), this))
{
    m_table->setModel(model);
    m_table->setAccessibleName(tr("Exports requested in this run"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_copy->setAccessibleName(tr("Copy the S3 URI of the selected export"));
    m_copy->setToolTip(tr("Copy the archive's S3 URI to the clipboard (once the export SUCCEEDED)"));

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("<b>Exports in this run</b>"), this), 1);
    header->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_table);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            QApplication::clipboard()->setText(current.data(ExportStatusModel::OutputUriRole).toString());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ExportStatusView::updateCopy);
    connect(model, &QAbstractItemModel::dataChanged, this, &ExportStatusView::updateCopy);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
        m_table->selectRow(last);
        m_table->resizeColumnsToContents();
    });
    updateCopy();
}

void ExportStatusView::updateCopy()
{
    const QModelIndex current = m_table->currentIndex();
    m_copy->setEnabled(current.isValid() && !current.data(ExportStatusModel::OutputUriRole).toString().isEmpty());
}

} // namespace gls::ui
