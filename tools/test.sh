#!/usr/bin/env bash
# Runs the whole test suite: installs the system packages when missing, builds every
# target (executables included, the end-to-end tests run them) and runs all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build --build-tests
swift test --skip-build "$@"
