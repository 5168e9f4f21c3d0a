#!/usr/bin/python3
"""How much of a netbench run's wall time was spent measuring, read from its result file.

    tools/time_budget.py RESULT.json [--wall SECONDS] [--min-share 0.85]

Measuring is what Google Benchmark's JSON itself says was measured: the sum over every
repetition (run_type "iteration", not errored) of iterations x time per iteration, which for
netbench's manual time is the sum of the agent's samples. The wall time is --wall (measured
around the run by the caller, e.g. tools/time_budget.sh), else the file's own time_wall_s.
Prints that share, netbench's own breakdown (the time_* context keys), and exits 1 when the
share is below --min-share, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import nbresults

PARTS = ("measuring", "repetition_overhead", "iteration_search", "warmup", "stress",
         "testbed_up", "testbed_down", "vm_boot", "retries", "prepare", "other")


def measured_seconds(doc: dict[str, Any]) -> float:
    """Sum of iterations x real_time over the repetitions, in seconds."""
    total = 0.0
    for run in doc["benchmarks"]:
        if run.get("run_type") != "iteration" or run.get("error_occurred"):
            continue
        unit = nbresults.TIME_UNIT_NS[run.get("time_unit", "ns")]
        total += run["iterations"] * run["real_time"] * unit * 1e-9
    return total


def breakdown(doc: dict[str, Any]) -> dict[str, float]:
    """netbench's own breakdown from the context (empty for files without one)."""
    ctx = doc.get("context", {})
    out = {}
    for part in ("wall",) + PARTS:
        key = f"time_{part}_s"
        if key in ctx:
            out[part] = float(ctx[key])
    return out


def report(doc: dict[str, Any], wall: float | None, min_share: float) -> tuple[str, bool]:
    """The report's text and whether the share is at least min_share."""
    own = breakdown(doc)
    if wall is None:
        if "wall" not in own:
            raise nbresults.InputError("no --wall and no time_wall_s in the file's context")
        wall = own["wall"]
    if wall <= 0:
        raise nbresults.InputError(f"wall time {wall} s is not above 0")
    measured = measured_seconds(doc)
    share = measured / wall
    lines = [f"wall {wall:.1f} s, measured (iterations x time per iteration) {measured:.1f} s: "
             f"{100 * share:.1f}% measuring (at least {100 * min_share:.0f}% wanted)"]
    if own:
        lines.append("netbench's breakdown:")
        for part in PARTS:
            if part in own:
                lines.append(f"  {part:<22}{own[part]:>9.1f} s {100 * own[part] / wall:>6.1f}%")
    ok = share >= min_share
    lines.append("met" if ok else "MISSED")
    return "\n".join(lines), ok


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("result")
    p.add_argument("--wall", type=float, default=None)
    p.add_argument("--min-share", type=float, default=0.85)
    a = p.parse_args(argv)
    try:
        doc = nbresults.read_json(a.result)
        nbresults.check_gbench(doc, a.result)
        text, ok = report(doc, a.wall, a.min_share)
    except nbresults.InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
