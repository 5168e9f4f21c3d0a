#!/bin/bash
# A private Docker engine for netbench's tests, and a stop that puts the machine back.
#
#   tools/docker_engine.sh [--host2] start [--tls DIR] | stop | status | env
#
#   tools/docker_engine.sh start    start it (or, if it runs, just print the line below)
#   tools/docker_engine.sh start --tls DIR
#                                   the same, and the engine also serves the API over TLS
#   tools/docker_engine.sh stop     stop it and undo what it changed (exit 0 if nothing runs)
#   tools/docker_engine.sh status   "running ..." (exit 0) or "not running" (exit 1)
#   tools/docker_engine.sh env      DOCKER_HOST=unix:///run/netbench-dockerd/docker.sock
#
# start prints that DOCKER_HOST line on stdout as its last line; everything else goes to stderr.
#
# --tls DIR, for tests of a tcp:// + TLS client: DIR holds ca.pem, server-cert.pem and
# server-key.pem (tools/make_test_certs.sh DIR makes them, and a client's cert.pem and key.pem),
# and dockerd also listens on tcp://127.0.0.1:2376 (loopback only) with --tlsverify: a client
# must present a certificate signed by DIR/ca.pem. Clients use Docker's conventions:
# DOCKER_HOST=tcp://127.0.0.1:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<ca.pem, cert.pem, key.pem>;
# start says so on stderr. The unix socket stays as it is, without TLS. When DIR also holds
# cert.pem and key.pem, start pings the engine over TLS with them and warns when that fails.
# If the engine already runs, 'start --tls DIR' does not restart it: when its TLS setting
# differs (no TLS, or certificates other than DIR's three files now, compared by content with
# what it loaded at its start) it says so in one line and exits 2; stop it first. A plain
# 'start' accepts a running engine whether or not it serves TLS (its unix socket is the same).
# A client's DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and DOCKER_CONFIG in the caller's environment
# are not passed to dockerd, which reads them as defaults of its own TLS flags.
#
# Why so much work on stop: a stopped dockerd leaves docker0 and its user bridges, DOCKER*
# iptables chains, the FORWARD policy DROP, ip_forward=1, cgroup directories and a few files
# behind (DESIGN.md, 'Backend "docker"'). start records what it is about to change in
# $RUN_DIR/saved-state and stop restores exactly that. A user's engine is never touched: start
# refuses while one runs (ours would share its iptables chain names).
#
# --host2: a second, separate engine, a second "host" on this machine (tools/two_host_testbed.sh
# starts both). It lives in its own network namespace, nbtest-host2 (not nb-*: netbench's gc
# deletes those), joined to the root namespace by a veth, the "wire" between the two hosts:
# nbtest-h1 198.18.40.1/24 here, nbtest-h2 198.18.40.2/24 in the netns. Its dockerd and
# containerd run in the netns (nsenter --net, not 'ip netns exec', whose private /sys hides
# the cgroup mounts), so docker0 (198.19.1.1/24), its user bridges, iptables, sysctls and
# containers with --network host are all in there, and deleting the netns removes them: the
# root namespace's iptables and sysctls do not change. Everything else is its own too:
# /run/netbench-dockerd-host2 (socket, exec root, containerd's state), data root
# /var/lib/netbench-dockerd-host2, address pool 198.19.128.0/18, and cgroup parent
# netbench-host2 (containers in <hierarchy>/netbench-host2/<id>, not docker/<id>). With
# --tls DIR it listens on tcp://198.18.40.2:2376 (reached from here through the veth; the
# server certificate of tools/make_test_certs.sh names that address too), and start's and
# env's line is DOCKER_HOST=tcp://198.18.40.2:2376 then, else its unix socket's.
# The two instances accept each other (each refuses any other dockerd, as before). What both
# may create when absent (the hugetlb cgroup mount, /run/containerd, /run/docker, ...) is
# removed by whichever stops last: the first to stop hands its record over to the other.
#
# The engine's containerd is ours too, started here with its own root, state and socket and
# handed to dockerd with --containerd: dockerd would otherwise use a system containerd at
# /run/containerd/containerd.sock when there is one, and its own managed containerd (started
# with a config we cannot change) creates /opt/containerd. One thing containerd 1.6 cannot be
# told: its shims put their sockets in /run/containerd/s/ (sha256 of address/namespace/id);
# stop removes ours.
set -euo pipefail

INSTANCE=host1
if [[ ${1:-} == --host2 ]]; then
  INSTANCE=host2
  shift
fi

HOST1_RUN_DIR=/run/netbench-dockerd
HOST2_RUN_DIR=/run/netbench-dockerd-host2
# Both instances' dockerd are recognised by their exec root; any other dockerd is refused.
OUR_EXEC_ROOTS=("$HOST1_RUN_DIR/exec" "$HOST2_RUN_DIR/exec")
NETNS=""               # host2: the network namespace its daemons run in
IN_NS=()               # the command prefix that runs a daemon there
if [[ $INSTANCE == host1 ]]; then
  RUN_DIR=$HOST1_RUN_DIR
  DATA_ROOT=/var/lib/netbench-dockerd
  OTHER_RUN_DIR=$HOST2_RUN_DIR
  BIP=198.19.0.1/24
  ADDR_POOL=198.19.64.0/18
  CG_PARENT=docker     # cgroupfs driver: containers go to <hierarchy>/docker/<id>
  TLS_HOST=127.0.0.1
  SELF=$0
