#pragma once

// Stream groups as ListStreamGroups and GetStreamGroup return them (model
// 2018-05-10, see shared/reference/gameliftstreams-api.md, section 5). Value
// types: every member is optional on the wire; an absent string is empty, an
// absent number is std::nullopt, an absent timestamp is an invalid QDateTime
// (always UTC when valid). Enum-valued members are QStrings: unknown values
// are kept and shown as they came (see KnownValues.h).

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

class QDebug;

namespace gls::gamelift {

struct DefaultApplication {
    QString id; // "a-9ZY8X7Wv6"
    QString arn;

    friend bool operator==(const DefaultApplication &, const DefaultApplication &) = default;
};

struct VpcTransitConfiguration {
    QString vpcId;
    QStringList ipv4CidrBlocks;
    QString transitGatewayId;
    QString transitGatewayResourceShareArn;

    friend bool operator==(const VpcTransitConfiguration &, const VpcTransitConfiguration &) = default;
};

struct LocationState {
    QString locationName; // "us-west-2"
    QString status;       // StreamGroupLocationStatus: ACTIVATING, ACTIVE, ERROR, REMOVING, or newer
    std::optional<qint64> alwaysOnCapacity;
    std::optional<qint64> onDemandCapacity;
    std::optional<qint64> targetIdleCapacity;
    std::optional<qint64> maximumCapacity;
    std::optional<qint64> requestedCapacity;
    std::optional<qint64> allocatedCapacity;
    std::optional<qint64> idleCapacity;
    QString internalVpcIpv4CidrBlock;
    std::optional<VpcTransitConfiguration> vpcTransitConfiguration;

    friend bool operator==(const LocationState &, const LocationState &) = default;
};

// One item of ListStreamGroups.
struct StreamGroupSummary {
    QString arn; // required by the model; kept empty if a response leaves it out
    QString id;  // "sg-1AB2C3De4"
    QString description;
    std::optional<DefaultApplication> defaultApplication;
    QString streamClass; // "gen4n_high", ... or newer
    QString status;      // StreamGroupStatus
    QDateTime createdAt;
    QDateTime lastUpdatedAt;
    QDateTime expiresAt;

    // The ID, or the last path segment of the ARN when the ID is missing.
    QString idOrFromArn() const;

    friend bool operator==(const StreamGroupSummary &, const StreamGroupSummary &) = default;
};

// GetStreamGroup: the summary's members plus the detail only it carries.
struct StreamGroup : StreamGroupSummary {
    QString statusReason; // StreamGroupStatusReason: internalError, noAvailableInstances, or newer
    QList<LocationState> locationStates;
    QStringList associatedApplications; // application ARNs

    friend bool operator==(const StreamGroup &, const StreamGroup &) = default;
};

// For logs and test failures: every member, on one line.
QDebug operator<<(QDebug debug, const StreamGroupSummary &group);
QDebug operator<<(QDebug debug, const StreamGroup &group);

} // namespace gls::gamelift

Q_DECLARE_METATYPE(gls::gamelift::StreamGroupSummary)
Q_DECLARE_METATYPE(gls::gamelift::StreamGroup)
