#!/bin/bash
# How much netbench's repetitions spread, against sockperf's and iperf3's runs on the same
# testbed: the coefficient of variation (stdev / mean) of each, interleaved round by round.
#
#   tools/cv_vs_peers.sh [rounds] [driver...]     (default: 15 rounds on bridge host macvlan overlay)
#
# For each runc driver: one `netbench up` testbed; each round runs two pairs, one after the
# other: netbench tcp_rr (--attach, one repetition at the defaults) and sockperf ping-pong
# (TCP, 64 B, 1 s), then netbench tcp_stream (one repetition) and iperf3 (-l 128K, -O 1 -t 1:
# one warm second omitted, one measured); netbench first in odd rounds, the peer first in
# even ones (the second of a pair measured more, tools/bench_vs_peers.sh found). The peers run
# in the containers' namespaces, cgroups and CPUs (taskset), as tools/bench_vs_peers.sh runs them. Then one netbench run of `rounds`
# repetitions each on the same testbed: the spread within one run, as a user sees it (_cv).
# Reports each CV, and CV(netbench) / CV(peer) with a 95% interval from a bootstrap of whole
# rounds (met: the whole interval at or below 1). Kept in results/cv_vs_peers.txt (OUT=...
# elsewhere). NB_FLAGS (split on blanks) go to every netbench run, e.g.
# --benchmark_min_time=0.72 for ~1 s repetitions, as long as the peers' runs. A benchmark: run
# nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
rounds=${1:-15}
shift || true
drivers=("$@")
[ ${#drivers[@]} -gt 0 ] || drivers=(bridge host macvlan overlay)
nb=build/netbench
py=/usr/bin/python3
out=${OUT:-results/cv_vs_peers.txt}
read -r -a nb_flags <<<"${NB_FLAGS:-}"
case $rounds in '' | *[!0-9]*) echo "usage: $0 [rounds >= 3] [driver...]" >&2; exit 2 ;; esac
[ "$rounds" -ge 3 ] || { echo "error: $rounds round(s): a CV needs at least 3" >&2; exit 2; }
for tool in sockperf iperf3 nsenter taskset "$nb"; do
  command -v "$tool" > /dev/null || { echo "error: $tool not found" >&2; exit 2; }
done
tmp=$(mktemp -d)
run=""
cleanup() {
  local rc=$?
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7017" 2>/dev/null || true
  [ -z "$run" ] || "$nb" down "$run" > /dev/null 2>&1 || rc=1
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
checked() {  # checked LOG COMMAND...: stops the script with LOG's end when COMMAND fails
  local log=$1 rc=0
  shift
  "$@" > "$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { echo "error: $* failed (exit $rc):" >&2; tail -n 20 "$log" >&2; exit 1; }
}
# One side of a round's pair each (R: the round); $driver, $run and $target are the testbed's.
nb_rr() {
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle --tests tcp_rr "${nb_flags[@]}" \
    --benchmark_repetitions=1 --benchmark_out="$tmp/$driver-nb_rr-$1.json"
}
sockperf_rr() {
  checked "$tmp/$driver-sockperf-$1.txt" in_client sockperf pp --tcp -i "$target" -p 7016 \
    -m 64 -t 1
}
nb_stream() {
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle --tests tcp_stream "${nb_flags[@]}" \
    --benchmark_repetitions=1 --benchmark_out="$tmp/$driver-nb_stream-$1.json"
}
iperf3_stream() {
  local iperf3_server
  in_server iperf3 -s -1 -p 7017 > /dev/null 2>&1 &
  iperf3_server=$!
  sleep 0.3
  checked "$tmp/$driver-iperf3-$1.json" in_client iperf3 -c "$target" -p 7017 -l 128K -O 1 \
    -t 1 -J
  wait "$iperf3_server" 2>/dev/null || true
}
for driver in "${drivers[@]}"; do
  checked "$tmp/up.log" "$nb" up "runc/$driver" --json
  cp "$tmp/up.log" "$tmp/up.json"
  testbed_fields "$tmp/up.json"
  in_server sockperf sr --tcp -i 0.0.0.0 -p 7016 > "$tmp/sockperf_server.txt" 2>&1 &
  sleep 1
  for r in $(seq 1 "$rounds"); do
    # netbench first in odd rounds, the peer first in even ones (as tools/bench_vs_peers.sh).
    if ((r % 2)); then nb_rr "$r"; sockperf_rr "$r"; else sockperf_rr "$r"; nb_rr "$r"; fi
    if ((r % 2)); then nb_stream "$r"; iperf3_stream "$r"; else iperf3_stream "$r"; nb_stream "$r"; fi
  done
  checked "$tmp/nb.log" "$nb" --attach "$run" --loads idle --tests tcp_rr,tcp_stream "${nb_flags[@]}" \
    --benchmark_repetitions="$rounds" --benchmark_out="$tmp/$driver-nb_block.json"
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  "$nb" down "$run" > /dev/null
  run=""
  echo "$driver done" >&2
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo -dirty)"
$py - "$tmp" "$rounds" "$commit ${NB_FLAGS:-}" "${drivers[@]}" > "$tmp/report.txt" <<'PY'
import json, random, re, statistics, sys, datetime, platform
tmp, rounds, commit, drivers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}

