#!/usr/bin/env bash
# The daemon under load (issue: daemon), beside Redis GET.
#
# Starts verbatimd (release, one event-loop thread) on the bench store and a local
# redis-server on free ports, both pinned to CPU $SERVER_CPU; loads Redis with one key per
# stored paragraph, each value that paragraph's ParagraphAnswer; then, pinned to
# CPU $CLIENT_CPU, runs `verbatim-bench rpc` (GetParagraph, uniform keys), the same client
# against Redis (`verbatim-bench rpc --redis`: GET of the same key indexes), and
# `redis-benchmark -t get` with the same keys, connections and pipeline depth:
# 1 connection unpipelined, 50 unpipelined, 50 with pipeline 16; unpipelined, also
# tools/lean-client.c, a client in plain C, against both servers. Reads the daemon's
# VmRSS, RssAnon and RssFile from /proc during the 50-connection runs. Stops what it
# started. Installs redis-server and redis-tools with apt-get when missing.
#
#   tools/bench-rpc.sh
#
# Environment:
#   VERBATIM_BENCH_DB        store (default /tmp/verbatim-bench-store; tools/bench-store.sh makes it)
#   VERBATIM_BENCH_SCRATCH   SwiftPM scratch path (default .build-bench)
#   VERBATIM_BENCH_NO_BUILD=1  skip the build
#   VERBATIM_BENCH_SERVER_CPU / VERBATIM_BENCH_CLIENT_CPU   taskset CPUs (default 0 / 1)
#   VERBATIM_BENCH_PIN=0     "as deployed" instead: nothing pinned, verbatimd with its default
#                            event-loop threads (one per core), redis-server as it comes
#   VERBATIM_BENCH_DURATION  measured seconds per verbatim run (default 10; warm-up 2)
#   VERBATIM_BENCH_ROUNDS    rounds of all configurations (default 3)
#   VERBATIM_BENCH_CONFIGS   "connections pipeline" pairs, ';'-separated (default "1 1;50 1;50 16")
set -euo pipefail

cd "$(dirname "$0")/.."
DB=${VERBATIM_BENCH_DB:-/tmp/verbatim-bench-store}
SCRATCH=${VERBATIM_BENCH_SCRATCH:-.build-bench}
SERVER_CPU=${VERBATIM_BENCH_SERVER_CPU:-0}
CLIENT_CPU=${VERBATIM_BENCH_CLIENT_CPU:-1}
DURATION=${VERBATIM_BENCH_DURATION:-10}
WARMUP=2
ROUNDS=${VERBATIM_BENCH_ROUNDS:-3}
BIN="$SCRATCH/release"
PIN=${VERBATIM_BENCH_PIN:-1}
if [[ "$PIN" == 1 ]]; then
    ON_SERVER=(taskset -c "$SERVER_CPU")
    ON_CLIENT=(taskset -c "$CLIENT_CPU")
    THREADS=(--threads 1)
else
    ON_SERVER=()
    ON_CLIENT=()
    THREADS=()
fi
IFS=';' read -r -a CONFIGS <<<"${VERBATIM_BENCH_CONFIGS:-1 1;50 1;50 16}"

if [[ ! -f "$DB/data.mdb" ]]; then
    echo "error: no store at $DB; run tools/bench-store.sh first (it ingests the bulk file)" >&2
    exit 1
fi
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "== apt-get install redis-server redis-tools" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >&2
fi
if [[ "${VERBATIM_BENCH_NO_BUILD:-0}" != 1 ]]; then
    echo "== build (release, scratch path $SCRATCH)" >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatimd >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatim-bench >&2
fi

