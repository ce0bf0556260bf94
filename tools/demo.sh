#!/usr/bin/env bash
# The main job: build, ingest the sample corpus into the store when the store is empty,
# bring the daemon up on it, show a few queries through the daemon and print how to make
# more. The daemon stays in the foreground; Ctrl-C (or SIGTERM) drains it and exits 0.
#
#   tools/demo.sh                     # store: --db, else $VERBATIM_DB, else the default
#   tools/demo.sh --port 7460         # other options go to verbatimd (see verbatimd --help)
#   VERBATIM_DEMO_DETACH=1 tools/demo.sh   # leave the daemon running in the background
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
echo "== building (release; the first build takes a few minutes)" >&2
tools/swift-release.sh --product verbatim >&2
tools/swift-release.sh --product verbatimd >&2
bin=.build/release

# --db and --port are read here too, to ingest into and query the daemon's store.
db_args=()
host=127.0.0.1
port=7450
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        --db) db_args=(--db "${args[i + 1]}") ;;
        --db=*) db_args=(--db "${args[i]#--db=}") ;;
        --port) port=${args[i + 1]} ;;
        --port=*) port=${args[i]#--port=} ;;
        --host) host=${args[i + 1]} ;;
        --host=*) host=${args[i]#--host=} ;;
    esac
done
v() { "$bin/verbatim" "$@"; }

# An absent store is an error of `stats`: count it as empty. Any other error (a store of
# another schema version, say) stops the demo with the store's own message.
if ! stats=$(v stats "${db_args[@]}" --json 2>&1); then
    if [[ "$stats" != *"no store at"* ]]; then
        echo "$stats" >&2
        exit 1
    fi
    stats=""
fi
documents=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1] or "{}").get("documents", 0))' "$stats")
if [[ "$documents" == 0 ]]; then
    sources=(samples)
    [[ -d ../shared/seeds ]] && sources+=(../shared/seeds)
    [[ -d ../shared/corpus/sample ]] && sources+=(../shared/corpus/sample)
    echo "== the store is empty: ingesting ${sources[*]}"
    v ingest "${db_args[@]}" "${sources[@]}"
else
    echo "== the store already holds $documents documents (ingest more with: $bin/verbatim ingest PATH)"
fi

log=$(mktemp -t verbatimd.XXXXXX)
"$bin/verbatimd" "$@" >"$log" 2>&1 &
daemon=$!
stop() { kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
trap stop INT TERM
for _ in $(seq 100); do
    grep -q "^verbatimd: listening on" "$log" && break
    kill -0 "$daemon" 2>/dev/null || { cat "$log" >&2; echo "error: verbatimd did not start" >&2; exit 1; }
    sleep 0.1
done
grep -m1 "^verbatimd: listening on" "$log"
connect=(--connect "$host:$port")
run() { echo; echo "\$ verbatim $* ${connect[*]}"; v "$@" "${connect[@]}"; }
run stats
run docs --limit 5
run get VB/1001 2
run speaker "antonio guterres" --paragraphs 2
if [[ -d ../shared/seeds ]]; then
    run cite "L/3282 ¶4"
    run quote "We must work together"
    run cited-by GA/12035
fi
cat <<EOF

verbatimd is serving $host:$port (log: $log). Query it with, for example:
  $bin/verbatim get L/3282 12 --connect $host:$port
  $bin/verbatim quote "terrorism is grave and complex threat" --near --connect $host:$port
  $bin/verbatim speakers --json --connect $host:$port
or from Swift with VerbatimClient, or from any language with docs/PROTOCOL.md.
EOF
if [[ "${VERBATIM_DEMO_DETACH:-0}" == 1 ]]; then
    trap - INT TERM
    echo "Stop it with: kill $daemon"
    exit 0
fi
echo "Ctrl-C stops it (GOAWAY, in-flight calls finish, exit 0)."
tail -n +2 -f "$log" --pid "$daemon" &
wait "$daemon"
