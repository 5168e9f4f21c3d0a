#!/bin/bash
# A tcp:// engine over TLS, by Docker's conventions: with the right CA and a client certificate
# netbench measures through it; with a wrong CA, or without the key, it is one line, exit 2,
# and nothing is made. Needs the private engine started with `tools/docker_engine.sh start
# --tls DIR` (certificates from tools/make_test_certs.sh DIR) and NB_TEST_TLS_DIR=DIR.
#   tests/docker/tls_test.sh NETBENCH
set -uo pipefail
netbench=$1
dir=${NB_TEST_TLS_DIR:-}
if [ -z "$dir" ] || ! curl -sf --cacert "$dir/ca.pem" --cert "$dir/cert.pem" --key "$dir/key.pem" \
    https://127.0.0.1:2376/_ping >/dev/null; then
  echo "SKIP: no TLS engine on tcp://127.0.0.1:2376 (tools/docker_engine.sh start --tls DIR, NB_TEST_TLS_DIR=DIR)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # name condition-description command...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
nothing_left() { [ ! -e /run/netbench ] && ! ip -o link | grep -q ' nb-'; }
export DOCKER_HOST=tcp://127.0.0.1:2376 DOCKER_TLS_VERIFY=1

# The right CA and a client certificate: a case measured through the TLS connection, its
# attach stream included.
DOCKER_CERT_PATH=$dir "$netbench" --backend docker --runtimes runc --quiet \
  --benchmark_filter='^runc/bridge/tcp_rr/manual_time$' --benchmark_repetitions=1 \
  --benchmark_min_time=0.05 --benchmark_out="$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
code=$?
check "measures through TLS (exit $code)" [ "$code" -eq 0 ]
check "the context names the TLS engine" \
  grep -q '"docker_engine": "tcp://127.0.0.1:2376 (TLS)"' "$tmp/r.json"
check "nothing left after the run" nothing_left

# Bad certificates, each refused with one line and exit 2, nothing made.
refused() {  # what cert-dir expected-text
  DOCKER_CERT_PATH=$2 "$netbench" --backend docker --runtimes runc >"$tmp/out" 2>"$tmp/err"
  local code=$?
  check "$1 is exit 2 (exit $code)" [ "$code" -eq 2 ]
  check "$1 is one line saying: $3" \
    bash -c "[ \$(wc -l <'$tmp/err') -eq 1 ] && grep -qF '$3' '$tmp/err'"
  check "nothing left after $1" nothing_left
}

# A wrong CA: the engine's certificate is not trusted.
mkdir "$tmp/wrong"
cp "$dir/cert.pem" "$dir/key.pem" "$tmp/wrong/" && cp "$dir/other-ca.pem" "$tmp/wrong/ca.pem"
refused "a wrong CA" "$tmp/wrong" "TLS with the Docker engine at tcp://127.0.0.1:2376"

# No key: bad input before anything is tried.
mkdir "$tmp/nokey"
cp "$dir/ca.pem" "$dir/cert.pem" "$tmp/nokey/"
refused "a missing key" "$tmp/nokey" "$tmp/nokey/key.pem"
[ "$fail" -eq 0 ] || { echo "stderr of the last run:"; cat "$tmp/err"; }
exit $fail
