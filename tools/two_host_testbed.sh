#!/bin/bash
# Two Docker "hosts" on one machine, joined by a wire: for tests of netbench across two engines
# (a client on one host, a server on the other, overlay networks and swarm between them), and
# for anyone who wants to try that without two machines.
#
#   tools/two_host_testbed.sh start --tls DIR   start both (or accept the ones that run)
#   tools/two_host_testbed.sh stop              stop host2, then host1 (exit 0 if nothing runs)
#   tools/two_host_testbed.sh status            both engines' status (exit 0 if both run)
#
# host1 is tools/docker_engine.sh's usual private engine in this machine's network namespace
# (unix:///run/netbench-dockerd/docker.sock, and tcp://127.0.0.1:2376 with TLS); host2 is
# 'tools/docker_engine.sh --host2', a second engine in its own network namespace nbtest-host2,
# reached over TLS at tcp://198.18.40.2:2376. The wire is a veth: nbtest-h1 198.18.40.1/24 here,
# nbtest-h2 198.18.40.2/24 in host2's netns; traffic between the hosts (the API, swarm's
# control plane on 2377/7946, overlay VXLAN on UDP 4789) crosses it, and its counters
# (ip -s link show nbtest-h1) show it. Each engine has its own data root, containerd, address
# pools and cgroup parent; stop puts the machine back as it was (docker_engine.sh explains how).
#
# DIR holds the TLS files both engines serve (tools/make_test_certs.sh DIR makes them; its server
# certificate names 127.0.0.1 and 198.18.40.2). start prints, as its last two stdout lines:
#   DOCKER_HOST=unix:///run/netbench-dockerd/docker.sock
#   NB_SERVER_DOCKER_HOST=tcp://198.18.40.2:2376
# A client of host2 also needs DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=DIR (Docker's conventions).
# If host2 cannot start, a host1 that this call started is stopped again.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine=$here/docker_engine.sh
me=two_host_testbed.sh

usage() { echo "usage: $0 start --tls DIR | stop | status" >&2; exit 2; }

cmd=${1:-}
case $cmd in
  start)
    shift
    tls=""
    while (($#)); do
      case $1 in
        --tls)
          if (($# < 2)) || [[ -z $2 ]]; then usage; fi
          tls=$2
          shift 2
          ;;
        --tls=?*) tls=${1#--tls=}; shift ;;
        *) usage ;;
      esac
    done
    [[ -n $tls ]] || usage
    host1_ran=0
    if "$engine" status >/dev/null 2>&1; then host1_ran=1; fi
    rc=0
    line1=$("$engine" start --tls "$tls" | tail -n1) || rc=$?
    ((rc == 0)) || exit "$rc"
    line2=$("$engine" --host2 start --tls "$tls" | tail -n1) || rc=$?
    if ((rc != 0)); then
      if ((!host1_ran)); then
        echo "$me: host2 did not start: stopping host1 again" >&2
        "$engine" stop >&2 || true
      fi
      exit "$rc"
    fi
    [[ $line1 == DOCKER_HOST=* && $line2 == DOCKER_HOST=tcp://* ]] ||
      { echo "$me: unexpected lines from docker_engine.sh: '$line1', '$line2'" >&2; exit 1; }
    echo "$me: host1 $line1, host2 $line2 (TLS, DOCKER_CERT_PATH=$tls), wire nbtest-h1 198.18.40.1 <-> nbtest-h2 198.18.40.2" >&2
    echo "$line1"
    echo "NB_SERVER_$line2"
    ;;
  stop)
    (($# == 1)) || usage
    rc=0
    "$engine" --host2 stop || rc=1
    "$engine" stop || rc=1
    exit "$rc"
    ;;
  status)
    (($# == 1)) || usage
    rc=0
    s1=$("$engine" status) || rc=1
    s2=$("$engine" --host2 status) || rc=1
    echo "host1: $s1"
    echo "host2: $s2"
    exit "$rc"
    ;;
  *) usage ;;
esac
