"""Tests of tools/nbresults.py, tools/compare.py and tools/scale_results.py.

Synthetic inputs are unit-test FAKES from toolsupport.fake_results(). The
RunPair checks run on them and, when they exist, on the two real reference
runs tests/data/gate_pair_a.json and gate_pair_b.json (two real runs of one build, made by tools/make_pair.sh).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import unittest
from typing import Any

import toolsupport as ts
from toolsupport import declare, fake_results, read_json, run_tool, rename_test, write_json

import compare  # noqa: E402  (toolsupport put tools/ on sys.path)
import nbresults
import scale_results
from nbresults import CaseName, InputError


class TempDirTest(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory(prefix="nbtools-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def write(self, name: str, data: Any) -> str:
        return write_json(os.path.join(self.dir, name), data)

    def compare_json(self, *args: str) -> dict[str, Any]:
        proc = run_tool("compare.py", "--json", *args)
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        return json.loads(proc.stdout)


class LoadingTest(TempDirTest):
    # The case-name grammar and the metric/test context keys: test_nbresults.py.

    def test_cases_reps_aggregates_skipped_errored(self) -> None:
        data = fake_results(reps=5, errored={"runc/overlay/tcp_rr": "boom"})
        results = nbresults.from_json(data)
        case = results.cases["runc/bridge/tcp_rr/manual_time"]
        self.assertEqual(len(case.reps), 5)
        self.assertEqual(set(case.aggregates), {"mean", "median", "stddev", "cv"})
        self.assertAlmostEqual(case.mean("real_time"),
                               case.aggregates["mean"]["real_time"])
        self.assertAlmostEqual(case.stddev("p99_us"),
                               case.aggregates["stddev"]["p99_us"])
        self.assertNotIn("repetition_index", case.metrics())
        self.assertEqual(case.metrics()[0], "real_time")
        self.assertEqual(results.skipped["kata/host/tcp_rr"], ts.KATA_HOST_REASON)
        self.assertTrue(results.cases["runc/overlay/tcp_rr/manual_time"].errored)
        self.assertFalse(case.errored)

    def test_time_unit_is_normalised_to_ns(self) -> None:
        data = fake_results(reps=3, runtimes=("runc",), tests=("tcp_rr",))
        in_us = json.loads(json.dumps(data))
        for run in in_us["benchmarks"]:
            run["real_time"] /= 1000
            run["time_unit"] = "us"
        name = "runc/bridge/tcp_rr/manual_time"
        self.assertAlmostEqual(nbresults.from_json(in_us).cases[name].mean("real_time"),
                               nbresults.from_json(data).cases[name].mean("real_time"))

    def test_only_aggregates_fall_back_to_mean_aggregate(self) -> None:
        data = fake_results(reps=5, runtimes=("runc",), tests=("tcp_rr",))
        data["benchmarks"] = [r for r in data["benchmarks"]
                              if r["run_type"] == "aggregate"]
        case = nbresults.from_json(data).cases["runc/bridge/tcp_rr/manual_time"]
        self.assertEqual(case.values("real_time"), [])
        self.assertEqual(case.mean("real_time"), case.aggregates["mean"]["real_time"])

    def test_bad_input(self) -> None:
        not_json = os.path.join(self.dir, "x.json")
        with open(not_json, "w") as f:
            f.write("<html>")
        cases = {os.path.join(self.dir, "absent.json"): "no such file",
                 not_json: "not JSON",
                 self.write("list.json", [1, 2]): "not Google Benchmark JSON",
                 self.write("nobench.json", {"context": {}}): "no \"benchmarks\"",
                 self.write("noname.json", {"benchmarks": [{"real_time": 1}]}):
                     "has no name"}
        for path, message in cases.items():
            with self.subTest(path=path):
                with self.assertRaisesRegex(InputError, message):
                    nbresults.load(path)

    def test_fmt_number(self) -> None:
        self.assertEqual(nbresults.fmt_number(13456.7), "13457")
        self.assertEqual(nbresults.fmt_number(45.318), "45.32")
        self.assertEqual(nbresults.fmt_number(5.8e9), "5.8e+09")
        self.assertEqual(nbresults.fmt_number(None), "-")
        self.assertEqual(nbresults.fmt_number(0.0), "0")


class CompareUnitTest(unittest.TestCase):
    def sides(self, old: dict[str, Any], new: dict[str, Any]) -> tuple[compare.Side, compare.Side]:
        return (compare.file_side(nbresults.from_json(old, "old")),
                compare.file_side(nbresults.from_json(new, "new")))

    def row(self, report: compare.Report, case: str, metric: str) -> compare.Row:
        rows = [r for r in report.rows if r.case == case and r.metric == metric]
        self.assertEqual(len(rows), 1, f"{case} {metric}")
        return rows[0]

    def test_verdicts_follow_direction(self) -> None:
        report = compare.compare(*self.sides(
            fake_results(seed=1), fake_results(seed=2, throughput=0.8, latency=1.25)),
            alpha=0.05)
        rr, stream = "runc/bridge/tcp_rr/manual_time", "runc/bridge/tcp_stream/manual_time"
        for case, metric in ((rr, "real_time"), (rr, "p99_us"), (rr, "tps"),
                             (stream, "gbit_per_s"), (stream, "bytes_per_second"),
                             (stream, "real_time")):
            self.assertEqual(self.row(report, case, metric).verdict, "worse", metric)
        self.assertAlmostEqual(self.row(report, rr, "tps").change_pct, -20, delta=3)
        self.assertAlmostEqual(self.row(report, rr, "real_time").change_pct, 25, delta=3)
        report = compare.compare(*reversed(self.sides(
            fake_results(seed=1), fake_results(seed=2, throughput=0.8, latency=1.25))),
            alpha=0.05)
        self.assertEqual(self.row(report, rr, "p99_us").verdict, "better")
        self.assertEqual(self.row(report, stream, "gbit_per_s").verdict, "better")

    def test_informational_and_unknown_metrics_never_gate(self) -> None:
        old = fake_results(seed=1, extra={"widgets": 100.0})
        new = fake_results(seed=1, extra={"widgets": 10.0})
        for run in new["benchmarks"]:
            if "stress_bogo_ops_per_s" in run:
                run["stress_bogo_ops_per_s"] *= 0.5
        report = compare.compare(*self.sides(old, new), alpha=0.05)
        bogo = self.row(report, "runc/bridge/tcp_rr/stress/manual_time",
                        "stress_bogo_ops_per_s")
        self.assertEqual((bogo.direction, bogo.verdict), ("info", "lower"))
        widgets = self.row(report, "runc/bridge/tcp_rr/manual_time", "widgets")
        self.assertEqual(widgets.direction, "info")
        self.assertEqual(compare.regressions(report, 10), [])

    def test_too_few_repetitions_is_no_test(self) -> None:
        report = compare.compare(*self.sides(fake_results(seed=1, reps=2),
                                             fake_results(seed=2, reps=2, latency=2)),
                                 alpha=0.05)
        self.assertTrue(report.rows)
        self.assertEqual({r.verdict for r in report.rows}, {"no-test"})
        self.assertEqual(compare.regressions(report, 10), [])

    def test_identical_constant_values_are_same(self) -> None:
        self.assertEqual(compare.u_test([1.0] * 5, [1.0] * 5), 1.0)
        self.assertEqual(compare.verdict("lower", 1.0, 1.0, 1.0, 0.05), "same")

    def test_partly_errored_case_is_not_compared(self) -> None:
        old, new = fake_results(seed=1), fake_results(seed=2, latency=2)
        broken = next(r for r in new["benchmarks"]
                      if r["name"] == "runc/macvlan/tcp_rr/manual_time")
        broken.update(error_occurred=True, error_message="agent lost", real_time=0)
        report = compare.compare(*self.sides(old, new), alpha=0.05)
        self.assertNotIn("runc/macvlan/tcp_rr/manual_time", {r.case for r in report.rows})
        self.assertEqual([(e["side"], e["case"], e["errored_reps"]) for e in report.errored],
                         [("new", "runc/macvlan/tcp_rr/manual_time", 1)])

    def test_cases_on_one_side_only(self) -> None:
        old = fake_results(seed=1, runtimes=("runc",))
        new = fake_results(seed=2, runtimes=("runc", "kata"))
        report = compare.compare(*self.sides(old, new), alpha=0.05)
        self.assertEqual(report.only_in_old, [])
        self.assertIn("kata/bridge/tcp_rr/manual_time", report.only_in_new)
        self.assertEqual([s["case"] for s in report.skipped if s["old"] is None],
                         [s["case"] for s in report.skipped])


class DirectionsFromTheFiles(unittest.TestCase):
    """A metric's direction and unit: the new file's `metric:` key, else the old
    file's, else the name rules; informational when the two files disagree."""

    RR = "runc/bridge/tcp_rr/manual_time"

    def report(self, old_metrics: dict[str, str] | None, new_metrics: dict[str, str] | None,
               old_foo: float = 100.0, new_foo: float = 50.0,
               **new_fake: Any) -> compare.Report:
        old = declare(fake_results(seed=1, extra={"foo_us": old_foo}), old_metrics)
        new = declare(fake_results(seed=2, extra={"foo_us": new_foo}, **new_fake), new_metrics)
        return compare.compare(compare.file_side(nbresults.from_json(old, "old")),
                               compare.file_side(nbresults.from_json(new, "new")), alpha=0.05)

    def rows(self, report: compare.Report, metric: str) -> list[compare.Row]:
        rows = [r for r in report.rows if r.metric == metric]
        self.assertTrue(rows, metric)
        return rows

    def test_a_made_up_metric_declared_higher_is_better_when_higher(self) -> None:
        for old, new in (({"foo_us": "unit=us;better=higher"}, None),
                         (None, {"foo_us": "unit=us;better=higher"}),
                         ({"foo_us": "unit=us;better=higher"}, {"foo_us": "better=higher"})):
            with self.subTest(old=old, new=new):
                report = self.report(old, new)
                self.assertEqual({(r.direction, r.verdict) for r in self.rows(report, "foo_us")},
                                 {("higher", "worse")})
                self.assertEqual(report.disagreements, [])
                failed = compare.regressions(report, 10, gated=("foo_us",))
                self.assertIn(self.RR, {r.case for r in failed})

    def test_without_declarations_the_name_rules_decide(self) -> None:
        report = self.report(None, None)
        self.assertEqual({(r.direction, r.unit, r.verdict) for r in self.rows(report, "foo_us")},
                         {("lower", "", "better")})
        self.assertEqual({r.unit for r in self.rows(report, "real_time")}, {"ns"})
        self.assertEqual(report.disagreements, [])

    def test_the_unit_shown_is_the_new_files_else_the_old_files(self) -> None:
        report = self.report({"foo_us": "unit=us;better=lower"}, {"foo_us": "better=lower"})
        self.assertEqual({r.unit for r in self.rows(report, "foo_us")}, {"us"})
        report = self.report(None, {"foo_us": "unit=us;better=lower"})
        self.assertEqual({r.unit for r in self.rows(report, "foo_us")}, {"us"})

    def test_files_disagreeing_on_a_direction_compare_it_as_informational_with_one_note(
            self) -> None:
        report = self.report({"foo_us": "unit=us;better=lower"},
                             {"foo_us": "unit=us;better=higher"})
        self.assertEqual({(r.direction, r.verdict) for r in self.rows(report, "foo_us")},
                         {("info", "lower")})
        self.assertEqual(len(report.disagreements), 1)
        self.assertEqual(report.disagreements[0]["metric"], "foo_us")
        self.assertIn("better=lower in old, better=higher in new",
                      report.disagreements[0]["message"])
        self.assertEqual(compare.regressions(report, 10, gated=("foo_us",)), [])
        self.assertEqual(len([line for line in compare.format_report(report).splitlines()
                              if line.startswith("note: ")]), 1)

    def test_files_disagreeing_on_a_unit_compare_it_as_informational(self) -> None:
        report = self.report({"foo_us": "unit=us;better=lower"},
                             {"foo_us": "unit=ms;better=lower"})
        self.assertEqual({r.direction for r in self.rows(report, "foo_us")}, {"info"})
        self.assertIn("unit=us in old, unit=ms in new", report.disagreements[0]["message"])

    def test_time_fields_never_disagree_on_units_they_are_converted_to_ns(self) -> None:
        report = self.report({"real_time": "unit=ns;better=lower"},
                             {"real_time": "unit=us;better=lower"})
        self.assertEqual(report.disagreements, [])
        self.assertEqual({(r.direction, r.unit) for r in self.rows(report, "real_time")},
                         {("lower", "ns")})

    def test_better_none_is_never_gated_even_for_a_default_gated_metric(self) -> None:
        report = self.report(None, {"gbit_per_s": "unit=Gbit/s;better=none"},
                             throughput=0.5, latency=2.0)
        self.assertEqual({r.verdict for r in self.rows(report, "gbit_per_s")}, {"lower"})
        failed = compare.regressions(report, 10)
        self.assertTrue(failed)
        self.assertNotIn("gbit_per_s", {r.metric for r in failed})

    def test_the_gating_policy_stays_in_the_tool(self) -> None:
        declared = {**ts.NETBENCH_METRICS}
        report = self.report(declared, declared, throughput=0.5, latency=2.0)
        self.assertEqual({r.direction for r in self.rows(report, "retrans")}, {"info"})
        self.assertEqual({r.direction for r in self.rows(report, "max_us")}, {"info"})
        self.assertEqual({r.metric for r in compare.regressions(report, 10)},
                         {"real_time", "tps", "gbit_per_s", "bytes_per_second", "p50_us"})


