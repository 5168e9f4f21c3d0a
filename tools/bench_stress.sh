#!/bin/bash
# The paper's second series: idle versus stress-ng in the server, side by side in one run.
#
#   tools/bench_stress.sh [runtime/driver] [rounds]     (default: runc/bridge 3)
#
# Each round runs the idle and the stressed cases of tcp_rr and tcp_stream one after the
# other (interleaved, so drift on this shared machine hits both alike), 5 repetitions each.
# Prints per-round values and stressed/idle ratios of the medians; the output is kept in
# results/bench_stress-<runtime>-<driver>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-runc/bridge}
rounds=${2:-3}
runtime=${what%%/*}
driver=${what##*/}
nb=build/netbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=results/bench_stress-$runtime-$driver.txt

for r in $(seq 1 "$rounds"); do
  for load in idle stress; do
    filter="^$runtime/$driver/tcp_(rr|stream)/manual_time"
    [ "$load" = stress ] && filter="^$runtime/$driver/tcp_(rr|stream)/stress/"
    "$nb" --runtimes "$runtime" --drivers "$driver" --loads "$load" \
      --benchmark_filter="$filter" --benchmark_repetitions=5 \
      --benchmark_out="$tmp/$load-$r.json" >/dev/null 2>&1
  done
  echo "round $r/$rounds done" >&2
done

/usr/bin/python3 - "$tmp" "$rounds" "$what" <<'PY' | tee "$out"
import json, statistics, sys, datetime, platform
tmp, rounds, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def runs(path, test):
    d = json.load(open(path))
    return [b for b in d["benchmarks"] if b["run_type"] == "iteration" and f"/{test}/" in b["name"]]
metrics = [("tcp_rr", "real_time", "mean RTT (us)"), ("tcp_rr", "p99_us", "p99 RTT (us)"),
           ("tcp_rr", "server_cpu_us_per_tx", "server CPU (us/tx)"),
           ("tcp_stream", "gbit_per_s", "throughput (Gbit/s)"),
           ("tcp_stream", "server_cpu_s_per_gb", "server CPU (s/GB)")]
print(f"idle vs stress-ng in the server, {what}, {rounds} interleaved rounds x 5 repetitions, "
      f"{datetime.datetime.now().isoformat(timespec='seconds')}, kernel {platform.release()}")
print(f"  {'metric':<24}{'idle':>12}{'stress':>12}{'stress/idle':>13}")
for test, key, label in metrics:
    vals = {}
    for load in ("idle", "stress"):
        v = []
        for r in range(1, rounds + 1):
            v += [b[key] for b in runs(f"{tmp}/{load}-{r}.json", test)]
        vals[load] = statistics.median(v)
    print(f"  {label:<24}{vals['idle']:>12.2f}{vals['stress']:>12.2f}{vals['stress'] / vals['idle']:>13.2f}")
# The stressor runs across a case's repetitions: its bogo-ops/s are on the last one.
bogo = [b["stress_bogo_ops_per_s"] for r in range(1, rounds + 1)
        for b in runs(f"{tmp}/stress-{r}.json", "tcp_rr") if "stress_bogo_ops_per_s" in b]
print(f"  stress-ng bogo-ops/s (median over the stressed tcp_rr cases): {statistics.median(bogo):.0f}")
PY
