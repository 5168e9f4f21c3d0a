#!/bin/bash
# netbench against established tools on the same kind of path, interleaved in one run.
#
#   tools/bench_vs_peers.sh [driver] [rounds]      (default: bridge 10; rounds >= 3)
#
# Everything runs on one testbed left up by `netbench up runc/<driver>`. Each round runs these
# pairs one after the other, netbench's side first in odd rounds and the peers' in even ones:
# netbench tcp_rr, sockperf ping-pong (TCP, 64 B), qperf tcp_lat (64 B),
# netbench tcp_stream, iperf3 (-l 128K), netbench udp_rr, sockperf ping-pong (UDP, 64 B),
# netbench tcp_stream_reverse, iperf3 -R (the server sends), netbench tcp_stream/streams:4,
# iperf3 -P 4, four iperf3 processes at once (iperf3 3.x runs -P's streams on one thread; this
# is the usual way round it), netbench tcp_rr/poll:busy, tools/spin_rr.cpp (both ends spinning on non-blocking
# recv: sockperf 3.7's client cannot connect a non-blocking TCP socket), netbench
# udp_rr/poll:busy, sockperf ping-pong UDP --nonblocked against a server spinning on
# epoll_wait(0) (--nonblocked --timeout 0), spin_rr's UDP mode. netbench measures with `--attach`: its client agent
# is exec'd into the client container and talks to the server container's agent. The peers
# run where netbench's agents run: in the containers' network namespaces, on their CPUs (server
# on host B's, client on host A's) and in their cgroups (on this machine the container's cgroups
# alone cost iperf3 a few percent). All but the busy-poll pairs use blocking sockets (sockperf's
# server multiplexes its listening socket with epoll, its default). sockperf and qperf print half the round trip;
# the table doubles them. iperf3 runs with -O 1: like netbench, which warms its connection up
# before measuring, it measures a warm connection. iperf3's -O is a pre-test added before the -t
# seconds (iperf 3.x: client and server time duration + omit, and reset their counters when
# the omit period ends), so -t stays $secs and the measured part is still $secs seconds; the
# report checks that from iperf3's own JSON (omit and the receiver's seconds).
#
# Honest by construction: every netbench invocation's exit status is checked (the script stops
# with netbench's last lines); errored netbench repetitions (error_occurred; Google Benchmark
# writes real_time 0 for them) are dropped and counted, and a round with none left stops the
# script; the header records netbench's commit and each peer's version. Each ratio is given
# two ways, each with a bootstrap 95% interval: the median over rounds of netbench over the best
# peer's median, and the paired ratio, the median over rounds of netbench's value over that
# peer's in the same round (the two ran back to back, so a slow minute of the machine moves
# both and cancels; the peer is the one with the best median over all rounds, never chosen
# round by round, which would favour the peers by picking each round's luckier one). A target
# is "met" only when the whole interval is on its good side, "missed" when the whole interval
# is on the bad side, and "undecided (interval crosses the target)" otherwise. The results file
# is written only when the report is.
# ONLY="GROUP..." runs only those pairs (rr stream udp reverse parallel busy; the results file
# is then bench_vs_peers-DRIVER-GROUP+GROUP.txt): more rounds of the pairs in question in the same
# time. OUT=FILE writes the results there instead. KEEP_TMP=1 keeps every tool's raw output.
# OUTSIDE=1 also runs iperf3, in each round, in the containers' namespaces and on their CPUs
# but outside their cgroups (port 7020), and reports it side by side: what the containers'
# cgroups cost a stream.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
driver=${1:-bridge}
rounds=${2:-10}
secs=3
nb=build/netbench
spin=build/spin_rr
all_groups="rr stream udp reverse parallel busy"
groups=${ONLY:-$all_groups}
for g in $groups; do
  case " $all_groups " in
    *" $g "*) ;;
    *) echo "error: ONLY names '$g'; the groups are: $all_groups" >&2; exit 2 ;;
  esac
done
only_tag=
[ -z "${ONLY:-}" ] || only_tag=-$(echo $groups | tr ' ' '+')
out=${OUT:-results/bench_vs_peers-$driver$only_tag${OUTSIDE:+-cgroups}.txt}
py=/usr/bin/python3
case $rounds in
  '' | *[!0-9]*) echo "usage: $0 [driver] [rounds >= 3]" >&2; exit 2 ;;
