#pragma once

// A non-modal error line at the top of the window: the operation, what AWS
// said, what to do, and the details (type, HTTP status, request id) behind a
// toggle. Never blocks; closed by the user or replaced by the next error.

#include "aws/AwsError.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace gls::ui {

class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const aws::AwsError &error);
    QString text() const;

    // What the user can do about this kind of failure.
    static QString advice(const aws::AwsError &error);

private:
    QLabel *m_message;
    QLabel *m_details;
    QToolButton *m_toggle;
};

} // namespace gls::ui
