"""Tests of tools/plot.py, on unit-test FAKES and, when present, on the real
reference run results/reference/run_a.json."""

from __future__ import annotations

import os
import tempfile
import unittest
from typing import Any

import toolsupport as ts
from toolsupport import declare, fake_results, rename_test, run_tool, write_json

import nbresults  # noqa: E402  (toolsupport put tools/ on sys.path)
import plot
from nbresults import CaseName

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PlotTestBase(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory(prefix="nbplot-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def assert_plots(self, data: dict, stem: str, expected: list[str]) -> None:
        """plot.py on `data` (written as <stem>.json) succeeds and makes exactly `expected`."""
        proc = run_tool("plot.py", write_json(os.path.join(self.dir, stem + ".json"), data),
                        "--out", self.dir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_pngs(proc.stdout, expected)

    def assert_pngs(self, stdout: str, expected: list[str]) -> None:
        paths = stdout.split()
        self.assertEqual([os.path.basename(p) for p in paths], expected)
        for path in paths:
            with open(path, "rb") as f:
                head = f.read(8)
            self.assertEqual(head, PNG_MAGIC, path)
            self.assertGreater(os.path.getsize(path), 10_000, path)


class PlotDataTest(unittest.TestCase):
    def setUp(self) -> None:
        self.results = nbresults.from_json(fake_results(
            seed=1, errored={"kata/overlay/tcp_stream/stress": "agent timed out"}),
            "fake.json")

    def test_layout_orders_runtimes_drivers_loads(self) -> None:
        lay = plot.layout(self.results, "tcp_stream")
        assert lay is not None
        self.assertEqual(lay.runtimes, ["runc", "kata"])
        self.assertEqual(lay.drivers, ["bridge", "host", "macvlan", "overlay"])
        self.assertEqual(lay.loads, ["idle", "stress"])
        self.assertIsNone(plot.layout(self.results, "udp_rr"))

    def test_slots(self) -> None:
        lay = plot.layout(self.results, "tcp_stream")
        assert lay is not None
        skipped = plot.slot(lay, CaseName("kata", "host", "tcp_stream", "idle"),
                            plot.BANDWIDTH)
        self.assertEqual((skipped.status, skipped.mean), ("skipped", None))
        errored = plot.slot(lay, CaseName("kata", "overlay", "tcp_stream", "stress"),
                            plot.BANDWIDTH)
        self.assertEqual((errored.status, errored.mean), ("error", None))
        self.assertEqual(plot.footnotes(lay), [
            "kata/host idle: skipped: " + ts.KATA_HOST_REASON,
            "kata/host stress: skipped: " + ts.KATA_HOST_REASON,
            "kata/overlay stress: error: agent timed out"])
        ok = plot.slot(lay, CaseName("runc", "bridge", "tcp_stream", "idle"),
                       plot.BANDWIDTH)
        case = self.results.cases["runc/bridge/tcp_stream/manual_time"]
        self.assertEqual(ok.status, "ok")
        self.assertAlmostEqual(ok.mean, case.mean("gbit_per_s"))
        self.assertAlmostEqual(ok.stddev, case.stddev("gbit_per_s"))

    def test_bandwidth_falls_back_to_bytes_per_second(self) -> None:
        data = fake_results(seed=1, runtimes=("runc",), tests=("tcp_stream",))
        for run in data["benchmarks"]:
            run.pop("gbit_per_s", None)
        results = nbresults.from_json(data)
        lay = plot.layout(results, "tcp_stream")
        assert lay is not None
        ok = plot.slot(lay, CaseName("runc", "bridge", "tcp_stream", "idle"),
                       plot.BANDWIDTH)
        case = results.cases["runc/bridge/tcp_stream/manual_time"]
        self.assertAlmostEqual(ok.mean, case.mean("bytes_per_second") * 8e-9)

    def test_latency_is_mean_rtt_in_us(self) -> None:
        lay = plot.layout(self.results, "tcp_rr")
        assert lay is not None
        ok = plot.slot(lay, CaseName("kata", "bridge", "tcp_rr", "stress"), plot.LATENCY)
        case = self.results.cases["kata/bridge/tcp_rr/stress/manual_time"]
        self.assertAlmostEqual(ok.mean, case.mean("real_time") / 1000)

    def test_skipped_and_errored_are_empty_slots_never_zero_bars(self) -> None:
        lay = plot.layout(self.results, "tcp_stream")
        assert lay is not None
        fig, ax = plot.plt.subplots()
        self.addCleanup(plot.plt.close, fig)
        plot.draw_bars(ax, lay, "stress", plot.BANDWIDTH)
        heights = [p.get_height() for p in ax.patches]
        self.assertEqual(len(heights), 6)       # 4 runc + kata bridge, macvlan
        self.assertTrue(all(h > 0 for h in heights))
        self.assertEqual(sorted(t.get_text() for t in ax.texts
                                if t.get_text() in ("skipped", "error")),
                         ["error", "skipped"])
        self.assertEqual(ax.get_xlim(), (-0.5, 3.5))

    def test_caption_and_footnotes(self) -> None:
        data = fake_results(seed=1, reps=5)
        data["context"]["scaled_by"] = "test"
        results = nbresults.from_json(data)
        caption = plot.caption(results)
        for fact in ("host_name: fakehost", "date: 2024-11-26", "vm_accel: tcg",
                     "scaled_by: test", "means of 5 repetitions"):
            self.assertIn(fact, caption)
        lay = plot.layout(results, "tcp_rr")
        assert lay is not None
        self.assertIn(f"kata/host idle: skipped: {ts.KATA_HOST_REASON}",
                      plot.footnotes(lay))


class PlotKindsAndUnitsFromTheFile(PlotTestBase):
    """Which figures a test gets follows its kind (`test:<name>`, else the name
    ending); bar heights are converted from the units the file declares."""

    def renamed(self, declared: dict[str, str] | None = None, **renames: str) -> dict:
        data = fake_results(seed=1, runtimes=("runc",))
        for old, new in renames.items():
            rename_test(data, old, new)
        return declare(data, tests=declared)

    def test_tests_are_plotted_by_the_kind_the_file_declares(self) -> None:
        data = self.renamed({"ping": "kind=rr;transport=tcp", "bulk_rr": "kind=stream"},
                            tcp_rr="ping", tcp_stream="bulk_rr")
        results = nbresults.from_json(data)
        self.assertEqual(plot.tests_of_kind(results, "rr"), ["ping"])
        self.assertEqual(plot.tests_of_kind(results, "stream"), ["bulk_rr"])
        self.assert_plots(data, "k", ["k-bandwidth.png", "k-latency.png",
                                       "k-latency-percentiles.png"])

    def test_without_test_keys_the_name_ending_decides_and_other_tests_are_not_plotted(
            self) -> None:
        results = nbresults.from_json(self.renamed(tcp_rr="start"), "fake.json")
        self.assertEqual(plot.tests_of_kind(results, "rr"), [])
        self.assertEqual(plot.tests_of_kind(results, "stream"), ["tcp_stream"])
        self.assertEqual([os.path.basename(p) for p in plot.plot_all(results, self.dir)],
                         ["fake-bandwidth.png"])
        nothing = write_json(os.path.join(self.dir, "n.json"),
                             self.renamed(tcp_rr="start", tcp_stream="stop"))
        proc = run_tool("plot.py", nothing, "--out", self.dir)
        self.assertEqual((proc.returncode, len(proc.stderr.splitlines())), (2, 1))

    def test_two_tests_of_one_kind_are_named_in_the_file_names(self) -> None:
        data = fake_results(seed=1, runtimes=("runc",), tests=("tcp_rr",))
        crr = rename_test(fake_results(seed=2, runtimes=("runc",), tests=("tcp_rr",)),
                          "tcp_rr", "tcp_crr")
        data["benchmarks"] += crr["benchmarks"]
        declare(data, tests={"tcp_crr": "kind=rr;transport=tcp"})
        self.assert_plots(data, "two", ["two-latency-tcp_crr.png", "two-latency-tcp_rr.png",
                                       "two-latency-percentiles-tcp_crr.png",
                                       "two-latency-percentiles-tcp_rr.png"])

    def test_params_get_their_own_figures(self) -> None:
        data = fake_results(seed=1, runtimes=("runc",), tests=("tcp_stream",))
        data["benchmarks"] += rename_test(
            fake_results(seed=2, runtimes=("runc",), tests=("tcp_stream",)),
            "tcp_stream", "tcp_stream", params="streams:4/cc:bbr")["benchmarks"]
        results = nbresults.from_json(data, "p.json")
        self.assertEqual(plot.param_sets(results, "tcp_stream"),
                         [(), (("streams", "4"), ("cc", "bbr"))])
        self.assertEqual([os.path.basename(p) for p in plot.plot_all(results, self.dir)],
                         ["p-bandwidth.png", "p-bandwidth-streams_4_cc_bbr.png"])

    def bandwidth_slot_with(self, declared: str) -> tuple[float, Any]:
        """The bandwidth bar of runc/bridge when gbit_per_s is declared `declared`."""
        data = declare(fake_results(seed=1, runtimes=("runc",)), {"gbit_per_s": declared})
        results = nbresults.from_json(data)
        lay = plot.layout(results, "tcp_stream")
        assert lay is not None
        slot = plot.slot(lay, CaseName("runc", "bridge", "tcp_stream"), plot.BANDWIDTH)
        return slot.mean, results.cases["runc/bridge/tcp_stream/manual_time"]

    def test_bars_are_converted_from_the_declared_unit(self) -> None:
        mean, case = self.bandwidth_slot_with("unit=Mbit/s;better=higher")
        self.assertAlmostEqual(mean, case.mean("gbit_per_s") * 1e-3)

    def test_a_unit_that_does_not_convert_falls_to_the_next_metric(self) -> None:
        mean, case = self.bandwidth_slot_with("unit=furlongs;better=higher")
        self.assertAlmostEqual(mean, case.mean("bytes_per_second") * 8e-9)

    def test_percentiles_are_converted_to_us(self) -> None:
        data = declare(fake_results(seed=1, runtimes=("runc",), tests=("tcp_rr",)),
                       {"p50_us": "unit=ms;better=lower"})
        results = nbresults.from_json(data)
        lay = plot.layout(results, "tcp_rr")
        assert lay is not None
        fig, ax = plot.plt.subplots()
        self.addCleanup(plot.plt.close, fig)
        self.assertTrue(plot.draw_percentiles(ax, lay, "idle"))
        case = results.cases["runc/bridge/tcp_rr/manual_time"]
        drawn = next(c for c in ax.containers if c.get_label() == "runc/bridge")
        ys = drawn.lines[0].get_ydata()
        self.assertAlmostEqual(ys[0], case.mean("p50_us") * 1e3)
        self.assertAlmostEqual(ys[1], case.mean("p90_us"))


class PlotCliTest(PlotTestBase):
    def test_writes_three_pngs(self) -> None:
        src = write_json(os.path.join(self.dir, "run.json"), fake_results(
            seed=1, errored={"kata/overlay/tcp_stream/stress": "agent timed out"}))
        out = os.path.join(self.dir, "plots")
        proc = run_tool("plot.py", src, "--out", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_pngs(proc.stdout, ["run-bandwidth.png", "run-latency.png",
                                       "run-latency-percentiles.png"])

    def test_idle_only_rr_only_and_variants(self) -> None:
        data = fake_results(seed=2, tests=("tcp_rr",), loads=("idle",))
        for run in (r for r in data["benchmarks"] if r["name"].startswith("kata/")):
            for key in ("name", "run_name"):
                run[key] = run[key].replace("/tcp_rr/", "/tcp_rr/msg:1024/")
        self.assert_plots(data, "rr", ["rr-latency.png", "rr-latency-msg_1024.png",
                                       "rr-latency-percentiles.png",
                                       "rr-latency-percentiles-msg_1024.png"])

    def test_no_figure_of_skipped_cases_alone(self) -> None:
        data = fake_results(seed=2, runtimes=("runc",), tests=("tcp_rr",))
        data["context"]["skipped:kata/host/tcp_stream"] = ts.KATA_HOST_REASON
        self.assert_plots(data, "rr", ["rr-latency.png", "rr-latency-percentiles.png"])

    def test_bad_input_exits_2(self) -> None:
        not_netbench = write_json(os.path.join(self.dir, "bm.json"), {
            "context": {}, "benchmarks": [{"name": "BM_x", "real_time": 1.0,
                                           "cpu_time": 1.0, "time_unit": "ns"}]})
        for path in (os.path.join(self.dir, "absent.json"), not_netbench):
            with self.subTest(path=path):
                proc = run_tool("plot.py", path, "--out", self.dir)
                self.assertEqual(proc.returncode, 2)
                self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)


@unittest.skipUnless(ts.HAVE_REFERENCE, "tests/data/gate_pair_{a,b}.json not present")
class ReferencePlotTest(PlotTestBase):
    def test_reference_run_plots(self) -> None:
        proc = run_tool("plot.py", ts.REFERENCE_A, "--out", self.dir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        names = [os.path.basename(p) for p in proc.stdout.split()]
        self.assertTrue(names)
        self.assert_pngs(proc.stdout, names)


if __name__ == "__main__":
    unittest.main()
