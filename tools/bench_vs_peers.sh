#!/bin/bash
# netbench against established tools on the same kind of path, interleaved in one run.
#
#   sudo tools/bench_vs_peers.sh [driver] [rounds]      (default: bridge 10)
#
# Everything runs on one testbed left up by `netbench up runc/<driver>`. Each round runs,
# one after the other: netbench tcp_rr, sockperf ping-pong (TCP, 64 B), qperf tcp_lat (64 B),
# netbench tcp_stream, iperf3 (-l 128K). netbench measures with `--attach`: its client agent
# is exec'd into the client container and talks to the server container's agent. The peers
# run where netbench's agents run: in the containers' network namespaces, on their CPUs (server
# on host B's, client on host A's) and in their cgroups (on this machine the container's cgroups
# alone cost iperf3 a few percent). All use blocking sockets (sockperf's server multiplexes its
# listening socket with epoll, its default). sockperf and qperf print half the round trip;
# the table doubles them. Ratios use the median over rounds, with a bootstrap 95% interval.
# KEEP_TMP=1 keeps every tool's raw output.
set -euo pipefail
cd "$(dirname "$0")/.."
driver=${1:-bridge}
rounds=${2:-10}
secs=3
nb=build/netbench
out=results/bench_vs_peers-$driver.txt
tmp=$(mktemp -d)
py=/usr/bin/python3

cleanup() {
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  pkill -f "qperf -lp 7018" 2>/dev/null || true
  [ -n "${run:-}" ] && "$nb" down "$run" >/dev/null 2>&1 || true
  [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT

up=$("$nb" up "runc/$driver" --json)
field() { echo "$up" | $py -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
run=$(field run_id); cns=$(field client_netns); sns=$(field server_netns)
target=$(field target_ip); ccpu=$(field client_cpu); scpu=$(field server_cpu)
# Runs a command in every cgroup of container $1 (all v1 hierarchies), then in its namespace.
in_cgroups() {
  local id=$1
  shift
  (for d in /sys/fs/cgroup/*/netbench/"$id"; do echo "$BASHPID" > "$d/cgroup.procs"; done
   exec "$@")
}
in_client() { in_cgroups "$run-c" nsenter --net="$cns" -- taskset -c "$ccpu" "$@"; }
in_server() { in_cgroups "$run-s" nsenter --net="$sns" -- taskset -c "$scpu" "$@"; }

in_server sockperf sr --tcp -i 0.0.0.0 -p 7016 >/dev/null 2>&1 &
in_server qperf -lp 7018 >/dev/null 2>&1 &
sleep 1

for r in $(seq 1 "$rounds"); do
  "$nb" --attach "$run" --loads idle --tests tcp_rr --benchmark_repetitions=3 \
    --benchmark_out="$tmp/nb_rr_$r.json" >/dev/null 2>&1
  in_client sockperf pp --tcp -i "$target" -p 7016 -m 64 -t "$secs" > "$tmp/sockperf_$r.txt" 2>&1
  in_client qperf -lp 7018 -ip 7019 -m 64 -t "$secs" "$target" tcp_lat > "$tmp/qperf_$r.txt" 2>&1
  "$nb" --attach "$run" --loads idle --tests tcp_stream --benchmark_repetitions=3 \
    --benchmark_out="$tmp/nb_stream_$r.json" >/dev/null 2>&1
  in_server iperf3 -s -1 -p 7017 >/dev/null 2>&1 &
  sleep 0.5
  in_client iperf3 -c "$target" -p 7017 -l 128K -t "$secs" -J > "$tmp/iperf3_$r.json" 2>&1
  wait %3 2>/dev/null || true
  echo "round $r/$rounds done" >&2
done

$py - "$tmp" "$rounds" "$driver" <<'PY' | tee "$out"
import json, re, random, statistics, sys, datetime, platform
tmp, rounds, driver = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def med(v): return statistics.median(v)
nb_rtt, nb_gbit, sp_rtt, qp_rtt, ip_gbit = [], [], [], [], []
for r in range(1, rounds + 1):
    d = json.load(open(f"{tmp}/nb_rr_{r}.json"))
    it = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
    nb_rtt.append(statistics.mean(b["real_time"] for b in it))  # us (netbench's unit)
    d = json.load(open(f"{tmp}/nb_stream_{r}.json"))
    it = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
    nb_gbit.append(statistics.mean(b["gbit_per_s"] for b in it))
    s = open(f"{tmp}/sockperf_{r}.txt").read()
    sp_rtt.append(2 * float(re.search(r"avg-latency=([\d.]+)", s).group(1)))
    q = open(f"{tmp}/qperf_{r}.txt").read()
    m = re.search(r"latency\s*=\s*([\d.]+)\s*(us|ms|ns)", q)
    qp_rtt.append(2 * float(m.group(1)) * {"us": 1, "ms": 1000, "ns": 0.001}[m.group(2)])
    i = json.load(open(f"{tmp}/iperf3_{r}.json"))
    ip_gbit.append(i["end"]["sum_received"]["bits_per_second"] / 1e9)
best_peer = min(med(sp_rtt), med(qp_rtt))
print(f"netbench (--attach) vs peers on one `netbench up runc/{driver}` testbed, {rounds} interleaved rounds, "
      f"{datetime.datetime.now().isoformat(timespec='seconds')}, kernel {platform.release()}")
print("round trip, us (sockperf/qperf: 2 x their half round trip)")
print(f"  {'round':<8}{'netbench':>10}{'sockperf':>10}{'qperf':>10}")
for r in range(rounds):
    print(f"  {r+1:<8}{nb_rtt[r]:>10.2f}{sp_rtt[r]:>10.2f}{qp_rtt[r]:>10.2f}")
print(f"  {'median':<8}{med(nb_rtt):>10.2f}{med(sp_rtt):>10.2f}{med(qp_rtt):>10.2f}")
print("throughput, Gbit/s (iperf3: receiver side)")
print(f"  {'round':<8}{'netbench':>10}{'iperf3':>10}")
for r in range(rounds):
    print(f"  {r+1:<8}{nb_gbit[r]:>10.2f}{ip_gbit[r]:>10.2f}")
print(f"  {'median':<8}{med(nb_gbit):>10.2f}{med(ip_gbit):>10.2f}")
def rtt_ratio(ix):
    return med([nb_rtt[i] for i in ix]) / min(med([sp_rtt[i] for i in ix]), med([qp_rtt[i] for i in ix]))
def tput_ratio(ix):
    return med([nb_gbit[i] for i in ix]) / med([ip_gbit[i] for i in ix])
def ci(f):
    # Bootstrap over rounds (each resample keeps a round's tools together): 95% interval.
    rng = random.Random(2544)
    v = sorted(f([rng.randrange(rounds) for _ in range(rounds)]) for _ in range(2000))
    return v[49], v[1949]
every = list(range(rounds))
r, (lo, hi) = rtt_ratio(every), ci(rtt_ratio)
print(f"ratio netbench RTT / best peer RTT   = {r:.3f}  95% CI {lo:.3f}-{hi:.3f}  "
      f"(target <= 1.05: {'met' if r <= 1.05 else 'missed'})")
r, (lo, hi) = tput_ratio(every), ci(tput_ratio)
print(f"ratio netbench Gbit/s / iperf3       = {r:.3f}  95% CI {lo:.3f}-{hi:.3f}  "
      f"(target >= 0.95: {'met' if r >= 0.95 else 'missed'})")
print("The interval is this machine's noise: rounds minutes apart differ by 10-20% for every tool.")
PY
