#pragma once

// Stream sessions as ListStreamSessions(ByAccount) and GetStreamSession return
// them (model 2018-05-10, shared/reference/gameliftstreams-api.md, sections 3
// and 5). Value types: every member is optional on the wire; an absent string
// is empty, an absent number or structure is std::nullopt, an absent timestamp
// is an invalid QDateTime (always UTC when valid). Enum-valued members are
// QStrings: unknown values are kept and shown as they came (KnownValues.h).
//
// Sensitive members (SignalRequest, SignalResponse, RoleArn) are
// SensitiveStrings: no debug helper prints them and they do not convert to
// QString without reveal().

#include "SensitiveString.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

class QDebug;

namespace gls::gamelift {

struct ExportFilesMetadata {
    QString status;       // ExportFilesStatus: SUCCEEDED, FAILED, PENDING, or newer
    QString statusReason; // given when FAILED (GetStreamSession only)
    QString outputUri;    // GetStreamSession only; the listings carry just the status

    friend bool operator==(const ExportFilesMetadata &, const ExportFilesMetadata &) = default;
};

struct Resolution {
    int width = 0;  // required by the model (320..4096)
    int height = 0; // required by the model (320..4096)

    friend bool operator==(const Resolution &, const Resolution &) = default;
};

struct DisplayConfiguration {
    std::optional<Resolution> resolution; // the service's default is 1920 x 1080

    friend bool operator==(const DisplayConfiguration &, const DisplayConfiguration &) = default;
};

struct PerformanceStatsConfiguration {
    std::optional<bool> sharedWithClient; // the service's default is false

    friend bool operator==(const PerformanceStatsConfiguration &, const PerformanceStatsConfiguration &) = default;
};

// One item of ListStreamSessions / ListStreamSessionsByAccount.
struct StreamSessionSummary {
    QString arn; // arn:aws:gameliftstreams:REGION:ACCOUNT:streamsession/sg-ID/SESSION-ID
    QString userId;
    QString status;       // StreamSessionStatus (KnownValues.h)
    QString statusReason; // StreamSessionStatusReason, camelCase: "apiTerminated", ...
    QString protocol;     // "WebRTC"
    QDateTime lastUpdatedAt;
    QDateTime createdAt;
    QString applicationArn;
    std::optional<ExportFilesMetadata> exportFilesMetadata;
    QString location;        // "us-west-2"
    SensitiveString roleArn; // sensitive: IamRoleArn

    // The session ID: the ARN's last path segment ("ABC123def4567").
    QString idFromArn() const { return idViewFromArn().toString(); }
    // The stream group ID: the ARN's path segment before the session ID
    // ("sg-1AB2C3De4"); empty when the ARN has fewer than two '/'.
    QString streamGroupIdFromArn() const { return streamGroupIdViewFromArn().toString(); }
    // The same as views into `arn`, for writing them out without a copy.
    QStringView idViewFromArn() const;
    QStringView streamGroupIdViewFromArn() const;
    bool canExport() const;

    friend bool operator==(const StreamSessionSummary &, const StreamSessionSummary &) = default;
};

// GetStreamSession: every member of GetStreamSessionOutput.
struct StreamSession : StreamSessionSummary {
    QString description;
    QString streamGroupId;
    SensitiveString signalRequest;  // sensitive
    SensitiveString signalResponse; // sensitive
    std::optional<int> connectionTimeoutSeconds;
    std::optional<int> sessionLengthSeconds;
    QStringList additionalLaunchArgs;
    QMap<QString, QString> additionalEnvironmentVariables;
    std::optional<PerformanceStatsConfiguration> performanceStatsConfiguration;
    QString logFileLocationUri;
    QString webSdkProtocolUrl;
    std::optional<DisplayConfiguration> displayConfiguration;

    friend bool operator==(const StreamSession &, const StreamSession &) = default;
};

// For logs and test failures: every member except the sensitive ones, on one
// line. Environment variable values are left out too (they may hold secrets
// the model does not mark); their names are shown.
QDebug operator<<(QDebug debug, const ExportFilesMetadata &metadata);
QDebug operator<<(QDebug debug, const StreamSessionSummary &session);
QDebug operator<<(QDebug debug, const StreamSession &session);

} // namespace gls::gamelift

Q_DECLARE_METATYPE(gls::gamelift::StreamSessionSummary)
Q_DECLARE_METATYPE(gls::gamelift::StreamSession)
