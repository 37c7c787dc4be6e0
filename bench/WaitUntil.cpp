#include "WaitUntil.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace gls::bench {

bool waitUntil(const std::function<bool()> &done, int timeoutMs, int pollMs)
{
    if (done())
        return true;
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || t.elapsed() > timeoutMs)
            loop.quit();
    });
    tick.start(pollMs);
    loop.exec();
    return done();
}

} // namespace gls::bench