def reps(path, test):
    d = json.load(open(path))
    out = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"
           and b["run_name"].split("/")[2] == test]
    if not out or any(b.get("error_occurred") for b in out):
        sys.exit(f"error: {path}: {test} has no good repetition")
    return out

def rtt(b): return b["real_time"] * US[b.get("time_unit", "ns")]
def gbit(b): return b["gbit_per_s"]

def sockperf(path):
    m = re.search(r"avg-latency=([0-9.]+)", open(path).read())
    if not m: sys.exit(f"error: {path}: no avg-latency")
    return 2 * float(m.group(1))  # sockperf reports half the round trip

def iperf3(path):
    i = json.load(open(path))
    if "error" in i: sys.exit(f"error: {path}: {i['error']}")
    return i["end"]["sum_received"]["bits_per_second"] / 1e9

def cv(v): return statistics.stdev(v) / statistics.mean(v)

def corr(a, b):
    """Pearson's r of the two tools' values round by round (each round's pair ran back to back):
    near 1 when what moves them is the machine at that moment, not either tool."""
    ma, mb = statistics.mean(a), statistics.mean(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return sab / (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5

def ratio_interval(a, b, n=4000, rng=random.Random(7)):
    """CV(a) / CV(b) with a 95% interval from resampling whole rounds: a round's two values ran
    back to back, so what the machine did then moves both (r), and a resample keeps them
    together as they were measured. Resampling each tool on its own would add that shared
    movement to the ratio's spread twice over."""
    rs = []
    for _ in range(n):
        ix = [rng.randrange(len(a)) for _ in a]
        rs.append(cv([a[i] for i in ix]) / max(cv([b[i] for i in ix]), 1e-12))
    rs.sort()
    return cv(a) / cv(b), rs[int(0.025 * n)], rs[int(0.975 * n) - 1]

print(f"CV of netbench's repetitions against its peers' runs, runc, {rounds} interleaved rounds per "
      f"driver, {datetime.datetime.now().isoformat(timespec='seconds')}, kernel {platform.release()}, "
      f"netbench {commit}")
print("interleaved: netbench one repetition per run (--attach), sockperf pp --tcp -t 1, "
      "iperf3 -l 128K -O 1 -t 1 (netbench first in odd rounds, the peer in even ones); "
      "ratio = CV(netbench) / CV(peer), 95% interval from a bootstrap of whole rounds; "
      "met when the interval is at or below 1; r = the two tools' round-by-round correlation")
print(f"  {'driver':<8}{'test':<11}{'netbench mean':>14}{'CV':>7}{'peer mean':>11}{'CV':>7}"
      f"{'ratio (95% interval)':>27}{'':>13}{'r':>6}{'one run of ' + str(rounds) + ' reps: CV':>26}")
raw = []
for d in drivers:
    rows = [("tcp_rr", "us", [rtt(reps(f"{tmp}/{d}-nb_rr-{r}.json", "tcp_rr")[0]) for r in range(1, rounds + 1)],
             [sockperf(f"{tmp}/{d}-sockperf-{r}.txt") for r in range(1, rounds + 1)],
             [rtt(b) for b in reps(f"{tmp}/{d}-nb_block.json", "tcp_rr")]),
            ("tcp_stream", "Gbit/s", [gbit(reps(f"{tmp}/{d}-nb_stream-{r}.json", "tcp_stream")[0]) for r in range(1, rounds + 1)],
             [iperf3(f"{tmp}/{d}-iperf3-{r}.json") for r in range(1, rounds + 1)],
             [gbit(b) for b in reps(f"{tmp}/{d}-nb_block.json", "tcp_stream")])]
    for test, unit, nb, peer, block in rows:
        p, lo, hi = ratio_interval(nb, peer)
        verdict = "met" if hi <= 1 else ("missed" if lo > 1 else "undecided")
        print(f"  {d:<8}{test:<11}{statistics.mean(nb):>11.2f} {unit:<2}{100 * cv(nb):>6.1f}%"
              f"{statistics.mean(peer):>11.2f}{100 * cv(peer):>6.1f}%"
              f"{p:>10.2f} ({lo:.2f}-{hi:.2f}){'':>3}{verdict:<10}{corr(nb, peer):>6.2f}"
              f"{100 * cv(block):>14.1f}%")
        raw.append(f"  {d:<8}{test:<11}netbench {' '.join(f'{v:.2f}' for v in nb)}\n"
                   f"  {'':<19}peer     {' '.join(f'{v:.2f}' for v in peer)}")
print("round by round (netbench's, then the peer's; for pooling runs and finding outliers):")
print("\n".join(raw))
PY
{ cat "$tmp/report.txt"; } > "$out"
cat "$out"
