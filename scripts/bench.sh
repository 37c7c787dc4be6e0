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
# Knobs (environment): BENCH_REPS (3), BENCH_LOAD_SECONDS (3), BENCH_WARMUP_SECONDS (1),
# BENCH_SESSIONS (10000), BENCH_ARCHIVE_BYTES (1073741824: the download benchmark's archive),
# BENCH_EMULATOR_ARCHIVE_BYTES (268435456: the emulator benchmark's), BUILD_DIR (build-release), JOBS.
# BENCH_SIGV4_SECONDS (0.3: CPU seconds per sigv4 figure), BENCH_LATENCY_MS (20: how late
# each answer is in the cli benchmark's listing over a "network").
#
# Adding a benchmark: append its name to BENCHMARKS, the targets it needs to
# BENCH_TARGETS, and define bench_NAME below. It gets $bin (the executables),
# $out (build/bench) and $work (a temporary folder removed at exit), and can use
# bench_meta, emulator_start and emulator_stop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

BENCHMARKS=(emulator gui cli sigv4 download tracker)
declare -A BENCH_TARGETS=(
    [sigv4]="gls-bench-sigv4"
    [emulator]="gls-emulator gls-bench-emulator"
    [gui]="gls-emulator gls-bench-gui"
    [cli]="gls-emulator gls-exporter-cli gls-bench-run gls-bench-cli"
    [download]="gls-emulator gls-bench-emulator gls-exporter-cli gls-bench-run gls-bench-download"
    [tracker]="gls-emulator gls-bench-tracker"
)

reps=${BENCH_REPS:-3}
load_seconds=${BENCH_LOAD_SECONDS:-3}
warmup_seconds=${BENCH_WARMUP_SECONDS:-1}
sessions=${BENCH_SESSIONS:-10000}
archive_bytes=${BENCH_ARCHIVE_BYTES:-1073741824}
# The emulator benchmark serves its archive only to show the emulator is not
# what limits a download; 256 MiB shows it as well as 1 GiB, in a quarter of
# the time (on a slow machine the whole run must still fit in 15 minutes).
emulator_archive_bytes=${BENCH_EMULATOR_ARCHIVE_BYTES:-268435456}

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
                        --archive-size "$emulator_archive_bytes")
    local b=$bin/gls-bench-emulator rep scenario conns
    bench_meta repetitions "$reps" loadSeconds "$load_seconds" warmupSeconds "$warmup_seconds" \
        startupSessions "$sessions" archiveBytes "$emulator_archive_bytes" \
        loadEmulatorArgs "$(json_string "${load_args[*]} --settle")" \
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
    # --settle: the seeded sessions that ended with an export pending are
    # archived before the emulator prints its endpoints, not on its worker
    # threads 2-20 s after start-up, while the load runs.
    emulator_start "$work/load" "${load_args[@]}" --settle
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

    echo "== emulator: $emulator_archive_bytes-byte archive, $reps x (signed client, curl) alternating" >&2
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

# ---- cli: gls-exporter-cli against the AWS CLI, a fresh process per command ----
# cli_measure SCENARIO TOOL REP COMMAND...: runs the command under
# gls-bench-run (wall time, CPU, peak RSS) and checks what it printed.
cli_measure() {
    local scenario=$1 tool=$2 rep=$3 out=$work/cli-stdout.json err=$work/cli-stderr.txt
    shift 3
    if ! "$bin/gls-bench-run" --stdout "$out" --stderr "$err" --tag scenario="$scenario" --tag tool="$tool" \
            --tag rep="$rep" -- "$@" >>"$raw"; then
        echo "bench.sh: $tool $scenario (repetition $rep) failed:" >&2
        cat "$err" >&2
        return 1
    fi
    "$bin/gls-bench-cli" check --input "$out" --tag scenario="$scenario" --tag tool="$tool" --tag rep="$rep" \
        ${expect:+--tag expect="$expect"} >>"$raw"
}

# A fresh ACTIVE session in the group, from the emulator's control endpoint: the ID.
# Counted in cli_created: the listings that follow hold them too.
cli_new_session() {
    cli_created=$((cli_created + 1))
    curl -sS --cacert "$ca" -X POST -H 'content-type: application/json' -d "{\"streamGroupId\":\"$group\"}" \
        "$url/_emulator/sessions" | sed -nE 's/.*"streamSessionId":"([^"]*)".*/\1/p'
}

