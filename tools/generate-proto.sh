#!/usr/bin/env bash
# Regenerates the Swift code for proto/ into Sources/VerbatimProtocol/Generated.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift: PROTOC_GEN_SWIFT=path, or
# built once into .build-protoc-gen-swift from the swift-protobuf checkout SwiftPM resolved
# for Package.resolved. Not run by CI: the output is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v protoc >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler
fi
plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
    # Built from the swift-protobuf sources SwiftPM already resolved (no network): the
    # checkout, in any .build* folder, at the revision pinned in Package.resolved.
    work=.build-protoc-gen-swift
    plugin="$work/src/.build/release/protoc-gen-swift"
    pinned=$(sed -n '/"identity" : "swift-protobuf"/,/}/s/.*"revision" : "\([0-9a-f]*\)".*/\1/p' Package.resolved 2>/dev/null || true)
    [ -n "$pinned" ] || { echo "no swift-protobuf pin in Package.resolved: run swift build once" >&2; exit 1; }
    if [ ! -x "$plugin" ] || [ "$(cat "$work/revision" 2>/dev/null)" != "$pinned" ]; then
        checkout=""
        for c in .build/checkouts/swift-protobuf .build*/checkouts/swift-protobuf "$work"/resolve/checkouts/swift-protobuf; do
            if [ -d "$c" ] && [ "$(git -C "$c" rev-parse HEAD 2>/dev/null)" = "$pinned" ]; then
                checkout=$c
                break
            fi
        done
        if [ -z "$checkout" ]; then
            # Not resolved yet: let SwiftPM resolve (from its cache) into a scratch path of ours.
            swift package resolve --scratch-path "$work/resolve"
            checkout="$work/resolve/checkouts/swift-protobuf"
        fi
        rm -rf "$work/src"
        mkdir -p "$work"
        cp -R "$checkout" "$work/src"
        rm -rf "$work/src/.build"
        (cd "$work/src" && swift build -c release --product protoc-gen-swift)
        echo "$pinned" >"$work/revision"
    fi
fi
out=Sources/VerbatimProtocol/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=DropPath -I proto proto/verbatim/v1/*.proto
echo "generated into $out"
