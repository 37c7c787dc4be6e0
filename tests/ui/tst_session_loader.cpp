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
        aws::TransportSettings settings;
        QString why;
        QVERIFY2(
            aws::AwsTransport::loadCaBundle(m_emu->caPath(), &settings.extraCaCertificates, &why), qPrintable(why));
        QNetworkAccessManager network;
        aws::StaticCredentialsProvider credentials({test::kKeyId, test::kSecret, {}}, QStringLiteral("test"));
        aws::AwsTransport transport(&network, &credentials, &m_clock, settings);
        gamelift::GameLiftClient client(
            &transport, aws::Endpoint{QUrl(m_emu->gameliftUrl()), test::kRegion, "gameliftstreams"});
        ui::SessionTableModel model;
        ui::SessionLoader loader(&model);
        loader.addRegion(QString::fromLatin1(test::kRegion), &client);

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
};

QTEST_MAIN(TestSessionLoader)
#include "tst_session_loader.moc"