class CompareCliTest(TempDirTest):
    def setUp(self) -> None:
        super().setUp()
        self.old = self.write("old.json", fake_results(
            seed=1, errored={"kata/overlay/tcp_stream/stress": "agent timed out"}))
        self.new = self.write("new.json", fake_results(seed=2))
        self.slow = self.write("slow.json", fake_results(seed=3, throughput=0.8,
                                                         latency=1.25))

    def test_text_table_is_aligned(self) -> None:
        proc = run_tool("compare.py", self.old, self.new)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("case "))
        column = lines[header].index("verdict")
        table = lines[header + 1:lines.index("", header)]
        self.assertGreater(len(table), 20)
        for line in table:
            self.assertIn(line[column:].split()[0], {"same", "better", "worse",
                                                     "higher", "lower"}, line)
        self.assertIn("Errored cases (not compared):", lines)
        self.assertIn("Skipped cases (not run):", lines)
        self.assertRegex(proc.stdout, r"kata/host/tcp_rr +old\+new +Kata cannot use")
        self.assertRegex(proc.stdout, r"old +kata/overlay/tcp_stream/stress/manual_time"
                                      r" +5/5 reps +agent timed out")

    def test_gate_passes_on_noise_and_trips_on_regression(self) -> None:
        same = run_tool("compare.py", self.old, self.new, "--fail-on-regression", "10")
        self.assertEqual(same.returncode, 0, same.stdout + same.stderr)
        self.assertIn("gate: no significant regression beyond 10%", same.stdout)
        # The old file's errored case is no failure of the new build: listed, unchecked.
        self.assertIn("UNCHECKED kata/overlay/tcp_stream/stress/manual_time: errored in old",
                      same.stdout)
        self.assertNotIn("ERRORED", same.stdout)
        slow = run_tool("compare.py", self.old, self.slow, "--fail-on-regression", "10")
        self.assertEqual(slow.returncode, 1, slow.stderr)
        self.assertRegex(slow.stdout, r"REGRESSION runc/bridge/tcp_rr/manual_time p50_us: "
                                      r"\S+ -> \S+ \(\+2\d\.\d%, p=0\.0\d+\)")
        self.assertRegex(slow.stdout, r"gate: \d+ significant regression\(s\) beyond 10%")
        # Tail percentiles are compared but gate only when asked (nbresults.DEFAULT_GATED).
        self.assertNotIn("p99_us: ", "\n".join(
            l for l in slow.stdout.splitlines() if l.startswith("REGRESSION")))
        tail = run_tool("compare.py", self.old, self.slow, "--fail-on-regression", "10",
                        "--gate-metrics", "p99_us")
        self.assertEqual(tail.returncode, 1, tail.stdout)
        self.assertRegex(tail.stdout, r"REGRESSION runc/bridge/tcp_rr/manual_time p99_us: ")
        relaxed = run_tool("compare.py", self.old, self.slow, "--fail-on-regression", "40")
        self.assertEqual(relaxed.returncode, 0, relaxed.stdout)

    def test_json_output(self) -> None:
        out = self.compare_json(self.old, self.slow, "--fail-on-regression", "10")
        self.assertEqual(out["alpha"], 0.05)
        rows = out["comparisons"]
        self.assertEqual(set(rows[0]), {"case", "metric", "direction", "unit", "old",
                                        "new", "old_n", "new_n", "change_pct",
                                        "p_value", "verdict"})
        compared = {r["case"] for r in rows}
        self.assertNotIn("kata/overlay/tcp_stream/stress/manual_time", compared)
        self.assertFalse(any(c.startswith("kata/host/") for c in compared))
        self.assertEqual(out["errored"][0]["message"], "agent timed out")
        self.assertEqual({s["case"] for s in out["skipped"]},
                         {"kata/host/tcp_rr", "kata/host/tcp_rr/stress",
                          "kata/host/tcp_stream", "kata/host/tcp_stream/stress"})
        self.assertTrue(out["regressions"])
        self.assertTrue(all(r["verdict"] == "worse" and r["direction"] != "info"
                            for r in out["regressions"]))

    def test_gate_lines_go_to_stderr_with_json(self) -> None:
        proc = run_tool("compare.py", "--json", self.old, self.slow,
                        "--fail-on-regression", "10")
        self.assertEqual(proc.returncode, 1)
        json.loads(proc.stdout)
        self.assertIn("REGRESSION", proc.stderr)

    def test_zero_and_nan_values_give_strict_json(self) -> None:
        docs = [fake_results(seed=1), fake_results(seed=2)]
        for doc in docs:
            for run in doc["benchmarks"]:
                if "retrans" in run:   # no retransmits: cv is NaN, as 1.7.1 writes it
                    run["retrans"] = math.nan if run.get("aggregate_name") == "cv" else 0.0
            doc["benchmarks"][0]["p99_us"] = math.nan
        paths = [self.write(f"zero{i}.json", doc) for i, doc in enumerate(docs)]
        proc = run_tool("compare.py", "--json", *paths)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout, parse_constant=self.fail)
        retrans = [r for r in out["comparisons"] if r["metric"] == "retrans"]
        self.assertTrue(retrans)
        self.assertTrue(all((r["old"], r["change_pct"], r["verdict"]) == (0.0, 0.0, "same")
                            for r in retrans))
        p99 = next(r for r in out["comparisons"] if r["metric"] == "p99_us")
        self.assertEqual(p99["old_n"], 4)

    def test_metrics_option(self) -> None:
        out = self.compare_json(self.old, self.new, "--metrics", "p99_us", "gbit_per_s,tps")
        self.assertEqual({r["metric"] for r in out["comparisons"]},
                         {"p99_us", "gbit_per_s", "tps"})

    def test_disagreeing_files_get_one_note_line_and_a_json_entry(self) -> None:
        old = self.write("decl_old.json", declare(fake_results(seed=1, extra={"foo_us": 1.0}),
                                                  {"foo_us": "unit=us;better=lower"}))
        new = self.write("decl_new.json", declare(fake_results(seed=2, extra={"foo_us": 2.0}),
                                                  {"foo_us": "unit=us;better=higher"}))
        proc = run_tool("compare.py", old, new, "--fail-on-regression", "10",
                        "--gate-metrics", "foo_us")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        notes = [line for line in proc.stdout.splitlines() if line.startswith("note: ")]
        self.assertEqual(len(notes), 1, proc.stdout)
        self.assertIn("foo_us", notes[0])
        out = self.compare_json(old, new)
        self.assertEqual([d["metric"] for d in out["disagreements"]], ["foo_us"])
        proc = run_tool("compare.py", "--json", old, new)
        self.assertEqual(proc.stderr.count("note: "), 1, proc.stderr)

    def test_files_without_declarations_get_no_note(self) -> None:
        proc = run_tool("compare.py", self.old, self.new)
        self.assertNotIn("note: ", proc.stdout)
        self.assertEqual(self.compare_json(self.old, self.new)["disagreements"], [])

    def test_runtimes_mode(self) -> None:
        out = self.compare_json("--runtimes", "runc", "kata", self.new)
        self.assertEqual(out["old"], f"runc in {self.new}")
        rtt = [r for r in out["comparisons"]
               if r["case"] == "bridge/tcp_rr/manual_time" and r["metric"] == "real_time"]
        self.assertEqual(rtt[0]["verdict"], "worse")
        self.assertEqual({s["case"]: (s["old"], s["new"]) for s in out["skipped"]}["host/tcp_rr"],
                         (None, ts.KATA_HOST_REASON))
        self.assertEqual(out["only_in_old"], [])   # runc/host/*: kata's are skipped
        self.assertEqual(out["only_in_new"], [])

    def test_bad_input_exits_2_with_one_line(self) -> None:
        not_gb = self.write("other.json", {"results": []})
        for args in ((os.path.join(self.dir, "absent.json"), self.new),
                     (not_gb, self.new),
                     ("--runtimes", "runc", "crun", self.new),
                     (self.old, self.new, "--metrics", "no_such_metric"),
                     (self.old, self.new, "--fail-on-regression", "10",
                      "--gate-metrics", "p99_uss")):
            with self.subTest(args=args):
                proc = run_tool("compare.py", *args)
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(proc.stdout, "")
                self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
                self.assertTrue(proc.stderr.startswith("error: "))
        self.assertEqual(run_tool("compare.py", self.old).returncode, 2)


