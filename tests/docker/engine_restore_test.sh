#!/bin/bash
# ctest docker.engine_restores_the_machine: tools/docker_engine.sh starts a private engine that
# works (ping, crun registered, docker0 at 198.19.0.1, a user network from the 198.19 pools, a
# crun container when a static busybox is at hand), and its stop puts the machine back as it
# was: links, iptables filter and nat, ip_forward and the other global sysctls dockerd
# touches, mounts, the hugetlb cgroup mount, cgroup directories, nft ruleset, files outside
# the engine's own directories, and no dockerd, containerd or shim left running.
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
started=0
cleanup() {
  local rc=$?
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
  for p in /run/netbench-dockerd /var/lib/netbench-dockerd /run/docker /run/containerd \
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

# --- stop, and the machine is as it was --------------------------------------------------

t0=$(date +%s%N)
"$engine" stop
stop_ms=$(ms_since "$t0")
started=0
echo "stopped in $stop_ms ms"
"$engine" stop 2>/dev/null || fail "a second stop (nothing runs) failed"
if "$engine" status >/dev/null; then fail "status says it still runs"; fi

left=""
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

snapshot "$work/after"
restored=() broken=0
for item in links:links iptables-filter:"iptables filter" iptables-nat:"iptables nat" \
  ip_forward:ip_forward sysctls:sysctls mounts:mounts hugetlb:hugetlb cgroups:cgroups \
  nft:"nft ruleset" files:files files-under:"files under /run/docker /run/containerd /run/crun"; do
  f=${item%%:*} name=${item#*:}
  if diff -u "$work/before/$f" "$work/after/$f" >"$work/$f.diff"; then
    restored+=("$name")
  else
    echo "NOT restored: $name (before -> after):" >&2
    cat "$work/$f.diff" >&2
    broken=1
  fi
done
list=$(printf '%s, ' "${restored[@]}")
echo "restored: ${list%, }"
((broken == 0)) || fail "stop did not restore the machine"
echo "PASS: start ${start_ms} ms, stop ${stop_ms} ms"
