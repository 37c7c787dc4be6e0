#!/usr/bin/env bash
# Runs the benchmarks: builds in Release into build-release/ (tests off),
# then runs each selected benchmark, which writes build/bench/NAME.md (tables:
# median and spread over repetitions) and build/bench/NAME.json (raw figures).
# Nothing is installed from the network but Debian packages (scripts/lib/deps.sh).
#
#   scripts/bench.sh                   every benchmark
#   scripts/bench.sh --only emulator   just that one (repeatable)
#   scripts/bench.sh --list            their names
#
# Knobs (environment): BENCH_REPS (3), BENCH_LOAD_SECONDS (5), BENCH_WARMUP_SECONDS (1),
# BENCH_SESSIONS (10000), BENCH_ARCHIVE_BYTES (1073741824), BUILD_DIR (build-release), JOBS.
#
# Adding a benchmark: append its name to BENCHMARKS, the targets it needs to
# BENCH_TARGETS, and define bench_NAME below. It gets $bin (the executables),
# $out (build/bench) and $work (a temporary folder removed at exit), and can use
# bench_meta, emulator_start and emulator_stop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BENCHMARKS=(emulator gui)
declare -A BENCH_TARGETS=(
    [emulator]="gls-emulator gls-bench-emulator"
    [gui]="gls-emulator gls-bench-gui"
)

reps=${BENCH_REPS:-3}
load_seconds=${BENCH_LOAD_SECONDS:-5}
warmup_seconds=${BENCH_WARMUP_SECONDS:-1}
sessions=${BENCH_SESSIONS:-10000}
archive_bytes=${BENCH_ARCHIVE_BYTES:-1073741824}

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

only=()
while [ $# -gt 0 ]; do
    case $1 in
        --only) [ $# -ge 2 ] || { echo "bench.sh: --only needs a name" >&2; exit 2; }; only+=("$2"); shift 2 ;;
        --only=*) only+=("${1#--only=}"); shift ;;
        --list) printf '%s\n' "${BENCHMARKS[@]}"; exit 0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
    esac
