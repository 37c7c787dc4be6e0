#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, and runs each for SECONDS
# (default 60) on a copy of its committed corpus (fuzz/corpus/TARGET/, which
# is never modified unless --merge is given). Prints a table (target,
# executions, exec/s, corpus size, crashes) and writes build-fuzz/fuzz-report.md
# and build-fuzz/fuzz-report.json. Exits non-zero on any crash, leak, timeout
# or sanitizer report; the input that did it is kept in
# build-fuzz/artifacts/TARGET/.
#
#   scripts/fuzz.sh                  every target, 60 s each
#   scripts/fuzz.sh 10               10 s each (FUZZ_SMOKE=1: the CI smoke run, seed 1)
#   scripts/fuzz.sh 3600 zip_archive one target, an hour
#   scripts/fuzz.sh --merge 600      and merge new coverage into fuzz/corpus/
#
# FUZZ_BUILD_DIR (default build-fuzz), FUZZ_PARALLEL (targets run at once,
# default: the number of cores), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

seconds=60
[ "${FUZZ_SMOKE:-}" = "1" ] && seconds=10
merge=0
only=()
while [ $# -gt 0 ]; do
    case "$1" in
    -h | --help) usage ;;
    --merge) merge=1 ;;
    [0-9]*) seconds=$1 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; usage 2 ;;
    *) only+=("$1") ;;
    esac
    shift
done

. scripts/lib/deps.sh
ensure_packages
ensure_fuzz_packages

build=${FUZZ_BUILD_DIR:-$here/build-fuzz}
parallel=${FUZZ_PARALLEL:-$(nproc)}
# -O1 and line tables only: half the build time of -O2 -g, the speed libFuzzer wants, stacks with lines.
cmake_args=(-S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only"
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
    -DWITH_FUZZ=ON -DWITH_TESTS=OFF -DWITH_BENCH=OFF
    # Without the precompiled Qt headers (cmake/GlsPch.cmake): this build is
    # then also the check that core's files include what they use.
    -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON)
command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
build_start=$(date +%s)
cmake "${cmake_args[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)" --target gls_fuzz
build_seconds=$(($(date +%s) - build_start))

targets=()
for f in fuzz/*.cpp; do
    t=$(basename "$f" .cpp)
    if [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $t "* ]]; then
        targets+=("$t")
    fi
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no such target: ${only[*]}" >&2; exit 2; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer

# run_one TARGET: fuzzes a copy of the corpus; the log and the artifacts stay in $build.
run_one() {
    local t=$1
    local work=$build/work/$t artifacts=$build/artifacts/$t
    rm -rf "$work" "$artifacts" # a previous run's findings go; this run's stay
    mkdir -p "$work/corpus" "$artifacts"
    [ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$work/corpus/"
    local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$artifacts/")
    [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
    # The CI smoke run starts from a fixed seed, so a run that passes passes again (only how far it
    # gets in the time varies); the long runs explore anew each time.
    [ "${FUZZ_SMOKE:-}" = "1" ] && args+=(-seed=1)
    local rc=0
    "$build/fuzz/fuzz_$t" "${args[@]}" ${FUZZ_ARGS:-} "$work/corpus" >"$work/log" 2>&1 || rc=$?
    echo "$rc" >"$work/rc"
    if [ "$merge" = 1 ] && [ "$rc" = 0 ]; then
        mkdir -p "fuzz/corpus/$t"
        "$build/fuzz/fuzz_$t" -merge=1 -max_len=65536 "fuzz/corpus/$t" "$work/corpus" >"$work/merge.log" 2>&1
    fi
}

echo "Fuzzing ${#targets[@]} targets for ${seconds}s each, $parallel at a time..." >&2
pids=()
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done
    run_one "$t" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done

stat() { grep -o "^stat::$2: *[0-9]*" "$1" | tail -1 | grep -o '[0-9]*$' || echo 0; }

failed=0
rows=()
json_rows=()
for t in "${targets[@]}"; do
    work=$build/work/$t
    rc=$(cat "$work/rc" 2>/dev/null || echo 1)
    execs=$(stat "$work/log" number_of_executed_units)
    rate=$(stat "$work/log" average_exec_per_sec)
    corpus=$(find "$work/corpus" -type f | wc -l)
    found=$(find "$build/artifacts/$t" -type f | wc -l)
    status=ok
    if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
        status=FAILED
        failed=1
    fi
    rows+=("$(printf '| %-20s | %12s | %8s | %7s | %7s | %-6s |' "$t" "$execs" "$rate" "$corpus" "$found" "$status")")
    json_rows+=("$(printf '{"target":"%s","executions":%s,"execPerSecond":%s,"corpus":%s,"crashes":%s,"exitCode":%s}' \
        "$t" "$execs" "$rate" "$corpus" "$found" "$rc")")
done

header='| target               |   executions |   exec/s |  corpus | crashes | status |'
rule='|----------------------|--------------|----------|---------|---------|--------|'
{
    echo "# Fuzzing report"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), ${seconds}s per target, $parallel at a time, build ${build_seconds}s," \
        "load average $(cut -d' ' -f1-3 /proc/loadavg), clang $(clang++ -dumpversion)."
    echo
    echo "$header"
    echo "$rule"
    printf '%s\n' "${rows[@]}"
} >"$build/fuzz-report.md"
{
    echo "{\"seconds\":$seconds,\"parallel\":$parallel,\"buildSeconds\":$build_seconds,\"targets\":["
    (IFS=,; echo "${json_rows[*]}")
    echo "]}"
} >"$build/fuzz-report.json"

echo
echo "$header"
echo "$rule"
printf '%s\n' "${rows[@]}"
echo
echo "Report: $build/fuzz-report.md, $build/fuzz-report.json"
if [ "$failed" != 0 ]; then
    echo "Crashing inputs (reproduce with $build/fuzz/fuzz_TARGET FILE):" >&2
    find "$build/artifacts" -type f >&2
    for t in "${targets[@]}"; do
        if [ "$(cat "$build/work/$t/rc")" != 0 ]; then
            echo "--- $t: $build/work/$t/log (tail)" >&2
            tail -30 "$build/work/$t/log" >&2
        fi
    done
    exit 1
fi
