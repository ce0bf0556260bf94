#!/usr/bin/env bash
# Two or more verbatimd builds under the same load, alternating, to compare them when the
# machine's speed drifts from one minute to the next (docs/PERFORMANCE.md).
#
#   tools/ab-rpc.sh CONNECTIONS PIPELINE ROUNDS VERBATIMD...
#
# Each round starts each binary in turn (round N with the Nth, in a cycle), pinned to CPU 0
# with one event loop, on the bench store, loads it from CPU 1 with `verbatim-bench rpc`
# (GetParagraph, uniform keys, --warmup 2, --duration 6), stops it, and prints its rate,
# p99 and its CPU time per request: user + system time from /proc/PID/stat over the run,
# warm-up included, divided by every request of the run, then user and system time apart.
#
# Environment: VERBATIM_BENCH_DB (default /tmp/verbatim-bench-store; tools/bench-store.sh
# makes it), VERBATIM_BENCH_SCRATCH (where verbatim-bench is built; default
# .build-bench), VERBATIM_AB_CLIENT=lean to load with tools/lean-client.c instead
# (unpipelined only; built with cc, its keys listed by `verbatim-bench rpc --print-key-file`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 4 ]]; then
    echo "usage: tools/ab-rpc.sh CONNECTIONS PIPELINE ROUNDS VERBATIMD..." >&2
    exit 2
fi
CONNECTIONS=$1 PIPELINE=$2 ROUNDS=$3
shift 3
DB=${VERBATIM_BENCH_DB:-/tmp/verbatim-bench-store}
BENCH=${VERBATIM_BENCH_SCRATCH:-.build-bench}/release/verbatim-bench
DURATION=6 WARMUP=2
PID=
WORK=$(mktemp -d /tmp/verbatim-ab-rpc.XXXXXX)
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
LEAN=
if [[ "${VERBATIM_AB_CLIENT:-bench}" == lean ]]; then
    [[ "$PIPELINE" == 1 ]] || { echo "error: lean-client.c does not pipeline" >&2; exit 2; }
    LEAN="$WORK/lean-client"
    "${CC:-cc}" -O2 -o "$LEAN" tools/lean-client.c
    "$BENCH" rpc --db "$DB" --print-key-file >"$WORK/keys"
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
BINS=("$@")
for round in $(seq "$ROUNDS"); do
    # Each round starts with the next binary, so that none always goes first.
    for i in $(seq 0 $((${#BINS[@]} - 1))); do
        bin=${BINS[$(((round - 1 + i) % ${#BINS[@]}))]}
        port=$(free_port)
        taskset -c 0 "$bin" --db "$DB" --port "$port" --threads 1 --log-level error >/dev/null 2>&1 &
        PID=$!
        for _ in $(seq 100); do
            python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null && break
            sleep 0.05
        done
        before=$(awk '{print $14, $15}' "/proc/$PID/stat")
        if [[ -n "$LEAN" ]]; then
            json=$(taskset -c 1 "$LEAN" verbatim "$port" "$WORK/keys" "$DURATION" "$WARMUP" "$CONNECTIONS" |
                awk '{ printf "{\"requestsPerSecond\": %s, \"p99us\": %s, \"allRequests\": %s}", $1, $3, $6 }')
        else
            json=$(taskset -c 1 "$BENCH" rpc --db "$DB" --port "$port" --connections "$CONNECTIONS" --pipeline "$PIPELINE" \
                --duration "$DURATION" --warmup "$WARMUP" --json)
        fi
        after=$(awk '{print $14, $15}' "/proc/$PID/stat")
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        PID=
        python3 - "$json" "$before" "$after" "$(getconf CLK_TCK)" "$round" "$bin" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
(u0, s0), (u1, s1) = (map(int, a.split()) for a in sys.argv[2:4])
per = 1e6 / int(sys.argv[4]) / o["allRequests"]
user, system = (u1 - u0) * per, (s1 - s0) * per
print(f"round {sys.argv[5]}  {sys.argv[6]}: {o['requestsPerSecond']:,.0f} requests/s, p99 {o['p99us']:.1f} µs, "
      f"server CPU {user + system:.2f} µs/request ({user:.2f} user + {system:.2f} system)")
PY
    done
done
