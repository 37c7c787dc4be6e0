#pragma once

// The exports requested in this run (ExportStatusModel) with Copy S3 URI.

#include <QWidget>

class QPushButton;
class QTableView;

namespace gls::ui {

class ExportStatusModel;

class ExportStatusView : public QWidget {
    Q_OBJECT
public:
    ExportStatusView(ExportStatusModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }

private:
    void updateCopy();

    ExportStatusModel *m_model;
    QTableView *m_table;
    QPushButton *m_copy;
};

} // namespace gls::ui