done
[ ${#only[@]} -gt 0 ] || only=("${BENCHMARKS[@]}")
targets=()
for name in "${only[@]}"; do
    [ -n "${BENCH_TARGETS[$name]+set}" ] || { echo "bench.sh: no benchmark '$name' (--list)" >&2; exit 2; }
    read -ra t <<<"${BENCH_TARGETS[$name]}"
    targets+=("${t[@]}")
done

. scripts/lib/deps.sh
ensure_packages

build=${BUILD_DIR:-$here/build-release}
jobs=${JOBS:-$(nproc)}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWITH_TESTS=OFF -DWITH_BENCH=ON ${CMAKE_ARGS:-}
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
bin=$build/bin
out=$here/build/bench
mkdir -p "$out"

work=$(mktemp -d)
started_pids=()
cleanup() {
    local pid
    for pid in "${started_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The key the emulators accept and the benchmark clients sign with. It goes
# through the environment, never a command line. Not an AWS credential.
export GLS_EMULATOR_ACCESS_KEYS="AKIDGLSBENCHMARK0001:gls-bench-secret-for-the-local-emulator"

json_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# One JSON line describing the run and the machine; extra NAME VALUE pairs are added (values as JSON).
bench_meta() {
    local cpu mem commit line
    cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    mem=$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)
    commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$here" status --porcelain 2>/dev/null)" ]; then commit="$commit (with local changes)"; fi
    line="{\"kind\":\"meta\",\"date\":$(json_string "$(date -u +%Y-%m-%dT%H:%MZ)"),\"commit\":$(json_string "$commit")"
    line+=",\"buildType\":\"Release\",\"cores\":$(nproc),\"cpuModel\":$(json_string "$cpu"),\"memory\":$(json_string "$mem")"
    line+=",\"kernel\":$(json_string "$(uname -r)"),\"loadAverage\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")"
    line+=",\"machineNote\":$(json_string "${BENCH_MACHINE_NOTE:-a shared virtual machine: other work runs beside the benchmark, so the figures are noisy.}")"
    while [ $# -ge 2 ]; do
        line+=",$(json_string "$1"):$2"
        shift 2
    done
    printf '%s}\n' "$line"
}

# emulator_start DATA_DIR ARGS...: starts gls-emulator and waits for its JSON
# line. Sets EMU_PID, EMU_JSON (a file holding the line) and EMU_STARTUP_MS
# (from the start to the line, read through a FIFO so the wait is exact).
emulator_start() {
    local dir=$1
    shift
    mkdir -p "$dir"
    EMU_JSON=$dir.endpoint.json
    local fifo=$dir.fifo line t0 t1
    rm -f "$fifo"
    mkfifo "$fifo"
    t0=$(date +%s%N)
    "$bin/gls-emulator" --data-dir "$dir" "$@" >"$fifo" 2>>"$dir.log" &
    EMU_PID=$!
    started_pids+=("$EMU_PID")
    if ! IFS= read -r -t 120 line <"$fifo"; then
        echo "bench.sh: gls-emulator printed no endpoints; its log:" >&2
        cat "$dir.log" >&2
        return 1
    fi
    t1=$(date +%s%N)
    rm -f "$fifo"
    EMU_STARTUP_MS=$(( (t1 - t0) / 1000000 ))
    printf '%s\n' "$line" >"$EMU_JSON"
}

# Stops the last started emulator with SIGTERM (it saves its state) and waits for it.
emulator_stop() {
    kill -TERM "$EMU_PID"
    wait "$EMU_PID" || { echo "bench.sh: gls-emulator exited with $?" >&2; return 1; }
    local kept=() pid
    for pid in "${started_pids[@]}"; do
        [ "$pid" = "$EMU_PID" ] || kept+=("$pid")
    done
    started_pids=("${kept[@]}")
}

# CPU seconds (user + system) of a process so far.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# ---- emulator: gls-emulator's request rate, latency, archive throughput, memory, start-up ----
bench_emulator() {
    local raw=$work/emulator.jsonl
    local load_args=(--seed 42 --sessions "$sessions" --groups 20 --regions us-west-2 --rate-limit 0)
    # No seeded sessions here: the seeded exports of sessions that already
    # ended are archived at start-up with the same --archive-size, and at
    # 1 GiB each that would be hundreds of GiB.
    local archive_args=(--seed 42 --sessions 0 --groups 1 --regions us-west-2 --rate-limit 0
                        --archive-size "$archive_bytes")
    local b=$bin/gls-bench-emulator rep scenario conns t0 wait_s
    bench_meta repetitions "$reps" loadSeconds "$load_seconds" warmupSeconds "$warmup_seconds" \
        startupSessions "$sessions" archiveBytes "$archive_bytes" \
        loadEmulatorArgs "$(json_string "${load_args[*]}")" \
        archiveEmulatorArgs "$(json_string "${archive_args[*]}")" \
        startupEmulatorArgs "$(json_string "${load_args[*]}")" >"$raw"

    echo "== emulator: start-up, $reps x (fresh data dir, then restart on it)" >&2
    for rep in $(seq "$reps"); do
        emulator_start "$work/startup-$rep" "${load_args[@]}"
        echo "{\"kind\":\"startup\",\"mode\":\"fresh\",\"rep\":$rep,\"ms\":$EMU_STARTUP_MS}" >>"$raw"
        emulator_stop
        emulator_start "$work/startup-$rep" "${load_args[@]}"
        echo "{\"kind\":\"startup\",\"mode\":\"restart\",\"rep\":$rep,\"ms\":$EMU_STARTUP_MS}" >>"$raw"
        emulator_stop
        rm -rf "$work/startup-$rep"
    done

    echo "== emulator: request load, $reps x {get-session, list-sessions} x {1, 16, 64} connections" >&2
    t0=$(date +%s)
    emulator_start "$work/load" "${load_args[@]}"
    # Seeded sessions that ended with an export pending are archived 2-20 s
    # after start-up, on worker threads: let that finish before measuring.
    wait_s=$(( 21 - ($(date +%s) - t0) ))
    [ "$wait_s" -le 0 ] || sleep "$wait_s"
    "$b" wait-idle --endpoint "$EMU_JSON" --tag phase=before-load >>"$raw"
    for rep in $(seq "$reps"); do
        for scenario in get-session list-sessions; do
            for conns in 1 16 64; do
                "$b" load --endpoint "$EMU_JSON" --scenario "$scenario" --connections "$conns" \
                    --duration "$load_seconds" --warmup "$warmup_seconds" --tag rep="$rep" >>"$raw"
                tail -n1 "$raw" | sed -E 's/.*"requestsPerSecond":([0-9]+).*/  '"$scenario x $conns, rep $rep: \1 req\/s/" >&2
            done
        done
    done
    "$b" memory --endpoint "$EMU_JSON" --tag phase=after-load >>"$raw"
    emulator_stop

    echo "== emulator: $archive_bytes-byte archive, $reps x (signed client, curl) alternating" >&2
    emulator_start "$work/archive" "${archive_args[@]}"
    "$b" archive-prepare --endpoint "$EMU_JSON" --bucket gls-exports --key bench/big.zip >>"$raw"
    local url ca=$work/archive/tls/ca.pem before after result speed size secs code
    url=$("$b" presign --endpoint "$EMU_JSON" --bucket gls-exports --key bench/big.zip --expires 3600)
    for rep in $(seq "$reps"); do
        "$b" archive-get --endpoint "$EMU_JSON" --bucket gls-exports --key bench/big.zip --tag rep="$rep" >>"$raw"
        before=$(cpu_seconds "$EMU_PID")
        result=$(curl -sS --cacert "$ca" -o /dev/null -w '%{speed_download} %{size_download} %{time_total} %{http_code}' "$url")
        after=$(cpu_seconds "$EMU_PID")
        read -r speed size secs code <<<"$result"
        [ "$code" = 200 ] || { echo "bench.sh: curl got HTTP $code" >&2; return 1; }
        echo "{\"kind\":\"archiveGet\",\"client\":\"curl\",\"rep\":$rep,\"bytes\":$size,\"seconds\":$secs,\"bytesPerSecond\":$speed,\"emulatorCpuPercent\":$(awk -v a="$before" -v b="$after" -v s="$secs" 'BEGIN { printf "%.1f", 100 * (b - a) / s }')}" >>"$raw"
        echo "  rep $rep: gls $(tail -n2 "$raw" | head -n1 | sed -E 's/.*"bytesPerSecond":([0-9]+).*/\1/' | awk '{ printf "%.0f", $1 / 1e6 }') MB/s, curl $(awk -v s="$speed" 'BEGIN { printf "%.0f", s / 1e6 }') MB/s" >&2
    done
    "$b" memory --endpoint "$EMU_JSON" --tag phase=after-archive >>"$raw"
    emulator_stop

    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$b" report --input "$raw" --markdown "$out/emulator.md" --json "$out/emulator.json"
    echo "== emulator: wrote $out/emulator.md and $out/emulator.json" >&2
}

# ---- gui: the desktop window from launch to a populated table, its GUI thread's stalls, the AWS CLI beside it ----
bench_gui() {
    local raw=$work/gui.jsonl
    command -v aws >/dev/null || { echo "bench.sh: gui needs the AWS CLI (aws) on PATH" >&2; return 1; }
    bench_meta repetitions "$reps" sessions "$sessions" awsCli "$(json_string "$(aws --version 2>&1)")" >"$raw"
    echo "== gui: $reps x (fresh window to $sessions rows, 3 refreshes; AWS CLI listing them)" >&2
    # gls-bench-gui starts its own gls-emulator (next to it in $bin), with
    # the emulator's demo key (set in its environment, not ours).
    "$bin/gls-bench-gui" --reps "$reps" --refreshes 3 --sessions "$sessions" >>"$raw"
    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$bin/gls-bench-gui" report --input "$raw" --markdown "$out/gui.md" --json "$out/gui.json"
    echo "== gui: wrote $out/gui.md and $out/gui.json" >&2
}

for name in "${only[@]}"; do
    "bench_$name"
done
for name in "${only[@]}"; do
    cat "$out/$name.md"
done
