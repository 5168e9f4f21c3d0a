#!/usr/bin/python3
"""Write a scaled copy of a netbench results file: a regression of known size.

    tools/scale_results.py IN.json OUT.json --throughput 0.8 --latency 1.25

It exists to test the regression gate (compare.py --fail-on-regression) on
real data: compare IN.json with OUT.json and the gate must trip. In every
repetition and in every aggregate (mean, median, stddev; not cv, a ratio
that scaling leaves unchanged) it multiplies

    bytes_per_second, gbit_per_s, tps           by THROUGHPUT
    *_us counters, real_time of rr tests        by LATENCY (real_time is the RTT)
    real_time of stream tests                   by 1/THROUGHPUT (time per chunk)

and copies everything else as is (cpu_time, CPU costs, retransmits, errored
runs). The context gets "scaled_by" so that nobody takes the copy for a
measurement. The output is still Google Benchmark JSON. A test's kind (rr or
stream) is the file's `test:<name>` context key, else its name (`*_rr`,
`*_stream`); the counters are chosen by name, as listed above.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from typing import Any, Optional

import nbresults
from nbresults import CaseName, InputError

THROUGHPUT = nbresults.HIGHER_IS_BETTER   # bytes_per_second, gbit_per_s, tps
LATENCY_SUFFIX = "_us"
REAL_TIME_IS_LATENCY = "rr"          # test kinds
REAL_TIME_IS_CHUNK_TIME = "stream"


def is_ratio(run: dict[str, Any]) -> bool:
    """cv aggregates (stddev/mean) do not change under scaling."""
    return run.get("aggregate_name") == "cv" or \
        run.get("aggregate_unit") == "percentage"


def real_time_factor(run: dict[str, Any], throughput: float, latency: float,
                     tests: Optional[dict[str, nbresults.TestSpec]] = None) -> Optional[float]:
    """The factor for real_time, None for a test of no kind this script knows.
    `tests` are the file's `test:<name>` specs."""
    parsed = CaseName.parse(run.get("run_name") or run["name"])
    kind = nbresults.test_kind(parsed.test, (tests or {}).get(parsed.test)) \
        if parsed else None
    if kind == REAL_TIME_IS_LATENCY:
        return latency
    if kind == REAL_TIME_IS_CHUNK_TIME:
        return 1.0 / throughput
    return None


def scale_run(run: dict[str, Any], throughput: float, latency: float,
              tests: Optional[dict[str, nbresults.TestSpec]] = None) -> bool:
    """Scale one run in place; False if its real_time was left unscaled."""
    if run.get("error_occurred") or is_ratio(run):
        return True
    for key, value in run.items():
        if key in nbresults.STANDARD_FIELDS or not nbresults.is_number(value):
            continue
        if key in THROUGHPUT:
            run[key] = value * throughput
        elif key.endswith(LATENCY_SUFFIX):
            run[key] = value * latency
    factor = real_time_factor(run, throughput, latency, tests)
    if factor is not None and "real_time" in run:
        run["real_time"] = run["real_time"] * factor
    return factor is not None


def scale_results(data: dict[str, Any], throughput: float, latency: float,
                  source: str) -> tuple[dict[str, Any], list[str]]:
    """A scaled deep copy, and the runs whose real_time was left as it was."""
    nbresults.check_gbench(data, source)
    out = copy.deepcopy(data)
    tests = nbresults.specs(out.get("context", {}), nbresults.TEST_PREFIX,
                            nbresults.TestSpec.parse)
    unscaled = [run["name"] for run in out["benchmarks"]
                if not scale_run(run, throughput, latency, tests)]
    out.setdefault("context", {})["scaled_by"] = (
        f"tools/scale_results.py from {source}: throughput x{throughput:g}, "
        f"latency x{latency:g}; NOT a measurement")
    return out, unscaled


def positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0: {text}")
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Write a copy of a netbench results file with throughput "
                    "and latency scaled (a fake regression of known size).")
    parser.add_argument("input", metavar="IN.json")
    parser.add_argument("output", metavar="OUT.json")
    parser.add_argument("--throughput", type=positive, required=True,
                        help="factor for throughput metrics (e.g. 0.8)")
    parser.add_argument("--latency", type=positive, required=True,
                        help="factor for latency metrics (e.g. 1.25)")
    args = parser.parse_args(argv)
    data = nbresults.read_json(args.input)
    out, unscaled = scale_results(data, args.throughput, args.latency,
                                  args.input)
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
    except OSError as e:
        raise InputError(f"{args.output}: cannot write: {e}") from None
    for name in unscaled:
        print(f"note: {name}: unknown test, real_time not scaled",
              file=sys.stderr)
    print(args.output)
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
