// The emulator's STS (query protocol, XML) and SSO portal over real TLS
// sockets: GetCallerIdentity, AssumeRole with its errors (unknown role, session
// name, duration, external id, MFA, role chaining, deny), temporary credentials
// accepted by GameLift Streams, S3 and STS only with their session token, their
// expiry as each service reports it, and GetRoleCredentials with minted tokens.

#include "EmulatorHarness.h"

#include <QJsonArray>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

using namespace gls::test;
using gls::sigv4::Credentials;

namespace {

constexpr auto kAccount = "111122223333";
const QByteArray kDefaultRole = "arn:aws:iam::111122223333:role/GlsExporterQA";
const QByteArray kMfaRole = "arn:aws:iam::111122223333:role/MfaRole";
const QByteArray kMfaSerial = "arn:aws:iam::111122223333:mfa/tester";
const QByteArray kPartnerRole = "arn:aws:iam::111122223333:role/PartnerRole";

// The text of the first element with this name, empty when absent.
QString xmlValue(const QByteArray &xml, QStringView element)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && r.name() == element)
            return r.readElementText();
    }
    return {};
}

QByteArray enc(const QByteArray &value)
{
    return gls::sigv4::uriEncode(value, true);
}

QByteArray assumeRoleBody(const QByteArray &roleArn, const QByteArray &session, const QByteArray &extra = {})
{
    return "Action=AssumeRole&Version=2011-06-15&RoleArn=" + enc(roleArn) + "&RoleSessionName=" + enc(session)
        + (extra.isEmpty() ? QByteArray() : '&' + extra);
}

struct Issued {
    Credentials creds;
    QDateTime expiration;
    QString arn;
    QString assumedRoleId;
};

Issued fromAssumeRole(const HttpResult &r)
{
    Issued i;
    i.creds.accessKeyId = xmlValue(r.body, u"AccessKeyId").toLatin1();
    i.creds.secretAccessKey = xmlValue(r.body, u"SecretAccessKey").toLatin1();
    i.creds.sessionToken = xmlValue(r.body, u"SessionToken").toLatin1();
    i.expiration = QDateTime::fromString(xmlValue(r.body, u"Expiration"), Qt::ISODate);
    i.arn = xmlValue(r.body, u"Arn");
    i.assumedRoleId = xmlValue(r.body, u"AssumedRoleId");
    return i;
}

Credentials withoutToken(Credentials c)
{
    c.sessionToken.clear();
    return c;
}

} // namespace

