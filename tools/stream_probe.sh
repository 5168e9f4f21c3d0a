#!/bin/bash
# Which structure of a parallel sender and receiver moves how much on one path: four TCP
# streams of tools/stream_probe.cpp with the sender one poll() thread writing a block per ready
# socket per round (mux, as iperf3 3.x runs -P), the same writing each ready socket until it is
# full (mux-fill), or a blocking thread per connection (threads), against a receiver of either
# kind; beside them iperf3 -P 4 and netbench tcp_stream/streams:4, interleaved in rounds on one
# testbed (`netbench up runc/<driver>`), every tool in the containers' namespaces, cgroups and
# CPUs. Prints each combination's median and range over the rounds, Gbit/s.
#
#   tools/stream_probe.sh [driver] [rounds] [out]   (default: macvlan 5, stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
driver=${1:-macvlan}
rounds=${2:-5}
out=${3:-/dev/stdout}
nb=build/netbench
probe=build/stream_probe
secs=3
for tool in iperf3 nsenter taskset "$nb" "$probe"; do
  command -v "$tool" > /dev/null || { echo "error: $tool not found (build first)" >&2; exit 2; }
done
testbed_up "$driver" "stream_probe server 705" "iperf3 -s -1 -p 7059"
combos=("mux mux" "mux threads" "mux-fill mux" "mux-fill threads" "threads mux" "threads threads")
for r in $(seq 1 "$rounds"); do
  for c in "${combos[@]}"; do
    read -r snd rcv <<< "$c"
    in_server "$probe" server 7050 4 "$rcv" &
    sleep 0.2
    in_client "$probe" client "$target" 7050 4 "$snd" "$secs" | sed "s/^/$snd|$rcv /" >> "$tmp/rows"
    wait
  done
  in_server iperf3 -s -1 -p 7059 > /dev/null 2>&1 &
  sleep 0.2
  in_client iperf3 -c "$target" -p 7059 -l 128K -O 1 -t "$secs" -P 4 -J > "$tmp/iperf3.json"
  wait
  echo "iperf3|-P4 gbit_per_s=$(jq '.end.sum_received.bits_per_second / 1e9' "$tmp/iperf3.json")" >> "$tmp/rows"
  "$nb" --attach "$run" --loads idle --tests tcp_stream --streams 4 --benchmark_repetitions=3 \
    --benchmark_out="$tmp/nb.json" > /dev/null 2>&1
  jq -r '.benchmarks[] | select(.run_type == "iteration") | "netbench|streams:4 gbit_per_s=\(.gbit_per_s)"' \
    "$tmp/nb.json" >> "$tmp/rows"
done
{
  echo "# tools/stream_probe.sh $driver $rounds ($(date -u +%F), netbench $(git rev-parse --short HEAD))"
  echo "# four TCP streams, $secs s each (iperf3 after -O 1; netbench: 3 repetitions a round), Gbit/s"
  /usr/bin/python3 - "$tmp/rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, v = line.split()
    rows.setdefault(name, []).append(float(v.split("=")[1]))
print(f"{'sender|receiver':24} {'median':>7} {'min':>7} {'max':>7}  n")
for name, v in rows.items():
    print(f"{name:24} {statistics.median(v):7.2f} {min(v):7.2f} {max(v):7.2f}  {len(v)}")
PY
} > "$out"