WORK=$(mktemp -d /tmp/verbatim-bench-rpc.XXXXXX)
VPID=
RPID=
cleanup() {
    [[ -n "$VPID" ]] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
    [[ -n "$RPID" ]] && kill "$RPID" 2>/dev/null && wait "$RPID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# The unpipelined configurations are also run with tools/lean-client.c, a client in plain
# C as light as redis-benchmark, against both servers; it reads the documents and their
# paragraph counts from a file.
LEAN="$WORK/lean-client"
"${CC:-cc}" -O2 -o "$LEAN" tools/lean-client.c
"$BIN/verbatim-bench" rpc --db "$DB" --print-key-file >"$WORK/lean-keys"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 200); do
        if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "error: nothing listens on port $1" >&2
    exit 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU time of a process so far, in clock ticks: user, then system.
ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
# Server CPU per request between two `ticks` ("U S"), over N requests: "total (user + system)" in µs.
per_request() {
    awk -v a="$1" -v b="$2" -v hz="$TICK" -v n="$3" 'BEGIN {
        split(a, x, " "); split(b, y, " "); u = (y[1] - x[1]) / hz * 1e6 / n; s = (y[2] - x[2]) / hz * 1e6 / n
        printf "%.1f (%.1f + %.1f)", u + s, u, s }'
}
rss() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$1/status"; }
# How much of the process's map of data.mdb is mapped in 2 MiB pages.
pmd() { awk '/data\.mdb$/ { f = 1; next } /^[0-9a-f]+-/ { f = 0 } f && /^FilePmdMapped:/ { printf "data.mdb in 2 MiB pages: %.1f MiB", $2 / 1024 }' "/proc/$1/smaps"; }

# Every run starts with the store's pages out of the page cache (posix_fadvise DONTNEED;
# clean pages only, nothing is lost): they come back through the maps of the daemon and
# of the client loading its keys, both advised to use huge pages (docs/OPERATIONS.md §7),
# instead of keeping whatever size an earlier ingest or reader left them at.
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$DB/data.mdb"

VPORT=$(free_port)
"${ON_SERVER[@]}" "$BIN/verbatimd" --db "$DB" --port "$VPORT" "${THREADS[@]}" --log-level error >"$WORK/verbatimd.out" 2>&1 &
VPID=$!
RPORT=$(free_port)
"${ON_SERVER[@]}" redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no \
    --protected-mode no --daemonize no --logfile "$WORK/redis.log" &
RPID=$!
wait_port "$VPORT"
wait_port "$RPORT"

read -r SIZE KEYS < <("$BIN/verbatim-bench" rpc --db "$DB" --print-key-stats)
# One key per paragraph, as redis-benchmark -r names them (key:%012d), each holding that
# paragraph's ParagraphAnswer: Redis serves the very bytes verbatimd answers with.
"$BIN/verbatim-bench" rpc --db "$DB" --print-redis-load | redis-cli -p "$RPORT" --pipe >"$WORK/redis-load.out"

echo "## Daemon under load beside Redis GET"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources 2>/dev/null || echo ' (with uncommitted changes under Sources)')$([[ "${VERBATIM_BENCH_NO_BUILD:-0}" == 1 ]] && echo ' (not rebuilt: the binaries may be of another commit)')"
echo "- $(redis-server --version | cut -d' ' -f1-3)"
echo "- store: $DB, data.mdb $(( $(stat -c %s "$DB/data.mdb") / 1048576 )) MiB; $KEYS paragraphs; median ParagraphAnswer $SIZE bytes"
echo "- Redis: $(redis-cli -p "$RPORT" dbsize) keys key:%012d, each value the ParagraphAnswer of one paragraph (the very bytes, median $SIZE); $(grep -o 'errors: [0-9]*, replies: [0-9]*' "$WORK/redis-load.out")"
if [[ "$PIN" == 1 ]]; then
    echo "- servers pinned to CPU $SERVER_CPU (verbatimd --threads 1, pid $VPID; redis-server, pid $RPID); clients pinned to CPU $CLIENT_CPU"
else
    echo "- nothing pinned: verbatimd with its default threads ($(nproc), one per core; pid $VPID), redis-server as it comes (pid $RPID), clients wherever the kernel puts them"
fi
echo "- verbatimd idle after start: $(rss "$VPID")"
echo
echo "\$ ${ON_SERVER[*]:+${ON_SERVER[*]} }$BIN/verbatimd --db $DB --port PORT ${THREADS[*]} --log-level error"
echo "\$ ${ON_CLIENT[*]:+${ON_CLIENT[*]} }$BIN/verbatim-bench rpc --db $DB --port PORT --connections C --pipeline P --duration $DURATION --warmup $WARMUP"
echo "\$ ${ON_CLIENT[*]:+${ON_CLIENT[*]} }redis-benchmark -p PORT -t get -d $SIZE -r $KEYS -c C -P P -n N   # N: about $DURATION s of verbatim's rate"
echo "\$ ${ON_CLIENT[*]:+${ON_CLIENT[*]} }lean-client verbatim PORT KEYFILE $DURATION $WARMUP C   # and: lean-client redis PORT $KEYS $DURATION $WARMUP C (unpipelined only)"
echo

