"""tools/time_budget.py: the measured share of a run's wall time, from its JSON."""

from __future__ import annotations

import unittest

import toolsupport  # noqa: F401  (puts tools/ on sys.path)

import nbresults  # noqa: E402
import time_budget  # noqa: E402


def run(iterations: int, real_time: float, unit: str = "us", **extra) -> dict:
    r = {"name": "runc/bridge/tcp_rr/manual_time", "run_type": "iteration",
         "iterations": iterations, "real_time": real_time, "time_unit": unit}
    r.update(extra)
    return r


class TimeBudgetTest(unittest.TestCase):
    def test_measuring_is_iterations_times_time_per_iteration_over_repetitions_only(self) -> None:
        doc = {"context": {}, "benchmarks": [
            run(10_000, 60.0),                       # 0.6 s
            run(1_000, 0.5, "ms"),                   # 0.5 s
            run(10_000, 60.0, run_type="aggregate"),  # a mean: not measured again
            run(0, 0.0, error_occurred=True),
        ]}
        self.assertAlmostEqual(time_budget.measured_seconds(doc), 1.1)

    def test_the_share_is_checked_against_the_callers_wall_time_first(self) -> None:
        doc = {"context": {"time_wall_s": "1.0", "time_measuring_s": "0.9"},
               "benchmarks": [run(15_000, 60.0)]}  # 0.9 s
        text, ok = time_budget.report(doc, None, 0.85)
        self.assertTrue(ok, text)
        self.assertIn("90.0% measuring", text)
        text, ok = time_budget.report(doc, 2.0, 0.85)
        self.assertFalse(ok)
        self.assertIn("45.0% measuring", text)
        self.assertIn("MISSED", text)

    def test_a_file_without_a_wall_time_needs_one_given(self) -> None:
        with self.assertRaises(nbresults.InputError):
            time_budget.report({"context": {}, "benchmarks": []}, None, 0.85)


if __name__ == "__main__":
    unittest.main()
