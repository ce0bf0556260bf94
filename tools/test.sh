#!/usr/bin/env bash
# Runs the whole test suite: installs the system packages when missing, builds every
# target (executables included, the end-to-end tests run them) and runs all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build --build-tests
# One test at a time: the tests' servers run on NIO threads with real timers (a 5 s
# handshake timeout) while the tests themselves run on Swift's cooperative pool, which has
# one thread per core. Run in parallel on a 2-core machine, the CPU-heavy tests (the corpus
# property test, the bulk-file parse) hold both threads for tens of seconds, a network
# test's task cannot run, and the server's timer closes its connection. Serial is ~40 s
# slower here and never starves.
# A test that crashes the test process leaves it to Swift's backtracer, which was once seen
# waiting for over ten minutes after "failed to suspend thread": the suite takes about a
# minute, so a run past 20 is stopped and fails instead of holding CI.
timeout --kill-after=30s 20m swift test --skip-build --no-parallel "$@"
