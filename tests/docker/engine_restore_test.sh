#!/bin/bash
# ctest docker.engine_restores_the_machine: tools/docker_engine.sh starts a private engine that
# works (ping, crun registered, docker0 at 198.19.0.1, a user network from the 198.19 pools, a
# crun container when a static busybox is at hand), and its stop puts the machine back as it
# was: links, iptables filter and nat, ip_forward and the other global sysctls dockerd
# touches, mounts, the hugetlb cgroup mount, cgroup directories, nft ruleset, files outside
# the engine's own directories, and no dockerd, containerd or shim left running.
# The second engine, 'docker_engine.sh --host2' (its own netns nbtest-host2 behind the veth
# nbtest-h1 198.18.40.1 <-> nbtest-h2 198.18.40.2), the same way: beside host1 (a container of
# its own reaches host1's end of the wire, its cgroups are under netbench-host2, and the root
# netns's iptables, nft and sysctls do not change, neither at its start nor at its stop), with
# host1 stopped first while it runs (the hugetlb mount host1 made stays until host2's stop),
# and alone, with TLS on tcp://198.18.40.2:2376 when openssl is there: each time the machine
# is back as it was, no nbtest-host2 netns and no netbench-host2 cgroup directory left.
#
#   tests/docker/engine_restore_test.sh [path/to/docker_engine.sh]
#
# Exit 77 (ctest: skipped) when it cannot run here: not root, dockerd/crun/curl missing, or
# another Docker engine runs (the script refuses to start beside one).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine=${1:-$here/../../tools/docker_engine.sh}
[[ -x $engine ]] || { echo "FAIL: $engine is not an executable script" >&2; exit 1; }

skip() { echo "SKIP: $*"; exit 77; }
[[ $(id -u) == 0 ]] || skip "needs root"
for c in dockerd containerd crun curl ip iptables-save; do
  command -v "$c" >/dev/null || skip "'$c' is not installed"
done
PY=$(command -v /usr/bin/python3 python3 | head -n1) || skip "python3 is not installed"

