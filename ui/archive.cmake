# The archive browser: a local export ZIP as a tree, previews (text with
# search, screenshots, the perf-stats chart) and safe extraction.
target_sources(gls_ui PRIVATE
    ArchiveBrowser.h ArchiveBrowser.cpp
    ArchiveEntryModel.h ArchiveEntryModel.cpp
    ArchiveExtractJob.h ArchiveExtractJob.cpp
    ImagePreview.h ImagePreview.cpp
    LogViewer.h LogViewer.cpp
    PerfChart.h PerfChart.cpp)
target_link_libraries(gls_ui PUBLIC Qt6::Charts)
