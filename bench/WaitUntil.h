#pragma once

// Runs the event loop until a condition holds, for benchmark programs that
// drive the app's asynchronous code from a plain main().

#include <functional>

namespace gls::bench {

// Runs the event loop until `done` is true (looked at every `pollMs`) or
// `timeoutMs` passed; true when done.
bool waitUntil(const std::function<bool()> &done, int timeoutMs, int pollMs = 5);

} // namespace gls::bench
