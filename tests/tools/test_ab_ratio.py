"""tools/ab_ratio.py: B/A ratios of medians with bootstrap intervals; tools/ab_noise.py on them."""

from __future__ import annotations

import random
import unittest

import toolsupport  # noqa: F401  (puts tools/ on sys.path)

import ab_noise  # noqa: E402
import ab_ratio  # noqa: E402


class BootstrapRatioTest(unittest.TestCase):
    def test_the_same_samples_give_ratio_one_inside_the_interval(self) -> None:
        rng = random.Random(3)
        a = [10 + rng.random() for _ in range(15)]
        point, lo, hi = ab_ratio.bootstrap_ratio(a, list(a), 2000, random.Random(1))
        self.assertAlmostEqual(point, 1.0)
        self.assertLessEqual(lo, 1.0)
        self.assertGreaterEqual(hi, 1.0)

    def test_a_real_doubling_gives_an_interval_that_excludes_one(self) -> None:
        rng = random.Random(4)
        a = [10 + rng.random() for _ in range(15)]
        b = [2 * x for x in a]
        point, lo, hi = ab_ratio.bootstrap_ratio(a, b, 2000, random.Random(1))
        self.assertAlmostEqual(point, 2.0)
        self.assertGreater(lo, 1.5)
        self.assertLess(hi, 2.5)

    def test_a_count_often_zero_widens_the_interval_instead_of_failing(self) -> None:
        # retrans: A's median is 1, but half its resamples have a median of 0.
        a = [0, 0, 0, 1, 2, 3]
        b = [1, 1, 2, 2, 3, 3]
        point, lo, hi = ab_ratio.bootstrap_ratio(a, b, 2000, random.Random(1))
        self.assertAlmostEqual(point, 2.0 / 0.5)
        self.assertEqual(hi, float("inf"))
        self.assertGreater(lo, 0)


class AbNoiseTest(unittest.TestCase):
    def test_a_ratio_inside_the_same_builds_band_has_not_moved(self) -> None:
        self.assertFalse(ab_noise.moved(1.03, 0.97, 1.05))
        self.assertTrue(ab_noise.moved(1.08, 0.97, 1.05))
        self.assertTrue(ab_noise.moved(0.90, 0.97, 1.05))

    def test_the_band_always_holds_no_change(self) -> None:
        # A same-build interval that happens to miss 1 still lets a ratio of 1 through.
        self.assertFalse(ab_noise.moved(1.0, 1.02, 1.10))
        self.assertFalse(ab_noise.moved(1.01, 1.02, 1.10))
        self.assertTrue(ab_noise.moved(0.95, 1.02, 1.10))

    def test_groups_show_each_pairs_common_shift_and_typical_move(self) -> None:
        lines = ab_noise.group_summary([("runc/idle real_time", 1.1, 1.0),
                                        ("runc/idle real_time", 1.1, 1.0),
                                        ("kata/stress real_time", 0.9, 1.05)])
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[1].startswith("runc/idle real_time"))
        self.assertIn("A/B 1.100,  9.5%", lines[1])
        self.assertIn("same build 1.000,  0.0%", lines[1])


if __name__ == "__main__":
    unittest.main()
