"""Tests of tools/nbresults.py: the case-name grammar and what a results file's
context declares (`metric:<name>`, `test:<name>`), with the fallback rules for
files that declare nothing. Documents are unit-test FAKES from toolsupport."""

from __future__ import annotations

import unittest

import toolsupport as ts
from toolsupport import declare, fake_results

import nbresults  # noqa: E402  (toolsupport put tools/ on sys.path)
from nbresults import CaseName, MetricSpec, TestSpec


def parse(name: str) -> CaseName | None:
    return CaseName.parse(name)


class CaseNameGrammar(unittest.TestCase):
    """runtime/driver/test[/stress][/key:value...], after Google Benchmark's suffixes."""

    def test_key_value_parts_after_the_test_are_params_in_order(self) -> None:
        self.assertEqual(parse("runc/bridge/tcp_stream/streams:4"),
                         CaseName("runc", "bridge", "tcp_stream", "idle", (("streams", "4"),)))
        self.assertEqual(parse("runc/macvlan/tcp_rr/poll:busy"),
                         CaseName("runc", "macvlan", "tcp_rr", "idle", (("poll", "busy"),)))
        both = parse("runc/bridge/tcp_stream/streams:4/poll:busy")
        assert both is not None
        self.assertEqual(both.params, (("streams", "4"), ("poll", "busy")))
        self.assertEqual(both.variant, "streams:4/poll:busy")

    def test_a_name_of_three_parts_is_a_case_of_any_test(self) -> None:
        self.assertEqual(parse("runc/bridge/start"), CaseName("runc", "bridge", "start"))
        self.assertEqual(parse("kata/host/tcp_stream"),
                         CaseName("kata", "host", "tcp_stream", "idle", ()))

    def test_stress_comes_only_directly_after_the_test(self) -> None:
        self.assertEqual(parse("kata/macvlan/tcp_rr/stress"),
                         CaseName("kata", "macvlan", "tcp_rr", "stress"))
        self.assertEqual(parse("runc/bridge/tcp_rr/stress/msg:256"),
                         CaseName("runc", "bridge", "tcp_rr", "stress", (("msg", "256"),)))
        self.assertIsNone(parse("runc/bridge/tcp_rr/msg:256/stress"))
        self.assertIsNone(parse("runc/bridge/tcp_rr/stress/stress"))

    def test_google_benchmark_suffixes_are_stripped_from_the_end(self) -> None:
        case = CaseName("runc", "bridge", "tcp_stream", "stress", (("streams", "4"),))
        for suffix in ("", "/manual_time", "/real_time", "/process_time", "/min_time:0.500",
                       "/min_time:0.5s", "/iterations:100", "/repeats:15", "/threads:1",
                       "/repeats:3/manual_time/threads:1",
                       "/min_time:0.1/iterations:5/repeats:2/process_time/real_time/threads:2"):
            for aggregate in ("", "_mean", "_median", "_stddev", "_cv"):
                name = "runc/bridge/tcp_stream/stress/streams:4" + suffix + aggregate
                with self.subTest(name=name):
                    self.assertEqual(parse(name), case)
                    self.assertEqual(nbresults.base_name(name),
                                     "runc/bridge/tcp_stream/stress/streams:4")
        self.assertEqual(parse("runc/host/tcp_stream/manual_time_mean"),
                         CaseName("runc", "host", "tcp_stream"))
        self.assertEqual(parse("runc/bridge/start_median"), CaseName("runc", "bridge", "start"))

    def test_google_benchmark_keys_are_reserved_never_params(self) -> None:
        for name in ("runc/bridge/tcp_rr/threads:2/poll:busy",
                     "runc/bridge/tcp_rr/repeats:3/msg:256",
                     "runc/bridge/tcp_rr/min_time:0.5/poll:busy",
                     "runc/bridge/tcp_rr/iterations:10/msg:1",
                     "runc/bridge/tcp_rr/threads:many",      # not Google Benchmark's (N is a number)
                     "runc/bridge/tcp_rr/iterations:x/manual_time"):
            with self.subTest(name=name):
                self.assertIsNone(parse(name))

    def test_anything_else_is_not_a_netbench_name(self) -> None:
        for name in ("BM_memcpy/manual_time", "runc/bridge", "runc/bridge/manual_time",
                     "runc//tcp_rr", "/bridge/tcp_rr", "runc/bridge/tcp_rr/",
                     "runc/bridge/tcp_rr/heavy", "runc/bridge/tcp_rr/a:b:c",
                     "runc/bridge/tcp_rr/:busy", "runc/bridge/tcp_rr/poll:",
                     "runc/bridge/tcp_rr/poll:busy//", "runc/bridge/msg:4",
                     "runc:x/bridge/tcp_rr", "runc/bridge/tcp_rr/manual_time/poll:busy"):
            with self.subTest(name=name):
                self.assertIsNone(parse(name))

    def test_name_gives_the_case_name_back(self) -> None:
        for name in ("runc/bridge/start", "kata/macvlan/tcp_rr/stress",
                     "runc/bridge/tcp_stream/streams:4", "runc/macvlan/tcp_rr/stress/poll:busy/msg:1"):
            with self.subTest(name=name):
                case = parse(name + "/manual_time_mean")
                assert case is not None
                self.assertEqual(case.name, name)
                self.assertEqual(parse(case.name), case)


