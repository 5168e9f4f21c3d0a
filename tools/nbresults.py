"""Shared loading of netbench results (Google Benchmark 1.7.1 JSON).

Used by compare.py, plot.py, results_table.py, scale_results.py and
merge_results.py. A results file is what `netbench --benchmark_out=FILE`
writes:

    {"context": {... "skipped:<case>": "<reason>",
                 "metric:<name>": "unit=<unit>;better=<lower|higher|none>",
                 "test:<name>": "kind=<rr|stream>;transport=<tcp|udp>" ...},
     "benchmarks": [{"name", "run_name", "run_type": "iteration"|"aggregate",
                     "repetition_index", "aggregate_name", "real_time",
                     "time_unit", "error_occurred", "error_message",
                     <user counters as top-level numbers>}, ...]}

Context keys netbench writes (all values strings):

    skipped:<case>  the reason a case was not registered (unsupported,
                    runtime missing); the case is not in "benchmarks".
    metric:<name>   `unit=<unit>;better=<lower|higher|none>` for every metric
                    (real_time and each counter); better=none: informational,
                    shown and never gated.
    test:<name>     `kind=<rr|stream>;transport=<tcp|udp>` for every test.
    backend         the backend that made the testbed, e.g. `netns`.
    address_plan:<driver>
                    the driver's topology and addresses, one line.

Values are `k=v` items separated by `;` (parse_fields); unknown keys are
ignored. A metric's direction and unit, and a test's kind, come from these
keys; files without them (every file written before they existed) fall back
to rules on the name: see direction(), guess_unit() and test_kind(). Which
metrics gate by default (DEFAULT_GATED) and which are never gated whatever
the file says (INFORMATIONAL) is this module's policy, not the file's.
real_time and cpu_time are always in ns here: the loader converts them from
each run's time_unit, so their `metric:` unit is not used for values.

Case names (CaseName.parse; the grammar of netbench's C++ parser, common/case_name):

    runtime/driver/test[/stress][/key:value...]

e.g. `runc/bridge/tcp_stream/streams:4`, `runc/macvlan/tcp_rr/poll:busy`,
`runc/bridge/start`. Google Benchmark's suffixes are first stripped from the
end (base_name): an aggregate suffix glued on the last part (`_mean`,
`_median`, `_stddev`, `_cv`), then `/manual_time`, `/real_time`,
`/process_time`, `/min_time:X`, `/iterations:N`, `/repeats:N`, `/threads:N`.
So min_time, iterations, repeats and threads are reserved, never netbench
parameters. After runtime/driver/test (non-empty, no ':') comes optionally
`stress` (only directly after the test), then key:value parts, each with
exactly one ':' and a non-empty key and value. Anything else is not a
netbench name (parse returns None).
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
BACKEND_KEY = "backend"
ADDRESS_PLAN_PREFIX = "address_plan:"
METRIC_PREFIX = "metric:"
TEST_PREFIX = "test:"
DRIVER_ORDER = ("bridge", "host", "macvlan", "overlay")
RUNTIME_ORDER = ("runc", "crun", "runsc", "kata")
LOADS = ("idle", "stress")
KINDS = ("rr", "stream")          # test kinds the tools know how to show
BETTER = ("lower", "higher", "none")

# Fields Google Benchmark writes for every run; every other numeric
# top-level field of a run is a user counter.
STANDARD_FIELDS = frozenset({
    "name", "run_name", "run_type", "aggregate_name", "aggregate_unit",
    "family_index", "per_family_instance_index", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time",
    "time_unit", "label", "error_occurred", "error_message",
    "big_o", "rms", "complexity",
    "round",  # netbench's (tools/merge_results.py --rounds): which invocation a repetition is of
})
TIME_FIELDS = ("real_time", "cpu_time")
TIME_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Fallback rules on the name, for files without `metric:` keys (and metrics
# a file does not declare). real_time is always reported in ns by this module.
HIGHER_IS_BETTER = frozenset({"tps", "gbit_per_s", "bytes_per_second"})
LOWER_IS_BETTER = frozenset({"real_time"})
LOWER_IS_BETTER_SUFFIXES = ("_us", "_per_tx", "_per_gb")
FALLBACK_UNITS = {"gbit_per_s": "Gbit/s", "bytes_per_second": "B/s", "tps": "1/s"}
FALLBACK_UNIT_SUFFIXES = (("_us", "us"),)

# Policy, whatever a file says: shown, never gated. cpu_time is the idle netbench thread;
# max_us is one sample and retrans a small count, both too noisy for a per-row U-test to
# gate on; the stressor's rate and VM boot times are not netbench's performance.
INFORMATIONAL = frozenset({"cpu_time", "stress_bogo_ops_per_s", "vm_boot_s", "max_us", "retrans"})

# Suffixes Google Benchmark 1.7.1 appends to a registered name: the aggregate
# name glued on the last part, then (stripped repeatedly from the end) the rest.
_AGGREGATE_SUFFIX = re.compile(r"_(?:mean|median|stddev|cv)$")
_GB_SUFFIX = re.compile(
    r"/(?:min_time:[^/]+|iterations:\d+|repeats:\d+|threads:\d+"
    r"|process_time|manual_time|real_time)$")
# Keys of Google Benchmark's suffixes: never netbench parameters.
RESERVED_KEYS = frozenset({"min_time", "iterations", "repeats", "threads"})


class InputError(Exception):
    """A results file that cannot be used; the message is one line."""


# What --fail-on-regression gates by default: the headline metrics. Measured here (results/
# reference/pair_*.json, two runs interleaved case by case on a shared 2-core machine), tail
# percentiles (p90..p99.9) and the CPU cost counters drift 10-45% between runs of the same
# build, as much as a real 20-25% regression: gating them by default would cry wolf. They are
# still compared and shown, and --gate-metrics gates them where the machine is quieter.
DEFAULT_GATED = ("real_time", "tps", "gbit_per_s", "bytes_per_second", "p50_us")


def parse_fields(text: Any) -> dict[str, str]:
    """`k=v;k=v` as a dict. Tolerant: blanks around keys and values are
    dropped, items without '=' or with an empty key are skipped, and the
    last of repeated keys wins. Anything but a string gives {}."""
    if not isinstance(text, str):
        return {}
    fields: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            fields[key.strip()] = value.strip()
    return fields


@dataclass(frozen=True)
class MetricSpec:
    """What a file says of a metric (`metric:<name>`); None where it says nothing usable."""

    unit: Optional[str] = None
    better: Optional[str] = None    # "lower", "higher" or "none"

    @staticmethod
    def parse(text: Any) -> "MetricSpec":
        fields = parse_fields(text)
        better = fields.get("better")
        return MetricSpec(fields.get("unit") or None,
                          better if better in BETTER else None)


@dataclass(frozen=True)
class TestSpec:
    """What a file says of a test (`test:<name>`); None where it says nothing."""

    kind: Optional[str] = None        # "rr", "stream", or a kind added later
    transport: Optional[str] = None   # "tcp", "udp"

    @staticmethod
    def parse(text: Any) -> "TestSpec":
        fields = parse_fields(text)
        return TestSpec(fields.get("kind") or None, fields.get("transport") or None)


def specs(context: dict[str, Any], prefix: str,
          parse: Callable[[Any], Any]) -> dict[str, Any]:
    """{name: parse(value)} for the context keys `<prefix><name>`."""
    return {k[len(prefix):]: parse(v) for k, v in context.items()
            if k.startswith(prefix) and len(k) > len(prefix)}


def fallback_direction(metric: str) -> str:
    """The name rules for files that do not declare a metric: 'lower', 'higher' or 'info'."""
    if metric in HIGHER_IS_BETTER:
        return "higher"
    if metric in LOWER_IS_BETTER or metric.endswith(LOWER_IS_BETTER_SUFFIXES):
        return "lower"
    return "info"


def direction(metric: str, better: Optional[str] = None) -> str:
    """'lower' or 'higher' (is better), or 'info' (shown, never gated).

    `better` is what the file declares (MetricSpec.better); without it the
    name decides. INFORMATIONAL metrics are 'info' either way.
    """
    if metric in INFORMATIONAL:
        return "info"
    if better is None:
        return fallback_direction(metric)
    return "info" if better == "none" else better


def guess_unit(metric: str) -> str:
    """The unit the name suggests, for files that do not declare it; "" if none."""
    if metric in TIME_FIELDS:
        return "ns"
    if metric in FALLBACK_UNITS:
        return FALLBACK_UNITS[metric]
    for suffix, unit in FALLBACK_UNIT_SUFFIXES:
        if metric.endswith(suffix):
            return unit
    return ""


def test_kind(test: str, spec: Optional[TestSpec] = None) -> Optional[str]:
    """The test's kind: the file's `test:<name>` kind, else by name
    (`*_rr` -> "rr", `*_stream` -> "stream"), else None."""
    if spec is not None and spec.kind:
        return spec.kind
    if test.endswith("_rr"):
        return "rr"
    if test.endswith("_stream"):
        return "stream"
    return None


def cpu_metric(kind: Optional[str], side: str = "client") -> Optional[str]:
    """The CPU cost counter of a test kind: `<side>_cpu_us_per_tx` for rr,
    `<side>_cpu_s_per_gb` for stream (side "client" or "server")."""
    if kind == "rr":
        return f"{side}_cpu_us_per_tx"
    if kind == "stream":
        return f"{side}_cpu_s_per_gb"
    return None


def base_name(run_name: str) -> str:
    """The netbench case name: run_name without Google Benchmark's suffixes."""
    name = _AGGREGATE_SUFFIX.sub("", run_name)
    while True:
        stripped = _GB_SUFFIX.sub("", name)
        if stripped == name:
            return name
        name = stripped


