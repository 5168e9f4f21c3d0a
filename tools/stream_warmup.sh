#!/bin/bash
# Is a flow on this machine slower in its first second, and does netbench's stream warm-up
# (--stream-warmup) keep that out of its repetitions? Interleaved in rounds on one testbed
# (`netbench up runc/<driver>`), for one stream and for four:
#   - netbench tcp_stream, 3 repetitions, with --stream-warmup 0 (the 8-chunk warm-up only)
#     and --stream-warmup 1, in alternating order;
#   - iperf3 -t 3 -i 0.5 without -O: its own half-second intervals from the flow's start.
# Reports, per setting, each repetition's median rate over the rounds, and the first
# repetition over the mean of the later two (round by round: the machine's drift between
# rounds cancels); and iperf3's intervals, each over its last second. A first repetition or
# interval below the rest shows the warm-up the flow still needed.
#
#   tools/stream_warmup.sh [driver] [rounds] [out]   (default: macvlan 12, stdout)
#
# A benchmark: run nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
driver=${1:-macvlan}
rounds=${2:-12}
out=${3:-/dev/stdout}
nb=build/netbench
case $rounds in '' | *[!0-9]*) echo "usage: $0 [driver] [rounds >= 3] [out]" >&2; exit 2 ;; esac
[ "$rounds" -ge 3 ] || { echo "error: $rounds round(s): an interval needs at least 3" >&2; exit 2; }
for tool in iperf3 nsenter taskset "$nb"; do
  command -v "$tool" > /dev/null || { echo "error: $tool not found (build first)" >&2; exit 2; }
done
testbed_up "$driver" "iperf3 -s -1 -p 7062"

nb_run() {  # ROUND WARMUP STREAMS
  "$nb" --attach "$run" --loads idle --tests tcp_stream --streams "$3" --stream-warmup "$2" \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb-$1-$2-$3.json" > "$tmp/nb.log" 2>&1 ||
    { echo "error: netbench failed in round $1:" >&2; tail -n 20 "$tmp/nb.log" >&2; exit 1; }
}
ip_run() {  # ROUND STREAMS
  in_server iperf3 -s -1 -p 7062 > /dev/null 2>&1 &
  sleep 0.3
  in_client iperf3 -c "$target" -p 7062 -l 128K -t 3 -i 0.5 -P "$2" -J > "$tmp/ip-$1-$2.json" ||
    { echo "error: iperf3 failed in round $1" >&2; exit 1; }
  wait
}
for r in $(seq 1 "$rounds"); do
  for s in 1 4; do
    if ((r % 2)); then nb_run "$r" 0 "$s"; nb_run "$r" 1 "$s"; else nb_run "$r" 1 "$s"; nb_run "$r" 0 "$s"; fi
    ip_run "$r" "$s"
  done
  echo "round $r/$rounds done" >&2
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo -dirty)"
/usr/bin/python3 - "$tmp" "$rounds" "$driver" "$commit" > "$out" << 'EOF'
import datetime, json, platform, random, statistics, sys
tmp, rounds, driver, commit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
med = statistics.median

def reps(r, warm, s):
    d = json.load(open(f"{tmp}/nb-{r}-{warm}-{s}.json"))
    v = [b["gbit_per_s"] for b in d["benchmarks"]
         if b.get("run_type") == "iteration" and not b.get("error_occurred")]
    if len(v) != 3:
        sys.exit(f"error: round {r}, --stream-warmup {warm}, {s} stream(s): {len(v)} good repetitions")
    return v

def intervals(r, s):
    d = json.load(open(f"{tmp}/ip-{r}-{s}.json"))
    if "error" in d:
        sys.exit(f"error: round {r}: iperf3: {d['error']}")
    return [i["sum"]["bits_per_second"] / 1e9 for i in d["intervals"]]

def interval(values, n=2000, rng=random.Random(2544)):
    """The median and a 95% bootstrap interval of the rounds' values."""
    bs = sorted(med([rng.choice(values) for _ in values]) for _ in range(n))
    return med(values), bs[int(0.025 * n)], bs[int(0.975 * n) - 1]

print(f"stream warm-up on runc/{driver}: {rounds} interleaved rounds, "
      f"{datetime.datetime.now().isoformat(timespec='seconds')}, kernel {platform.release()}, "
      f"netbench {commit}")
print("netbench tcp_stream, 3 repetitions per run; first / later: the first repetition over the "
      "mean of the other two, round by round (median, 95% bootstrap interval over rounds)")
for s in (1, 4):
    name = "tcp_stream" + (f"/streams:{s}" if s > 1 else "")
    print(f"{name}:")
    for warm in (0, 1):
        runs = [reps(r, warm, s) for r in range(1, rounds + 1)]
        cols = "  ".join(f"rep {i + 1} {med(v[i] for v in runs):6.2f}" for i in range(3))
        m, lo, hi = interval([v[0] / statistics.mean(v[1:]) for v in runs])
        print(f"  --stream-warmup {warm}: Gbit/s {cols};  first / later {m:.3f} ({lo:.3f}-{hi:.3f})")
    ratio = [statistics.mean(reps(r, 1, s)) / statistics.mean(reps(r, 0, s))
             for r in range(1, rounds + 1)]
    m, lo, hi = interval(ratio)
    print(f"  run mean, warm-up 1 s / 0 s: {m:.3f} ({lo:.3f}-{hi:.3f})")
    ip = [intervals(r, s) for r in range(1, rounds + 1)]
    k = min(len(v) for v in ip)
    rel = [[v[i] / statistics.mean(v[k - 2:k]) for i in range(k)] for v in ip]
    print(f"  iperf3 -P {s} -t 3 -i 0.5, no -O: each half second over the last second, median over "
          "rounds: " + " ".join(f"{med(x[i] for x in rel):.2f}" for i in range(k)))
EOF
[ "$out" = /dev/stdout ] || cat "$out"
