#pragma once

// The export poll backoff lives in core/exports (shared with the desktop app).

#include "exports/PollBackoff.h"

namespace gls::cli {
using PollBackoff = exports::PollBackoff;
}
