#!/usr/bin/env bash
# In-process read benchmark (issue: foundation).
#
# Builds release, makes sure a store holding the whole general-debate bulk file exists,
# then runs, in one process, random paragraph reads through the Swift store beside a
# plain C loop of mdb_get over the same keys (`verbatim-bench store`), and, as separate
# processes, "open the store and read the first paragraph" (`verbatim-bench store-open`),
# with the page cache warm, then with the store's data.mdb evicted before each run
# (posix_fadvise DONTNEED through python3; only that file is dropped).
#
#   tools/bench-store.sh                      # defaults: 2,000,000 reads, threads 1,2
#   tools/bench-store.sh --reads 500000       # extra arguments go to `verbatim-bench store`
#
# Environment:
#   VERBATIM_BENCH_DB       store directory (default /tmp/verbatim-bench-store); created by
#                           `verbatim ingest` when missing
#   VERBATIM_BENCH_CORPUS   JSON Lines (gzip) to ingest
#                           (default /work/shared/corpus/bulk/ungdc-1946-2024.jsonl.gz)
#   VERBATIM_BENCH_SCRATCH  SwiftPM scratch path (default .build-bench)
#   VERBATIM_BENCH_OPEN_RUNS  store-open processes to run (default 11)
#   VERBATIM_BENCH_NO_BUILD=1 skip the build
set -euo pipefail

cd "$(dirname "$0")/.."
DB=${VERBATIM_BENCH_DB:-/tmp/verbatim-bench-store}
CORPUS=${VERBATIM_BENCH_CORPUS:-/work/shared/corpus/bulk/ungdc-1946-2024.jsonl.gz}
SCRATCH=${VERBATIM_BENCH_SCRATCH:-.build-bench}
OPEN_RUNS=${VERBATIM_BENCH_OPEN_RUNS:-11}
BIN="$SCRATCH/release"

if [[ "${VERBATIM_BENCH_NO_BUILD:-0}" != 1 ]]; then
    echo "== build (release, scratch path $SCRATCH)" >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatim-bench >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatim >&2
fi

# The store: ingested once, marked complete by a stamp beside it (an interrupted ingest
# leaves no stamp and is redone from scratch); ingested again when this build cannot open
# it (a store of an older schema version).
STAMP="$DB.ingested"
if [[ ! -f "$STAMP" || ! -f "$DB/data.mdb" ]] || ! "$BIN/verbatim-bench" store-open --db "$DB" >/dev/null 2>&1; then
    echo "== ingest $CORPUS into $DB" >&2
    rm -rf "$DB" "$STAMP"
    start=$(date +%s%N)
    zcat "$CORPUS" | "$BIN/verbatim" ingest --db "$DB" --format jsonl - >&2
    end=$(date +%s%N)
    if [[ ! -f "$DB/data.mdb" ]]; then
        echo "error: \`verbatim ingest\` did not create $DB/data.mdb" >&2
        exit 1
    fi
    printf '%s\t%s\tingested in %.1f s\n' "$CORPUS" "$(date -u +%FT%TZ)" "$(( (end - start) / 1000000 ))e-3" >"$STAMP"
fi

echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "- nproc: $(nproc)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "- kernel: $(uname -sr)"
echo "- $(swift --version 2>/dev/null | head -1)"
echo "- LMDB: $(pkg-config --modversion lmdb 2>/dev/null || echo unknown)"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources 2>/dev/null || echo ' (with uncommitted changes under Sources)')$([[ "${VERBATIM_BENCH_NO_BUILD:-0}" == 1 ]] && echo ' (not rebuilt: the binaries may be of another commit)')"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- store: $DB ($(du -sh "$DB" | cut -f1)); $(cut -f1,3 "$STAMP" | tr '\t' ' ')"
echo

echo "## In-process random paragraph reads"
echo
echo "\$ $BIN/verbatim-bench store --db $DB $*"
echo
"$BIN/verbatim-bench" store --db "$DB" "$@"
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "## Open the store and read the first paragraph (fresh process each time, $OPEN_RUNS runs)"
echo
# Drops data.mdb of the bench store (only it) from the page cache.
evict() {
    python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' \
        "$DB/data.mdb"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minmax() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f–%.3f", lo, hi }'; }
# open_runs warm|cold: fills inproc and whole with milliseconds.
open_runs() {
    inproc=()
    whole=()
    for _ in $(seq "$OPEN_RUNS"); do
        if [[ $1 == cold ]]; then evict; fi
        start=$(date +%s%N)
        out=$("$BIN/verbatim-bench" store-open --db "$DB" --json)
        end=$(date +%s%N)
        inproc+=("$(sed -E 's/.*"openFirstParagraphMilliseconds": *([0-9.eE+-]+).*/\1/' <<<"$out")")
        whole+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e6 }')")
    done
}
echo "| page cache | measure | median ms | min–max ms | target |"
echo "| --- | --- | ---: | ---: | --- |"
for cache in warm cold; do
    if [[ $cache == cold ]] && ! command -v python3 >/dev/null; then
        echo "| cold | (skipped: python3 is needed to evict data.mdb) | | | |"
        continue
    fi
    open_runs "$cache"
    label=$cache
    [[ $cache == cold ]] && label="cold (data.mdb evicted before each run)"
    printf '| %s | Store(path:) to first paragraph decoded, in process | %.3f | %s | < 50 ms |\n' \
        "$label" "$(median "${inproc[@]}")" "$(minmax "${inproc[@]}")"
    printf '| %s | whole process (exec to exit, incl. runtime start) | %.3f | %s | |\n' \
        "$label" "$(median "${whole[@]}")" "$(minmax "${whole[@]}")"
done
