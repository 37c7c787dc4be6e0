#!/usr/bin/env bash
# Builds the product and runs it against gls-emulator, a local Amazon GameLift
# Streams + S3, with demo data and the demo key (no AWS account needed).
#
# Until the desktop app lands, the demo is the emulator plus a guided export
# driven by the AWS CLI when it is installed: list, export, end the session,
# wait for SUCCEEDED, download the ZIP and list what is inside.
#
#   scripts/run-demo.sh            run the walk-through, then keep the emulator up
#   scripts/run-demo.sh --no-wait  run the walk-through and stop
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
. scripts/lib/deps.sh
ensure_packages

build=${BUILD_DIR:-$here/build}
cmake -S "$here" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target gls-emulator

wait_at_end=1
[ "${1:-}" = "--no-wait" ] && wait_at_end=0

demo_dir=${GLS_DEMO_DIR:-$here/build/demo}
mkdir -p "$demo_dir"
# Demo credentials: they open only this local emulator, never AWS.
export AWS_ACCESS_KEY_ID=AKIAGLSEMULATORDEMO1
export AWS_SECRET_ACCESS_KEY=gls-emulator-demo-secret-not-an-aws-key
export AWS_DEFAULT_REGION=us-west-2
unset AWS_SESSION_TOKEN AWS_PROFILE || true

endpoints="$demo_dir/endpoints.json"
rm -f "$endpoints"
# One emulated minute per real second, so sessions end while you watch.
"$build/bin/gls-emulator" --data-dir "$demo_dir/emulator" --time-scale 60 --archive-size 4194304 \
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

if command -v aws >/dev/null 2>&1 && aws gameliftstreams help >/dev/null 2>&1; then
    awsgl() { aws gameliftstreams "$@" --endpoint-url "$gl" --ca-bundle "$ca"; }
    echo "== Stream groups"
    awsgl list-stream-groups --query 'Items[].[Id,Status,Description]' --output table
    session=$(awsgl list-stream-sessions-by-account --status CONNECTED --max-items 1 \
        --query 'Items[0].Arn' --output text | head -n 1)
    group=$(echo "$session" | cut -d/ -f2)
    echo "== Exporting the files of $session"
    awsgl export-stream-session-files --identifier "$group" --stream-session-identifier "$session" \
        --output-uri "s3://gls-exports/demo/"
    echo "== Ending the session, so the ZIP is written"
    awsgl terminate-stream-session --identifier "$group" --stream-session-identifier "$session"
    for _ in $(seq 1 60); do
        status=$(awsgl get-stream-session --identifier "$group" --stream-session-identifier "$session" \
            --query 'ExportFilesMetadata.Status' --output text)
        echo "   export status: $status"
        [ "$status" = "PENDING" ] || break
        sleep 1
    done
    uri=$(awsgl get-stream-session --identifier "$group" --stream-session-identifier "$session" \
        --query 'ExportFilesMetadata.OutputUri' --output text)
    echo "== Archive at $uri"
    key=${uri#s3://gls-exports/}
    mkdir -p "$demo_dir/downloads"
    aws s3api get-object --bucket gls-exports --key "$key" "$demo_dir/downloads/$(basename "$key")" \
        --endpoint-url "$s3" --ca-bundle "$ca" --query '[ContentLength,ETag]' --output text
    unzip -l "$demo_dir/downloads/$(basename "$key")" | head -30
else
    echo "(No AWS CLI with gameliftstreams here: skipping the guided export.)"
fi

if [ $wait_at_end -eq 1 ]; then
    echo
    echo "The emulator keeps running; press Ctrl+C to stop it."
    wait $emu_pid
fi
