#!/bin/bash
# How long taking a runc testbed down takes: `netbench down` of a testbed `netbench up` left,
# and the teardown between a run's cases (netbench's own time_testbed_downs_s), each the
# median of at least 10, against the 200 ms they may take; then checks nothing is left.
#
#   tools/teardown_time.sh [count]        (default 10 per driver)
#   NB=/tmp/base/build/netbench OUT=results/teardown_time-before.txt tools/teardown_time.sh
#
# `down` is timed from outside (date around the command). The report is kept in
# results/teardown_time.txt. A benchmark of the machine: run it with nothing else running.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10}
nb=${NB:-build/netbench}
py=/usr/bin/python3
out=${OUT:-results/teardown_time.txt}
limit=0.200
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $count in '' | *[!0-9]* | 0) echo "usage: $0 [count >= 1]" >&2; exit 2 ;; esac
[ -x "$nb" ] || { echo "error: $nb not found: build first (cmake --build build)" >&2; exit 2; }

now() { date +%s.%N; }
for driver in bridge host macvlan overlay; do
  for i in $(seq 1 "$count"); do
    "$nb" up "runc/$driver" --json > "$tmp/up.json" 2> "$tmp/up.err" || {
      echo "error: netbench up runc/$driver failed:" >&2; cat "$tmp/up.err" >&2; exit 1; }
    run=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['run_id'])" "$tmp/up.json")
    t0=$(now)
    "$nb" down "$run" > "$tmp/down.out" 2>&1 || {
      echo "error: netbench down $run failed:" >&2; cat "$tmp/down.out" >&2; exit 1; }
    t1=$(now)
    echo "$driver $t0 $t1" >> "$tmp/downs.txt"
  done
done
# Between cases: one repetition of tcp_rr on each runc driver tears down 4 testbeds a run.
runs=$(( (count + 3) / 4 ))
for i in $(seq 1 "$runs"); do
  "$nb" --runtimes runc --tests tcp_rr --loads idle --benchmark_repetitions=1 \
    --benchmark_min_time=0.01 -q --benchmark_out="$tmp/run$i.json" > /dev/null 2> "$tmp/run$i.err" || {
    echo "error: netbench run $i failed:" >&2; tail -n 20 "$tmp/run$i.err" >&2; exit 1; }
done
left=$( (ip netns list | grep -c '^nb-') || true)
left_runc=$( (runc list -q 2>/dev/null | grep -c '^nb-') || true)

rc=0
$py - "$tmp" "$runs" "$limit" "$left" "$left_runc" <<'PY' > "$tmp/report.txt" || rc=$?
import json, statistics, sys
tmp, runs, limit, left, left_runc = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
by = {}
for line in open(f"{tmp}/downs.txt"):
    d, t0, t1 = line.split()
    by.setdefault(d, []).append(float(t1) - float(t0))
ok = True
commit = json.load(open(f"{tmp}/run1.json"))["context"].get("netbench_commit", "unknown")
print(f"netbench commit {commit} (its result file's netbench_commit)")
print("`netbench down` of a runc testbed left by `netbench up` (s, timed from outside):")
for d, v in by.items():
    m = statistics.median(v)
    ok &= m <= limit
    print(f"  {d:<8} median {m:.3f} of {len(v)} (min {min(v):.3f}, max {max(v):.3f})")
between = []
for i in range(1, runs + 1):
    ctx = json.load(open(f"{tmp}/run{i}.json"))["context"]
    between += [float(x) for x in ctx.get("time_testbed_downs_s", "").split(",") if x]
print(f"teardown between a run's cases (netbench's time_testbed_downs_s, {runs} runs of runc tcp_rr):")
if between:
    m = statistics.median(between)
    ok &= m <= limit
    print(f"  median {m:.3f} of {len(between)} (min {min(between):.3f}, max {max(between):.3f})")
else:
    ok = False
    print("  not recorded (a build from before time_testbed_downs_s)")
print(f"left behind: {left} nb- namespaces, {left_runc} nb- runc containers")
ok &= left == 0 and left_runc == 0
print(f"limit {limit:.3f} s: {'met' if ok else 'MISSED'}")
sys.exit(0 if ok else 1)
PY
{
  echo "teardown times of $nb, $(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r)"
  cat "$tmp/report.txt"
} > "$out"
cat "$out"
exit "$rc"
