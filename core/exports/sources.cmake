target_sources(gls_core PRIVATE
    exports/ExportTask.h exports/ExportTask.cpp
    exports/PollBackoff.h exports/PollBackoff.cpp
    exports/ExportRecord.h exports/ExportRecord.cpp
    exports/ExportSchema.h exports/ExportSchema.cpp
    exports/ExportStore.h exports/ExportStore.cpp
    exports/Reconcile.h exports/Reconcile.cpp
    exports/TrackedExport.h exports/ExportTracker.h exports/ExportTracker.cpp
    exports/ExportCoordinator.h exports/ExportCoordinator.cpp)
