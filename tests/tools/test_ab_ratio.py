"""tools/ab_ratio.py: B/A ratios of medians with bootstrap intervals; tools/ab_noise.py on them."""

from __future__ import annotations

import random
import statistics
import unittest

import toolsupport  # noqa: F401  (puts tools/ on sys.path)

import ab_noise  # noqa: E402
import ab_ratio  # noqa: E402


def alone(values: list[float]) -> list[list[float]]:
    """Each value a round of its own: repetitions without rounds."""
    return [[v] for v in values]


class BootstrapRatioTest(unittest.TestCase):
    def test_the_same_samples_give_ratio_one_inside_the_interval(self) -> None:
        rng = random.Random(3)
        a = [10 + rng.random() for _ in range(15)]
        point, lo, hi = ab_ratio.bootstrap_ratio(alone(a), alone(a), 2000, random.Random(1))
        self.assertAlmostEqual(point, 1.0)
        self.assertLessEqual(lo, 1.0)
        self.assertGreaterEqual(hi, 1.0)

    def test_a_real_doubling_gives_an_interval_that_excludes_one(self) -> None:
        rng = random.Random(4)
        a = [10 + rng.random() for _ in range(15)]
        b = [2 * x for x in a]
        point, lo, hi = ab_ratio.bootstrap_ratio(alone(a), alone(b), 2000, random.Random(1))
        self.assertAlmostEqual(point, 2.0)
        self.assertGreater(lo, 1.5)
        self.assertLess(hi, 2.5)

    def test_a_count_often_zero_widens_the_interval_instead_of_failing(self) -> None:
        # retrans: A's median is 1, but half its resamples have a median of 0.
        a = [0, 0, 0, 1, 2, 3]
        b = [1, 1, 2, 2, 3, 3]
        point, lo, hi = ab_ratio.bootstrap_ratio(alone(a), alone(b), 2000, random.Random(1))
        self.assertAlmostEqual(point, 2.0 / 0.5)
        self.assertEqual(hi, float("inf"))
        self.assertGreater(lo, 0)

    def test_values_in_rounds_are_resampled_round_by_round(self) -> None:
        # Five invocations a side whose repetitions agree within one and differ between them
        # (a kata stream: one VM boot each): the rounds are 5 samples, not 15.
        levels_a, levels_b = [1.6, 3.2, 2.4, 4.0, 2.0], [2.0, 3.6, 1.7, 2.6, 3.9]
        a = [[x, x * 1.01, x * 0.99] for x in levels_a]
        b = [[x, x * 1.01, x * 0.99] for x in levels_b]
        flat_a, flat_b = [v for g in a for v in g], [v for g in b for v in g]
        _, lo_r, hi_r = ab_ratio.bootstrap_ratio(a, b, 2000, random.Random(1))
        _, lo_f, hi_f = ab_ratio.bootstrap_ratio(alone(flat_a), alone(flat_b), 2000,
                                                 random.Random(1))
        self.assertGreater(hi_r / lo_r, hi_f / lo_f)

    def test_rounds_of_one_repetition_are_the_plain_bootstrap(self) -> None:
        rng = random.Random(5)
        a = [10 + rng.random() for _ in range(15)]
        b = [11 + rng.random() for _ in range(15)]
        # The plain bootstrap of each side's values, drawn in the same order.
        plain, draw = [], random.Random(2)
        for _ in range(500):
            nb = statistics.median(draw.choices(b, k=len(b)))
            plain.append(nb / statistics.median(draw.choices(a, k=len(a))))
        plain.sort()
        expected = (statistics.median(b) / statistics.median(a), plain[12], plain[486])
        self.assertEqual(ab_ratio.bootstrap_ratio(alone(a), alone(b), 500, random.Random(2)),
                         expected)


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
