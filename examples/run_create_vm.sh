#!/bin/sh
# Runs examples/create_vm.yaml against the stub cloud (examples/stub_cloud.py)
# started on a free loopback port, then stops it.
#   examples/run_create_vm.sh [path/to/bora]
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BORA=${1:-bora}
PORT_FILE=$(mktemp)
python3 "$HERE/stub_cloud.py" 0 >"$PORT_FILE" &
STUB=$!
trap 'kill $STUB 2>/dev/null; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 50); do grep -q "stub cloud on" "$PORT_FILE" && break; sleep 0.1; done
URL=$(sed -n 's/^stub cloud on //p' "$PORT_FILE")
"$BORA" run "$HERE/create_vm.yaml" vm_name=demo cloud_url="$URL"