esac
if [ "$rounds" -lt 3 ]; then
  echo "error: $rounds round(s): a bootstrap interval needs at least 3" >&2
  exit 2
fi
tmp=$(mktemp -d)

# show_failure WHAT RC LOG...: says WHAT failed with exit status RC, then each LOG's last lines.
show_failure() {
  local what=$1 rc=$2
  shift 2
  echo "error: $what failed (exit $rc); its last lines:" >&2
  for log in "$@"; do
    echo "--- $log" >&2
    tail -n 20 "$log" >&2 || true
  done
}

# checked LOG COMMAND...: runs COMMAND with stdout and stderr in LOG; stops the script, showing
# LOG's last lines, when it exits non-zero.
checked() {
  local log=$1 rc=0
  shift
  "$@" > "$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    show_failure "$*" "$rc" "$log"
    exit 1
  fi
}

# checked_out OUT ERR COMMAND...: the same with stdout in OUT (e.g. JSON) and stderr in ERR.
checked_out() {
  local out=$1 err=$2 rc=0
  shift 2
  "$@" > "$out" 2> "$err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    show_failure "$*" "$rc" "$out" "$err"
    exit 1
  fi
}

for tool in sockperf qperf iperf3 nsenter taskset "$nb" "$spin"; do
  command -v "$tool" > /dev/null || { echo "error: $tool not found" >&2; exit 2; }
done

cleanup() {
  local rc=$?
  pkill -f "sockperf sr --tcp -i 0.0.0.0 -p 7016" 2>/dev/null || true
  pkill -f "sockperf sr -i 0.0.0.0 -p 7021" 2>/dev/null || true
  pkill -f "qperf -lp 7018" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7017" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7020" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7022" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 7023" 2>/dev/null || true
  pkill -f "iperf3 -s -1 -p 702[6-9]" 2>/dev/null || true
  pkill -f "spin_rr server 7024" 2>/dev/null || true
  pkill -f "sockperf sr -i 0.0.0.0 -p 7025" 2>/dev/null || true
  pkill -f "spin_rr server 7030" 2>/dev/null || true
  if [ -n "${run:-}" ]; then
    local down_rc=0
    "$nb" down "$run" > "$tmp/down.log" 2>&1 || down_rc=$?
    if [ "$down_rc" -ne 0 ]; then
      show_failure "$nb down $run" "$down_rc" "$tmp/down.log"
      [ "$rc" -ne 0 ] || rc=1
    fi
  fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT

# What was measured with: netbench's source commit (build/netbench's JSON says which it was
# built from; this is the fallback) and each peer's version (first line), taken before measuring.
first_line() {
  local text
  text=$("$@" 2>&1) || true
  text=${text%%$'\n'*}
  echo "${text:-unknown}"
}
git_commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "sockperf: $(first_line sockperf --version)"
  echo "qperf: $(first_line qperf --version)"
  echo "iperf3: $(first_line iperf3 --version)"
} > "$tmp/versions.txt"

checked_out "$tmp/up.json" "$tmp/up.log" "$nb" up "runc/$driver" --json
testbed_fields "$tmp/up.json"
# stop_spinner PATTERN PID: ends a spinning server started with in_server & (PID is the
# backgrounded function's shell; the server is its child, so it is found by its command line)
# and checks it is gone: one left running would hold the server's CPU for every later tool.
stop_spinner() {
  pkill -f "$1" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
  if pgrep -f "$1" > /dev/null; then
    echo "error: '$1' is still running after it was stopped" >&2
    exit 1
  fi
}

in_server sockperf sr --tcp -i 0.0.0.0 -p 7016 > "$tmp/sockperf_server.txt" 2>&1 &
in_server qperf -lp 7018 > "$tmp/qperf_server.txt" 2>&1 &
in_server sockperf sr -i 0.0.0.0 -p 7021 > "$tmp/sockperf_udp_server.txt" 2>&1 &
sleep 1