Params = tuple[tuple[str, str], ...]


def params_text(params: Params) -> str:
    """Params as written in a case name, e.g. "streams:4/poll:busy"; "" if none."""
    return "/".join(f"{k}:{v}" for k, v in params)


@dataclass(frozen=True)
class CaseName:
    """`runtime/driver/test[/stress][/key:value...]` split into its parts."""

    runtime: str
    driver: str
    test: str
    load: str = "idle"     # "idle" or "stress"
    params: Params = ()    # the key:value parts in order, e.g. (("msg", "256"),)

    @property
    def variant(self) -> str:
        """The params as written in the name, e.g. "streams:4/poll:busy"; "" if none."""
        return params_text(self.params)

    @property
    def name(self) -> str:
        """The case name without Google Benchmark's suffixes."""
        parts = [self.runtime, self.driver, self.test]
        parts += ["stress"] if self.load == "stress" else []
        parts += [self.variant] if self.params else []
        return "/".join(parts)

    @staticmethod
    def parse(name: str) -> Optional["CaseName"]:
        """Parse a case or run name; None if it is not a netbench name."""
        parts = base_name(name).split("/")
        if len(parts) < 3 or not all(p and ":" not in p for p in parts[:3]):
            return None
        rest = parts[3:]
        load = "idle"
        if rest and rest[0] == "stress":
            load, rest = "stress", rest[1:]
        params = []
        for part in rest:
            key, _, value = part.partition(":")
            if part.count(":") != 1 or not key or not value or key in RESERVED_KEYS:
                return None
            params.append((key, value))
        return CaseName(parts[0], parts[1], parts[2], load, tuple(params))


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

    def values_by_round(self, metric: str) -> list[list[float]]:
        """Per-repetition values grouped by their `round` (tools/merge_results.py --rounds), in
        order; a repetition without one is a group of its own."""
        groups: dict[Any, list[float]] = {}
        for i, r in enumerate(x for x in self.reps if not x.get("error_occurred")):
            v = _metric_of(r, metric)
            if v is not None:
                groups.setdefault(("round", r["round"]) if "round" in r else ("rep", i), []).append(v)
        return list(groups.values())

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
    metric_specs: dict[str, MetricSpec] = field(default_factory=dict)  # `metric:<name>`
    test_specs: dict[str, TestSpec] = field(default_factory=dict)      # `test:<name>`

    def fact(self, key: str) -> Optional[str]:
        value = self.context.get(key)
        return None if value in (None, "") else str(value)

    def testbed(self) -> dict[str, str]:
        """What the file says of its testbed: `backend` and every
        `address_plan:<driver>` it has (non-empty values only)."""
        keys = [BACKEND_KEY] + [k for k in self.context if k.startswith(ADDRESS_PLAN_PREFIX)]
        return {k: v for k in keys if (v := self.fact(k)) is not None}

    def direction(self, metric: str) -> str:
        """'lower', 'higher' or 'info': the file's `better`, else the name rules."""
        return direction(metric, self.metric_specs.get(metric, MetricSpec()).better)

    def unit(self, metric: str) -> str:
        """The unit of the metric's values: "ns" for the time fields (converted
        on loading), else the file's `unit`, else ""."""
        if metric in TIME_FIELDS:
            return "ns"
        return self.metric_specs.get(metric, MetricSpec()).unit or ""

    def unit_or_guess(self, metric: str) -> str:
        """unit(), else the unit the name suggests (guess_unit)."""
        return self.unit(metric) or guess_unit(metric)

    def test_kind(self, test: str) -> Optional[str]:
        """"rr", "stream" (or a later kind): the file's `test:<name>`, else by name."""
        return test_kind(test, self.test_specs.get(test))


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
    return Results(path, context, cases, skipped,
                   specs(context, METRIC_PREFIX, MetricSpec.parse),
                   specs(context, TEST_PREFIX, TestSpec.parse))


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
