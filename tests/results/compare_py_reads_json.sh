#!/bin/bash
# Acceptance: the full runc set runs without errors, and Google Benchmark's own compare.py
# reads netbench's JSON unchanged. Short settings: this checks formats, not performance.
set -euo pipefail
netbench=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in a b; do
  "$netbench" --runtimes runc --loads idle --benchmark_repetitions=3 --benchmark_min_time=0.05 \
    --benchmark_out="$tmp/$run.json" --benchmark_out_format=json > "$tmp/$run.log" 2>&1 \
    || { cat "$tmp/$run.log"; exit 1; }
done
/usr/bin/python3 - "$tmp/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = {b["run_name"] for b in d["benchmarks"]}
assert len(names) == 8, names
errs = [b["name"] for b in d["benchmarks"] if b.get("error_occurred")]
assert not errs, errs
for k in ("netbench_version", "kernel", "runc_version", "placement", "address_plan:bridge"):
    assert d["context"].get(k), k
rr = [b for b in d["benchmarks"] if "/tcp_rr/" in b["name"] and b["run_type"] == "iteration"]
assert all(b["p99_us"] >= b["p50_us"] > 0 for b in rr)
st = [b for b in d["benchmarks"] if "/tcp_stream/" in b["name"] and b["run_type"] == "iteration"]
assert all(b["gbit_per_s"] > 0 and b["bytes_per_second"] > 0 for b in st)
print("netbench JSON: 8 cases, no errors, counters present")
PY
/usr/bin/python3 /usr/share/benchmark/compare.py benchmarks "$tmp/a.json" "$tmp/b.json" > "$tmp/cmp.txt"
grep -q "runc/macvlan/tcp_rr" "$tmp/cmp.txt"
echo "compare.py read both files"
