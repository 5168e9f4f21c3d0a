#!/bin/bash
# Start latency on both backends, every driver: docker with each given runtime (default runc
# and crun), netns with runc and kata. Writes OUT-<backend>-<runtime>.json and prints a table
# of medians (ms) to OUT.txt. Needs root and an engine (DOCKER_HOST; tools/docker_engine.sh
# start makes a private one). Never run it next to another benchmark.
#
#   tools/start_latency.sh OUT [repetitions] [docker runtimes]
#   tools/start_latency.sh results/start_latency 5 runc,crun
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 OUT [repetitions] [docker runtimes]" >&2; exit 2; }
out=$1 reps=${2:-5} docker_runtimes=${3:-runc,crun}
files=()
run() {  # backend runtimes
  local f="$out-$1-${2//,/+}.json"
  local extra=()
  [ "$1" = docker ] && extra=(--docker-swarm-init)
  build/netbench --backend "$1" --runtimes "$2" "${extra[@]}" --tests start --quiet \
    --benchmark_repetitions="$reps" --benchmark_out="$f" >/dev/null
  files+=("$f")
}
run docker "$docker_runtimes"
run netns runc
run netns kata
/usr/bin/python3 - "$reps" "${files[@]}" <<'PY' | tee "$out.txt"
import json, sys
reps, files = sys.argv[1], sys.argv[2:]
print(f"start latency, medians of {reps} repetitions (ms); one start = create and start a server "
      "sandbox until its agent answers; remove = the one before it, timed apart")
print(f"{'backend':7} {'case':20} {'start':>8} {'create':>7} {'start*':>7} {'answer':>7} "
      f"{'remove':>7}   (*docker's POST start, attach included)")
for f in files:
    d = json.load(open(f))
    backend = d["context"].get("backend", "?")
    for b in d["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"].removesuffix("/manual_time")
        part = lambda k: f"{b[k]:7.1f}" if k in b else f"{'-':>7}"
        print(f"{backend:7} {name:20} {b['real_time'] / 1e3:8.1f} {part('create_ms')} "
              f"{part('start_ms')} {part('answer_ms')} {part('remove_ms')}")
    for k, v in sorted(d["context"].items()):
        if k.startswith("skipped:"):
            print(f"{backend:7} {k[8:]:20} skipped: {v}")
print("commit", json.load(open(files[0]))["context"].get("netbench_commit"))
PY