# Each pair of a round, by its group's name (ONLY picks some): nb_GROUP runs netbench's side,
# peers_GROUP the peers'.
nb_rr() {  # R
  local r=$1
  checked "$tmp/nb_rr_$r.log" "$nb" --attach "$run" --loads idle --tests tcp_rr \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb_rr_$r.json"
}

peers_rr() {  # R
  local r=$1
  checked "$tmp/sockperf_$r.txt" in_client sockperf pp --tcp -i "$target" -p 7016 -m 64 -t "$secs"
  checked "$tmp/qperf_$r.txt" in_client qperf -lp 7018 -ip 7019 -m 64 -t "$secs" "$target" tcp_lat
}

nb_stream() {  # R
  local r=$1
  checked "$tmp/nb_stream_$r.log" "$nb" --attach "$run" --loads idle --tests tcp_stream \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb_stream_$r.json"
}

peers_stream() {  # R
  local r=$1
  in_server iperf3 -s -1 -p 7017 > "$tmp/iperf3_server_$r.txt" 2>&1 &
  iperf3_server=$!
  sleep 0.5
  checked_out "$tmp/iperf3_$r.json" "$tmp/iperf3_$r.err" \
    in_client iperf3 -c "$target" -p 7017 -l 128K -O 1 -t "$secs" -J
  wait "$iperf3_server" 2>/dev/null || true
  if [ -n "${OUTSIDE:-}" ]; then
    nsenter --net="$sns" -- taskset -c "$scpu" iperf3 -s -1 -p 7020 \
      > "$tmp/iperf3o_server_$r.txt" 2>&1 &
    iperf3_server=$!
    sleep 0.5
    checked_out "$tmp/iperf3o_$r.json" "$tmp/iperf3o_$r.err" \
      nsenter --net="$cns" -- taskset -c "$ccpu" \
      iperf3 -c "$target" -p 7020 -l 128K -O 1 -t "$secs" -J
    wait "$iperf3_server" 2>/dev/null || true
  fi
}

nb_udp() {  # R
  local r=$1
  checked "$tmp/nb_udp_$r.log" "$nb" --attach "$run" --loads idle --tests udp_rr \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb_udp_$r.json"
}

peers_udp() {  # R
  local r=$1
  checked "$tmp/sockperf_udp_$r.txt" in_client sockperf pp -i "$target" -p 7021 -m 64 -t "$secs"
}

nb_reverse() {  # R
  local r=$1
  checked "$tmp/nb_reverse_$r.log" "$nb" --attach "$run" --loads idle --tests tcp_stream_reverse \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb_reverse_$r.json"
}

peers_reverse() {  # R
  local r=$1
  in_server iperf3 -s -1 -p 7022 > "$tmp/iperf3r_server_$r.txt" 2>&1 &
  iperf3_server=$!
  sleep 0.5
  checked_out "$tmp/iperf3r_$r.json" "$tmp/iperf3r_$r.err" \
    in_client iperf3 -c "$target" -p 7022 -l 128K -O 1 -t "$secs" -R -J
  wait "$iperf3_server" 2>/dev/null || true
}

nb_parallel() {  # R
  local r=$1
  checked "$tmp/nb_parallel_$r.log" "$nb" --attach "$run" --loads idle --tests tcp_stream \
    --streams 4 --benchmark_repetitions=3 --benchmark_out="$tmp/nb_parallel_$r.json"
}

peers_parallel() {  # R
  local r=$1
  in_server iperf3 -s -1 -p 7023 > "$tmp/iperf3p_server_$r.txt" 2>&1 &
  iperf3_server=$!
  sleep 0.5
  checked_out "$tmp/iperf3p_$r.json" "$tmp/iperf3p_$r.err" \
    in_client iperf3 -c "$target" -p 7023 -l 128K -O 1 -t "$secs" -P 4 -J
  wait "$iperf3_server" 2>/dev/null || true
  servers=() clients=()
  for port in 7026 7027 7028 7029; do
    in_server iperf3 -s -1 -p "$port" > "$tmp/iperf3m_server_${r}_$port.txt" 2>&1 &
    servers+=($!)
  done
  sleep 0.5
  for port in 7026 7027 7028 7029; do
    in_client iperf3 -c "$target" -p "$port" -l 128K -O 1 -t "$secs" -J \
      > "$tmp/iperf3m_${r}_$port.json" 2> "$tmp/iperf3m_${r}_$port.err" &
    clients+=($!)
  done
  for i in "${!clients[@]}"; do
    rc=0
    wait "${clients[$i]}" || rc=$?
    if [ "$rc" -ne 0 ]; then
      show_failure "iperf3 client $((7026 + i))" "$rc" "$tmp/iperf3m_${r}_$((7026 + i)).json" \
        "$tmp/iperf3m_${r}_$((7026 + i)).err"
      exit 1
    fi
  done
  wait "${servers[@]}" 2>/dev/null || true
}

