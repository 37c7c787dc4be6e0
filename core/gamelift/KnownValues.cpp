#include "KnownValues.h"

namespace gls::gamelift {

const QStringList &knownStreamSessionStatuses()
{
    static const QStringList values{
        QStringLiteral("ACTIVATING"),
        QStringLiteral("ACTIVE"),
        QStringLiteral("CONNECTED"),
        QStringLiteral("PENDING_CLIENT_RECONNECTION"),
        QStringLiteral("RECONNECTING"),
        QStringLiteral("TERMINATING"),
        QStringLiteral("TERMINATED"),
        QStringLiteral("ERROR"),
    };
    return values;
}

const QStringList &knownStreamSessionStatusReasons()
{
    static const QStringList values{
        QStringLiteral("internalError"),
        QStringLiteral("invalidSignalRequest"),
        QStringLiteral("placementTimeout"),
        QStringLiteral("applicationLogS3DestinationError"),
        QStringLiteral("assumeRoleFailed"),
        QStringLiteral("applicationExit"),
        QStringLiteral("connectionTimeout"),
        QStringLiteral("reconnectionTimeout"),
        QStringLiteral("maxSessionLengthTimeout"),
        QStringLiteral("idleTimeout"),
        QStringLiteral("apiTerminated"),
    };
    return values;
}

const QStringList &knownExportFilesStatuses()
{
    static const QStringList values{QStringLiteral("SUCCEEDED"), QStringLiteral("FAILED"), QStringLiteral("PENDING")};
    return values;
}

const QStringList &knownStreamGroupStatuses()
{
    static const QStringList values{
        QStringLiteral("ACTIVATING"),
        QStringLiteral("UPDATING_LOCATIONS"),
        QStringLiteral("ACTIVE"),
        QStringLiteral("ACTIVE_WITH_ERRORS"),
        QStringLiteral("ERROR"),
        QStringLiteral("DELETING"),
        QStringLiteral("EXPIRED"),
    };
    return values;
}

const QStringList &knownStreamGroupStatusReasons()
{
    static const QStringList values{QStringLiteral("internalError"), QStringLiteral("noAvailableInstances")};
    return values;
}

const QStringList &knownStreamGroupLocationStatuses()
{
    static const QStringList values{
        QStringLiteral("ACTIVATING"), QStringLiteral("ACTIVE"), QStringLiteral("ERROR"), QStringLiteral("REMOVING")};
    return values;
}

const QStringList &knownProtocols()
{
    static const QStringList values{QStringLiteral("WebRTC")};
    return values;
}

const QStringList &knownStreamClasses()
{
    static const QStringList values{
        QStringLiteral("gen4n_high"),
        QStringLiteral("gen4n_ultra"),
        QStringLiteral("gen4n_win2022"),
        QStringLiteral("gen5n_high"),
        QStringLiteral("gen5n_ultra"),
        QStringLiteral("gen5n_win2022"),
        QStringLiteral("gen6n_small"),
        QStringLiteral("gen6n_medium"),
        QStringLiteral("gen6n_high"),
        QStringLiteral("gen6n_ultra"),
        QStringLiteral("gen6n_ultra_win2022"),
        QStringLiteral("gen6n_pro"),
        QStringLiteral("gen6n_pro_win2022"),
        QStringLiteral("gen6n_small_win2022"),
        QStringLiteral("gen6n_medium_win2022"),
        QStringLiteral("gen6e_pro"),
        QStringLiteral("gen6e_pro_win2022"),
    };
    return values;
}

bool canExport(const QString &status)
{
    return status == QLatin1String("ACTIVE") || status == QLatin1String("CONNECTED")
        || status == QLatin1String("PENDING_CLIENT_RECONNECTION") || status == QLatin1String("RECONNECTING");
}

bool isEndedStatus(const QString &status)
{
    return status == QLatin1String("TERMINATED") || status == QLatin1String("ERROR");
}

} // namespace gls::gamelift