work=$(mktemp -d /tmp/nb-engine-test.XXXXXX)
started=0 started2=0
cleanup() {
  local rc=$?
  if ((started2)); then
    echo "-- cleaning up: $engine --host2 stop" >&2
    "$engine" --host2 stop >&2 || true
  fi
  if ((started)); then
    echo "-- cleaning up: $engine stop" >&2
    "$engine" stop >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# --- what "the machine's state" is -----------------------------------------------------

# nft ruleset, without what iptables-restore changes and nothing sees: counters, the order of
# chains in a table, and empty base chains with policy accept (iptables-nft makes its built-in
# chains only when first used; a restore makes them all). Tables and rules in order are kept.
NFT_NORMALIZE='
import re, sys
tables, table, block = {}, None, None
for line in sys.stdin:
    s = re.sub(r"packets \d+ bytes \d+", "packets 0 bytes 0", line.strip())
    if not s:
        continue
    if table is None and s.startswith("table ") and s.endswith("{"):
        table = s[:-1].strip(); tables[table] = []
    elif table is not None and block is None and s == "}":
        table = None
    elif table is not None and block is None and s.endswith("{"):
        block = [s[:-1].strip()]
    elif block is not None and s == "}":
        tables[table].append(block); block = None
    elif block is not None:
        block.append(s)
    else:
        print(s)
for t in sorted(tables):
    print(t)
    for b in sorted(tables[t]):
        if b[0].startswith("chain ") and len(b) == 2 and b[1].startswith("type ") and b[1].endswith("policy accept;"):
            continue
        print("  " + "\n    ".join(b))
'

# Only the parts that must not change; ids, counters and timestamps are dropped.
snapshot() {
  local d=$1 p
  mkdir -p "$d"
  ip -j link | "$PY" -c 'import json,sys; print("\n".join(sorted(l["ifname"] for l in json.load(sys.stdin))))' >"$d/links"
  for t in filter nat; do
    iptables-save -t "$t" | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]/[0:0]/' >"$d/iptables-$t"
  done
  cat /proc/sys/net/ipv4/ip_forward >"$d/ip_forward"
  # Global (not per-link) sysctls: setting ip_forward resets forwarding and accept_redirects.
  sysctl -a 2>/dev/null | grep -E '^net\.(ipv4\.conf\.(all|default)\.|bridge\.|ipv4\.ip_forward)' |
    sort >"$d/sysctls" || true
  # mount point, root, fs type, source, options; not the mount ids.
  awk '{ for (i = 7; $i != "-"; i++); print $5, $4, $(i+1), $(i+2), $6 }' /proc/self/mountinfo |
    sort >"$d/mounts"
  if findmnt -n -t cgroup /sys/fs/cgroup/hugetlb >/dev/null 2>&1; then echo mounted; else echo absent; fi >"$d/hugetlb"
  if [[ -d /sys/fs/cgroup/hugetlb ]]; then echo "dir present"; else echo "dir absent"; fi >>"$d/hugetlb"
  # Hierarchy id and cgroup count: an unmounted hierarchy that still has a child lives on.
  awk '$1 == "hugetlb"' /proc/cgroups >>"$d/hugetlb"
  find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d 2>/dev/null | sort >"$d/cgroups"
  if command -v nft >/dev/null; then nft list ruleset 2>&1 | "$PY" -c "$NFT_NORMALIZE" >"$d/nft"; else : >"$d/nft"; fi
  ip netns list 2>/dev/null | awk '{ print $1 }' | sort >"$d/netns"
  for p in /run/netbench-dockerd /var/lib/netbench-dockerd /run/netbench-dockerd-host2 \
    /var/lib/netbench-dockerd-host2 /run/netns /run/docker /run/containerd \
    /var/lib/docker /var/lib/containerd /etc/docker/key.json /opt/containerd /run/mount /run/crun; do
    if [[ -e $p ]]; then echo "$p present"; else echo "$p absent"; fi
  done >"$d/files"
  # Anything the engine could leave under the few directories it writes to outside its own.
  for p in /run/docker /run/containerd /run/crun; do
    if [[ -d $p ]]; then find "$p" 2>/dev/null | sort; fi
  done >"$d/files-under"
}

# --- before ----------------------------------------------------------------------------

# A zombie (nobody reaped it yet) runs no more.
zombie() { awk '{ exit !($3 == "Z") }' "$1/stat" 2>/dev/null; }

for p in /proc/[0-9]*; do
  if [[ $(cat "$p/comm" 2>/dev/null) == dockerd ]] && ! zombie "$p"; then
    skip "a dockerd already runs (pid ${p#/proc/}): the engine script would refuse to start"
  fi
done

snapshot "$work/before"

# --- start, and the engine works --------------------------------------------------------