nb_busy() {  # R
  local r=$1
  checked "$tmp/nb_busy_$r.log" "$nb" --attach "$run" --loads idle --tests tcp_rr --poll busy \
    --benchmark_repetitions=3 --benchmark_out="$tmp/nb_busy_$r.json"
  checked "$tmp/nb_udp_busy_$r.log" "$nb" --attach "$run" --loads idle --tests udp_rr \
    --poll busy --benchmark_repetitions=3 --benchmark_out="$tmp/nb_udp_busy_$r.json"
}

peers_busy() {  # R
  local r=$1
  in_server "$spin" server 7024 > "$tmp/spin_server_$r.txt" 2>&1 &
  spin_server=$!
  sleep 0.3
  checked "$tmp/spin_$r.txt" in_client "$spin" client "$target" 7024 "$secs"
  wait "$spin_server" 2>/dev/null || true
  # A spinning server holds its CPU for as long as it runs, once it has had a client: started
  # for its client only, so it never competes with the other tools.
  in_server sockperf sr -i 0.0.0.0 -p 7025 --nonblocked --timeout 0 \
    > "$tmp/sockperf_udp_busy_server_$r.txt" 2>&1 &
  sockperf_busy_server=$!
  sleep 0.5
  checked "$tmp/sockperf_udp_busy_$r.txt" in_client sockperf pp -i "$target" -p 7025 -m 64 \
    -t "$secs" --nonblocked
  stop_spinner "sockperf sr -i 0.0.0.0 -p 7025" "$sockperf_busy_server"
  in_server "$spin" server 7030 64 udp > "$tmp/spin_udp_server_$r.txt" 2>&1 &
  spin_server=$!
  sleep 0.3
  checked "$tmp/spin_udp_$r.txt" in_client "$spin" client "$target" 7030 "$secs" 64 udp
  stop_spinner "spin_rr server 7030" "$spin_server"
}

# Which side of a pair runs first alternates: netbench in odd rounds, the peers in even ones.
# The side that ran second measured more (parallel streams on macvlan, 30 rounds, before
# netbench's stream warm-up: netbench / iperf3 -P 0.875 when netbench ran first, 0.993 when
# the peers did; results/bench_vs_peers-macvlan-parallel-order.txt), so a fixed order puts
# that into every ratio; alternated, each order's share is the same in every resample.
for r in $(seq 1 "$rounds"); do
  for g in $groups; do
    if ((r % 2)); then "nb_$g" "$r"; "peers_$g" "$r"; else "peers_$g" "$r"; "nb_$g" "$r"; fi
  done
  echo "round $r/$rounds done" >&2
done

$py - "$tmp" "$rounds" "$driver" "$secs" "$git_commit" "$groups" > "$tmp/report.txt" <<'PY'
import json, re, random, statistics, sys, datetime, platform
tmp, rounds, driver, secs, git_commit = (sys.argv[1], int(sys.argv[2]), sys.argv[3],
                                         int(sys.argv[4]), sys.argv[5])
groups = set(sys.argv[6].split())
US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}

def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)

def med(v): return statistics.median(v)

# Each group's netbench tests, with the tag of their files in $tmp (nb_<tag>_<round>.json).
GROUP_TESTS = {"rr": [("tcp_rr", "rr")], "stream": [("tcp_stream", "stream")],
               "udp": [("udp_rr", "udp")], "reverse": [("tcp_stream_reverse", "reverse")],
               "parallel": [("tcp_stream/streams:4", "parallel")],
               "busy": [("tcp_rr/poll:busy", "busy"), ("udp_rr/poll:busy", "udp_busy")]}
