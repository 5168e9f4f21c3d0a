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
merged file would mix two runs' repetitions into one sample).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import nbresults
from nbresults import InputError


def merge(docs: list[dict[str, Any]], note: str = "") -> dict[str, Any]:
    """One Google Benchmark document from several, or raise InputError."""
    if not docs:
        raise InputError("nothing to merge")
    merged: dict[str, Any] = {"context": dict(docs[0].get("context", {})), "benchmarks": []}
    owner: dict[str, int] = {}
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
            if owner.setdefault(name, i) != i:
                raise InputError(f"case {name} is in input {owner[name] + 1} and input {i + 1}")
            merged["benchmarks"].append(run)
    if note:
        merged["context"]["merged"] = note
    return merged


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--note", default="", help="context['merged']: how the file was made")
    a = p.parse_args(argv)
    doc = merge([nbresults.read_json(path) for path in a.inputs], a.note)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
