#!/bin/bash
# The test command (README, CI): installs and builds (tools/setup.sh), then runs every test
# twice: in the release build, and in the ASan + UBSan build (the static agent is never
# sanitized; its code runs sanitized inside the unit tests).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --asan

# Anything a crashed earlier run left would disturb the leak checks.
build/netbench gc >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
echo "== fuzzing the control protocol's decoders (libFuzzer, ASan + UBSan), 20 s per target"
tools/fuzz.sh 20 || status=1
echo "== sanitized build (ASan + UBSan): unit and integration tests"
(cd build-asan && ctest --output-on-failure -L 'unit|integration' -E '^results\.') || status=1
echo "== release build: all tests"
(cd build && ctest --output-on-failure) || status=1
exit $status