else
  RUN_DIR=$HOST2_RUN_DIR
  DATA_ROOT=/var/lib/netbench-dockerd-host2
  OTHER_RUN_DIR=$HOST1_RUN_DIR
  BIP=198.19.1.1/24
  ADDR_POOL=198.19.128.0/18
  CG_PARENT=netbench-host2
  NETNS=nbtest-host2
  NETNS_DIR=/run/netns
  IN_NS=(nsenter "--net=$NETNS_DIR/$NETNS")
  WIRE_H1=nbtest-h1 WIRE_H1_ADDR=198.18.40.1/24   # the veth: this end in the root netns
  WIRE_H2=nbtest-h2 WIRE_H2_ADDR=198.18.40.2/24   # and this one in $NETNS
  WIRE_NET=198.18.40.0/24
  TLS_HOST=198.18.40.2
  SELF="$0 --host2"
fi
OTHER_SAVED=$OTHER_RUN_DIR/saved-state
EXEC_ROOT=$RUN_DIR/exec
SOCK=$RUN_DIR/docker.sock
PIDFILE=$RUN_DIR/dockerd.pid
LOG=$RUN_DIR/dockerd.log
CONFIG=$RUN_DIR/daemon.json
SAVED=$RUN_DIR/saved-state
CTD_DIR=$RUN_DIR/containerd          # containerd's state, socket, config and log
CTD_SOCK=$CTD_DIR/containerd.sock
CTD_CONFIG=$CTD_DIR/config.toml
CTD_LOG=$CTD_DIR/containerd.log
CTD_ROOT=$DATA_ROOT/containerd
USER_SOCK=/var/run/docker.sock
HUGETLB=/sys/fs/cgroup/hugetlb
ENV_LINE="DOCKER_HOST=unix://$SOCK"
TLS_PORT=2376
TLS_SUMS=$RUN_DIR/tls-sha256          # sha256 of the TLS files dockerd was started with
TLS_FILES=(ca.pem server-cert.pem server-key.pem)
PING_TIMEOUT=30
TERM_TIMEOUT=20
# Global sysctls dockerd changes. ip_forward first: writing it also resets every interface's
# forwarding and all.accept_redirects, which are then put back after it.
SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding
  net.ipv4.conf.all.accept_redirects net.bridge.bridge-nf-call-iptables
  net.bridge.bridge-nf-call-ip6tables net.bridge.bridge-nf-call-arptables)
# Paths outside our two directories that dockerd, containerd's shims or mount(8) create when
# absent; stop removes the ones that were absent at start (only if empty, or only our entries).
OUTSIDE_PATHS=(/run/containerd /run/containerd/s /run/docker /run/docker/plugins /run/mount)

me=docker_engine.sh
if [[ $INSTANCE == host2 ]]; then me="docker_engine.sh --host2"; fi
say() { echo "$me: $*" >&2; }
die() { echo "$me: $*" >&2; exit 1; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# A process that exists and is not a zombie (nobody may reap a daemon we started earlier).
alive() { [[ -r /proc/$1/stat ]] && ! awk '{ exit !($3 == "Z") }' "/proc/$1/stat" 2>/dev/null; }

# Live pids whose comm is $1 (prefix match: the kernel truncates names to 15 characters) and
# whose command line contains the argument $2 (exact element), or lacks it when $3 = "not".
procs() {
  local comm=$1 arg=$2 negate=${3:-} p c line
  for p in /proc/[0-9]*; do
    c=$(cat "$p/comm" 2>/dev/null) || continue
    [[ $c == "$comm"* ]] || continue
    alive "${p#/proc/}" || continue
    line=$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null) || continue
    if grep -qxF -- "$arg" <<<"$line"; then
      [[ $negate == not ]] || echo "${p#/proc/}"
    else
      [[ $negate != not ]] || echo "${p#/proc/}"
    fi
  done
}
our_dockerd() { procs dockerd "$EXEC_ROOT"; }
other_dockerd() {
  local p
  for p in $(procs dockerd "${OUR_EXEC_ROOTS[0]}" not); do
    if ! tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qxF -- "${OUR_EXEC_ROOTS[1]}"; then echo "$p"; fi
  done
}
our_containerd() {
  local p
  for p in $(procs containerd "$CTD_CONFIG"); do
    if [[ $(cat "/proc/$p/comm" 2>/dev/null) == containerd ]]; then echo "$p"; fi
  done
}
our_shims() { procs containerd-shim "$CTD_SOCK"; }

