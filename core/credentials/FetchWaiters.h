#pragma once

// The callers waiting for one credentials fetch: the first starts the work,
// the others join it, and all are answered together on the next event-loop
// turn (so nobody is re-entered from its own fetch()); the secret is wiped
// once they have their copies.

#include "aws/Credentials.h"

#include <QList>
#include <QPointer>
#include <QTimer>

#include <utility>

namespace gls::creds {

class FetchWaiters {
public:
    // True when `done` is the first waiter: the caller starts the fetch.
    bool add(QObject *context, aws::CredentialsProvider::Callback done)
    {
        m_waiting.append({QPointer<QObject>(context), std::move(done)});
        return m_waiting.size() == 1;
    }

    void finish(QObject *owner, aws::CredentialsResult result)
    {
        QTimer::singleShot(0, owner, [this, result = std::move(result)]() mutable {
            const auto waiting = std::exchange(m_waiting, {});
            for (const auto &[context, done] : waiting) {
                if (context)
                    done(result);
            }
            aws::wipe(result.credentials);
        });
    }

private:
    QList<QPair<QPointer<QObject>, aws::CredentialsProvider::Callback>> m_waiting;
};

} // namespace gls::creds