class TestEmulatorSts : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;

    HttpResult assume(const QByteArray &roleArn, const QByteArray &session, const QByteArray &extra = {},
        const Credentials &creds = Emulator::defaultCredentials()) const
    {
        return m_emu->sts(assumeRoleBody(roleArn, session, extra), creds);
    }

    Issued assumeOk(const QByteArray &roleArn, const QByteArray &session, const QByteArray &extra = {},
        const Credentials &creds = Emulator::defaultCredentials()) const
    {
        const HttpResult r = assume(roleArn, session, extra, creds);
        if (r.status != 200)
            qWarning() << "AssumeRole answered" << r.status << xmlValue(r.body, u"Code")
                       << xmlValue(r.body, u"Message");
        return r.status == 200 ? fromAssumeRole(r) : Issued{};
    }

    static void verifyStsError(const HttpResult &r, int status, const QString &code, const QString &messagePart = {})
    {
        QCOMPARE(r.status, status);
        QCOMPARE(xmlValue(r.body, u"Code"), code);
        QCOMPARE(xmlValue(r.body, u"Type"), status >= 500 ? QStringLiteral("Receiver") : QStringLiteral("Sender"));
        QVERIFY2(r.body.startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            r.body.constData());
        QVERIFY(!r.header("x-amzn-RequestId").isEmpty());
        QCOMPARE(xmlValue(r.body, u"RequestId").toLatin1(), r.header("x-amzn-RequestId"));
        if (!messagePart.isEmpty())
            QVERIFY2(xmlValue(r.body, u"Message").contains(messagePart), r.body.constData());
    }

    // GetRoleCredentials as the CLI sends it: unsigned, the token in a header.
    HttpResult roleCredentials(const QByteArray &query, const QByteArray &token) const
    {
        RawRequest req{"GET", "/federation/credentials", query, {}, {}};
        if (!token.isEmpty())
            req.headers.append({"x-amz-sso_bearer_token", token});
        return m_emu->send(m_emu->ssoUrl(), req);
    }

    QByteArray mintSsoToken(const QJsonObject &body = {}) const
    {
        return m_emu->control("POST", "sso/tokens", body)
            .json()
            .value(QStringLiteral("accessToken"))
            .toString()
            .toLatin1();
    }

    int lifetimeCap(int seconds) const
    {
        return m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("credentialLifetimeSeconds"), seconds}})
            .status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--groups"), QStringLiteral("2"),
            QStringLiteral("--sessions"), QStringLiteral("4"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0"), QStringLiteral("--role"),
            QString::fromLatin1(kMfaRole + ",mfa-serial=" + kMfaSerial + ",mfa-code=123456"), QStringLiteral("--role"),
            QString::fromLatin1(kPartnerRole + ",external-id=partner-42,max-duration=7200")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
    }

    void cleanup()
    {
        QCOMPARE(lifetimeCap(0), 200);
        m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray()}});
        m_emu->control("DELETE", "faults");
    }

    void endpointsNameStsAndSso()
    {
        QCOMPARE(m_emu->stsUrl(), m_emu->gameliftUrl());
        QCOMPARE(m_emu->ssoUrl(), m_emu->gameliftUrl());
        QVERIFY(m_emu->stsUrl().startsWith(QLatin1String("https://")));
    }

    void getCallerIdentityWithLongTermKey()
    {
        const HttpResult r = m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15");
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            r.body.constData());
        QCOMPARE(xmlValue(r.body, u"Arn"), QStringLiteral("arn:aws:iam::111122223333:user/gls-emulator-user"));
        QCOMPARE(xmlValue(r.body, u"Account"), QLatin1String(kAccount));
        QVERIFY(xmlValue(r.body, u"UserId").startsWith(QLatin1String("AIDA")));
        QCOMPARE(xmlValue(r.body, u"RequestId").toLatin1(), r.header("x-amzn-RequestId"));

        // Any Region in the credential scope, as STS's regional endpoints accept.
        QCOMPARE(m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15", Emulator::defaultCredentials(), "eu-west-1")
                     .status,
            200);

        // The query form: GET /?Action=...
        const QUrl base(m_emu->stsUrl());
        gls::sigv4::SigningRequest sr;
        sr.method = "GET";
        sr.wirePath = "/";
        sr.wireQuery = "Action=GetCallerIdentity&Version=2011-06-15";
        sr.host = base.authority().toLatin1();
        sr.payloadHash = gls::sigv4::sha256Hex({});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const gls::sigv4::Scope scope{gls::sigv4::amzDate(now).left(8), "us-east-1", "sts"};
        const auto signedHeaders = gls::sigv4::signHeaders(sr, Emulator::defaultCredentials(), scope, now);
        const HttpResult viaGet
            = m_emu->send(m_emu->stsUrl(), RawRequest{"GET", "/", sr.wireQuery, signedHeaders.headers, {}});
        QCOMPARE(viaGet.status, 200);
        QCOMPARE(xmlValue(viaGet.body, u"Arn"), QStringLiteral("arn:aws:iam::111122223333:user/gls-emulator-user"));
    }

    void authenticationFailures()
    {
        const QByteArray body = "Action=GetCallerIdentity&Version=2011-06-15";
        verifyStsError(
            m_emu->sts(body, Credentials{kKeyId, "not-the-secret", {}}), 403, QStringLiteral("SignatureDoesNotMatch"));
        verifyStsError(m_emu->sts(body, Credentials{"AKIDNOSUCHKEY0000000", kSecret, {}}), 403,
            QStringLiteral("InvalidClientTokenId"),
            QStringLiteral("The security token included in the request is invalid."));
        const HttpResult unsignedReq = m_emu->send(m_emu->stsUrl(),
            RawRequest{"POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}}, body});
        verifyStsError(unsignedReq, 403, QStringLiteral("MissingAuthenticationToken"));
        const HttpResult malformed = m_emu->send(m_emu->stsUrl(),
            RawRequest{"POST", "/", {},
                {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Authorization", "AWS4-HMAC-SHA256 Credential=garbage"}},
                body});
        verifyStsError(malformed, 400, QStringLiteral("IncompleteSignature"));
        verifyStsError(m_emu->sts("Action=GetSessionToken&Version=2011-06-15"), 400, QStringLiteral("InvalidAction"));
        verifyStsError(m_emu->sts("Action=AssumeRole&Version=2011-06-15&RoleSessionName=abc"), 400,
            QStringLiteral("MissingParameter"), QStringLiteral("RoleArn"));
    }

    void assumeRoleAndUseTheTemporaryCredentials()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const Issued i = assumeOk(kDefaultRole, "qa-session");
        QVERIFY(i.creds.accessKeyId.startsWith("ASIA"));
        QCOMPARE(i.creds.accessKeyId.size(), 20);
        QCOMPARE(i.creds.secretAccessKey.size(), 40);
        QVERIFY(i.creds.sessionToken.size() > 100);
        QCOMPARE(i.arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/qa-session"));
        QVERIFY(i.assumedRoleId.startsWith(QLatin1String("AROA")));
        QVERIFY(i.assumedRoleId.endsWith(QLatin1String(":qa-session")));
        // The default duration is one hour.
        QVERIFY(i.expiration.isValid());
        QVERIFY(qAbs(before.secsTo(i.expiration) - 3600) <= 5);

        // Accepted by GameLift Streams, S3 and STS with the token...
        const HttpResult groups = m_emu->gamelift("GET", "/streamgroups", {}, {}, i.creds);
        QCOMPARE(groups.status, 200);
        QCOMPARE(groups.json().value(QStringLiteral("Items")).toArray().size(), 2);
        QCOMPARE(m_emu->s3("GET", "/gls-exports", "list-type=2", {}, i.creds).status, 200);
        const HttpResult who = m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15", i.creds);
        QCOMPARE(who.status, 200);
        QCOMPARE(xmlValue(who.body, u"Arn"), i.arn);
        QCOMPARE(xmlValue(who.body, u"UserId"), i.assumedRoleId);

        // ...also in a presigned S3 URL, where the token travels in the query.
        const QUrl s3Base(m_emu->s3Url());
        gls::sigv4::SigningRequest sr;
        sr.method = "GET";
        sr.wirePath = "/gls-exports";
        sr.wireQuery = "list-type=2";
        sr.host = s3Base.authority().toLatin1();
        sr.payloadHash = QByteArray(gls::sigv4::kUnsignedPayload.data(), gls::sigv4::kUnsignedPayload.size());
        sr.pathStyle = gls::sigv4::PathStyle::S3;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QByteArray presigned = gls::sigv4::presignQuery(
            sr, i.creds, gls::sigv4::Scope{gls::sigv4::amzDate(now).left(8), kRegion, "s3"}, now, 300);
        QCOMPARE(m_emu->send(m_emu->s3Url(), RawRequest{"GET", "/gls-exports", presigned, {}, {}}).status, 200);

        // ...and refused without it, each service in its own words.
        const HttpResult glNoToken = m_emu->gamelift("GET", "/streamgroups", {}, {}, withoutToken(i.creds));
        QCOMPARE(glNoToken.status, 403);
        QCOMPARE(glNoToken.header("X-Amzn-Errortype"), QByteArray("UnrecognizedClientException"));
        const HttpResult s3NoToken = m_emu->s3("GET", "/gls-exports", "list-type=2", {}, withoutToken(i.creds));
        QCOMPARE(s3NoToken.status, 403);
        QVERIFY2(s3NoToken.body.contains("<Code>InvalidAccessKeyId</Code>"), s3NoToken.body.constData());
        verifyStsError(m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15", withoutToken(i.creds)), 403,
            QStringLiteral("InvalidClientTokenId"));
        Credentials wrongToken = i.creds;
        wrongToken.sessionToken = "IQoJb3JpZ2luX2VjENotTheTokenOfThisKey";
        const HttpResult s3WrongToken = m_emu->s3("GET", "/gls-exports", "list-type=2", {}, wrongToken);
        QCOMPARE(s3WrongToken.status, 400);
        QVERIFY2(s3WrongToken.body.contains("<Code>InvalidToken</Code>"), s3WrongToken.body.constData());

        // Role chaining: temporary credentials may assume a role, for an hour at most.
        const Issued chained = assumeOk(kDefaultRole, "chained", {}, i.creds);
        QVERIFY(chained.creds.accessKeyId.startsWith("ASIA"));
        QCOMPARE(chained.arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/chained"));
        verifyStsError(assume(kPartnerRole, "chained2", "ExternalId=partner-42&DurationSeconds=7200", i.creds), 400,
            QStringLiteral("ValidationError"),
            QStringLiteral("1 hour session limit for roles assumed by role chaining"));

        // Requests are counted per operation.
        const QJsonObject stats = m_emu->control("GET", "stats").json().value(QStringLiteral("requests")).toObject();
        QVERIFY(stats.value(QStringLiteral("STS.AssumeRole")).toInt() >= 2);
        QVERIFY(stats.value(QStringLiteral("STS.GetCallerIdentity")).toInt() >= 1);
    }

    void assumeRoleErrors()
    {
        const QString caller = QStringLiteral("arn:aws:iam::111122223333:user/gls-emulator-user");
        verifyStsError(assume("arn:aws:iam::111122223333:role/NoSuchRole", "s1"), 403, QStringLiteral("AccessDenied"),
            QStringLiteral("User: %1 is not authorized to perform: sts:AssumeRole on resource: "
                           "arn:aws:iam::111122223333:role/NoSuchRole")
                .arg(caller));
        verifyStsError(assume(kDefaultRole, "bad name!"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to "
                           "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"));
        verifyStsError(assume(kDefaultRole, "x"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("Member must have length greater than or equal to 2"));
        verifyStsError(assume(kDefaultRole, QByteArray(65, 'a')), 400, QStringLiteral("ValidationError"),
            QStringLiteral("Member must have length less than or equal to 64"));
        // Session names may hold + = , . @ - (sent encoded in the form).
        QCOMPARE(assumeOk(kDefaultRole, "qa+ci=1,a.b@c-d").arn,
            QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/qa+ci=1,a.b@c-d"));

        verifyStsError(assume(kDefaultRole, "s1", "DurationSeconds=899"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have "
                           "value greater than or equal to 900"));
        verifyStsError(assume(kDefaultRole, "s1", "DurationSeconds=43201"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("Member must have value less than or equal to 43200"));
        verifyStsError(assume(kDefaultRole, "s1", "DurationSeconds=7200"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
        const QDateTime before = QDateTime::currentDateTimeUtc();
        QVERIFY(qAbs(before.secsTo(assumeOk(kDefaultRole, "s1", "DurationSeconds=900").expiration) - 900) <= 5);

        // External id.
        verifyStsError(assume(kPartnerRole, "p1"), 403, QStringLiteral("AccessDenied"),
            QStringLiteral("is not authorized to perform: sts:AssumeRole on resource: ") + QLatin1String(kPartnerRole));
        verifyStsError(assume(kPartnerRole, "p1", "ExternalId=partner-41"), 403, QStringLiteral("AccessDenied"));
        const Issued partner = assumeOk(kPartnerRole, "p1", "ExternalId=partner-42&DurationSeconds=7200");
        QVERIFY(partner.creds.accessKeyId.startsWith("ASIA"));
        QVERIFY(qAbs(before.secsTo(partner.expiration) - 7200) <= 5);

        // MFA: required, then wrong, then right.
        verifyStsError(assume(kMfaRole, "m1"), 403, QStringLiteral("AccessDenied"),
            QStringLiteral("is not authorized to perform: sts:AssumeRole"));
        const QByteArray serial = "SerialNumber=" + enc(kMfaSerial);
        verifyStsError(assume(kMfaRole, "m1", serial + "&TokenCode=654321"), 403, QStringLiteral("AccessDenied"),
            QStringLiteral("MultiFactorAuthentication failed with invalid MFA one time pass code."));
        verifyStsError(assume(kMfaRole, "m1", serial + "&TokenCode=12345"), 400, QStringLiteral("ValidationError"),
            QStringLiteral("at 'tokenCode' failed to satisfy constraint"));
        const Issued mfa = assumeOk(kMfaRole, "m1", serial + "&TokenCode=123456");
        QCOMPARE(mfa.arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/MfaRole/m1"));
    }

    void rolesThroughTheControlApi()
    {
        const QByteArray arn = "arn:aws:iam::111122223333:role/ops/NightlyExport";
        QCOMPARE(m_emu
                     ->control("POST", "roles",
                         QJsonObject{{QStringLiteral("arn"), QString::fromLatin1(arn)},
                             {QStringLiteral("maxDurationSeconds"), 14400}})
                     .status,
            201);
        QCOMPARE(
            m_emu->control("POST", "roles", QJsonObject{{QStringLiteral("arn"), QStringLiteral("not-an-arn")}}).status,
            400);
        const QJsonArray roles = m_emu->control("GET", "roles").json().value(QStringLiteral("roles")).toArray();
        QStringList arns;
        for (const QJsonValue &v : roles)
            arns.append(v.toObject().value(QStringLiteral("arn")).toString());
        QVERIFY(arns.contains(QString::fromLatin1(kDefaultRole)));
        QVERIFY(arns.contains(QString::fromLatin1(kMfaRole)));
        QVERIFY(arns.contains(QString::fromLatin1(arn)));
        // The role's path is not part of the assumed-role ARN.
        const Issued i = assumeOk(arn, "nightly", "DurationSeconds=14400");
        QCOMPARE(i.arn, QStringLiteral("arn:aws:sts::111122223333:assumed-role/NightlyExport/nightly"));
    }

    void deniedAssumeRoleAndThrottling()
    {
        QCOMPARE(m_emu
                     ->control("PUT", "settings",
                         QJsonObject{{QStringLiteral("deny"), QJsonArray{QStringLiteral("sts:AssumeRole")}}})
                     .status,
            200);
        verifyStsError(assume(kDefaultRole, "denied"), 403, QStringLiteral("AccessDenied"),
            QStringLiteral("is not authorized to perform: sts:AssumeRole"));
        // GetCallerIdentity needs no permission and cannot be denied.
        QCOMPARE(m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15").status, 200);

        QCOMPARE(m_emu
                     ->control("PUT", "faults",
                         QJsonObject{{QStringLiteral("throttle"), 1.0},
                             {QStringLiteral("operations"), QJsonArray{QStringLiteral("STS.GetCallerIdentity")}}})
                     .status,
            200);
        verifyStsError(m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15"), 400, QStringLiteral("Throttling"),
            QStringLiteral("Rate exceeded"));
    }

    void temporaryCredentialsExpire()
    {
        QCOMPARE(lifetimeCap(2), 200);
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const Issued i = assumeOk(kDefaultRole, "short-lived");
        QVERIFY(i.creds.accessKeyId.startsWith("ASIA"));
        QVERIFY(before.secsTo(i.expiration) <= 3);
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups", {}, {}, i.creds).status, 200);

        QTRY_VERIFY_WITH_TIMEOUT(m_emu->gamelift("GET", "/streamgroups", {}, {}, i.creds).status == 403, 10000);
        const HttpResult gl = m_emu->gamelift("GET", "/streamgroups", {}, {}, i.creds);
        QCOMPARE(gl.header("X-Amzn-Errortype"), QByteArray("ExpiredTokenException"));
        QCOMPARE(gl.json().value(QStringLiteral("Message")).toString(),
            QStringLiteral("The security token included in the request is expired"));

        const HttpResult s3 = m_emu->s3("GET", "/gls-exports", "list-type=2", {}, i.creds);
        QCOMPARE(s3.status, 400);
        QVERIFY2(s3.body.contains("<Code>ExpiredToken</Code>"), s3.body.constData());
        QVERIFY2(s3.body.contains("<Message>The provided token has expired.</Message>"), s3.body.constData());

        verifyStsError(m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15", i.creds), 400,
            QStringLiteral("ExpiredToken"), QStringLiteral("The security token included in the request is expired"));
    }

    void ssoRoleCredentials()
    {
        const HttpResult minted = m_emu->control("POST", "sso/tokens", {});
        QCOMPARE(minted.status, 200);
        const QByteArray token = minted.json().value(QStringLiteral("accessToken")).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        const QDateTime tokenExpiry
            = QDateTime::fromString(minted.json().value(QStringLiteral("expiresAt")).toString(), Qt::ISODate);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(tokenExpiry) - 28800) <= 5);
        QCOMPARE(tokenExpiry.timeSpec(), Qt::UTC);

        const QDateTime before = QDateTime::currentDateTimeUtc();
        const HttpResult r = roleCredentials("account_id=111122223333&role_name=GlsExporterQA", token);
        QCOMPARE(r.status, 200);
        const QJsonObject rc = r.json().value(QStringLiteral("roleCredentials")).toObject();
        Credentials creds{rc.value(QStringLiteral("accessKeyId")).toString().toLatin1(),
            rc.value(QStringLiteral("secretAccessKey")).toString().toLatin1(),
            rc.value(QStringLiteral("sessionToken")).toString().toLatin1()};
        QVERIFY(creds.accessKeyId.startsWith("ASIA"));
        QVERIFY(!creds.secretAccessKey.isEmpty() && !creds.sessionToken.isEmpty());
        // Epoch milliseconds, one hour out.
        const qint64 expirationMs = rc.value(QStringLiteral("expiration")).toInteger();
        QVERIFY(qAbs(expirationMs - before.toMSecsSinceEpoch() - 3600 * 1000) <= 5000);

        QCOMPARE(m_emu->gamelift("GET", "/streamgroups", {}, {}, creds).status, 200);
        const HttpResult who = m_emu->sts("Action=GetCallerIdentity&Version=2011-06-15", creds);
        QCOMPARE(xmlValue(who.body, u"Arn"),
            QStringLiteral(
                "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_GlsExporterQA_0123456789abcdef/gls-sso-user"));
        QVERIFY(xmlValue(who.body, u"UserId").endsWith(QLatin1String(":gls-sso-user")));
    }

    void ssoErrors()
    {
        const QByteArray query = "account_id=111122223333&role_name=GlsExporterQA";
        auto verifyError = [](const HttpResult &r, int status, const QByteArray &type, const QString &message) {
            QCOMPARE(r.status, status);
            QCOMPARE(r.header("x-amzn-ErrorType"), type);
            if (!message.isEmpty())
                QCOMPARE(r.json().value(QStringLiteral("message")).toString(), message);
        };
        verifyError(roleCredentials(query, "aoaNoSuchToken"), 401, "UnauthorizedException",
            QStringLiteral("Session token not found or invalid"));
        verifyError(roleCredentials(query, {}), 401, "UnauthorizedException",
            QStringLiteral("Session token not found or invalid"));

        const QByteArray token = mintSsoToken();
        verifyError(roleCredentials("account_id=111122223333&role_name=SomeOtherRole", token), 403,
            "ForbiddenException", QStringLiteral("No access"));
        verifyError(roleCredentials("account_id=444455556666&role_name=GlsExporterQA", token), 403,
            "ForbiddenException", QStringLiteral("No access"));
        verifyError(roleCredentials("account_id=111122223333", token), 400, "InvalidRequestException", {});

        // A token minted for another role opens that role only.
        const QByteArray ops = mintSsoToken(QJsonObject{{QStringLiteral("roleName"), QStringLiteral("Ops")}});
        QCOMPARE(roleCredentials("account_id=111122223333&role_name=Ops", ops).status, 200);

        // SSO role credentials honour the lifetime cap too.
        QCOMPARE(lifetimeCap(2), 200);
        const QJsonObject rc = roleCredentials(query, token).json().value(QStringLiteral("roleCredentials")).toObject();
        QVERIFY(rc.value(QStringLiteral("expiration")).toInteger() - QDateTime::currentMSecsSinceEpoch() <= 3000);

        // An expired portal token is as good as none.
        const QByteArray shortLived = mintSsoToken(QJsonObject{{QStringLiteral("lifetimeSeconds"), 1}});
        QTRY_VERIFY_WITH_TIMEOUT(roleCredentials(query, shortLived).status == 401, 10000);
        verifyError(roleCredentials(query, shortLived), 401, "UnauthorizedException",
            QStringLiteral("Session token not found or invalid"));
    }
};

QTEST_GUILESS_MAIN(TestEmulatorSts)
#include "tst_emulator_sts.moc"
