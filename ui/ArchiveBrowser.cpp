#include "ArchiveBrowser.h"

#include "ArchiveEntryModel.h"
#include "ArchiveExtractJob.h"
#include "ImagePreview.h"
#include "LogViewer.h"
#include "PerfChart.h"

#include "archive/PerfStats.h"

#include <QAction>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace gls::ui {

using archive::ArchiveEntry;
using archive::ArchiveError;
using archive::Category;
using archive::ExtractResult;
using archive::OverwritePolicy;

namespace {

QLabel *redLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAccessibleName(accessibleName);
    return label;
}

} // namespace

ArchiveBrowser::ArchiveBrowser(const QString &zipPath, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_path(zipPath)
    , m_model(new ArchiveEntryModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_title(new QLabel(this))
    , m_error(redLabel(this, tr("Problem opening the archive")))
    , m_summary(new QLabel(this))
    , m_filterEdit(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_log(new LogViewer(this))
    , m_image(new ImagePreview(this))
    , m_chart(new PerfChart(this))
    , m_info(new QLabel(this))
    , m_extractEntry(new QPushButton(tr("Extract &this file…"), this))
    , m_extractAll(new QPushButton(tr("Extract &all…"), this))
    , m_extractSelected(new QPushButton(tr("Extract &selected…"), this))
    , m_overwrite(new QComboBox(this))
    , m_progress(new QProgressBar(this))
    , m_resultLabel(redLabel(this, tr("Extraction result")))
    , m_openFolder(new QPushButton(tr("&Open folder"), this))
    , m_contextMenu(new QMenu(this))
{
    const QString fileName = QFileInfo(zipPath).fileName();
    setWindowTitle(tr("%1 – Archive browser").arg(fileName));
    resize(1200, 760);

    m_title->setText(QStringLiteral("<b>%1</b>").arg(fileName.toHtmlEscaped()));
    m_title->setToolTip(QDir::toNativeSeparators(zipPath));
    m_title->setAccessibleName(tr("Archive file"));
    m_error->setStyleSheet(QStringLiteral("color: #b02020; font-weight: bold;"));
    m_error->setVisible(false);
    m_summary->setAccessibleName(tr("Archive summary"));

    m_filterEdit->setPlaceholderText(tr("Filter by name"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setAccessibleName(tr("Filter files by name"));
    m_filterEdit->setToolTip(tr("Show only the files whose path contains this text"));

    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(ArchiveEntryModel::EntryNameRole);
    m_filter->setFilterKeyColumn(ArchiveEntryModel::NameColumn);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setRecursiveFilteringEnabled(true);
    m_tree->setModel(m_filter);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setUniformRowHeights(true);
    m_tree->setTextElideMode(Qt::ElideMiddle); // keep "Minidump.dmp" in sight
    m_tree->setAlternatingRowColors(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setAccessibleName(tr("Files in the archive"));
    m_tree->setToolTip(tr("Crash dumps and logs are listed first; choose a file to preview it"));
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ArchiveEntryModel::NameColumn, QHeaderView::Stretch);
    for (int c : {int(ArchiveEntryModel::KindColumn), int(ArchiveEntryModel::SizeColumn),
             int(ArchiveEntryModel::ModifiedColumn)})
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_empty->setText(tr("Choose a file on the left to preview it."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_image->setAccessibleName(tr("Image preview"));
    m_info->setWordWrap(true);
    m_info->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setAccessibleName(tr("File information"));
    m_extractEntry->setAccessibleName(tr("Extract this file"));
    m_extractEntry->setToolTip(tr("Extract the chosen file into a folder, e.g. to open a crash dump in a debugger"));
    auto *infoPage = new QWidget(this);
    auto *infoLayout = new QVBoxLayout(infoPage);
    infoLayout->addWidget(m_info);
    infoLayout->addWidget(m_extractEntry, 0, Qt::AlignLeft);
    infoLayout->addStretch(1);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_log);
    m_stack->addWidget(m_image);
    m_stack->addWidget(m_chart);
    m_stack->addWidget(infoPage);

    m_extractAll->setAccessibleName(tr("Extract all"));
    m_extractAll->setToolTip(tr("Extract every file of the archive into a folder you choose"));
    m_extractSelected->setAccessibleName(tr("Extract selected"));
    m_extractSelected->setToolTip(tr("Extract the files chosen in the list (a group stands for all its files)"));
    m_overwrite->addItem(tr("Refuse to overwrite"), int(OverwritePolicy::Refuse));
    m_overwrite->addItem(tr("Replace them"), int(OverwritePolicy::Replace));
    m_overwrite->addItem(tr("Keep both (rename new)"), int(OverwritePolicy::KeepBoth));
    m_overwrite->setAccessibleName(tr("When a file already exists"));
    m_overwrite->setToolTip(tr("What to do when the target folder already has a file of the same name"));
    auto *overwriteLabel = new QLabel(tr("&Existing files:"), this);
    overwriteLabel->setBuddy(m_overwrite);
    m_progress->setAccessibleName(tr("Extraction progress"));
    m_progress->setVisible(false);
    m_openFolder->setAccessibleName(tr("Open the folder the files were extracted to"));
    m_openFolder->setToolTip(tr("Open the folder in the file manager"));
    m_openFolder->setVisible(false);
    m_resultLabel->setVisible(false);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *filterLabel = new QLabel(tr("Fi&lter:"), this);
    filterLabel->setBuddy(m_filterEdit);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filterEdit, 1);
    leftLayout->addLayout(filterRow);
    leftLayout->addWidget(m_tree, 1);
    leftLayout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_extractAll);
    actions->addWidget(m_extractSelected);
    actions->addSpacing(12);
    actions->addWidget(overwriteLabel);
    actions->addWidget(m_overwrite);
    actions->addWidget(m_progress, 1);
    actions->addStretch(1);
    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(m_resultLabel, 1);
    resultRow->addWidget(m_openFolder);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);
    layout->addLayout(resultRow);

    QAction *extractSelectedAction = m_contextMenu->addAction(tr("Extract &selected…"));
    QAction *extractAllAction = m_contextMenu->addAction(tr("Extract &all…"));
    m_contextMenu->addSeparator();
    QAction *copyName = m_contextMenu->addAction(tr("&Copy path"));

    connect(m_filterEdit, &QLineEdit::textChanged, this, &ArchiveBrowser::setFilterText);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex &current) { showPreviewFor(current); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ArchiveBrowser::updateActions);
    connect(m_tree, &QTreeView::customContextMenuRequested, this,
        [this](const QPoint &at) { m_contextMenu->popup(m_tree->viewport()->mapToGlobal(at)); });
    connect(extractSelectedAction, &QAction::triggered, this, [this] { chooseFolderAndExtract(true); });
    connect(extractAllAction, &QAction::triggered, this, [this] { chooseFolderAndExtract(false); });
    connect(copyName, &QAction::triggered, this, [this] {
        const QStringList names = selectedEntries();
        if (!names.isEmpty())
            QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
    });
    connect(m_extractAll, &QPushButton::clicked, this, [this] { chooseFolderAndExtract(false); });
    connect(m_extractSelected, &QPushButton::clicked, this, [this] { chooseFolderAndExtract(true); });
    connect(m_extractEntry, &QPushButton::clicked, this, [this] { chooseFolderAndExtract(true); });
    connect(m_openFolder, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_resultFolder)); });
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        if (m_preview == Preview::Text)
            m_log->focusSearch();
        else
            m_filterEdit->setFocus(Qt::ShortcutFocusReason);
    });

    load();
}

