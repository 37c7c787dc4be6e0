// The AWS CLI on this machine, unchanged, as the independent witness that the
// emulator speaks Amazon GameLift Streams and S3 as AWS's own SDK expects:
// botocore builds, signs and parses every request here, not our code.
// Skipped, with the reason, where no AWS CLI with gameliftstreams is installed.

#include "Crc64Reference.h"
#include "EmulatorHarness.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gls::test;

class TestAwsCliWitness : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    QTemporaryDir m_home;
    QString m_aws;
    QString m_groupId;
    QString m_groupArn;

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Run aws(const QStringList &args, const QString &secret = QLatin1String(kSecret)) const
    {
        return awsAs(args, gls::sigv4::Credentials{kKeyId, secret.toLatin1(), {}});
    }

    // The CLI with these credentials in its environment (a session token too, when set).
    Run awsAs(const QStringList &args, const gls::sigv4::Credentials &creds) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("AWS_CONFIG_FILE"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home.filePath(QStringLiteral("credentials")));
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString::fromLatin1(creds.accessKeyId));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString::fromLatin1(creds.secretAccessKey));
        if (creds.sessionToken.isEmpty())
            env.remove(QStringLiteral("AWS_SESSION_TOKEN"));
        else
            env.insert(QStringLiteral("AWS_SESSION_TOKEN"), QString::fromLatin1(creds.sessionToken));
        env.remove(QStringLiteral("AWS_PROFILE"));
        env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QLatin1String(kRegion));
        env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
        env.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("2"));
        p.setProcessEnvironment(env);
        QStringList full = args;
        full << QStringLiteral("--ca-bundle") << m_emu->caPath() << QStringLiteral("--output") << QStringLiteral("json");
        p.start(m_aws, full);
        Run r;
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            r.err = "timed out";
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    QStringList gl(const QStringList &rest) const
    {
        return QStringList{QStringLiteral("gameliftstreams")} + rest
             + QStringList{QStringLiteral("--endpoint-url"), m_emu->gameliftUrl()};
    }
    QStringList s3api(const QStringList &rest) const
    {
        return QStringList{QStringLiteral("s3api")} + rest + QStringList{QStringLiteral("--endpoint-url"), m_emu->s3Url()};
    }

    QStringList sts(const QStringList &rest) const
    {
        return QStringList{QStringLiteral("sts")} + rest + QStringList{QStringLiteral("--endpoint-url"), m_emu->stsUrl()};
    }

    QString sessionIn(const QString &status)
    {
        const HttpResult r = m_emu->gamelift("GET", "/streamgroups/" + label(m_groupId) + "/streamsessions",
                                             "Status=" + status.toLatin1());
        return r.json().value(QStringLiteral("Items")).toArray().at(0).toObject().value(QStringLiteral("Arn")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (m_aws.isEmpty())
            QSKIP("No AWS CLI on PATH: the independent witness cannot run here (install awscli to run it).");
        QVERIFY(m_home.isValid());
        // Timestamps as ISO 8601 (so botocore must parse our epoch seconds), and
        // SigV4 for `aws s3 presign` (CLI v1 presigns with SigV2 unless told).
        QFile config(m_home.filePath(QStringLiteral("config")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("[default]\ncli_timestamp_format = iso8601\ns3 =\n    signature_version = s3v4\n");
        config.close();
        QProcess probe;
        probe.start(m_aws, {QStringLiteral("gameliftstreams"), QStringLiteral("help")});
        probe.closeWriteChannel();
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
            QSKIP("The installed AWS CLI has no gameliftstreams commands (botocore too old).");
        m_emu = std::make_unique<Emulator>(QStringList{QStringLiteral("--sessions"), QStringLiteral("150"),
                                                       QStringLiteral("--groups"), QStringLiteral("3"),
                                                       QStringLiteral("--regions"), QStringLiteral("us-west-2"),
                                                       QStringLiteral("--rate-limit"), QStringLiteral("0"),
                                                       QStringLiteral("--time-scale"), QStringLiteral("10")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        const QJsonObject g = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray()
                                  .at(0).toObject();
        m_groupId = g.value(QStringLiteral("Id")).toString();
        m_groupArn = g.value(QStringLiteral("Arn")).toString();
    }

    void listStreamGroups()
    {
        const Run r = aws(gl({QStringLiteral("list-stream-groups")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray items = r.json().value(QStringLiteral("Items")).toArray();
        QCOMPARE(items.size(), 3);
        // botocore parsed our epoch-second timestamps and printed them as ISO 8601.
        QVERIFY2(items.at(0).toObject().value(QStringLiteral("CreatedAt")).toString().contains(QLatin1Char('T')),
                 r.out.left(400).constData());
    }

    void listStreamSessionsPaginatesToTheEnd()
    {
        const int expected = [&] {
            int n = 0;
            QByteArray token;
            do {
                const HttpResult page = m_emu->gamelift("GET", "/streamgroups/" + label(m_groupArn) + "/streamsessions",
                                                        "MaxResults=100" + (token.isEmpty() ? QByteArray() : "&NextToken=" + gls::sigv4::uriEncode(token)));
                n += int(page.json().value(QStringLiteral("Items")).toArray().size());
                token = page.json().value(QStringLiteral("NextToken")).toString().toLatin1();
            } while (!token.isEmpty());
            return n;
        }();
        QVERIFY(expected > 20);
        // The ARN goes through botocore's own label encoding; page size 7 forces many NextTokens.
        const Run r = aws(gl({QStringLiteral("list-stream-sessions"), QStringLiteral("--identifier"), m_groupArn,
                              QStringLiteral("--page-size"), QStringLiteral("7")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().value(QStringLiteral("Items")).toArray().size(), expected);
    }

    void listStreamSessionsByAccount()
    {
        const Run r = aws(gl({QStringLiteral("list-stream-sessions-by-account"), QStringLiteral("--page-size"),
                              QStringLiteral("9")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().value(QStringLiteral("Items")).toArray().size(), 150);
        const Run filtered = aws(gl({QStringLiteral("list-stream-sessions-by-account"), QStringLiteral("--status"),
                                     QStringLiteral("TERMINATED")}));
        QVERIFY2(filtered.exitCode == 0, filtered.err.constData());
        for (const QJsonValue &v : filtered.json().value(QStringLiteral("Items")).toArray())
            QCOMPARE(v.toObject().value(QStringLiteral("Status")).toString(), QStringLiteral("TERMINATED"));
    }

    void exportTerminateAndDownload()
    {
        const QString arn = sessionIn(QStringLiteral("CONNECTED"));
        QVERIFY(!arn.isEmpty());
        const Run get = aws(gl({QStringLiteral("get-stream-session"), QStringLiteral("--identifier"), m_groupArn,
                                QStringLiteral("--stream-session-identifier"), arn}));
        QVERIFY2(get.exitCode == 0, get.err.constData());
        QCOMPARE(get.json().value(QStringLiteral("Arn")).toString(), arn);
        QCOMPARE(get.json().value(QStringLiteral("Protocol")).toString(), QStringLiteral("WebRTC"));

        const QString id = arn.section(QLatin1Char('/'), -1);
        const QString key = QStringLiteral("cli/%1.zip").arg(id);
        const Run exp = aws(gl({QStringLiteral("export-stream-session-files"), QStringLiteral("--identifier"), m_groupId,
                                QStringLiteral("--stream-session-identifier"), id, QStringLiteral("--output-uri"),
                                QStringLiteral("s3://gls-exports/") + key}));
        QVERIFY2(exp.exitCode == 0, exp.err.constData());
        const Run term = aws(gl({QStringLiteral("terminate-stream-session"), QStringLiteral("--identifier"), m_groupId,
                                 QStringLiteral("--stream-session-identifier"), arn}));
        QVERIFY2(term.exitCode == 0, term.err.constData());

        const QByteArray path = "/streamgroups/" + label(m_groupId) + "/streamsessions/" + label(id);
        QTRY_COMPARE_WITH_TIMEOUT(m_emu->gamelift("GET", path).json().value(QStringLiteral("ExportFilesMetadata"))
                                      .toObject().value(QStringLiteral("Status")).toString(),
                                  QStringLiteral("SUCCEEDED"), 60000);
        const Run after = aws(gl({QStringLiteral("get-stream-session"), QStringLiteral("--identifier"), m_groupId,
                                  QStringLiteral("--stream-session-identifier"), id}));
        QCOMPARE(after.json().value(QStringLiteral("ExportFilesMetadata")).toObject().value(QStringLiteral("OutputUri")).toString(),
                 QStringLiteral("s3://gls-exports/") + key);

        const Run head = aws(s3api({QStringLiteral("head-object"), QStringLiteral("--bucket"), QStringLiteral("gls-exports"),
                                    QStringLiteral("--key"), key}));
        QVERIFY2(head.exitCode == 0, head.err.constData());
        const qint64 size = qint64(head.json().value(QStringLiteral("ContentLength")).toDouble());
        QVERIFY(size > 1000);
        // Not asked for, S3 sends no checksum.
        QVERIFY2(!head.json().contains(QStringLiteral("ChecksumCRC64NVME")), head.out.constData());

        const QString outFile = m_home.filePath(QStringLiteral("archive.zip"));
        const Run get2 = aws(s3api({QStringLiteral("get-object"), QStringLiteral("--bucket"), QStringLiteral("gls-exports"),
                                    QStringLiteral("--key"), key, outFile}));
        QVERIFY2(get2.exitCode == 0, get2.err.constData());
        QFile f(outFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(qint64(bytes.size()), size);
        QCOMPARE(bytes, m_emu->s3("GET", "/gls-exports/" + gls::sigv4::uriEncode(key.toUtf8(), false)).body);

        // The CRC64NVME S3 adds to new objects, asked for as the AWS SDKs ask:
        // botocore reads it into ChecksumCRC64NVME and ChecksumType (this
        // botocore has no awscrt, so it cannot compute CRC64NVME itself; the
        // value is held to the catalogue's definition instead).
        const Run checked = aws(s3api({QStringLiteral("head-object"), QStringLiteral("--bucket"),
            QStringLiteral("gls-exports"), QStringLiteral("--key"), key, QStringLiteral("--checksum-mode"),
            QStringLiteral("ENABLED")}));
        QVERIFY2(checked.exitCode == 0, checked.err.constData());
        QCOMPARE(checked.json().value(QStringLiteral("ChecksumCRC64NVME")).toString().toLatin1(),
            gls::test::crc64NvmeHeader(gls::test::referenceCrc64Nvme(bytes)));
        QCOMPARE(checked.json().value(QStringLiteral("ChecksumType")).toString(), QStringLiteral("FULL_OBJECT"));
        const Run getChecked = aws(s3api({QStringLiteral("get-object"), QStringLiteral("--bucket"),
            QStringLiteral("gls-exports"), QStringLiteral("--key"), key, QStringLiteral("--checksum-mode"),
            QStringLiteral("ENABLED"), m_home.filePath(QStringLiteral("checked.zip"))}));
        QVERIFY2(getChecked.exitCode == 0, getChecked.err.constData());
        QCOMPARE(getChecked.json().value(QStringLiteral("ChecksumCRC64NVME")).toString(),
            checked.json().value(QStringLiteral("ChecksumCRC64NVME")).toString());

        const Run ranged = aws(s3api({QStringLiteral("get-object"), QStringLiteral("--bucket"), QStringLiteral("gls-exports"),
                                      QStringLiteral("--key"), key, QStringLiteral("--range"), QStringLiteral("bytes=0-9"),
                                      m_home.filePath(QStringLiteral("first10"))}));
        QVERIFY2(ranged.exitCode == 0, ranged.err.constData());
        QCOMPARE(qint64(ranged.json().value(QStringLiteral("ContentLength")).toDouble()), 10);
        // A part of the object comes without the full object's checksum.
        QVERIFY2(!ranged.json().contains(QStringLiteral("ChecksumCRC64NVME")), ranged.out.constData());

        const Run listed = aws(s3api({QStringLiteral("list-objects-v2"), QStringLiteral("--bucket"),
                                      QStringLiteral("gls-exports"), QStringLiteral("--prefix"), QStringLiteral("cli/")}));
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        QCOMPARE(listed.json().value(QStringLiteral("Contents")).toArray().at(0).toObject().value(QStringLiteral("Key")).toString(), key);

        // botocore's presigner against our presigned-URL verification.
        const Run presign = aws({QStringLiteral("s3"), QStringLiteral("presign"), QStringLiteral("s3://gls-exports/") + key,
                                 QStringLiteral("--endpoint-url"), m_emu->s3Url(), QStringLiteral("--expires-in"),
                                 QStringLiteral("600")});
        QVERIFY2(presign.exitCode == 0, presign.err.constData());
        const QUrl url = QUrl::fromEncoded(presign.out.trimmed(), QUrl::StrictMode);
        QVERIFY2(url.query(QUrl::FullyEncoded).contains(QLatin1String("X-Amz-Algorithm=AWS4-HMAC-SHA256")), presign.out.constData());
        const HttpResult viaUrl = m_emu->send(m_emu->s3Url(), RawRequest{"GET", url.path(QUrl::FullyEncoded).toLatin1(),
                                                                          url.query(QUrl::FullyEncoded).toLatin1(), {}, {}});
        QCOMPARE(viaUrl.status, 200);
        QCOMPARE(viaUrl.body, bytes);
    }

    void stsGetCallerIdentity()
    {
        const Run r = aws(sts({QStringLiteral("get-caller-identity")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().value(QStringLiteral("Arn")).toString(),
                 QStringLiteral("arn:aws:iam::111122223333:user/gls-emulator-user"));
        QCOMPARE(r.json().value(QStringLiteral("Account")).toString(), QStringLiteral("111122223333"));
        QVERIFY(r.json().value(QStringLiteral("UserId")).toString().startsWith(QLatin1String("AIDA")));
    }

    void stsAssumeRoleThenGameLiftWithTheTemporaryCredentials()
    {
        // The answer holds secrets: never printed, even on failure.
        const Run r = aws(sts({QStringLiteral("assume-role"), QStringLiteral("--role-arn"),
                               QStringLiteral("arn:aws:iam::111122223333:role/GlsExporterQA"),
                               QStringLiteral("--role-session-name"), QStringLiteral("cli-witness")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject c = r.json().value(QStringLiteral("Credentials")).toObject();
        const gls::sigv4::Credentials creds{c.value(QStringLiteral("AccessKeyId")).toString().toLatin1(),
                                            c.value(QStringLiteral("SecretAccessKey")).toString().toLatin1(),
                                            c.value(QStringLiteral("SessionToken")).toString().toLatin1()};
        QVERIFY(creds.accessKeyId.startsWith("ASIA"));
        QVERIFY(!creds.secretAccessKey.isEmpty() && !creds.sessionToken.isEmpty());
        // botocore parsed our Expiration and printed it back as ISO 8601.
        QVERIFY(c.value(QStringLiteral("Expiration")).toString().contains(QLatin1Char('T')));
        QCOMPARE(r.json().value(QStringLiteral("AssumedRoleUser")).toObject().value(QStringLiteral("Arn")).toString(),
                 QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/cli-witness"));

        const Run groups = awsAs(gl({QStringLiteral("list-stream-groups")}), creds);
        QVERIFY2(groups.exitCode == 0, groups.err.constData());
        QCOMPARE(groups.json().value(QStringLiteral("Items")).toArray().size(), 3);
        const Run who = awsAs(sts({QStringLiteral("get-caller-identity")}), creds);
        QVERIFY2(who.exitCode == 0, who.err.constData());
        QCOMPARE(who.json().value(QStringLiteral("Arn")).toString(),
                 QStringLiteral("arn:aws:sts::111122223333:assumed-role/GlsExporterQA/cli-witness"));

        // Without the session token the key is not recognised, and the CLI names the error.
        const Run noToken = awsAs(gl({QStringLiteral("list-stream-groups")}),
                                  gls::sigv4::Credentials{creds.accessKeyId, creds.secretAccessKey, {}});
        QVERIFY(noToken.exitCode != 0);
        QVERIFY2(noToken.err.contains("UnrecognizedClientException"), noToken.err.constData());
        const Run unknownRole = aws(sts({QStringLiteral("assume-role"), QStringLiteral("--role-arn"),
                                         QStringLiteral("arn:aws:iam::111122223333:role/NoSuchRole"),
                                         QStringLiteral("--role-session-name"), QStringLiteral("cli-witness")}));
        QVERIFY(unknownRole.exitCode != 0);
        QVERIFY2(unknownRole.err.contains("AccessDenied"), unknownRole.err.constData());
    }

    void ssoGetRoleCredentials()
    {
        const QString token = m_emu->control("POST", "sso/tokens").json().value(QStringLiteral("accessToken")).toString();
        QVERIFY(!token.isEmpty());
        // Unsigned, as the CLI sends it: the bearer token is the only credential.
        const Run r = aws({QStringLiteral("sso"), QStringLiteral("get-role-credentials"), QStringLiteral("--role-name"),
                           QStringLiteral("GlsExporterQA"), QStringLiteral("--account-id"), QStringLiteral("111122223333"),
                           QStringLiteral("--access-token"), token, QStringLiteral("--region"), QStringLiteral("us-west-2"),
                           QStringLiteral("--endpoint-url"), m_emu->ssoUrl()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject rc = r.json().value(QStringLiteral("roleCredentials")).toObject();
        QVERIFY(rc.value(QStringLiteral("accessKeyId")).toString().startsWith(QLatin1String("ASIA")));
        QVERIFY(rc.value(QStringLiteral("expiration")).toInteger() > QDateTime::currentMSecsSinceEpoch());
        const gls::sigv4::Credentials creds{rc.value(QStringLiteral("accessKeyId")).toString().toLatin1(),
                                            rc.value(QStringLiteral("secretAccessKey")).toString().toLatin1(),
                                            rc.value(QStringLiteral("sessionToken")).toString().toLatin1()};
        const Run groups = awsAs(gl({QStringLiteral("list-stream-groups")}), creds);
        QVERIFY2(groups.exitCode == 0, groups.err.constData());

        const Run wrongRole = aws({QStringLiteral("sso"), QStringLiteral("get-role-credentials"), QStringLiteral("--role-name"),
                                   QStringLiteral("NotGranted"), QStringLiteral("--account-id"), QStringLiteral("111122223333"),
                                   QStringLiteral("--access-token"), token, QStringLiteral("--region"),
                                   QStringLiteral("us-west-2"), QStringLiteral("--endpoint-url"), m_emu->ssoUrl()});
        QVERIFY(wrongRole.exitCode != 0);
        QVERIFY2(wrongRole.err.contains("ForbiddenException"), wrongRole.err.constData());
    }

    void errorsArriveByTheirNames()
    {
        const Run notFound = aws(gl({QStringLiteral("get-stream-session"), QStringLiteral("--identifier"), m_groupId,
                                     QStringLiteral("--stream-session-identifier"), QStringLiteral("jklmnopqr")}));
        QVERIFY(notFound.exitCode != 0);
        QVERIFY2(notFound.err.contains("ResourceNotFoundException"), notFound.err.constData());

        const QString ended = sessionIn(QStringLiteral("TERMINATED"));
        const Run refused = aws(gl({QStringLiteral("export-stream-session-files"), QStringLiteral("--identifier"), m_groupId,
                                    QStringLiteral("--stream-session-identifier"), ended, QStringLiteral("--output-uri"),
                                    QStringLiteral("s3://gls-exports/x/")}));
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains("ValidationException"), refused.err.constData());

        const Run badUri = aws(gl({QStringLiteral("export-stream-session-files"), QStringLiteral("--identifier"), m_groupId,
                                   QStringLiteral("--stream-session-identifier"), sessionIn(QStringLiteral("ACTIVE")),
                                   QStringLiteral("--output-uri"), QStringLiteral("s3://gls-exports/file.tar")}));
        QVERIFY(badUri.exitCode != 0);
        QVERIFY2(badUri.err.contains("ValidationException"), badUri.err.constData());

        const Run badSecret = aws(gl({QStringLiteral("list-stream-groups")}), QStringLiteral("not-the-secret"));
        QVERIFY(badSecret.exitCode != 0);
        QVERIFY2(badSecret.err.contains("InvalidSignatureException"), badSecret.err.constData());

        const Run missingKey = aws(s3api({QStringLiteral("get-object"), QStringLiteral("--bucket"), QStringLiteral("gls-exports"),
                                          QStringLiteral("--key"), QStringLiteral("nope.zip"), m_home.filePath(QStringLiteral("x"))}));
        QVERIFY(missingKey.exitCode != 0);
        QVERIFY2(missingKey.err.contains("NoSuchKey"), missingKey.err.constData());

        const Run missingBucket = aws(s3api({QStringLiteral("list-objects-v2"), QStringLiteral("--bucket"),
                                             QStringLiteral("no-such-bucket-here")}));
        QVERIFY(missingBucket.exitCode != 0);
        QVERIFY2(missingBucket.err.contains("NoSuchBucket"), missingBucket.err.constData());

        const Run badSig = aws(s3api({QStringLiteral("list-objects-v2"), QStringLiteral("--bucket"), QStringLiteral("gls-exports")}),
                               QStringLiteral("not-the-secret"));
        QVERIFY(badSig.exitCode != 0);
        QVERIFY2(badSig.err.contains("SignatureDoesNotMatch"), badSig.err.constData());

        // Throttling: the CLI names it (and retried it first).
        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("throttle"), 1.0},
                                                              {QStringLiteral("operations"), QJsonArray{QStringLiteral("ListStreamGroups")}}}).status, 200);
        const Run throttled = aws(gl({QStringLiteral("list-stream-groups")}));
        m_emu->control("DELETE", "faults");
        QVERIFY(throttled.exitCode != 0);
        QVERIFY2(throttled.err.contains("ThrottlingException"), throttled.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestAwsCliWitness)
#include "tst_awscli_witness.moc"
