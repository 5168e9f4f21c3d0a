"""Shared loading of netbench results (Google Benchmark 1.7.1 JSON).

Used by compare.py, plot.py and scale_results.py. A results file is what
`netbench --benchmark_out=FILE` writes:

    {"context": {... "skipped:<case>": "<reason>" ...},
     "benchmarks": [{"name", "run_name", "run_type": "iteration"|"aggregate",
                     "repetition_index", "aggregate_name", "real_time",
                     "time_unit", "error_occurred", "error_message",
                     <user counters as top-level numbers>}, ...]}

netbench case names are `runtime/driver/test[/stress][/variant...]`; Google
Benchmark appends its own suffixes (`/manual_time`, ...). Cases that netbench
did not register (unsupported, runtime missing) are context keys
`skipped:<case>` whose value is the reason.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn, Optional

SKIP_PREFIX = "skipped:"
DRIVER_ORDER = ("bridge", "host", "macvlan", "overlay")
RUNTIME_ORDER = ("runc", "crun", "runsc", "kata")
LOADS = ("idle", "stress")

# Fields Google Benchmark writes for every run; every other numeric
# top-level field of a run is a user counter.
STANDARD_FIELDS = frozenset({
    "name", "run_name", "run_type", "aggregate_name", "aggregate_unit",
    "family_index", "per_family_instance_index", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time",
    "time_unit", "label", "error_occurred", "error_message",
    "big_o", "rms", "complexity",
})
TIME_FIELDS = ("real_time", "cpu_time")
TIME_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Metric directions. real_time is always reported in ns by this module.
HIGHER_IS_BETTER = frozenset({"tps", "gbit_per_s", "bytes_per_second"})
LOWER_IS_BETTER = frozenset({"real_time"})
LOWER_IS_BETTER_SUFFIXES = ("_us", "_per_tx", "_per_gb")
# Shown, never gated: cpu_time is the idle netbench thread; max_us is one sample and
# retrans a small count, both too noisy for a per-row U-test to gate on.
INFORMATIONAL = frozenset({"cpu_time", "stress_bogo_ops_per_s", "vm_boot_s", "max_us", "retrans"})

# Suffixes Google Benchmark 1.7.1 appends to a registered name.
_GB_SUFFIX = re.compile(
    r"/(?:min_time:[^/]+|iterations:\d+|repeats:\d+|threads:\d+"
    r"|process_time|manual_time|real_time)$")


class InputError(Exception):
    """A results file that cannot be used; the message is one line."""


# What --fail-on-regression gates by default: the headline metrics. Measured here (results/
# reference/pair_*.json, two runs interleaved case by case on a shared 2-core machine), tail
# percentiles (p90..p99.9) and the CPU cost counters drift 10-45% between runs of the same
# build, as much as a real 20-25% regression: gating them by default would cry wolf. They are
# still compared and shown, and --gate-metrics gates them where the machine is quieter.
DEFAULT_GATED = ("real_time", "tps", "gbit_per_s", "bytes_per_second", "p50_us")


def direction(metric: str) -> str:
    """'lower' or 'higher' (is better), or 'info' (shown, never gated)."""
    if metric in INFORMATIONAL:
        return "info"
    if metric in HIGHER_IS_BETTER:
        return "higher"
    if metric in LOWER_IS_BETTER or metric.endswith(LOWER_IS_BETTER_SUFFIXES):
        return "lower"
    return "info"


def base_name(run_name: str) -> str:
    """The netbench case name: run_name without Google Benchmark's suffixes."""
    name = run_name
    while True:
        stripped = _GB_SUFFIX.sub("", name)
        if stripped == name:
            return name
        name = stripped


@dataclass(frozen=True)
class CaseName:
    """`runtime/driver/test[/stress][/variant]` split into its parts."""

    runtime: str
    driver: str
    test: str
    load: str      # "idle" or "stress"
    variant: str   # remaining components, e.g. "msg:256"; "" if none

    @staticmethod
    def parse(name: str) -> Optional["CaseName"]:
        """Parse a case or run name; None if it is not netbench-shaped."""
        parts = base_name(name).split("/")
        if len(parts) < 3 or not all(parts[:3]):
            return None
        rest = parts[3:]
        load = "stress" if "stress" in rest else "idle"
        variant = "/".join(p for p in rest if p != "stress")
        return CaseName(parts[0], parts[1], parts[2], load, variant)


