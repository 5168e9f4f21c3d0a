#!/bin/bash
# Regenerates results/reference/: two full runs of every case this machine can run (the same
# build, back to back: the pair the compare gate's tests use), the figures of the first, and
# the table in results/README.md.
#
#   sudo tools/make_reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/reference
mkdir -p "$out/figures"
: > "$out/durations.txt"
for run in a b; do
  start=$(date +%s)
  build/netbench --benchmark_out="$out/run_$run.json" > "$out/run_$run.log" 2>&1
  echo "run_$run: $(( $(date +%s) - start )) s" | tee -a "$out/durations.txt"
done
/usr/bin/python3 tools/plot.py "$out/run_a.json" --out "$out/figures"
{
  echo "# Reference results"
  echo
  echo "Made by \`sudo tools/make_reference.sh\` on this project's 2-core CI machine (see the"
  echo "JSON context for kernel, versions and \`vm_accel\`). Kata runs under TCG here: its numbers"
  echo "measure QEMU's CPU emulator more than Kata's network path. Compare ratios, not absolutes."
  echo
  echo "Mean ± stddev over 15 repetitions, from \`reference/run_a.json\`:"
  echo
  /usr/bin/python3 tools/results_table.py "$out/run_a.json"
  echo
  echo "Wall time of the full matrix (both loads, both runtimes):"
  echo
  sed 's/^/    /' "$out/durations.txt"
} > results/README.md
echo "results/README.md and $out/ regenerated"