ping_sock() { curl -s --max-time 2 --unix-socket "$1" http://d/_ping 2>/dev/null | grep -qx OK; }

# --- TLS -------------------------------------------------------------------------------

TLS_DIR=""   # start --tls DIR, as an absolute path
TLS_ENDPOINT="tcp://$TLS_HOST:$TLS_PORT"

# The certificate directory a running dockerd of ours serves TLS from (its --tlscacert's), or
# nothing when it serves no TLS.
running_tls_dir() {
  local v
  v=$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | awk 'prev == "--tlscacert" { print; exit } { prev = $0 }')
  if [[ -n $v ]]; then echo "${v%/*}"; fi
}

# An IPv4 address as /proc/net/tcp writes it (little-endian hex): 127.0.0.1 -> 0100007F.
proc_net_addr() { local a; IFS=. read -r -a a <<<"$1"; printf '%02X%02X%02X%02X' "${a[3]}" "${a[2]}" "${a[1]}" "${a[0]}"; }

tls_sums() { (cd "$1" && sha256sum -- "${TLS_FILES[@]}"); }

# Something listens on TCP port $1 at $2 (hex, as /proc/net/tcp writes it; empty: any address)
# in the network namespace of process $3 (default: ours).
tcp_listening() {
  local port addr=${2:-} net=/proc/${3:-self}/net files=() f
  port=$(printf '%04X' "$1")
  for f in "$net/tcp" "$net/tcp6"; do if [[ -r $f ]]; then files+=("$f"); fi; done
  awk -v p="$port" -v a="$addr" 'FNR > 1 && $4 == "0A" {
      split($2, l, ":"); if (l[2] == p && (a == "" || l[1] == a)) found = 1 }
    END { exit !found }' "${files[@]}"
}

# GET /_ping over TLS with DIR's client certificate; prints curl's error when it fails.
ping_tls() {
  local out
  out=$(curl -sS --noproxy '*' --max-time 5 --cacert "$1/ca.pem" --cert "$1/cert.pem" \
    --key "$1/key.pem" "https://$TLS_HOST:$TLS_PORT/_ping" 2>&1) && [[ $out == OK ]] && return 0
  echo "${out:-no answer}" | head -n1
  return 1
}

# start's and env's line: host2 names its TLS listener when the running dockerd ($1) has one.
env_line() {
  if [[ $INSTANCE == host2 && -n ${1:-} && -n $(running_tls_dir "$1") ]]; then
    echo "DOCKER_HOST=$TLS_ENDPOINT"
  else
    echo "$ENV_LINE"
  fi
}

tls_client_line() {
  local certs="<a directory with ca.pem, cert.pem, key.pem>"
  if [[ -r $TLS_DIR/cert.pem && -r $TLS_DIR/key.pem ]]; then certs=$TLS_DIR; fi
  say "also serving $TLS_ENDPOINT with TLS (certificates from $TLS_DIR); clients: DOCKER_HOST=$TLS_ENDPOINT DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$certs"
}

refuse() { echo "$me: refusing: $*" >&2; exit 2; }

# start --tls DIR while our engine (pid $1) runs: its TLS setting must be the one asked for.
check_running_tls() {
  local rdir same=0
  [[ -n $TLS_DIR ]] || return 0
  rdir=$(running_tls_dir "$1")
  [[ -n $rdir ]] || refuse "the engine runs without TLS; for --tls $TLS_DIR stop it first ('$SELF stop')"
  if [[ -f $TLS_SUMS ]]; then
    if cmp -s "$TLS_SUMS" <(tls_sums "$TLS_DIR" 2>/dev/null); then same=1; fi
  elif [[ $rdir == "$TLS_DIR" ]]; then
    same=1
  fi
  ((same)) && return 0
  if [[ $rdir == "$TLS_DIR" ]]; then
    refuse "the engine serves TLS with the files $TLS_DIR held at its start, and they have changed since; stop it first ('$SELF stop')"
  fi
  refuse "the engine serves TLS with other certificates ($rdir), not $TLS_DIR's; stop it first ('$SELF stop')"
}

# start needs them all; stop only what it uses even when nothing runs (what it restores was
# done with the commands start found).
need_commands() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || die "'$c' is not installed (Debian: tools/setup.sh installs docker.io, crun, curl)"
  done
}

# iptables-nft only lists the tables that exist: an absent table is restored as absent.
iptables_backend() { iptables -V 2>/dev/null | grep -q nf_tables && echo nft || echo legacy; }

link_names() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'; }

# Mount points under a directory, deepest first (mountinfo escapes spaces as \040).
mounts_under() {
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -ru
}

hugetlb_mounted() { findmnt -n -t cgroup "$HUGETLB" >/dev/null 2>&1; }

