#!/usr/bin/env bash
# The project's release build: `swift build -c release` without Swift's dynamic exclusivity
# checks, in every module, SwiftNIO's included (docs/OPERATIONS.md, "Building"). The
# compiler's static checks stay, and the tests (tools/test.sh, a debug build) run with every
# check. At 50 connections unpipelined the daemon used 15% less user time per request and
# served 5-7% more requests per second without them (docs/PERFORMANCE.md, session 18).
#
#   tools/swift-release.sh [swift build arguments...]
set -euo pipefail
exec swift build -c release -Xswiftc -enforce-exclusivity=unchecked "$@"
