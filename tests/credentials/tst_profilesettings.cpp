// The profiles' non-secret settings (core/credentials/ProfileSettings): the
// user's file, the administrators' system-wide defaults under it (a
// [defaults] group for every profile, or a profile's own group), the user's
// values winning, recent destinations, and the opt-out of downloads. Real
// INI files in temporary folders stand in for ~/.config and /etc/xdg.

#include "credentials/ProfileSettings.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using gls::creds::ProfileDefaults;
using gls::creds::ProfileSettings;

class TestProfileSettings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_user;
    QTemporaryDir m_system;

    void writeSystem(const QByteArray &ini)
    {
        QDir().mkpath(m_system.filePath(QStringLiteral("gls-exporter")));
        QFile f(m_system.filePath(QStringLiteral("gls-exporter/profiles.conf")));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(ini);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_user.path());
        QSettings::setPath(QSettings::NativeFormat, QSettings::SystemScope, m_system.path());
    }

    void administratorsDefaultsApplyAndUsersWin()
    {
        writeSystem("[defaults]\nregion=eu-central-1\ndestination=s3://corp-exports/qa/\nauto_download=false\n"
                    "[profile.release]\nregion=ap-northeast-1\n");
        ProfileSettings settings;
        QCOMPARE(settings.fileName(), m_user.filePath(QStringLiteral("gls-exporter/profiles.conf")));
        // Every profile gets the defaults; a profile's own group in the system file comes first.
        ProfileDefaults qa = settings.load(QStringLiteral("qa"));
        QCOMPARE(qa.region, QStringLiteral("eu-central-1"));
        QCOMPARE(qa.destination, QStringLiteral("s3://corp-exports/qa/"));
        QVERIFY(!qa.autoDownload);
        QCOMPARE(settings.load(QStringLiteral("release")).region, QStringLiteral("ap-northeast-1"));

        // The user's own values win.
        qa.region = QStringLiteral("us-west-2");
        qa.autoDownload = true;
        settings.save(QStringLiteral("qa"), qa);
        settings.sync();
        ProfileSettings again;
        QCOMPARE(again.load(QStringLiteral("qa")).region, QStringLiteral("us-west-2"));
        QCOMPARE(again.load(QStringLiteral("qa")).destination, QStringLiteral("s3://corp-exports/qa/"));
        QCOMPARE(again.load(QStringLiteral("other")).region, QStringLiteral("eu-central-1"));
    }

    void recentDestinationsAreNewestFirstAndBounded()
    {
        ProfileSettings settings(m_user.filePath(QStringLiteral("recent.conf")));
        for (int i = 0; i < ProfileSettings::kRecent + 3; ++i)
            settings.addRecentDestination(QStringLiteral("qa"), QStringLiteral("s3://b/%1/").arg(i));
        settings.addRecentDestination(QStringLiteral("qa"), QStringLiteral("s3://b/5/")); // again: moves up
        const QStringList recent = settings.load(QStringLiteral("qa")).recentDestinations;
        QCOMPARE(recent.size(), ProfileSettings::kRecent);
        QCOMPARE(recent.first(), QStringLiteral("s3://b/5/"));
        QCOMPARE(recent.count(QStringLiteral("s3://b/5/")), 1);
        QVERIFY(settings.load(QStringLiteral("other")).recentDestinations.isEmpty());
    }

    void oddProfileNamesStayApart()
    {
        ProfileSettings settings(m_user.filePath(QStringLiteral("names.conf")));
        ProfileDefaults a;
        a.region = QStringLiteral("us-east-2");
        settings.save(QStringLiteral("team/qa"), a);
        ProfileDefaults b;
        b.region = QStringLiteral("us-west-2");
        settings.save(QStringLiteral("team qa"), b);
        QCOMPARE(settings.load(QStringLiteral("team/qa")).region, QStringLiteral("us-east-2"));
        QCOMPARE(settings.load(QStringLiteral("team qa")).region, QStringLiteral("us-west-2"));
        settings.remove(QStringLiteral("team/qa"));
        QVERIFY(settings.load(QStringLiteral("team/qa")).region.isEmpty());
        QCOMPARE(settings.load(QStringLiteral("team qa")).region, QStringLiteral("us-west-2"));
    }
};

QTEST_GUILESS_MAIN(TestProfileSettings)
#include "tst_profilesettings.moc"