class ContextFieldParser(unittest.TestCase):
    """`k=v;k=v` values: parse_fields, MetricSpec.parse, TestSpec.parse."""

    def test_reads_key_value_pairs(self) -> None:
        self.assertEqual(nbresults.parse_fields("unit=us;better=lower"),
                         {"unit": "us", "better": "lower"})
        self.assertEqual(nbresults.parse_fields("unit=Gbit/s;better=higher"),
                         {"unit": "Gbit/s", "better": "higher"})
        self.assertEqual(nbresults.parse_fields("kind=rr;transport=tcp"),
                         {"kind": "rr", "transport": "tcp"})

    def test_tolerates_blanks_unknown_keys_and_junk_items(self) -> None:
        self.assertEqual(nbresults.parse_fields(" unit = us ; better=lower ;; junk;=x;colour=red"),
                         {"unit": "us", "better": "lower", "colour": "red"})
        self.assertEqual(nbresults.parse_fields("note=a=b"), {"note": "a=b"})
        self.assertEqual(nbresults.parse_fields("better=lower;better=higher"),
                         {"better": "higher"})
        for text in ("", ";", "nothing", 42, None, ["unit=us"]):
            with self.subTest(text=text):
                self.assertEqual(nbresults.parse_fields(text), {})

    def test_metric_spec_keeps_only_known_directions(self) -> None:
        self.assertEqual(MetricSpec.parse("unit=ops/s;better=none;scale=log"),
                         MetricSpec("ops/s", "none"))
        self.assertEqual(MetricSpec.parse("unit=us;better=sideways"), MetricSpec("us", None))
        self.assertEqual(MetricSpec.parse("better=higher"), MetricSpec(None, "higher"))
        self.assertEqual(MetricSpec.parse(""), MetricSpec())

    def test_test_spec(self) -> None:
        self.assertEqual(TestSpec.parse("kind=rr;transport=udp"), TestSpec("rr", "udp"))
        self.assertEqual(TestSpec.parse("transport=tcp;phase=2"), TestSpec(None, "tcp"))


def loaded(metrics: dict[str, str] | None = None,
           tests: dict[str, str] | None = None, **fake: object) -> nbresults.Results:
    return nbresults.from_json(declare(fake_results(**fake), metrics, tests), "fake.json")  # type: ignore[arg-type]