NETNS_TESTBED = {
    "backend": "netns",
    "address_plan:bridge": "bridge: client 198.18.1.2/24, server 198.18.2.2/24, mtu 1500",
    "address_plan:overlay": "overlay: client 198.18.4.2/24, server 198.18.4.3/24, mtu 1450",
}


class GateSpecification(TempDirTest):
    """What `compare.py OLD NEW --fail-on-regression PCT` fails on, passes, and refuses.

    Decided here: a case that errored in OLD only is not a failure of the new
    build (there is no baseline for it); the gate lists it as UNCHECKED. The
    testbed check (backend, address plans) refuses only under the gate; a plain
    comparison prints one note line.
    """

    RR = "runc/bridge/tcp_rr/manual_time"
    STREAM = "runc/overlay/tcp_stream/manual_time"

    def doc(self, seed: int, testbed: dict[str, str] | None = None,
            errored: dict[str, str] | None = None) -> dict[str, Any]:
        data = fake_results(seed=seed, runtimes=("runc",), loads=("idle",), errored=errored)
        data["context"].update(NETNS_TESTBED if testbed is None else testbed)
        return data

    def drop(self, data: dict[str, Any], run_name: str,
             skipped_reason: str | None = None) -> dict[str, Any]:
        """Remove a case from a document; with a reason, mark it skipped as netbench does."""
        data["benchmarks"] = [r for r in data["benchmarks"] if r["run_name"] != run_name]
        if skipped_reason:
            data["context"]["skipped:" + nbresults.base_name(run_name)] = skipped_reason
        return data

    def gate(self, old: dict[str, Any], new: dict[str, Any], *options: str,
             json_mode: bool = False) -> Any:
        paths = [self.write("gate_old.json", old), self.write("gate_new.json", new)]
        flags = ["--json"] if json_mode else []
        return run_tool("compare.py", *flags, *paths, "--fail-on-regression", "10", *options)

    def gate_lines(self, proc: Any, prefix: str) -> list[str]:
        return [line for line in proc.stdout.splitlines() if line.startswith(prefix)]

    def test_no_regression_and_nothing_missing_passes_with_exit_0(self) -> None:
        proc = self.gate(self.doc(1), self.doc(2))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "gate: "),
                         ["gate: no significant regression beyond 10% at alpha 0.05; "
                          "nothing errored, missing or skipped in new -> pass"])
        for word in ("REGRESSION", "ERRORED", "MISSING", "SKIPPED", "UNCHECKED", "note: "):
            self.assertNotIn(word, proc.stdout)

    def test_a_gated_metric_it_cannot_judge_fails_the_gate(self) -> None:
        few = fake_results(seed=2, reps=2, runtimes=("runc",), loads=("idle",))
        few["context"].update(NETNS_TESTBED)
        proc = self.gate(self.doc(1), few)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn(f"UNTESTED {self.RR} real_time: fewer than 3 repetitions on a side "
                      f"(a gate cannot judge it)", self.gate_lines(proc, "UNTESTED "))
        self.assertRegex(proc.stdout, r"gated metric\(s\) untested -> FAIL")
        new = self.doc(2)
        for r in new["benchmarks"]:
            if r["run_name"] == self.RR:
                r.pop("p50_us", None)
        proc = self.gate(self.doc(1), new)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "UNTESTED "),
                         [f"UNTESTED {self.RR} p50_us: the metric is missing on one side "
                          f"(a gate cannot judge it)"])

    def test_a_case_errored_in_new_fails_the_gate_naming_it(self) -> None:
        new = self.doc(2)
        rep = next(r for r in new["benchmarks"] if r["run_name"] == self.RR)
        rep.update(error_occurred=True, error_message="agent lost", real_time=0.0)
        proc = self.gate(self.doc(1), new)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "ERRORED "),
                         [f"ERRORED {self.RR}: 1/5 reps errored in new: agent lost"])
        self.assertRegex(proc.stdout, r"gate: no significant regression beyond 10% at alpha "
                                      r"0\.05; 1 case\(s\) errored in new -> FAIL")
        self.assertNotIn("REGRESSION", proc.stdout)   # its real_time 0 is never compared

    def test_a_case_errored_in_new_fails_even_with_allow_missing(self) -> None:
        proc = self.gate(self.doc(1), self.doc(2, errored={"runc/bridge/tcp_rr": "boom"}),
                         "--allow-missing")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(len(self.gate_lines(proc, "ERRORED ")), 1, proc.stdout)

    def test_a_case_measured_in_old_and_missing_from_new_fails_the_gate(self) -> None:
        proc = self.gate(self.doc(1), self.drop(self.doc(2), self.STREAM))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "MISSING "),
                         [f"MISSING {self.STREAM}: measured in old, absent from new"])
        self.assertIn("1 measured case(s) missing from new -> FAIL", proc.stdout)

    def test_a_case_measured_in_old_and_skipped_in_new_fails_the_gate(self) -> None:
        proc = self.gate(self.doc(1), self.drop(self.doc(2), self.STREAM, "no vxlan module"))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "SKIPPED "),
                         [f"SKIPPED {self.STREAM}: measured in old, skipped in new: "
                          "no vxlan module"])
        self.assertEqual(self.gate_lines(proc, "MISSING "), [])
        self.assertIn("1 measured case(s) skipped in new -> FAIL", proc.stdout)

    def test_allow_missing_passes_missing_and_skipped_cases_but_lists_them(self) -> None:
        new = self.drop(self.drop(self.doc(2), self.STREAM), self.RR, "no bridge module")
        proc = self.gate(self.doc(1), new, "--allow-missing")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "MISSING "),
                         [f"MISSING {self.STREAM}: measured in old, absent from new "
                          "(allowed: --allow-missing)"])
        self.assertEqual(self.gate_lines(proc, "SKIPPED "),
                         [f"SKIPPED {self.RR}: measured in old, skipped in new: "
                          "no bridge module (allowed: --allow-missing)"])
        self.assertRegex(proc.stdout, r"gate: .*-> pass")

    def test_a_case_only_in_new_is_not_a_failure(self) -> None:
        proc = self.gate(self.drop(self.doc(1), self.STREAM), self.doc(2))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_a_case_errored_in_old_only_is_listed_unchecked_not_a_failure_of_new(self) -> None:
        # Decision: the new build measured it; the old file gives nothing to compare with.
        proc = self.gate(self.doc(1, errored={"runc/bridge/tcp_rr": "boom"}), self.doc(2))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "UNCHECKED "),
                         [f"UNCHECKED {self.RR}: errored in old, no baseline to compare "
                          "with (not a failure of new)"])
        self.assertIn("1 case(s) unchecked (errored in old) -> pass", proc.stdout)

    def test_a_case_errored_in_old_and_in_new_fails_as_errored_in_new(self) -> None:
        errored = {"runc/bridge/tcp_rr": "boom"}
        proc = self.gate(self.doc(1, errored=errored), self.doc(2, errored=errored))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(len(self.gate_lines(proc, "ERRORED ")), 1, proc.stdout)
        self.assertEqual(self.gate_lines(proc, "UNCHECKED "), [])

    def test_gate_failures_are_in_the_json_and_on_stderr_with_json(self) -> None:
        new = self.drop(self.drop(self.doc(2, errored={"runc/host/tcp_rr": "boom"}),
                                  self.STREAM), self.RR, "no bridge module")
        proc = self.gate(self.doc(1, errored={"runc/macvlan/tcp_rr": "old boom"}), new,
                         json_mode=True)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        gate = json.loads(proc.stdout)["gate"]
        self.assertFalse(gate["passed"])
        self.assertEqual([e["case"] for e in gate["errored_in_new"]],
                         ["runc/host/tcp_rr/manual_time"])
        self.assertEqual(gate["missing_from_new"], [self.STREAM])
        self.assertEqual(gate["skipped_in_new"], [{"case": self.RR, "reason": "no bridge module"}])
        self.assertEqual(gate["unchecked_errored_in_old"], ["runc/macvlan/tcp_rr/manual_time"])
        self.assertEqual(gate["regressions"], [])
        for line in ("ERRORED runc/host/tcp_rr/manual_time", f"MISSING {self.STREAM}",
                     f"SKIPPED {self.RR}", "UNCHECKED runc/macvlan/tcp_rr/manual_time"):
            self.assertIn(line, proc.stderr)
        self.assertIn("-> FAIL", proc.stderr)
        self.assertIsNone(json.loads(run_tool(
            "compare.py", "--json", self.write("a.json", self.doc(1)),
            self.write("b.json", self.doc(2))).stdout)["gate"])

    def refused(self, proc: Any, what: str) -> None:
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertIn(what, proc.stderr)
        self.assertIn("--cross-backend overrides", proc.stderr)

    def test_a_different_backend_is_refused_with_exit_2(self) -> None:
        other = {**NETNS_TESTBED, "backend": "docker"}
        for json_mode in (False, True):
            with self.subTest(json_mode=json_mode):
                self.refused(self.gate(self.doc(1), self.doc(2, testbed=other),
                                       json_mode=json_mode),
                             "backend 'netns' in old, 'docker' in new")

    def test_a_different_address_plan_is_refused_with_exit_2(self) -> None:
        other = {**NETNS_TESTBED, "address_plan:overlay": "overlay: mtu 1400"}
        self.refused(self.gate(self.doc(1), self.doc(2, testbed=other)),
                     "address_plan:overlay differs")

    def test_cross_backend_compares_and_gates_them(self) -> None:
        other = {**NETNS_TESTBED, "backend": "docker"}
        proc = self.gate(self.doc(1), self.doc(2, testbed=other), "--cross-backend")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertRegex(proc.stdout, rf"{self.RR} +real_time \(ns\) ")
        self.assertEqual(self.gate_lines(proc, "note: "),
                         ["note: different testbeds: backend 'netns' in old, 'docker' in new "
                          "(gated anyway: --cross-backend)"])
        slow = fake_results(seed=3, runtimes=("runc",), loads=("idle",), latency=1.25)
        slow["context"].update(other)
        proc = self.gate(self.doc(1), slow, "--cross-backend")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("REGRESSION", proc.stdout)

    def test_without_the_gate_different_testbeds_get_one_note_line(self) -> None:
        other = {**NETNS_TESTBED, "backend": "docker", "address_plan:bridge": "other"}
        paths = [self.write("a.json", self.doc(1)), self.write("b.json", self.doc(2, testbed=other))]
        proc = run_tool("compare.py", *paths)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(self.gate_lines(proc, "note: "),
                         ["note: different testbeds: backend 'netns' in old, 'docker' in new; "
                          "address_plan:bridge differs (--fail-on-regression refuses this "
                          "without --cross-backend)"])
        proc = run_tool("compare.py", "--json", *paths)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(json.loads(proc.stdout)["testbed_differences"]), 2)
        self.assertEqual(proc.stderr.count("note: different testbeds"), 1, proc.stderr)

    def test_files_lacking_testbed_keys_are_never_refused(self) -> None:
        for old, new in (({}, NETNS_TESTBED), (NETNS_TESTBED, {}),
                         ({"backend": "netns"}, NETNS_TESTBED),
                         ({"address_plan:macvlan": "x"}, {"address_plan:bridge": "y"})):
            with self.subTest(old=old, new=new):
                proc = self.gate(self.doc(1, testbed=old), self.doc(2, testbed=new))
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                self.assertNotIn("note: ", proc.stdout)


