#!/usr/bin/python3
"""Merge netbench results files, each holding some cases, into one file.

    tools/merge_results.py OUT.json IN.json... [--note TEXT]

Used by tools/ab_builds.sh, which runs every case in its own netbench
invocation. The first input's context is kept (kernel, versions, run id),
with every input's `skipped:<case>`, `metric:<name>` and `test:<name>`
entries added and, with --note, a `merged` entry saying how the file was
made. Two inputs giving one `metric:` or `test:` key different values is an
error (the merged file could not say which one its numbers follow). Benchmarks are concatenated in
input order. A case may appear in one input only: twice is an error (the
merged file would mix two runs' repetitions into one sample), unless --rounds
says the inputs are rounds of one measurement (tools/ab_builds.sh with
ROUNDS): then a case's repetitions from every input are one sample, numbered
again in input order, each marked with its input's index (`round`, from 0:
repetitions of one invocation share its testbed, VM boots and moment, so the
ratio tools resample rounds, not repetitions), and its per-input aggregates
(mean, median, stddev, cv of one round) are left out: they describe a round,
not the sample.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import nbresults
from nbresults import InputError


def merge(docs: list[dict[str, Any]], note: str = "", rounds: bool = False) -> dict[str, Any]:
    """One Google Benchmark document from several, or raise InputError."""
    if not docs:
        raise InputError("nothing to merge")
    merged: dict[str, Any] = {"context": dict(docs[0].get("context", {})), "benchmarks": []}
    inputs_of: dict[str, set[int]] = {}
    declared: dict[str, int] = {}   # metric:/test: key -> first input that has it
    for i, doc in enumerate(docs):
        nbresults.check_gbench(doc, f"input {i + 1}")
        for key, value in doc.get("context", {}).items():
            if key.startswith((nbresults.METRIC_PREFIX, nbresults.TEST_PREFIX)):
                first = declared.setdefault(key, i)
                if first != i and merged["context"][key] != value:
                    raise InputError(f"context {key} is {merged['context'][key]!r} in input "
                                     f"{first + 1} but {value!r} in input {i + 1}")
                merged["context"][key] = value
            elif key.startswith(nbresults.SKIP_PREFIX):
                merged["context"][key] = value
        for run in doc["benchmarks"]:
            name = run.get("run_name") or run["name"]
            seen = inputs_of.setdefault(name, set())
            if seen and i not in seen and not rounds:
                raise InputError(f"case {name} is in input {min(seen) + 1} and input {i + 1}")
            seen.add(i)
            merged["benchmarks"].append(dict(run, round=i) if rounds else run)
    if rounds:
        merged["benchmarks"] = pooled(merged["benchmarks"], inputs_of)
    if note:
        merged["context"]["merged"] = note
    return merged


def pooled(runs: list[dict[str, Any]], inputs_of: dict[str, set[int]]) -> list[dict[str, Any]]:
    """A case from several rounds: its repetitions numbered as one sample, its aggregates out."""
    def name(run: dict[str, Any]) -> str:
        return run.get("run_name") or run["name"]
    def several(run: dict[str, Any]) -> bool:
        return len(inputs_of[name(run)]) > 1
    total: dict[str, int] = {}
    for run in runs:
        if run.get("run_type") != "aggregate":
            total[name(run)] = total.get(name(run), 0) + 1
    out, index = [], {}
    for run in runs:
        if not several(run):
            out.append({k: v for k, v in run.items() if k != "round"})
        elif run.get("run_type") != "aggregate":
            run = dict(run, repetitions=total[name(run)])
            run["repetition_index"] = index.setdefault(name(run), 0)
            index[name(run)] += 1
            out.append(run)
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--note", default="", help="context['merged']: how the file was made")
    p.add_argument("--rounds", action="store_true",
                   help="the inputs are rounds: a case's repetitions from each are one sample")
    a = p.parse_args(argv)
    doc = merge([nbresults.read_json(path) for path in a.inputs], a.note, a.rounds)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