# One repetition of every scenario, ours and the AWS CLI's, in the order given ("ours aws" or "aws ours").
cli_repetition() {
    local rep=$1 tool fresh expect=$((sessions + cli_created))
    shift
    for tool in "$@"; do
        case $tool in
            ours) cli_measure list ours "$rep" "$bin/gls-exporter-cli" "${ours_common[@]}" sessions --json ;;
            aws) cli_measure list aws "$rep" "$aws_bin" gameliftstreams list-stream-sessions-by-account \
                     --page-size 100 "${aws_common[@]}" ;;
        esac
    done
    for tool in "$@"; do
        case $tool in
            ours) cli_measure session ours "$rep" "$bin/gls-exporter-cli" "${ours_common[@]}" session \
                      --group "$group" --session "$session" --json ;;
            aws) cli_measure session aws "$rep" "$aws_bin" gameliftstreams get-stream-session \
                     --identifier "$group" --stream-session-identifier "$session" "${aws_common[@]}" ;;
        esac
    done
    expect=
    for tool in "$@"; do
        cli_new_session >"$work/cli-fresh"
        fresh=$(cat "$work/cli-fresh")
        [ -n "$fresh" ] || { echo "bench.sh: the emulator started no session for the export" >&2; return 1; }
        case $tool in
            ours) cli_measure export ours "$rep" "$bin/gls-exporter-cli" "${ours_common[@]}" export \
                      --group "$group" --session "$fresh" --output s3://gls-exports/bench-cli/ --json ;;
            aws) cli_measure export aws "$rep" "$aws_bin" gameliftstreams export-stream-session-files \
                     --identifier "$group" --stream-session-identifier "$fresh" \
                     --output-uri s3://gls-exports/bench-cli/ "${aws_common[@]}" ;;
        esac
    done
    # Ours again with a long history in its store (the AWS CLI keeps none).
    cli_new_session >"$work/cli-fresh"
    fresh=$(cat "$work/cli-fresh")
    [ -n "$fresh" ] || { echo "bench.sh: the emulator started no session for the export" >&2; return 1; }
    GLS_EXPORT_STORE=$history cli_measure export-history ours "$rep" "$bin/gls-exporter-cli" "${ours_common[@]}" \
        export --group "$group" --session "$fresh" --output s3://gls-exports/bench-cli/ --json
}

