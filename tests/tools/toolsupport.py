"""Helpers for the tests of tools/: paths, running a tool, and FAKE results.

fake_results() writes unit-test fakes: synthetic Google Benchmark 1.7.1 JSON
shaped like netbench's output (names, repetitions, aggregates, counters,
skipped cases in the context, errored cases), with seeded random noise. They
are not measurements. Real runs live in results/reference/.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import random
import statistics
import subprocess
import sys
from typing import Any, Iterable, Optional

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(REPO, "tools")
REFERENCE_A = os.path.join(REPO, "tests", "data", "gate_pair_a.json")
REFERENCE_B = os.path.join(REPO, "tests", "data", "gate_pair_b.json")
HAVE_REFERENCE = os.path.isfile(REFERENCE_A) and os.path.isfile(REFERENCE_B)
GBENCH_COMPARE = "/usr/share/benchmark/compare.py"

if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

for _module in ("scipy", "matplotlib"):
    if importlib.util.find_spec(_module) is None:
        raise ImportError(f"no {_module} in {sys.executable}: tools/ needs python3-scipy "
                          "and python3-matplotlib; run the tests with /usr/bin/python3")

KATA_HOST_REASON = "Kata cannot use the host network driver"
DRIVERS = ("bridge", "host", "macvlan", "overlay")
RTT_US = {"runc": 14.0, "kata": 280.0}      # fake base values
GBIT = {"runc": 46.0, "kata": 4.6}
DRIVER_COST = {"bridge": 1.1, "host": 1.0, "macvlan": 0.95, "overlay": 1.3}
STRESS_COST = 1.4
CHUNK = 1 << 20


def run_python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a Python script with this interpreter; capture text output."""
    return subprocess.run([sys.executable, script, *args],
                          capture_output=True, text=True, timeout=300)


