#!/usr/bin/python3
"""A Markdown table of one netbench result file: every case, runc and kata side by side.

    tools/results_table.py FILE.json

Per driver, test and load: the mean (and stddev) over repetitions of the case's headline
metric (RTT in us for tcp_rr, Gbit/s for tcp_stream), p99 for tcp_rr, the server's CPU cost,
and kata/runc. Skipped and errored cases are shown as such, never as numbers.
"""

from __future__ import annotations

import argparse
import sys

import nbresults


def headline(case: nbresults.Case, test: str) -> tuple[str, float | None]:
    if test == "tcp_rr":
        mean = case.mean("real_time")
        sd = case.stddev("real_time")
        if mean is None:
            return "", None
        return f"{mean / 1e3:.1f} ± {(sd or 0) / 1e3:.1f} us", mean
    mean, sd = case.mean("gbit_per_s"), case.stddev("gbit_per_s")
    if mean is None:
        return "", None
    return f"{mean:.2f} ± {sd or 0:.2f} Gbit/s", mean


def cell(res: nbresults.Results, name: str, test: str) -> tuple[str, float | None, str, str]:
    if name in res.skipped:
        return "skipped", None, "", ""
    case = next((c for c in res.cases.values() if nbresults.base_name(c.run_name) == name), None)
    if case is None:
        return "not run", None, "", ""
    if case.errored:
        return "error", None, "", ""
    text, value = headline(case, test)
    p99 = case.mean("p99_us")
    cpu = case.mean("server_cpu_us_per_tx" if test == "tcp_rr" else "server_cpu_s_per_gb")
    return (text, value, f"{p99:.0f}" if p99 is not None else "",
            f"{cpu:.2f}" if cpu is not None else "")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    args = ap.parse_args(argv)
    res = nbresults.load(args.file)
    print("| driver | test | load | runc | runc p99 us | runc server CPU | kata | kata p99 us "
          "| kata server CPU | kata/runc |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for driver in nbresults.DRIVER_ORDER:
        for test in ("tcp_rr", "tcp_stream"):
            for load in nbresults.LOADS:
                suffix = "" if load == "idle" else "/stress"
                r = cell(res, f"runc/{driver}/{test}{suffix}", test)
                k = cell(res, f"kata/{driver}/{test}{suffix}", test)
                ratio = f"{k[1] / r[1]:.2f}" if r[1] and k[1] else ""
                print(f"| {driver} | {test} | {load} | {r[0]} | {r[2]} | {r[3]} | {k[0]} | "
                      f"{k[2]} | {k[3]} | {ratio} |")
    print("\nServer CPU: us per transaction (tcp_rr), s per GB (tcp_stream); kata's is the QEMU "
          "process (under stress, including the guest's stressor).")
    for name, why in res.skipped.items():
        print(f"\n`{name}` skipped: {why}")
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