class ScaleTest(TempDirTest):
    def test_scaling(self) -> None:
        data = fake_results(seed=1, errored={"runc/overlay/tcp_rr": "boom"})
        before = json.dumps(data)
        out, unscaled = scale_results.scale_results(data, 0.8, 1.25, "in.json")
        self.assertEqual(json.dumps(data), before, "input must not change")
        self.assertEqual(unscaled, [])
        self.assertIn("throughput x0.8, latency x1.25", out["context"]["scaled_by"])
        self.assertIn("NOT a measurement", out["context"]["scaled_by"])
        pairs = list(zip(data["benchmarks"], out["benchmarks"]))
        self.assertEqual([a["name"] for a, _ in pairs], [b["name"] for _, b in pairs])
        checked = set()
        for a, b in pairs:
            test = CaseName.parse(a["name"]).test
            if a.get("error_occurred") or a.get("aggregate_name") == "cv":
                self.assertEqual(a, b)
                checked.add("unchanged")
                continue
            expect = {"cpu_time": 1.0, "iterations": 1.0, "retrans": 1.0,
                      "tps": 0.8, "gbit_per_s": 0.8, "bytes_per_second": 0.8,
                      "p50_us": 1.25, "p999_us": 1.25, "max_us": 1.25,
                      "real_time": 1.25 if test == "tcp_rr" else 1 / 0.8}
            for key, factor in expect.items():
                if key in a:
                    self.assertAlmostEqual(b[key], a[key] * factor, delta=1e-9 * abs(a[key]),
                                           msg=f"{a['name']} {key}")
                    checked.add(key)
        self.assertEqual(checked, {"unchanged", "cpu_time", "iterations", "retrans", "tps",
                                   "gbit_per_s", "bytes_per_second", "p50_us", "p999_us",
                                   "max_us", "real_time"})

    def test_cli(self) -> None:
        src = self.write("in.json", fake_results(seed=1, runtimes=("runc",)))
        dst = os.path.join(self.dir, "out.json")
        proc = run_tool("scale_results.py", src, dst, "--throughput", "0.8",
                        "--latency", "1.25")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), dst)
        self.assertIn("scaled_by", read_json(dst)["context"])
        bad = run_tool("scale_results.py", src, dst, "--throughput", "0", "--latency", "1")
        self.assertEqual(bad.returncode, 2)
        missing = run_tool("scale_results.py", os.path.join(self.dir, "no.json"), dst,
                           "--throughput", "0.8", "--latency", "1.25")
        self.assertEqual((missing.returncode, len(missing.stderr.splitlines())), (2, 1))

    def test_real_time_follows_the_kind_the_file_declares(self) -> None:
        data = fake_results(seed=1, runtimes=("runc",))
        rename_test(data, "tcp_rr", "tcp_crr")
        rename_test(data, "tcp_stream", "bulk")
        declare(data, tests={"tcp_crr": "kind=rr;transport=tcp",
                             "bulk": "kind=stream;transport=tcp"})
        out, unscaled = scale_results.scale_results(data, 0.8, 1.25, "in.json")
        self.assertEqual(unscaled, [])
        for a, b in zip(data["benchmarks"], out["benchmarks"]):
            if a.get("aggregate_name") == "cv":
                continue
            factor = 1.25 if "/tcp_crr/" in a["name"] else 1 / 0.8
            self.assertAlmostEqual(b["real_time"], a["real_time"] * factor,
                                   delta=1e-9 * a["real_time"], msg=a["name"])
        del data["context"]["test:bulk"]   # undeclared, and no _rr/_stream ending
        _, unscaled = scale_results.scale_results(data, 0.8, 1.25, "in.json")
        self.assertTrue(unscaled)
        self.assertTrue(all("/bulk/" in name for name in unscaled))

    def test_unknown_test_keeps_real_time(self) -> None:
        data = {"context": {}, "benchmarks": [
            {"name": "BM_x", "run_name": "BM_x", "run_type": "iteration",
             "real_time": 5.0, "cpu_time": 5.0, "time_unit": "ns", "tps": 10.0}]}
        out, unscaled = scale_results.scale_results(data, 0.5, 2.0, "x")
        self.assertEqual(unscaled, ["BM_x"])
        self.assertEqual((out["benchmarks"][0]["real_time"], out["benchmarks"][0]["tps"]),
                         (5.0, 5.0))