cgroup_hierarchies() {
  local h
  for h in /sys/fs/cgroup/*/; do
    if [[ -e ${h%/}/cgroup.procs ]]; then echo "${h%/}"; fi
  done
}

# --- state to restore ------------------------------------------------------------------

save_state() {
  local tmp=$SAVED.tmp k h p
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if [[ $INSTANCE == host2 ]]; then
    # Its iptables, sysctls and links are in its netns, which stop deletes. ip netns add makes
    # $NETNS_DIR (and a shared bind mount of it on itself) when it is not there yet.
    if [[ ! -d $NETNS_DIR ]]; then echo absent
    elif mountpoint -q "$NETNS_DIR"; then echo mounted
    else echo "not mounted"; fi >"$tmp/netns-dir"
  else
    save_root_netns_state "$tmp"
  fi
  hugetlb_mounted && echo existed >"$tmp/hugetlb" || echo absent >"$tmp/hugetlb"
  [[ -d $HUGETLB ]] && echo existed >"$tmp/hugetlb-dir" || echo absent >"$tmp/hugetlb-dir"
  : >"$tmp/absent-paths"
  for p in "${OUTSIDE_PATHS[@]}"; do [[ -e $p ]] || echo "$p" >>"$tmp/absent-paths"; done
  # cgroupfs driver: containers go to <hierarchy>/$CG_PARENT/<id>, and the parent dirs stay.
  : >"$tmp/absent-cgroups"
  for h in $(cgroup_hierarchies); do [[ -d $h/$CG_PARENT ]] || echo "$h/$CG_PARENT" >>"$tmp/absent-cgroups"; done
  mv "$tmp" "$SAVED"
}

# host1: what its dockerd changes in the root network namespace.
save_root_netns_state() {
  local tmp=$1 k p
  iptables_backend >"$tmp/iptables-backend"
  iptables-save >"$tmp/iptables.all"
  # One file per table we restore; empty when the table does not exist (nft) or is not loaded.
  for k in filter nat; do
    awk -v t="*$k" '$0 == t { on = 1 } on { print } on && $0 == "COMMIT" { exit }' \
      "$tmp/iptables.all" | grep -v '^#' >"$tmp/iptables-$k" || true
  done
  ip -j link >"$tmp/links.json"
  link_names >"$tmp/links"
  for k in "${SYSCTLS[@]}"; do
    p=/proc/sys/${k//.//}
    [[ -r $p ]] && echo "$k=$(cat "$p")" >>"$tmp/sysctls"
  done
  touch "$tmp/sysctls"
}

write_configs() {
  local crun_path cgroup_parent
  crun_path=$(command -v crun)
  mkdir -p "$CTD_DIR" "$CTD_ROOT" "$EXEC_ROOT"
  # 198.19.0.0/16 is inside 198.18.0.0/15 (RFC 2544, benchmarking): never a real network.
  # deprecated-key-path: dockerd 20.10 otherwise writes /etc/docker/key.json.
  cgroup_parent=""
  if [[ $CG_PARENT != docker ]]; then cgroup_parent=$'\n  "cgroup-parent": "'$CG_PARENT'",'; fi
  cat >"$CONFIG" <<EOF
{
  "bip": "$BIP",
  "default-address-pools": [{"base": "$ADDR_POOL", "size": 24}],
  "userland-proxy": false,
  "runtimes": {"crun": {"path": "$crun_path"}},
  "exec-opts": ["native.cgroupdriver=cgroupfs"],$cgroup_parent
  "deprecated-key-path": "$DATA_ROOT/key.json"
}
EOF
  # The opt plugin would create /opt/containerd; the v1 runtime would use /run/containerd/runc.
  cat >"$CTD_CONFIG" <<EOF
version = 2
root = "$CTD_ROOT"
state = "$CTD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CTD_SOCK"

[debug]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$CTD_ROOT/opt"
  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = "$CTD_DIR/runc-v1"
EOF
}

# --- start -----------------------------------------------------------------------------

start_failed_cleanup=0
on_start_exit() {
  local rc=$?
  if ((rc != 0 && start_failed_cleanup)); then
    say "start failed: undoing what it did"
    do_stop >/dev/null 2>&1 || true
  fi
  exit "$rc"
}

# host2: a trace of an earlier host2 (its netns or the root end of its veth) is there.
netns_traces() {
  [[ $INSTANCE == host2 ]] || return 1
  [[ -e $NETNS_DIR/$NETNS ]] || ip link show "$WIRE_H1" >/dev/null 2>&1
}

# host2: its netns, lo up, and the veth between it and the root netns.
make_netns() {
  ip netns add "$NETNS" || die "cannot create the network namespace $NETNS"
  ip -n "$NETNS" link set lo up
  ip link add "$WIRE_H1" type veth peer name "$WIRE_H2" netns "$NETNS" ||
    die "cannot create the veth $WIRE_H1 <-> $WIRE_H2 ($NETNS)"
  ip addr add "$WIRE_H1_ADDR" dev "$WIRE_H1"
  ip -n "$NETNS" addr add "$WIRE_H2_ADDR" dev "$WIRE_H2"
  ip link set "$WIRE_H1" up
  ip -n "$NETNS" link set "$WIRE_H2" up
}

do_start() {
  local t0 pid dpid i err args
  t0=$(now)
  pid=$(our_dockerd | head -n1)
  if [[ -n $pid ]]; then
    check_running_tls "$pid"
    # Started by an earlier call (maybe still coming up): wait for it like a fresh start.
    for ((i = 0; i < PING_TIMEOUT * 10; i++)); do
      if ping_sock "$SOCK"; then
        if [[ -n $TLS_DIR ]]; then tls_client_line; fi
        env_line "$pid"
        return 0
      fi
      sleep 0.1
    done
    die "our dockerd runs but does not answer on $SOCK (run '$SELF stop')"
  fi
  if ping_sock "$USER_SOCK"; then
    echo "$me: refusing: a Docker engine already answers on $USER_SOCK (ours would share its iptables chains); stop it first" >&2
    exit 2
  fi
  pid=$(other_dockerd | head -n1)
  if [[ -n $pid ]]; then
    echo "$me: refusing: another dockerd runs (pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline")); stop it first" >&2
    exit 2
  fi
  if [[ -d $SAVED ]] || netns_traces; then
    # An engine of ours died without stop: undo its traces against the state saved before it.
    say "an earlier engine was not stopped: cleaning up after it first"
    do_stop >&2
  fi
  if [[ $INSTANCE == host1 ]]; then
    # A docker0 we did not create belongs to another engine (stopped now): ours would readdress it.
    if ip link show docker0 >/dev/null 2>&1; then
      echo "$me: refusing: docker0 exists (another Docker engine's, or left behind by one); remove it first" >&2
      exit 2
    fi
    if [[ -n $TLS_DIR ]] && tcp_listening "$TLS_PORT"; then
      refuse "something already listens on TCP port $TLS_PORT (see 'ss -ltnp sport = :$TLS_PORT'); dockerd could not serve $TLS_ENDPOINT"
    fi
  else
    # Its netns is new: nothing listens there. The wire's /24 must be free here.
    if [[ -n $(ip -4 -o addr show to "$WIRE_NET") || -n $(ip -4 route show "$WIRE_NET") ]]; then
      refuse "$WIRE_NET is already in use here ('ip -4 addr show to $WIRE_NET', 'ip route show $WIRE_NET'): it is the veth between the two hosts"
    fi
  fi

  mkdir -p "$RUN_DIR"
  save_state
  start_failed_cleanup=1
  if [[ $INSTANCE == host2 ]]; then make_netns; fi

  if ! hugetlb_mounted; then
    # crun: "cgroups in hybrid mode not supported" without a hugetlb v1 hierarchy.
    mkdir -p "$HUGETLB" || die "cannot create $HUGETLB for crun's hugetlb cgroup"
    mount -t cgroup -o hugetlb cgroup "$HUGETLB" || die "cannot mount the hugetlb cgroup at $HUGETLB"
    # Its $CG_PARENT dir must go before the umount, or the hierarchy lives on, unmounted.
    if [[ ! -d $HUGETLB/$CG_PARENT ]]; then echo "$HUGETLB/$CG_PARENT" >>"$SAVED/absent-cgroups"; fi
  fi

  write_configs
  # host2: containerd in the netns too, so that a container with --network host is in it.
  setsid "${IN_NS[@]}" containerd --config "$CTD_CONFIG" </dev/null >>"$CTD_LOG" 2>&1 9<&- &
  for ((i = 0; i < 100; i++)); do
    [[ -S $CTD_SOCK ]] && break
    sleep 0.1
  done
  if [[ ! -S $CTD_SOCK ]]; then
    echo "$me: containerd did not create $CTD_SOCK in 10 s; its log ends with:" >&2
    tail -n 20 "$CTD_LOG" >&2 || true
    exit 1
  fi

  args=(--config-file "$CONFIG" --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT"
    --pidfile "$PIDFILE" -H "unix://$SOCK" --containerd "$CTD_SOCK")
  if [[ -n $TLS_DIR ]]; then
    # TLS is for the tcp:// listener only; the unix socket serves plain HTTP as before.
    args+=(-H "$TLS_ENDPOINT" --tlsverify --tlscacert "$TLS_DIR/ca.pem"
      --tlscert "$TLS_DIR/server-cert.pem" --tlskey "$TLS_DIR/server-key.pem")
    tls_sums "$TLS_DIR" >"$TLS_SUMS"
  fi
  # setsid: the engine outlives this script and the caller's session. env -u: dockerd reads
  # DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and DOCKER_CONFIG (a TLS client's, for its tests) as
  # defaults of its TLS flags; 20.10 uses them only for a tcp:// listener, whose flags --tls
  # gives all, but the engine should not depend on the caller's client settings at all.
  # host2: nsenter --net, not 'ip netns exec': that one also remounts /sys for the netns, and
  # dockerd then finds no cgroup mounts ("Devices cgroup isn't mounted").
  setsid "${IN_NS[@]}" env -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH -u DOCKER_CONFIG \
    dockerd "${args[@]}" </dev/null >>"$LOG" 2>&1 9<&- &
  pid=$!
  for ((i = 0; i < PING_TIMEOUT * 10; i++)); do
    ping_sock "$SOCK" && break
    alive "$pid" || [[ -n $(our_dockerd) ]] || break # it died: no use waiting
    sleep 0.1
  done
  if ! ping_sock "$SOCK"; then
    echo "$me: dockerd exited or did not answer GET /_ping on $SOCK within $PING_TIMEOUT s; its log ends with:" >&2
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
  dpid=$(our_dockerd | head -n1)
  pid=${dpid:-$pid}
  if [[ -n $TLS_DIR ]]; then
    # dockerd opens its listeners before it serves any: this is only a safety net. Read in
    # dockerd's own netns (host2's listener is in nbtest-host2).
    for ((i = 0; i < 50; i++)); do
      tcp_listening "$TLS_PORT" "$(proc_net_addr "$TLS_HOST")" "$pid" && break
      sleep 0.1
    done
    if ! tcp_listening "$TLS_PORT" "$(proc_net_addr "$TLS_HOST")" "$pid"; then
      echo "$me: dockerd answers on $SOCK but does not listen on $TLS_ENDPOINT; its log ends with:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    if [[ -r $TLS_DIR/cert.pem && -r $TLS_DIR/key.pem ]] && ! err=$(ping_tls "$TLS_DIR"); then
      say "warning: GET /_ping over TLS with $TLS_DIR/cert.pem fails: $err"
    fi
  fi
  start_failed_cleanup=0
  if [[ $INSTANCE == host2 ]]; then
    say "started in $(since "$t0") s (dockerd pid $(cat "$PIDFILE" 2>/dev/null || echo "$pid"), netns $NETNS, $WIRE_H1 ${WIRE_H1_ADDR%/*} <-> $WIRE_H2 ${WIRE_H2_ADDR%/*})"
  else
    say "started in $(since "$t0") s (dockerd pid $(cat "$PIDFILE" 2>/dev/null || echo "$pid"))"
  fi
  if [[ -n $TLS_DIR ]]; then tls_client_line; fi
  env_line "$pid"
}

# --- stop ------------------------------------------------------------------------------

# TERM, wait up to $2 seconds, then KILL (at once if $2 is 0); waits until they are gone.
terminate() {
  local what=$1 timeout=$2 pids p i left
  shift 2
  pids=("$@")
  ((${#pids[@]})) || return 0
  if ((timeout > 0)); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
      left=0
      for p in "${pids[@]}"; do alive "$p" && left=1; done
      ((left)) || return 0
      sleep 0.1
    done
    say "$what did not exit within $timeout s of SIGTERM: SIGKILL"
  fi
  kill -KILL "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    left=0
    for p in "${pids[@]}"; do alive "$p" && left=1; done
    ((left)) || return 0
    sleep 0.1
  done
  say "warning: $what still there after SIGKILL"
}

# namespace/id of every container or plugin task our containerd or dockerd knows.
our_tasks() {
  local d
  for d in "$CTD_DIR"/state/io.containerd.runtime.v2.task/*/*/; do
    [[ -d $d ]] || continue
    d=${d%/}
    echo "$(basename "$(dirname "$d")")/$(basename "$d")"
  done
  for d in "$DATA_ROOT"/containers/*/; do
    if [[ -d $d ]]; then echo "moby/$(basename "$d")"; fi
  done
}

kill_leftover_containers() {
  local tasks=("$@") t id h p pids=()
  for t in "${tasks[@]}"; do
    id=${t#*/}
    for h in $(cgroup_hierarchies); do
      [[ -r $h/$CG_PARENT/$id/cgroup.procs ]] || continue
      mapfile -t -O "${#pids[@]}" pids <"$h/$CG_PARENT/$id/cgroup.procs"
    done
  done
  if ((${#pids[@]})); then
    mapfile -t pids < <(printf '%s\n' "${pids[@]}" | sort -u)
    say "killing ${#pids[@]} container process(es) the engine left running"
    terminate "container processes" 0 "${pids[@]}" # no grace: their engine is gone
  fi
  mapfile -t pids < <(our_shims)
  terminate "containerd-shim" 2 "${pids[@]}"
}

delete_links() {
  local saved=$SAVED/links l br names victims=() bridges=()
  mapfile -t names < <(link_names)
  for l in "${names[@]}"; do
    grep -qxF -- "$l" "$saved" && continue
    case $l in
      docker0 | docker_gwbridge) bridges+=("$l") ;;
      br-*) [[ $l =~ ^br-[0-9a-f]{12}$ ]] && bridges+=("$l") ;;
      # Docker names the host end of a container's veth "veth" + 7 hex digits.
      veth*) [[ $l =~ ^veth[0-9a-f]{7}$ ]] && victims+=("$l") ;;
      vx-*) victims+=("$l") ;;
    esac
  done
  # Any new link enslaved to one of those bridges is the engine's too.
  for br in "${bridges[@]}"; do
    while read -r l; do
      grep -qxF -- "$l" "$saved" || victims+=("$l")
    done < <(ip -o link show master "$br" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')
  done
  for l in "${victims[@]}" "${bridges[@]}"; do
    ip link del "$l" 2>/dev/null || true # a veth goes with its peer
  done
}

