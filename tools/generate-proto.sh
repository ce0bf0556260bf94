#!/usr/bin/env bash
# Regenerates the Swift code for proto/ into Sources/VerbatimProtocol/Generated.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from the
# swift-protobuf version in Package.swift. Not run by CI: the output is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v protoc >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler
fi
plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
    src=.build-protoc-gen-swift
    if [ ! -x "$src/.build/release/protoc-gen-swift" ]; then
        rm -rf "$src"
        git clone -q --branch 1.39.0 https://github.com/apple/swift-protobuf "$src"
        (cd "$src" && swift build -c release --product protoc-gen-swift)
    fi
    plugin="$src/.build/release/protoc-gen-swift"
fi
out=Sources/VerbatimProtocol/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=DropPath -I proto proto/verbatim/v1/*.proto
echo "generated into $out"
