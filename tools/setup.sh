#!/usr/bin/env bash
# Installs what Verbatim needs on a fresh Debian machine with Swift 6.3: liblmdb-dev (the
# C library), lmdb-utils (mdb_load, used by a test as a second writing process) and
# pkg-config. Does nothing when they are already there.
set -euo pipefail
need=()
[ -f /usr/include/lmdb.h ] || need+=(liblmdb-dev)
command -v mdb_load >/dev/null || need+=(lmdb-utils)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
