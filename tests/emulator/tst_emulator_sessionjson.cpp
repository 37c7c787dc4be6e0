// The listings' JSON written from each session's cached bytes (emulator/SessionJson.h)
// must be, byte for byte, what QJsonDocument wrote from the QJsonObject shape,
// and must follow every change of the session. state.json's sessions, written
// straight as bytes (emulator/StateCodec.h), must read back as the object
// encodeSession builds, and a saved state as the state that was saved.

#include "EmulatorState.h"
#include "ObjectStore.h"
#include "SessionJson.h"
#include "StateCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace gls::emu;

namespace {

const QString kRegion = QStringLiteral("us-west-2");

// Quotes and backslashes, control characters, non-ASCII (a line separator, an
// emoji) and nothing: the strings a writer of JSON bytes can get wrong.
QList<QString> unusualTexts()
{
    return {
        QStringLiteral("quote \" backslash \\ slash /"),
        QString::fromUtf8("tab\t newline\n cr\r bell\x07 del\x7f"),
        QString::fromUtf8("caf\xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x8E\xAE"),
        QString(),
    };
}

// What appendSessionJson wrote, read back; fails the comparison when it is not one JSON object.
QJsonObject stateObject(const StreamSession &s)
{
    QByteArray bytes;
    appendSessionJson(bytes, s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QJsonObject{{QStringLiteral("unreadable"), QString::fromUtf8(bytes)}};
    return doc.object();
}

QByteArray viaQJsonDocument(const EmulatorState &state, const StreamSession &s)
{
    return QJsonDocument(sessionSummaryObject(state, s)).toJson(QJsonDocument::Compact);
}

} // namespace

class TestSessionJson : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<EmulatorState> m_state;

    QList<const StreamSession *> all() const
    {
        bool more = false;
        return m_state->sessionsAfter(kRegion, {}, 0, [](const StreamSession &) { return true; }, 100000, &more);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<ObjectStore>(m_dir.filePath(QStringLiteral("objects")));
        QString error;
        QVERIFY2(m_store->createBucket(QStringLiteral("gls-exports"), kRegion, &error), qPrintable(error));
        m_state = std::make_unique<EmulatorState>(m_store.get(), m_dir.filePath(QStringLiteral("state")), 1.0, 4096);
        SeedConfig seed;
        seed.seed = 7;
        seed.groups = 4;
        seed.sessions = 400;
        seed.regions = {kRegion};
        QVERIFY2(m_state->loadOrSeed(seed, &error), qPrintable(error));
    }

    void cleanup()
    {
        m_state.reset();
        m_store.reset();
    }

    void everySeededSummaryIsWhatQJsonDocumentWrote()
    {
        const auto sessions = all();
        QCOMPARE(sessions.size(), 400);
        int withExport = 0;
        int withReason = 0;
        for (const StreamSession *s : sessions) {
            QCOMPARE(sessionSummaryJson(*m_state, *s), viaQJsonDocument(*m_state, *s));
            // Asked again: the same bytes, from the cache.
            QCOMPARE(sessionSummaryJson(*m_state, *s), viaQJsonDocument(*m_state, *s));
            withExport += s->exportState.has_value();
            withReason += !s->statusReason.isEmpty();
        }
        // The sample covers the optional members.
        QVERIFY(withExport > 0);
        QVERIFY(withReason > 0);
    }

