#pragma once

// The toolbar's Region choice: a button showing the chosen Regions compactly
// ("us-west-2", or "us-west-2 + 2") whose menu lists the service's Regions as
// check boxes plus "Other Region…" for a typed one (validated by core's
// Region rule, with its message). Ticking a Region in the menu keeps the menu
// open, so several are chosen in one go (mouse, or Space on the keyboard).
// At least one Region stays chosen: the last one cannot be unticked.

#include <QStringList>
#include <QToolButton>

class QAction;
class QDialog;
class QMenu;

namespace gls::ui {

class RegionPicker : public QToolButton {
    Q_OBJECT
public:
    explicit RegionPicker(const QStringList &known, QWidget *parent = nullptr);

    // The chosen Regions, in the order they were chosen.
    QStringList regions() const { return m_chosen; }
    // Replaces the choice (invalid names and duplicates dropped; ignored if
    // nothing valid is left). Emits regionsChanged when it changes.
    void setRegions(const QStringList &regions);
    // Adds `region` to the menu and the choice; false with the reason (core's
    // Region rule) when it is not a valid Region name.
    bool addRegion(const QString &region, QString *error = nullptr);

    // Opens the "Other Region" dialog (non-modal; deletes itself on close).
    QDialog *openOtherRegionDialog();
    QMenu *regionMenu() const { return m_menu; }

    // Room for the menu arrow beside the text, not over it.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

    // Empty when `region` is a valid Region name, else why not (core's message).
    static QString regionProblem(const QString &region);

Q_SIGNALS:
    void regionsChanged(const QStringList &regions);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAction *actionFor(const QString &region) const;
    QAction *addMenuRegion(const QString &region);
    void onToggled(QAction *action, bool checked);
    void sync();

    QMenu *m_menu;
    QAction *m_otherSeparator;
    QAction *m_other;
    QStringList m_chosen;
};

} // namespace gls::ui
