#!/bin/bash
# Where a parallel stream's CPU goes, and how much it moves per CPU second: netbench
# tcp_stream/streams:4 against iperf3 -P 4 (and tools/stream_probe.cpp's poll sender, the
# structure iperf3 3.x has), interleaved in rounds on one testbed (`netbench up runc/<driver>`),
# every tool in the containers' namespaces, cgroups and CPUs. Each tool is read over one steady
# window of its flow (from 0.6 s after the server's interface starts receiving, for 1.5 s):
# the rate from that interface's own rx_bytes, and every CPU's user, system, softirq, steal and
# idle share from /proc/stat. The sender's CPU is the bottleneck on this path (it runs the
# receiver's TCP softirq too: veth and macvlan hand a packet to the next namespace on the
# sending CPU), so "per busy second" (the rate over the client CPU's time neither idle nor
# stolen) tells a tool's cost per byte apart from the machine's steal.
#
#   tools/stream_cpu_split.sh [driver] [rounds] [out]   (default: macvlan 8, stdout)
#
# Over the same window, perf's syscall tracepoints count each CPU's syscalls (apt: linux-perf):
# per GB received, the client's writes (send/write) and waits (poll/select), the server's reads
# (recv/read) and waits, so two tools' shapes compare per byte (iperf3 3.12: pselect + write,
# pselect + a block filled with reads; netbench: poll + send, poll + recv).
#
# NB_BUILD=DIR measures that build's netbench (and its nb-agent, which `netbench up` puts in
# the containers); stream_probe is always this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/testbed_lib.sh
driver=${1:-macvlan}
rounds=${2:-8}
out=${3:-/dev/stdout}
nb=${NB_BUILD:-build}/netbench
probe=$PWD/build/stream_probe
for tool in iperf3 jq nsenter taskset perf "$nb" "$probe"; do
  command -v "$tool" > /dev/null ||
    { echo "error: $tool not found (build netbench first; perf: apt-get install linux-perf)" >&2; exit 2; }
done
testbed_up "$driver" "stream_probe server 7060" "iperf3 -s -1 -p 7061"
calls=(sendto write poll pselect6 select recvfrom read)
events=$(printf 'syscalls:sys_enter_%s,' "${calls[@]}")
perf stat -a -x, -e "${events%,}" -- true > /dev/null 2>&1 ||
  { echo "error: perf cannot count syscall tracepoints here (is debugfs/tracefs mounted?)" >&2; exit 2; }
