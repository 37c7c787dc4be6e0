target_sources(gls_core PRIVATE
    gamelift/AccountSessionsJob.h gamelift/AccountSessionsJob.cpp
    gamelift/ApiJob.h gamelift/ApiJob.cpp
    gamelift/ExportStreamSessionFilesJob.h gamelift/ExportStreamSessionFilesJob.cpp
    gamelift/GameLiftClient.h gamelift/GameLiftClient.cpp
    gamelift/GameLiftJson.h gamelift/GameLiftJson.cpp
    gamelift/GetStreamGroupJob.h gamelift/GetStreamGroupJob.cpp
    gamelift/GetStreamSessionJob.h gamelift/GetStreamSessionJob.cpp
    gamelift/KnownValues.h gamelift/KnownValues.cpp
    gamelift/ListStreamGroupsJob.h gamelift/ListStreamGroupsJob.cpp
    gamelift/ListStreamSessionsJob.h gamelift/ListStreamSessionsJob.cpp
    gamelift/PagedJob.h gamelift/PagedJob.cpp
    gamelift/SensitiveString.h
    gamelift/StreamGroup.h gamelift/StreamGroup.cpp
    gamelift/StreamSession.h gamelift/StreamSession.cpp
    gamelift/StreamSessionJob.h gamelift/StreamSessionJob.cpp
    gamelift/TerminateStreamSessionJob.h gamelift/TerminateStreamSessionJob.cpp
    gamelift/Validation.h gamelift/Validation.cpp)