FILES = {test: tag for tests in GROUP_TESTS.values() for test, tag in tests}
commits, dropped = set(), {t: 0 for t in FILES}

def netbench_round(r, test, value):
    """The mean over one round's good repetitions of value(rep); errored ones are dropped."""
    path = f"{tmp}/nb_{FILES[test]}_{r}.json"
    d = json.load(open(path))
    commits.add(str(d.get("context", {}).get("netbench_commit") or "unknown"))
    reps = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
    names = sorted({b.get("run_name") or b["name"] for b in reps})
    if len(names) != 1:
        fail(f"round {r}: expected one netbench {test} case, got {names or 'none'} ({path})")
    good = [b for b in reps if not b.get("error_occurred")]
    dropped[test] += len(reps) - len(good)
    if not good:
        errors = "; ".join(dict.fromkeys(str(b.get("error_message", "?")) for b in reps))
        fail(f"round {r}: every netbench {test} repetition errored ({errors})")
    values = [value(b) for b in good]
    if any(v is None or v <= 0 for v in values):
        fail(f"round {r}: a netbench {test} repetition has no positive value ({path})")
    return statistics.mean(values)

def rtt_us(b):
    return b["real_time"] * US[b.get("time_unit", "ns")]

def iperf3_round(r, name="iperf3"):
    i = json.load(open(f"{tmp}/{name}_{r}.json"))
    if "error" in i:
        fail(f"round {r}: iperf3: {i['error']}")
    omit = i["start"]["test_start"]["omit"]
    received = i["end"]["sum_received"]
    if omit != 1 or abs(received["seconds"] - secs) > 0.5:
        fail(f"round {r}: iperf3 measured {received['seconds']:.2f} s with omit {omit}, "
             f"expected {secs} s after omitting 1 s")
    return received["bits_per_second"] / 1e9

def half_rtt(text, pattern, what, r):
    m = re.search(pattern, text)
    if not m:
        fail(f"round {r}: no latency in {what}'s output")
    return m

nb_rtt, nb_gbit, sp_rtt, qp_rtt, ip_gbit, nb_udp, spu_rtt = [], [], [], [], [], [], []
nb_rev, ipr_gbit = [], []
nb_par, ipp_gbit, ipm_gbit, nb_busy, spin_rtt, nb_udp_busy, spub_rtt = [], [], [], [], [], [], []
spinu_rtt = []
for r in range(1, rounds + 1):
    if "parallel" in groups:
        nb_par.append(netbench_round(r, "tcp_stream/streams:4", lambda b: b.get("gbit_per_s")))
        ipp_gbit.append(iperf3_round(r, "iperf3p"))
        ipm_gbit.append(sum(iperf3_round(f"{r}_{port}", "iperf3m") for port in range(7026, 7030)))
    if "busy" in groups:
        nb_busy.append(netbench_round(r, "tcp_rr/poll:busy", rtt_us))
        m = half_rtt(open(f"{tmp}/spin_{r}.txt").read(), r"rtt_us=([\d.]+)", "spin_rr", r)
        spin_rtt.append(float(m.group(1)))
        nb_udp_busy.append(netbench_round(r, "udp_rr/poll:busy", rtt_us))
        s = open(f"{tmp}/sockperf_udp_busy_{r}.txt").read()
        spub_rtt.append(2 * float(half_rtt(s, r"avg-latency=([\d.]+)", "sockperf (UDP, busy)",
                                           r).group(1)))
        m = half_rtt(open(f"{tmp}/spin_udp_{r}.txt").read(), r"rtt_us=([\d.]+)", "spin_rr udp", r)
        spinu_rtt.append(float(m.group(1)))
    if "reverse" in groups:
        nb_rev.append(netbench_round(r, "tcp_stream_reverse", lambda b: b.get("gbit_per_s")))
        ipr_gbit.append(iperf3_round(r, "iperf3r"))
    if "udp" in groups:
        nb_udp.append(netbench_round(r, "udp_rr", rtt_us))
        s = open(f"{tmp}/sockperf_udp_{r}.txt").read()
        spu_rtt.append(2 * float(half_rtt(s, r"avg-latency=([\d.]+)", "sockperf (UDP)",
                                          r).group(1)))
    if "rr" in groups:
        nb_rtt.append(netbench_round(r, "tcp_rr", rtt_us))
        s = open(f"{tmp}/sockperf_{r}.txt").read()
        sp_rtt.append(2 * float(half_rtt(s, r"avg-latency=([\d.]+)", "sockperf", r).group(1)))
        q = open(f"{tmp}/qperf_{r}.txt").read()
        m = half_rtt(q, r"latency\s*=\s*([\d.]+)\s*(us|ms|ns)", "qperf", r)
        qp_rtt.append(2 * float(m.group(1)) * {"us": 1, "ms": 1000, "ns": 0.001}[m.group(2)])
    if "stream" in groups:
        nb_gbit.append(netbench_round(r, "tcp_stream", lambda b: b.get("gbit_per_s")))
        ip_gbit.append(iperf3_round(r))