restore_iptables() {
  local backend t chains
  backend=$(cat "$SAVED/iptables-backend")
  for t in filter nat; do
    if [[ -s $SAVED/iptables-$t ]]; then
      # Replaces the whole table: DOCKER* chains and the jumps to them go, FORWARD's policy too.
      iptables-restore <"$SAVED/iptables-$t"
    elif iptables-save -t "$t" 2>/dev/null | grep -q '^\*'; then
      # The table did not exist (nft) or was not loaded (legacy): leave it empty with ACCEPT.
      case $t in
        filter) chains="INPUT FORWARD OUTPUT" ;;
        nat) chains="PREROUTING INPUT OUTPUT POSTROUTING" ;;
      esac
      { echo "*$t"; for c in $chains; do echo ":$c ACCEPT [0:0]"; done; echo COMMIT; } | iptables-restore
      # iptables-nft created the table: remove it, as it was.
      if [[ $backend == nft ]] && command -v nft >/dev/null; then
        nft delete table ip "$t" 2>/dev/null || true
      fi
    fi
  done
}

restore_sysctls() {
  local kv
  [[ -s $SAVED/sysctls ]] || return 0
  while IFS= read -r kv; do
    echo "${kv#*=}" >"/proc/sys/$(tr . / <<<"${kv%%=*}")" 2>/dev/null || say "warning: cannot restore ${kv%%=*}"
  done <"$SAVED/sysctls"
}

