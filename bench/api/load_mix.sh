#!/bin/sh
# The API under the hostile load mix of issue 12: 200 concurrent connections
# for BORA_MIX_SECONDS (default 30), 40 % creates of a 3-task workflow, 30 %
# filtered lists, 30 % gets by id, driven by wrk (Debian package wrk) against
# `bora server` on a loopback port with its database in a temporary folder
# (SQLite, synchronous=FULL). Prints wrk's latency distribution and the
# executions per second that were created and finished.
# BORA_MIX_CREATE_PERCENT=100: only creates (200 clients creating executions).
#   bench/api/load_mix.sh [BUILD_DIR]
set -eu
BUILD=${1:-build}
SECONDS_=${BORA_MIX_SECONDS:-30}
CONNS=${BORA_MIX_CONNECTIONS:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
BORA=$(cd "$BUILD" && pwd)/src/cli/bora
command -v wrk >/dev/null || { echo "load_mix: needs wrk (apt-get install wrk)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
"$BORA" server --port 0 --db "sqlite:///$TMP/bora.db" --log-level warning >"$TMP/out" 2>"$TMP/err" &
PID=$!
i=0
until grep -q "listening on" "$TMP/out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "load_mix: server did not start" >&2; cat "$TMP/err" >&2; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/v2.*/\1/p' "$TMP/out" | head -1)
curl -sf -o /dev/null -X POST -H 'Content-Type: text/plain' --data-binary @- "$URL/v2/workflows" <<'YAML'
version: '2.0'
load_mix_wf:
  tasks:
    a:
      action: std.noop
      on-success: [b]
    b:
      action: std.echo output=<% 1 + 1 %>
      on-success: [c]
    c:
      action: std.noop
YAML
for n in $(seq 1 50); do
  curl -sf -X POST -H 'Content-Type: application/json' -d '{"workflow_name": "load_mix_wf"}' \
    "$URL/v2/executions" | grep -o '"id": "[^"]*"' | head -1 | cut -d'"' -f4
done >"$TMP/ids"
export BORA_MIX_IDS="$TMP/ids"
echo "load_mix: $CONNS connections for ${SECONDS_}s against $URL (${BORA_MIX_CREATE_PERCENT:-40}% create, the rest filtered lists and gets)"
wrk -t2 -c"$CONNS" -d"${SECONDS_}s" --timeout 30s --latency -s "$HERE/mix.lua" "$URL" | tee "$TMP/wrk"
sleep 2
done_=$(sqlite3 "$TMP/bora.db" "select count(*) from workflow_executions_v2 where state='SUCCESS'" 2>/dev/null || echo "?")
all=$(sqlite3 "$TMP/bora.db" "select count(*) from workflow_executions_v2" 2>/dev/null || echo "?")
echo "load_mix: executions stored $all, succeeded $done_ (2 s after the run); $(awk -v a="$all" -v s="$SECONDS_" 'BEGIN{if (a ~ /^[0-9]+$/) printf "%.0f executions/s created", a/s}')"