outside = "stream" in groups and __import__("os").path.exists(f"{tmp}/iperf3o_1.json")
io_gbit = [iperf3_round(r, "iperf3o") for r in range(1, rounds + 1)] if outside else []
if len(commits) > 1:
    fail(f"build/netbench changed during the run: commits {sorted(commits)}")
commit = next(iter(commits))
if commit == "unknown":
    commit = f"{git_commit} (git rev-parse; build/netbench does not say)"
elif git_commit not in ("unknown", commit):
    commit += f" (build/netbench's; the source tree is at {git_commit})"
print(f"netbench (--attach) vs peers on one `netbench up runc/{driver}` testbed, {rounds} interleaved rounds "
      "(netbench first in odd rounds, the peers first in even ones), "
      f"{datetime.datetime.now().isoformat(timespec='seconds')}, kernel {platform.release()}")
print(f"netbench commit {commit}")
print(open(f"{tmp}/versions.txt").read().rstrip("\n"))
ran = [test for g, tests in GROUP_TESTS.items() if g in groups for test, _ in tests]
print("netbench: 3 repetitions per round, errored ones dropped ("
      + ", ".join(f"{t} {dropped[t]}" for t in ran) + " in all); "
      f"peers: {secs} s each, iperf3 after a 1 s omitted warm-up (-O 1), spin_rr after 1 s")

def table(title, columns):
    """columns: (header, per-round values); one row a round, then the medians."""
    print(title)
    print(f"  {'round':<8}" + "".join(f"{h:>{max(10, len(h) + 2)}}" for h, _ in columns))
    for r in range(rounds):
        print(f"  {r+1:<8}" + "".join(f"{v[r]:>{max(10, len(h) + 2)}.2f}" for h, v in columns))
    print(f"  {'median':<8}" + "".join(f"{med(v):>{max(10, len(h) + 2)}.2f}" for h, v in columns))

if "rr" in groups:
    table("round trip, us (sockperf/qperf: 2 x their half round trip)",
          [("netbench", nb_rtt), ("sockperf", sp_rtt), ("qperf", qp_rtt)])
if "stream" in groups:
    table("throughput, Gbit/s (iperf3: receiver side" +
          ("; iperf3-out: outside the containers' cgroups)" if outside else ")"),
          [("netbench", nb_gbit), ("iperf3", ip_gbit)] +
          ([("iperf3-out", io_gbit)] if outside else []))
if "udp" in groups:
    table("UDP round trip, us (sockperf: 2 x its half round trip)",
          [("netbench", nb_udp), ("sockperf", spu_rtt)])
if "reverse" in groups:
    table("reverse throughput (the server sends), Gbit/s (iperf3 -R: receiver side)",
          [("netbench", nb_rev), ("iperf3 -R", ipr_gbit)])
if "parallel" in groups:
    table("parallel throughput, 4 connections, Gbit/s (receiver side, summed; iperf3 3.x runs -P's "
          "streams on one thread, netbench one sender thread per CPU, one here; iperf3 x4: four "
          "processes at once)",
          [("netbench", nb_par), ("iperf3 -P", ipp_gbit), ("iperf3 x4", ipm_gbit)])
