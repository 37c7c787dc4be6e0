#pragma once

// A window onto one exported session archive (a local .zip): its files as a
// tree with crash dumps and logs first, a preview of the chosen file (text with
// search, a screenshot, the perf-stats chart, or facts about a binary), and
// safe extraction of everything or of the chosen files with progress and a
// plain result. Never modal: errors (not a ZIP, truncated, refused) are shown
// inside the window, and extraction runs on a worker thread.

#include "archive/SafeExtractor.h"
#include "archive/ZipArchive.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;

namespace gls::ui {

class ArchiveEntryModel;
class ArchiveExtractJob;
class ImagePreview;
class LogViewer;
class PerfChart;

class ArchiveBrowser : public QWidget {
    Q_OBJECT
public:
    enum class Preview { None, Text, Image, Chart, Info };

    // Text larger than this is shown cut, with a note.
    static constexpr qint64 kTextPreviewCap = 8 * 1024 * 1024;

    ArchiveBrowser(const QString &zipPath, QWidget *parent = nullptr);
    ~ArchiveBrowser() override;

    // A browser in its own window, shown at once and deleted when closed.
    static ArchiveBrowser *open(const QString &zipPath, QWidget *parent = nullptr);

    QString zipPath() const { return m_path; }
    bool isOpen() const { return m_zip.isOpen(); }
    // The inline error about opening the archive, or empty.
    QString errorText() const;
    // "15 files, 512 KiB, 1 crash dump"
    QString summaryText() const;

    ArchiveEntryModel *model() const { return m_model; }
    QSortFilterProxyModel *filterModel() const { return m_filter; }
    QTreeView *tree() const { return m_tree; }
    void setFilterText(const QString &text);

    // Selects (and previews) the entry of this exact name; false if absent.
    bool selectEntry(const QString &name);
    // The names of the chosen entries (a chosen group stands for its files).
    QStringList selectedEntries() const;
    Preview preview() const { return m_preview; }
    QString previewedEntry() const { return m_previewed; }
    LogViewer *logViewer() const { return m_log; }
    PerfChart *perfChart() const { return m_chart; }
    ImagePreview *imagePreview() const { return m_image; }
    QString infoText() const;

    // Extracts everything (or the chosen entries) into `folder` on a worker
    // thread; extractionFinished() tells when. False if one is running.
    bool extractTo(const QString &folder, bool selectedOnly);
    void setOverwritePolicy(archive::OverwritePolicy policy);
    archive::OverwritePolicy overwritePolicy() const;
    bool isExtracting() const { return m_job != nullptr; }
    const archive::ExtractResult &lastResult() const { return m_result; }
    QString resultText() const;

public Q_SLOTS:
    // Ask for a folder without blocking, then extract.
    void chooseFolderAndExtract(bool selectedOnly);

Q_SIGNALS:
    void previewChanged(const QString &entryName);
    void extractionFinished(bool ok);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void load();
    void showPreviewFor(const QModelIndex &proxyIndex);
    void showText(const archive::ArchiveEntry &entry);
    void showImage(const archive::ArchiveEntry &entry);
    void showChart(const archive::ArchiveEntry &entry);
    void showInfo(const archive::ArchiveEntry &entry, const QString &problem = {});
    void setResult(const QString &text, bool error, const QString &folder = {});
    void finishExtraction();
    void updateActions();

    QString m_path;
    archive::ZipArchive m_zip;
    ArchiveEntryModel *m_model;
    QSortFilterProxyModel *m_filter;

    QLabel *m_title;
    QLabel *m_error;
    QLabel *m_summary;
    QLineEdit *m_filterEdit;
    QTreeView *m_tree;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    LogViewer *m_log;
    ImagePreview *m_image;
    PerfChart *m_chart;
    QLabel *m_info;
    QPushButton *m_extractEntry;
    QPushButton *m_extractAll;
    QPushButton *m_extractSelected;
    QComboBox *m_overwrite;
    QProgressBar *m_progress;
    QLabel *m_resultLabel;
    QPushButton *m_openFolder;
    QMenu *m_contextMenu;

    Preview m_preview = Preview::None;
    QString m_previewed;
    QString m_resultFolder;

    ArchiveExtractJob *m_job = nullptr;
    archive::ExtractResult m_result;
};

} // namespace gls::ui
