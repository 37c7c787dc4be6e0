# Exported archives: reading the ZIP with libzip, what is in it (crash dumps
# and logs first, the perf-stats CSV), and extracting it safely.
target_sources(gls_core PRIVATE
    archive/ArchiveEntry.h archive/ArchiveEntry.cpp
    archive/PerfStats.h archive/PerfStats.cpp
    archive/SafeExtractor.h archive/SafeExtractor.cpp
    archive/ZipArchive.h archive/ZipArchive.cpp)
