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
echo "== fuzzing the control protocol's decoders (libFuzzer, ASan + UBSan), side by side, about 20 s of a CPU each"
tools/fuzz.sh 20 || status=1
echo "== sanitized build (ASan + UBSan): unit and integration tests"
(cd build-asan && ctest --output-on-failure -L 'unit|integration' -E '^results\.') || status=1
echo "== release build: all tests but the docker ones"
(cd build && ctest --output-on-failure -LE docker) || status=1
echo "== docker: a private engine (tools/docker_engine.sh) puts the machine back as it found it"
(cd build && ctest --output-on-failure -R '^docker\.engine_restores') || status=1
echo "== docker: the backend against a private engine (unix socket, and tcp:// with TLS), and across two (a second in its own netns, started by its test), stopped after"
NB_TEST_TLS_DIR=$(mktemp -d)
export NB_TEST_TLS_DIR
if tools/make_test_certs.sh "$NB_TEST_TLS_DIR" &&
  eval "$(tools/docker_engine.sh start --tls "$NB_TEST_TLS_DIR")"; then
  export DOCKER_HOST
  trap 'tools/docker_engine.sh --host2 stop; tools/docker_engine.sh stop; rm -rf "$NB_TEST_TLS_DIR"' EXIT
  (cd build && ctest --output-on-failure -L docker -E '^docker\.engine_restores') || status=1
  # Again sanitized: the libcurl client, the attach pump's thread and the cleanup paths.
  (cd build-asan && ctest --output-on-failure -L docker -E '^docker\.engine_restores') ||
    status=1
  build/netbench gc --images >/dev/null || status=1
  tools/docker_engine.sh --host2 stop || status=1 # its test stops it; this is for a test that died
  tools/docker_engine.sh stop || status=1
  rm -rf "$NB_TEST_TLS_DIR"
  trap - EXIT
else
  status=1
fi
exit $status
