// SessionLoader against the real gls-emulator over HTTPS, when the listing
// has to start over: ListStreamSessions is taken away while the groups' pages
// come in, the listing falls back to ListStreamSessionsByAccount, and the
// sessions it reports (progress and the end) are those of the table, not the
// pages before the fallback counted twice.

#include "EmulatorHarness.h"

#include "SessionLoader.h"
#include "SessionTableModel.h"

#include "aws/AwsTransport.h"
#include "aws/Clock.h"
#include "aws/Credentials.h"
#include "gamelift/GameLiftClient.h"

#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

using namespace gls;

class TestSessionLoader : public QObject {
    Q_OBJECT

private:
    // 400 sessions in 2 groups: two pages a group.
    static constexpr int kSessions = 400;
    std::unique_ptr<test::Emulator> m_emu;
    aws::SystemClock m_clock;

    // A loader listing the emulator's Region into a model, over the real transport.
    struct Wiring {
        QNetworkAccessManager network;
        aws::StaticCredentialsProvider credentials{{test::kKeyId, test::kSecret, {}}, QStringLiteral("test")};
        std::unique_ptr<aws::AwsTransport> transport;
        std::unique_ptr<gamelift::GameLiftClient> client;
        ui::SessionTableModel model;
        ui::SessionLoader loader{&model};
    };
    // Null (with a failure recorded) when the emulator's CA cannot be read.
    std::unique_ptr<Wiring> wire()
    {
        aws::TransportSettings settings;
        QString why;
        if (!aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &why)) {
            QTest::qFail(qPrintable(why), __FILE__, __LINE__);
            return nullptr;
        }
        auto w = std::make_unique<Wiring>();
        w->transport = std::make_unique<aws::AwsTransport>(&w->network, &w->credentials, &m_clock, settings);
        w->client = std::make_unique<gamelift::GameLiftClient>(
            w->transport.get(), aws::Endpoint{QUrl(m_emu->gameliftUrl()), test::kRegion, "gameliftstreams"});
        w->loader.addRegion(QString::fromLatin1(test::kRegion), w->client.get());
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_emu = std::make_unique<test::Emulator>(QStringList{QStringLiteral("--sessions"), QString::number(kSessions),
            QStringLiteral("--groups"), QStringLiteral("2"), QStringLiteral("--regions"), QStringLiteral("us-west-2"),
            QStringLiteral("--rate-limit"), QStringLiteral("0")});
        QVERIFY2(m_emu->ok(), qPrintable(m_emu->errorText()));
    }

    void countsOnceWhenTheListingStartsOver()
    {
        const auto wiring = wire();
        QVERIFY(wiring);
        ui::SessionTableModel &model = wiring->model;
        ui::SessionLoader &loader = wiring->loader;

        // Every ListStreamSessions answer (and refusal) takes 1 s: the first
        // pages are in before the next ones are refused.
        const auto restore = qScopeGuard([this] {
            test::deny(*m_emu);
            m_emu->control("DELETE", "faults");
        });
        QCOMPARE(m_emu->control("DELETE", "stats").status, 200);
        const QString list = QStringLiteral("ListStreamSessions");
        QVERIFY(test::delayAnswers(*m_emu, list, 1000));
        int most = 0;
        connect(
            &loader, &ui::SessionLoader::progress, this, [&most](int, int sessions) { most = qMax(most, sessions); });
        QSignalSpy finished(&loader, &ui::SessionLoader::finished);
        QSignalSpy failed(&loader, &ui::SessionLoader::failed);
        loader.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(test::answered(*m_emu, list, 200) >= 1, 30000);
        QVERIFY(test::deny(*m_emu, {QStringLiteral("gameliftstreams:ListStreamSessions")}));
        QVERIFY(finished.wait(60000));
        QVERIFY(failed.isEmpty());
        // It did start over: a group's page was refused, the account listed.
        QVERIFY(test::answered(*m_emu, list, 403) >= 1);
        QVERIFY(m_emu->requestCount(QStringLiteral("ListStreamSessionsByAccount")) >= 1);

        QCOMPARE(model.rowCount(), kSessions);
        QCOMPARE(finished.first().first().toInt(), kSessions);
        QVERIFY2(most <= kSessions, qPrintable(QStringLiteral("progress said %1 sessions").arg(most)));
    }

    // Refresh while a listing runs (a session was just ended, say): the rows
    // at the end are those after the request, not those of the listing that
    // had already read that page. Before, the second request was dropped.
    void refreshDuringAListingListsAgain()
    {
        const auto wiring = wire();
        QVERIFY(wiring);
        ui::SessionTableModel &model = wiring->model;
        ui::SessionLoader &loader = wiring->loader;

        // Each group's second page comes 1 s after its first: the listing
        // is still running when the first page is in the table.
        const auto restore = qScopeGuard([this] { m_emu->control("DELETE", "faults"); });
        QVERIFY(test::delayAnswers(*m_emu, QStringLiteral("ListStreamSessions"), 1000));
        QString ended; // its ARN, and its ID
        QString endedId;
        connect(&loader, &ui::SessionLoader::progress, this, [&] {
            for (int row = 0; ended.isEmpty() && row < model.rowCount(); ++row) {
                const QString status = model.sessionAt(row).status;
                if (status == QLatin1String("ACTIVE") || status == QLatin1String("CONNECTED")) {
                    ended = model.sessionAt(row).arn;
                    endedId = model.sessionAt(row).idFromArn();
                }
            }
        });
        QSignalSpy started(&loader, &ui::SessionLoader::started);
        QSignalSpy finished(&loader, &ui::SessionLoader::finished);
        loader.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty(), 30000);
        QVERIFY(loader.isLoading());
        QVERIFY(test::endSession(*m_emu, endedId));
        QVERIFY(loader.isLoading()); // its other pages are a second away
        loader.refresh();

        QVERIFY(finished.wait(60000));
        const int row = model.rowOfArn(ended);
        QVERIFY2(row >= 0, qPrintable(ended));
        const QString status = model.sessionAt(row).status;
        QVERIFY2(status == QLatin1String("TERMINATING") || status == QLatin1String("TERMINATED"),
            qPrintable(QStringLiteral("%1 is %2 in the table").arg(ended, status)));
        // One round, said once: started and finished each came once.
        QCOMPARE(started.size(), 1);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), model.rowCount());
    }
};

QTEST_MAIN(TestSessionLoader)
#include "tst_session_loader.moc"
