"""Tests of tools/results_table.py on unit-test FAKES (toolsupport.fake_results)
and, when present, the real gate pair in tests/data/."""

from __future__ import annotations

import os
import tempfile
import unittest
from typing import Any

import toolsupport as ts
from toolsupport import declare, fake_results, rename_test, run_tool, write_json

CPU = {"server_cpu_us_per_tx": 7.0, "server_cpu_s_per_gb": 0.5}
COLUMNS = ("driver", "test", "load", "runc", "runc_p99", "runc_cpu", "kata", "kata_p99",
           "kata_cpu", "ratio")


class TableTest(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory(prefix="nbtable-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def table(self, data: dict[str, Any]) -> tuple[list[dict[str, str]], str]:
        """The table's rows as dicts by COLUMNS, and the whole output."""
        path = write_json(os.path.join(self.dir, "t.json"), data)
        proc = run_tool("results_table.py", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
        rows = [dict(zip(COLUMNS, (c.strip() for c in line.strip("|").split("|"))))
                for line in lines[1:]]
        return rows, proc.stdout

    def row(self, rows: list[dict[str, str]], driver: str, test: str,
            load: str = "idle") -> dict[str, str]:
        found = [r for r in rows if (r["driver"], r["test"], r["load"]) == (driver, test, load)]
        self.assertEqual(len(found), 1, (driver, test, load))
        return found[0]

    def test_files_without_test_keys_show_rr_then_stream_tests_by_name_ending(self) -> None:
        rows, out = self.table(fake_results(seed=1, extra=CPU))
        self.assertEqual([r["test"] for r in rows[:4]],
                         ["tcp_rr", "tcp_rr", "tcp_stream", "tcp_stream"])
        self.assertEqual(len(rows), 4 * 2 * 2)
        rr, stream = self.row(rows, "bridge", "tcp_rr"), self.row(rows, "bridge", "tcp_stream")
        self.assertRegex(rr["runc"], r" us$")
        self.assertEqual(rr["runc_cpu"], "7.00")
        self.assertRegex(stream["runc"], r" Gbit/s$")
        self.assertEqual((stream["runc_p99"], stream["runc_cpu"]), ("", "0.50"))
        self.assertEqual(self.row(rows, "host", "tcp_rr")["kata"], "skipped")
        self.assertIn("us per transaction (tcp_rr), s per GB (tcp_stream)", out)

    def test_the_kind_the_file_declares_picks_the_headline_and_cpu_metric(self) -> None:
        data = fake_results(seed=1, extra=CPU)
        rename_test(data, "tcp_rr", "ping")
        rename_test(data, "tcp_stream", "bulk_rr")
        declare(data, tests={"ping": "kind=rr;transport=tcp", "bulk_rr": "kind=stream"})
        rows, out = self.table(data)
        ping, bulk = self.row(rows, "macvlan", "ping"), self.row(rows, "macvlan", "bulk_rr")
        self.assertRegex(ping["kata"], r" us$")
        self.assertEqual(ping["kata_cpu"], "7.00")
        self.assertRegex(bulk["kata"], r" Gbit/s$")
        self.assertEqual(bulk["kata_cpu"], "0.50")
        self.assertIn("us per transaction (ping), s per GB (bulk_rr)", out)

    def test_tests_of_no_known_kind_are_left_out(self) -> None:
        data = fake_results(seed=1, extra=CPU)
        rename_test(data, "tcp_rr", "start")
        rows, _ = self.table(data)
        self.assertEqual({r["test"] for r in rows}, {"tcp_stream"})

    def test_params_are_shown_with_the_test(self) -> None:
        data = fake_results(seed=1, runtimes=("runc",), tests=("tcp_stream",), loads=("idle",))
        data["benchmarks"] += rename_test(
            fake_results(seed=2, runtimes=("runc",), tests=("tcp_stream",), loads=("idle",)),
            "tcp_stream", "tcp_stream", params="streams:4")["benchmarks"]
        rows, _ = self.table(data)
        self.assertEqual([r["test"] for r in rows if r["driver"] == "bridge"],
                         ["tcp_stream", "tcp_stream", "tcp_stream/streams:4",
                          "tcp_stream/streams:4"])
        self.assertRegex(self.row(rows, "bridge", "tcp_stream/streams:4")["runc"], r"Gbit/s$")

    @unittest.skipUnless(ts.HAVE_REFERENCE, "tests/data/gate_pair_a.json missing")
    def test_reference_run(self) -> None:
        proc = run_tool("results_table.py", ts.REFERENCE_A)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("| bridge | tcp_rr | idle |", proc.stdout)
        self.assertIn("| host | tcp_stream | idle |", proc.stdout)


if __name__ == "__main__":
    unittest.main()