t0=$(date +%s%N)
set +e
"$engine" start >"$work/start.out" 2>"$work/start.err"
rc=$?
set -e
start_ms=$(ms_since "$t0")
cat "$work/start.err" >&2
if ((rc == 2)); then skip "the engine script refused to start: $(tail -n1 "$work/start.err")"; fi
started=1
((rc == 0)) || fail "'$engine start' exited $rc"
line=$(tail -n1 "$work/start.out")
[[ $line == DOCKER_HOST=unix:///* ]] || fail "start's last line is not DOCKER_HOST=unix://...: '$line'"
sock=${line#DOCKER_HOST=unix://}
echo "started in $start_ms ms: $line"

again=$("$engine" start 2>/dev/null | tail -n1)
[[ $again == "$line" ]] || fail "a second start printed '$again', not '$line'"
"$engine" status >/dev/null || fail "status says it does not run"
[[ $("$engine" env) == "$line" ]] || fail "env does not print '$line'"

api() { curl -sS --fail-with-body --max-time 60 --unix-socket "$sock" "$@"; }
json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

[[ $(api http://d/_ping) == OK ]] || fail "GET /_ping does not answer OK"
api http://d/v1.41/info >"$work/info.json"
runtimes=$(json '" ".join(sorted(d["Runtimes"]))' <"$work/info.json")
[[ " $runtimes " == *" crun "* ]] || fail "/info does not list runtime crun: $runtimes"
driver=$(json 'd["CgroupDriver"]' <"$work/info.json")
[[ $driver == cgroupfs ]] || fail "cgroup driver is '$driver', not cgroupfs"
root=$(json 'd["DockerRootDir"]' <"$work/info.json")
[[ $root == /var/lib/netbench-dockerd ]] || fail "data root is '$root'"
ip -4 -o addr show dev docker0 | grep -q ' 198\.19\.0\.1/24 ' || fail "docker0 is not at 198.19.0.1/24: $(ip -4 -o addr show dev docker0)"
echo "engine: ping OK, runtimes: $runtimes, cgroup driver $driver, docker0 198.19.0.1/24"

# A user network: its subnet must come from the default-address-pools (198.19.64.0/18).
net=nb-engine-test-$$
api -X POST -H 'Content-Type: application/json' \
  -d "{\"Name\":\"$net\",\"Labels\":{\"io.netbench.run\":\"engine-test\"}}" \
  http://d/v1.41/networks/create >"$work/net.json"
net_id=$(json 'd["Id"]' <"$work/net.json")
subnet=$(api "http://d/v1.41/networks/$net_id" | json 'd["IPAM"]["Config"][0]["Subnet"]')
[[ $subnet =~ ^198\.19\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.0/24$ ]] || fail "network $net got $subnet, not a /24 of 198.19.64.0/18"
echo "network $net: $subnet"

# A crun container, from an image imported from a directory with a static busybox.
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
  # ldd fails on a static executable: the only kind that runs alone in an empty rootfs.
  if [[ -x $b ]] && ! ldd "$b" >/dev/null 2>&1; then busybox=$b; break; fi
done
if [[ -n $busybox ]]; then
  mkdir "$work/rootfs"
  cp "$busybox" "$work/rootfs/busybox"
  tar -C "$work/rootfs" -c . | api -X POST --data-binary @- -H 'Content-Type: application/x-tar' \
    'http://d/v1.41/images/create?fromSrc=-&repo=nbtest&tag=x' >/dev/null
  create() { # name, network, cmd json
    api -X POST -H 'Content-Type: application/json' -d "{\"Image\":\"nbtest:x\",\"Cmd\":$3,
      \"StopTimeout\":1,\"Labels\":{\"io.netbench.run\":\"engine-test\"},
      \"HostConfig\":{\"Runtime\":\"crun\",\"NetworkMode\":\"$2\"}}" \
      "http://d/v1.41/containers/create?name=$1" | json 'd["Id"]'
  }
  t1=$(date +%s%N)
  cid=$(create "nb-engine-test-true-$$" "$net" '["/busybox","true"]')
  api -X POST "http://d/v1.41/containers/$cid/start"
  code=$(api -X POST "http://d/v1.41/containers/$cid/wait" | json 'd["StatusCode"]')
  run_ms=$(ms_since "$t1")
  [[ $code == 0 ]] || fail "crun container '/busybox true' exited $code"
  rt=$(api "http://d/v1.41/containers/$cid/json" | json 'd["HostConfig"]["Runtime"]')
  [[ $rt == crun ]] || fail "the container ran with runtime '$rt'"
  api -X DELETE "http://d/v1.41/containers/$cid?force=1&v=1"
  echo "crun container '/busybox true' on $net: exit 0, create+start+wait $run_ms ms, removed"
  # Left running on docker0 for stop to deal with: veth, netns, rootfs mount, shim, cgroups.
  cid2=$(create "nb-engine-test-sleep-$$" bridge '["/busybox","sleep","600"]')
  api -X POST "http://d/v1.41/containers/$cid2/start"
  state=$(api "http://d/v1.41/containers/$cid2/json" | json 'd["State"]["Status"]')
  [[ $state == running ]] || fail "the sleeping container is '$state'"
  echo "crun container '/busybox sleep 600' left running on docker0 for stop"
else
  echo "no static busybox (Debian: busybox-static): no container, network only"
fi
api -X DELETE "http://d/v1.41/networks/$net_id"
echo "network $net removed"

# --- the machine's state, compared -------------------------------------------------------

# file:name
ALL_STATE=(links:links iptables-filter:"iptables filter" iptables-nat:"iptables nat"
  ip_forward:ip_forward sysctls:sysctls mounts:mounts hugetlb:hugetlb cgroups:cgroups
  nft:"nft ruleset" netns:"netns list" files:files
  files-under:"files under /run/docker /run/containerd /run/crun")
# What host2 must never change in the root netns, even while it runs.
ROOT_NET_STATE=(iptables-filter:"iptables filter" iptables-nat:"iptables nat" ip_forward:ip_forward
  sysctls:sysctls nft:"nft ruleset")

# same what(for messages) reference-snapshot current-snapshot items...
same() {
  local what=$1 ref=$2 cur=$3 item f name ok=() broken=0
  shift 3
  for item in "$@"; do
    f=${item%%:*} name=${item#*:}
    if diff -u "$ref/$f" "$cur/$f" >"$cur/$f.diff"; then
      ok+=("$name")
    else
      echo "NOT the same $what: $name (before -> now):" >&2
      cat "$cur/$f.diff" >&2
      broken=1
    fi
  done
  local list
  list=$(printf '%s, ' "${ok[@]}")
  echo "$what: same ${list%, }"
  ((broken == 0)) || fail "$what: the machine is not as it was"
}

no_daemons_left() {
  local left="" p c
  for p in /proc/[0-9]*; do
    c=$(cat "$p/comm" 2>/dev/null) || continue
    zombie "$p" && continue
    case $c in
      dockerd) left+=" dockerd(${p#/proc/})" ;;
      containerd | containerd-shim*)
        if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -q netbench-dockerd; then left+=" $c(${p#/proc/})"; fi ;;
    esac
  done
  [[ -z $left ]] || fail "still running after stop:$left"
}

no_host2_left() {
  if [[ -e /run/netns/nbtest-host2 ]] || ip netns list 2>/dev/null | grep -qw nbtest-host2; then
    fail "the netns nbtest-host2 is still there"
  fi
  if ip link show nbtest-h1 >/dev/null 2>&1; then fail "the veth nbtest-h1 is still there"; fi
  local d
  d=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name netbench-host2 2>/dev/null | head -n1)
  [[ -z $d ]] || fail "cgroup directory $d is still there"
}

# --- host2 ---------------------------------------------------------------------------------

# start_host2 [--tls DIR]: sets line2, sock2, start2_ms.
start_host2() {
  local t0 rc
  t0=$(date +%s%N)
  set +e
  "$engine" --host2 start "$@" >"$work/start2.out" 2>"$work/start2.err"
  rc=$?
  set -e
  start2_ms=$(ms_since "$t0")
  cat "$work/start2.err" >&2
  started2=1
  ((rc == 0)) || fail "'$engine --host2 start $*' exited $rc"
  line2=$(tail -n1 "$work/start2.out")
  sock2=/run/netbench-dockerd-host2/docker.sock
  [[ $("$engine" --host2 env) == "$line2" ]] || fail "--host2 env does not print '$line2'"
  "$engine" --host2 status >/dev/null || fail "--host2 status says it does not run"
  echo "host2 started in $start2_ms ms: $line2"
}

stop_host2() {
  local t0
  t0=$(date +%s%N)
  "$engine" --host2 stop
  stop2_ms=$(ms_since "$t0")
  started2=0
  echo "host2 stopped in $stop2_ms ms"
  if "$engine" --host2 status >/dev/null; then fail "--host2 status says it still runs"; fi
  no_host2_left
}

api2() { curl -sS --fail-with-body --max-time 60 --unix-socket "$sock2" "$@"; }

# The engine works, in its netns, with its own addresses, data root and cgroup parent.
check_host2() {
  local id2 root2 pid ns_addrs
  [[ $(api2 http://d/_ping) == OK ]] || fail "host2: GET /_ping does not answer OK"
  api2 http://d/v1.41/info >"$work/info2.json"
  root2=$(json 'd["DockerRootDir"]' <"$work/info2.json")
  [[ $root2 == /var/lib/netbench-dockerd-host2 ]] || fail "host2: data root is '$root2'"
  [[ " $(json '" ".join(sorted(d["Runtimes"]))' <"$work/info2.json") " == *" crun "* ]] || fail "host2: no runtime crun"
  [[ $(json 'd["CgroupDriver"]' <"$work/info2.json") == cgroupfs ]] || fail "host2: cgroup driver is not cgroupfs"
  id2=$(json 'd["ID"]' <"$work/info2.json")
  if [[ -n ${host1_id:-} ]]; then [[ $id2 != "$host1_id" ]] || fail "host2 has host1's engine ID $id2"; fi
  ip -4 -o addr show dev nbtest-h1 | grep -q ' 198\.18\.40\.1/24 ' || fail "nbtest-h1 is not at 198.18.40.1/24"
  ns_addrs=$(ip -n nbtest-host2 -4 -o addr show)
  grep -q 'nbtest-h2 .* 198\.18\.40\.2/24 ' <<<"$ns_addrs" || fail "nbtest-h2 is not at 198.18.40.2/24 in nbtest-host2: $ns_addrs"
  grep -q 'docker0 .* 198\.19\.1\.1/24 ' <<<"$ns_addrs" || fail "host2's docker0 is not at 198.19.1.1/24 in nbtest-host2: $ns_addrs"
  if ip link show docker0 >/dev/null 2>&1 && ip -4 -o addr show dev docker0 | grep -q '198\.19\.1\.'; then
    fail "host2's docker0 is in the root netns"
  fi
  pid=$(tr -d '\n' </run/netbench-dockerd-host2/dockerd.pid)
  [[ $(stat -L -c %i "/proc/$pid/ns/net") == "$(stat -L -c %i /run/netns/nbtest-host2)" ]] ||
    fail "host2's dockerd (pid $pid) is not in the netns nbtest-host2"
  echo "host2: ping OK, own ID, data root $root2, in netns nbtest-host2 (docker0 198.19.1.1/24, nbtest-h2 198.18.40.2/24), nbtest-h1 198.18.40.1/24"
}

# A container on host2's docker0 reaches host1's end of the wire (NAT in host2's netns), and one
# is left running for stop, its cgroups under netbench-host2.
host2_containers() {
  local cid code cid2 state
  [[ -n $busybox ]] || { echo "host2: no static busybox: no container"; return 0; }
  tar -C "$work/rootfs" -c . | api2 -X POST --data-binary @- -H 'Content-Type: application/x-tar' \
    'http://d/v1.41/images/create?fromSrc=-&repo=nbtest&tag=x' >/dev/null
  create2() { # name, cmd json
    api2 -X POST -H 'Content-Type: application/json' -d "{\"Image\":\"nbtest:x\",\"Cmd\":$2,
      \"StopTimeout\":1,\"HostConfig\":{\"Runtime\":\"crun\"}}" \
      "http://d/v1.41/containers/create?name=$1" | json 'd["Id"]'
  }
  cid=$(create2 "nb-engine-test-ping-$$" '["/busybox","ping","-c","1","-W","5","198.18.40.1"]')
  api2 -X POST "http://d/v1.41/containers/$cid/start"
  code=$(api2 -X POST "http://d/v1.41/containers/$cid/wait" | json 'd["StatusCode"]')
  [[ $code == 0 ]] || fail "host2: a container cannot ping 198.18.40.1 across the wire (exit $code)"
  api2 -X DELETE "http://d/v1.41/containers/$cid?force=1&v=1"
  cid2=$(create2 "nb-engine-test-sleep2-$$" '["/busybox","sleep","600"]')
  api2 -X POST "http://d/v1.41/containers/$cid2/start"
  state=$(api2 "http://d/v1.41/containers/$cid2/json" | json 'd["State"]["Status"]')
  [[ $state == running ]] || fail "host2: the sleeping container is '$state'"
  [[ -d /sys/fs/cgroup/pids/netbench-host2/$cid2 || -d /sys/fs/cgroup/unified/netbench-host2/$cid2 ]] ||
    fail "host2: the container's cgroup is not under netbench-host2"
  echo "host2: a crun container pinged 198.18.40.1 across the wire; one left running (cgroup netbench-host2/${cid2:0:12}) for stop"
}

# --- host2 beside host1 ----------------------------------------------------------------------

host1_id=$(json 'd["ID"]' <"$work/info.json")
snapshot "$work/host1"
start_host2
[[ $line2 == "DOCKER_HOST=unix://$sock2" ]] || fail "host2's start printed '$line2'"
check_host2
host2_containers
snapshot "$work/host2-running"
same "root netns with host2 running beside host1" "$work/host1" "$work/host2-running" "${ROOT_NET_STATE[@]}"
[[ $(api http://d/_ping) == OK ]] || fail "host1 does not answer with host2 beside it"
stop_host2
"$engine" --host2 stop 2>/dev/null || fail "a second --host2 stop (nothing runs) failed"
[[ $(api http://d/_ping) == OK ]] || fail "host1 does not answer after host2's stop"
snapshot "$work/host2-stopped"
same "machine after host2's stop, host1 running" "$work/host1" "$work/host2-stopped" "${ALL_STATE[@]}"

# host2 again, and host1 stops first: what host1 made for both (the hugetlb mount) stays.
start_host2
hugetlb_before=$(head -n1 "$work/before/hugetlb")

# --- stop, and the machine is as it was --------------------------------------------------

t0=$(date +%s%N)
"$engine" stop
stop_ms=$(ms_since "$t0")
started=0
echo "stopped in $stop_ms ms (host2 running)"
"$engine" stop 2>/dev/null || fail "a second stop (nothing runs) failed"
if "$engine" status >/dev/null; then fail "status says it still runs"; fi
[[ $(api2 http://d/_ping) == OK ]] || fail "host2 does not answer after host1's stop"
if [[ $hugetlb_before == absent ]] && ! findmnt -n -t cgroup /sys/fs/cgroup/hugetlb >/dev/null; then
  fail "host1's stop unmounted the hugetlb cgroup while host2 runs"
fi
snapshot "$work/host1-stopped"
same "root netns after host1's stop, host2 running" "$work/before" "$work/host1-stopped" "${ROOT_NET_STATE[@]}"
stop_host2
no_daemons_left
snapshot "$work/after"
same "machine after both stops" "$work/before" "$work/after" "${ALL_STATE[@]}"

# --- host2 alone, with TLS ---------------------------------------------------------------------

certs=""
if command -v openssl >/dev/null && "$here/../../tools/make_test_certs.sh" "$work/certs" 2>/dev/null; then
  certs=$work/certs
fi
if [[ -n $certs ]]; then
  start_host2 --tls "$certs"
  [[ $line2 == DOCKER_HOST=tcp://198.18.40.2:2376 ]] || fail "host2's start --tls printed '$line2'"
  out=$(curl -sS --noproxy '*' --max-time 10 --cacert "$certs/ca.pem" --cert "$certs/cert.pem" \
    --key "$certs/key.pem" https://198.18.40.2:2376/_ping 2>&1) || true
  [[ $out == OK ]] || fail "GET https://198.18.40.2:2376/_ping from the root netns: $out"
  echo "host2: TLS ping OK from the root netns through the wire"
else
  start_host2
  echo "no openssl or tools/make_test_certs.sh failed: host2 alone without TLS"
fi
check_host2
snapshot "$work/host2-alone"
same "root netns with host2 alone" "$work/before" "$work/host2-alone" "${ROOT_NET_STATE[@]}"
stop_host2
no_daemons_left
snapshot "$work/after2"
same "machine after host2 alone" "$work/before" "$work/after2" "${ALL_STATE[@]}"
echo "PASS: host1 start ${start_ms} ms, stop ${stop_ms} ms; host2 start ${start2_ms} ms, stop ${stop2_ms} ms (last ones)"
