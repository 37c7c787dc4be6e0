#!/usr/bin/env bash
# Builds everything and runs every test, from a fresh Debian 12 machine up:
# installs the Debian packages it needs when they are missing, configures and
# builds into build/ (executables in build/bin/), then runs CTest inside a
# private D-Bus session with an unlocked gnome-keyring and a private HOME.
#
#   scripts/test.sh              the suite, in build/
#   scripts/test.sh --sanitize   the same suite built with AddressSanitizer,
#                                UndefinedBehaviorSanitizer and LeakSanitizer,
#                                in build-asan/; any report fails the test
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
sanitize=0
case ${1:-} in
    --sanitize) sanitize=1 ;;
    "") ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
esac
. scripts/lib/deps.sh
ensure_packages

jobs=${JOBS:-$(nproc)}
if [ $sanitize = 1 ]; then
    build=${BUILD_DIR:-$here/build-asan}
    # Line tables for the reports' stacks (-g1: a faster build and link than
    # full debug info), -O1 so the suite still runs in minutes.
    cmake_args=(-S "$here" -B "$build" -G Ninja -DWITH_TESTS=ON -DWITH_BENCH=OFF -DWITH_ASAN=ON
                -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g1 -O1")
    supp=$here/tests/sanitizers
    # Every report is fatal; leaks are checked at exit. Qt's and the system
    # libraries' own one-off allocations are listed in lsan.supp, each with its reason.
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
    export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
else
    build=${BUILD_DIR:-$here/build}
    cmake_args=(-S "$here" -B "$build" -G Ninja -DWITH_TESTS=ON)
fi
if [ "${CI:-}" = "true" ]; then
    cmake_args+=(-DWARNINGS_AS_ERRORS=ON)
    # Nobody attaches a debugger in CI: line tables (-g1) keep every backtrace's
    # functions, files and lines, and compile 14-17% faster per file than full
    # debug info (-g). The packages built from this tree are stripped anyway.
    [ $sanitize = 1 ] || cmake_args+=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
fi
cmake "${cmake_args[@]}" ${CMAKE_ARGS:-}
cmake --build "$build" -j "$jobs"

# A private world for the tests: HOME, runtime dir, session bus and keychain.
sandbox=$(mktemp -d)
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox/home" "$sandbox/runtime"
chmod 700 "$sandbox/runtime"
export HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/home/.local/share" XDG_CONFIG_HOME="$sandbox/home/.config"
export XDG_RUNTIME_DIR="$sandbox/runtime" QT_QPA_PLATFORM=offscreen
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE || true

ctest_args=(--test-dir "$build" --output-on-failure -j "$jobs" --timeout 600 ${CTEST_ARGS:-})
dbus-run-session -- bash -c '
    # It may print nothing (then a bare "export" would dump the environment).
    keyring=$(echo -n "gls-test-keyring" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)
    [ -z "$keyring" ] || export $keyring
    exec ctest "$@"' ctest-runner "${ctest_args[@]}"