def run_tool(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run tools/<tool>."""
    return run_python(os.path.join(TOOLS, tool), *args)


def case_names(runtimes: Iterable[str], tests: Iterable[str],
               loads: Iterable[str]) -> list[str]:
    names = []
    for test in tests:
        for load in loads:
            for runtime in runtimes:
                for driver in DRIVERS:
                    suffix = "/stress" if load == "stress" else ""
                    names.append(f"{runtime}/{driver}/{test}{suffix}")
    return names


def rr_run(rng: random.Random, runtime: str, cost: float, latency: float,
           noise: float) -> dict[str, Any]:
    rtt_us = RTT_US[runtime] * cost * latency * (1 + rng.gauss(0, noise))
    tail = [rtt_us * f * (1 + rng.gauss(0, noise)) for f in
            (0.93, 1.12, 1.6, 2.6, 6.0)]
    counters = dict(zip(("p50_us", "p90_us", "p99_us", "p999_us", "max_us"),
                        tail))
    counters["tps"] = 1e6 / rtt_us
    return {"iterations": 20000, "real_time": rtt_us * 1e3,
            "cpu_time": rtt_us * 30, **counters}


def stream_run(rng: random.Random, runtime: str, cost: float,
               throughput: float, noise: float) -> dict[str, Any]:
    gbit = GBIT[runtime] / cost * throughput * (1 + rng.gauss(0, noise))
    bytes_per_second = gbit * 1e9 / 8
    return {"iterations": 2000, "real_time": CHUNK / bytes_per_second * 1e9,
            "cpu_time": 900.0, "bytes_per_second": bytes_per_second,
            "gbit_per_s": gbit, "retrans": float(rng.randint(0, 3))}


def cv(values: list[float]) -> float:
    """Google Benchmark's cv: stddev / mean, NaN (written as NaN) for mean 0."""
    mean = statistics.fmean(values)
    return statistics.stdev(values) / mean if mean else math.nan


def aggregates(head: dict[str, Any], runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """mean, median, stddev, cv the way Google Benchmark 1.7.1 writes them."""
    keys = [k for k in runs[0] if k not in head and k not in
            ("repetition_index", "iterations", "label", "time_unit")]
    stats = {"mean": statistics.fmean, "median": statistics.median,
             "stddev": statistics.stdev,
             "cv": cv}
    out = []
    for name, fn in stats.items():
        entry = {**head, "name": head["run_name"] + "_" + name,
                 "run_type": "aggregate", "aggregate_name": name,
                 "aggregate_unit": "percentage" if name == "cv" else "time",
                 "iterations": len(runs)}
        entry.update({k: fn([r[k] for r in runs]) for k in keys})
        entry["time_unit"] = "ns"
        out.append(entry)
    return out


def case_entries(rng: random.Random, index: int, base: str, reps: int,
                 throughput: float, latency: float, noise: float,
                 error: Optional[str], extra: dict[str, float]) -> list[dict[str, Any]]:
    runtime, driver, test, *rest = base.split("/")
    cost = DRIVER_COST[driver] * (STRESS_COST if rest else 1.0)
    run_name = base + "/manual_time"
    head = {"name": run_name, "family_index": index,
            "per_family_instance_index": 0, "run_name": run_name,
            "run_type": "iteration", "repetitions": reps, "threads": 1}
    runs = []
    for i in range(reps):
        entry = {**head, "repetition_index": i}
        if error:
            entry.update(error_occurred=True, error_message=error,
                         iterations=1, real_time=0.0, cpu_time=0.0)
        elif test == "tcp_rr":
            entry.update(rr_run(rng, runtime, cost, latency, noise))
        else:
            entry.update(stream_run(rng, runtime, cost, throughput, noise))
        if not error:
            entry.update(extra)
            if rest:
                entry["stress_bogo_ops_per_s"] = 1000 * (1 + rng.gauss(0, noise))
            if runtime == "kata":
                entry["label"] = "tcfilter mirroring verified; vm_accel=tcg"
        entry["time_unit"] = "ns"
        runs.append(entry)
    if error or reps < 2:   # 1.7.1 computes no aggregates from errored runs
        return runs
    return runs + aggregates(head, runs)


def fake_results(seed: int = 1, reps: int = 5, runtimes: tuple[str, ...] = ("runc", "kata"),
                 tests: tuple[str, ...] = ("tcp_rr", "tcp_stream"),
                 loads: tuple[str, ...] = ("idle", "stress"),
                 throughput: float = 1.0, latency: float = 1.0,
                 noise: float = 0.02, errored: Optional[dict[str, str]] = None,
                 extra: Optional[dict[str, float]] = None) -> dict[str, Any]:
    """A FAKE results document; kata/host cases are skipped as netbench does."""
    rng = random.Random(seed)
    errored = errored or {}
    context: dict[str, Any] = {
        "date": "2024-11-26T15:20:00+00:00", "host_name": "fakehost",
        "executable": "./build/netbench", "num_cpus": 2, "mhz_per_cpu": 2000,
        "cpu_scaling_enabled": False, "caches": [], "load_avg": [0.5, 0.4, 0.3],
        "library_build_type": "release", "json_schema_version": 1,
        "netbench_version": "0.0.0-fake", "vm_accel": "tcg",
    }
    benchmarks: list[dict[str, Any]] = []
    for index, base in enumerate(case_names(runtimes, tests, loads)):
        if base.startswith("kata/host/"):
            context["skipped:" + base] = KATA_HOST_REASON
            continue
        benchmarks += case_entries(rng, index, base, reps, throughput, latency,
                                   noise, errored.get(base), extra or {})
    return {"context": context, "benchmarks": benchmarks}


# The context keys netbench writes for its metrics and tests (examples of the
# C++ side's `metric:<name>` and `test:<name>` keys), for declare().
NETBENCH_METRICS = {
    "real_time": "unit=us;better=lower", "p50_us": "unit=us;better=lower",
    "p90_us": "unit=us;better=lower", "p99_us": "unit=us;better=lower",
    "p999_us": "unit=us;better=lower", "max_us": "unit=us;better=lower",
    "tps": "unit=1/s;better=higher", "gbit_per_s": "unit=Gbit/s;better=higher",
    "bytes_per_second": "unit=B/s;better=higher", "retrans": "unit=count;better=lower",
    "stress_bogo_ops_per_s": "unit=ops/s;better=none", "client_vm_boot_s": "unit=s;better=none",
}
NETBENCH_TESTS = {"tcp_rr": "kind=rr;transport=tcp", "tcp_stream": "kind=stream;transport=tcp"}


def declare(data: dict[str, Any], metrics: Optional[dict[str, str]] = None,
            tests: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """Add `metric:<name>` and `test:<name>` context keys to a document, in place."""
    for name, value in (metrics or {}).items():
        data["context"]["metric:" + name] = value
    for name, value in (tests or {}).items():
        data["context"]["test:" + name] = value
    return data


def rename_test(data: dict[str, Any], old: str, new: str,
                params: str = "") -> dict[str, Any]:
    """Rename test `old` to `new` in every case name of a document (runs and
    skipped keys), in place; with params (e.g. "streams:4"), append them as
    the name's key:value parts, before Google Benchmark's suffixes."""
    def fix(name: str) -> str:
        parts = name.split("/")
        if len(parts) < 3 or parts[2] != old:
            return name
        parts[2] = new
        if params:
            at = 4 if len(parts) > 3 and parts[3] == "stress" else 3
            parts[at:at] = params.split("/")
        return "/".join(parts)

    for run in data["benchmarks"]:
        for key in ("name", "run_name"):
            if key in run:
                run[key] = fix(run[key])
    data["context"] = {("skipped:" + fix(k[len("skipped:"):]) if k.startswith("skipped:")
                        else k): v for k, v in data["context"].items()}
    return data


def write_json(path: str, data: Any) -> str:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    return path


def read_json(path: str) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)
