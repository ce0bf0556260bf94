#!/usr/bin/env bash
# The main job: build the CLI, ingest the sample corpus into the store (the default store
# unless --db or $VERBATIM_DB says otherwise) and answer a few example queries.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build -c release --product verbatim >&2
v=(.build/release/verbatim)
sources=(samples)
[ -d ../shared/seeds ] && sources+=(../shared/seeds)
[ -d ../shared/corpus/sample ] && sources+=(../shared/corpus/sample)
run() { echo; echo "\$ verbatim $*"; "${v[@]}" "$@"; }
run ingest "${sources[@]}" || true
run stats
run docs --limit 10
run get VB/1001 2
run speaker "antonio guterres" --paragraphs 3
run verify
if [ -d ../shared/seeds ]; then
    run get l/3282 4
fi
echo
echo "Done. The first line of 'verbatim stats' shows the store; try .build/release/verbatim --help"
