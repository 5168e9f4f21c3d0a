#!/bin/bash
# Regenerates results/reference/: two full runs of every case this machine can run (the same
# build, back to back: they show this machine's run-to-run drift), the figures of the first,
# the interleaved pair the gate's tests use (tools/make_pair.sh), and results/README.md.
#
#   tools/make_reference.sh
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
  echo "Made by \`tools/make_reference.sh\` on this project's 2-core CI machine (see the"
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
  echo
  # The list of the other files is kept by hand (results/other-files.md): they are made by
  # other scripts, at other times.
  cat results/other-files.md
} > results/README.md
echo "results/README.md and $out/ regenerated"
