#!/usr/bin/env python3
"""B/A ratio of each case's headline metrics, with a bootstrap 95% interval.

For an A/B pair made by tools/ab_builds.sh (the same cases, interleaved): per case and metric,
the ratio of the medians of B's and A's repetitions, and the 2.5th-97.5th percentile of that
ratio over resamples of each side's repetitions. "contains 1" says whether the interval does:
the builds cannot be told apart on that metric at this machine's noise.

With ROUNDS (a `round` on each repetition) the resampled unit is the round, its repetitions
together: one invocation's repetitions share a testbed, a VM boot and a moment, and a kata
stream's differ more between boots than within one (1.5-1.7 against 3.1-4.2 Gbit/s, one
build), so resampling repetitions gave intervals as if 15 were independent where 5 are.

    tools/ab_ratio.py /tmp/ab_a.json /tmp/ab_b.json [--metrics real_time,tps] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys

import nbresults

HEADLINE = ("real_time", "p50_us", "tps", "gbit_per_s")


def _resampled_median(groups: list[list[float]], rng: random.Random) -> float:
    """The median of the values of len(groups) groups drawn with replacement."""
    return statistics.median(v for g in rng.choices(groups, k=len(groups)) for v in g)


def bootstrap_ratio(a: list[list[float]], b: list[list[float]], rounds: int,
                    rng: random.Random) -> tuple[float, float, float]:
    """median(b)/median(a) over all their values, and its 95% bootstrap interval. Each side is
    its values in groups (rounds; a repetition alone where there are none), resampled whole."""
    point = (statistics.median(v for g in b for v in g) /
             statistics.median(v for g in a for v in g))
    ratios = []
    for _ in range(rounds):
        nb, na = _resampled_median(b, rng), _resampled_median(a, rng)
        # A count that is often 0 (retrans) can resample to a median of 0: that resample has no
        # ratio, and the interval widens to infinity rather than leaving it out.
        ratios.append(nb / na if na else float("inf"))
    ratios.sort()
    return point, ratios[int(0.025 * rounds)], ratios[int(0.975 * rounds) - 1]


def rows(a: nbresults.Results, b: nbresults.Results, metrics: tuple[str, ...],
         rounds: int, seed: int) -> list[tuple[str, str, float, float, float, int]]:
    rng = random.Random(seed)
    out = []
    for key, case_a in a.cases.items():
        case_b = b.cases.get(key)
        if case_b is None or case_a.errored or case_b.errored:
            continue
        for m in metrics:
            ga, gb = case_a.values_by_round(m), case_b.values_by_round(m)
            va, vb = [v for g in ga for v in g], [v for g in gb for v in g]
            if len(va) < 2 or len(vb) < 2 or statistics.median(va) == 0:
                continue
            point, lo, hi = bootstrap_ratio(ga, gb, rounds, rng)
            out.append((nbresults.base_name(key), m, point, lo, hi, min(len(va), len(vb))))
    return out


def add_ratio_args(p: argparse.ArgumentParser, metrics: tuple[str, ...]) -> None:
    """The options of a ratio table: which metrics, how many resamples, the seed."""
    p.add_argument("--metrics", default=",".join(metrics))
    p.add_argument("--rounds", type=int, default=4000)
    p.add_argument("--seed", type=int, default=1)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    add_ratio_args(p, HEADLINE)
    args = p.parse_args(argv)
    a, b = nbresults.load(args.a), nbresults.load(args.b)
    table = rows(a, b, tuple(args.metrics.split(",")), args.rounds, args.seed)
    print(f"B/A ratio of medians, bootstrap 95% interval ({args.rounds} resamples)")
    print(f"A: {args.a}\nB: {args.b}\n")
    print(f"{'case':34} {'metric':11} {'ratio':>7} {'95% interval':>17} reps  contains 1")
    misses = 0
    for case, m, point, lo, hi, n in table:
        inside = lo <= 1.0 <= hi
        misses += not inside
        print(f"{case:34} {m:11} {point:7.3f} {lo:8.3f}-{hi:<8.3f} {n:4}  "
              f"{'yes' if inside else 'NO'}")
    print(f"\n{len(table) - misses} of {len(table)} intervals contain 1")
    return 0


if __name__ == "__main__":
    nbresults.run_cli(main)