    void pageIsWhatQJsonDocumentWrote()
    {
        const auto sessions = all().mid(0, 100);
        QList<QByteArray> items;
        QJsonArray objects;
        for (const StreamSession *s : sessions) {
            items.append(sessionSummaryJson(*m_state, *s));
            objects.append(sessionSummaryObject(*m_state, *s));
        }
        const QString token = QStringLiteral("+/vv//8A/x9a==");
        QCOMPARE(listPageJson(items, token),
                 QJsonDocument(QJsonObject{{QStringLiteral("Items"), objects}, {QStringLiteral("NextToken"), token}})
                     .toJson(QJsonDocument::Compact));
        QCOMPARE(listPageJson(items, {}),
                 QJsonDocument(QJsonObject{{QStringLiteral("Items"), objects}}).toJson(QJsonDocument::Compact));
        QCOMPARE(listPageJson({}, {}), QByteArray("{\"Items\":[]}"));
        QJsonParseError error;
        QJsonDocument::fromJson(listPageJson(items, token), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void summaryFollowsEveryChange()
    {
        StreamSession *s = nullptr;
        for (const StreamSession *candidate : all()) {
            if (candidate->status == QLatin1String("ACTIVE") && !candidate->exportState) {
                s = m_state->findSessionById(candidate->id);
                break;
            }
        }
        QVERIFY(s);
        const QByteArray before = sessionSummaryJson(*m_state, *s); // cached now
        QVERIFY(!before.contains("ExportFilesMetadata"));

        m_state->requestExport(*s, QStringLiteral("s3://gls-exports/qa/"));
        const QByteArray exported = sessionSummaryJson(*m_state, *s);
        QCOMPARE(exported, viaQJsonDocument(*m_state, *s));
        QVERIFY2(exported.contains("\"ExportFilesMetadata\":{\"Status\":\"PENDING\"}"), exported.constData());

        m_state->terminate(*s);
        const QByteArray terminating = sessionSummaryJson(*m_state, *s);
        QCOMPARE(terminating, viaQJsonDocument(*m_state, *s));
        QVERIFY2(terminating.contains("\"Status\":\"TERMINATING\""), terminating.constData());

        m_state->endNow(*s, QStringLiteral("apiTerminated"));
        const QByteArray ended = sessionSummaryJson(*m_state, *s);
        QCOMPARE(ended, viaQJsonDocument(*m_state, *s));
        QVERIFY2(ended.contains("\"Status\":\"TERMINATED\",\"StatusReason\":\"apiTerminated\""), ended.constData());

        // The export finishes (its archive is written on a worker thread) and the listing says so.
        QTRY_VERIFY_WITH_TIMEOUT(s->exportState->status != QLatin1String("PENDING"), 30000);
        const QByteArray finished = sessionSummaryJson(*m_state, *s);
        QCOMPARE(finished, viaQJsonDocument(*m_state, *s));
        QVERIFY2(finished.contains("\"ExportFilesMetadata\":{\"Status\":\"SUCCEEDED\"}"), finished.constData());
    }

    void unusualTextAndTimesAreWrittenAsQtWritesThem()
    {
        StreamSession *s = m_state->findSessionById(all().first()->id);
        QVERIFY(s);
        const QList<QString> texts = unusualTexts();
        const QList<QDateTime> times = {
            QDateTime::fromMSecsSinceEpoch(1764380000000, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(1764380000001, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(1764380000120, Qt::UTC),
            QDateTime(),
        };
        for (int i = 0; i < texts.size(); ++i) {
            // Changed behind EmulatorState's back, so the test empties the cache itself.
            s->userId = texts.at(i);
            s->statusReason = texts.at((i + 1) % texts.size());
            s->location = texts.at((i + 2) % texts.size());
            s->createdAt = times.at(i);
            s->lastUpdatedAt = times.at((i + 1) % times.size());
            s->summaryJson.clear();
            QCOMPARE(sessionSummaryJson(*m_state, *s), viaQJsonDocument(*m_state, *s));
        }
    }

    void everySeededSessionsStateIsTheObjectForm()
    {
        int withExport = 0;
        int withPlan = 0;
        for (const StreamSession *s : all()) {
            QCOMPARE(stateObject(*s), encodeSession(*s));
            withExport += s->exportState.has_value();
            withPlan += s->nextAt.isValid();
        }
        // The sample covers the optional members.
        QVERIFY(withExport > 0);
        QVERIFY(withPlan > 0);
    }

    void unusualStateIsWrittenAsTheObjectForm()
    {
        StreamSession s = *all().first();
        const QList<QString> texts = unusualTexts();
        const QList<QDateTime> times = {
            QDateTime::fromMSecsSinceEpoch(1764380000123, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(0, Qt::UTC),
            QDateTime::fromMSecsSinceEpoch(-86400000, Qt::UTC),
            QDateTime(),
        };
        for (int i = 0; i < texts.size(); ++i) {
            const QString &a = texts.at(i);
            const QString &b = texts.at((i + 1) % texts.size());
            s.description = a;
            s.userId = b;
            s.statusReason = a;
            s.nextReason = b;
            s.plannedEndReason = a;
            s.launchArgs = i % 2 ? QStringList{a, b, QStringLiteral("-windowed")} : QStringList();
            s.environment.clear();
            if (i % 2 == 0)
                s.environment = {{a.isEmpty() ? QStringLiteral("EMPTY") : a, b}, {QStringLiteral("PATH"), a}};
            s.statsSharedWithClient = i % 2;
            s.width = 640 + i;
            s.connectionTimeoutSeconds = i * 100;
            s.createdAt = times.at(i);
            s.endedAt = times.at((i + 1) % times.size());
            s.nextAt = times.at((i + 2) % times.size());
            s.plannedEndAt = times.at((i + 3) % times.size());
            s.seed = i == 0 ? std::numeric_limits<quint64>::max() : quint64(i) << 60;
            s.ordinal = (quint64(1) << 53) - quint64(i);
            if (i == 3)
                s.exportState.reset();
            else
                s.exportState = ExportState{a, b, QStringLiteral("s3://gls-exports/qa/"), a, times.at(i), i == 1};
            QCOMPARE(stateObject(s), encodeSession(s));
            // And read back, the session itself.
            QCOMPARE(encodeSession(decodeSession(stateObject(s))), encodeSession(s));
        }
    }

    void aSavedStateLoadsAsTheStateThatWasSaved()
    {
        StreamSession *s = m_state->findSessionById(all().first()->id);
        QVERIFY(s);
        s->description = QStringLiteral("quote \" and caf\u00e9");
        s->environment = {{QStringLiteral("GLS_LEVEL"), QStringLiteral("3")}};
        QString error;
        QVERIFY2(m_state->save(&error), qPrintable(error));

        QHash<QString, QJsonObject> saved;
        for (const StreamSession *each : all())
            saved.insert(each->id, encodeSession(*each));
        m_state.reset();
        m_state = std::make_unique<EmulatorState>(m_store.get(), m_dir.filePath(QStringLiteral("state")), 1.0, 4096);
        SeedConfig other; // a different seed: the sessions must come from state.json, not from seeding
        other.seed = 8;
        other.sessions = 10;
        other.regions = {kRegion};
        QVERIFY2(m_state->loadOrSeed(other, &error), qPrintable(error));
        const auto loaded = all();
        QCOMPARE(loaded.size(), saved.size());
        for (const StreamSession *each : loaded)
            QCOMPARE(encodeSession(*each), saved.value(each->id));
    }
};

QTEST_GUILESS_MAIN(TestSessionJson)
#include "tst_emulator_sessionjson.moc"
