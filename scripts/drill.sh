#!/usr/bin/env bash
# The fault drill and the crash drill (docs/RELIABILITY.md), from a fresh clone:
#   scripts/drill.sh [faults|crash|all] [KILLS]      (default: all)
# Builds gls-emulator, gls-exporter-cli, gls-exporter and gls-drill in Release
# into BUILD_DIR (default build-drill/), runs the drill(s) in a temporary
# folder and writes the reports to DRILL_OUT (default build/drill/):
# faults.md/.json and crash.md/.json. Exits non-zero when a drill found
# something (an export lost or duplicated, a half-written file, a crash) or
# could not run.
#
# Knobs (environment):
#   DRILL_EXPORTS=100   fault drill: exports (sessions exported, ended, followed, downloaded)
#   DRILL_KILLS=50      crash drill: SIGKILLs (the second argument wins)
#   DRILL_SEED=1        seeds the emulator, the drills' choices and kill times
#   DRILL_SMOKE=1       a short run for CI: 10 exports, 10 kills
#   DRILL_PARALLEL=4    fault drill: `export` processes at a time
#   DRILL_TIME_SCALE=60 emulated seconds per real second
#   DRILL_MAX_SECONDS   crash drill: stop killing after this long (default 270; 90 in smoke mode)
#   BUILD_DIR, JOBS, CMAKE_ARGS as for scripts/test.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. scripts/lib/deps.sh
ensure_packages

what=${1:-all}
case "$what" in
    faults|crash|all) ;;
    *) echo "usage: scripts/drill.sh [faults|crash|all] [KILLS]" >&2; exit 2 ;;
esac

if [ "${DRILL_SMOKE:-0}" = "1" ]; then
    exports=${DRILL_EXPORTS:-10}
    kills=${2:-${DRILL_KILLS:-10}}
    max_seconds=${DRILL_MAX_SECONDS:-90}
else
    exports=${DRILL_EXPORTS:-100}
    kills=${2:-${DRILL_KILLS:-50}}
    max_seconds=${DRILL_MAX_SECONDS:-270}
fi
seed=${DRILL_SEED:-1}
parallel=${DRILL_PARALLEL:-4}
time_scale=${DRILL_TIME_SCALE:-60}
out=${DRILL_OUT:-$here/build/drill}

build=${BUILD_DIR:-$here/build-drill}
jobs=${JOBS:-$(nproc)}
cmake_args=(-S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWITH_TESTS=OFF -DWITH_DRILL=ON -DWITH_BENCH=OFF)
if command -v ccache >/dev/null; then
    cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake "${cmake_args[@]}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$jobs" --target gls-drill

# The programs under test get a private HOME, store and download folder from
# gls-drill; the drill's own scratch goes here.
sandbox=$(mktemp -d)
trap 'rm -rf "$sandbox"' EXIT
export QT_QPA_PLATFORM=offscreen

status=0
run() {
    local name=$1; shift
    echo "== $name drill ==" >&2
    "$build/bin/gls-drill" "$name" --bin "$build/bin" --work "$sandbox/$name" --out "$out" \
        --seed "$seed" --time-scale "$time_scale" "$@" || status=$?
    echo "(report: $out/$name.md and $out/$name.json)" >&2
}
if [ "$what" = faults ] || [ "$what" = all ]; then
    run faults --exports "$exports" --parallel "$parallel"
fi
if [ "$what" = crash ] || [ "$what" = all ]; then
    run crash --kills "$kills" --max-seconds "$max_seconds"
fi
exit "$status"
