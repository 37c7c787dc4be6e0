target_sources(gls_core PRIVATE
    exports/ExportTask.h exports/ExportTask.cpp
    exports/PollBackoff.h exports/PollBackoff.cpp)
