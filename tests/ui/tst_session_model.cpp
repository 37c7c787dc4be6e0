// SessionTableModel and SessionFilterProxy: incremental refreshes (rows
// inserted, changed, removed; never a reset), refreshes scoped to a Region
// (two at once; one Region's vanished rows go, the other's stay), sorting,
// filters and search.

#include "SessionFilterProxy.h"
#include "SessionTableModel.h"

#include "ExportDialog.h"
#include "SessionActions.h"

#include "gamelift/KnownValues.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

using gls::gamelift::ExportFilesMetadata;
using gls::gamelift::StreamSessionSummary;
using gls::ui::SessionFilterProxy;
using gls::ui::SessionTableModel;

namespace {

StreamSessionSummary session(const QString &group, const QString &id, const QString &status,
    const QString &user = QStringLiteral("user"), int minutesAgo = 0, const QString &exportStatus = {})
{
    StreamSessionSummary s;
    s.arn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/%1/%2").arg(group, id);
    s.status = status;
    s.userId = user;
    s.location = QStringLiteral("us-west-2");
    s.applicationArn = QStringLiteral("arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6");
    s.createdAt = QDateTime(QDate(2025, 5, 1), QTime(12, 0), Qt::UTC).addSecs(-60 * minutesAgo);
    s.lastUpdatedAt = s.createdAt;
    if (!exportStatus.isEmpty())
        s.exportFilesMetadata = ExportFilesMetadata{exportStatus, {}, {}};
    return s;
}

StreamSessionSummary inRegion(const QString &region, const QString &id)
{
    StreamSessionSummary s = session(QStringLiteral("sg-1"), id, QStringLiteral("ACTIVE"));
    s.arn.replace(QLatin1String(":us-west-2:"), QLatin1Char(':') + region + QLatin1Char(':'));
    return s;
}

QStringList idsOf(const SessionTableModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.sessionAt(row).idFromArn());
    ids.sort();
    return ids;
}

} // namespace

class TestSessionModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columnsAndRoles()
    {
        SessionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSessions({session(QStringLiteral("sg-1AB2C3De4"), QStringLiteral("ABC123def4567"),
            QStringLiteral("CONNECTED"), QStringLiteral("player-7"), 5, QStringLiteral("PENDING"))});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(SessionTableModel::ColumnCount));
        const auto cell = [&](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
        QCOMPARE(cell(SessionTableModel::SessionId).toString(), QStringLiteral("ABC123def4567"));
        QCOMPARE(cell(SessionTableModel::StreamGroup).toString(), QStringLiteral("sg-1AB2C3De4"));
        QCOMPARE(cell(SessionTableModel::Status).toString(), QStringLiteral("CONNECTED"));
        QCOMPARE(cell(SessionTableModel::UserId).toString(), QStringLiteral("player-7"));
        QCOMPARE(cell(SessionTableModel::Application).toString(), QStringLiteral("a-9ZY8X7Wv6"));
        QCOMPARE(cell(SessionTableModel::ExportStatus).toString(), QStringLiteral("PENDING"));
        // Status: the word plus a colour, never the colour alone.
        QVERIFY(cell(SessionTableModel::Status, Qt::DecorationRole).value<QColor>().isValid());
        QCOMPARE(cell(SessionTableModel::Created, SessionTableModel::SortRole).userType(), int(QMetaType::QDateTime));
        QVERIFY(cell(0, SessionTableModel::ArnRole).toString().endsWith(QLatin1String("/ABC123def4567")));
        QCOMPARE(cell(0, SessionTableModel::CanExportRole).toBool(), true);
        QCOMPARE(model.headerData(SessionTableModel::ExportStatus, Qt::Horizontal).toString(),
            QStringLiteral("Export status"));
    }

    void refreshIsIncremental()
    {
        SessionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString g = QStringLiteral("sg-1");
        model.setSessions({session(g, QStringLiteral("A1"), QStringLiteral("ACTIVE")),
            session(g, QStringLiteral("B2"), QStringLiteral("CONNECTED")),
            session(g, QStringLiteral("C3"), QStringLiteral("ACTIVE"))});
        QCOMPARE(model.rowCount(), 3);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Two pages: B2 changed, D4 new; A1 unchanged; C3 gone.
        model.beginRefresh();
        model.mergePage({session(g, QStringLiteral("A1"), QStringLiteral("ACTIVE"))});
        QCOMPARE(changed.count(), 0);
        model.mergePage({session(g, QStringLiteral("B2"), QStringLiteral("TERMINATING")),
            session(g, QStringLiteral("D4"), QStringLiteral("ACTIVATING"))});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(removed.count(), 0); // not before the last page
        model.endRefresh();
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 2); // C3's row
        QCOMPARE(reset.count(), 0);

        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOfArn(session(g, QStringLiteral("C3"), {}).arn), -1);
        const int b2 = model.rowOfArn(session(g, QStringLiteral("B2"), {}).arn);
        QCOMPARE(model.sessionAt(b2).status, QStringLiteral("TERMINATING"));
        QCOMPARE(model.index(model.rowOfArn(session(g, QStringLiteral("D4"), {}).arn), 0).data().toString(),
            QStringLiteral("D4"));

        // Everything gone: removed, still no reset.
        model.setSessions({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(reset.count(), 0);
    }

    void refreshIsScopedByRegion()
    {
        SessionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString west = QStringLiteral("us-west-2");
        const QString east = QStringLiteral("us-east-2");
        model.setSessions({inRegion(west, QStringLiteral("W1")), inRegion(east, QStringLiteral("E1")),
            inRegion(west, QStringLiteral("W2")), inRegion(east, QStringLiteral("E2"))});
        QCOMPARE(model.rowCount(), 4);
        const int e1 = model.rowOfArn(inRegion(east, QStringLiteral("E1")).arn);
        QCOMPARE(model.index(e1, 0).data(SessionTableModel::RegionRole).toString(), east);
        QCOMPARE(model.index(e1, SessionTableModel::Region).data().toString(), east);
        QCOMPARE(model.headerData(SessionTableModel::Region, Qt::Horizontal).toString(), QStringLiteral("Region"));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        // Both Regions list at once, their pages interleaved.
        model.beginRefresh(west);
        model.beginRefresh(east);
        model.mergePage({inRegion(east, QStringLiteral("E1"))});
        model.mergePage({inRegion(west, QStringLiteral("W1")), inRegion(west, QStringLiteral("W3"))});
        // us-west-2 ends: W2 vanished there and goes; E2 (not listed yet) stays.
        model.endRefresh(west);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(idsOf(model),
            (QStringList{QStringLiteral("E1"), QStringLiteral("E2"), QStringLiteral("W1"), QStringLiteral("W3")}));
        model.endRefresh(east); // E2 vanished in us-east-2
        QCOMPARE(idsOf(model), (QStringList{QStringLiteral("E1"), QStringLiteral("W1"), QStringLiteral("W3")}));

        // A listing that fails (or is stopped) removes nothing.
        model.beginRefresh(east);
        model.cancelRefresh(east);
        model.endRefresh(east);
        QCOMPARE(model.rowCount(), 3);

        // Dropping a Region removes its rows only, even mid-refresh of the other.
        model.beginRefresh(east);
        model.removeRegion(west);
        QCOMPARE(idsOf(model), QStringList{QStringLiteral("E1")});
        model.mergePage({inRegion(east, QStringLiteral("E1"))});
        model.endRefresh(east);
        QCOMPARE(idsOf(model), QStringList{QStringLiteral("E1")});
        QCOMPARE(reset.count(), 0);
    }

    void proxySortsAndFilters()
    {
        SessionTableModel model;
        SessionFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSessions({session(QStringLiteral("sg-1"), QStringLiteral("S1"), QStringLiteral("ACTIVE"),
                               QStringLiteral("zoe"), 30, QStringLiteral("SUCCEEDED")),
            session(QStringLiteral("sg-2"), QStringLiteral("S2"), QStringLiteral("TERMINATED"), QStringLiteral("adam"),
                10, QStringLiteral("FAILED")),
            session(
                QStringLiteral("sg-1"), QStringLiteral("S3"), QStringLiteral("CONNECTED"), QStringLiteral("mia"), 20)});

        const auto column = [&](int c) {
            QStringList values;
            for (int r = 0; r < proxy.rowCount(); ++r)
                values << proxy.index(r, c).data().toString();
            return values;
        };
        proxy.sort(SessionTableModel::Created, Qt::DescendingOrder);
        QCOMPARE(column(SessionTableModel::SessionId), QStringList({"S2", "S3", "S1"}));
        proxy.sort(SessionTableModel::UserId, Qt::AscendingOrder);
        QCOMPARE(column(SessionTableModel::UserId), QStringList({"adam", "mia", "zoe"}));
        proxy.sort(SessionTableModel::Status, Qt::AscendingOrder);
        QCOMPARE(column(SessionTableModel::Status), QStringList({"ACTIVE", "CONNECTED", "TERMINATED"}));

        proxy.setStatusFilter(QStringLiteral("TERMINATED"));
        QCOMPARE(column(SessionTableModel::SessionId), QStringList({"S2"}));
        proxy.setStatusFilter({});
        proxy.setExportStatusFilter(QStringLiteral("SUCCEEDED"));
        QCOMPARE(column(SessionTableModel::SessionId), QStringList({"S1"}));
        proxy.setExportStatusFilter({});

        proxy.setSearchText(QStringLiteral("MIA")); // user IDs, any case
        QCOMPARE(column(SessionTableModel::SessionId), QStringList({"S3"}));
        proxy.setSearchText(QStringLiteral("sg-1")); // stream group IDs
        QCOMPARE(proxy.rowCount(), 2);
        // A pasted full ARN (with stray whitespace) finds its session.
        proxy.setSearchText(QStringLiteral("  ") + model.sessionAt(1).arn + QStringLiteral("\n"));
        QCOMPARE(column(SessionTableModel::SessionId), QStringList({"S2"}));
        proxy.setSearchText({});
        QCOMPARE(proxy.rowCount(), 3);

        // Rows arriving in a refresh are sorted and filtered as they come.
        proxy.setStatusFilter(QStringLiteral("ACTIVE"));
        model.mergePage({session(QStringLiteral("sg-3"), QStringLiteral("S4"), QStringLiteral("ACTIVE"))});
        QCOMPARE(proxy.rowCount(), 2);
    }

    void proxyKeepsTimeOrderAsPagesArrive()
    {
        // The proxy compares times straight from the sessions (SessionFilterProxy::lessThan):
        // the table stays newest first while pages come in out of order, and sorts by
        // LastUpdated on its own values.
        SessionTableModel model;
        SessionFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(SessionTableModel::Created, Qt::DescendingOrder);
        const auto createdInProxy = [&] {
            QList<QDateTime> times;
            for (int r = 0; r < proxy.rowCount(); ++r)
                times << model.sessionAt(proxy.mapToSource(proxy.index(r, 0)).row()).createdAt;
            return times;
        };
        model.beginRefresh();
        int id = 0;
        for (const QList<int> &minutesAgo : QList<QList<int>>{{50, 5, 30}, {1, 60, 20}, {40, 10, 70, 15}}) {
            QList<StreamSessionSummary> page;
            for (const int m : minutesAgo) {
                StreamSessionSummary s = session(QStringLiteral("sg-1"), QStringLiteral("S%1").arg(id++),
                    QStringLiteral("ACTIVE"), QStringLiteral("user"), m);
                s.lastUpdatedAt = s.createdAt.addSecs(120 * 60 * m); // the opposite order
                page << s;
            }
            model.mergePage(page);
            const QList<QDateTime> times = createdInProxy();
            QCOMPARE(times.size(), id);
            for (int r = 1; r < times.size(); ++r)
                QVERIFY2(times.at(r - 1) >= times.at(r),
                    qPrintable(QStringLiteral("row %1 is newer than row %2").arg(r).arg(r - 1)));
        }
        model.endRefresh();
        QCOMPARE(proxy.index(0, SessionTableModel::SessionId).data().toString(), QStringLiteral("S3")); // 1 minute ago
        QCOMPARE(proxy.index(id - 1, SessionTableModel::SessionId).data().toString(), QStringLiteral("S8")); // 70

        // LastUpdated runs the other way round here: the oldest update is the newest session's.
        proxy.sort(SessionTableModel::LastUpdated, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, SessionTableModel::SessionId).data().toString(), QStringLiteral("S3"));
        QCOMPARE(proxy.index(id - 1, SessionTableModel::SessionId).data().toString(), QStringLiteral("S8"));
    }

    void exportDialogRules()
    {
        const StreamSessionSummary s
            = session(QStringLiteral("sg-1AB2C3De4"), QStringLiteral("ABC123def4567"), QStringLiteral("CONNECTED"));
        const QDateTime at(QDate(2025, 5, 1), QTime(12, 34, 56), Qt::UTC);
        QCOMPARE(gls::ui::ExportDialog::previewKey(QStringLiteral("s3://b/qa/"), s, at),
            QStringLiteral("s3://b/qa/20250501-123456-a-9ZY8X7Wv6-sg-1AB2C3De4-ABC123def4567.zip"));
        QCOMPARE(
            gls::ui::ExportDialog::previewKey(QStringLiteral("s3://b/x.zip"), s, at), QStringLiteral("s3://b/x.zip"));
        QVERIFY(gls::ui::ExportDialog::sessionProblem(s).isEmpty());
        QVERIFY(gls::ui::ExportDialog::sessionProblem(
            session(QStringLiteral("sg-1"), QStringLiteral("X"), QStringLiteral("TERMINATED")))
                    .contains(QLatin1String("TERMINATED")));
    }

    void statusColoursReadInLightAndDarkPalettes()
    {
        QPalette light;
        light.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        for (const QPalette &palette : {light, dark}) {
            const QColor base = palette.color(QPalette::Base);
            for (const QString &status : gls::gamelift::knownStreamSessionStatuses()) {
                const QColor c = SessionTableModel::statusColor(status, palette);
                QVERIFY2(SessionTableModel::contrastRatio(c, base) >= 3.0, qPrintable(status));
            }
            for (const QString &status : gls::gamelift::knownExportFilesStatuses()) {
                const QColor c = SessionTableModel::exportStatusColor(status, palette);
                QVERIFY2(SessionTableModel::contrastRatio(c, base) >= 3.0, qPrintable(status));
            }
        }
        // Distinct kinds stay distinct, and the word goes with the colour.
        QVERIFY(SessionTableModel::statusColor(QStringLiteral("ACTIVE"), light)
            != SessionTableModel::statusColor(QStringLiteral("ERROR"), light));
        SessionTableModel model;
        model.setSessions(
            {session(QStringLiteral("sg-1"), QStringLiteral("P"), QStringLiteral("PENDING_CLIENT_RECONNECTION"))});
        const QModelIndex status = model.index(0, SessionTableModel::Status);
        QCOMPARE(status.data().toString(), QStringLiteral("PENDING_CLIENT_RECONNECTION"));
        QCOMPARE(status.data(Qt::ToolTipRole).toString(), QStringLiteral("PENDING_CLIENT_RECONNECTION"));
        QVERIFY(status.data(Qt::DecorationRole).value<QColor>().isValid());
    }

    void endSessionRules()
    {
        using gls::ui::SessionActions;
        for (const char *status : {"ACTIVE", "CONNECTED", "PENDING_CLIENT_RECONNECTION", "RECONNECTING"})
            QVERIFY2(SessionActions::endProblem(QLatin1String(status)).isEmpty(), status);
        for (const char *status : {"ACTIVATING", "TERMINATING", "TERMINATED", "ERROR"})
            QVERIFY2(SessionActions::endProblem(QLatin1String(status)).contains(QLatin1String(status)), status);
    }
};

QTEST_MAIN(TestSessionModel)
#include "tst_session_model.moc"