class RunPairChecks:
    """What every pair of runs of one build must pass (a mixin for TestCase).

    Subclasses set run_a, run_b (two runs of one build) and tmp (a scratch dir).
    """

    run_a: str
    run_b: str
    tmp: str

    def scaled_a(self) -> str:
        path = os.path.join(self.tmp, "run_a_scaled.json")
        if not os.path.exists(path):
            proc = run_tool("scale_results.py", self.run_a, path,
                            "--throughput", "0.8", "--latency", "1.25")
            self.assertEqual(proc.returncode, 0, proc.stderr)
        return path

    def test_same_build_passes_gate(self) -> None:
        proc = run_tool("compare.py", self.run_a, self.run_b, "--fail-on-regression", "10")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_scaled_copy_fails_gate(self) -> None:
        proc = run_tool("compare.py", self.run_a, self.scaled_a(),
                        "--fail-on-regression", "10")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("REGRESSION", proc.stdout)

    def test_skipped_and_errored_reported_never_compared(self) -> None:
        proc = run_tool("compare.py", "--json", self.run_a, self.run_b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout)
        compared = {r["case"] for r in out["comparisons"]}
        compared_bases = {nbresults.base_name(c) for c in compared}
        reported_skips = {s["case"] for s in out["skipped"]}
        reported_errors = {(e["side"], e["case"]) for e in out["errored"]}
        for side, path in (("old", self.run_a), ("new", self.run_b)):
            results = nbresults.load(path)
            for name in results.skipped:
                self.assertIn(name, reported_skips)
                self.assertNotIn(name, compared_bases)
            for name, case in results.cases.items():
                if case.errored:
                    self.assertIn((side, name), reported_errors)
                    self.assertNotIn(name, compared)

    def test_gbench_compare_reads_scaled_copy(self) -> None:
        if not os.path.exists(ts.GBENCH_COMPARE):
            raise unittest.SkipTest(f"{ts.GBENCH_COMPARE} not installed")
        proc = ts.run_python(ts.GBENCH_COMPARE, "--no-color", "benchmarks",
                             self.run_a, self.scaled_a())
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertIn("manual_time", proc.stdout)