# Our container ids' cgroups; and the $CG_PARENT dirs if they were absent at start.
remove_cgroups() {
  local tasks=("$@") t h d
  for t in "${tasks[@]}"; do
    for h in $(cgroup_hierarchies); do
      d=$h/$CG_PARENT/${t#*/}
      if [[ -d $d ]]; then find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    done
  done
  [[ -f $SAVED/absent-cgroups ]] || return 0
  while IFS= read -r d; do
    if [[ -d $d ]]; then
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || say "warning: cannot remove $d"
    fi
  done <"$SAVED/absent-cgroups"
}

remove_outside_paths() {
  local tasks=("$@") t p h
  # Shim sockets: /run/containerd/s/sha256(<containerd address>/<namespace>/<id>).
  for t in "${tasks[@]}"; do
    h=$(printf '%s' "$CTD_SOCK/$t" | sha256sum | cut -d' ' -f1)
    rm -f "/run/containerd/s/$h"
  done
  [[ -f $SAVED/absent-paths ]] || return 0
  if [[ -d $OTHER_SAVED ]]; then
    # The other instance may use them: the last to stop removes them.
    if [[ -s $SAVED/absent-paths ]]; then
      { cat "$SAVED/absent-paths"; cat "$OTHER_SAVED/absent-paths" 2>/dev/null || true; } |
        sort -u >"$OTHER_SAVED/absent-paths.tmp"
      mv -f "$OTHER_SAVED/absent-paths.tmp" "$OTHER_SAVED/absent-paths"
      say "note: the other engine ($OTHER_RUN_DIR) runs: its stop removes $(paste -sd' ' "$SAVED/absent-paths") if empty"
    fi
    return 0
  fi
  # Deepest first; directories only when empty, so nothing of anyone else goes.
  while IFS= read -r p; do
    [[ -e $p ]] || continue
    if [[ -d $p ]]; then rmdir "$p" 2>/dev/null || say "note: $p is not empty, left in place"
    else rm -f "$p"; fi
  done < <(sort -r "$SAVED/absent-paths")
}

# The hugetlb mount, if it was absent before the first instance started. While the other one
# runs it stays, and the other's stop, the last, takes over the record.
restore_hugetlb() {
  local i
  [[ -f $SAVED/hugetlb && $(cat "$SAVED/hugetlb") == absent ]] && hugetlb_mounted || return 0
  if [[ -d $OTHER_SAVED ]]; then
    echo absent >"$OTHER_SAVED/hugetlb"
    if [[ $(cat "$SAVED/hugetlb-dir" 2>/dev/null) == absent ]]; then echo absent >"$OTHER_SAVED/hugetlb-dir"; fi
    say "note: the other engine ($OTHER_RUN_DIR) runs: $HUGETLB stays mounted, its stop unmounts it"
    return 0
  fi
  # A v1 hierarchy dies at umount only if it has no child cgroup left, not even one that is
  # still being released after its rmdir; else it lives on unmounted until the next mount.
  for ((i = 0; i < 50; i++)); do
    [[ $(awk '$1 == "hugetlb" { print $3 }' /proc/cgroups) == 1 ]] && break
    sleep 0.1
  done
  umount "$HUGETLB" 2>/dev/null || umount -l "$HUGETLB" || true
  if [[ $(cat "$SAVED/hugetlb-dir") == absent ]]; then rmdir "$HUGETLB" 2>/dev/null || true; fi
}

# host2: the veth (both ends go together) and the netns, with all its dockerd made in there:
# docker0, bridges, iptables, sysctls. Then $NETNS_DIR as it was, if nothing else uses it.
delete_netns() {
  local was
  if ip link show "$WIRE_H1" >/dev/null 2>&1; then ip link del "$WIRE_H1" 2>/dev/null || true; fi
  if [[ -e $NETNS_DIR/$NETNS ]]; then
    ip netns del "$NETNS" 2>/dev/null || {
      umount -l "$NETNS_DIR/$NETNS" 2>/dev/null || true
      rm -f "$NETNS_DIR/$NETNS" || say "warning: cannot remove $NETNS_DIR/$NETNS"
    }
  fi
  was=$(cat "$SAVED/netns-dir" 2>/dev/null) || return 0
  [[ -d $NETNS_DIR && -z $(ls -A "$NETNS_DIR") ]] || return 0
  if [[ $was != mounted ]] && mountpoint -q "$NETNS_DIR"; then umount "$NETNS_DIR" 2>/dev/null || true; fi
  if [[ $was == absent ]]; then rmdir "$NETNS_DIR" 2>/dev/null || true; fi
}

do_stop() {
  local t0 pids tasks m
  t0=$(now)
  mapfile -t pids < <(our_dockerd)
  if ((${#pids[@]} == 0)) && [[ ! -e $RUN_DIR && ! -e $DATA_ROOT ]] && [[ -z $(our_containerd) ]] &&
    ! netns_traces; then
    say "not running"
    return 0
  fi
  # Read before the processes and directories go: needed for shim sockets and cgroups.
  mapfile -t tasks < <(our_tasks | sort -u)

  # dockerd first: on SIGTERM it stops its containers (10 s each unless told otherwise).
  terminate dockerd "$TERM_TIMEOUT" "${pids[@]}"
  mapfile -t pids < <(our_containerd)
  terminate containerd 10 "${pids[@]}"
  mapfile -t tasks < <( { printf '%s\n' "${tasks[@]}"; our_tasks; } | grep . | sort -u)
  kill_leftover_containers "${tasks[@]}"

  # Lazily: a netns bind mount or a container's rootfs may still be busy for a moment.
  for m in $(mounts_under "$RUN_DIR") $(mounts_under "$DATA_ROOT"); do
    umount -l "$m" 2>/dev/null || true
  done

  if [[ $INSTANCE == host2 ]]; then
    delete_netns
  elif [[ -d $SAVED ]]; then
    delete_links
    restore_iptables
    restore_sysctls
  else
    say "warning: no saved state in $SAVED: links, iptables and sysctls left as they are"
  fi
  remove_cgroups "${tasks[@]}"
  restore_hugetlb
  # Last: umount(8) itself creates /run/mount.
  remove_outside_paths "${tasks[@]}"

  rm -rf "$DATA_ROOT" "$RUN_DIR"
  say "stopped in $(since "$t0") s"
}

# --- main ------------------------------------------------------------------------------

cmd=${1:-}
case $cmd in
  env)
    env_line "$(our_dockerd | head -n1)"
    exit 0
    ;;
  status)
    pid=$(our_dockerd | head -n1)
    if [[ -n $pid ]] && ping_sock "$SOCK"; then
      tls_dir=$(running_tls_dir "$pid")
      where=""
      if [[ $INSTANCE == host2 ]]; then where=" in netns $NETNS"; fi
      if [[ -n $tls_dir ]]; then
        echo "running (dockerd pid $pid$where; also $TLS_ENDPOINT with TLS, certificates from $tls_dir) $(env_line "$pid")"
      else
        echo "running (dockerd pid $pid$where) $(env_line "$pid")"
      fi
      exit 0
    elif [[ -n $pid ]]; then
      echo "starting or stuck (dockerd pid $pid does not answer on $SOCK)"
      exit 1
    fi
    echo "not running"
    exit 1
    ;;
  start | stop) ;;
  *)
    echo "usage: $0 [--host2] start [--tls DIR]|stop|status|env" >&2
    exit 2
    ;;
