#!/bin/bash
# Regenerates results/reference/: two full runs of every case this machine can run (the same
# build, back to back: they show this machine's run-to-run drift), the figures of the first,
# the interleaved pair the gate's tests use (tools/make_pair.sh), and results/README.md.
#
#   sudo tools/make_reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/reference
mkdir -p "$out/figures"
: > "$out/durations.txt"
for run in a b; do
  start=$(date +%s)
  build/netbench --benchmark_out="$out/full_$run.json" > "$out/full_$run.log" 2>&1
  echo "full_$run: $(( $(date +%s) - start )) s" | tee -a "$out/durations.txt"
done
tools/make_pair.sh  # pair_a/pair_b: the idle cases twice, interleaved case by case
/usr/bin/python3 tools/plot.py "$out/full_a.json" --out "$out/figures"
{
  echo "# Reference results"
  echo
  echo "Made by \`sudo tools/make_reference.sh\` on this project's 2-core CI machine (see the"
  echo "JSON context for kernel, versions and \`vm_accel\`). Kata runs under TCG here: its numbers"
  echo "measure QEMU's CPU emulator more than Kata's network path. Compare ratios, not absolutes."
  echo
  echo "Mean ± stddev over 15 repetitions, from \`reference/full_a.json\`:"
  echo
  /usr/bin/python3 tools/results_table.py "$out/full_a.json"
  echo
  echo "Wall time of the full matrix (both loads, both runtimes):"
  echo
  sed 's/^/    /' "$out/durations.txt"
  cat <<'TXT'

Other files here:
- `reference/full_b.json`: the same matrix run again right after; `tools/compare.py
  reference/full_a.json reference/full_b.json` shows this machine's drift between long runs.
- `reference/pair_a.json`, `reference/pair_b.json`: the idle cases run twice, interleaved case by
  case (`sudo tools/make_pair.sh`). Even so, on this shared machine one case can differ by 16-26%
  between the two (runc/host/tcp_stream +16% in the pair made at 20:10 on 2026-11-26;
  runc/bridge/tcp_rr +26% in one made at 17:40), which is why the gate's tests use a fixed real
  pair in `tests/data/` rather than whatever was regenerated here.
- `bench_vs_peers-{bridge,host,macvlan,overlay}.txt` (`sudo tools/bench_vs_peers.sh DRIVER 10`):
  netbench, attached to a `netbench up` testbed, against sockperf, qperf and iperf3 on that same
  testbed, 10 interleaved rounds, with the ratios (targets: RTT <= 1.05x the best peer,
  throughput >= 0.95x iperf3).
- `bench_stress-runc-bridge.txt` (`tools/bench_stress.sh`), `timing/` (wall time of the idle
  runc and kata sets).
TXT
} > results/README.md
echo "results/README.md and $out/ regenerated"
