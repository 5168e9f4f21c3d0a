#!/usr/bin/python3
"""Docker's cases against netbench's own (netns) cases of the same names: ratios with their
bootstrap 95% intervals, next to the path each Docker case took, saying where the paths differ.

    tools/docker_vs_netns.py NETNS.json DOCKER.json [--metrics real_time,gbit_per_s]

Made by tools/docker_vs_netns.sh (one interleaved run). A ratio is docker/netns of the medians.
"""

from __future__ import annotations

import argparse
import sys

import ab_ratio
import nbresults

HEADLINE = ("real_time", "gbit_per_s", "p50_ms", "client_cpu_us_per_tx",
            "server_cpu_us_per_tx", "client_cpu_s_per_gb", "server_cpu_s_per_gb")

# What each backend's case crosses, per driver. The netns backend emulates the study's two hosts
# (a wire between two host namespaces); one Docker engine is one host.
NETNS_PATH = {
    "bridge": "two emulated hosts: client bridge, wire, DNAT to the published port",
    "host": "two emulated hosts: client in host A's namespace, wire, DNAT",
    "macvlan": "two emulated hosts: macvlan on each host's wire end",
    "overlay": "two emulated hosts: VXLAN across the wire",
}
# Whether a one-host Docker path is the same kind of path as netns's for a driver: NAT through a
# published port is NAT either way (the wire adds one veth hop); macvlan and overlay on one
# host skip the wire and the encapsulation the study measured.
COMPARABLE = {"bridge": "similar (NAT both; netns adds a wire hop)",
              "host": "similar (NAT both; netns adds a wire hop)",
              "macvlan": "NO: docker's pair never crosses a wire",
              "overlay": "NO: docker's single-node overlay has no VXLAN"}


# A start on each backend: docker's is the engine's whole container start (create, its network
# endpoint, published ports, the runtime); netns's is `runc run` into a namespace made before.
START_COMPARABLE = "NO: docker's includes the engine's network setup, netns's does not"
# Docker across two engines (--server-docker-host) crosses a wire between two hosts, as netns's
# emulated pair does, on every driver.
TWO_HOSTS_COMPARABLE = "yes: both cross a wire between two hosts"


def docker_path(case: nbresults.Case) -> str:
    labels = {r.get("label", "") for r in case.reps if r.get("label")}
    return sorted(labels)[0] if labels else "?"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("netns")
    p.add_argument("docker")
    ab_ratio.add_ratio_args(p, HEADLINE)
    args = p.parse_args(argv)
    a, b = nbresults.load(args.netns), nbresults.load(args.docker)
    table = ab_ratio.rows(a, b, tuple(args.metrics.split(",")), args.rounds, args.seed)
    print("docker/netns ratio of medians, bootstrap 95% interval "
          f"({args.rounds} resamples); same case names, interleaved case by case")
    print(f"netns:  {args.netns}  ({a.fact('kernel') or ''})")
    print(f"docker: {args.docker}  (Docker {b.fact('docker_version') or '?'}, "
          f"{b.fact('docker_engines') or '?'})")
    print(f"netbench {b.fact('netbench_commit') or '?'}, {b.fact('date') or '?'}\n")
    print(f"{'case':31} {'metric':20} {'ratio':>7} {'95% interval':>17} reps  comparable")
    paths = {nbresults.base_name(k): docker_path(c) for k, c in b.cases.items()}
    for case, m, point, lo, hi, n in table:
        parsed = nbresults.CaseName.parse(case)
        if parsed and b.test_kind(parsed.test) == "start":
            comparable = START_COMPARABLE
        elif paths.get(case, "").startswith("two hosts"):
            comparable = TWO_HOSTS_COMPARABLE
        else:
            comparable = COMPARABLE.get(parsed.driver if parsed else "?", "?")
        print(f"{case:31} {m:20} {point:7.3f} {lo:8.3f}-{hi:<8.3f} {n:4}  {comparable}")
    print("\npaths")
    seen = set()
    for key, case in b.cases.items():
        parsed = case.parsed
        if not parsed or parsed.driver in seen:
            continue
        seen.add(parsed.driver)
        print(f"  {parsed.driver:8} docker: {docker_path(case)}")
        print(f"  {'':8} netns:  {NETNS_PATH.get(parsed.driver, '?')}")
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