@dataclass
class Case:
    """All runs of one case: its repetitions and Google Benchmark's aggregates."""

    run_name: str
    reps: list[dict[str, Any]] = field(default_factory=list)
    aggregates: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def parsed(self) -> Optional[CaseName]:
        return CaseName.parse(self.run_name)

    @property
    def errors(self) -> list[str]:
        """Error messages of the repetitions that failed (SkipWithError)."""
        return [str(r.get("error_message", "error"))
                for r in self.reps if r.get("error_occurred")]

    @property
    def errored(self) -> bool:
        return bool(self.errors)

    @property
    def error_summary(self) -> str:
        """The distinct error messages, in order, on one line."""
        return "; ".join(dict.fromkeys(self.errors))

    def metrics(self) -> list[str]:
        """real_time, then the user counters in the order they appear."""
        names: list[str] = ["real_time"]
        for run in self.reps or list(self.aggregates.values()):
            for key, value in run.items():
                if key not in STANDARD_FIELDS and is_number(value) \
                        and key not in names:
                    names.append(key)
        return names

    def values(self, metric: str) -> list[float]:
        """Per-repetition values of a metric (time fields in ns)."""
        return [v for v in (_metric_of(r, metric) for r in self.reps
                            if not r.get("error_occurred"))
                if v is not None]

    def mean(self, metric: str) -> Optional[float]:
        """Mean over repetitions, else Google Benchmark's mean aggregate."""
        values = self.values(metric)
        if values:
            return statistics.fmean(values)
        return _metric_of(self.aggregates.get("mean", {}), metric)

    def stddev(self, metric: str) -> Optional[float]:
        """Sample stddev over repetitions, else the stddev aggregate."""
        values = self.values(metric)
        if len(values) >= 2:
            return statistics.stdev(values)
        if values:
            return 0.0
        return _metric_of(self.aggregates.get("stddev", {}), metric)


@dataclass
class Results:
    """One results file: its context, its cases and its skipped cases."""

    path: str
    context: dict[str, Any]
    cases: dict[str, Case]       # by run_name, in file order
    skipped: dict[str, str]      # case name -> reason

    def fact(self, key: str) -> Optional[str]:
        value = self.context.get(key)
        return None if value in (None, "") else str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _metric_of(run: dict[str, Any], metric: str) -> Optional[float]:
    value = run.get(metric)
    if not is_number(value) or not math.isfinite(value):
        return None
    if metric in TIME_FIELDS:
        return float(value) * TIME_UNIT_NS.get(run.get("time_unit", "ns"), 1.0)
    return float(value)


def read_json(path: str) -> dict[str, Any]:
    """Read a Google Benchmark JSON file, or raise InputError."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not JSON ({e})") from None
    check_gbench(data, path)
    return data


def check_gbench(data: Any, path: str) -> None:
    """Raise InputError unless data has Google Benchmark's JSON shape."""
    where = f"{path}: not Google Benchmark JSON"
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise InputError(f"{where} (no \"benchmarks\" list)")
    if not isinstance(data.get("context", {}), dict):
        raise InputError(f"{where} (\"context\" is not an object)")
    for i, run in enumerate(data["benchmarks"]):
        if not isinstance(run, dict) or not isinstance(run.get("name"), str):
            raise InputError(f"{where} (benchmarks[{i}] has no name)")
        if "real_time" not in run and not run.get("error_occurred"):
            raise InputError(f"{where} (benchmarks[{i}] has no real_time)")


def from_json(data: dict[str, Any], path: str = "<json>") -> Results:
    """Group a Google Benchmark JSON document into cases."""
    check_gbench(data, path)
    context = data.get("context", {})
    cases: dict[str, Case] = {}
    for run in data["benchmarks"]:
        run_name = run.get("run_name") or run["name"]
        case = cases.setdefault(run_name, Case(run_name))
        if run.get("run_type") == "aggregate":
            case.aggregates[str(run.get("aggregate_name", ""))] = run
        else:
            case.reps.append(run)
    skipped = {k[len(SKIP_PREFIX):]: str(v) for k, v in context.items()
               if k.startswith(SKIP_PREFIX)}
    return Results(path, context, cases, skipped)


def load(path: str) -> Results:
    """Load a results file, or raise InputError."""
    return from_json(read_json(path), path)


def order_key(name: str, order: tuple[str, ...]) -> tuple[int, str]:
    """Sort key: known names in their canonical order, then the rest by name."""
    return (order.index(name) if name in order else len(order), name)


def fmt_number(value: Optional[float]) -> str:
    """About four significant digits, no exponent for everyday magnitudes."""
    if value is None:
        return "-"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if 1e-3 <= magnitude < 1e7:
        decimals = max(0, 3 - math.floor(math.log10(magnitude)))
        return f"{value:.{decimals}f}"
    return f"{value:.4g}"


def run_cli(main: Callable[[list[str]], int]) -> NoReturn:
    """Run a tool's main; bad input exits 2 with one line on stderr."""
    try:
        code = main(sys.argv[1:])
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        code = 2
    except BrokenPipeError:   # e.g. piped into head: not worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)