bench_cli() {
    local raw=$work/cli.jsonl
    local emu_args=(--seed 42 --sessions "$sessions" --groups 20 --regions us-west-2 --rate-limit 0 --settle)
    local aws_bin url ca group session rep line latency_ms=${BENCH_LATENCY_MS:-20} history_rows=20000
    # The AWS CLI itself, not a version manager's shim in front of it (pyenv's adds a shell and a lookup).
    aws_bin=$(pyenv which aws 2>/dev/null || command -v aws) \
        || { echo "bench.sh: cli needs the AWS CLI (aws) on PATH" >&2; return 1; }
    bench_meta repetitions "$reps" sessions "$sessions" emulatorArgs "$(json_string "${emu_args[*]}")" \
        awsCli "$(json_string "$("$aws_bin" --version 2>&1)")" latencyMs "$latency_ms" historyRows "$history_rows" \
        >"$raw"

    echo "== cli: $reps x (gls-exporter-cli, AWS CLI) alternating: list $sessions sessions, get one, export one" >&2
    # --settle, as in bench_emulator: the seeded archives are written before the endpoints are printed.
    emulator_start "$work/cli-emulator" "${emu_args[@]}"
    url=$(sed -nE 's/.*"gameliftstreams":"([^"]*)".*/\1/p' "$EMU_JSON")
    ca=$(sed -nE 's/.*"caCertificate":"([^"]*)".*/\1/p' "$EMU_JSON")

    # Both tools run in the same clean environment: a temporary HOME and XDG
    # folders (no AWS files, no app settings, a fresh export store), the key in
    # environment variables only, the Region from AWS_DEFAULT_REGION.
    local home=$work/cli-home
    mkdir -p "$home/config" "$home/data" "$home/cache"
    # A year of one QA team's exports, for export-history.
    local history=$home/history.sqlite
    "$bin/gls-bench-cli" seed-store --path "$history" --rows "$history_rows"
    (
        unset AWS_PROFILE AWS_REGION AWS_CA_BUNDLE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_GAMELIFTSTREAMS AWS_SESSION_TOKEN \
            AWS_MAX_ATTEMPTS
        export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
        export AWS_CONFIG_FILE=$home/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$home/no-aws-credentials
        export AWS_ACCESS_KEY_ID=${GLS_EMULATOR_ACCESS_KEYS%%:*}
        AWS_SECRET_ACCESS_KEY=${GLS_EMULATOR_ACCESS_KEYS#*:}
        export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY%%:*}
        export AWS_DEFAULT_REGION=us-west-2 AWS_PAGER= GLS_EXPORT_STORE=$home/exports.sqlite
        ours_common=(--endpoint-url "$url" --ca-bundle "$ca")
        aws_common=(--endpoint-url "$url" --ca-bundle "$ca" --output json)

        # Warm-up (repetition 0, not counted): the page cache holds both
        # programs and their libraries; it also finds a session to look at.
        cli_created=0
        cli_measure list ours 0 "$bin/gls-exporter-cli" "${ours_common[@]}" sessions --json
        line=$(tail -n1 "$raw")
        group=$(sed -nE 's/.*"firstGroup":"([^"]*)".*/\1/p' <<<"$line")
        session=$(sed -nE 's/.*"firstSession":"([^"]*)".*/\1/p' <<<"$line")
        [ -n "$group" ] && [ -n "$session" ] || { echo "bench.sh: the warm-up listing holds no session" >&2; exit 1; }
        cli_repetition 0 aws ours
        for rep in $(seq "$reps"); do
            if [ $((rep % 2)) = 1 ]; then cli_repetition "$rep" ours aws; else cli_repetition "$rep" aws ours; fi
            echo "  rep $rep: $(grep '"kind":"run"' "$raw" | grep "\"rep\":$rep[,}]" \
                | sed -E 's/.*"scenario":"([a-z-]+)","tool":"([a-z]+)".*"wallMs":([0-9]+).*/\2 \1 \3 ms/' | paste -sd, -)" >&2
        done

        # The listing again with every answer $latency_ms ms late, as over a network (not a goal of issue 8:
        # on loopback the round trip is free, and a real one is not).
        curl -sS --cacert "$ca" -X PUT -H 'content-type: application/json' \
            -d "{\"delayMs\":$latency_ms,\"delayFraction\":1}" "$url/_emulator/faults" >/dev/null
        expect=$((sessions + cli_created))
        for rep in $(seq "$reps"); do
            if [ $((rep % 2)) = 1 ]; then order=(ours aws); else order=(aws ours); fi
            for tool in "${order[@]}"; do
                case $tool in
                    ours) cli_measure list-latency ours "$rep" "$bin/gls-exporter-cli" "${ours_common[@]}" sessions --json ;;
                    aws) cli_measure list-latency aws "$rep" "$aws_bin" gameliftstreams list-stream-sessions-by-account \
                             --page-size 100 "${aws_common[@]}" ;;
                esac
            done
            echo "  rep $rep, each answer $latency_ms ms late: $(grep '"scenario":"list-latency"' "$raw" | grep '"kind":"run"' \
                | grep "\"rep\":$rep[,}]" | sed -E 's/.*"tool":"([a-z]+)".*"wallMs":([0-9]+).*/\1 \2 ms/' | paste -sd, -)" >&2
        done
        curl -sS --cacert "$ca" -X DELETE "$url/_emulator/faults" >/dev/null
    )
    emulator_stop

    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$bin/gls-bench-cli" report --input "$raw" --markdown "$out/cli.md" --json "$out/cli.json"
    echo "== cli: wrote $out/cli.md and $out/cli.json" >&2
}