echo "Server CPU µs/request: the server's user + system CPU time (/proc/PID/stat) over the whole run,"
echo "warm-up included, divided by every request of the run, then user and system time apart; it"
echo "depends far less on the other processes on the machine than the rates do."
echo
echo "| round | server | conns | pipeline | requests/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/request (user + system) | client CPU | load before |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
# One row: `verbatim-bench rpc` against the server PID on PORT, named NAME in the summary
# (extra arguments: --redis).
# Sets `rate` (the measured requests/s).
load_row() {
    local name=$1 label=$2 pid=$3 port=$4
    shift 4
    local t0 t1 out p50 p99 p999 cpu all
    before=$(load)
    t0=$(ticks "$pid")
    out=$("${ON_CLIENT[@]}" "$BIN/verbatim-bench" rpc --db "$DB" --port "$port" --connections "$C" \
        --pipeline "$P" --duration "$DURATION" --warmup "$WARMUP" --json "$@")
    t1=$(ticks "$pid")
    read -r rate p50 p99 p999 cpu all < <(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["requestsPerSecond"], r["p50us"], r["p99us"], r["p999us"], r["clientCPU"], r["allRequests"])' "$out")
    printf '| %d | %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %s | %.0f%% | %s |\n' \
        "$round" "$label" "$C" "$P" "$rate" "$p50" "$p99" "$p999" "$(per_request "$t0" "$t1" "$all")" \
        "$(awk -v c="$cpu" 'BEGIN { print c * 100 }')" "$before"
    echo "$C $P $round $name $rate $p99" >>"$ROWS"
}
# The daemon's row of one configuration, with its resident memory read in the middle of a
# 50-connection run. Sets `vrate`.
verbatim_row() {
    local sampler=
    if [[ $C == 50 ]]; then
        (sleep $((WARMUP + DURATION / 2)); echo "round $round, $C conns, pipeline $P: $(rss "$VPID") $(pmd "$VPID")" >>"$RSSLOG") &
        sampler=$!
    fi
    load_row verbatimd "verbatimd GetParagraph" "$VPID" "$VPORT"
    vrate=$rate
    [[ -n "$sampler" ]] && wait "$sampler"
    return 0
}
# One row of tools/lean-client.c (C connections, unpipelined) against the server PID:
# NAME, LABEL, PID, then the client's arguments before the durations.
lean_row() {
    local name=$1 label=$2 pid=$3 t0 t1 rate p50 p99 p999 measured all
    shift 3
    before=$(load)
    t0=$(ticks "$pid")
    read -r rate p50 p99 p999 measured all < <("${ON_CLIENT[@]}" "$LEAN" "$@" "$DURATION" "$WARMUP" "$C")
    t1=$(ticks "$pid")
    printf '| %d | %s | %d | 1 | %.0f | %.1f | %.1f | %.1f | %s | – | %s |\n' \
        "$round" "$label" "$C" "$rate" "$p50" "$p99" "$p999" "$(per_request "$t0" "$t1" "$all")" "$before"
    echo "$C 1 $round $name $rate $p99" >>"$ROWS"
}
lean_rows() {
    local v=(verbatimd-lean "verbatimd GetParagraph (lean-client.c)" "$VPID" verbatim "$VPORT" "$WORK/lean-keys")
    local r=(redis-lean "redis-server GET (lean-client.c)" "$RPID" redis "$RPORT" "$KEYS")
    if (( round % 2 == 1 )); then
        lean_row "${v[@]}"
        lean_row "${r[@]}"
    else
        lean_row "${r[@]}"
        lean_row "${v[@]}"
    fi
}
# Each run's configuration, round, server, rate and p99, for the summary at the end.
ROWS="$WORK/rows"
: >"$ROWS"
RSSLOG="$WORK/rss"
: >"$RSSLOG"
for round in $(seq "$ROUNDS"); do
    for config in "${CONFIGS[@]}"; do
        read -r C P <<<"$config"
        # The two servers take turns at going first, so that a drift of the machine's speed
        # within a round favours neither.
        if (( round % 2 == 1 )); then
            verbatim_row
            load_row redis "redis-server GET (verbatim-bench --redis)" "$RPID" "$RPORT" --redis
        else
            load_row redis "redis-server GET (verbatim-bench --redis)" "$RPID" "$RPORT" --redis
            verbatim_row
        fi

        n=$(awk -v r="$vrate" -v d="$DURATION" 'BEGIN { n = int(r * d); if (n < 10000) n = 10000; print n }')
        before=$(load)
        sampler=
        if [[ $C == 50 ]]; then
            (sleep $((DURATION / 2)); echo "round $round, $C conns, pipeline $P, redis-server: $(rss "$RPID")" >>"$RSSLOG") &
            sampler=$!
        fi
        TIMEFORMAT='%U %S %R'
        t0=$(ticks "$RPID")
        { time "${ON_CLIENT[@]}" redis-benchmark -p "$RPORT" -t get -d "$SIZE" -r "$KEYS" -c "$C" -P "$P" -n "$n" \
            >"$WORK/redis.out" 2>&1; } 2>"$WORK/redis.time"
        [[ -n "$sampler" ]] && wait "$sampler"
        t1=$(ticks "$RPID")
        tr '\r' '\n' <"$WORK/redis.out" >"$WORK/redis.txt"
        rps=$(awk '/throughput summary:/ { print $3 }' "$WORK/redis.txt")
        # latency summary (msec): avg min p50 p95 p99 max, on the line after its header
        read -r _ _ r50 _ r99 _ < <(awk '/avg +min +p50/ { getline; print; exit }' "$WORK/redis.txt")
        r999=$(awk '/% <= / { sub("%", "", $1); if ($1 + 0 >= 99.9) { print $3; exit } }' "$WORK/redis.txt")
        rcpu=$(awk '{ printf "%.0f", ($1 + $2) / $3 * 100 }' "$WORK/redis.time")
        printf '| %d | redis-server GET (redis-benchmark) | %d | %d | %.0f | %.1f | %.1f | %.1f | %s | %s%% | %s |\n' \
            "$round" "$C" "$P" "$rps" "$(awk -v x="$r50" 'BEGIN { print x * 1000 }')" \
            "$(awk -v x="$r99" 'BEGIN { print x * 1000 }')" "$(awk -v x="${r999:-0}" 'BEGIN { print x * 1000 }')" \
            "$(per_request "$t0" "$t1" "$n")" "$rcpu" "$before"
        echo "$C $P $round redis-benchmark $rps $(awk -v x="$r99" 'BEGIN { print x * 1000 }')" >>"$ROWS"
        if [[ $P == 1 ]]; then lean_rows; fi
    done