ArchiveBrowser::~ArchiveBrowser()
{
    delete m_job; // cancels and waits for a running extraction
}

ArchiveBrowser *ArchiveBrowser::open(const QString &zipPath, QWidget *parent)
{
    auto *browser = new ArchiveBrowser(zipPath, parent);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    browser->show();
    browser->raise();
    browser->activateWindow();
    return browser;
}

void ArchiveBrowser::load()
{
    ArchiveError error;
    if (!m_zip.open(m_path, &error)) {
        m_error->setText(tr("Cannot open %1: %2").arg(QFileInfo(m_path).fileName(), error.message));
        m_error->setVisible(true);
        m_summary->setText(tr("No files to show."));
        m_empty->setText(tr("This archive cannot be browsed. If it was downloaded, download it again; an export "
                            "that is still being written is not a complete ZIP yet."));
        updateActions();
        return;
    }
    m_model->setEntries(m_zip.entries());
    m_tree->expandAll();
    const archive::ArchiveSummary s = archive::summarise(m_zip.entries());
    const int dumps = s.perCategory.value(Category::CrashDump);
    const int logs = s.perCategory.value(Category::Log);
    m_summary->setText(
        tr("%1, %2 uncompressed (%3 compressed), %4, %5")
            .arg(plural(s.files, tr("%1 file"), tr("%1 files")), ArchiveEntryModel::formatSize(s.totalSize),
                ArchiveEntryModel::formatSize(s.compressedSize),
                plural(dumps, tr("%1 crash dump"), tr("%1 crash dumps")), plural(logs, tr("%1 log"), tr("%1 logs"))));
    if (dumps > 0)
        m_summary->setStyleSheet(QStringLiteral("font-weight: bold;"));
    updateActions();
}