# ---- sigv4: SigV4 signatures per second on one core, botocore's signer beside it ----
bench_sigv4() {
    local raw=$work/sigv4.jsonl scen=$work/sigv4-scenarios.jsonl b=$bin/gls-bench-sigv4 rep peer
    local py=$here/bench/botocore_sigv4.py seconds=${BENCH_SIGV4_SECONDS:-0.3} have_peer=0
    "$b" scenarios >"$scen"
    # The botocore already installed, if any: nothing is installed for it.
    peer=$(python3 "$py" peer 2>/dev/null) \
        || peer='{"kind":"peer","impl":"botocore","available":false,"reason":"python3 could not run bench/botocore_sigv4.py"}'
    if printf '%s' "$peer" | grep -q '"available": true'; then have_peer=1; fi
    bench_meta repetitions "$reps" secondsPerFigure "$seconds" >"$raw"
    printf '%s\n' "$peer" >>"$raw"
    if [ "$have_peer" = 1 ]; then
        echo "== sigv4: cross-check, our Authorization vs botocore's, fixed time and key" >&2
        python3 "$py" check "$scen" >"$work/sigv4-botocore.jsonl"
        if ! "$b" check --botocore "$work/sigv4-botocore.jsonl" >>"$raw"; then
            echo "bench.sh: sigv4: our signatures differ from botocore's (above); no figures" >&2
            return 1
        fi
    else
        echo "bench.sh: sigv4: the peer is missing: $peer" >&2
    fi
    echo "== sigv4: $reps x (gls-bench-sigv4, botocore) alternating, ${seconds} CPU-s per figure" >&2
    for rep in $(seq "$reps"); do
        "$b" run --seconds "$seconds" --rep "$rep" >>"$raw"
        if [ "$have_peer" = 1 ]; then
            python3 "$py" run "$scen" --seconds "$seconds" --rep "$rep" >>"$raw"
        fi
    done
    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$b" report --input "$raw" --markdown "$out/sigv4.md" --json "$out/sigv4.json"
    echo "== sigv4: wrote $out/sigv4.md and $out/sigv4.json" >&2
}

# ---- download: a 1 GiB archive through our own code (the CLI's `download`, the desktop app's ExportCoordinator) vs curl ----
# download_cli REP OBJECT ENDPOINT_URL CA: `gls-exporter-cli download` under
# gls-bench-run (wall time, CPU, peak RSS), the file's size added to its line.
download_cli() {
    local rep=$1 object=$2 url=$3 ca=$4 line size file=$dir/$2.zip
    line=$("$bin/gls-bench-run" --tag client=cli --tag object="$object" --tag rep="$rep" -- \
        "$bin/gls-exporter-cli" download "s3://gls-exports/bench/$object.zip" --to "$dir" --overwrite \
        --s3-endpoint-url "$url" --ca-bundle "$ca") \
        || { echo "bench.sh: gls-exporter-cli download of $object.zip failed (repetition $rep)" >&2; return 1; }
    size=$(stat -c %s "$file" 2>/dev/null || echo -1)
    printf '%s,"fileBytes":%s}\n' "${line%\}}" "$size" >>"$raw"
    [ "$object" = tiny ] || download_say "$rep" gls-exporter-cli "$line" "$size"
    if [ "$rep" = 1 ] && [ "$object" = big ]; then
        echo "{\"kind\":\"sha256\",\"client\":\"cli\",\"sha256\":\"$(sha256sum "$file" | cut -d' ' -f1)\"}" >>"$raw"
    fi
    rm -f "$file"
}

# download_say REP WHO RUN_LINE BYTES: one line of progress on stderr.
download_say() {
    local ms
    ms=$(sed -nE 's/.*"wallMs":([0-9.]+).*/\1/p' <<<"$3")
    awk -v r="$1" -v w="$2" -v ms="$ms" -v b="$4" \
        'BEGIN { printf "  rep %s, %s: %.2f s, %.0f MB/s, exit to exit\n", r, w, ms / 1000, b / ms / 1000 }' >&2
}

download_curl() {
    local rep=$1 line size file=$dir/curl-big.zip
    line=$("$bin/gls-bench-run" --tag client=curl --tag object=big --tag rep="$rep" -- \
        curl -sS --fail --cacert "$ca" -o "$file" "$presigned") \
        || { echo "bench.sh: curl failed (repetition $rep)" >&2; return 1; }
    size=$(stat -c %s "$file" 2>/dev/null || echo -1)
    printf '%s,"fileBytes":%s}\n' "${line%\}}" "$size" >>"$raw"
    download_say "$rep" curl "$line" "$size"
    if [ "$rep" = 1 ]; then
        echo "{\"kind\":\"sha256\",\"client\":\"curl\",\"sha256\":\"$(sha256sum "$file" | cut -d' ' -f1)\"}" >>"$raw"
    fi
    rm -f "$file"
}