esac
if [[ $cmd == start ]]; then
  shift
  while (($#)); do
    case $1 in
      --tls)
        if (($# < 2)) || [[ -z $2 ]]; then echo "usage: $SELF start [--tls DIR]" >&2; exit 2; fi
        TLS_DIR=$2
        shift 2
        ;;
      --tls=?*) TLS_DIR=${1#--tls=}; shift ;;
      *) echo "usage: $SELF start [--tls DIR] ('$1'?)" >&2; exit 2 ;;
    esac
  done
  if [[ -n $TLS_DIR ]]; then
    [[ -d $TLS_DIR ]] || die "--tls $TLS_DIR: no such directory"
    TLS_DIR=$(realpath -- "$TLS_DIR")
    for f in "${TLS_FILES[@]}"; do
      [[ -r $TLS_DIR/$f && -s $TLS_DIR/$f ]] ||
        die "--tls $TLS_DIR: $f is missing or empty (it needs ${TLS_FILES[*]}; tools/make_test_certs.sh makes them)"
    done
  fi
fi

[[ $(id -u) == 0 ]] || die "needs root (it starts dockerd and changes iptables)"
if [[ $cmd == start ]]; then
  need_commands dockerd containerd crun curl ip iptables iptables-save iptables-restore flock findmnt
  if [[ $INSTANCE == host2 ]]; then need_commands nsenter mountpoint; fi
else
  need_commands flock findmnt
  if [[ $INSTANCE == host2 ]]; then need_commands ip mountpoint; fi
fi
# One start or stop at a time: the script file itself is the lock (nothing left behind); the
# daemons are started with fd 9 closed so that they do not hold it.
exec 9<"${BASH_SOURCE[0]}"
flock -w 120 9 || die "another $me start/stop holds the lock for over 120 s"

if [[ $cmd == start ]]; then
  trap on_start_exit EXIT
  do_start
else
  do_stop
fi
