#pragma once

// The emulator benchmark's steps, each printing one JSON object: the listing
// walk that picks session IDs, the request-load scenarios, the big archive
// (export, wait, download) and a few probes of the emulator. It starts
// nothing: scripts/bench.sh starts and stops gls-emulator around it.

#include "BenchTarget.h"
#include "HttpConnection.h"
#include "RequestSigner.h"

#include <QJsonObject>

#include <memory>

namespace gls::bench {

class EmulatorBench {
public:
    explicit EmulatorBench(BenchTarget target);

    // Checks the signer against sigv4::signHeaders.
    bool init(QString *error);

    // ListStreamSessionsByAccount (MaxResults=100) through every page; keeps the IDs it saw.
    bool walkListing(QJsonObject *report, QString *error);
    // "get-session" (GetStreamSession on IDs from the walk, which it runs
    // first) or "list-sessions" (ListStreamSessionsByAccount, MaxResults=100).
    bool runLoad(const QString &scenario, int connections, int warmupMs, int durationMs, QJsonObject *report,
                 QString *error);

    // Starts a session on the control endpoint, exports it to s3://bucket/key,
    // ends it and waits until the export SUCCEEDED.
    bool prepareArchive(const QString &bucket, const QString &key, int timeoutSeconds, QJsonObject *report,
                        QString *error);
    // One signed GetObject on a fresh connection, body read and discarded.
    bool getObject(const QString &bucket, const QString &key, QJsonObject *report, QString *error);
    QString presignedUrl(const QString &bucket, const QString &key, qint64 expiresSeconds) const;

    // Waits until the emulator writes no archive and has none due (the seeded
    // exports: at once with --settle, else 2-20 s after start-up); reports
    // its state summary.
    bool waitIdle(int timeoutSeconds, QJsonObject *report, QString *error);
    QJsonObject memory() const;

private:
    bool gamelift(const QByteArray &method, const QByteArray &path, const QByteArray &query, const QByteArray &body,
                  HttpReply *reply, QString *error);
    bool control(const QByteArray &method, const QByteArray &path, const QJsonObject &body, HttpReply *reply,
                 QString *error);
    static QByteArray objectPath(const QString &bucket, const QString &key);

    BenchTarget m_target;
    RequestSigner m_gameliftSigner;
    RequestSigner m_s3Signer;
    std::unique_ptr<HttpConnection> m_setup; // set-up and control requests
    QList<QByteArray> m_sessionPaths;        // /streamgroups/G/streamsessions/S from the walk
};

} // namespace gls::bench