QString ArchiveBrowser::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString ArchiveBrowser::summaryText() const
{
    return m_summary->text();
}

QString ArchiveBrowser::infoText() const
{
    return m_info->text();
}

QString ArchiveBrowser::resultText() const
{
    return m_resultLabel->text();
}

void ArchiveBrowser::setFilterText(const QString &text)
{
    if (m_filterEdit->text() != text)
        m_filterEdit->setText(text);
    m_filter->setFilterFixedString(text);
    m_tree->expandAll();
}

bool ArchiveBrowser::selectEntry(const QString &name)
{
    const QModelIndexList hits = m_filter->match(
        m_filter->index(0, 0), ArchiveEntryModel::EntryNameRole, name, 1, Qt::MatchExactly | Qt::MatchRecursive);
    if (hits.isEmpty())
        return false;
    m_tree->selectionModel()->setCurrentIndex(
        hits.first(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(hits.first());
    return true;
}

QStringList ArchiveBrowser::selectedEntries() const
{
    QStringList names;
    const auto add = [&names](const QString &name) {
        if (!name.isEmpty() && !names.contains(name))
            names.append(name);
    };
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(ArchiveEntryModel::NameColumn);
    for (const QModelIndex &row : rows) {
        add(row.data(ArchiveEntryModel::EntryNameRole).toString());
        for (int i = 0; i < m_filter->rowCount(row); ++i)
            add(m_filter->index(i, 0, row).data(ArchiveEntryModel::EntryNameRole).toString());
    }
    return names;
}

void ArchiveBrowser::updateActions()
{
    const bool open = m_zip.isOpen();
    const bool busy = m_job != nullptr;
    m_extractAll->setEnabled(open && !busy);
    m_extractSelected->setEnabled(open && !busy && !selectedEntries().isEmpty());
    m_extractEntry->setEnabled(open && !busy);
    m_overwrite->setEnabled(!busy);
    m_filterEdit->setEnabled(open);
    const QList<QAction *> actions = m_contextMenu->actions();
    actions.at(0)->setEnabled(m_extractSelected->isEnabled());
    actions.at(1)->setEnabled(m_extractAll->isEnabled());
}

void ArchiveBrowser::showPreviewFor(const QModelIndex &proxyIndex)
{
    const QString name = proxyIndex.siblingAtColumn(0).data(ArchiveEntryModel::EntryNameRole).toString();
    const ArchiveEntry *entry = name.isEmpty() ? nullptr : m_zip.find(name);
    if (!entry) {
        m_preview = Preview::None;
        m_previewed.clear();
        m_stack->setCurrentWidget(m_empty);
    } else if (entry->category == Category::PerfStats) {
        showChart(*entry);
    } else if (entry->category == Category::Image) {
        showImage(*entry);
    } else if (entry->category == Category::Log || entry->category == Category::Text) {
        showText(*entry);
    } else {
        showInfo(*entry);
    }
    Q_EMIT previewChanged(m_previewed);
}

void ArchiveBrowser::showText(const ArchiveEntry &entry)
{
    QByteArray bytes;
    bool cut = false;
    ArchiveError error;
    const bool ok = m_zip.readChunks(
        entry,
        [&bytes, &cut](const char *data, qint64 size) {
            const qint64 room = kTextPreviewCap - bytes.size();
            bytes.append(data, qsizetype(std::min(room, size)));
            if (size > room) {
                cut = true;
                return false;
            }
            return true;
        },
        &error);
    if (!ok && !cut)
        return showInfo(entry, error.message);
    QString note;
    if (cut)
        note = tr("Only the first %1 of %2 are shown. Extract the file to read the rest.")
                   .arg(ArchiveEntryModel::formatSize(kTextPreviewCap), ArchiveEntryModel::formatSize(entry.size));
    m_log->setText(QString::fromUtf8(bytes), note);
    m_preview = Preview::Text;
    m_previewed = entry.name;
    m_stack->setCurrentWidget(m_log);
}

void ArchiveBrowser::showImage(const ArchiveEntry &entry)
{
    QByteArray bytes;
    ArchiveError error;
    QPixmap pixmap;
    if (!m_zip.readEntry(entry.name, &bytes, &error, 64 * 1024 * 1024))
        return showInfo(entry, error.message);
    if (!pixmap.loadFromData(bytes))
        return showInfo(entry, tr("The image cannot be decoded."));
    m_image->setImage(pixmap);
    m_image->setToolTip(
        tr("%1 (%2 × %3 pixels)").arg(entry.name, QString::number(pixmap.width()), QString::number(pixmap.height())));
    m_preview = Preview::Image;
    m_previewed = entry.name;
    m_stack->setCurrentWidget(m_image);
}

void ArchiveBrowser::showChart(const ArchiveEntry &entry)
{
    QByteArray csv;
    ArchiveError error;
    if (!m_zip.readEntry(entry.name, &csv, &error, 256 * 1024 * 1024))
        return showInfo(entry, error.message);
    archive::PerfStats stats;
    QString problem;
    if (!archive::parsePerfStats(csv, &stats, &problem) || stats.rowCount() == 0) {
        // Not usable as a chart: show it as text, with why.
        showText(entry);
        m_log->setText(m_log->text(),
            tr("This perf-stats file cannot be charted: %1")
                .arg(problem.isEmpty() ? tr("it has no readable rows") : problem));
        return;
    }
    m_chart->setStats(stats);
    m_preview = Preview::Chart;
    m_previewed = entry.name;
    m_stack->setCurrentWidget(m_chart);
}

void ArchiveBrowser::showInfo(const ArchiveEntry &entry, const QString &problem)
{
    QString kind = archive::categoryLabel(entry.category);
    QString advice;
    if (entry.category == Category::CrashDump)
        advice = tr("Extract it to open it in your debugger (Visual Studio, WinDbg, lldb or gdb).");
    else
        advice = tr("This file cannot be previewed here. Extract it to open it with another program.");
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing='4'>").arg(entry.name.toHtmlEscaped());
    const auto row = [&html](const QString &label, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label, value.toHtmlEscaped());
    };
    row(tr("Kind:"), kind);
    row(tr("Size:"),
        tr("%1 (%2 bytes)").arg(ArchiveEntryModel::formatSize(entry.size), QLocale().toString(entry.size)));
    row(tr("Compressed:"), ArchiveEntryModel::formatSize(entry.compressedSize));
    row(tr("Modified:"),
        entry.modified.isValid() ? entry.modified.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                                 : tr("unknown"));
    row(tr("CRC-32:"), QStringLiteral("%1").arg(entry.crc, 8, 16, QLatin1Char('0')));
    html += QStringLiteral("</table>");
    if (!problem.isEmpty())
        html += QStringLiteral("<p style='color:#b02020'><b>%1</b></p>").arg(problem.toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(advice.toHtmlEscaped());
    m_info->setText(html);
    m_preview = Preview::Info;
    m_previewed = entry.name;
    m_stack->setCurrentIndex(m_stack->count() - 1);
}

void ArchiveBrowser::setOverwritePolicy(OverwritePolicy policy)
{
    m_overwrite->setCurrentIndex(m_overwrite->findData(int(policy)));
}

OverwritePolicy ArchiveBrowser::overwritePolicy() const
{
    return OverwritePolicy(m_overwrite->currentData().toInt());
}

void ArchiveBrowser::chooseFolderAndExtract(bool selectedOnly)
{
    if (selectedOnly && selectedEntries().isEmpty()) {
        setResult(tr("Choose one or more files in the list first."), true);
        return;
    }
    auto *dialog = new QFileDialog(this, selectedOnly ? tr("Extract the chosen files to") : tr("Extract all files to"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setLabelText(QFileDialog::Accept, tr("Extract here"));
    dialog->setDirectory(QFileInfo(m_path).absolutePath());
    connect(dialog, &QFileDialog::fileSelected, this,
        [this, selectedOnly](const QString &folder) { extractTo(folder, selectedOnly); });
    dialog->open();
}

bool ArchiveBrowser::extractTo(const QString &folder, bool selectedOnly)
{
    if (m_job || !m_zip.isOpen())
        return false;
    archive::ExtractOptions options;
    options.overwrite = overwritePolicy();
    if (selectedOnly) {
        options.only = selectedEntries();
        if (options.only.isEmpty()) {
            setResult(tr("Choose one or more files in the list first."), true);
            return false;
        }
    }
    m_job = new ArchiveExtractJob(m_path, folder, options, this);
    connect(m_job, &ArchiveExtractJob::progress, m_progress, &QProgressBar::setValue);
    connect(m_job, &ArchiveExtractJob::finished, this, &ArchiveBrowser::finishExtraction);
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_resultFolder.clear();
    m_resultLabel->setStyleSheet(QString());
    m_resultLabel->setText(tr("Extracting into %1…").arg(QDir::toNativeSeparators(folder)));
    m_resultLabel->setVisible(true);
    m_openFolder->setVisible(false);
    updateActions();
    m_job->start();
    return true;
}

void ArchiveBrowser::finishExtraction()
{
    m_result = m_job->result();
    m_job->deleteLater();
    m_job = nullptr;
    m_progress->setVisible(false);
    const ExtractResult &r = m_result;
    const QString folder = QDir::toNativeSeparators(r.target);
    switch (r.status) {
    case ExtractResult::Ok: {
        int replaced = 0, renamed = 0;
        for (const archive::ExtractedFile &f : r.written) {
            replaced += f.replaced ? 1 : 0;
            renamed += f.renamed ? 1 : 0;
        }
        QString text = tr("Extracted %1 (%2) into %3.")
                           .arg(plural(r.written.size(), tr("%1 file"), tr("%1 files")),
                               ArchiveEntryModel::formatSize(r.bytesWritten), folder);
        if (replaced > 0)
            text += QLatin1Char(' ')
                + plural(replaced, tr("%1 existing file replaced."), tr("%1 existing files replaced."));
        if (renamed > 0)
            text += QLatin1Char(' ')
                + plural(renamed, tr("%1 file written under a new name to keep both."),
                    tr("%1 files written under new names to keep both."));
        setResult(text, false, r.target);
        break;
    }
    case ExtractResult::Refused: {
        QString text = r.written.isEmpty()
            ? tr("Nothing was extracted. Refused: %1").arg(r.message)
            : tr("Extraction stopped after %1. Refused: %2")
                  .arg(plural(r.written.size(), tr("%1 file"), tr("%1 files")), r.message);
        if (r.rule == QLatin1String("exists"))
            text += QLatin1Char(' ')
                + tr("To go on, choose \"Replace them\" or \"Keep both\" under Existing files and extract again.");
        setResult(text, true, r.written.isEmpty() ? QString() : r.target);
        break;
    }
    case ExtractResult::Failed:
        setResult(tr("Extraction failed: %1").arg(r.message), true, r.written.isEmpty() ? QString() : r.target);
        break;
    case ExtractResult::Cancelled:
        setResult(tr("Extraction cancelled."), true);
        break;
    }
    updateActions();
    Q_EMIT extractionFinished(r.ok());
}

void ArchiveBrowser::setResult(const QString &text, bool error, const QString &folder)
{
    m_resultLabel->setText(text);
    m_resultLabel->setStyleSheet(error ? QStringLiteral("color: #b02020;") : QString());
    m_resultLabel->setVisible(true);
    m_resultFolder = folder;
    m_openFolder->setVisible(!folder.isEmpty());
}

void ArchiveBrowser::closeEvent(QCloseEvent *event)
{
    if (m_job)
        m_job->cancel(); // the extractor stops at its next progress step
    QWidget::closeEvent(event);
}

} // namespace gls::ui
