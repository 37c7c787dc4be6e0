#include "LogViewer.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gls::ui {

LogViewer::LogViewer(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_search(new QLineEdit(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_count(new QLabel(this))
    , m_editor(new QPlainTextEdit(this))
{
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #8a5a00;"));
    m_note->setAccessibleName(tr("Note about the shown text"));
    m_note->setVisible(false);

    m_search->setPlaceholderText(tr("Find in file (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Find in file"));
    m_search->setToolTip(tr("Search the shown file; Enter finds the next match, Shift+Enter the previous one"));
    m_previous->setText(tr("&Previous"));
    m_previous->setAccessibleName(tr("Find previous"));
    m_previous->setToolTip(tr("Go to the previous match (Shift+F3)"));
    m_previous->setShortcut(QKeySequence::FindPrevious);
    m_next->setText(tr("&Next"));
    m_next->setAccessibleName(tr("Find next"));
    m_next->setToolTip(tr("Go to the next match (F3)"));
    m_next->setShortcut(QKeySequence::FindNext);
    m_count->setAccessibleName(tr("Matches"));
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(tr("%1 of %2 matches").arg(99999).arg(99999)));

    m_editor->setReadOnly(true);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setAccessibleName(tr("File contents"));
    m_editor->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    auto *bar = new QHBoxLayout;
    auto *label = new QLabel(tr("F&ind:"), this);
    label->setBuddy(m_search);
    bar->addWidget(label);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_previous);
    bar->addWidget(m_next);
    bar->addWidget(m_count);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addLayout(bar);
    layout->addWidget(m_editor, 1);

    connect(m_search, &QLineEdit::textChanged, this, &LogViewer::research);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    connect(m_next, &QToolButton::clicked, this, &LogViewer::findNext);
    connect(m_previous, &QToolButton::clicked, this, &LogViewer::findPrevious);
    research();
}

void LogViewer::setText(const QString &text, const QString &note)
{
    m_editor->setPlainText(text);
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    research();
}

QString LogViewer::text() const
{
    return m_editor->toPlainText();
}

QString LogViewer::note() const
{
    return m_note->text();
}

void LogViewer::setSearchTerm(const QString &term)
{
    if (m_search->text() == term)
        research();
    else
        m_search->setText(term); // researches
}

QString LogViewer::searchTerm() const
{
    return m_search->text();
}

void LogViewer::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LogViewer::research()
{
    m_matches.clear();
    m_current = -1;
    const QString term = m_search->text();
    if (!term.isEmpty()) {
        const QString all = m_editor->toPlainText();
        for (qsizetype at = all.indexOf(term, 0, Qt::CaseInsensitive); at >= 0;
             at = all.indexOf(term, at + term.size(), Qt::CaseInsensitive)) {
            m_matches.append({int(at), int(term.size())});
        }
    }
    showMatch(m_matches.isEmpty() ? -1 : 0);
}

void LogViewer::findNext()
{
    if (!m_matches.isEmpty())
        showMatch((m_current + 1) % int(m_matches.size()));
}

void LogViewer::findPrevious()
{
    if (!m_matches.isEmpty())
        showMatch((m_current - 1 + int(m_matches.size())) % int(m_matches.size()));
}

void LogViewer::showMatch(int index)
{
    m_current = index;
    const bool any = !m_matches.isEmpty();
    m_next->setEnabled(any);
    m_previous->setEnabled(any);
    if (m_search->text().isEmpty())
        m_count->clear();
    else if (!any)
        m_count->setText(tr("No matches"));
    else
        m_count->setText(tr("%1 of %2 matches").arg(index + 1).arg(m_matches.size()));
    updateHighlights();
    if (index < 0)
        return;
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(m_matches.at(index).first);
    cursor.setPosition(m_matches.at(index).first + m_matches.at(index).second, QTextCursor::KeepAnchor);
    m_editor->setTextCursor(cursor);
    m_editor->centerCursor();
}

void LogViewer::updateHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    QTextCharFormat format;
    format.setBackground(QColor(0xff, 0xe0, 0x66));
    format.setForeground(Qt::black);
    QTextCharFormat current = format;
    current.setBackground(QColor(0xff, 0x96, 0x32));
    current.setFontUnderline(true);
    // Highlighting is capped so a term matching everywhere stays fast.
    const qsizetype shown = std::min<qsizetype>(m_matches.size(), 2000);
    selections.reserve(shown);
    for (qsizetype i = 0; i < shown; ++i) {
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(m_editor->document());
        s.cursor.setPosition(m_matches.at(i).first);
        s.cursor.setPosition(m_matches.at(i).first + m_matches.at(i).second, QTextCursor::KeepAnchor);
        s.format = i == m_current ? current : format;
        selections.append(s);
    }
    m_editor->setExtraSelections(selections);
}

} // namespace gls::ui
