# Sourced by the peer scripts (bench_vs_peers.sh, cv_vs_peers.sh, stream_probe.sh): a testbed
# left up by `netbench up`, and running a peer tool where netbench's agents run.
#
#   testbed_fields UP_JSON    sets run, cns, sns, target, ccpu, scpu from `netbench up --json`
#   testbed_up DRIVER PAT...  brings runc/DRIVER up (testbed_fields), put back on exit
#   in_client CMD...          runs CMD in the client container's cgroups (every v1 hierarchy),
#   in_server CMD...          network namespace and CPU (the server's likewise)
# The peers run in the containers' cgroups: on this machine those alone cost iperf3 a few
# percent, so a peer outside them would not be measured on netbench's path.

testbed_fields() {
  local j=$1
  _field() { /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$j" "$1"; }
  run=$(_field run_id)
  cns=$(_field client_netns)
  sns=$(_field server_netns)
  target=$(_field target_ip)
  ccpu=$(_field client_cpu)
  scpu=$(_field server_cpu)
}

in_cgroups() {  # ID CMD...: CMD in every cgroup of container ID, then exec'd
  local id=$1
  shift
  (for d in /sys/fs/cgroup/*/netbench/"$id"; do
     echo "$BASHPID" > "$d/cgroup.procs" || { echo "error: cannot join $d" >&2; exit 1; }
   done
   exec "$@")
}
# testbed_up DRIVER PATTERN...: `netbench up runc/DRIVER` ($nb) with its fields set, a temporary
# directory in $tmp, and on exit: every process matching a PATTERN (the script's peer servers)
# killed, the testbed down and $tmp gone.
testbed_up() {
  local driver=$1
  shift
  _peer_patterns=("$@")
  tmp=$(mktemp -d)
  run=
  trap _testbed_cleanup EXIT
  "$nb" up "runc/$driver" --json > "$tmp/up.json"
  testbed_fields "$tmp/up.json"
}
_testbed_cleanup() {
  local p
  for p in "${_peer_patterns[@]}"; do pkill -f "$p" 2>/dev/null || true; done
  [ -z "$run" ] || "$nb" down "$run" > /dev/null 2>&1
  rm -rf "$tmp"
}

in_client() { in_cgroups "$run-c" nsenter --net="$cns" -- taskset -c "$ccpu" "$@"; }
in_server() { in_cgroups "$run-s" nsenter --net="$sns" -- taskset -c "$scpu" "$@"; }
