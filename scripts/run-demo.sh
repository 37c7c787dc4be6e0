#!/usr/bin/env bash
# Builds the product and runs it against gls-emulator, a local Amazon GameLift
# Streams + S3, with demo data and the demo key (no AWS account needed).
#
# First a guided export with gls-exporter-cli: list the stream groups and the
# connected sessions, export one session's files, end the session (terminate
# --yes), wait for SUCCEEDED and download the ZIP (export --wait --download),
# list what is inside. Then, when a display is available ($DISPLAY or
# $WAYLAND_DISPLAY), the desktop app: gls-exporter --demo (its own emulator).
#
#   scripts/run-demo.sh            the walk-through, then the desktop app (or keep the emulator up, headless)
#   scripts/run-demo.sh --no-wait  the walk-through only, then stop (never starts the GUI)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. scripts/lib/deps.sh
ensure_packages

build=${BUILD_DIR:-$here/build}
cmake -S "$here" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target gls-emulator gls-exporter-cli gls-exporter

wait_at_end=1
[ "${1:-}" = "--no-wait" ] && wait_at_end=0

demo_dir=${GLS_DEMO_DIR:-$here/build/demo}
mkdir -p "$demo_dir"
# Demo credentials: they open only this local emulator, never AWS.
export AWS_ACCESS_KEY_ID=AKIAGLSEMULATORDEMO1
export AWS_SECRET_ACCESS_KEY=gls-emulator-demo-secret-not-an-aws-key
export AWS_DEFAULT_REGION=us-west-2
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_ENDPOINT_URL AWS_MAX_ATTEMPTS || true

endpoints="$demo_dir/endpoints.json"
rm -f "$endpoints"
# One emulated minute per real second, so sessions end while you watch.
# A fresh demo account each run: at 60x, a saved one has aged an hour a minute.
rm -rf "$demo_dir/emulator"
"$build/bin/gls-emulator" --data-dir "$demo_dir/emulator" --time-scale 60 --arrivals-per-hour 6 --archive-size 4194304 \
    --sessions 200 --groups 6 >"$endpoints" 2>"$demo_dir/emulator.log" &
emu_pid=$!
trap 'kill -TERM $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    [ -s "$endpoints" ] && break
    kill -0 $emu_pid 2>/dev/null || { cat "$demo_dir/emulator.log" >&2; exit 1; }
    sleep 0.1
done
json() { python3 -c "import json,sys; print(json.load(open('$endpoints'))['$1'])"; }
gl=$(json gameliftstreams)
s3=$(json s3)
ca=$(json caCertificate)
cat <<MSG

gls-emulator is running (state in $demo_dir/emulator).
  GameLift Streams: $gl
  S3:               $s3
  CA certificate:   $ca
  Demo key:         AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID (secret in this script; it opens only the emulator)

MSG

# gls-exporter-cli reads the endpoints and the emulator's CA the AWS way.
export AWS_ENDPOINT_URL_GAMELIFTSTREAMS=$gl AWS_ENDPOINT_URL_S3=$s3 AWS_CA_BUNDLE=$ca
# The demo's exports are recorded in its own store, never in the user's.
export GLS_EXPORT_STORE="$demo_dir/exports.sqlite"
rm -f "$GLS_EXPORT_STORE" "$GLS_EXPORT_STORE-wal" "$GLS_EXPORT_STORE-shm"
cli_bin="$build/bin/gls-exporter-cli"
cli() {
    echo "\$ gls-exporter-cli $*" >&2
    "$cli_bin" "$@"
}

echo "== Stream groups"
cli groups
echo
echo "== Connected stream sessions (the first ten)"
cli sessions --status CONNECTED | head -n 11 || true
session=$("$cli_bin" sessions --status CONNECTED --json |
    python3 -c 'import json,sys; s=json.load(sys.stdin)["streamSessions"]; print(s[0]["arn"] if s else "")')
if [ -z "$session" ]; then
    echo "(No CONNECTED session right now: the emulator makes one.)"
    group_id=$("$cli_bin" groups --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["streamGroups"][0]["id"])')
    session_id=$(curl -sf --cacert "$ca" -X POST -d "{\"streamGroupId\": \"$group_id\", \"status\": \"CONNECTED\"}" \
        "$gl/_emulator/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["streamSessionId"])')
    session="streamsession/$group_id/$session_id"
fi
group=$(echo "$session" | cut -d/ -f2)
id=${session##*/}
downloads="$demo_dir/downloads"
echo
echo "== Exporting the files of $id; the ZIP is written when the session ends"
cli export --group "$group" --session "$id" --output "s3://gls-exports/demo/$id.zip" \
    --download "$downloads" --overwrite &
export_pid=$!
# Once the service holds the export (PENDING), end the session.
for _ in $(seq 1 100); do
    status=$("$cli_bin" session --group "$group" --session "$id" --json |
        python3 -c 'import json,sys; e=json.load(sys.stdin)["export"]; print(e["status"] if e else "")')
    [ "$status" = "PENDING" ] && break
    kill -0 $export_pid 2>/dev/null || break
    sleep 0.2
done
echo
echo "== Ending the session, so the ZIP is written"
cli terminate --group "$group" --session "$id" --yes
wait $export_pid
echo
echo "== Inside $downloads/$id.zip (crash dumps and logs first)"
cli archive ls "$downloads/$id.zip" | head -30
echo
echo "== The export store remembers it"
cli exports list

if [ $wait_at_end -eq 1 ]; then
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        # The desktop app starts its own emulator (demo key in-process, temporary data).
        kill -TERM $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null || true
        unset AWS_ENDPOINT_URL_GAMELIFTSTREAMS AWS_ENDPOINT_URL_S3 AWS_CA_BUNDLE
        echo
        echo "== The desktop app: gls-exporter --demo (close the window to stop)"
        "$build/bin/gls-exporter" --demo
    else
        echo
        echo "No display, so no desktop app. The emulator keeps running; press Ctrl+C to stop it."
        wait $emu_pid
    fi
fi
