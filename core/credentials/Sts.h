#pragma once

// AWS STS on the wire: the query-API requests for AssumeRole and
// GetCallerIdentity (form-encoded POST, SigV4 with the signing name "sts")
// and readers for their XML answers. Pure: no network here.

#include "aws/AwsTransport.h"
#include "sigv4/SigV4.h"

#include <QDateTime>
#include <QString>

namespace gls::creds {

struct AssumeRoleParameters {
    QString roleArn;
    QString roleSessionName;
    QString externalId;     // empty: not sent
    QString serialNumber;   // the MFA device; empty: not sent
    QString tokenCode;      // the MFA code (6 digits)
    int durationSeconds = 0; // 0: the service's default (3600)
};

struct TemporaryCredentials {
    sigv4::Credentials credentials;
    QDateTime expiration;
    QString arn; // the assumed role user's ARN, for display
};

struct CallerIdentity {
    QString account;
    QString arn;
    QString userId;
};

aws::AwsRequest assumeRoleRequest(const AssumeRoleParameters &parameters);
aws::AwsRequest getCallerIdentityRequest();

// False with the reason (never holding a secret) when the answer is not the
// XML STS gives.
bool parseAssumeRoleResponse(QByteArrayView xml, TemporaryCredentials *out, QString *error);
bool parseCallerIdentityResponse(QByteArrayView xml, CallerIdentity *out, QString *error);

// A session name for AssumeRole when the profile gives none.
QString defaultRoleSessionName(const QDateTime &now);

} // namespace gls::creds
