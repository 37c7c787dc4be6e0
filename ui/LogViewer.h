#pragma once

// A read-only, monospace text viewer with a search bar: Find next / previous,
// the number of matches, every match highlighted and the current one
// selected. A note line above the text says when the file was cut short.

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace gls::ui {

class LogViewer : public QWidget {
    Q_OBJECT
public:
    explicit LogViewer(QWidget *parent = nullptr);

    // Shows `text`; `note` (e.g. "only the first 8 MiB are shown") above it,
    // hidden when empty. Keeps the search term and searches again.
    void setText(const QString &text, const QString &note = {});
    QString text() const;
    QString note() const;

    // Searches for `term` (case-insensitive) and selects the first match.
    void setSearchTerm(const QString &term);
    QString searchTerm() const;
    int matchCount() const { return int(m_matches.size()); }
    int currentMatch() const { return m_current; } // 0-based, -1 when none
    void findNext();
    void findPrevious();
    // Puts the keyboard focus in the search field (Ctrl+F).
    void focusSearch();

    QPlainTextEdit *editor() const { return m_editor; }
    QLineEdit *searchField() const { return m_search; }

private:
    void research();
    void showMatch(int index);
    void updateHighlights();

    QLabel *m_note;
    QLineEdit *m_search;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_count;
    QPlainTextEdit *m_editor;
    QList<QPair<int, int>> m_matches; // position, length
    int m_current = -1;
};

} // namespace gls::ui