class MetricsDeclaredByTheFile(unittest.TestCase):
    """`metric:<name>` = `unit=<unit>;better=<lower|higher|none>`."""

    def test_are_read_from_the_context(self) -> None:
        results = loaded(ts.NETBENCH_METRICS, ts.NETBENCH_TESTS)
        self.assertEqual(results.metric_specs["p99_us"], MetricSpec("us", "lower"))
        self.assertEqual(results.metric_specs["gbit_per_s"], MetricSpec("Gbit/s", "higher"))
        self.assertEqual(results.test_specs["tcp_rr"], TestSpec("rr", "tcp"))
        self.assertNotIn("skipped:kata/host/tcp_rr", results.metric_specs)

    def test_direction_from_the_file_beats_the_name_rule(self) -> None:
        results = loaded({"foo_us": "unit=us;better=higher", "widgets": "better=lower",
                          "gbit_per_s": "unit=Gbit/s;better=none", "p99_us": "better=lower"})
        self.assertEqual(nbresults.fallback_direction("foo_us"), "lower")
        self.assertEqual(results.direction("foo_us"), "higher")
        self.assertEqual(results.direction("widgets"), "lower")
        self.assertEqual(results.direction("gbit_per_s"), "info")   # none: shown, never gated
        self.assertEqual(results.direction("p99_us"), "lower")

    def test_policy_informational_metrics_stay_informational_whatever_the_file_says(self) -> None:
        results = loaded({"max_us": "unit=us;better=lower", "retrans": "unit=count;better=lower",
                          "cpu_time": "unit=us;better=lower"})
        for metric in ("max_us", "retrans", "cpu_time"):
            self.assertEqual(results.direction(metric), "info", metric)

    def test_undeclared_or_unusable_directions_fall_back_to_the_name(self) -> None:
        results = loaded({"p50_us": "unit=us;better=sideways", "tps": "unit=1/s"})
        self.assertEqual(results.direction("p50_us"), "lower")
        self.assertEqual(results.direction("tps"), "higher")
        self.assertEqual(results.direction("p90_us"), "lower")

    def test_units_come_from_the_file_and_time_fields_are_always_ns(self) -> None:
        results = loaded({"foo_us": "unit=ms;better=lower", "real_time": "unit=us;better=lower",
                          "gbit_per_s": "unit=Gbit/s;better=higher"})
        self.assertEqual(results.unit("foo_us"), "ms")
        self.assertEqual(results.unit("gbit_per_s"), "Gbit/s")
        self.assertEqual(results.unit("real_time"), "ns")      # converted from time_unit on loading
        self.assertEqual(results.unit("p99_us"), "")            # undeclared: unknown...
        self.assertEqual(results.unit_or_guess("p99_us"), "us")  # ...unless guessed from the name

    def test_files_without_metric_keys_use_the_name_rules(self) -> None:
        results = loaded()
        self.assertEqual(results.metric_specs, {})
        expected = {"real_time": "lower", "p99_us": "lower", "max_us": "info",
                    "retrans": "info", "client_cpu_us_per_tx": "lower",
                    "server_cpu_s_per_gb": "lower", "tps": "higher",
                    "gbit_per_s": "higher", "bytes_per_second": "higher",
                    "stress_bogo_ops_per_s": "info", "vm_boot_s": "info",
                    "client_vm_boot_s": "info", "cpu_time": "info", "something_new": "info"}
        self.assertEqual({m: results.direction(m) for m in expected}, expected)
        self.assertEqual({m: nbresults.direction(m) for m in expected}, expected)
        self.assertEqual([results.unit(m) for m in ("real_time", "p99_us", "gbit_per_s")],
                         ["ns", "", ""])


class TestKinds(unittest.TestCase):
    """`test:<name>` = `kind=<rr|stream>;transport=<tcp|udp>`."""

    def test_kind_from_the_file_beats_the_name(self) -> None:
        results = loaded(tests={"tcp_crr": "kind=rr;transport=tcp", "bulk": "kind=stream",
                                "odd_rr": "kind=stream", "start": "transport=tcp"})
        self.assertEqual(results.test_kind("tcp_crr"), "rr")
        self.assertEqual(results.test_kind("bulk"), "stream")
        self.assertEqual(results.test_kind("odd_rr"), "stream")
        self.assertIsNone(results.test_kind("start"))          # no kind: the name decides

    def test_files_without_test_keys_go_by_the_name_ending(self) -> None:
        results = loaded()
        self.assertEqual([results.test_kind(t) for t in
                          ("tcp_rr", "udp_rr", "tcp_stream", "tcp_crr", "start")],
                         ["rr", "rr", "stream", None, None])   # tcp_crr needs its test: key

    def test_cpu_metric_follows_the_kind(self) -> None:
        self.assertEqual(nbresults.cpu_metric("rr"), "client_cpu_us_per_tx")
        self.assertEqual(nbresults.cpu_metric("stream"), "client_cpu_s_per_gb")
        self.assertEqual(nbresults.cpu_metric("rr", "server"), "server_cpu_us_per_tx")
        self.assertIsNone(nbresults.cpu_metric(None))


if __name__ == "__main__":
    unittest.main()