# The server container's interface: the one in its namespace that holds an address (not lo).
sif=$(nsenter --net="$sns" ip -j addr show | /usr/bin/python3 -c "
import json, sys
print(next(l['ifname'] for l in json.load(sys.stdin) if l['ifname'] != 'lo' and l.get('addr_info')))")
# (ip's own counters: /sys/class/net under nsenter is still the mounter's namespace's.)
rx() { nsenter --net="$sns" ip -j -s link show dev "$sif" | jq '.[0].stats64.rx.bytes'; }

# window TOOL: waits for the flow (100 ms windows until one carries 1 Gbit/s, 10 s at most),
# then reads rx_bytes and /proc/stat 0.6 s later and 1.5 s after that; one row to rows. A flow
# that never got there gives no row (its window would not be a steady one), and says so.
window() {
  local tool=$1 b0 b1 s0 s1 i flowing=
  b0=$(rx)
  for i in $(seq 1 100); do
    sleep 0.1
    b1=$(rx)
    (((b1 - b0) * 8 * 10 >= 1000000000)) && { flowing=1; break; }
    b0=$b1
  done
  if [ -z "$flowing" ]; then
    echo "warning: $tool's flow did not reach 1 Gbit/s within 10 s: no window this round" >&2
    return 0
  fi
  sleep 0.6
  b0=$(rx)
  s0=$(grep -E '^cpu[0-9]' /proc/stat)
  perf stat -a -A -x, -e "${events%,}" -o "$tmp/perf.csv" -- sleep 1.5
  b1=$(rx)
  s1=$(grep -E '^cpu[0-9]' /proc/stat)
  /usr/bin/python3 - "$tool" "$b0" "$b1" "$ccpu" "$scpu" "$s0" "$s1" "$tmp/perf.csv" \
    >> "$tmp/rows" << 'EOF'
import sys
tool, b0, b1, ccpu, scpu, s0, s1, perf_csv = sys.argv[1:]
# perf -A -x,: "CPU0,count,,syscalls:sys_enter_NAME,..." per CPU and event.
calls = {}
for line in open(perf_csv):
    f = line.strip().split(",")
    if len(f) > 3 and f[0].startswith("CPU") and f[3].startswith("syscalls:sys_enter_"):
        n = int(f[1]) if f[1].isdigit() else 0
        calls[(f[0][3:], f[3].split("sys_enter_")[1])] = n
def per_gb(cpu, names):
    gb = (int(b1) - int(b0)) / 1e9 or 1e-9
    return sum(calls.get((cpu, n), 0) for n in names) / gb
shape = [per_gb(ccpu, ("sendto", "write")), per_gb(ccpu, ("poll", "pselect6", "select")),
         per_gb(scpu, ("recvfrom", "read")), per_gb(scpu, ("poll", "pselect6", "select"))]
def parse(t):
    return {l.split()[0]: [int(x) for x in l.split()[1:]] for l in t.splitlines()}
a, b = parse(s0), parse(s1)
gbit = (int(b1) - int(b0)) * 8 / 1.5 / 1e9
cols = []
busy = {}
for cpu in sorted(a):
    d = [y - x for x, y in zip(a[cpu], b[cpu])]
    tot = sum(d) or 1
    usr, sys_, idle, sirq, steal = d[0] + d[1], d[2], d[3] + d[4], d[6], d[7]
    busy[cpu] = (tot - idle - steal) / tot
    cols.append(f"{cpu}:{100*usr/tot:.0f}/{100*sys_/tot:.0f}/{100*sirq/tot:.0f}/{100*steal/tot:.0f}/{100*idle/tot:.0f}")
c = busy.get("cpu" + ccpu, 0) or 1e-9
print(f"{tool} {gbit:.2f} {gbit / c:.2f} {' '.join(f'{x:.0f}' for x in shape)} {' '.join(cols)}")
EOF
}

for r in $(seq 1 "$rounds"); do
  "$nb" --attach "$run" --loads idle --tests tcp_stream --streams 4 --benchmark_repetitions=1 \
    --benchmark_min_time=3 --quiet > /dev/null 2>&1 &
  nbpid=$!
  window netbench
  wait "$nbpid" || { echo "error: netbench failed in round $r" >&2; exit 1; }
  in_server iperf3 -s -1 -p 7061 > /dev/null 2>&1 &
  sleep 0.3
  in_client iperf3 -c "$target" -p 7061 -l 128K -t 3 -P 4 > /dev/null 2>&1 &
  cpid=$!
  window iperf3-P4
  wait "$cpid" || { echo "error: iperf3 failed in round $r" >&2; exit 1; }
  wait
  in_server "$probe" server 7060 4 mux > /dev/null 2>&1 &
  sleep 0.2
  in_client "$probe" client "$target" 7060 4 mux 3 > /dev/null 2>&1 &
  cpid=$!
  window probe-mux
  wait "$cpid" || { echo "error: stream_probe failed in round $r" >&2; exit 1; }
  wait
  echo "round $r/$rounds done" >&2
done

/usr/bin/python3 - "$tmp/rows" "$driver" "$rounds" "$ccpu" "$scpu" > "$out" << 'EOF'
import statistics, sys, collections
path, driver, rounds, ccpu, scpu = sys.argv[1:]
rows = collections.defaultdict(list)
for line in open(path):
    f = line.split()
    rows[f[0]].append((float(f[1]), float(f[2]), f[7:], [float(x) for x in f[3:7]]))
print(f"parallel streams (4) on runc/{driver}: one steady 1.5 s window per tool and round, "
      f"{rounds} rounds interleaved; client on CPU {ccpu}, server on CPU {scpu}")
print("per CPU: user/system/softirq/steal/idle %, medians over the rounds")
print(f"{'tool':12} {'Gbit/s':>8} {'per busy client s':>18}  per-CPU split")
for tool, rs in rows.items():
    g = statistics.median(r[0] for r in rs)
    n = statistics.median(r[1] for r in rs)
    cpus = [c.split(":")[0] for c in rs[0][2]]
    split = []
    for i, cpu in enumerate(cpus):
        parts = [[float(x) for x in r[2][i].split(":")[1].split("/")] for r in rs]
        med = [statistics.median(p[k] for p in parts) for k in range(5)]
        split.append(f"{cpu} " + "/".join(f"{m:.0f}" for m in med))
    print(f"{tool:12} {g:8.2f} {n:18.2f}  {'  '.join(split)}")
    print(f"{'':12} {len(rs)} windows: " + " ".join(f"{r[0]:.1f}" for r in rs))
print()
print("syscalls per GB received, medians over the rounds (perf's syscall tracepoints, same window)")
print(f"{'tool':12} {'client writes':>14} {'client waits':>13} {'server reads':>13} {'server waits':>13}")
for tool, rs in rows.items():
    med = [statistics.median(r[3][k] for r in rs) for k in range(4)]
    print(f"{tool:12} " + " ".join(f"{m:>{w}.0f}" for m, w in zip(med, (14, 13, 13, 13))))
EOF