done
echo
echo "verbatimd beside Redis over the rounds. Rate ratio: verbatimd's requests/s over Redis's"
echo "in the same round (higher is better). p99 ratio: verbatimd's p99 over Redis's (lower is better)."
echo
python3 - "$ROWS" <<'SUMMARY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    c, p, rnd, server, rate, p99 = line.split()
    rows.setdefault((int(c), int(p)), {}).setdefault(int(rnd), {})[server] = (float(rate), float(p99))
print("| conns × pipeline | against | rounds | rate ratio: median (min–max) | rounds verbatimd ahead | p99 ratio: median (min–max) | rounds with p99 no worse |")
print("| --- | --- | ---: | --- | ---: | --- | ---: |")
for (c, p), rounds in rows.items():
    for ours, other, label in (("verbatimd", "redis", "Redis, same client (verbatim-bench)"),
                               ("verbatimd", "redis-benchmark", "redis-benchmark"),
                               ("verbatimd-lean", "redis-lean", "Redis, same client (lean-client.c)")):
        pairs = [(r[ours], r[other]) for r in rounds.values() if ours in r and other in r]
        rate = [v[0] / o[0] for v, o in pairs if o[0] > 0]
        tail = [v[1] / o[1] for v, o in pairs if o[1] > 0]
        if not rate or not tail:
            continue
        print(f"| {c} × {p} | {label} | {len(pairs)} | {statistics.median(rate):.2f}× ({min(rate):.2f}–{max(rate):.2f}) | "
              f"{sum(x >= 1 for x in rate)} of {len(rate)} | {statistics.median(tail):.2f}× ({min(tail):.2f}–{max(tail):.2f}) | "
              f"{sum(x <= 1 for x in tail)} of {len(tail)} |")
SUMMARY
echo
echo "Resident memory during the 50-connection runs (mapped file: data.mdb, $(( $(stat -c %s "$DB/data.mdb") / 1048576 )) MiB):"
echo
sed 's/^/    /' "$RSSLOG"
echo
echo "- load average after: $(load)"
