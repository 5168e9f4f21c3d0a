#!/bin/bash
# How much netbench's repetitions spread, against sockperf's and iperf3's runs on the same
# testbed: the coefficient of variation (stdev / mean) of each, interleaved round by round.
#
#   tools/cv_vs_peers.sh [rounds] [driver...]   (default: 15 rounds on every runc driver)
#
# For each runc driver: one `netbench up` testbed; each round runs two triples, one after the
# other: netbench tcp_rr (--attach, one repetition at the defaults) and sockperf ping-pong
# (TCP, 64 B, 1 s) twice, then netbench tcp_stream (one repetition) and iperf3 (-l 128K, -O 1
# -t 1: one warm second omitted, one measured) twice; netbench first, second and third in turn
# (the later of a pair measured more, tools/bench_vs_peers.sh found). The peer's second run
# of each round is its yardstick: the same CV ratio of the peer against itself. The peers run
# in the containers' namespaces, cgroups and CPUs (taskset), as tools/bench_vs_peers.sh runs
# them. Then one netbench run of `rounds` repetitions each on the same testbed: the spread
# within one run, as a user sees it.
# Reports each CV, and CV(netbench) / CV(peer) with a 95% interval from a bootstrap of whole
# rounds (met: the whole interval at or below 1), and each round's values: tools/cv_vs_peers.py
# (its `pool` puts several reports' rounds together). Kept in results/cv_vs_peers.txt (OUT=...
# elsewhere). NB_FLAGS (split on blanks) go to every netbench run, e.g.
# --benchmark_min_time=0.72 for ~1 s repetitions, as long as the peers' runs; TESTS=tcp_rr (or
# tcp_stream) runs that test alone. The report also says whether netbench drifts against its
# peer as a run goes on (a rank correlation of their ratio with the round). A benchmark: run
# nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
rounds=${1:-15}
shift || true
drivers=("$@")
[ ${#drivers[@]} -gt 0 ] || drivers=(bridge host macvlan overlay)
nb=build/netbench
py=/usr/bin/python3
out=${OUT:-results/cv_vs_peers.txt}
read -r -a nb_flags <<<"${NB_FLAGS:-}"
rr="" stream=""
for t in ${TESTS:-tcp_rr tcp_stream}; do
  case $t in
    tcp_rr) rr=tcp_rr ;;
    tcp_stream) stream=tcp_stream ;;
    *) echo "error: TESTS: '$t' is neither tcp_rr nor tcp_stream" >&2; exit 2 ;;
  esac
done
[ -n "$rr$stream" ] ||
  { echo "error: TESTS is empty: give tcp_rr, tcp_stream or both" >&2; exit 2; }
case $rounds in '' | *[!0-9]*) echo "usage: $0 [rounds >= 3] [driver...]" >&2; exit 2 ;; esac
[ "$rounds" -ge 3 ] || { echo "error: $rounds round(s): a CV needs at least 3" >&2; exit 2; }
for tool in sockperf iperf3 nsenter taskset "$nb"; do
  command -v "$tool" > /dev/null || { echo "error: $tool not found" >&2; exit 2; }
done
tmp=$(mktemp -d)
run=""
cleanup() {
  local rc=$?
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7017" 2>/dev/null || true
  [ -z "$run" ] || "$nb" down "$run" > /dev/null 2>&1 || rc=1
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
checked() {  # checked LOG COMMAND...: stops the script with LOG's end when COMMAND fails
  local log=$1 rc=0
  shift
  "$@" > "$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { echo "error: $* failed (exit $rc):" >&2; tail -n 20 "$log" >&2; exit 1; }
}
# One side of a round's pair each (R: the round); $driver, $run and $target are the testbed's.
nb_rr() {
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle --tests tcp_rr "${nb_flags[@]}" \
    --benchmark_repetitions=1 --benchmark_out="$tmp/$driver-nb_rr-$1.json"
}
sockperf_rr() {  # R [again]
  checked "$tmp/$driver-sockperf${2:+_again}-$1.txt" in_client sockperf pp --tcp -i "$target" \
    -p 7016 -m 64 -t 1
}
nb_stream() {
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle --tests tcp_stream "${nb_flags[@]}" \
    --benchmark_repetitions=1 --benchmark_out="$tmp/$driver-nb_stream-$1.json"
}
iperf3_stream() {  # R [again]
  local iperf3_server
  in_server iperf3 -s -1 -p 7017 > /dev/null 2>&1 &
  iperf3_server=$!
  sleep 0.3
  checked "$tmp/$driver-iperf3${2:+_again}-$1.json" in_client iperf3 -c "$target" -p 7017 \
    -l 128K -O 1 -t 1 -J
  wait "$iperf3_server" 2>/dev/null || true
}
for driver in "${drivers[@]}"; do
  checked "$tmp/up.log" "$nb" up "runc/$driver" --json
  cp "$tmp/up.log" "$tmp/up.json"
  testbed_fields "$tmp/up.json"
  in_server sockperf sr --tcp -i 0.0.0.0 -p 7016 > "$tmp/sockperf_server.txt" 2>&1 &
  sleep 1
  for r in $(seq 1 "$rounds"); do
    # netbench first, second and third in turn; the peer's first run before its second.
    [ -z "$rr" ] || case $((r % 3)) in
      1) nb_rr "$r"; sockperf_rr "$r"; sockperf_rr "$r" again ;;
      2) sockperf_rr "$r"; nb_rr "$r"; sockperf_rr "$r" again ;;
      0) sockperf_rr "$r"; sockperf_rr "$r" again; nb_rr "$r" ;;
    esac
    [ -z "$stream" ] || case $((r % 3)) in
      1) nb_stream "$r"; iperf3_stream "$r"; iperf3_stream "$r" again ;;
      2) iperf3_stream "$r"; nb_stream "$r"; iperf3_stream "$r" again ;;
      0) iperf3_stream "$r"; iperf3_stream "$r" again; nb_stream "$r" ;;
    esac
  done
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle \
    --tests "$rr${rr:+${stream:+,}}$stream" "${nb_flags[@]}" \
    --benchmark_repetitions="$rounds" --benchmark_out="$tmp/$driver-nb_block.json"
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  "$nb" down "$run" > /dev/null
  run=""
  echo "$driver done" >&2
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet 2>/dev/null || commit+=-dirty
$py tools/cv_vs_peers.py run "$tmp" "$rounds" "$commit ${NB_FLAGS:-}" "${drivers[@]}" \
  > "$tmp/report.txt"
cp "$tmp/report.txt" "$out"
cat "$out"
