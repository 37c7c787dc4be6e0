// The emulator's GameLift Streams side over real TLS sockets: every operation,
// every error class, pagination to the end over 1,200 sessions, ARN labels,
// validation, signatures, throttling and malformed input.

#include "EmulatorHarness.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace gls::test;

class TestEmulatorGameLift : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    QString m_groupId;
    QString m_groupArn;

    // Every session of the Region, page by page, following NextToken.
    QJsonArray listAll(const QByteArray &path, const QByteArray &filters, int pageSize, int *pages,
                       QStringList *tokens = nullptr)
    {
        QJsonArray all;
        QByteArray token;
        *pages = 0;
        do {
            QByteArray q = "MaxResults=" + QByteArray::number(pageSize);
            if (!filters.isEmpty())
                q += '&' + filters;
            if (!token.isEmpty())
                q += "&NextToken=" + gls::sigv4::uriEncode(token);
            const HttpResult r = m_emu->gamelift("GET", path, q);
            if (r.status != 200) {
                qWarning() << "page failed" << r.status << r.body;
                return {};
            }
            ++*pages;
            const QJsonObject o = r.json();
            for (const QJsonValue &v : o.value(QStringLiteral("Items")).toArray())
                all.append(v);
            token = o.value(QStringLiteral("NextToken")).toString().toLatin1();
            if (tokens && !token.isEmpty())
                tokens->append(QString::fromLatin1(token));
        } while (!token.isEmpty() && *pages < 1000);
        return all;
    }

    // A TLS connection to the GameLift Streams port, trusting the emulator's CA.
    bool connectTls(QSslSocket &s) const
    {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setCaCertificates(QSslCertificate::fromPath(m_emu->caPath()));
        s.setSslConfiguration(conf);
        const QUrl u(m_emu->gameliftUrl());
        s.connectToHostEncrypted(u.host(), quint16(u.port()));
        return s.waitForEncrypted(10000);
    }

    QString findSession(const QString &status)
    {
        const HttpResult r = m_emu->gamelift("GET", "/streamsessions", "Status=" + status.toLatin1() + "&MaxResults=1");
        return r.json().value(QStringLiteral("Items")).toArray().at(0).toObject().value(QStringLiteral("Arn")).toString();
    }

    static QString idOf(const QString &sessionArn) { return sessionArn.section(QLatin1Char('/'), -1); }
    static QString groupOf(const QString &sessionArn) { return sessionArn.section(QLatin1Char('/'), -2, -2); }

    void expectError(const HttpResult &r, int status, const QByteArray &type, const QString &messagePart = {})
    {
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("x-amzn-errortype"), type);
        QVERIFY2(!r.header("x-amzn-requestid").isEmpty(), "every answer carries a request id");
        const QString message = r.json().value(QStringLiteral("Message")).toString();
        QVERIFY2(!message.isEmpty(), r.body.constData());
        if (!messagePart.isEmpty())
            QVERIFY2(message.contains(messagePart), qPrintable(message));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("1200"),
                                                       QStringLiteral("--groups"), QStringLiteral("8"),
                                                       QStringLiteral("--regions"), QStringLiteral("us-west-2"),
                                                       QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        QVERIFY(m_emu->gameliftUrl().startsWith(QLatin1String("https://127.0.0.1:")));
        const HttpResult r = m_emu->gamelift("GET", "/streamgroups");
        QCOMPARE(r.status, 200);
        const QJsonObject first = r.json().value(QStringLiteral("Items")).toArray().at(0).toObject();
        m_groupId = first.value(QStringLiteral("Id")).toString();
        m_groupArn = first.value(QStringLiteral("Arn")).toString();
        QVERIFY(m_groupId.startsWith(QLatin1String("sg-")));
    }

    void listStreamGroups()
    {
        const HttpResult r = m_emu->gamelift("GET", "/streamgroups");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QVERIFY(!r.header("x-amzn-requestid").isEmpty());
        const QJsonArray items = r.json().value(QStringLiteral("Items")).toArray();
        QCOMPARE(items.size(), 8);
        QVERIFY(!r.json().contains(QStringLiteral("NextToken")));
        for (const QJsonValue &v : items) {
            const QJsonObject g = v.toObject();
            QVERIFY(g.value(QStringLiteral("Arn")).toString().startsWith(
                QLatin1String("arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-")));
            QVERIFY(g.value(QStringLiteral("CreatedAt")).isDouble()); // epoch seconds, not ISO text
            QVERIFY(!g.contains(QStringLiteral("LocationStates")));   // the summary has none
        }
        int pages = 0;
        QCOMPARE(listAll("/streamgroups", {}, 3, &pages).size(), 8);
        QCOMPARE(pages, 3);
    }

    void getStreamGroupByIdAndArn()
    {
        for (const QString &ident : {m_groupId, m_groupArn}) {
            const HttpResult r = m_emu->gamelift("GET", "/streamgroups/" + label(ident));
            QCOMPARE(r.status, 200);
            const QJsonObject g = r.json();
            QCOMPARE(g.value(QStringLiteral("Id")).toString(), m_groupId);
            QCOMPARE(g.value(QStringLiteral("Arn")).toString(), m_groupArn);
            QVERIFY(!g.value(QStringLiteral("LocationStates")).toArray().isEmpty());
            QVERIFY(!g.value(QStringLiteral("AssociatedApplications")).toArray().isEmpty());
        }
        expectError(m_emu->gamelift("GET", "/streamgroups/sg-000000000"), 404, "ResourceNotFoundException", "sg-000000000");
        // An ARN of another Region or account is not found here.
        expectError(m_emu->gamelift("GET", "/streamgroups/" + label(QString(m_groupArn).replace(QLatin1String("us-west-2"), QLatin1String("eu-west-1")))),
                    404, "ResourceNotFoundException");
    }

    void paginationToTheEndOverEveryPage()
    {
        int pages = 0;
        QStringList tokens;
        const QJsonArray all = listAll("/streamsessions", {}, 100, &pages, &tokens);
        QCOMPARE(all.size(), 1200);
        QCOMPARE(pages, 12);
        QSet<QString> arns;
        for (const QJsonValue &v : all)
            arns.insert(v.toObject().value(QStringLiteral("Arn")).toString());
        QCOMPARE(arns.size(), 1200); // no session twice, none skipped
        // Tokens are opaque and carry the characters that break naive query encoding.
        const QString joined = tokens.join(QString());
        QVERIFY(joined.contains(QLatin1Char('+')));
        QVERIFY(joined.contains(QLatin1Char('/')));
        QVERIFY(joined.contains(QLatin1Char('=')));

        // The default page size is 25.
        const HttpResult first = m_emu->gamelift("GET", "/streamsessions");
        QCOMPARE(first.json().value(QStringLiteral("Items")).toArray().size(), 25);

        // Per stream group, the pages add up to the account listing.
        int perGroup = 0;
        const QJsonArray groups = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray();
        for (const QJsonValue &g : groups) {
            const QByteArray path = "/streamgroups/" + label(g.toObject().value(QStringLiteral("Arn")).toString()) + "/streamsessions";
            perGroup += listAll(path, {}, 37, &pages).size();
        }
        QCOMPARE(perGroup, 1200);
    }

    void filtersByStatusAndExportStatus()
    {
        int pages = 0;
        const QJsonArray terminated = listAll("/streamsessions", "Status=TERMINATED", 100, &pages);
        QVERIFY(terminated.size() > 100);
        for (const QJsonValue &v : terminated)
            QCOMPARE(v.toObject().value(QStringLiteral("Status")).toString(), QStringLiteral("TERMINATED"));
        const QJsonArray failed = listAll("/streamsessions", "ExportFilesStatus=FAILED", 100, &pages);
        QVERIFY(!failed.isEmpty());
        for (const QJsonValue &v : failed) {
            const QJsonObject meta = v.toObject().value(QStringLiteral("ExportFilesMetadata")).toObject();
            QCOMPARE(meta.value(QStringLiteral("Status")).toString(), QStringLiteral("FAILED"));
            // The listing carries only the Status; GetStreamSession has the reason.
            QVERIFY(!meta.contains(QStringLiteral("StatusReason")));
        }
        // Every status of the model is present in the seeded account.
        for (const char *s : {"ACTIVATING", "ACTIVE", "CONNECTED", "PENDING_CLIENT_RECONNECTION", "RECONNECTING",
                              "TERMINATING", "TERMINATED", "ERROR"})
            QVERIFY2(!findSession(QString::fromLatin1(s)).isEmpty(), s);
    }

    void validationOfQueries()
    {
        expectError(m_emu->gamelift("GET", "/streamsessions", "Status=FINISHED"), 400, "ValidationException",
                    QStringLiteral("Value 'FINISHED' at 'status' failed to satisfy constraint: Member must satisfy enum value set"));
        expectError(m_emu->gamelift("GET", "/streamsessions", "ExportFilesStatus=pending"), 400, "ValidationException",
                    QStringLiteral("exportFilesStatus"));
        expectError(m_emu->gamelift("GET", "/streamsessions", "MaxResults=0"), 400, "ValidationException",
                    QStringLiteral("greater than or equal to 1"));
        expectError(m_emu->gamelift("GET", "/streamsessions", "MaxResults=101"), 400, "ValidationException",
                    QStringLiteral("less than or equal to 100"));
        expectError(m_emu->gamelift("GET", "/streamsessions", "MaxResults=ten"), 400, "ValidationException");
        expectError(m_emu->gamelift("GET", "/streamsessions", "NextToken=bm90LWEtdG9rZW4%3D"), 400, "ValidationException",
                    QStringLiteral("NextToken"));
        const HttpResult two = m_emu->gamelift("GET", "/streamsessions", "MaxResults=0&Status=NOPE");
        expectError(two, 400, "ValidationException", QStringLiteral("2 validation errors detected"));
        // A token from one listing is refused by another.
        const QByteArray token = m_emu->gamelift("GET", "/streamsessions", "MaxResults=1")
                                     .json().value(QStringLiteral("NextToken")).toString().toLatin1();
        expectError(m_emu->gamelift("GET", "/streamsessions", "Status=ACTIVE&NextToken=" + gls::sigv4::uriEncode(token)),
                    400, "ValidationException");
        expectError(m_emu->gamelift("GET", "/streamgroups/" + label(QStringLiteral("bad id!")) + "/streamsessions"), 400,
                    "ValidationException", QStringLiteral("regular expression pattern"));
        // The pattern must match the whole value: a trailing line feed is not an identifier.
        expectError(m_emu->gamelift("GET", "/streamgroups/sg-1%0A"), 400, "ValidationException",
                    QStringLiteral("regular expression pattern"));
        expectError(m_emu->gamelift("GET", "/streamgroups/" + label(QString(129, QLatin1Char('a')))), 400,
                    "ValidationException", QStringLiteral("length less than or equal to 128"));
    }

    void getStreamSessionByIdAndArn()
    {
        const QString arn = findSession(QStringLiteral("CONNECTED"));
        QVERIFY(!arn.isEmpty());
        const QString group = groupOf(arn);
        const QString groupArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/") + group;
        const QList<QPair<QString, QString>> forms = {{group, idOf(arn)}, {groupArn, arn}, {group, arn}};
        for (const auto &[g, s] : forms) {
            const HttpResult r = m_emu->gamelift("GET", "/streamgroups/" + label(g) + "/streamsessions/" + label(s));
            QCOMPARE(r.status, 200);
            const QJsonObject o = r.json();
            QCOMPARE(o.value(QStringLiteral("Arn")).toString(), arn);
            QCOMPARE(o.value(QStringLiteral("StreamGroupId")).toString(), group);
            QCOMPARE(o.value(QStringLiteral("Status")).toString(), QStringLiteral("CONNECTED"));
            QCOMPARE(o.value(QStringLiteral("Protocol")).toString(), QStringLiteral("WebRTC"));
            QVERIFY(o.value(QStringLiteral("CreatedAt")).isDouble());
            QVERIFY(o.value(QStringLiteral("LastUpdatedAt")).toDouble() >= o.value(QStringLiteral("CreatedAt")).toDouble());
            QVERIFY(o.value(QStringLiteral("ApplicationArn")).toString().contains(QLatin1String(":application/a-")));
            QVERIFY(o.value(QStringLiteral("DisplayConfiguration")).toObject().contains(QStringLiteral("Resolution")));
        }
        // The session exists, but not in that group.
        const QString otherGroup = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray()
                                       .at(group == m_groupId ? 1 : 0).toObject().value(QStringLiteral("Id")).toString();
        expectError(m_emu->gamelift("GET", "/streamgroups/" + label(otherGroup) + "/streamsessions/" + label(idOf(arn))),
                    404, "ResourceNotFoundException");
        // An unencoded ARN splits the path: the service does not know that path.
        const HttpResult raw = m_emu->gamelift("GET", "/streamgroups/" + group.toLatin1() + "/streamsessions/" + arn.toLatin1());
        QVERIFY(raw.status == 404 || raw.status == 400);
    }

    void exportFilesValidation()
    {
        const QString arn = findSession(QStringLiteral("ACTIVE"));
        const QByteArray path = "/streamgroups/" + label(groupOf(arn)) + "/streamsessions/" + label(arn) + "/exportfiles";
        expectError(m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": \"https://bucket/x.zip\"}"), 400,
                    "ValidationException", QStringLiteral("regular expression pattern: ^s3://.*(/|\\.zip|\\.ZIP)$"));
        expectError(m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": \"s3://bucket/x.tar\"}"), 400, "ValidationException");
        expectError(m_emu->gamelift("PUT", path, {}, "{\"Other\": 1}"), 400, "ValidationException",
                    QStringLiteral("Value null at 'outputUri' failed to satisfy constraint: Member must not be null"));
        const QByteArray tooLong = "{\"OutputUri\": \"s3://b/" + QByteArray(1020, 'k') + ".zip\"}";
        expectError(m_emu->gamelift("PUT", path, {}, tooLong), 400, "ValidationException",
                    QStringLiteral("length less than or equal to 1024"));
        expectError(m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": "), 400, "SerializationException");
        expectError(m_emu->gamelift("PUT", path, {}, "[\"s3://b/\"]"), 400, "SerializationException");
        expectError(m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": 7}"), 400, "SerializationException");

        const QString ended = findSession(QStringLiteral("TERMINATED"));
        expectError(m_emu->gamelift("PUT", "/streamgroups/" + label(groupOf(ended)) + "/streamsessions/" + label(idOf(ended))
                                               + "/exportfiles", {}, "{\"OutputUri\": \"s3://gls-exports/x.zip\"}"),
                    400, "ValidationException", QStringLiteral("ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING"));
        expectError(m_emu->gamelift("PUT", "/streamgroups/" + label(groupOf(arn)) + "/streamsessions/NOSUCHSESSION1/exportfiles",
                                    {}, "{\"OutputUri\": \"s3://gls-exports/x.zip\"}"),
                    404, "ResourceNotFoundException");

        // A good request: 200 with an empty structure; the export is PENDING with the URI given.
        const HttpResult ok = m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": \"s3://gls-exports/qa/run-1.ZIP\"}");
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json(), QJsonObject());
        const QJsonObject meta = m_emu->gamelift("GET", "/streamgroups/" + label(groupOf(arn)) + "/streamsessions/" + label(arn))
                                     .json().value(QStringLiteral("ExportFilesMetadata")).toObject();
        QCOMPARE(meta.value(QStringLiteral("Status")).toString(), QStringLiteral("PENDING"));
        QCOMPARE(meta.value(QStringLiteral("OutputUri")).toString(), QStringLiteral("s3://gls-exports/qa/run-1.ZIP"));
        // Idempotent: the same call again succeeds.
        QCOMPARE(m_emu->gamelift("PUT", path, {}, "{\"OutputUri\": \"s3://gls-exports/qa/run-1.ZIP\"}").status, 200);
    }

    void terminateStreamSession()
    {
        const QString activating = findSession(QStringLiteral("ACTIVATING"));
        expectError(m_emu->gamelift("DELETE", "/streamgroups/" + label(groupOf(activating)) + "/streamsessions/" + label(activating)),
                    400, "ValidationException", QStringLiteral("ACTIVATING"));
        const QString connected = findSession(QStringLiteral("CONNECTED"));
        const QByteArray path = "/streamgroups/" + label(groupOf(connected)) + "/streamsessions/" + label(idOf(connected));
        const HttpResult r = m_emu->gamelift("DELETE", path);
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        const QString status = m_emu->gamelift("GET", path).json().value(QStringLiteral("Status")).toString();
        QVERIFY2(status == QLatin1String("TERMINATING") || status == QLatin1String("TERMINATED"), qPrintable(status));
        QCOMPARE(m_emu->gamelift("DELETE", path).status, 204); // idempotent
        expectError(m_emu->gamelift("DELETE", "/streamgroups/" + label(groupOf(connected)) + "/streamsessions/NOSUCHSESSION1"),
                    404, "ResourceNotFoundException");
    }

    void unknownOperations()
    {
        expectError(m_emu->gamelift("GET", "/applications"), 404, "UnknownOperationException");
        expectError(m_emu->gamelift("GET", "/streamgroups//streamsessions"), 404, "UnknownOperationException");
        expectError(m_emu->gamelift("POST", "/streamgroups"), 405, "UnknownOperationException");
    }

    void signatureErrors()
    {
        gls::sigv4::Credentials wrongSecret = Emulator::defaultCredentials();
        wrongSecret.secretAccessKey = "not-the-secret";
        expectError(m_emu->gamelift("GET", "/streamgroups", {}, {}, wrongSecret), 403, "InvalidSignatureException",
                    QStringLiteral("signature we calculated does not match"));
        expectError(m_emu->gamelift("GET", "/streamgroups", {}, {}, {"AKIDUNKNOWN000000000", "x", {}}), 403,
                    "UnrecognizedClientException");
        gls::sigv4::Credentials withToken = Emulator::defaultCredentials();
        withToken.sessionToken = "a-token-the-key-does-not-have";
        expectError(m_emu->gamelift("GET", "/streamgroups", {}, {}, withToken), 403, "UnrecognizedClientException");
        expectError(m_emu->gamelift("GET", "/streamgroups", {}, {}, Emulator::defaultCredentials(), kRegion,
                                    QDateTime::currentDateTimeUtc().addSecs(-20 * 60)),
                    403, "InvalidSignatureException", QStringLiteral("Signature expired"));
        expectError(m_emu->gamelift("GET", "/streamgroups", {}, {}, Emulator::defaultCredentials(), "eu-west-1"), 403,
                    "InvalidSignatureException", QStringLiteral("valid region"));
        expectError(m_emu->send(m_emu->gameliftUrl(), RawRequest{"GET", "/streamgroups", {}, {}, {}}), 403,
                    "MissingAuthenticationTokenException");
        expectError(m_emu->send(m_emu->gameliftUrl(),
                                RawRequest{"GET", "/streamgroups", {}, {{"Authorization", "AWS4-HMAC-SHA256 garbage"}}, {}}),
                    400, "IncompleteSignatureException");
        // A body changed after signing no longer matches.
        const QString arn = findSession(QStringLiteral("CONNECTED"));
        const QByteArray path = "/streamgroups/" + label(groupOf(arn)) + "/streamsessions/" + label(arn) + "/exportfiles";
        gls::sigv4::SigningRequest sr{"PUT", path, {}, QUrl(m_emu->gameliftUrl()).authority().toLatin1(),
                                      {{"content-type", "application/json"}},
                                      gls::sigv4::sha256Hex("{\"OutputUri\": \"s3://gls-exports/a.zip\"}")};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto signedHeaders = gls::sigv4::signHeaders(sr, Emulator::defaultCredentials(),
                                                           {gls::sigv4::amzDate(now).left(8), kRegion, "gameliftstreams"}, now);
        expectError(m_emu->send(m_emu->gameliftUrl(), RawRequest{"PUT", path, {}, signedHeaders.headers,
                                                                  "{\"OutputUri\": \"s3://evil-bucket/a.zip\"}"}),
                    403, "InvalidSignatureException");
    }

    void accessDenied()
    {
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"),
                                                               QJsonArray{QStringLiteral("gameliftstreams:GetStreamGroup")}}}).status,
                 200);
        expectError(m_emu->gamelift("GET", "/streamgroups/" + label(m_groupId)), 403, "AccessDeniedException",
                    QStringLiteral("is not authorized to perform: gameliftstreams:GetStreamGroup on resource: ") + m_groupArn);
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups").status, 200); // other actions still allowed
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{}}}).status, 200);
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups/" + label(m_groupId)).status, 200);
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{QStringLiteral("GetObject")}}}).status,
                 400);
    }

    void throttlingPastTheRate()
    {
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 5}}).status, 200);
        int throttled = 0;
        for (int i = 0; i < 15; ++i) {
            const HttpResult r = m_emu->gamelift("GET", "/streamgroups/" + label(m_groupId));
            if (r.status == 429) {
                expectError(r, 429, "ThrottlingException", QStringLiteral("Rate exceeded"));
                ++throttled;
            }
        }
        QVERIFY2(throttled > 0, "15 requests at once must exceed 5 per second");
        // Other operations have their own bucket.
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups").status, 200);
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("rateLimit"), 0}}).status, 200);
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups/" + label(m_groupId)).status, 200);
    }

    void malformedInputKeepsServing()
    {
        const QList<QByteArray> garbage = {
            "GARBAGE\r\n\r\n",
            "GET /streamgroups HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
            "GET /streamgroups HTTP/1.1\r\nNoColonHeader\r\n\r\n",
            "GET /streamgroups HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n",
            "PUT /streamgroups/a/streamsessions/b/exportfiles HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
            QByteArray("\x16\x03\x01\x00\x05hello", 10),
        };
        for (const QByteArray &g : garbage) {
            QSslSocket s;
            QVERIFY(connectTls(s));
            s.write(g);
            s.waitForBytesWritten(10000);
            QByteArray answer;
            while (s.waitForReadyRead(10000))
                answer += s.readAll();
            answer += s.readAll();
            const int status = answer.mid(9, 3).toInt();
            QVERIFY2(status >= 400 && status < 500, (g.left(40).toHex() + " -> " + answer.left(200)).constData());
            QVERIFY2(answer.toLower().contains("x-amzn-errortype"), answer.left(300).constData());
        }
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups").status, 200);

        // A stream of random bytes, request after request: each refused, none fatal.
        QRandomGenerator rng(7);
        for (int i = 0; i < 200; ++i) {
            QByteArray junk(1 + int(rng.bounded(2048)), Qt::Uninitialized);
            for (char &c : junk)
                c = char(rng.bounded(256));
            if (i % 3 == 0)
                junk.prepend("GET /streamgroups HTTP/1.1\r\n");
            junk.append("\r\n\r\n");
            QSslSocket s;
            QVERIFY(connectTls(s));
            s.write(junk);
            s.waitForBytesWritten(10000);
            s.disconnectFromHost();
        }
        QCOMPARE(m_emu->gamelift("GET", "/streamgroups").status, 200);
        QVERIFY(m_emu->control("GET", "health").json().value(QStringLiteral("ok")).toBool());
    }

    void requestCountsPerOperation()
    {
        QCOMPARE(m_emu->control("POST", "stats/reset").status, 200);
        for (int i = 0; i < 3; ++i)
            m_emu->gamelift("GET", "/streamgroups");
        m_emu->gamelift("GET", "/streamsessions");
        const QJsonObject stats = m_emu->control("GET", "stats").json();
        QCOMPARE(stats.value(QStringLiteral("requests")).toObject().value(QStringLiteral("ListStreamGroups")).toInt(), 3);
        QCOMPARE(stats.value(QStringLiteral("requests")).toObject().value(QStringLiteral("ListStreamSessionsByAccount")).toInt(), 1);
        QCOMPARE(stats.value(QStringLiteral("total")).toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TestEmulatorGameLift)
#include "tst_emulator_gamelift.moc"
