#!/bin/bash
# The Docker backend against the netns backend on this machine: every runc case both have, run
# with one and at once with the other, case by case (tools/ab_builds.sh with one build and two
# backends), then the docker/netns ratios with 95% intervals and each docker case's path
# (tools/docker_vs_netns.py). Needs an engine (DOCKER_HOST; tools/docker_engine.sh start makes
# a private one) and root. Never run it next to another benchmark.
#
#   tools/docker_vs_netns.sh OUT [netbench flags...]     # writes OUT_a.json, OUT_b.json, OUT.txt
#   tools/docker_vs_netns.sh results/docker_vs_netns --tests tcp_rr,tcp_stream,start
#
# DOCKER_FLAGS (environment) are flags for the docker side only, e.g. two engines:
#   DOCKER_FLAGS="--server-docker-host tcp://198.18.40.2:2376 --server-docker-macvlan-parent
#   nbtest-h2" tools/docker_vs_netns.sh results/docker2_vs_netns --tests tcp_rr,tcp_stream
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 OUT [netbench flags...]" >&2; exit 2; }
out=$1
shift
A_FLAGS="--backend netns" B_FLAGS="--backend docker --docker-swarm-init ${DOCKER_FLAGS:-}" \
  tools/ab_builds.sh build build "$out" --runtimes runc "$@"
/usr/bin/python3 tools/docker_vs_netns.py "${out}_a.json" "${out}_b.json" | tee "$out.txt"
