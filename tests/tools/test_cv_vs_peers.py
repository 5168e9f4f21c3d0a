"""tools/cv_vs_peers.py: one run's CV table, and the same statistics over pooled runs."""

from __future__ import annotations

import random
import unittest

import toolsupport  # noqa: F401  (puts tools/ on sys.path)

import cv_vs_peers  # noqa: E402


def rows(d: str, nb: list[float], peer: list[float]) -> list[tuple]:
    return [(d, "tcp_rr", "us", nb, peer, None)]


class CvVsPeersTest(unittest.TestCase):
    def test_a_reports_round_by_round_section_reads_back_as_it_was_printed(self) -> None:
        printed = rows("bridge", [101.25, 99.5, 120.125], [98.0, 97.5, 150.0])
        printed += [("host", "tcp_stream", "Gbit/s", [14.5, 13.25, 15.0], [14.0, 14.0, 13.5], None)]
        text = "a table\n" + "\n".join(cv_vs_peers.raw_lines(printed)) + "\n\nafter"
        self.assertEqual(cv_vs_peers.parse_rounds(text), {
            ("bridge", "tcp_rr"): ([101.25, 99.5, 120.125], [98.0, 97.5, 150.0]),
            ("host", "tcp_stream"): ([14.5, 13.25, 15.0], [14.0, 14.0, 13.5])})

    def test_pooling_keeps_each_rounds_pair_and_the_files_order(self) -> None:
        a = "\n".join(cv_vs_peers.raw_lines(rows("macvlan", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])))
        b = "\n".join(cv_vs_peers.raw_lines(rows("macvlan", [7.0, 8.0, 9.0], [1.5, 2.5, 3.5])))
        [(d, test, unit, nb, peer, block)] = cv_vs_peers.pool_rows([a, b])
        self.assertEqual((d, test, unit, block), ("macvlan", "tcp_rr", "us", None))
        self.assertEqual(nb, [1.0, 2.0, 3.0, 7.0, 8.0, 9.0])
        self.assertEqual(peer, [4.0, 5.0, 6.0, 1.5, 2.5, 3.5])

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


if __name__ == "__main__":
    unittest.main()
