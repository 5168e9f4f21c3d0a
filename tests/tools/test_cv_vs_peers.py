"""tools/cv_vs_peers.py: one run's CV table, and the same statistics over pooled runs."""

from __future__ import annotations

import random
import unittest

import toolsupport  # noqa: F401  (puts tools/ on sys.path)

import cv_vs_peers  # noqa: E402


def rows(d: str, nb: list[float], peer: list[float],
         again: list[float] | None = None) -> list[tuple]:
    return [(d, "tcp_rr", "us", nb, peer, again, None)]


class CvVsPeersTest(unittest.TestCase):
    def test_a_reports_round_by_round_section_reads_back_as_it_was_printed(self) -> None:
        printed = rows("bridge", [101.25, 99.5, 120.125], [98.0, 97.5, 150.0])
        printed += [("host", "tcp_stream", "Gbit/s", [14.5, 13.25, 15.0], [14.0, 14.0, 13.5],
                     [13.5, 14.5, 14.0], None)]
        text = "a table\n" + "\n".join(cv_vs_peers.raw_lines(printed)) + "\n\nafter"
        self.assertEqual(cv_vs_peers.parse_rounds(text), {
            ("bridge", "tcp_rr"): ([101.25, 99.5, 120.125], [98.0, 97.5, 150.0], None),
            ("host", "tcp_stream"): ([14.5, 13.25, 15.0], [14.0, 14.0, 13.5], [13.5, 14.5, 14.0])})

    def test_a_report_from_before_the_peers_second_run_still_reads(self) -> None:
        old = ("round by round (netbench's, then the peer's; for pooling runs and finding "
               "outliers):\n  host    tcp_rr     netbench 1.000 2.000 3.000\n"
               "                     peer     4.000 5.000 6.000\n")
        self.assertEqual(cv_vs_peers.parse_rounds(old),
                         {("host", "tcp_rr"): ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], None)})

    def test_pooling_keeps_each_rounds_pair_and_the_files_order(self) -> None:
        a = "\n".join(cv_vs_peers.raw_lines(rows("macvlan", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])))
        b = "\n".join(cv_vs_peers.raw_lines(rows("macvlan", [7.0, 8.0, 9.0], [1.5, 2.5, 3.5])))
        [(d, test, unit, nb, peer, again, block)] = cv_vs_peers.pool_rows([a, b])
        self.assertEqual((d, test, unit, again, block), ("macvlan", "tcp_rr", "us", None, None))
        self.assertEqual(nb, [1.0, 2.0, 3.0, 7.0, 8.0, 9.0])
        self.assertEqual(peer, [4.0, 5.0, 6.0, 1.5, 2.5, 3.5])

    def test_the_peers_second_runs_pool_only_when_every_file_has_them(self) -> None:
        a = "\n".join(cv_vs_peers.raw_lines(rows("host", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0],
                                                 [4.5, 5.5, 6.5])))
        b = "\n".join(cv_vs_peers.raw_lines(rows("host", [7.0, 8.0, 9.0], [1.5, 2.5, 3.5],
                                                 [2.0, 3.0, 4.0])))
        old = "\n".join(cv_vs_peers.raw_lines(rows("host", [1.0, 1.0, 2.0], [1.0, 2.0, 2.0])))
        [(*_, again, _)] = cv_vs_peers.pool_rows([a, b])
        self.assertEqual(again, [4.5, 5.5, 6.5, 2.0, 3.0, 4.0])
        [(*_, again, _)] = cv_vs_peers.pool_rows([a, old, b])
        self.assertIsNone(again)

    def test_the_peer_against_itself_is_reported_with_the_same_statistics(self) -> None:
        peer = [100.0, 120.0, 80.0, 110.0, 90.0, 100.0]
        again = [100.0, 110.0, 90.0, 105.0, 95.0, 100.0]
        nb = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]
        lines = cv_vs_peers.again_table(rows("overlay", nb, peer, again))
        self.assertEqual(len(lines), 3)
        # the again runs' deviations are half the first runs': CV 7.1% against 14.1%
        self.assertEqual(lines[2].split()[:5], ["overlay", "tcp_rr", "14.1%", "7.1%", "0.50"])
        self.assertIn("met", lines[2])
        self.assertEqual(cv_vs_peers.again_table(rows("overlay", [1.0, 2.0], [1.0, 2.0])), [])

    def test_a_report_without_rounds_pools_nothing(self) -> None:
        self.assertEqual(cv_vs_peers.pool_rows(["an older report: its table only\n"]), [])

    def test_met_only_when_the_whole_interval_is_at_or_below_one(self) -> None:
        self.assertEqual(cv_vs_peers.verdict(0.5, 1.0), "met")
        self.assertEqual(cv_vs_peers.verdict(0.5, 1.01), "undecided")
        self.assertEqual(cv_vs_peers.verdict(1.01, 2.0), "missed")

    def test_the_ratio_is_the_two_cvs_and_its_interval_holds_it(self) -> None:
        nb = [100.0, 110.0, 90.0, 105.0, 95.0, 100.0]
        peer = [100.0, 120.0, 80.0, 110.0, 90.0, 100.0]
        p, lo, hi = cv_vs_peers.ratio_interval(nb, peer, random.Random(7), n=500)
        self.assertAlmostEqual(p, cv_vs_peers.cv(nb) / cv_vs_peers.cv(peer))
        self.assertAlmostEqual(p, 0.5, places=6)  # netbench's deviations are half the peer's
        self.assertLessEqual(lo, p)
        self.assertGreaterEqual(hi, p)

    def test_ranks_share_their_mean_when_values_tie(self) -> None:
        self.assertEqual(cv_vs_peers.ranks([30.0, 10.0, 20.0, 10.0]), [3.0, 0.5, 2.0, 0.5])

    def test_drift_sees_netbench_climb_against_its_peer_and_no_drift_in_a_constant_ratio(
            self) -> None:
        peer = [100.0, 90.0, 110.0, 95.0, 105.0, 100.0, 98.0, 102.0, 97.0, 103.0]
        climbing = [p * (1 + 0.05 * i) for i, p in enumerate(peer)]
        rho, p = cv_vs_peers.drift(climbing, peer, random.Random(3), n=500)
        self.assertAlmostEqual(rho, 1.0)
        self.assertLess(p, 0.01)
        self.assertEqual(cv_vs_peers.drift(peer, peer, random.Random(3)), (0.0, 1.0))

    def test_a_pooled_drift_says_its_rounds_span_runs(self) -> None:
        peer = [100.0, 90.0, 110.0]
        self.assertIn("as the run goes on", cv_vs_peers.drift_lines(rows("host", peer, peer))[0])
        pooled = cv_vs_peers.drift_lines(rows("host", peer, peer), pooled=True)[0]
        self.assertIn("between runs as well as within", pooled)  # pooled rounds span sessions


if __name__ == "__main__":
    unittest.main()
