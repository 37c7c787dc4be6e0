#!/usr/bin/env bash
# Builds the release packages into build/packages/: the Debian packages
# (gls-exporter, gls-exporter-emulator) and a .tar.gz of both, from a Release
# build of its own in build/package-build (never mixed with build/ of
# scripts/test.sh). Installs the Debian packages it needs when they are missing.
#
#   PACKAGE_BUILD_DIR  the build folder (default build/package-build)
#   PACKAGE_REUSE_BUILD  package an existing, already built tree instead (CI
#                      packages the tree scripts/test.sh just built and tested;
#                      CPack strips the binaries either way)
#   PACKAGE_OUT_DIR    where the packages go (default build/packages)
#   JOBS               parallel jobs (default: nproc)
#   CMAKE_ARGS         extra configure arguments
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. scripts/lib/deps.sh
ensure_packages

build=${PACKAGE_BUILD_DIR:-$here/build/package-build}
out=${PACKAGE_OUT_DIR:-$here/build/packages}
jobs=${JOBS:-$(nproc)}

cmake_args=(-S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWITH_TESTS=OFF -DWITH_BENCH=OFF
    -DCPACK_PACKAGE_DIRECTORY="$out")
command -v ninja >/dev/null && cmake_args+=(-G Ninja)
if command -v ccache >/dev/null; then
    cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    export CCACHE_BASEDIR="$here"
fi
if [ -n "${PACKAGE_REUSE_BUILD:-}" ]; then
    build=$(readlink -f "$PACKAGE_REUSE_BUILD")
    if [ ! -f "$build/CPackConfig.cmake" ]; then
        echo "error: PACKAGE_REUSE_BUILD=$PACKAGE_REUSE_BUILD is not a configured build tree (no CPackConfig.cmake)" >&2
        exit 2
    fi
else
    # shellcheck disable=SC2086
    cmake "${cmake_args[@]}" ${CMAKE_ARGS:-}
    cmake --build "$build" -j "$jobs"
fi

# Only this version's packages in the folder afterwards.
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.tar.gz
(cd "$build" && cpack -B "$out")
rm -rf "$out/_CPack_Packages"

echo
echo "Packages in $out:"
for f in "$out"/*.deb "$out"/*.tar.gz; do
    [ -e "$f" ] || continue
    printf '  %-60s %s\n' "$(basename "$f")" "$(du -h "$f" | cut -f1)"
done
for f in "$out"/*.deb; do
    [ -e "$f" ] || continue
    echo
    echo "$(basename "$f"):"
    dpkg-deb -f "$f" Package Version Architecture Depends Recommends Suggests | sed 's/^/  /'
done
