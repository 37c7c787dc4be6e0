#!/usr/bin/env bash
# Builds everything and runs every test, from a fresh Debian 12 machine up:
# installs the Debian packages it needs when they are missing, configures and
# builds into build/ (executables in build/bin/), then runs CTest inside a
# private D-Bus session with an unlocked gnome-keyring and a private HOME.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. scripts/lib/deps.sh
ensure_packages

build=${BUILD_DIR:-$here/build}
jobs=${JOBS:-$(nproc)}
cmake_args=(-S "$here" -B "$build" -G Ninja -DWITH_TESTS=ON)
if [ "${CI:-}" = "true" ]; then
    cmake_args+=(-DWARNINGS_AS_ERRORS=ON)
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