download_app() {
    local rep=$1
    "$bin/gls-bench-download" inproc --endpoint "$big_json" --bucket gls-exports --key bench/big.zip \
        --to "$dir/app" --via "${BENCH_DOWNLOAD_VIA:-coordinator}" --tag rep="$rep" >>"$raw" \
        || { echo "bench.sh: the in-process download failed (repetition $rep)" >&2; return 1; }
    rm -rf "$dir/app"
}

bench_download() {
    local raw=$work/download.jsonl rep order client
    local args=(--seed 42 --sessions 0 --groups 1 --regions us-west-2 --rate-limit 0 --archive-size "$archive_bytes")
    local tiny_args=(--seed 42 --sessions 0 --groups 1 --regions us-west-2 --rate-limit 0 --archive-size 4096)
    local dir=$work/download big_json tiny_json tiny_pid url ca tiny_url tiny_ca presigned
    mkdir -p "$dir"
    bench_meta repetitions "$reps" archiveBytes "$archive_bytes" emulatorArgs "$(json_string "${args[*]}")" \
        tinyEmulatorArgs "$(json_string "${tiny_args[*]}")" \
        disk "$(json_string "$(df -h --output=source,fstype,avail "$dir" | tail -n1 | tr -s ' ')")" \
        curl "$(json_string "$(curl --version | head -n1)")" >"$raw"

    echo "== download: $archive_bytes-byte archive, $reps x (gls-exporter-cli, curl, desktop app's path) in turns" >&2
    # The baseline for the CLI's memory: the same command on a 4 KiB archive, from an emulator of its own.
    emulator_start "$work/download-tiny" "${tiny_args[@]}"
    tiny_json=$EMU_JSON tiny_pid=$EMU_PID
    "$bin/gls-bench-emulator" archive-prepare --endpoint "$tiny_json" --bucket gls-exports --key bench/tiny.zip >/dev/null
    emulator_start "$work/download-big" "${args[@]}"
    big_json=$EMU_JSON
    "$bin/gls-bench-emulator" archive-prepare --endpoint "$big_json" --bucket gls-exports --key bench/big.zip >>"$raw"
    url=$(sed -nE 's/.*"s3":"([^"]*)".*/\1/p' "$big_json")
    ca=$(sed -nE 's/.*"caCertificate":"([^"]*)".*/\1/p' "$big_json")
    tiny_url=$(sed -nE 's/.*"s3":"([^"]*)".*/\1/p' "$tiny_json")
    tiny_ca=$(sed -nE 's/.*"caCertificate":"([^"]*)".*/\1/p' "$tiny_json")
    (
        # The CLI in a clean environment (as in bench_cli): a temporary HOME, no
        # AWS files, the key in environment variables only.
        local home=$work/download-home
        mkdir -p "$home/config" "$home/data" "$home/cache"
        unset AWS_PROFILE AWS_REGION AWS_CA_BUNDLE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_SESSION_TOKEN AWS_MAX_ATTEMPTS
        export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
        export AWS_CONFIG_FILE=$home/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$home/no-aws-credentials
        export AWS_ACCESS_KEY_ID=${GLS_EMULATOR_ACCESS_KEYS%%:*}
        AWS_SECRET_ACCESS_KEY=${GLS_EMULATOR_ACCESS_KEYS#*:}
        export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY%%:*}
        export AWS_DEFAULT_REGION=us-west-2 GLS_EXPORT_STORE=$home/exports.sqlite
        # curl's URL from our own `presign`.
        presigned=$("$bin/gls-exporter-cli" presign s3://gls-exports/bench/big.zip --expires 3600 \
            --s3-endpoint-url "$url" --ca-bundle "$ca")
        # Warm-up, not counted: the page cache holds the programs and their libraries.
        download_cli 0 tiny "$tiny_url" "$tiny_ca"
        for rep in $(seq "$reps"); do
            # Each repetition starts with another client, so none always follows the same one.
            case $(( rep % 3 )) in
                1) order=(cli curl app) ;;
                2) order=(curl app cli) ;;
                0) order=(app cli curl) ;;
            esac
            download_cli "$rep" tiny "$tiny_url" "$tiny_ca"
            for client in "${order[@]}"; do
                case $client in
                    cli) download_cli "$rep" big "$url" "$ca" ;;
                    curl) download_curl "$rep" ;;
                    app) download_app "$rep" ;;
                esac
            done
        done
    )
    emulator_stop
    EMU_PID=$tiny_pid
    emulator_stop

    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$bin/gls-bench-download" report --input "$raw" --markdown "$out/download.md" --json "$out/download.json"
    echo "== download: wrote $out/download.md and $out/download.json" >&2
}

