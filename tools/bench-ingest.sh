#!/usr/bin/env bash
# Ingest throughput (issue: foundation), beside SQLite loading the same paragraphs.
#
# In one run:
#   1. `zcat BULK | verbatim ingest --quiet --db FRESH --format jsonl -` into a fresh store,
#      timed (wall, user and system CPU of the pipeline);
#   2. the paragraphs of that store exported (`verbatim-bench export-paragraphs`, not timed)
#      as key<TAB>number<TAB>text;
#   3. python3's sqlite3 loading them into a fresh database file: create table
#      paragraphs(doc, number, text, primary key (doc, number)), every row inserted in one
#      transaction, commit; only this is timed (the rows are read into memory before).
# Prints documents/s, MB/s (uncompressed JSON Lines input, and paragraph text) and both times.
#
#   tools/bench-ingest.sh
#
# Environment:
#   VERBATIM_BENCH_CORPUS   JSON Lines (gzip) (default /work/shared/corpus/bulk/ungdc-1946-2024.jsonl.gz)
#   VERBATIM_BENCH_INGEST_DB  fresh store directory, removed first (default /tmp/verbatim-bench-ingest)
#   VERBATIM_BENCH_SCRATCH  SwiftPM scratch path (default .build-bench)
#   VERBATIM_BENCH_NO_BUILD=1 skip the build
set -euo pipefail

cd "$(dirname "$0")/.."
CORPUS=${VERBATIM_BENCH_CORPUS:-/work/shared/corpus/bulk/ungdc-1946-2024.jsonl.gz}
DB=${VERBATIM_BENCH_INGEST_DB:-/tmp/verbatim-bench-ingest}
SCRATCH=${VERBATIM_BENCH_SCRATCH:-.build-bench}
BIN="$SCRATCH/release"
WORK=$(mktemp -d /tmp/verbatim-bench-ingest-work.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [[ "${VERBATIM_BENCH_NO_BUILD:-0}" != 1 ]]; then
    echo "== build (release, scratch path $SCRATCH)" >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatim >&2
    tools/swift-release.sh --scratch-path "$SCRATCH" --product verbatim-bench >&2
fi

input_bytes=$(zcat "$CORPUS" | wc -c)
input_docs=$(zcat "$CORPUS" | grep -c .)

echo "## Ingest throughput beside SQLite"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources 2>/dev/null || echo ' (with uncommitted changes under Sources)')$([[ "${VERBATIM_BENCH_NO_BUILD:-0}" == 1 ]] && echo ' (not rebuilt: the binaries may be of another commit)')"
echo "- input: $CORPUS ($(du -h "$CORPUS" | cut -f1) gzip, $input_bytes bytes of JSON Lines, $input_docs lines)"
echo "- SQLite: $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)') (python3 sqlite3)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

rm -rf "$DB"
echo "\$ zcat $CORPUS | $BIN/verbatim ingest --quiet --db $DB --format jsonl -"
TIMEFORMAT='%R %U %S'
{ time (zcat "$CORPUS" | "$BIN/verbatim" ingest --quiet --db "$DB" --format jsonl - >"$WORK/ingest.out"); } 2>"$WORK/ingest.time"
read -r ing_wall ing_user ing_sys < <(tail -1 "$WORK/ingest.time")
echo "- load average after ingest: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

counts=$("$BIN/verbatim-bench" export-paragraphs --db "$DB" --out "$WORK/paragraphs.tsv")
docs=$(sed -E 's/.*"documents": *([0-9]+).*/\1/' <<<"$counts")
paras=$(sed -E 's/.*"paragraphs": *([0-9]+).*/\1/' <<<"$counts")
text_bytes=$(sed -E 's/.*"textBytes": *([0-9]+).*/\1/' <<<"$counts")

echo "\$ $BIN/verbatim-bench export-paragraphs --db $DB --out paragraphs.tsv   # not timed"
echo "\$ python3: create table, insert $paras rows in one transaction, commit   # timed"
sqlite_out=$(python3 - "$WORK/paragraphs.tsv" "$WORK/paragraphs.sqlite" <<'EOF'
import sqlite3, sys, time
rows = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        key, number, text = line.rstrip("\n").split("\t", 2)
        rows.append((key, int(number), text))
start = time.perf_counter()
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("create table paragraphs (doc text not null, number integer not null, text text not null, primary key (doc, number))")
db.execute("begin")
db.executemany("insert into paragraphs values (?, ?, ?)", rows)
db.execute("commit")
db.close()
print(f"{time.perf_counter() - start:.3f} {len(rows)}")
EOF
)
read -r sq_wall sq_rows <<<"$sqlite_out"
sq_size=$(stat -c %s "$WORK/paragraphs.sqlite")
echo "- load average after SQLite: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

awk -v w="$ing_wall" -v u="$ing_user" -v s="$ing_sys" -v d="$docs" -v p="$paras" -v ib="$input_bytes" -v tb="$text_bytes" \
    -v sw="$sq_wall" -v sr="$sq_rows" -v ss="$sq_size" -v store="$(stat -c %s "$DB/data.mdb")" 'BEGIN {
    print "| | wall s | CPU s (user + sys) | documents/s | paragraphs/s | input MB/s | text MB/s | size |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf "| verbatim ingest (%d docs, %d paragraphs) | %.1f | %.1f + %.1f | %.0f | %.0f | %.2f | %.2f | data.mdb %.1f MB |\n", d, p, w, u, s, d / w, p / w, ib / 1e6 / w, tb / 1e6 / w, store / 1e6
    printf "| SQLite load of the same %d paragraphs | %.1f | | | %.0f | | %.2f | %.1f MB |\n", sr, sw, sr / sw, tb / 1e6 / sw, ss / 1e6
    printf "\ninput %.1f MB of JSON Lines, %.1f MB of paragraph text; target: whole file in < 60 s: %s\n", ib / 1e6, tb / 1e6, (w < 60 ? "met" : "missed")
}'
