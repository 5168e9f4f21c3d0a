"""Tests of tools/merge_results.py (used by tools/ab_builds.sh).

Inputs are slices of the real gate pair in tests/data/ (two real runs made by
tools/make_pair.sh), cut into one file per case as ab_builds.sh writes them.
"""

from __future__ import annotations

import os
import tempfile
import unittest
from typing import Any

import toolsupport as ts
from toolsupport import declare, fake_results, read_json, run_tool, write_json

import merge_results
import nbresults
from nbresults import InputError


def per_case(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document cut into one document per case, as one netbench run per case writes."""
    out: dict[str, dict[str, Any]] = {}
    for run in doc["benchmarks"]:
        name = run.get("run_name") or run["name"]
        out.setdefault(name, {"context": dict(doc["context"]), "benchmarks": []})
        out[name]["benchmarks"].append(run)
    return list(out.values())


@unittest.skipUnless(ts.HAVE_REFERENCE, "tests/data/gate_pair_*.json missing")
class MergeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.doc = read_json(ts.REFERENCE_A)
        self.parts = per_case(self.doc)

    def test_cut_and_merged_again_is_the_same_results(self) -> None:
        merged = merge_results.merge(self.parts, "a note")
        self.assertEqual(merged["benchmarks"], self.doc["benchmarks"])
        self.assertEqual(merged["context"]["merged"], "a note")
        a = nbresults.from_json(merged)
        b = nbresults.from_json(self.doc)
        self.assertEqual(sorted(a.cases), sorted(b.cases))
        self.assertEqual(a.skipped, b.skipped)

    def test_skipped_cases_of_every_input_are_kept(self) -> None:
        self.parts[-1]["context"]["skipped:kata/host/tcp_rr"] = "a reason"
        merged = merge_results.merge(self.parts)
        self.assertEqual(merged["context"]["skipped:kata/host/tcp_rr"], "a reason")

    def test_a_case_in_two_inputs_is_refused(self) -> None:
        with self.assertRaises(InputError):
            merge_results.merge([self.parts[0], self.parts[0]])

    def test_rounds_pool_a_cases_repetitions_and_drop_its_per_round_aggregates(self) -> None:
        part = self.parts[0]
        reps = [r for r in part["benchmarks"] if r.get("run_type") != "aggregate"]
        merged = merge_results.merge([part, part, self.parts[1]], rounds=True)
        name = reps[0].get("run_name") or reps[0]["name"]
        pooled = [r for r in merged["benchmarks"] if (r.get("run_name") or r["name"]) == name]
        self.assertEqual(len(pooled), 2 * len(reps))
        self.assertTrue(all(r.get("run_type") != "aggregate" for r in pooled))
        self.assertEqual([r["repetition_index"] for r in pooled], list(range(2 * len(reps))))
        self.assertTrue(all(r["repetitions"] == 2 * len(reps) for r in pooled))
        case = nbresults.from_json(merged).cases[name]
        one_round = nbresults.from_json(part).cases[name]
        self.assertEqual(case.values("real_time"), 2 * one_round.values("real_time"))
        # Each repetition says which round it is of, and the ratio tools group by it.
        self.assertEqual([r["round"] for r in pooled], [0] * len(reps) + [1] * len(reps))
        self.assertEqual(case.values_by_round("real_time"),
                         [one_round.values("real_time")] * 2)
        self.assertNotIn("round", case.metrics())
        # A case from one round only keeps its aggregates, and the inputs are not changed.
        self.assertEqual(merged["benchmarks"][len(pooled):], self.parts[1]["benchmarks"])
        self.assertEqual(part["benchmarks"][0].get("repetition_index"), 0)
        self.assertNotIn("round", part["benchmarks"][0])

    def test_cli_writes_a_file_compare_reads(self) -> None:
        with tempfile.TemporaryDirectory(prefix="nbtools-") as d:
            ins = []
            for i, part in enumerate(self.parts):
                ins.append(os.path.join(d, f"{i}.json"))
                write_json(ins[-1], part)
            out = os.path.join(d, "out.json")
            r = run_tool("merge_results.py", out, *ins, "--note", "cli")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = run_tool("compare.py", out, ts.REFERENCE_B)
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_bad_input_is_one_line_exit_two(self) -> None:
        with tempfile.TemporaryDirectory(prefix="nbtools-") as d:
            r = run_tool("merge_results.py", os.path.join(d, "o.json"), os.path.join(d, "none"))
            self.assertEqual(r.returncode, 2)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)


class MergeDeclarationsTest(unittest.TestCase):
    """`metric:` and `test:` context keys of every input reach the merged file."""

    def setUp(self) -> None:
        self.parts = per_case(fake_results(seed=1, runtimes=("runc",)))

    def test_keys_of_every_input_are_kept(self) -> None:
        declare(self.parts[0], {"p99_us": "unit=us;better=lower"})
        declare(self.parts[-1], {"p99_us": "unit=us;better=lower",
                                 "gbit_per_s": "unit=Gbit/s;better=higher"},
                {"tcp_stream": "kind=stream;transport=tcp"})
        merged = nbresults.from_json(merge_results.merge(self.parts))
        self.assertEqual(set(merged.metric_specs), {"p99_us", "gbit_per_s"})
        self.assertEqual(merged.test_kind("tcp_stream"), "stream")

    def test_inputs_giving_one_key_different_values_are_refused(self) -> None:
        declare(self.parts[0], {"p99_us": "unit=us;better=lower"})
        declare(self.parts[1], {"p99_us": "unit=ms;better=lower"})
        with self.assertRaisesRegex(InputError, "metric:p99_us"):
            merge_results.merge(self.parts)


if __name__ == "__main__":
    unittest.main()