# ---- tracker: requests to follow pending exports, counted by the emulator, against naive polling ----
# tracker_lane NAME GROUPS RUN...: one emulator with GROUPS stream groups and,
# one after another, each RUN ("EXPORTS REP"); JSON lines to $work/tracker-NAME.jsonl.
tracker_lane() {
    local name=$1 groups=$2 run n rep
    shift 2
    # This lane's own emulator only: the parent's clean-up does not see it.
    trap '[ -z "${EMU_PID:-}" ] || kill -TERM "$EMU_PID" 2>/dev/null || true' EXIT
    emulator_start "$work/tracker-$name" "${tracker_args[@]}" --groups "$groups"
    for run in "$@"; do
        read -r n rep <<<"$run"
        "$bin/gls-bench-tracker" run --endpoint "$EMU_JSON" --exports "$n" --speedup "$speedup" \
            --store "$work/tracker-store-$name" --tag rep="$rep" >>"$work/tracker-$name.jsonl"
    done
    emulator_stop
    EMU_PID=
}

bench_tracker() {
    local raw=$work/tracker.jsonl speedup=${BENCH_TRACKER_SPEEDUP:-100} rep lane pids=() failed=0 runs200=()
    # Time runs 4x in the emulator: an archive lands 0.5 s after its session
    # ends; a running session ends by itself only after minutes.
    local tracker_args=(--seed 42 --sessions 0 --regions us-west-2 --rate-limit 0 --time-scale 4 --archive-size 2048)
    bench_meta repetitions "$reps" speedup "$speedup" emulatorArgs "$(json_string "${tracker_args[*]} --groups GROUPS")" >"$raw"
    # The issue's case (200 exports in 5 groups) $reps times; the scaling
    # points once each. A run is counted, not timed (requests per minute of
    # the tracker's clock, from the emulator's counters), and waits on its
    # exports most of the time, so the four lanes run side by side, each with
    # its own emulator: 2.2 minutes one after another, under one this way.
    echo "== tracker: $reps x 200 exports in 5 groups; once each 50 and 400 in 5 groups, 200 in 10 and in 20;" \
        "tracker time ${speedup}x, four lanes side by side" >&2
    for rep in $(seq "$reps"); do runs200+=("200 $rep"); done
    tracker_lane issue 5 "${runs200[@]}" & pids+=($!)
    tracker_lane exports 5 "50 1" "400 1" & pids+=($!)
    tracker_lane groups10 10 "200 1" & pids+=($!)
    tracker_lane groups20 20 "200 1" & pids+=($!)
    for lane in "${pids[@]}"; do
        wait "$lane" || failed=1
    done
    [ "$failed" = 0 ] || { echo "bench.sh: a tracker lane failed (above)" >&2; return 1; }
    for lane in issue exports groups10 groups20; do
        cat "$work/tracker-$lane.jsonl" >>"$raw"
    done
    echo "{\"kind\":\"meta\",\"loadAverageAtEnd\":$(json_string "$(cut -d' ' -f1-3 /proc/loadavg)")}" >>"$raw"
    "$bin/gls-bench-tracker" report --input "$raw" --markdown "$out/tracker.md" --json "$out/tracker.json"
    echo "== tracker: wrote $out/tracker.md and $out/tracker.json" >&2
}

for name in "${only[@]}"; do
    "bench_$name"
done
for name in "${only[@]}"; do
    cat "$out/$name.md"
done