class SyntheticRunPair(RunPairChecks, unittest.TestCase):
    """The RunPair checks on FAKE runs (two seeds of the same fake build)."""

    @classmethod
    def setUpClass(cls) -> None:
        cls._tmp = tempfile.TemporaryDirectory(prefix="nbtools-pair-")
        cls.tmp = cls._tmp.name
        cls.run_a = write_json(os.path.join(cls.tmp, "run_a.json"), fake_results(
            seed=11, reps=15, errored={"kata/bridge/tcp_rr/stress": "agent lost"}))
        cls.run_b = write_json(os.path.join(cls.tmp, "run_b.json"),
                               fake_results(seed=12, reps=15))

    @classmethod
    def tearDownClass(cls) -> None:
        cls._tmp.cleanup()

    def test_the_pair_reversed_fails_on_the_case_errored_in_new(self) -> None:
        # run_a's errored case is unchecked when run_a is the old file (test_same_build_passes_gate)
        # but fails the gate when run_a is the new one: the same build, yet a broken run.
        proc = run_tool("compare.py", self.run_b, self.run_a, "--fail-on-regression", "10")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("ERRORED kata/bridge/tcp_rr/stress/manual_time: 15/15 reps errored in new: "
                      "agent lost", proc.stdout)
        self.assertNotIn("REGRESSION", proc.stdout)


@unittest.skipUnless(ts.HAVE_REFERENCE, "tests/data/gate_pair_{a,b}.json not present")
class ReferenceRunPair(RunPairChecks, unittest.TestCase):
    """The RunPair checks on the two real reference runs of one build."""

    run_a, run_b = ts.REFERENCE_A, ts.REFERENCE_B

    @classmethod
    def setUpClass(cls) -> None:
        cls._tmp = tempfile.TemporaryDirectory(prefix="nbtools-ref-")
        cls.tmp = cls._tmp.name

    @classmethod
    def tearDownClass(cls) -> None:
        cls._tmp.cleanup()


if __name__ == "__main__":
    unittest.main()
