#!/bin/bash
# Where a full default run's time goes, and whether at least 85% of it is measuring.
#
#   tools/time_budget.sh [netbench flags...]      (default: the full default matrix)
#
# Runs build/netbench with the flags given (none: the study's 28 cases, 15 repetitions),
# measures its wall time from outside, and checks the result file against it with
# tools/time_budget.py (measuring = iterations x time per iteration over every repetition).
# The report, with netbench's own breakdown from stderr, is kept in results/time_budget.txt.
# Run it on an otherwise idle machine: it is a benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
nb=build/netbench
py=/usr/bin/python3
out=results/time_budget.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$nb" ] || { echo "error: $nb not found: build first (cmake --build build)" >&2; exit 2; }

start=$(date +%s.%N)
rc=0
"$nb" "$@" --benchmark_out="$tmp/run.json" > "$tmp/run.out" 2> "$tmp/run.err" || rc=$?
end=$(date +%s.%N)
if [ "$rc" -ne 0 ]; then
  echo "error: netbench exited $rc; its last lines:" >&2
  tail -n 20 "$tmp/run.err" >&2
  exit 1
fi
wall=$($py -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$end")
check=0
{
  echo "netbench ${*:-(the default matrix)} (build $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo -dirty)), $(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r)"
  grep '^netbench: time:' "$tmp/run.err" || true
} > "$tmp/report.txt"
$py tools/time_budget.py "$tmp/run.json" --wall "$wall" >> "$tmp/report.txt" || check=$?
cp "$tmp/report.txt" "$out"
cat "$out"
exit "$check"
