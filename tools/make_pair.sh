#!/bin/bash
# Makes results/reference/pair_{a,b}.json: two runs of the same build, interleaved case by case
# (A then B for each case, seconds apart), so that the pair differs by noise, not by the drift
# of a shared machine between two long runs. The compare gate's tests use this pair.
#
#   sudo tools/make_pair.sh [--loads idle]
set -euo pipefail
cd "$(dirname "$0")/.."
nb=build/netbench
out=results/reference
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
loads=${2:-idle}
mapfile -t cases < <("$nb" --loads "$loads" --benchmark_list_tests 2>/dev/null | sed 's|/manual_time$||')
i=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  for side in a b; do
    "$nb" --loads "$loads" --benchmark_filter="^${c}/manual_time\$" \
      --benchmark_out="$tmp/$side-$(printf %02d $i).json" >/dev/null 2>&1
  done
  echo "$c done" >&2
done
/usr/bin/python3 - "$tmp" "$out" <<'PY'
import glob, json, os, sys
tmp, out = sys.argv[1], sys.argv[2]
for side in "ab":
    merged = None
    for path in sorted(glob.glob(f"{tmp}/{side}-*.json")):
        d = json.load(open(path))
        if merged is None:
            merged = d
            merged["context"]["pair"] = "interleaved case by case with its twin (tools/make_pair.sh)"
        else:
            merged["benchmarks"] += d["benchmarks"]
            for k, v in d["context"].items():
                if k.startswith("skipped:"):
                    merged["context"][k] = v
    json.dump(merged, open(f"{out}/pair_{side}.json", "w"), indent=1)
print(f"wrote {out}/pair_a.json and {out}/pair_b.json")
PY
