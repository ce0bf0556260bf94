#!/usr/bin/env bash
# Quote lookup benchmark (docs/PERFORMANCE.md, "Quote lookup"): builds a store of the
# corpus (timing the ingest, which builds the phrase index), then runs exact quote lookups
# of 4-, 8- and 16-word quotations sampled from it, in process, and the same quotations as
# SQLite FTS5 phrase queries over the same paragraphs, in one run.
#   tools/bench-quote.sh [CORPUS] [QUERIES_PER_LENGTH]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
queries="${2:-2000}"
scratch="${SCRATCH:-.build-bench-quote}"
work="$(mktemp -d /tmp/verbatim-bench-quote.XXXXXX)"
trap 'rm -rf "$work"' EXIT
tools/swift-release.sh --scratch-path "$scratch" --product verbatim >/dev/null
tools/swift-release.sh --scratch-path "$scratch" --product verbatim-bench >/dev/null
bin="$scratch/release"

echo "== ingest $corpus (builds the phrase index in the same transactions)"
/usr/bin/time -f "ingest wall %e s, max RSS %M KB" "$bin/verbatim" ingest --quiet --db "$work/store" "$corpus" | head -1
"$bin/verbatim" stats --db "$work/store" | sed -n '1,30p'
# The pages the ingest wrote stay in the page cache at the size they were written with.
# Drop them (clean pages: nothing is lost), so that the lookups read the store back
# through its map as a store opened after a restart would, in 2 MiB pages where the file
# system allows (docs/OPERATIONS.md §7, "Huge pages").
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$work/store/data.mdb"

echo "== verbatim (Swift, in process, one thread)"
"$bin/verbatim-bench" quote --db "$work/store" --queries "$queries" \
    --export-paragraphs "$work/paragraphs.tsv" --export-queries "$work/queries.tsv"

echo "== SQLite FTS5 (python3 sqlite3, in process, one thread)"
python3 - "$work/paragraphs.tsv" "$work/queries.tsv" "$work/fts.db" <<'PY'
import sqlite3, sys, time, os
paras, queries, path = sys.argv[1:4]
con = sqlite3.connect(path)
con.execute("pragma journal_mode=off"); con.execute("pragma synchronous=off")
con.execute("create virtual table p using fts5(text)")
t0 = time.perf_counter()
with open(paras, encoding="utf-8") as f:
    con.executemany("insert into p(rowid, text) values(?, ?)",
                    ((int(a), b.rstrip("\n")) for a, b in (line.split("\t", 1) for line in f)))
con.commit()
con.execute("insert into p(p) values('optimize')"); con.commit()
build = time.perf_counter() - t0
size = os.path.getsize(path)
print(f"fts5 build {build:.1f} s, database {size/1e6:.1f} MB")
by_len = {}
with open(queries, encoding="utf-8") as f:
    for line in f:
        n, words = line.rstrip("\n").split("\t", 1)
        by_len.setdefault(int(n), []).append('"' + words.replace('"', '""') + '"')
for n, qs in sorted(by_len.items()):
    for run in range(3):
        lat = []
        start = time.perf_counter()
        found = 0
        for q in qs:
            t = time.perf_counter()
            rows = con.execute("select rowid, text from p where p match ? limit 20", (q,)).fetchall()
            lat.append((time.perf_counter() - t) * 1e6)
            found += len(rows)
        total = time.perf_counter() - start
    lat.sort()
    p = lambda x: lat[min(len(lat) - 1, int(len(lat) * x))]
    print(f"fts5   {n:2d} words: {len(qs)/total:7.0f} lookups/s  p50 {p(0.5):6.1f} µs  p99 {p(0.99):7.1f} µs  max {lat[-1]:8.1f} µs  ({found} matches)")
PY