if "busy" in groups:
    table("busy-poll round trip, us (both ends spinning; sockperf: 2 x its half round trip)",
          [("nb tcp", nb_busy), ("spin_rr", spin_rtt)] +
          ([("nb tcp bl", nb_rtt)] if "rr" in groups else []) +
          [("nb udp", nb_udp_busy), ("sockperf", spub_rtt), ("spin udp", spinu_rtt)])
def ratio(ours, *peers, best=min):
    """ix -> our median over rounds ix / the best of the peers' medians (min: RTT, max: rate)."""
    return lambda ix: med([ours[i] for i in ix]) / best(med([p[i] for i in ix]) for p in peers)
def paired(ours, *peers, best=min):
    """ix -> the median over rounds ix of ours / the peer's value in the same round, the peer
    being the one with the best median over every round (fixed, not chosen per resample)."""
    peer = best(peers, key=lambda p: med(p))
    return lambda ix: med([ours[i] / peer[i] for i in ix])
# Rounds by which side ran first (round 1, index 0, ran netbench first).
nb_first = [i for i in range(rounds) if i % 2 == 0]
peers_first = [i for i in range(rounds) if i % 2 == 1]
def ci(f):
    # Bootstrap over rounds (each resample keeps a round's tools together), within each order
    # (every resample holds as many netbench-first rounds as the run): 95% interval.
    rng = random.Random(2544)
    v = sorted(f([rng.choice(nb_first) for _ in nb_first] +
                 [rng.choice(peers_first) for _ in peers_first]) for _ in range(2000))
    return v[49], v[1949]
def verdict(lo, hi, target, lower_is_better):
    """met / missed only when the whole interval is on one side of the target."""
    good_lo, good_hi = (hi <= target, lo > target) if lower_is_better else (lo >= target, hi < target)
    if good_lo:
        return "met"
    if good_hi:
        return "missed"
    return "undecided (interval crosses the target)"
every = list(range(rounds))
def show(label, ours, *peers, best=min, target=None, lower_is_better=True, sign=None):
    for kind, f in (("", ratio(ours, *peers, best=best)),
                    ("  paired", paired(ours, *peers, best=best))):
        r, (lo, hi) = f(every), ci(f)
        goal = "no target" if target is None else (
            f"target {sign or ('<=' if lower_is_better else '>=')} {target}: "
            f"{verdict(lo, hi, target, lower_is_better)}")
        print(f"{kind or 'ratio'} {label:<36} = {r:.3f}  95% CI {lo:.3f}-{hi:.3f}  ({goal}); "
              f"netbench first {f(nb_first):.3f}, peers first {f(peers_first):.3f}")
if "rr" in groups:
    show("netbench RTT / best peer RTT", nb_rtt, sp_rtt, qp_rtt, target=1.05)
if "udp" in groups:
    show("netbench udp_rr / sockperf UDP", nb_udp, spu_rtt, target=1.05)
if "reverse" in groups:
    show("netbench reverse / iperf3 -R", nb_rev, ipr_gbit, best=max, target=0.95,
         lower_is_better=False)
if "stream" in groups:
    show("netbench Gbit/s / iperf3", nb_gbit, ip_gbit, best=max, target=0.95,
         lower_is_better=False)
if "parallel" in groups:
    show("netbench streams:4 / best of iperf3 -P 4, x4",
         nb_par, ipp_gbit, ipm_gbit, best=max, target=0.95, lower_is_better=False)
if "busy" in groups:
    show("netbench busy tcp_rr / spin_rr", nb_busy, spin_rtt, target=1.05)
    if "rr" in groups:
        show("netbench busy / blocking tcp_rr", nb_busy, nb_rtt, target=1.0, sign="<")
    show("netbench busy udp_rr / best of sockperf --nonblocked, spin_rr udp",
         nb_udp_busy, spub_rtt, spinu_rtt)
if outside:
    show("iperf3 outside / inside cgroups", io_gbit, ip_gbit)
    show("netbench Gbit/s / iperf3-out", nb_gbit, io_gbit)
print("met / missed: the whole 95% interval is on the target's good / bad side; "
      "undecided: it crosses the target.")
print("The interval is this machine's noise: rounds minutes apart differ by 10-20% for every tool.")
PY
cp "$tmp/report.txt" "$out"
cat "$out"
