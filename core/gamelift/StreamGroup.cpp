#include "StreamGroup.h"

#include <QDebug>

namespace gls::gamelift {

QString StreamGroupSummary::idOrFromArn() const
{
    if (!id.isEmpty())
        return id;
    return arn.section(QLatin1Char('/'), -1);
}

namespace {

void writeSummary(QDebug &d, const StreamGroupSummary &g)
{
    d << "arn=" << g.arn << "id=" << g.id << "status=" << g.status << "streamClass=" << g.streamClass;
    if (!g.description.isEmpty())
        d << "description=" << g.description;
    if (g.defaultApplication)
        d << "defaultApplication=" << g.defaultApplication->id << g.defaultApplication->arn;
    d << "createdAt=" << g.createdAt << "lastUpdatedAt=" << g.lastUpdatedAt;
    if (g.expiresAt.isValid())
        d << "expiresAt=" << g.expiresAt;
}

} // namespace

QDebug operator<<(QDebug debug, const StreamGroupSummary &group)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "StreamGroupSummary(";
    debug.space();
    writeSummary(debug, group);
    debug.nospace() << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const StreamGroup &group)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "StreamGroup(";
    debug.space();
    writeSummary(debug, group);
    if (!group.statusReason.isEmpty())
        debug << "statusReason=" << group.statusReason;
    for (const LocationState &l : group.locationStates) {
        debug << "location=" << l.locationName << l.status << "allocated=" << l.allocatedCapacity.value_or(-1)
              << "idle=" << l.idleCapacity.value_or(-1);
    }
    debug << "associatedApplications=" << group.associatedApplications.size();
    debug.nospace() << ')';
    return debug;
}

} // namespace gls::gamelift
