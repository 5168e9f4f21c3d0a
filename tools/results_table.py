#!/usr/bin/python3
"""A Markdown table of one netbench result file: every case, runc and kata side by side.

    tools/results_table.py FILE.json

Per driver, test (and its key:value parameters, if any) and load: the mean (and stddev) over
repetitions of the case's headline metric (RTT in us for a test of kind rr, Gbit/s for kind
stream), p99 for rr, the server's CPU cost, and kata/runc. A test's kind is the file's
`test:<name>` kind, else its name (`*_rr`, `*_stream`); tests of other kinds are not shown.
Skipped and errored cases are shown as such, never as numbers.
"""

from __future__ import annotations

import argparse
from typing import Optional

import nbresults
from nbresults import CaseName


def headline(case: nbresults.Case, kind: str,
             res: Optional[nbresults.Results] = None) -> tuple[str, float | None]:
    if kind == "rr":
        mean = case.mean("real_time")     # ns, whatever the file's time_unit
        sd = case.stddev("real_time")
        if mean is None:
            return "", None
        return f"{mean / 1e3:.1f} ± {(sd or 0) / 1e3:.1f} us", mean
    mean, sd = case.mean("gbit_per_s"), case.stddev("gbit_per_s")
    if mean is None:
        return "", None
    unit = res.unit_or_guess("gbit_per_s") if res else nbresults.guess_unit("gbit_per_s")
    return f"{mean:.2f} ± {sd or 0:.2f} {unit}", mean


def cell(res: nbresults.Results, name: CaseName, kind: str) -> tuple[str, float | None, str, str]:
    if any(CaseName.parse(s) == name for s in res.skipped):
        return "skipped", None, "", ""
    case = next((c for c in res.cases.values() if c.parsed == name), None)
    if case is None:
        return "not run", None, "", ""
    if case.errored:
        return "error", None, "", ""
    text, value = headline(case, kind, res)
    p99 = case.mean("p99_us")
    cpu_metric = nbresults.cpu_metric(kind, "server")
    cpu = case.mean(cpu_metric) if cpu_metric else None
    return (text, value, f"{p99:.0f}" if p99 is not None else "",
            f"{cpu:.2f}" if cpu is not None else "")


def shown_tests(res: nbresults.Results) -> list[tuple[str, str, nbresults.Params]]:
    """(test, kind, params) of every case shown: rr tests, then stream tests, by name."""
    names = [c.parsed for c in res.cases.values()] + [CaseName.parse(s) for s in res.skipped]
    found = {(n.test, n.params) for n in names if n}
    out = []
    for kind in nbresults.KINDS:
        out += sorted((test, kind, params) for test, params in found
                      if res.test_kind(test) == kind)
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    args = ap.parse_args(argv)
    res = nbresults.load(args.file)
    tests = shown_tests(res)
    print("| driver | test | load | runc | runc p99 us | runc server CPU | kata | kata p99 us "
          "| kata server CPU | kata/runc |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for driver in nbresults.DRIVER_ORDER:
        for test, kind, params in tests:
            label = "/".join(p for p in (test, nbresults.params_text(params)) if p)
            for load in nbresults.LOADS:
                r = cell(res, CaseName("runc", driver, test, load, params), kind)
                k = cell(res, CaseName("kata", driver, test, load, params), kind)
                ratio = f"{k[1] / r[1]:.2f}" if r[1] and k[1] else ""
                print(f"| {driver} | {label} | {load} | {r[0]} | {r[2]} | {r[3]} | {k[0]} | "
                      f"{k[2]} | {k[3]} | {ratio} |")
    by_kind = {kind: ", ".join(dict.fromkeys(t for t, k, _ in tests if k == kind))
               for kind in nbresults.KINDS}
    print(f"\nServer CPU: us per transaction ({by_kind['rr']}), s per GB ({by_kind['stream']}); "
          "kata's is the QEMU process (under stress, including the guest's stressor).")
    for name, why in res.skipped.items():
        print(f"\n`{name}` skipped: {why}")
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
