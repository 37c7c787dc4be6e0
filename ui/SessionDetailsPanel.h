#pragma once

// Every listed detail of the selected stream session, selectable as text.

#include "gamelift/StreamSession.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace gls::ui {

class SessionDetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SessionDetailsPanel(QWidget *parent = nullptr);

    void setSession(const gamelift::StreamSessionSummary *session); // null: none selected
    void setSelectionCount(int count);

private:
    QLabel *addRow(const QString &label);

    QFormLayout *m_form;
    QLabel *m_empty;
    QList<QLabel *> m_values;
};

} // namespace gls::ui
