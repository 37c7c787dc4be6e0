// The export lifecycle and the S3 side over real TLS sockets: an export goes
// PENDING, the session ends, a real ZIP lands in S3 (SUCCEEDED) or the export
// FAILS with a reason; the archive is read back with HeadObject, GetObject,
// Range, ListObjectsV2 and presigned URLs, and S3's errors come by name.

#include "EmulatorHarness.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryFile>
#include <QTest>

#include <zip.h>

using namespace gls::test;

class TestEmulatorExports : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Emulator> m_emu;
    QString m_groupId;
    QString m_namedKey; // object written by the first export

    QString newSession(const QString &status = QStringLiteral("ACTIVE"))
    {
        const HttpResult r = m_emu->control("POST", "sessions",
                                            QJsonObject{{QStringLiteral("streamGroupId"), m_groupId},
                                                        {QStringLiteral("status"), status}});
        return r.json().value(QStringLiteral("streamSessionId")).toString();
    }

    QByteArray sessionPath(const QString &id) const
    {
        return "/streamgroups/" + label(m_groupId) + "/streamsessions/" + label(id);
    }

    QJsonObject exportMeta(const QString &id)
    {
        return m_emu->gamelift("GET", sessionPath(id)).json().value(QStringLiteral("ExportFilesMetadata")).toObject();
    }

    QString exportStatus(const QString &id) { return exportMeta(id).value(QStringLiteral("Status")).toString(); }

    static QByteArray objectPath(const QString &bucket, const QString &key)
    {
        return '/' + bucket.toUtf8() + '/' + gls::sigv4::uriEncode(key.toUtf8(), false);
    }

    void expectS3Error(const HttpResult &r, int status, const QByteArray &code)
    {
        QCOMPARE(r.status, status);
        QVERIFY2(r.body.contains("<Code>" + code + "</Code>"), r.body.constData());
        QVERIFY(!r.header("x-amz-request-id").isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<Emulator>(QStringList{
            QStringLiteral("--sessions"), QStringLiteral("20"), QStringLiteral("--groups"), QStringLiteral("2"),
            QStringLiteral("--regions"), QStringLiteral("us-west-2"), QStringLiteral("--rate-limit"), QStringLiteral("0"),
            QStringLiteral("--time-scale"), QStringLiteral("10"), QStringLiteral("--archive-size"), QStringLiteral("400000"),
            QStringLiteral("--bucket"), QStringLiteral("gls-exports"), QStringLiteral("--bucket"),
            QStringLiteral("east-bucket:us-east-2")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
        m_groupId = m_emu->gamelift("GET", "/streamgroups").json().value(QStringLiteral("Items")).toArray().at(0)
                        .toObject().value(QStringLiteral("Id")).toString();
        QVERIFY(!m_groupId.isEmpty());
    }

    void exportToANamedKeySucceedsWhenTheSessionEnds()
    {
        const QString id = newSession();
        QVERIFY(!id.isEmpty());
        const QString uri = QStringLiteral("s3://gls-exports/qa/%1.zip").arg(id);
        QCOMPARE(m_emu->gamelift("PUT", sessionPath(id) + "/exportfiles", {},
                                 QJsonDocument(QJsonObject{{QStringLiteral("OutputUri"), uri}}).toJson()).status, 200);
        QCOMPARE(exportStatus(id), QStringLiteral("PENDING"));
        // The archive is written only when the session ends.
        QCOMPARE(m_emu->s3("HEAD", objectPath(QStringLiteral("gls-exports"), QStringLiteral("qa/%1.zip").arg(id))).status, 404);
        QCOMPARE(m_emu->control("POST", "sessions/" + id.toLatin1() + "/end").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(exportStatus(id), QStringLiteral("SUCCEEDED"), 30000);
        const QJsonObject meta = exportMeta(id);
        QCOMPARE(meta.value(QStringLiteral("OutputUri")).toString(), uri);
        QVERIFY(!meta.contains(QStringLiteral("StatusReason")));
        QCOMPARE(m_emu->gamelift("GET", sessionPath(id)).json().value(QStringLiteral("Status")).toString(),
                 QStringLiteral("TERMINATED"));
        m_namedKey = QStringLiteral("qa/%1.zip").arg(id);
    }

    // --settle (the benchmarks' emulators): the seeded sessions that ended
    // with an export pending have their archives written before the
    // endpoints are printed. Without it they are still due at that moment.
    void settleWritesTheSeededArchivesBeforeTheEndpoints()
    {
        const QStringList seeded{QStringLiteral("--sessions"), QStringLiteral("600"), QStringLiteral("--groups"),
            QStringLiteral("3"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0")};
        const auto state = [](const Emulator &emu) { return emu.control("GET", "state").json(); };

        Emulator plain(seeded);
        QVERIFY2(plain.ok(), qPrintable(plain.errorText()));
        const QJsonObject before = state(plain);
        QVERIFY2(before.value(QStringLiteral("archivesOutstanding")).toInt() > 0,
            QJsonDocument(before).toJson().constData());

        Emulator settled(seeded + QStringList{QStringLiteral("--settle")});
        QVERIFY2(settled.ok(), qPrintable(settled.errorText()));
        const QJsonObject after = state(settled);
        QCOMPARE(after.value(QStringLiteral("archivesOutstanding")).toInt(-1), 0);
        QCOMPARE(after.value(QStringLiteral("archivesBeingWritten")).toInt(-1), 0);
        // The same seed: every export that was due is now written, none lost.
        const QJsonObject exportsBefore = before.value(QStringLiteral("exportsByStatus")).toObject();
        const QJsonObject exportsAfter = after.value(QStringLiteral("exportsByStatus")).toObject();
        const int due = before.value(QStringLiteral("archivesOutstanding")).toInt();
        QVERIFY(exportsAfter.value(QStringLiteral("SUCCEEDED")).toInt()
            >= exportsBefore.value(QStringLiteral("SUCCEEDED")).toInt() + due);

        // One of them, read back from S3 as a client would find it.
        const QJsonArray items
            = settled.gamelift("GET", "/streamsessions", "ExportFilesStatus=SUCCEEDED&MaxResults=100")
                  .json()
                  .value(QStringLiteral("Items"))
                  .toArray();
        QVERIFY(!items.isEmpty());
        // The listing carries only the status; GetStreamSession has the URI.
        const QString arn = items.at(0).toObject().value(QStringLiteral("Arn")).toString(); // .../streamsession/G/S
        const QByteArray path
            = "/streamgroups/" + label(arn.section(u'/', 1, 1)) + "/streamsessions/" + label(arn.section(u'/', 2, 2));
        const QString uri = settled.gamelift("GET", path)
                                .json()
                                .value(QStringLiteral("ExportFilesMetadata"))
                                .toObject()
                                .value(QStringLiteral("OutputUri"))
                                .toString();
        QVERIFY2(uri.startsWith(QLatin1String("s3://gls-exports/")), qPrintable(uri));
        const QString key = uri.mid(QStringLiteral("s3://gls-exports/").size());
        QCOMPARE(settled.s3("HEAD", objectPath(QStringLiteral("gls-exports"), key)).status, 200);
    }

    void exportToAFolderGetsAGeneratedName()
    {
        const QString id = newSession(QStringLiteral("CONNECTED"));
        QCOMPARE(m_emu->gamelift("PUT", sessionPath(id) + "/exportfiles", {},
                                 "{\"OutputUri\": \"s3://gls-exports/exports/\"}").status, 200);
        QCOMPARE(m_emu->gamelift("DELETE", sessionPath(id)).status, 204); // TerminateStreamSession
        QTRY_COMPARE_WITH_TIMEOUT(exportStatus(id), QStringLiteral("SUCCEEDED"), 30000);
        const QString out = exportMeta(id).value(QStringLiteral("OutputUri")).toString();
        const QRegularExpression re(QStringLiteral("^s3://gls-exports/exports/\\d{8}-\\d{6}-a-[A-Za-z0-9]{9}-%1-%2\\.zip$")
                                        .arg(m_groupId, id));
        QVERIFY2(re.match(out).hasMatch(), qPrintable(out));
        QCOMPARE(m_emu->gamelift("GET", sessionPath(id)).json().value(QStringLiteral("StatusReason")).toString(),
                 QStringLiteral("apiTerminated"));
    }

    void exportToAMissingBucketFails()
    {
        const QString id = newSession();
        QCOMPARE(m_emu->gamelift("PUT", sessionPath(id) + "/exportfiles", {},
                                 "{\"OutputUri\": \"s3://no-such-bucket-here/x/\"}").status, 200);
        QCOMPARE(m_emu->control("POST", "sessions/" + id.toLatin1() + "/end").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(exportStatus(id), QStringLiteral("FAILED"), 30000);
        QVERIFY(exportMeta(id).value(QStringLiteral("StatusReason")).toString().contains(QLatin1String("no-such-bucket-here")));
        // Listing by export status finds it.
        const QJsonArray failed = m_emu->gamelift("GET", "/streamsessions", "ExportFilesStatus=FAILED&MaxResults=100")
                                      .json().value(QStringLiteral("Items")).toArray();
        bool found = false;
        for (const QJsonValue &v : failed)
            found |= v.toObject().value(QStringLiteral("Arn")).toString().endsWith(id);
        QVERIFY(found);
    }

    void archiveOpensWithItsFourFolders()
    {
        QVERIFY(!m_namedKey.isEmpty());
        const HttpResult head = m_emu->s3("HEAD", objectPath(QStringLiteral("gls-exports"), m_namedKey));
        QCOMPARE(head.status, 200);
        const qint64 size = head.header("content-length").toLongLong();
        QVERIFY(size > 300000);
        QVERIFY(head.header("etag").startsWith('"'));
        QCOMPARE(head.header("accept-ranges"), QByteArray("bytes"));
        QCOMPARE(head.header("x-amz-bucket-region"), QByteArray("us-west-2"));

        const HttpResult get = m_emu->s3("GET", objectPath(QStringLiteral("gls-exports"), m_namedKey));
        QCOMPARE(get.status, 200);
        QCOMPARE(get.body.size(), size);
        QCOMPARE('"' + QCryptographicHash::hash(get.body, QCryptographicHash::Md5).toHex() + '"', head.header("etag"));

        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(get.body);
        file.flush();
        int err = 0;
        zip_t *z = zip_open(file.fileName().toLocal8Bit().constData(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
        QVERIFY2(z, "the archive must open as a ZIP");
        QSet<QString> tops;
        bool stats = false;
        bool dump = false;
        for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
            const QString name = QString::fromUtf8(zip_get_name(z, zip_uint64_t(i), 0));
            tops.insert(name.section(QLatin1Char('/'), 0, 0));
            stats |= name == QLatin1String("stats/perf_stats_v1.csv");
            dump |= name.endsWith(QLatin1String(".dmp"));
        }
        zip_close(z);
        QCOMPARE(tops, (QSet<QString>{QStringLiteral("application"), QStringLiteral("profile"), QStringLiteral("temp"),
                                      QStringLiteral("stats")}));
        QVERIFY(stats);
        QVERIFY(dump);
    }

    void rangeReads()
    {
        const QByteArray path = objectPath(QStringLiteral("gls-exports"), m_namedKey);
        const QByteArray whole = m_emu->s3("GET", path).body;
        const HttpResult first = m_emu->s3("GET", path, {}, {{"Range", "bytes=0-99"}});
        QCOMPARE(first.status, 206);
        QCOMPARE(first.body, whole.left(100));
        QCOMPARE(first.header("content-range"), "bytes 0-99/" + QByteArray::number(whole.size()));
        const HttpResult tail = m_emu->s3("GET", path, {}, {{"Range", "bytes=-10"}});
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.body, whole.right(10));
        const HttpResult rest = m_emu->s3("GET", path, {}, {{"Range", "bytes=1000-"}});
        QCOMPARE(rest.body, whole.mid(1000));
        const HttpResult beyond = m_emu->s3("GET", path, {}, {{"Range", "bytes=" + QByteArray::number(whole.size()) + "-"}});
        expectS3Error(beyond, 416, "InvalidRange");
        QCOMPARE(beyond.header("content-range"), "bytes */" + QByteArray::number(whole.size()));
        // A resumed download guards against a changed object with If-Match.
        const QByteArray etag = m_emu->s3("HEAD", path).header("etag");
        QCOMPARE(m_emu->s3("GET", path, {}, {{"Range", "bytes=10-19"}, {"If-Match", etag}}).status, 206);
        expectS3Error(m_emu->s3("GET", path, {}, {{"If-Match", "\"0000\""}}), 412, "PreconditionFailed");
    }

    void listObjectsV2()
    {
        const HttpResult r = m_emu->s3("GET", "/gls-exports", "list-type=2&prefix=qa%2F");
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("<Key>" + m_namedKey.toUtf8() + "</Key>"));
        QVERIFY(r.body.contains("<IsTruncated>false</IsTruncated>"));
        const HttpResult folders = m_emu->s3("GET", "/gls-exports", "delimiter=%2F&list-type=2");
        QVERIFY(folders.body.contains("<CommonPrefixes><Prefix>qa/</Prefix></CommonPrefixes>"));
        QVERIFY(folders.body.contains("<CommonPrefixes><Prefix>exports/</Prefix></CommonPrefixes>"));
        const HttpResult page = m_emu->s3("GET", "/gls-exports", "list-type=2&max-keys=1");
        QVERIFY(page.body.contains("<IsTruncated>true</IsTruncated>"));
        QVERIFY(page.body.contains("<NextContinuationToken>"));
    }

    void s3ErrorsByName()
    {
        expectS3Error(m_emu->s3("GET", "/gls-exports/qa/missing.zip"), 404, "NoSuchKey");
        expectS3Error(m_emu->s3("GET", "/no-such-bucket-here/a.zip"), 404, "NoSuchBucket");
        const HttpResult headMissing = m_emu->s3("HEAD", "/gls-exports/qa/missing.zip");
        QCOMPARE(headMissing.status, 404);
        QVERIFY(headMissing.body.isEmpty()); // HEAD errors have no body
        gls::sigv4::Credentials wrong = Emulator::defaultCredentials();
        wrong.secretAccessKey = "wrong";
        expectS3Error(m_emu->s3("GET", objectPath(QStringLiteral("gls-exports"), m_namedKey), {}, {}, wrong), 403,
                      "SignatureDoesNotMatch");
        expectS3Error(m_emu->s3("GET", "/gls-exports/a.zip", {}, {}, {"AKIDNOBODY0000000000", "x", {}}), 403,
                      "InvalidAccessKeyId");
        const HttpResult anon = m_emu->send(m_emu->s3Url(), RawRequest{"GET", "/gls-exports/a.zip", {}, {}, {}});
        expectS3Error(anon, 403, "AccessDenied");
        // The bucket lives in us-east-2: a request signed for us-west-2 is told where.
        const HttpResult region = m_emu->s3("HEAD", "/east-bucket");
        QCOMPARE(region.status, 400);
        QCOMPARE(region.header("x-amz-bucket-region"), QByteArray("us-east-2"));
        const HttpResult regionGet = m_emu->s3("GET", "/east-bucket", "list-type=2");
        expectS3Error(regionGet, 400, "AuthorizationHeaderMalformed");
        QVERIFY(regionGet.body.contains("<Region>us-east-2</Region>"));
        QCOMPARE(m_emu->s3("HEAD", "/east-bucket", {}, {}, Emulator::defaultCredentials(), "us-east-2").status, 200);
        // x-amz-content-sha256 is required for S3 header auth.
        const QUrl base(m_emu->s3Url());
        gls::sigv4::SigningRequest sr{"GET", "/gls-exports", "list-type=2", base.authority().toLatin1(), {},
                                      gls::sigv4::sha256Hex({}), gls::sigv4::PathStyle::S3};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto h = gls::sigv4::signHeaders(sr, Emulator::defaultCredentials(), {gls::sigv4::amzDate(now).left(8), kRegion, "s3"}, now);
        expectS3Error(m_emu->send(m_emu->s3Url(), RawRequest{"GET", "/gls-exports", "list-type=2", h.headers, {}}), 400,
                      "InvalidRequest");
    }

    void s3AccessDeniedAndSkew()
    {
        const QByteArray path = objectPath(QStringLiteral("gls-exports"), m_namedKey);
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{QStringLiteral("s3:GetObject")}}}).status,
                 200);
        expectS3Error(m_emu->s3("GET", path), 403, "AccessDenied");
        QCOMPARE(m_emu->s3("GET", "/gls-exports", "list-type=2").status, 200); // s3:ListBucket still allowed
        QCOMPARE(m_emu->control("PUT", "settings", QJsonObject{{QStringLiteral("deny"), QJsonArray{}}}).status, 200);

        QCOMPARE(m_emu->control("PUT", "faults", QJsonObject{{QStringLiteral("clockSkewSeconds"), -1800}}).status, 200);
        const HttpResult skewed = m_emu->s3("GET", path);
        m_emu->control("DELETE", "faults");
        expectS3Error(skewed, 403, "RequestTimeTooSkewed");
        QVERIFY(skewed.body.contains("<ServerTime>"));
        QCOMPARE(m_emu->s3("GET", path).status, 200);
    }

    void presignedUrlWorksThenExpires()
    {
        const QByteArray path = objectPath(QStringLiteral("gls-exports"), m_namedKey);
        const QByteArray whole = m_emu->s3("GET", path).body;
        const QByteArray query = m_emu->presign(path, 3600);
        QVERIFY(query.contains("X-Amz-Signature="));
        const HttpResult ok = m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, query, {}, {}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body, whole);
        QByteArray forged = query;
        forged.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200");
        expectS3Error(m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, forged, {}, {}}), 403, "SignatureDoesNotMatch");
        expectS3Error(m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, m_emu->presign(path, 604801), {}, {}}), 400,
                      "AuthorizationQueryParametersError");
        // Signed 10 s ago for 5 s: refused as expired.
        const QByteArray old = m_emu->presign(path, 5, QDateTime::currentDateTimeUtc().addSecs(-10));
        const HttpResult expired = m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, old, {}, {}});
        expectS3Error(expired, 403, "AccessDenied");
        QVERIFY(expired.body.contains("Request has expired"));
        // A URL good for 2 s works now and is refused once its time is up.
        const QByteArray shortLived = m_emu->presign(path, 2);
        QCOMPARE(m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, shortLived, {}, {}}).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_emu->send(m_emu->s3Url(), RawRequest{"GET", path, shortLived, {}, {}}).status, 403, 10000);
    }
};

QTEST_GUILESS_MAIN(TestEmulatorExports)
#include "tst_emulator_exports.moc"
